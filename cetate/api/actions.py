"""Every action the API offers on a case, each calling one case service.

An action is posted to /api/v1/cases/{id}/actions/{name}/ with its input; the user acts with
their own roles on that case, which the service checks against the transition table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from cetate.accounts.access import visible_cases
from cetate.accounts.models import User
from cetate.api.serializers import actions as inputs
from cetate.api.serializers.cases import (
    AttachmentSerializer,
    CaseSerializer,
    EventSerializer,
    ResolvedSerializer,
)
from cetate.cases import services
from cetate.cases.models import Attachment, Case, Event
from cetate.cases.services import AnsweredTogether
from cetate.cases.uploads import Upload
from cetate.cases.workflow import Action

Perform = Callable[[User, Case, dict[str, Any]], Case | Event | Attachment | AnsweredTogether]


@dataclass(frozen=True)
class CaseAction:
    name: str
    summary: str
    input: type[serializers.Serializer[Any]]
    perform: Perform
    output: type[serializers.Serializer[Any]] = CaseSerializer
    created: bool = False
    multipart: bool = False


def _status(action: Action) -> Perform:
    def perform(user: User, case: Case, data: dict[str, Any]) -> Case:
        return services.change_status(
            case_id=case.pk, actor=user, action=action, text=data["text"], seen=data["seen"]
        )

    return perform


def _assign(user: User, case: Case, data: dict[str, Any]) -> Case:
    return services.assign(
        case_id=case.pk,
        actor=user,
        department=data["department"],
        assignee=data["assignee"],
        note=data["note"],
        seen=data["seen"],
    )


def _accept(user: User, case: Case, data: dict[str, Any]) -> Case:
    return services.accept(case_id=case.pk, actor=user, seen=data["seen"])


def _redirect(user: User, case: Case, data: dict[str, Any]) -> Case:
    return services.redirect(
        case_id=case.pk, actor=user, to=data["to"], reason=data["reason"], seen=data["seen"]
    )


def _visible(user: User, case_id: int, field: str) -> None:
    """Only a case the user may see can be named, as if the others did not exist."""
    if not visible_cases(user).filter(pk=case_id).exists():
        raise serializers.ValidationError(
            {field: _("There is no such case among those you can see.")}, code="does_not_exist"
        )


def _merge(user: User, case: Case, data: dict[str, Any]) -> Case:
    _visible(user, data["into"], "into")
    return services.merge(
        case_id=case.pk,
        into_case_id=data["into"],
        actor=user,
        reason=data["reason"],
        seen=data["seen"],
    )


def _link(user: User, case: Case, data: dict[str, Any]) -> Case:
    _visible(user, data["other"], "other")
    services.link_cases(
        case_id=case.pk,
        other_case_id=data["other"],
        actor=user,
        reason=data["reason"],
        seen=data["seen"],
    )
    return Case.objects.get(pk=case.pk)


def _unlink(user: User, case: Case, data: dict[str, Any]) -> Case:
    _visible(user, data["other"], "other")
    return services.unlink_cases(
        case_id=case.pk, other_case_id=data["other"], actor=user, seen=data["seen"]
    )


def _resolve(user: User, case: Case, data: dict[str, Any]) -> AnsweredTogether:
    for other in data["linked_cases"]:
        _visible(user, other, "linked_cases")
    return services.resolve_together(
        case_id=case.pk,
        actor=user,
        answer=data["text"],
        linked_case_ids=data["linked_cases"],
        decision=services.Decision(
            outcome=data["outcome"],
            legal_basis=data["legal_basis"],
            information_topic=data["information_topic"],
            late_reason=data["late_reason"],
        ),
        seen=data["seen"],
    )


def _reopen(user: User, case: Case, data: dict[str, Any]) -> Case:
    return services.reopen(case_id=case.pk, actor=user, reason=data["reason"], seen=data["seen"])


def _cancel(user: User, case: Case, data: dict[str, Any]) -> Case:
    return services.cancel_registration(
        case_id=case.pk, actor=user, reason=data["reason"], seen=data["seen"]
    )


def _extend(user: User, case: Case, data: dict[str, Any]) -> Case:
    return services.extend_deadline(
        case_id=case.pk, actor=user, days=data["days"], notice=data["notice"], seen=data["seen"]
    )


def _correct(user: User, case: Case, data: dict[str, Any]) -> Case:
    return services.correct_details(
        case_id=case.pk,
        actor=user,
        category=data["category"],
        priority=data["priority"],
        title=data["title"],
        seen=data["seen"],
    )


def _relocate(user: User, case: Case, data: dict[str, Any]) -> Case:
    return services.relocate(
        case_id=case.pk,
        actor=user,
        latitude=data["latitude"],
        longitude=data["longitude"],
        address=data["address"],
        seen=data["seen"],
    )


def _note(user: User, case: Case, data: dict[str, Any]) -> Event:
    return services.add_note(case_id=case.pk, actor=user, text=data["text"], seen=data["seen"])


def _message(user: User, case: Case, data: dict[str, Any]) -> Event:
    return services.message_resident(
        case_id=case.pk, actor=user, text=data["text"], seen=data["seen"]
    )


def _attach(user: User, case: Case, data: dict[str, Any]) -> Attachment:
    file = data["file"]
    return services.add_attachment(
        case_id=case.pk,
        actor=user,
        upload=Upload(name=file.name or "document", content=file.read()),
        public=data["public"],
        seen=data["seen"],
    )


ACTIONS: tuple[CaseAction, ...] = (
    CaseAction(
        "assign",
        "Route to a department, optionally to one of its officers",
        inputs.AssignInput,
        _assign,
    ),
    CaseAction(
        "accept", "Take a case of your department nobody holds yet", inputs.ActionInput, _accept
    ),
    CaseAction("start", "Start work", inputs.TextInput, _status(Action.START)),
    CaseAction(
        "wait",
        "Wait for the resident or a third party",
        inputs.RequiredTextInput,
        _status(Action.WAIT),
    ),
    CaseAction("resume", "Resume work", inputs.TextInput, _status(Action.RESUME)),
    CaseAction(
        "resolve",
        "Resolve, with the answer sent; optionally to linked cases too",
        inputs.ResolveInput,
        _resolve,
        output=ResolvedSerializer,
    ),
    CaseAction("close", "Close a resolved case", inputs.TextInput, _status(Action.CLOSE)),
    CaseAction(
        "answer-on-spot",
        "Answer a question (inquiry) and close it",
        inputs.RequiredTextInput,
        _status(Action.ANSWER_ON_SPOT),
    ),
    CaseAction(
        "reject",
        "Reject as inadmissible, with the reason",
        inputs.RequiredTextInput,
        _status(Action.REJECT),
    ),
    CaseAction(
        "redirect",
        "Send to an external organisation or another department",
        inputs.RedirectInput,
        _redirect,
    ),
    CaseAction(
        "merge",
        "Merge into an earlier case of the same petitioner on the same matter",
        inputs.MergeInput,
        _merge,
    ),
    CaseAction(
        "link",
        "Link another resident's case about the same problem",
        inputs.LinkInput,
        _link,
    ),
    CaseAction("unlink", "Remove the link to another case", inputs.UnlinkInput, _unlink),
    CaseAction("reopen", "Reopen a resolved or closed case", inputs.ReasonInput, _reopen),
    CaseAction("cancel", "Cancel a registration made in error", inputs.ReasonInput, _cancel),
    CaseAction("extend-deadline", "Extend the legal deadline once", inputs.ExtendInput, _extend),
    CaseAction("correct", "Correct category, priority or summary", inputs.CorrectInput, _correct),
    CaseAction(
        "relocate", "Move the case's point and set its address", inputs.RelocateInput, _relocate
    ),
    CaseAction(
        "note",
        "Add an internal note",
        inputs.RequiredTextInput,
        _note,
        output=EventSerializer,
        created=True,
    ),
    CaseAction(
        "message",
        "Write to the resident",
        inputs.RequiredTextInput,
        _message,
        output=EventSerializer,
        created=True,
    ),
    CaseAction(
        "attach",
        "Attach a document",
        inputs.AttachInput,
        _attach,
        output=AttachmentSerializer,
        created=True,
        multipart=True,
    ),
)
