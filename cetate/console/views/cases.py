"""The case card: everything about one case, and the actions the user may take on it now.

The card's forms post back to the card (an `action` field names the form); a success redirects
to the card with a message, a refusal draws the card again with the form as it was filled in.
Attachments are downloaded from the card's own address (`?attachment=<id>`), behind the same
access check; photos are also shown, previewed and larger, by `views/photos.py`. The forms come
in the order of the likely next step (`case_forms.in_likely_order`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cetate.accounts.access import access_case, access_contact
from cetate.accounts.decorators import staff_required
from cetate.accounts.models import User
from cetate.cases import services
from cetate.cases.answers import labelled_answers
from cetate.cases.deadlines import DEADLINE_STATE_LABELS, case_deadline_state
from cetate.cases.errors import DomainError
from cetate.cases.letter import letters_of
from cetate.cases.models import Case, linked_cases
from cetate.cases.publication import public_view, why_not_public
from cetate.cases.services import StaleCase
from cetate.cases.thumbnails import is_photo
from cetate.cases.workflow import Permission
from cetate.console.case_forms import ACTIONS, CardForm, in_likely_order
from cetate.console.case_story import history
from cetate.console.telling import how_told
from cetate.contacts.services import record_personal_data_view
from cetate.lib import clock
from cetate.open311.intake import photo_link
from cetate.ops.body_limits import accepts_files

RELATED = (
    "contests",
    "category__parent",
    "department",
    "assignee",
    "entered_by",
    "area",
    "redirected_to",
    "merged_into",
    "reporter",
)


@accepts_files(1)
@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_card(request: HttpRequest, case_id: int) -> HttpResponse:
    """The full case: its facts, resident, documents and history, and the allowed actions."""
    user: User = request.user  # type: ignore[assignment]
    case = access_case(user, case_id)
    if request.method == "POST":
        return _act(request, user, case)
    if "attachment" in request.GET:
        return _download(user, case, request.GET["attachment"])
    if request.method == "GET":
        # Before the card is drawn: a reply cleared here is one the card shows.
        services.mark_reply_read(case_id=case.pk, reader=user)
    return _card(request, user, case)


def _act(request: HttpRequest, user: User, case: Case) -> HttpResponse:
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return HttpResponseBadRequest(_("Unknown action."))
    if not action.permitted(user, case):
        raise PermissionDenied
    form = action(request.POST, request.FILES, case=case, user=user)
    if form.is_valid():
        try:
            done = form.submit()
        except StaleCase as stale:
            fresh = access_case(user, case.pk)
            # What the user typed is kept; the form now stands on the case as it is.
            data = request.POST.copy()
            data[f"{action.name}-seen"] = str(fresh.last_event_seq)
            form = action(data, request.FILES, case=fresh, user=user)
            return _card(request, user, fresh, failed=form, stale=str(stale), status=409)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            for warning in form.warnings:
                messages.warning(request, warning)
            # To the result, in view above the form that was used (console/result.js).
            return redirect(reverse("console:case", args=[case.pk]) + "#result")
    if "seen" in form.errors:
        # Every form of the card says what its user saw; a post without it did not come from one.
        return HttpResponseBadRequest(_("The form is incomplete; open the case again."))
    fresh = access_case(user, case.pk)
    return _card(request, user, fresh, failed=form, status=200)


def _download(user: User, case: Case, attachment_id: str) -> HttpResponse:
    attachment = (
        case.attachments.filter(pk=attachment_id).first() if attachment_id.isdigit() else None
    )
    if attachment is None:
        raise Http404
    record_personal_data_view(
        user=user,
        contact=case.reporter,
        what=f"case {case.number} attachment {attachment.pk}",
    )
    # Attachments are at most ATTACHMENT_MAX_MB: read whole, they need no streaming.
    with attachment.file.open("rb") as file:
        response = HttpResponse(file.read(), content_type=attachment.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=attachment.original_name)
        or "attachment"
    )
    return response


def _card(
    request: HttpRequest,
    user: User,
    case: Case,
    *,
    failed: CardForm | None = None,
    stale: str = "",
    status: int = 200,
) -> HttpResponse:
    case = Case.objects.select_related(*RELATED).get(pk=case.pk)
    contact = None
    if case.reporter_id is not None:
        contact = access_contact(user, case.reporter_id)
        record_personal_data_view(user=user, contact=contact, what=f"case card {case.number}")
    state = case_deadline_state(
        is_open=case.is_open,
        due=case.internal_due,
        service_due=case.service_due,
        now=clock.now(),
    )
    offered = _offered(user, case, failed)
    attachments = list(case.attachments.select_related("uploaded_by"))
    context = {
        "case": case,
        "contact": contact,
        "deadline_state": state.value,
        "deadline_label": DEADLINE_STATE_LABELS[state],
        "answers": labelled_answers(case),
        "photo_link": photo_link(case),
        "attachments": attachments,
        "photos": [a for a in attachments if is_photo(a)],
        "mail_messages": list(case.inbound_messages.exclude(raw="").order_by("received_at")),
        "letters": letters_of(case),
        "merged_cases": list(case.merged_cases.order_by("registered_at")),
        "complaints": list(case.administrative_complaints.order_by("registered_at", "id")),
        "linked": list(
            linked_cases(case)
            .select_related("category__parent")
            .order_by("registration_year", "registration_number")
        ),
        "may_unlink": services.may(user, case, Permission.LINK),
        "telling": how_told(case),
        "history": history(case),
        "public_view": public_view(case),
        "public_reason": why_not_public(case),
        "offered": offered,
        "failed": failed,
        "stale": stale,
        "map_tiles": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    return render(request, "console/case.html", context, status=status)


def _offered(user: User, case: Case, failed: CardForm | None) -> list[CardForm]:
    """The card's forms in their order: those the user may use now, and the one that failed."""
    offered: list[CardForm] = []
    for action in ACTIONS.values():
        if failed is not None and type(failed) is action:
            offered.append(failed)
        elif action.offered(user, case):
            offered.append(action(case=case, user=user, initial={"seen": case.last_event_seq}))
    return in_likely_order(offered, case.status)
