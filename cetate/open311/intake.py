"""A GeoReport v2 POST turned into a case through open_case, at most once per resent request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from cetate.cases.choices import Channel, Kind
from cetate.cases.filestore import StoredFile, written_first
from cetate.cases.models import Case
from cetate.cases.services import open_case
from cetate.cases.uploads import Upload
from cetate.contacts.models import Contact
from cetate.directory.models import Category
from cetate.intake.people import Person, contact_of
from cetate.open311.models import ApiKey, Submission

# Attributes FixMyStreet sends about its own report rather than answers to the city's questions.
FIXMYSTREET_ID = "fixmystreet_id"


@dataclass(frozen=True)
class Report:
    """What the client posted, parsed but not yet checked against the register's rules."""

    category: Category
    description: str
    latitude: float | None = None
    longitude: float | None = None
    address_string: str = ""
    address_id: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    device_id: str = ""
    account_id: str = ""
    media_url: str = ""
    media: Upload | None = None
    idempotency_key: str = ""
    language: str = "ro"

    @property
    def fixmystreet_id(self) -> str:
        return str(self.attributes.get(FIXMYSTREET_ID, "")).strip()[:100]


def earlier_case(key: ApiKey, report: Report) -> Case | None:
    """The case a previous POST of this request registered, if the client resends it."""
    query = Q(pk__in=[])
    if report.idempotency_key:
        query |= Q(idempotency_key=report.idempotency_key)
    if report.fixmystreet_id:
        query |= Q(fixmystreet_id=report.fixmystreet_id)
    submission = (
        Submission.objects.filter(query, api_key=key, case__isnull=False)
        .select_related("case")
        .first()
    )
    return submission.case if submission else None


def submit(key: ApiKey, report: Report) -> tuple[Case, bool]:
    """The case for this report and whether this call registered it (False: a resend)."""
    earlier = earlier_case(key, report)
    if earlier is not None:
        return earlier, False
    try:
        with written_first([report.media] if report.media else []) as media:
            return _register(key, report, media), True
    except IntegrityError:
        # A concurrent identical POST committed its submission first; answer with its case.
        earlier = earlier_case(key, report)
        if earlier is None:
            raise
        return earlier, False


@transaction.atomic
def _register(key: ApiKey, report: Report, media: Sequence[Upload | StoredFile]) -> Case:
    # The submission row goes first: an identical POST racing this one waits on its unique
    # constraint here, before registering anything, and fails once this transaction commits.
    submission = Submission.objects.create(
        api_key=key,
        idempotency_key=report.idempotency_key,
        fixmystreet_id=report.fixmystreet_id,
        media_url=report.media_url,
        address_id=report.address_id,
        account_id=report.account_id,
        device_id=report.device_id,
    )
    questions = {question.code for question in report.category.questions.all()}
    answers = {code: value for code, value in report.attributes.items() if code in questions}
    # Read back as posted: the photo's link is kept on the submission, never added to the text.
    description = report.description.strip() or report.category.full_label
    title = report.attributes.get("title", "") if "title" not in questions else ""
    case = open_case(
        kind=Kind.REPORT,
        channel=Channel.API,
        actor=None,
        description=description,
        category=report.category,
        reporter=_reporter(report),
        latitude=report.latitude,
        longitude=report.longitude,
        address=report.address_string or report.address_id,
        title=str(title),
        answers=answers,
        attachments=media,
        language=report.language,
    )
    submission.case = case
    submission.save(update_fields=["case"])
    return case


def _reporter(report: Report) -> Contact | None:
    # Open311 names no postal address: a report without email or phone is anonymous.
    if not (report.email.strip() or report.phone.strip()):
        return None
    name = f"{report.first_name.strip()} {report.last_name.strip()}".strip()
    person = Person(name=name, email=report.email, phone=report.phone)
    return contact_of(person, language=report.language)


def photo_link(case: Case) -> str:
    """The address of the photo the client posted with the case (`media_url`), or ""."""
    link = Submission.objects.filter(case=case).values_list("media_url", flat=True).first()
    return link or ""
