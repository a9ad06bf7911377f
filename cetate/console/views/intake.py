"""Registering a call (and, with the same form, a walk-in): the dispatcher's main screen."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cetate.accounts.access import access_intake
from cetate.accounts.decorators import staff_required
from cetate.accounts.models import User
from cetate.cases.answers import InvalidAnswers
from cetate.cases.choices import Channel
from cetate.cases.errors import DomainError
from cetate.cases.filestore import StoredFile, written_first
from cetate.cases.models import Case
from cetate.cases.services.admission import PAPER_CHANNELS, UnidentifiedAuthor
from cetate.cases.uploads import FILES_PER_SUBMISSION, Upload
from cetate.console.intake_forms import IntakeForm, PaperIntakeForm, registered_message
from cetate.console.map_config import map_config
from cetate.contacts.services import find_contacts, record_personal_data_view
from cetate.directory.catalogue import search_categories
from cetate.directory.gazetteer import find_address, nearest_street
from cetate.intake.staff import register_at_console
from cetate.lib.arguments import record_id
from cetate.lib.geo import valid_coordinates
from cetate.lib.outage import (
    RETRY_AFTER_SECONDS,
    OutcomeUnknown,
    RegisterUnreachable,
    keeps_input,
    not_registered_message,
    outcome_unknown_message,
    write_reliably,
)
from cetate.ops.body_limits import accepts_files
from cetate.telephony.caller_cards import caller_card
from cetate.telephony.models import Call

# What the dispatcher or clerk typed comes back when the register cannot be reached.
keeps_intake_input = keeps_input(
    PaperIntakeForm,
    "description",
    "title",
    "name",
    "phone",
    "email",
    "postal_address",
    "address",
    "answer_given",
    "sender_reference",
    files="documents",
)


@accepts_files(FILES_PER_SUBMISSION)
@keeps_intake_input
@staff_required
@require_http_methods(["GET", "POST"])
def phone_intake(request: HttpRequest) -> HttpResponse:
    """A call, registered in one screen; the caller's number brings up what the city knows."""
    return intake_page(request, channel=Channel.PHONE)


def intake_page(request: HttpRequest, *, channel: Channel) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    access_intake(user)
    status = 200
    on_paper = channel in PAPER_CHANNELS
    form_class = PaperIntakeForm if on_paper else IntakeForm
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            attachments = _uploads(request)
            paper = form if isinstance(form, PaperIntakeForm) else None

            def register(attachments: Sequence[Upload | StoredFile]) -> Case:
                return register_at_console(
                    actor=user,
                    channel=channel,
                    kind=form.cleaned_data["kind"],
                    description=form.cleaned_data["description"],
                    caller=form.caller,
                    category=form.cleaned_data["category"],
                    title=form.cleaned_data["title"],
                    latitude=form.cleaned_data["latitude"],
                    longitude=form.cleaned_data["longitude"],
                    address=form.cleaned_data["address"],
                    priority=form.cleaned_data["priority"],
                    answers=form.answers,
                    attachments=attachments,
                    answer_on_spot=form.cleaned_data["answer_given"].strip() or None,
                    route_now=form.cleaned_data["route_now"],
                    call_id=form.cleaned_data["call"],
                    known_contact=form.checked_contact,
                    language=get_language() or "ro",
                    contests=form.cleaned_data["contests"],
                    details=paper.details if paper else None,
                    file_unidentified=bool(paper and paper.cleaned_data["file_unidentified"]),
                )

            try:
                # The files go to storage before the case's transaction opens.
                with written_first(attachments) as files:
                    case = write_reliably(
                        request, lambda: register(files), committed=_is_registered
                    )
            except InvalidAnswers as refusal:
                form.show_answer_errors(refusal.errors)
            except UnidentifiedAuthor as refusal:
                form.show_author_refusal(refusal.refusal)
            except DomainError as refusal:
                form.add_error(None, str(refusal))
            except OutcomeUnknown as unknown:
                form.add_error(None, outcome_unknown_message(unknown.attempt.tracking_code))
                status = 503
            except RegisterUnreachable:
                form.add_error(None, not_registered_message())
                status = 503
            else:
                if channel == Channel.PHONE:
                    # The number and tracking code, to read out to the caller: the page's heading
                    # says it was registered.
                    return redirect("console:registered", case_id=case.pk)
                messages.success(request, registered_message(case))
                if channel == Channel.DESK and not case.outcome:
                    return redirect("console:receipt", case_id=case.pk)
                return redirect("console:case", case_id=case.pk)
    else:
        form = form_class(initial=_initial(request))
    if channel == Channel.DESK:
        # At the desk the author stands in front of the clerk.
        form.fields["contact_kind"].label = _("The visitor is")
    phone = form["phone"].value() or ""
    response = render(
        request,
        "console/intake.html",
        {
            "form": form,
            "channel": channel,
            "is_desk": channel == Channel.DESK,
            "is_post": channel == Channel.POST,
            "on_paper": on_paper,
            "caller": _caller_context(user, str(phone), chosen=form["known_contact"].value())
            if phone
            else None,
            "map_config": map_config(nearest=reverse("console:nearest_street")),
        },
        status=status,
    )
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _is_registered(case: Case) -> bool:
    return Case.objects.filter(tracking_code=case.tracking_code).exists()


def _initial(request: HttpRequest) -> dict[str, Any]:
    """A form prefilled from the call on screen (?call=) or a number (?phone=)."""
    initial: dict[str, Any] = {"route_now": True}
    call_param = request.GET.get("call", "")
    call_id = record_id(call_param)
    call = Call.objects.select_related("contact").filter(pk=call_id).first() if call_id else None
    if call_param and call is None:
        messages.warning(request, _("This call was not found in the call log."))
    if call is not None:
        initial["call"] = call.pk
        initial["phone"] = call.resident_number
        if call.contact is not None:
            initial["name"] = call.contact.name
            initial["email"] = call.contact.email
            initial["postal_address"] = call.contact.postal_address
    elif request.GET.get("phone"):
        initial["phone"] = request.GET["phone"][:40]
    return initial


def _uploads(request: HttpRequest) -> list[Upload]:
    return [
        Upload(name=upload.name or "document", content=upload.read())
        for upload in request.FILES.getlist("documents")
    ]


def _caller_context(user: User, phone: str, *, chosen: Any = None) -> dict[str, Any]:
    """The cards of the contacts with this number, each view of them recorded; `chosen` is the
    one the form says the caller was checked to be."""
    cards = []
    for contact in find_contacts(phone=phone):
        record_personal_data_view(user=user, contact=contact, what="caller card at intake")
        cards.append(caller_card(user, contact))
    chosen_id = int(chosen) if str(chosen or "").isdigit() else None
    return {"phone": phone, "cards": cards, "chosen": chosen_id}


@staff_required
@require_GET
def caller(request: HttpRequest) -> HttpResponse:
    """The caller's card, refreshed as the dispatcher types the number."""
    user: User = request.user  # type: ignore[assignment]
    access_intake(user)
    phone = request.GET.get("phone", "").strip()[:40]
    channel = request.GET.get("channel", "")
    return render(
        request,
        "console/_caller.html",
        {
            "caller": _caller_context(user, phone) if phone else None,
            "is_desk": channel == Channel.DESK,
            "is_post": channel == Channel.POST,
        },
    )


@staff_required
@require_GET
def categories(request: HttpRequest) -> HttpResponse:
    """The category list narrowed to what was typed ("groapa" finds "Groapă în carosabil")."""
    access_intake(request.user)  # type: ignore[arg-type]
    query = request.GET.get("category_search", "")[:100]
    chosen = request.GET.get("category", "")
    return render(
        request,
        "console/_category_select.html",
        {"matches": search_categories(query), "query": query, "chosen": chosen},
    )


@staff_required
@require_GET
def questions(request: HttpRequest) -> HttpResponse:
    """The chosen category's extra questions, shown as soon as the category is picked."""
    access_intake(request.user)  # type: ignore[arg-type]
    form = IntakeForm(initial={"category": request.GET.get("category", "")})
    return render(request, "console/_questions.html", {"form": form})


@staff_required
@require_GET
def streets(request: HttpRequest) -> HttpResponse:
    """Suggestions of the street gazetteer for what was typed in the address."""
    access_intake(request.user)  # type: ignore[arg-type]
    query = request.GET.get("address", "")[:200]
    found = find_address(query, limit=10) if len(query.strip()) >= 2 else None
    options = [(found.address_on(street), street) for street in found.streets] if found else []
    return render(request, "console/_street_options.html", {"options": options})


@staff_required
@require_GET
def nearest(request: HttpRequest) -> JsonResponse:
    """The known street nearest to a point clicked on the map."""
    access_intake(request.user)  # type: ignore[arg-type]
    try:
        latitude = float(request.GET["latitude"])
        longitude = float(request.GET["longitude"])
    except (KeyError, ValueError):
        return JsonResponse({"address": ""}, status=400)
    if not valid_coordinates(latitude, longitude):
        return JsonResponse({"address": ""}, status=400)
    street = nearest_street(latitude, longitude, within_m=300)
    return JsonResponse({"address": street.display_name if street else ""})
