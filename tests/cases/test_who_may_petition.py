"""Who may petition: petitions name their author and an address to answer to, reports may be
anonymous where their category allows, and refusals burn no registration number."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from cetate.cases.authorship import Missing
from cetate.cases.models import Case, RegistrationCounter
from cetate.cases.services import InvalidCase
from cetate.cases.services.intake import UnidentifiedAuthor
from cetate.contacts.services import create_contact

PETITIONS = ["request", "complaint", "proposal", "information"]
NOWHERE = {"latitude": None, "longitude": None, "category": None}


def last_number() -> int:
    counter = RegistrationCounter.objects.filter(year=date.today().year).first()
    return counter.last_number if counter else 0


def person(**fields):
    return create_contact(**fields)


@pytest.mark.parametrize("kind", PETITIONS)
@pytest.mark.parametrize(
    ("author", "missing"),
    [
        (None, {Missing.NAME, Missing.ADDRESS}),
        ({"name": "Ana Pop", "phone": "0744 000 111"}, {Missing.ADDRESS}),
        ({"email": "ana@example.org"}, {Missing.NAME}),
        ({"postal_address": "Strada Mare 3", "phone": "0744 000 111"}, {Missing.NAME}),
    ],
    ids=["anonymous", "name-and-phone", "email-only", "address-without-name"],
)
def test_a_petition_without_name_or_address_is_refused(city, kind, author, missing):
    reporter = person(**author) if author else None
    with pytest.raises(UnidentifiedAuthor) as refused:
        city.report(kind=kind, reporter=reporter, **NOWHERE)
    assert refused.value.refusal.missing == missing
    law = "Law 544/2001 art. 6" if kind == "information" else "OG 27/2002 art. 7"
    assert law in str(refused.value)
    assert not Case.objects.exists()
    assert last_number() == 0


@pytest.mark.parametrize("kind", PETITIONS)
@pytest.mark.parametrize(
    "author",
    [
        {"name": "Ana Pop", "email": "ana@example.org"},
        {"name": "Ana Pop", "postal_address": "Strada Mare 3, Alba Iulia"},
    ],
    ids=["email", "postal-address"],
)
def test_a_petition_with_name_and_address_registers(city, kind, author):
    case = city.report(kind=kind, reporter=person(**author), **NOWHERE)
    assert case.registration_number == 1


def test_a_refusal_burns_no_number(city):
    city.report()
    with pytest.raises(UnidentifiedAuthor):
        city.report(kind="complaint", reporter=person(name="Ana", phone="0744 000 111"))
    assert city.report().registration_number == 2


def test_a_report_may_be_anonymous_where_its_category_allows_and_give_only_a_phone(city):
    assert city.report(reporter=None).reporter is None
    with pytest.raises(UnidentifiedAuthor, match="OG 27/2002"):
        city.report(reporter=None, category=city.noise)
    by_phone = city.report(reporter=person(phone="0744 000 111"), category=city.noise)
    assert by_phone.reporter.phone == "+40744000111"


def test_a_question_needs_nothing_of_its_author(city):
    case = city.report(kind="inquiry", reporter=None, answer_on_spot="Luni-vineri", **NOWHERE)
    assert case.status == "closed"


def test_the_reasons_speak_romanian_by_default(city):
    with translation.override("ro"):
        with pytest.raises(InvalidCase, match="Un număr de telefon nu este suficient"):
            city.report(kind="request", reporter=person(name="Ana", phone="0744 000 111"))
        with pytest.raises(InvalidCase, match=r"Legea 544/2001 art\. 6"):
            city.report(kind="information", reporter=None, **NOWHERE)


def test_a_letter_by_post_keeps_its_register_details(city):
    sent_on = date.today() - timedelta(days=3)
    school = person(
        name="Școala Gimnazială nr. 2",
        postal_address="Strada Școlii 1",
        kind="organisation",
    )
    case = city.report(
        kind="request",
        channel="post",
        actor=city.clerk,
        reporter=school,
        sender_reference=" 1234 /  2026 ",
        sender_reference_date=sent_on,
        pages=3,
        annexes=2,
        **NOWHERE,
    )
    case.refresh_from_db()
    assert (case.channel, case.sender_reference, case.sender_reference_date) == (
        "post",
        "1234 / 2026",
        sent_on,
    )
    assert (case.pages, case.annexes) == (3, 2)
    assert case.reporter.kind == "organisation"


@pytest.mark.parametrize(
    ("details", "reason"),
    [
        ({"pages": 0}, "at least one page"),
        ({"annexes": -1}, "negative"),
        ({"sender_reference_date": date.today() + timedelta(days=2)}, "later than today"),
        ({"sender_reference": "x" * 61}, "at most 60"),
    ],
)
def test_wrong_register_details_are_refused_and_burn_no_number(city, details, reason):
    with pytest.raises(InvalidCase, match=reason):
        city.report(channel="post", actor=city.clerk, **details)
    assert last_number() == 0
