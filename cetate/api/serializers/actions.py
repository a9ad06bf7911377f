"""The input of each action on a case. Every one takes `seen`, the case's `last_event_seq`
when the caller last read it: a change made meanwhile by someone else is then refused (409)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cetate.accounts.models import User
from cetate.api.serializers.cases import MAX_ID
from cetate.cases.choices import InformationTopic, Outcome, Priority
from cetate.directory.models import Category, Department


class ActionInput(serializers.Serializer[Any]):
    seen = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        max_value=MAX_ID,
        help_text="The case's last_event_seq when you read it; omit to skip the check.",
    )


class TextInput(ActionInput):
    text = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Shown to the resident."
    )


class RequiredTextInput(ActionInput):
    text = serializers.CharField(help_text="Shown to the resident, except for a note.")


class ReasonInput(ActionInput):
    reason = serializers.CharField()


class AssignInput(ActionInput):
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(kind=Department.Kind.INTERNAL, is_active=True)
    )
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text="An officer of the department; null: the department's queue.",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RedirectInput(ActionInput):
    to = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_active=True),
        help_text="An external organisation (the case leaves the city, the resident is told) "
        "or another city hall department (the case is re-routed, deadlines kept).",
    )
    reason = serializers.CharField()


class MergeInput(ActionInput):
    into = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The id of the earlier, open case."
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class LinkInput(ActionInput):
    other = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text="The id of another resident's case about the same problem.",
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Internal: residents never see it."
    )


class UnlinkInput(ActionInput):
    other = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The id of the linked case."
    )


class ResolveInput(ActionInput):
    text = serializers.CharField(help_text="The answer, sent to the resident.")
    outcome = serializers.ChoiceField(
        choices=[
            (o.value, o.label) for o in (Outcome.GRANTED, Outcome.PARTLY_GRANTED, Outcome.REFUSED)
        ],
        help_text="What the city decided.",
    )
    legal_basis = serializers.SlugField(
        max_length=60,
        help_text="The code of the legal basis the answer states, e.g. og27-granted or "
        "l544-art12-d: one of the active legal bases for the case's kind and the outcome, as "
        "the administration lists them.",
    )
    information_topic = serializers.ChoiceField(
        choices=InformationTopic.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="For a public-information request: its subject area (Law 544/2001 report).",
    )
    late_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the answer comes after its term; required for a refusal of public "
        "information after its 5 days (Law 544/2001 art. 7 (2)).",
    )
    linked_cases = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=100,
        help_text="Ids of linked cases resolved with the same answer too, each on its own: "
        "every resident is told on their own case. Those that cannot be resolved are listed "
        "in the response's `linked_outcomes`.",
    )


class ExtendInput(ActionInput):
    days = serializers.IntegerField(min_value=1, max_value=365)
    notice = serializers.CharField(help_text="The notice the law requires sent to the resident.")


class CorrectInput(ActionInput):
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True), required=False, default=None
    )
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, default=None)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default=None)


class RelocateInput(ActionInput):
    latitude = serializers.FloatField(allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(allow_null=True, min_value=-180, max_value=180)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if (data["latitude"] is None) != (data["longitude"] is None):
            raise serializers.ValidationError(
                {"longitude": _("Give both the latitude and the longitude, or neither.")}
            )
        return data


class AttachInput(ActionInput):
    file = serializers.FileField(help_text="An image (JPEG, PNG, WebP) or a PDF.")
    public = serializers.BooleanField(
        required=False, default=False, help_text="Published to the resident."
    )
