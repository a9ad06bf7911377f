"""open_case: the one way every channel registers a case."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cetate.accounts.models import User
from cetate.accounts.roles import roles_of
from cetate.cases.answers import clean_answers
from cetate.cases.authorship import anonymity_allowed as anonymity_allowed
from cetate.cases.choices import Channel, EventKind, Kind, Outcome, Priority
from cetate.cases.deadlines import (
    CITY_TZ,
    internal_deadline,
    internal_term_end,
    legal_deadline,
    service_due,
    term_end,
)
from cetate.cases.errors import NotAllowed
from cetate.cases.filestore import StoredFile, checked, written_first
from cetate.cases.models import Case, Event
from cetate.cases.numbering import allocate_number
from cetate.cases.services._core import (
    append_event,
    move,
    offer_to_webhooks,
    store_attachment,
    tell_resident,
)
from cetate.cases.services.admission import PAPER_CHANNELS, check_reporter, checked_details
from cetate.cases.services.admission import InvalidCase as InvalidCase
from cetate.cases.services.admission import RegisterDetails as RegisterDetails
from cetate.cases.services.admission import UnidentifiedAuthor as UnidentifiedAuthor
from cetate.cases.services.admission import check_author as check_author
from cetate.cases.uploads import CleanFile, Upload
from cetate.cases.workflow import Action, Status
from cetate.contacts.models import AnswerChannel, Contact
from cetate.directory.lookup import department_for, place, work_calendar
from cetate.directory.models import Area, Category, LegalBasis
from cetate.directory.retention import file_code_of
from cetate.knowledge.models import Article
from cetate.lib import clock
from cetate.lib.geo import valid_coordinates
from cetate.lib.text import plain_text

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud safely
TRACKING_LENGTH = 10
DESCRIPTION_LIMIT = 10_000
# The legal basis a filed petition states, when the city's list has it.
FILED_LEGAL_BASIS = "og27-art7"


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def open_case(
    *,
    kind: Kind | str,
    channel: Channel | str,
    actor: User | None,
    description: str,
    category: Category | None = None,
    reporter: Contact | None = None,
    answer_channel: AnswerChannel | str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    address: str = "",
    title: str = "",
    priority: Priority | int = Priority.NORMAL,
    answers: Mapping[str, Any] | None = None,
    attachments: Sequence[Upload | CleanFile] = (),
    language: str = "ro",
    answer_on_spot: str | None = None,
    auto_route: bool = False,
    identity_checked: bool = False,
    sender_reference: str = "",
    sender_reference_date: date | None = None,
    pages: int | None = None,
    annexes: int | None = None,
    file_unidentified: bool = False,
    is_demo: bool = False,
    contests: Case | None = None,
    received_email: Mapping[str, str] | None = None,
    service: Article | None = None,
) -> Case:
    """Register a case: number, tracking code, deadlines, first event — all or nothing.

    Everything that can be refused is checked before a number is taken, and the number is
    taken in the same transaction that writes the case, so a refusal or failure burns none.
    `answer_on_spot` closes a question (inquiry) at first contact with that answer;
    `auto_route` assigns the case at once to the department the routing rules give.
    `identity_checked` records that the member of staff registering it checked that the
    resident is the known contact `reporter` (on the call, at the desk).
    `contests` makes a complaint an administrative complaint (Law 544/2001 art. 21) against
    the answer to, or the refusal of, that public-information request: 15 days to answer.
    `received_email` is the Message-ID and subject of the resident's email the case was
    registered from: its registration mail answers it.
    `service` is the published article of the catalogue a request asks for: the case goes at
    once to the article's department and its answer is due within the article's `term_days`
    (the term the service's own law gives), the petition's 30 days where it states none.
    `sender_reference`, `sender_reference_date`, `pages` and `annexes` are the register's
    details of a document on paper. `file_unidentified` registers a petition on paper that is
    anonymous or gives no address to answer to, and files it at once, not considered
    (OG 27/2002 art. 7): staff only, asked for explicitly, and refused for a petition whose
    author is identified.
    """
    kind = Kind(kind)
    channel = Channel(channel)
    if not roles_of(actor):
        raise NotAllowed(_("Your role does not allow you to register cases."))
    # Every channel's text passes here: kept as written, without control characters.
    description = plain_text(description).strip()
    title, address = plain_text(title), plain_text(address)
    if answer_on_spot is not None:
        answer_on_spot = plain_text(answer_on_spot)
    if not description:
        raise InvalidCase(_("Describe what the case is about."))
    if len(description) > DESCRIPTION_LIMIT:
        raise InvalidCase(
            ngettext(
                "The description may have at most %(n)d character.",
                "The description may have at most %(n)d characters.",
                DESCRIPTION_LIMIT,
            )
            % {"n": DESCRIPTION_LIMIT}
        )
    _check_category(kind, category)
    check_reporter(kind, category, reporter, file_unidentified=file_unidentified)
    if file_unidentified and (actor is None or channel not in PAPER_CHANNELS):
        raise NotAllowed(
            _("Only staff filing a petition on paper can register it and file it at once.")
        )
    details = checked_details(sender_reference, sender_reference_date, pages, annexes)
    _check_contested(kind, contests)
    _check_service(kind, service)
    if identity_checked and (actor is None or reporter is None):
        raise InvalidCase(_("Only staff can check a resident's identity, and only a known one."))
    areas = checked_areas(category, latitude, longitude)
    questions = (
        service.request_fields.all()
        if service is not None
        else category.questions.all()
        if category
        else []
    )
    cleaned_answers = clean_answers(questions, _plain_answers(answers or {}))
    files = [checked(upload) for upload in attachments]
    # Written before the case's transaction opens (a caller's own transaction excepted, so
    # intakes pass their files already written): only their names are recorded in it.
    with written_first(files) as prepared:
        stored = [file for file in prepared if isinstance(file, StoredFile)]
        return _register_once(
            kind=kind,
            channel=channel,
            actor=actor,
            description=description,
            category=category,
            reporter=reporter,
            answer_channel=AnswerChannel(
                answer_channel or (reporter.preferred_channel if reporter else "email")
            ),
            latitude=latitude,
            longitude=longitude,
            address=address.strip(),
            areas=areas,
            title=title.strip()[:200],
            priority=Priority(priority),
            answers=cleaned_answers,
            files=stored,
            language=language,
            answer_on_spot=answer_on_spot,
            auto_route=auto_route,
            identity_checked=identity_checked,
            details=details,
            file_unidentified=file_unidentified,
            is_demo=is_demo,
            contests=contests,
            received_email=dict(received_email) if received_email else None,
            service=service,
        )


def _register_once(**fields: Any) -> Case:
    for attempt in range(3):
        try:
            return _register(**fields, registered_at=clock.now())
        except IntegrityError:
            # Only a clash of random tracking codes can get here; draw again.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _register(
    *,
    kind: Kind,
    channel: Channel,
    actor: User | None,
    description: str,
    category: Category | None,
    reporter: Contact | None,
    answer_channel: AnswerChannel,
    latitude: float | None,
    longitude: float | None,
    address: str,
    areas: list[Area],
    title: str,
    priority: Priority,
    answers: dict[str, Any],
    files: list[StoredFile],
    language: str,
    answer_on_spot: str | None,
    auto_route: bool,
    identity_checked: bool,
    details: RegisterDetails,
    file_unidentified: bool,
    registered_at: datetime,
    is_demo: bool,
    contests: Case | None,
    received_email: dict[str, str] | None,
    service: Article | None,
) -> Case:
    local = registered_at.astimezone(CITY_TZ)
    calendar = work_calendar()
    administrative_complaint = contests is not None
    legal_due = legal_deadline(
        kind, local.date(), calendar, administrative_complaint=administrative_complaint
    )
    internal_due = internal_deadline(
        kind,
        local.date(),
        calendar,
        rule=settings.INTERNAL_DUE_RULE,
        administrative_complaint=administrative_complaint,
    )
    if service is not None and service.term_days:
        # The service's own law sets its term; it is counted like the petition's.
        legal_due = term_end(local.date(), service.term_days, calendar)
        internal_due = internal_term_end(
            local.date(), service.term_days, calendar, rule=settings.INTERNAL_DUE_RULE
        )
    case = Case(
        registration_year=local.year,
        registration_number=allocate_number(local.year),
        registered_at=registered_at,
        tracking_code=new_tracking_code(),
        kind=kind,
        channel=channel,
        answer_channel=answer_channel,
        language=language,
        entered_by=actor,
        reporter=reporter,
        category=category,
        file_code=file_code_of(category),
        latitude=latitude,
        longitude=longitude,
        address=address,
        area=areas[0] if areas else None,
        title=title,
        description=description,
        answers=answers,
        priority=priority,
        status=Status.NEW,
        status_changed_at=registered_at,
        service=service,
        legal_due=legal_due,
        internal_due=internal_due,
        contests=contests,
        service_due=service_due(
            registered_at=registered_at,
            target=category.service_target if category else None,
            unit=category.service_target_unit if category else "d",
            paused=timedelta(0),
            calendar=calendar,
        ),
        sender_reference=details.sender_reference,
        sender_reference_date=details.sender_reference_date,
        pages=details.pages,
        annexes=details.annexes,
        is_demo=is_demo,
        # The creation event is numbered 1 up front, so that a plain registration writes
        # the case row once.
        last_event_seq=1,
    )
    case.save(force_insert=True)
    created = Event(
        case=case,
        seq=1,
        kind=EventKind.CREATED,
        at=registered_at,
        actor=actor,
        public=True,
        to_status=Status.NEW,
        data={
            "channel": channel.value,
            "kind": kind.value,
            **({"contests": contests.pk, "contests_number": contests.number} if contests else {}),
            **({"email": received_email} if received_email else {}),
        },
    )
    created.save(force_insert=True)
    offer_to_webhooks(created)
    if identity_checked:
        assert reporter is not None
        append_event(case, EventKind.IDENTITY_CHECKED, actor=actor, data={"contact": reporter.pk})
    for file in files:
        store_attachment(case, file, actor=actor, with_registration=True)
    if file_unidentified:
        _file_unidentified(case, actor)
    elif answer_on_spot is not None:
        case.answer = answer_on_spot.strip()
        case.resolved_at = registered_at
        move(case, Action.ANSWER_ON_SPOT, actor=actor, text=case.answer)
    elif service is not None or (auto_route and kind != Kind.INQUIRY):
        # The service's department handles its requests, whatever the routing rules say.
        department = service.department if service is not None else department_for(category, areas)
        if department is not None and not department.is_external:
            case.department = department
            case.handed_at = registered_at
            move(
                case,
                Action.ASSIGN,
                actor=None,
                public=False,
                data={"department": department.pk, "department_name": department.name},
            )
    if case.last_event_seq > 1:
        case.save()
    if not file_unidentified:
        tell_resident(case, created)
    return case


def _file_unidentified(case: Case, actor: User | None) -> None:
    """File the petition just registered: not considered, nobody told (OG 27/2002 art. 7)."""
    case.outcome = Outcome.FILED
    case.legal_basis = LegalBasis.objects.filter(code=FILED_LEGAL_BASIS).first()
    move(
        case,
        Action.FILE,
        actor=actor,
        text=_(
            "Anonymous or unidentifiable petition: registered and filed, not considered "
            "(OG 27/2002 art. 7)."
        ),
        data={"outcome": Outcome.FILED.value},
    )


def _plain_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers with their texts (one, or several chosen) as plain text."""
    plain: dict[str, Any] = {}
    for code, value in answers.items():
        if isinstance(value, str):
            value = plain_text(value)
        elif isinstance(value, list):
            value = [plain_text(item) if isinstance(item, str) else item for item in value]
        plain[code] = value
    return plain


def _check_category(kind: Kind, category: Category | None) -> None:
    if category is None:
        if kind == Kind.REPORT:
            raise InvalidCase(_("Choose what kind of problem you are reporting."))
        return
    if category.is_group or not category.is_active:
        raise InvalidCase(_("Choose a category from the list, not a group."))


def _check_service(kind: Kind, service: Article | None) -> None:
    if service is None:
        return
    if kind != Kind.REQUEST:
        raise InvalidCase(_("Only a request can ask for a service of the catalogue."))
    if not service.is_published:
        raise InvalidCase(_("This service is not in the catalogue."))


def _check_contested(kind: Kind, contests: Case | None) -> None:
    if contests is None:
        return
    if kind != Kind.COMPLAINT:
        raise InvalidCase(
            _("Only a complaint can contest the answer to a request for public information.")
        )
    if contests.kind != Kind.INFORMATION:
        raise InvalidCase(
            _(
                "Case %(number)s is not a request for public information: an administrative "
                "complaint (Law 544/2001, art. 21) can only contest the answer to one."
            )
            % {"number": contests.number}
        )


def checked_areas(
    category: Category | None, latitude: float | None, longitude: float | None
) -> list[Area]:
    if latitude is None and longitude is None:
        return []
    if latitude is None or longitude is None or not valid_coordinates(latitude, longitude):
        raise InvalidCase(_("The location is not a valid latitude and longitude."))
    placement = place(latitude=latitude, longitude=longitude)
    outside_allowed = category is not None and category.outside_city_allowed
    if not placement.inside_city and not outside_allowed:
        assert placement.boundary is not None
        raise InvalidCase(
            _(
                "The place is outside %(city)s; the city hall can act only within its "
                "territory. Move the pin inside the city, or address the competent authority."
            )
            % {"city": placement.boundary.name}
        )
    return placement.areas
