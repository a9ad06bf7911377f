"""Cases, their events and attachments as the API shows them, and the list's filters."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cetate.accounts.models import User
from cetate.cases.choices import Channel, Feedback, InformationTopic, Kind, Outcome
from cetate.cases.deadlines import DeadlineState, case_deadline_state
from cetate.cases.models import Attachment, Case, Event, linked_case_ids
from cetate.cases.services import AnsweredTogether, CaseOutcome
from cetate.cases.workflow import Status
from cetate.contacts.models import AnswerChannel
from cetate.lib import clock

MAX_ID = 2**63 - 1


class PersonSerializer(serializers.ModelSerializer[User]):
    """A member of staff as a case names them."""

    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name"]


class CaseSerializer(serializers.ModelSerializer[Case]):
    number = serializers.CharField(read_only=True, help_text="Registration number, N/YYYY.")
    assignee = PersonSerializer(read_only=True, allow_null=True)
    feedback = serializers.ChoiceField(
        choices=Feedback.choices,
        allow_blank=True,
        read_only=True,
        help_text="The resident's answer after the resolution; empty until they give it.",
    )
    linked_cases = serializers.SerializerMethodField(
        help_text="Ids of other residents' cases about the same problem, handled together."
    )
    outcome = serializers.ChoiceField(
        choices=Outcome.choices,
        allow_blank=True,
        read_only=True,
        help_text="What the city decided; empty until it is answered, rejected or redirected.",
    )
    information_topic = serializers.ChoiceField(
        choices=InformationTopic.choices,
        allow_blank=True,
        read_only=True,
        help_text="A public-information request's subject area, recorded with its answer.",
    )
    sent_by = serializers.ChoiceField(
        choices=AnswerChannel.choices,
        allow_blank=True,
        read_only=True,
        help_text="How the answer left the city hall; empty until its exit is recorded.",
    )
    legal_basis: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="The code of the legal basis the answer stated; null while unanswered.",
    )
    deadline_state = serializers.SerializerMethodField(
        help_text="The worse of the legal deadline's and the service target's state; "
        '"none" for a case no longer open.'
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "registration_year",
            "registration_number",
            "registered_at",
            "tracking_code",
            "kind",
            "channel",
            "answer_channel",
            "language",
            "status",
            "status_changed_at",
            "priority",
            "title",
            "description",
            "answers",
            "category",
            "department",
            "assignee",
            "area",
            "latitude",
            "longitude",
            "address",
            "reporter",
            "entered_by",
            "redirected_to",
            "merged_into",
            "linked_cases",
            "legal_due",
            "internal_due",
            "legal_extended_days",
            "service_due",
            "deadline_state",
            "resolved_at",
            "answer",
            "outcome",
            "legal_basis",
            "information_topic",
            "answered_on_time",
            "late_reason",
            "sent_at",
            "sent_by",
            "sent_to",
            "feedback",
            "feedback_at",
            "updates_stopped_at",
            "last_event_seq",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "last_event_seq": {
                "help_text": "Send it back as `seen` with an action: a change made meanwhile "
                "by someone else is then refused (409) rather than overwritten."
            },
            "reporter": {"help_text": "The resident's contact: read it at /contacts/{id}/."},
            "internal_due": {
                "help_text": "The date the city promised to answer by, never later than "
                "`legal_due`, the law's latest date; `deadline_state` follows `legal_due`."
            },
            "updates_stopped_at": {
                "help_text": "When the resident stopped the optional news by email; the "
                "answer and the notices the law requires are sent all the same."
            },
        }

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_linked_cases(self, case: Case) -> list[int]:
        return linked_case_ids(case)

    @extend_schema_field(serializers.ChoiceField(choices=[s.value for s in DeadlineState]))
    def get_deadline_state(self, case: Case) -> str:
        return case_deadline_state(
            is_open=case.is_open,
            due=case.legal_due,
            service_due=case.service_due,
            now=clock.now(),
        ).value


class LinkedOutcomeSerializer(serializers.Serializer[CaseOutcome]):
    case_id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)
    done = serializers.BooleanField(read_only=True, help_text="Resolved with the same answer.")
    reason = serializers.CharField(read_only=True, help_text="Why not, when it was not.")


class ResolvedSerializer(CaseSerializer):
    """The case resolved, and what became of each linked case its answer was sent to."""

    linked_outcomes = LinkedOutcomeSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "linked_outcomes"]
        read_only_fields = fields

    def to_representation(self, instance: Any) -> dict[str, Any]:
        together = (
            instance if isinstance(instance, AnsweredTogether) else AnsweredTogether(instance, ())
        )
        data: dict[str, Any] = dict(CaseSerializer(together.case).data)
        data["linked_outcomes"] = [
            LinkedOutcomeSerializer(outcome).data for outcome in together.outcomes
        ]
        return data


class EventSerializer(serializers.ModelSerializer[Event]):
    actor = PersonSerializer(read_only=True, allow_null=True)
    from_status = serializers.ChoiceField(choices=Status.choices, allow_blank=True, read_only=True)
    to_status = serializers.ChoiceField(choices=Status.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Event
        fields = [
            "seq",
            "kind",
            "at",
            "actor",
            "from_status",
            "to_status",
            "public",
            "text",
            "data",
        ]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "public", "created_at"]
        read_only_fields = fields


class EventQuerySerializer(serializers.Serializer[Any]):
    after = serializers.IntegerField(
        required=False, min_value=0, max_value=MAX_ID, help_text="Only events numbered above."
    )
    public = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Only public or only internal."
    )


ASSIGNED_TO_ME = "me"
ASSIGNED_TO_NOBODY = "nobody"


class CaseFilterSerializer(serializers.Serializer[Any]):
    """The list's filters, all optional; every one given must match."""

    status = serializers.MultipleChoiceField(
        choices=Status.choices, required=False, help_text="Repeat for several; none: every status."
    )
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    category = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="A category, or a group with all its categories.",
    )
    department = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    area = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="An area with every area it covers (the city holds its neighbourhoods).",
    )
    assignee = serializers.RegexField(
        r"^(me|nobody|[1-9][0-9]{0,17})$",
        required=False,
        help_text='A staff member\'s id, "me" or "nobody".',
    )
    number = serializers.RegexField(
        r"^[0-9]{1,9}(/[0-9]{4})?$", required=False, help_text="Registration number, N or N/YYYY."
    )
    registered_after = serializers.DateTimeField(
        required=False, help_text="Registered at or after this moment."
    )
    registered_before = serializers.DateTimeField(
        required=False, help_text="Registered before this moment."
    )
    updated_after = serializers.DateTimeField(
        required=False, help_text="Changed at or after this moment (for synchronising)."
    )
    deadline = serializers.ChoiceField(
        choices=[s.value for s in DeadlineState],
        required=False,
        help_text="Deadline state, as `deadline_state` shows it.",
    )
    ordering = serializers.ChoiceField(
        choices=["-id", "id"],
        required=False,
        default="-id",
        help_text="-id: newest registration first (default); id: oldest first.",
    )
