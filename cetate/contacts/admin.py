"""Residents' contacts in the admin, and the record every admin page showing residents' data
keeps of who looked (GDPR accountability, as the console does)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from cetate.accounts.models import User
from cetate.contacts.failing import forget_failure
from cetate.contacts.models import Contact, PersonalDataView
from cetate.contacts.services import record_personal_data_view


class PersonalDataAdmin(admin.ModelAdmin[Any]):
    """An admin whose pages show residents' personal data: each page shown is recorded.

    A list records one view without a contact; an object's page records a view of the
    contact it shows (`contact_of`).
    """

    def contact_of(self, obj: Any) -> Contact | None:
        return None

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and response.status_code == 200:
            self._record(request, None, f"admin: list of {self.opts.model_name}")
        return response

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if object_id is not None and request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                self._record(
                    request, self.contact_of(obj), f"admin: {self.opts.model_name} {obj.pk}"
                )
        return response

    def _record(self, request: HttpRequest, contact: Contact | None, what: str) -> None:
        user = request.user
        if isinstance(user, User):
            record_personal_data_view(user=user, contact=contact, what=what)


@admin.register(Contact)
class ContactAdmin(PersonalDataAdmin):
    list_display = [
        "name",
        "kind",
        "email",
        "phone",
        "preferred_channel",
        "merged_into",
        "restricted_at",
        "anonymised_at",
    ]
    list_filter = ["kind", "preferred_channel", "is_demo"]
    search_fields = ["name", "email", "phone", "phone_as_typed"]
    # Contacts are joined on the case card, by staff who checked who the resident is, so that
    # each case records it.
    readonly_fields = [
        "merged_into",
        "restricted_at",
        "restriction_note",
        "anonymised_at",
        "email_failed_at",
        "email_failure",
    ]

    def contact_of(self, obj: Any) -> Contact | None:
        return obj if isinstance(obj, Contact) else None

    def save_model(self, request: HttpRequest, obj: Contact, form: Any, change: bool) -> None:
        # A corrected address is mailed again: what failed was the old one.
        if change and "email" in form.changed_data:
            forget_failure(obj)
        super().save_model(request, obj, form, change)


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(admin.ModelAdmin[PersonalDataView]):
    list_display = ["at", "user", "contact", "what"]
    list_filter = ["user"]
    date_hierarchy = "at"

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
