"""Residents report a problem or file a petition: the form, its receipt, and what the page's
script asks about a place while the resident moves the pin.

Nothing a resident typed is lost on a refusal: the page comes back filled in, with the reason
next to the field it concerns; the files chosen are kept on the server for the page that comes
back (cetate/portal/kept_files.py), as browsers never send them back. The same holds
when the register cannot be reached (cetate/lib/outage.py): the registration is tried again
for a few seconds, then the page comes back filled in with status 503.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cetate.cases.answers import InvalidAnswers
from cetate.cases.choices import Kind
from cetate.cases.errors import DomainError
from cetate.cases.filestore import StoredFile, written_first
from cetate.cases.models import Case
from cetate.cases.outgoing import registration_mail_status
from cetate.cases.receipt import build_receipt, qr_svg
from cetate.cases.services.intake import InvalidCase, UnidentifiedAuthor, checked_areas
from cetate.cases.uploads import RejectedUpload, Upload
from cetate.directory.gazetteer import AddressMatch, find_address, nearest_street
from cetate.directory.lookup import city_boundary
from cetate.directory.models import Category
from cetate.directory.question_fields import ANSWER_PREFIX
from cetate.intake.portal import register_from_portal
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
from cetate.lib.ratelimit import client_address, hit, rate_limited
from cetate.ops.body_limits import accepts_files
from cetate.portal import kept_files, residents
from cetate.portal.nearby import nearby_reports
from cetate.portal.report_form import MAX_FILES, PLACED_KINDS, ReportForm
from cetate.portal.tracking import what_was_sent

# Every submission from one address counts (finding a street, confirming, sending); only the
# registrations count for one email address or phone number.
POSTS_PER_ADDRESS = 20
POSTS_WINDOW_SECONDS = 600
SENDS_PER_CONTACT = 5
SENDS_WINDOW_SECONDS = 3600
# The receipt is for the browser that sent the report: a signed cookie names its case. Unlike
# the session, it needs no database write once the case is registered, so the resident sees
# their number even if the database goes away right after.
RECEIPT_COOKIE = "portal_reported_case"
RECEIPT_SALT = "cetate.portal.receipt"
RECEIPT_MAX_AGE_SECONDS = 24 * 3600


@accepts_files(MAX_FILES)
@keeps_input(
    ReportForm,
    "description",
    "address",
    "name",
    "email",
    "phone",
    "postal_address",
    files="documents",
)
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The report form; sending it registers the case, or shows why not, filled in."""
    if request.method == "GET":
        if not hit(f"report-page:{client_address(request)}", limit=60, window_seconds=60):
            return _too_many(request)
        kind = request.GET.get("kind", "")
        form = ReportForm(initial={"kind": kind} if kind else {})
        return _page(request, form)

    form = ReportForm(request.POST, request.FILES, kept=_kept_files(request))
    if not hit(
        f"report-post:{client_address(request)}",
        limit=POSTS_PER_ADDRESS,
        window_seconds=POSTS_WINDOW_SECONDS,
    ):
        return _too_many_filled_in(request, form, POSTS_WINDOW_SECONDS)
    too_large = _too_large(request)
    if too_large:
        return _page(request, form, status=413, refusal=too_large)

    step = request.POST.get("step", "send")
    if step == "find_address":
        form.judge_nothing()
        return _page(request, form, address_found=form.streets_found(), looked_up=True)
    if not form.is_valid():
        honeypot = any(error.code == "honeypot" for error in form.non_field_errors().as_data())
        return _page(request, form, status=400 if honeypot else 200)
    if not form.questions_shown:
        return _page(request, form, questions_to_answer=True)
    data = form.cleaned_data
    if step != "send_anyway" and not data["nearby_shown"]:
        nearby = nearby_reports(data["category"], data["latitude"], data["longitude"])
        if nearby:
            return _page(request, form, nearby=nearby)
    resident = form.resident
    if not _contact_allowed(resident.email, resident.phone):
        return _too_many_filled_in(request, form, SENDS_WINDOW_SECONDS)
    proven_contact = residents.proven_contact(request, resident.email)

    def register(attachments: Sequence[Upload | StoredFile]) -> Case:
        return register_from_portal(
            kind=data["kind"],
            description=data["description"],
            resident=resident,
            category=data["category"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            address=data["address"],
            answers=form.answers,
            attachments=attachments,
            language=get_language() or "ro",
            proven_contact=proven_contact,
        )

    try:
        # The files go to storage before the case's transaction (retried as a whole) opens.
        with written_first(form.uploads) as files:
            case = write_reliably(request, lambda: register(files), committed=_is_registered)
    except InvalidAnswers as refusal:
        form.show_answer_errors(refusal.errors)
        return _page(request, form)
    except UnidentifiedAuthor as refusal:
        form.show_author_refusal(refusal.refusal)
        return _page(request, form)
    except DomainError as refusal:
        form.add_error(_refusal_field(refusal), str(refusal))
        return _page(request, form)
    except OutcomeUnknown as unknown:
        return _unreachable(request, form, outcome_unknown_message(unknown.attempt.tracking_code))
    except RegisterUnreachable:
        return _unreachable(request, form, not_registered_message())
    kept_files.forget(request, form.kept_files)
    return to_receipt(case)


@require_GET
def report_sent(request: HttpRequest) -> HttpResponse:
    """The receipt of the case just sent from this browser: it names its author, so it is
    shown only to the browser that sent it; the tracking page serves everyone else."""
    case_id = request.get_signed_cookie(
        RECEIPT_COOKIE, default=None, salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE_SECONDS
    )
    case = (
        Case.objects.select_related("category__parent", "reporter").filter(pk=case_id).first()
        if case_id and case_id.isdigit()
        else None
    )
    if case is None:
        return render(request, "portal/report_sent_missing.html", status=404)
    receipt = build_receipt(case)
    return render(
        request,
        "portal/report_sent.html",
        {
            "case": case,
            "receipt": receipt,
            "qr_svg": qr_svg(receipt.tracking_url, title=_("QR code of the tracking page")),
            "registration_mail": registration_mail_status(case.pk),
            **what_was_sent(case),
        },
    )


@require_GET
@rate_limited("report-questions", limit=60)
def report_questions(request: HttpRequest) -> HttpResponse:
    """The chosen category's questions, for the page's script to show at once."""
    form = ReportForm(initial={"category": request.GET.get("category", "")})
    return render(request, "portal/_report_questions.html", {"form": form})


@require_GET
@rate_limited("report-address", limit=60)
def report_address(request: HttpRequest) -> JsonResponse:
    """The streets an address typed may be on, for the page's script: where each lies on the
    map when the city's street list says so, and the address to keep."""
    found = find_address(request.GET.get("address", "")[:300], limit=5)
    return JsonResponse(
        {
            "number": found.number,
            "streets": [
                {
                    "name": street.display_name,
                    "address": found.address_on(street),
                    "latitude": street.latitude,
                    "longitude": street.longitude,
                }
                for street in found.streets
            ],
        }
    )


@require_GET
@rate_limited("report-place", limit=60)
def report_place(request: HttpRequest) -> JsonResponse:
    """What the page's script says about the pin: the street, whether the city can act there,
    and open reports of the category nearby (public fields only)."""
    try:
        latitude = float(request.GET.get("latitude", ""))
        longitude = float(request.GET.get("longitude", ""))
    except ValueError:
        return JsonResponse({"error": _("Give a latitude and a longitude.")}, status=400)
    if not valid_coordinates(latitude, longitude):
        return JsonResponse({"error": _("Give a latitude and a longitude.")}, status=400)
    category = _category(request.GET.get("category", ""))
    problem = ""
    try:
        checked_areas(category, latitude, longitude)
    except InvalidCase as refusal:
        problem = str(refusal)
    street = nearest_street(latitude, longitude, within_m=200) if not problem else None
    nearby = nearby_reports(category, latitude, longitude) if not problem else []
    return JsonResponse(
        {
            "problem": problem,
            "street": street.display_name if street else "",
            "nearby": [report.as_json() for report in nearby],
        }
    )


def _page(
    request: HttpRequest,
    form: ReportForm,
    *,
    status: int = 200,
    refusal: str = "",
    address_found: AddressMatch | None = None,
    looked_up: bool = False,
    nearby: list[Any] | None = None,
    questions_to_answer: bool = False,
) -> HttpResponse:
    # Files cannot be sent back to the browser: a page that comes back keeps them on the
    # server, unless it refuses the submission as a whole.
    files_dropped = False
    file_refusal = ""
    checked = getattr(form, "_errors", None) or {}
    if request.method == "POST" and request.FILES and "documents" not in checked:
        if status == 200:
            try:
                form.kept_files += _keep_new_files(request, form)
            except RejectedUpload as refusal_of_file:
                file_refusal = str(refusal_of_file)
        else:
            files_dropped = True
    return render(
        request,
        "portal/report.html",
        {
            "form": form,
            "refusal": refusal,
            "address_found": address_found,
            "looked_up": looked_up,
            "kind_open": request.method == "GET" and not request.GET.get("kind"),
            "nearby": nearby or [],
            "questions_to_answer": questions_to_answer,
            "files_dropped": files_dropped,
            "file_refusal": file_refusal,
            "kept_files": form.kept_files,
            "max_files": MAX_FILES,
            "max_file_size": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
            "answer_prefix": ANSWER_PREFIX,
            "placed_kinds": sorted(PLACED_KINDS),
            "anonymous_kinds": [Kind.REPORT.value],
            "map_config": _map_config(),
        },
        status=status,
    )


def _map_config() -> dict[str, Any]:
    boundary = city_boundary()
    return {
        "tile_url": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "boundary": boundary.geometry if boundary else None,
        "place_url": reverse("report_place"),
        "address_url": reverse("report_address"),
        "questions_url": reverse("report_questions"),
        # What the script writes, in the page's language; %s and %d are filled in there.
        "texts": {
            "street": _("Pin placed near %s."),
            "placed": _("Pin placed."),
            "nearby_title": _("Already reported nearby"),
            "nearby_intro": _(
                "These open reports of the same problem are within 150 m of the pin. If yours "
                "is one of them, you need not send it again: follow it instead."
            ),
            "report": _("Report %s"),
            "distance": _("about %d m away"),
            "found": _("Found: %s. Check the pin on the map."),
            "found_unplaced": _(
                "Found: %s. The map does not know where this street lies: tap the map where "
                "the problem is."
            ),
            "not_found": _(
                "No street of the city matches this address; it is kept as you wrote it. "
                "Place the pin on the map."
            ),
        },
    }


def _kept_files(request: HttpRequest) -> list[kept_files.KeptFile]:
    """The files kept from an earlier page, less those the resident removed."""
    files = kept_files.kept(request, request.POST.getlist("kept_file"))
    removed = set(request.POST.getlist("drop_kept_file"))
    dropped = [file for file in files if file.token in removed]
    kept_files.forget(request, dropped)
    return [file for file in files if file.token not in removed]


def _keep_new_files(request: HttpRequest, form: ReportForm) -> list[kept_files.KeptFile]:
    """Keep the files sent with this page, up to what may still be attached."""
    room = max(MAX_FILES - len(form.kept_files), 0)
    uploads = []
    for item in request.FILES.getlist("documents")[:room]:
        if item and item.size:
            item.seek(0)
            uploads.append(Upload(name=item.name or "file", content=item.read()))
    return kept_files.keep(request, uploads)


def _is_registered(case: Case) -> bool:
    return Case.objects.filter(tracking_code=case.tracking_code).exists()


def _unreachable(request: HttpRequest, form: ReportForm, message: str) -> HttpResponse:
    response = _page(request, form, status=503, refusal=message)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _too_large(request: HttpRequest) -> str:
    """Why the files sent together are too large, or nothing when they are not."""
    limit = MAX_FILES * settings.ATTACHMENT_MAX_BYTES
    total = sum(upload.size or 0 for upload in request.FILES.getlist("documents"))
    if total <= limit:
        return ""
    return _("Your files add up to %(size)s; at most %(limit)s can be sent at once.") % {
        "size": filesizeformat(total),
        "limit": filesizeformat(limit),
    }


def _contact_allowed(*contacts: str) -> bool:
    """Count one registration for each email and phone given; False once one had its share.

    The cache keys hold digests, not the addresses.
    """
    allowed = True
    for contact in contacts:
        if contact.strip():
            digest = hashlib.sha256(contact.strip().lower().encode()).hexdigest()[:32]
            key = f"report-send:{digest}"
            allowed &= hit(key, limit=SENDS_PER_CONTACT, window_seconds=SENDS_WINDOW_SECONDS)
    return allowed


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "cetate/too_many_requests.html", status=429)
    response["Retry-After"] = "60"
    return response


def _too_many_filled_in(
    request: HttpRequest, form: ReportForm, window_seconds: int
) -> HttpResponse:
    minutes = max(window_seconds // 60, 1)
    refusal = _(
        "Too many reports were sent from here in a short time, so this one was not sent. "
        "Nothing you wrote is lost: send it again in %(minutes)d minutes."
    ) % {"minutes": minutes}
    response = _page(request, form, status=429, refusal=refusal)
    response["Retry-After"] = str(window_seconds)
    return response


def _refusal_field(refusal: DomainError) -> str | None:
    """The field a refusal of the case service concerns, where it concerns one."""
    return "documents" if isinstance(refusal, RejectedUpload) else None


def _category(raw: str) -> Category | None:
    try:
        category_id = int(raw)
    except ValueError:
        return None
    return Category.objects.filter(pk=category_id, is_active=True).first()


def to_receipt(case: Case) -> HttpResponse:
    """On to the receipt of the case just registered, which only this browser may read."""
    response = redirect("report_sent")
    response.set_signed_cookie(
        RECEIPT_COOKIE,
        str(case.pk),
        salt=RECEIPT_SALT,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
