"""Residents' contacts: each read is checked and recorded as a view of personal data."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cetate.accounts.access import access_contact
from cetate.api.serializers.errors import error_responses
from cetate.api.serializers.intake import ContactSerializer
from cetate.api.views.cases import acting_user
from cetate.contacts.services import record_personal_data_view


class ContactDetail(APIView):
    @extend_schema(
        operation_id="contacts_retrieve",
        summary="A resident's contact (the read is recorded)",
        responses={200: ContactSerializer, **error_responses(404)},
        tags=["contacts"],
    )
    def get(self, request: Request, contact_id: int) -> Response:
        user = acting_user(request)
        contact = access_contact(user, contact_id)
        record_personal_data_view(user=user, contact=contact, what=f"API contact #{contact.pk}")
        return Response(ContactSerializer(contact).data)
