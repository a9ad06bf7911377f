"""A register with one case of each sort the register shows differently."""

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from cetate.cases import services
from cetate.cases.choices import Channel, Kind, Outcome
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case
from cetate.contacts.services import create_contact
from cetate.directory.models import FileCode, LegalBasis
from cetate.lib.clock import replaying_at


@dataclass
class Register:
    answered: Case
    joined: Case
    cancelled: Case
    anonymous: Case
    letter: Case
    last_year: Case
    petitions: FileCode


@pytest.fixture
def register_2026(city):
    """Five registrations of 2026 and one of 2025.

    1/2026, a pothole report, went the whole way: register details, handed to an officer,
    granted, its answer sent by post; 2/2026 (same resident) was joined to it; 3/2026 was
    cancelled; 4/2026 is an anonymous report; 5/2026 is a letter from an institution.
    """
    petitions = FileCode.objects.create(code="II-4", name="Petiții", retention_years=5)
    city.pothole.parent.file_code = petitions
    city.pothole.parent.save()
    with replaying_at(datetime(2025, 6, 1, 9, 0, tzinfo=CITY_TZ)):
        last_year = city.report()
    with replaying_at(datetime(2026, 2, 3, 9, 15, tzinfo=CITY_TZ)):
        answered = city.report(title="Groapă pe Str. Mihai Viteazul")
        joined = city.report(title="Aceeași groapă")
        cancelled = city.report(title="Apel de test")
        anonymous = city.report(reporter=None, title="Groapă la școală")
        institution = create_contact(
            name="Inspectoratul Școlar Județean",
            kind="organisation",
            email="isj@example.org",
            postal_address="Str. Lalelelor 1\nAlba Iulia",
        )
        letter = city.report(
            kind=Kind.REQUEST,
            channel=Channel.POST,
            category=city.noise,
            reporter=institution,
            title="Zgomot lângă școală",
            description="Vă rugăm să verificați zgomotul de lângă școala noastră.",
        )
    with replaying_at(datetime(2026, 2, 4, 10, 0, tzinfo=CITY_TZ)):
        services.record_register_details(
            case_id=answered.pk,
            actor=city.dispatcher,
            sender_reference="1234/A",
            sender_reference_date=date(2026, 2, 1),
            pages=3,
            annexes=2,
            file_code=petitions,
        )
        services.assign(
            case_id=answered.pk,
            actor=city.dispatcher,
            department=city.technical,
            assignee=city.officer,
        )
        services.merge(case_id=joined.pk, into_case_id=answered.pk, actor=city.dispatcher)
        services.cancel_registration(case_id=cancelled.pk, actor=city.dispatcher, reason="test")
        services.record_register_details(
            case_id=letter.pk,
            actor=city.dispatcher,
            sender_reference="987",
            sender_reference_date=date(2026, 1, 30),
            pages=1,
            annexes=None,
            file_code=None,
        )
    # What the answer's services record when the answer leaves the city hall.
    basis = LegalBasis.objects.create(
        code="og27-art8",
        name="Petiția a fost soluționată favorabil.",
        citation="OG 27/2002, art. 8",
        outcome=Outcome.GRANTED,
    )
    Case.objects.filter(pk=answered.pk).update(
        outcome=Outcome.GRANTED,
        legal_basis=basis,
        sent_at=datetime(2026, 2, 20, 11, 30, tzinfo=CITY_TZ),
        sent_by="post",
        sent_to="Ion Popescu, Str. Trandafirilor 7, Alba Iulia",
    )
    return Register(
        answered=Case.objects.get(pk=answered.pk),
        joined=joined,
        cancelled=cancelled,
        anonymous=anonymous,
        letter=letter,
        last_year=last_year,
        petitions=petitions,
    )
