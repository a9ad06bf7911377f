"""A case registered by another of the city's systems, and the resident it is for."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cetate.cases.authorship import Author, Missing, author_refusal
from cetate.cases.choices import Kind, Priority
from cetate.cases.services.intake import DESCRIPTION_LIMIT
from cetate.contacts.models import AnswerChannel, Contact
from cetate.directory.models import Category


class CallerSerializer(serializers.Serializer[Any]):
    """The resident as the calling system took them down: a new contact of their own, unless
    `contact` names the known one they were checked to be."""

    kind = serializers.ChoiceField(
        choices=Contact.Kind.choices,
        required=False,
        default=Contact.Kind.PERSON,
        help_text="A person, or an organisation writing in its own name.",
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    postal_address = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )
    preferred_channel = serializers.ChoiceField(
        choices=AnswerChannel.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="How the resident wants the answer; empty: from what they gave.",
    )


class CaseCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Kind.choices)
    description = serializers.CharField(max_length=DESCRIPTION_LIMIT)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text="A category, not a group; required for a report of a problem.",
    )
    reporter = CallerSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text="Who the case is from. A request, complaint, proposal or public-information "
        "request needs `name` and an address to answer to, `email` or `postal_address` (OG "
        "27/2002 art. 7, Law 544/2001 art. 6; a phone alone is not enough). A report needs an "
        "email, phone or postal address unless its category accepts anonymous reports; a "
        "question needs nothing. Null, or nothing but a name: anonymous.",
    )
    contact = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.filter(merged_into__isnull=True),
        required=False,
        allow_null=True,
        default=None,
        help_text="A known contact that the calling system or its user checked the resident is "
        "(recorded on the case as an identity check); `reporter` then only fills in what it "
        "lacks. Without it the resident gets a contact of their own, whatever email or phone "
        "they share with a known one.",
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    priority = serializers.ChoiceField(
        choices=Priority.choices, required=False, default=Priority.NORMAL
    )
    latitude = serializers.FloatField(
        required=False, allow_null=True, default=None, min_value=-90, max_value=90
    )
    longitude = serializers.FloatField(
        required=False, allow_null=True, default=None, min_value=-180, max_value=180
    )
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    answers = serializers.DictField(
        required=False,
        default=dict,
        help_text="Answers to the category's questions, by question code.",
    )
    language = serializers.ChoiceField(
        choices=["ro", "en"], required=False, default="ro", help_text="The resident's language."
    )
    answer_on_spot = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A question (inquiry) answered at first contact: registered and closed at once.",
    )
    route_now = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Assign at once to the department the routing rules give.",
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if (data["latitude"] is None) != (data["longitude"] is None):
            raise serializers.ValidationError(
                {"longitude": _("Give both the latitude and the longitude, or neither.")}
            )
        reporter = data["reporter"] or {}
        refusal = author_refusal(data["kind"], data["category"], _author(reporter, data["contact"]))
        if refusal is not None:
            address = "postal_address" if reporter.get("preferred_channel") == "post" else "email"
            fields = {Missing.NAME: "name", Missing.ADDRESS: address}
            if Missing.CONTACT in refusal.missing:
                raise serializers.ValidationError({"reporter": [refusal.message]}, code="required")
            raise serializers.ValidationError(
                {"reporter": {fields[what]: [reason] for what, reason in refusal.reasons.items()}},
                code="required",
            )
        return data


def _author(reporter: dict[str, Any], known: Contact | None) -> Author:
    """The author the case will have: a known contact, completed with what `reporter` adds."""
    return Author(
        name=(known.name if known else "") or reporter.get("name", ""),
        email=(known.email if known else "") or reporter.get("email", ""),
        phone=(known.phone if known else "") or reporter.get("phone", ""),
        postal_address=(known.postal_address if known else "")
        or reporter.get("postal_address", ""),
    )


class ContactSerializer(serializers.ModelSerializer[Contact]):
    class Meta:
        model = Contact
        fields = [
            "id",
            "kind",
            "name",
            "email",
            "phone",
            "phone_as_typed",
            "postal_address",
            "preferred_channel",
            "language",
            "merged_into",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
