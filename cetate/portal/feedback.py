"""The resident answers "is your problem solved?" from the resolution mail or the tracking page.

Opening the page changes nothing, because mail scanners open every link in a message: the
answer counts only when the resident sends the form.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from cetate.cases.choices import EventKind, Feedback
from cetate.cases.errors import DomainError
from cetate.cases.models import Case, Event
from cetate.cases.services import feedback_refusal, record_feedback
from cetate.cases.workflow import Status
from cetate.lib.outage import (
    RETRY_AFTER_SECONDS,
    OutcomeUnknown,
    RegisterUnreachable,
    keeps_input,
    not_registered_message,
    outcome_unknown_message,
    write_reliably,
)
from cetate.lib.ratelimit import rate_limited
from cetate.portal.tracking import PLAIN_STATUS, case_by_code

# The answer as it appears in the links of the mail.
ANSWER_OF_SLUG = {"satisfied": Feedback.SATISFIED, "not-resolved": Feedback.NOT_RESOLVED}
COMMENT_MAX_LENGTH = 2000


class FeedbackForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Is your problem solved?"),
        choices=[
            (Feedback.SATISFIED.value, _("Yes, it is solved")),
            (Feedback.NOT_RESOLVED.value, _("No, it is not solved")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    comment = forms.CharField(
        label=_("Anything else you want to tell us? (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 4, "maxlength": COMMENT_MAX_LENGTH, "aria-describedby": "comment-hint"}
        ),
    )


def _outcome(case: Case) -> str:
    """What the answer did to the case: closed, flagged for the supervisor, or reopened."""
    if case.status == Status.CLOSED:
        return "closed"
    if case.status == Status.RESOLVED:
        return "flagged"
    return "reopened"


def _refused(request: HttpRequest, case: Case, reason: str, *, status: int) -> HttpResponse:
    context = {"case": case, "reason": reason, "plain_status": PLAIN_STATUS[Status(case.status)]}
    return render(request, "portal/feedback_refused.html", context, status=status)


@keeps_input(FeedbackForm, "comment")
@require_http_methods(["GET", "POST"])
@rate_limited("feedback", limit=20)
def give_feedback(request: HttpRequest, code: str, answer: str) -> HttpResponse:
    """The question with the mail's answer preselected (GET); the answer recorded (POST)."""
    preselected = ANSWER_OF_SLUG.get(answer)
    case = case_by_code(code)
    if preselected is None or case is None:
        raise Http404
    refusal = feedback_refusal(case)
    if refusal:
        # Reading the page again is fine; sending a second answer conflicts with the first.
        return _refused(request, case, refusal, status=409 if request.method == "POST" else 200)
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            answered, seen = case.pk, case.last_event_seq
            try:
                case = write_reliably(
                    request,
                    lambda: record_feedback(
                        case_id=answered,
                        satisfied=form.cleaned_data["answer"] == Feedback.SATISFIED,
                        comment=form.cleaned_data["comment"],
                    ),
                    committed=lambda _case: Event.objects.filter(
                        case_id=answered, kind=EventKind.FEEDBACK, seq__gt=seen
                    ).exists(),
                )
            except DomainError as refused:
                case.refresh_from_db()
                return _refused(request, case, str(refused), status=409)
            except RegisterUnreachable as unreachable:
                unknown = isinstance(unreachable, OutcomeUnknown)
                message = outcome_unknown_message() if unknown else not_registered_message()
                context = {
                    "case": case,
                    "form": form,
                    "not_resolved": form.cleaned_data["answer"] == Feedback.NOT_RESOLVED,
                    "unreachable": message,
                }
                response = render(request, "portal/feedback.html", context, status=503)
                response["Retry-After"] = str(RETRY_AFTER_SECONDS)
                return response
            context = {"case": case, "outcome": _outcome(case)}
            return render(request, "portal/feedback_done.html", context)
    else:
        form = FeedbackForm(initial={"answer": preselected.value})
    context = {"case": case, "form": form, "not_resolved": preselected == Feedback.NOT_RESOLVED}
    return render(request, "portal/feedback.html", context)
