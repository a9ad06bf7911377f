"""The GeoReport v2 endpoints: parse, check the key and the jurisdiction, call one service, render.

Every answer, errors included, is in the format the path asks for (.xml or .json).
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import DatabaseError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt

from cetate.cases.answers import InvalidAnswers
from cetate.cases.choices import EventKind
from cetate.cases.errors import DomainError
from cetate.cases.models import Case, Event
from cetate.cases.publication import public_cases_q, public_categories, public_updates_q
from cetate.cases.services.intake import UnidentifiedAuthor
from cetate.cases.uploads import Upload
from cetate.cases.workflow import OPEN_STATUSES, Status
from cetate.directory.models import Category, CategoryQuestion
from cetate.lib import clock
from cetate.lib.outage import RETRY_AFTER_SECONDS, is_outage, unreachable_message
from cetate.lib.ratelimit import client_address
from cetate.open311 import representation as rep
from cetate.open311.intake import Report, submit
from cetate.open311.keys import active_key, record_privileged_read, record_use, within_rate_limit
from cetate.open311.models import ApiKey, Submission
from cetate.open311.params import (
    BadParameter,
    attributes,
    comma_list,
    coordinate,
    param,
    positive_int,
    w3c_datetime,
)
from cetate.open311.render import JSON_TYPE, XML_TYPE, document, errors
from cetate.ops.body_limits import accepts_files

log = logging.getLogger(__name__)

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this interface last changed in a way clients may notice (discovery's changeset).
CHANGESET = "2026-11-29T00:00:00+00:00"
DEFAULT_WINDOW = timedelta(days=90)
PAGE_LIMIT = 1000
DESCRIPTION_LIMIT = 4000
TEXT_PARAMETER_LIMIT = 100


class Refusal(Exception):
    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = descriptions


@dataclass
class Call:
    request: HttpRequest
    fmt: str
    key: ApiKey | None
    created: bool = False


Endpoint = Callable[..., HttpResponse]


def endpoint(*methods: str) -> Callable[[Endpoint], Endpoint]:
    """Jurisdiction, API key (needed to POST), rate limit and error rendering, shared by all."""

    def decorate(view: Endpoint) -> Endpoint:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            try:
                call = _admitted(request, fmt, methods)
            except Refusal as refusal:
                response = errors(fmt, refusal.status, refusal.descriptions)
                if refusal.status == 405:
                    response["Allow"] = ", ".join(methods)
                if refusal.status == 429:
                    response["Retry-After"] = "60"
                return response
            except DatabaseError as error:
                return _unreachable(fmt, error)
            try:
                response = view(call, **kwargs)
            except Refusal as refusal:
                response = errors(fmt, refusal.status, refusal.descriptions)
            except BadParameter as problem:
                response = errors(fmt, 400, [str(problem)])
            except DatabaseError as error:
                return _unreachable(fmt, error)
            if call.key is not None:
                try:
                    record_use(call.key, created=call.created)
                except DatabaseError as error:
                    # The answer stands (a request may be registered): only the key's count
                    # of calls misses this one.
                    if not is_outage(error):
                        raise
                    log.warning("Open311 call not counted: the database is unreachable")
            return response

        return wrapper

    return decorate


def _unreachable(fmt: str, error: DatabaseError) -> HttpResponse:
    """503 in the format asked for, nothing registered: the client sends the request again."""
    if not is_outage(error):
        raise error
    log.warning("Open311 call refused: the database is unreachable", exc_info=error)
    response = errors(fmt, 503, [unreachable_message()])
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _admitted(request: HttpRequest, fmt: str, methods: tuple[str, ...]) -> Call:
    if request.method not in methods:
        raise Refusal(
            405, _("This address does not answer %(method)s.") % {"method": request.method}
        )
    jurisdiction = param(request, "jurisdiction_id")
    if jurisdiction and jurisdiction.lower() != settings.OPEN311_JURISDICTION.lower():
        raise Refusal(
            404,
            _("jurisdiction_id %(given)s was not found; this server serves %(ours)s.")
            % {"given": jurisdiction, "ours": settings.OPEN311_JURISDICTION},
        )
    raw_key = param(request, "api_key")
    key = active_key(raw_key)
    if raw_key and key is None:
        raise Refusal(403, _("The api_key is not valid or was revoked."))
    if request.method == "POST" and key is None:
        raise Refusal(403, _("An api_key is needed to create service requests."))
    if not within_rate_limit(key, client_address(request)):
        if key is not None:
            record_use(key, refused=True)
        raise Refusal(429, _("Too many calls in a minute; try again in a minute."))
    return Call(request=request, fmt=fmt, key=key)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("open311:discovery", args=["xml"])).rsplit("/", 1)[0]


@endpoint("GET")
def discovery(call: Call) -> HttpResponse:
    content = {
        "changeset": CHANGESET,
        "contact": " ".join(
            part for part in (settings.CITY_NAME, settings.CITY_EMAIL, settings.CITY_PHONE) if part
        ),
        "key_service": _("Ask %(email)s for an API key to post service requests.")
        % {"email": settings.CITY_EMAIL},
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": _base_url(call.request),
                "changeset": CHANGESET,
                "type": "production",
                "formats": [XML_TYPE.split(";")[0], JSON_TYPE.split(";")[0]],
            }
        ],
    }
    return document(call.fmt, content, root="discovery")


def _services() -> QuerySet[Category]:
    return Category.objects.filter(
        is_active=True, parent__isnull=False, parent__is_active=True
    ).select_related("parent")


@endpoint("GET")
def services(call: Call) -> HttpResponse:
    with_questions = set(CategoryQuestion.objects.values_list("category_id", flat=True))
    categories = _services().order_by("parent__order", "parent__name", "order", "name")
    content = [rep.service(c, has_questions=c.pk in with_questions) for c in categories]
    return document(call.fmt, content, root="services", item="service")


def _service(code: str) -> Category:
    category = _services().filter(code=code).first()
    if category is None:
        raise Refusal(404, _("service_code %(code)s was not found.") % {"code": code})
    return category


@endpoint("GET")
def service_definition(call: Call, code: str) -> HttpResponse:
    category = _service(code)
    content = rep.service_definition(category, list(category.questions.all()))
    return document(call.fmt, content, root="service_definition")


def _own(key: ApiKey | None) -> QuerySet[Submission, int]:
    return Submission.objects.filter(api_key=key, case__isnull=False).values_list(
        "case_id", flat=True
    )


def _visible(key: ApiKey | None) -> Q:
    """The cases the public may see (cetate/cases/publication), and those the key posted."""
    query = public_cases_q(list(public_categories().values_list("pk", flat=True)))
    if key is not None:
        query |= Q(pk__in=_own(key))
    return query


def _cases(key: ApiKey | None) -> QuerySet[Case]:
    return Case.objects.filter(_visible(key)).select_related(
        "category", "department", "redirected_to", "area", "reporter"
    )


def _by_ids(cases: QuerySet[Case], ids: list[str]) -> QuerySet[Case]:
    numbers = Q(pk__in=[])
    for text in ids[:PAGE_LIMIT]:
        parsed = rep.parse_request_id(text)
        if parsed is not None:
            numbers |= Q(registration_year=parsed[0], registration_number=parsed[1])
    return cases.filter(numbers)


def _window(call: Call, *, default: bool) -> tuple[datetime | None, datetime | None]:
    start = w3c_datetime(call.request, "start_date")
    end = w3c_datetime(call.request, "end_date")
    if start is None and end is None:
        if not default:
            return None, None
        end = clock.now()
    if start is None:
        assert end is not None
        start = end - DEFAULT_WINDOW
    if end is None:
        end = start + DEFAULT_WINDOW
    if end < start:
        raise BadParameter(_("end_date is before start_date."))
    return start, end


def _page(call: Call, items: QuerySet[Any]) -> list[Any]:
    size = positive_int(call.request, "page_size", default=PAGE_LIMIT, maximum=PAGE_LIMIT)
    page = positive_int(call.request, "page", default=1, maximum=10**9)
    return list(items[(page - 1) * size : page * size])


def _statuses(call: Call) -> list[str] | None:
    wanted = {status.lower() for status in comma_list(call.request, "status")}
    unknown = wanted - {"open", "closed"}
    if unknown:
        raise BadParameter(
            _("status may be open, closed or both, comma separated; not %(values)s.")
            % {"values": ", ".join(sorted(unknown))}
        )
    if wanted == {"open"}:
        return sorted(OPEN_STATUSES)
    if wanted == {"closed"}:
        return sorted(set(Status) - OPEN_STATUSES)
    return None


def _extensions(call: Call) -> bool:
    return param(call.request, "extensions").lower() in {"true", "1", "yes"}


def _render_requests(call: Call, cases: list[Case], *, status: int = 200) -> HttpResponse:
    page = rep.RequestPage(cases, key=call.key, extensions=_extensions(call))
    if page.in_full and call.key is not None:
        record_privileged_read(call.key, call.request.get_full_path(), page.in_full)
    return document(
        call.fmt, page.as_list(), root="service_requests", item="request", status=status
    )


@accepts_files(1)
@endpoint("GET", "POST")
def requests(call: Call) -> HttpResponse:
    if call.request.method == "POST":
        return _create(call)
    cases = _cases(call.key)
    ids = comma_list(call.request, "service_request_id")
    if ids:
        return _render_requests(call, list(_by_ids(cases, ids).order_by("-registered_at")))
    codes = comma_list(call.request, "service_code")
    if codes:
        cases = cases.filter(
            category_id__in=list(_services().filter(code__in=codes).values_list("pk", flat=True))
        )
    statuses = _statuses(call)
    if statuses is not None:
        cases = cases.filter(status__in=statuses)
    updated_after = w3c_datetime(call.request, "updated_after")
    updated_before = w3c_datetime(call.request, "updated_before")
    if updated_after is not None:
        cases = cases.filter(updated_at__gt=updated_after)
    if updated_before is not None:
        cases = cases.filter(updated_at__lt=updated_before)
    # Asking what changed lately means any registration date, unless one is given too.
    start, end = _window(call, default=updated_after is None and updated_before is None)
    if start is not None and end is not None:
        cases = cases.filter(registered_at__gte=start, registered_at__lte=end)
    return _render_requests(call, _page(call, cases.order_by("-registered_at", "-id")))


@endpoint("GET")
def request_detail(call: Call, service_request_id: str) -> HttpResponse:
    found = list(_by_ids(_cases(call.key), [service_request_id])[:1])
    if not found:
        raise Refusal(
            404, _("service_request_id %(id)s was not found.") % {"id": service_request_id}
        )
    return _render_requests(call, found)


@endpoint("GET")
def token(call: Call, token: str) -> HttpResponse:
    # Cetate registers at once and answers POST with service_request_id: it issues no tokens.
    raise Refusal(404, _("Token %(token)s was not found.") % {"token": token})


def _report(call: Call) -> Report:
    request = call.request
    code = param(request, "service_code")
    if not code:
        raise BadParameter(_("service_code is required."))
    category = _service(code)
    latitude, longitude = coordinate(request, "lat"), coordinate(request, "long")
    if (latitude is None) != (longitude is None):
        raise BadParameter(_("Send both lat and long, or neither."))
    address_string = param(request, "address_string")[:300]
    address_id = param(request, "address_id")[:TEXT_PARAMETER_LIMIT]
    if latitude is None and not address_string and not address_id:
        raise BadParameter(_("A location is required: lat and long, address_string or address_id."))
    description = param(request, "description")
    if len(description) > DESCRIPTION_LIMIT:
        raise BadParameter(
            ngettext(
                "description may have at most %(n)d character.",
                "description may have at most %(n)d characters.",
                DESCRIPTION_LIMIT,
            )
            % {"n": DESCRIPTION_LIMIT}
        )
    email = param(request, "email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise BadParameter(_("email is not an email address.")) from None
    media_url = param(request, "media_url")
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise BadParameter(_("media_url is not an http or https address.")) from None
        if len(media_url) > 1000:
            raise BadParameter(_("media_url is too long."))
    media = request.FILES.get("media")
    idempotency_key = request.headers.get("Idempotency-Key", "").strip()
    if len(idempotency_key) > 200:
        raise BadParameter(_("The Idempotency-Key header may have at most 200 characters."))
    return Report(
        category=category,
        description=description,
        latitude=latitude,
        longitude=longitude,
        address_string=address_string,
        address_id=address_id,
        attributes=attributes(request),
        email=email,
        first_name=param(request, "first_name")[:TEXT_PARAMETER_LIMIT],
        last_name=param(request, "last_name")[:TEXT_PARAMETER_LIMIT],
        phone=param(request, "phone")[:40],
        device_id=param(request, "device_id")[:TEXT_PARAMETER_LIMIT],
        account_id=param(request, "account_id")[:TEXT_PARAMETER_LIMIT],
        media_url=media_url,
        media=Upload(name=media.name or "media", content=media.read()) if media else None,
        idempotency_key=idempotency_key,
        language=(translation.get_language() or settings.LANGUAGE_CODE).split("-")[0],
    )


def _create(call: Call) -> HttpResponse:
    assert call.key is not None
    report = _report(call)
    try:
        case, call.created = submit(call.key, report)
    except InvalidAnswers as problem:
        raise Refusal(
            400, *(f"attribute[{code}]: {text}" for code, text in problem.errors.items())
        ) from None
    except UnidentifiedAuthor:
        raise Refusal(
            400,
            _(
                "This service does not accept anonymous reports (OG 27/2002 art. 7): send "
                "email or phone, with first_name and last_name."
            ),
        ) from None
    except DomainError as problem:
        raise Refusal(400, str(problem)) from None
    service_request_id = rep.request_id(case)
    content = [
        {
            "service_request_id": service_request_id,
            "service_notice": _("Registered as no. %(number)s of %(date)s.")
            % {"number": case.number, "date": f"{case.registered_at:%d.%m.%Y}"},
            "account_id": report.account_id or None,
        }
    ]
    response = document(call.fmt, content, root="service_requests", item="request", status=201)
    response["Location"] = call.request.build_absolute_uri(
        reverse("open311:request", args=[service_request_id, call.fmt])
    )
    if not call.created:
        response["Idempotent-Replayed"] = "true"
    return response


def _updates(key: ApiKey | None) -> Q:
    """The events the key reads: of the public cases, what the public is told (or, with the
    full read scope, their public events' own texts); of the cases it posted, their public
    events, as the resident reads them."""
    categories = list(public_categories())
    in_full = Q(kind__in=sorted(rep.FULL_EVENT_KINDS | {EventKind.SUMMARY_PUBLISHED}))
    if key is not None and key.reads_in_full:
        query = public_cases_q([c.pk for c in categories], via="case__") & in_full
    else:
        query = public_updates_q(categories)
    if key is not None:
        query |= Q(case_id__in=_own(key)) & in_full
    return query


@endpoint("GET")
def request_updates(call: Call) -> HttpResponse:
    start, end = _window(call, default=True)
    events = _page(
        call,
        Event.objects.filter(public=True, at__gte=start, at__lte=end)
        .filter(_updates(call.key))
        .select_related("case__category", "case__reporter")
        .order_by("at", "id"),
    )
    key = call.key
    own: set[int] = set()
    if key is not None:
        own = set(
            Submission.objects.filter(
                api_key=key, case_id__in={event.case_id for event in events}
            ).values_list("case_id", flat=True)
        )
    in_full = set(own)
    if key is not None and key.reads_in_full:
        read = {event.case_id: event.case for event in events if event.case_id not in own}
        in_full |= set(read)
        if read:
            record_privileged_read(key, call.request.get_full_path(), list(read.values()))
    content = rep.request_updates(events, _statuses_after(events), in_full=in_full)
    return document(call.fmt, content, root="service_requests_updates", item="request_update")


def _statuses_after(events: list[Event]) -> dict[int, str]:
    """The status each case had right after each event, from the case's status changes."""
    changes: dict[int, tuple[list[int], list[str]]] = {}
    rows = (
        Event.objects.filter(case_id__in={event.case_id for event in events})
        .exclude(to_status="")
        .order_by("case_id", "seq")
        .values_list("case_id", "seq", "to_status")
    )
    for case_id, seq, status in rows:
        seqs, statuses = changes.setdefault(case_id, ([], []))
        seqs.append(seq)
        statuses.append(status)
    result = {}
    for event in events:
        seqs, statuses = changes.get(event.case_id, ([], []))
        index = bisect_right(seqs, event.seq) - 1
        result[event.pk] = statuses[index] if index >= 0 else event.case.status
    return result


@csrf_exempt
def unknown(request: HttpRequest, path: str) -> HttpResponse:
    fmt = "json" if path.endswith(".json") else "xml"
    return errors(fmt, 404, [_("There is no such GeoReport v2 resource.")])
