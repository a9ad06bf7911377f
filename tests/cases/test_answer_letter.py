"""The answer letter states the decision and its legal basis, is signed by the head of the
institution and the head of the department that handled it, names the officer who prepared it
and the numbers of the petitions answered with it (OG 27/2002 art. 10, 13)."""

from datetime import datetime
from io import BytesIO

import pytest
from django.utils.translation import gettext, override
from pypdf import PdfReader

from cetate.cases import services
from cetate.cases.choices import Kind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.letter import LetterKind, letter_pdf, letters_of
from cetate.cases.services import Decision
from cetate.cases.workflow import Action
from cetate.contacts.services import create_contact
from cetate.lib.clock import replaying_at


def _ro(text: str) -> str:
    with override("ro"):
        return gettext(text)


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def at(day: int, hour: int = 10):
    return replaying_at(datetime(2026, 3, day, hour, 0, tzinfo=CITY_TZ))


@pytest.fixture
def resident():
    return create_contact(
        name="Ștefan Mureșan",
        postal_address="Str. Trandafirilor nr. 3, 510001 Alba Iulia",
        preferred_channel="post",
    )


@pytest.fixture
def signed(settings, city):
    settings.LETTER_SIGNATORY_TITLE = "Viceprimar"
    settings.LETTER_SIGNATORY_NAME = "Maria Ionescu"
    settings.LETTER_SIGNATORY_FOR = "Primar"
    city.technical.head_title = "Director executiv"
    city.technical.head_name = "Vasile Oprea"
    city.technical.save()
    city.officer.first_name, city.officer.last_name = "Ana", "Pop"
    city.officer.save()


def letter_of(case, kind: LetterKind) -> str:
    [letter] = [letter for letter in letters_of(case) if letter.kind == kind]
    return pdf_text(letter_pdf(case, letter.seq))


def test_the_answer_states_outcome_basis_signatures_and_the_cases_answered_with_it(
    city, resident, signed
):
    with at(2):
        case = city.report(reporter=resident, auto_route=True)
        joined = city.report(reporter=resident)
        other_resident = city.report(reporter=None)
    services.merge(case_id=joined.pk, into_case_id=case.pk, actor=city.dispatcher)
    services.link_cases(case_id=case.pk, other_case_id=other_resident.pk, actor=city.dispatcher)
    with at(3):
        services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    with at(10):
        services.change_status(
            case_id=case.pk,
            actor=city.officer,
            action=Action.RESOLVE,
            text="Groapa a fost astupată în parte; restul lucrării se face în aprilie.",
            decision=Decision("partly_granted", "og27-partly-granted"),
        )
    case.refresh_from_db()

    text = letter_of(case, LetterKind.ANSWER)

    assert _ro("Outcome: %(outcome)s.") % {"outcome": _ro("partly granted")} in text
    assert "soluționată parțial favorabil" in text
    assert _ro("Legal basis: %(basis)s") % {"basis": "OG 27/2002, art. 8 și art. 13"} in text
    # The head of the institution, signed for; the head of the department that handled it.
    assert _ro("For the %(title)s,") % {"title": "Primar"} in text
    assert "Viceprimar, Maria Ionescu" in text or "Viceprimar," in text
    assert "Maria Ionescu" in text
    assert "Director executiv," in text
    assert "Vasile Oprea" in text
    assert _ro("Prepared by: %(name)s") % {"name": "Ana Pop"} in text
    assert joined.number in text
    assert other_resident.number in text


def test_a_refusal_of_public_information_cites_the_exemption(city, resident, signed):
    with at(2):
        case = city.report(reporter=resident, kind=Kind.INFORMATION, category=None)
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    with at(4):
        services.change_status(
            case_id=case.pk,
            actor=city.officer,
            action=Action.RESOLVE,
            text="Nu vă putem comunica adresele vecinilor.",
            decision=Decision("refused", "l544-art12-d", information_topic="other"),
        )

    text = letter_of(case, LetterKind.ANSWER)

    assert _ro("Outcome: %(outcome)s.") % {"outcome": _ro("refused")} in text
    assert "Informațiile privesc date cu caracter personal." in text
    assert "Legea 544/2001, art. 12 alin. (1) lit. d)" in text


def test_without_a_head_in_the_directory_the_department_and_its_head_in_office_sign(
    city, resident, settings
):
    city.head.first_name, city.head.last_name = "Dorin", "Câmpean"
    city.head.save()
    settings.LETTER_SIGNATORY_TITLE, settings.LETTER_SIGNATORY_NAME = "Primar", "Ion Pop"
    settings.LETTER_SIGNATORY_FOR = ""
    with at(2):
        case = city.report(reporter=resident, auto_route=True)
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    services.change_status(
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Reparat.",
        decision=Decision("granted", "og27-report-solved"),
    )

    text = letter_of(case, LetterKind.ANSWER)

    assert "Primar, Ion Pop" in text or ("Primar," in text and "Ion Pop" in text)
    assert _ro("For the %(title)s,") % {"title": "Primar"} not in text
    assert "Direcția Tehnică, Dorin Câmpean" in text
    assert "Problema semnalată prin sesizare a fost analizată și rezolvată." in text


def test_a_rejection_states_the_filing_and_an_extension_its_own_article(city, resident):
    rejected = city.report(reporter=resident)
    services.change_status(
        case_id=rejected.pk, actor=city.dispatcher, action=Action.REJECT, text="Fără semnătură."
    )
    assert "OG 27/2002, art. 7" in letter_of(rejected, LetterKind.REJECTION)

    extended = city.report(reporter=resident, auto_route=True)
    services.change_status(case_id=extended.pk, actor=city.officer, action=Action.START)
    services.extend_deadline(
        case_id=extended.pk, actor=city.head, days=15, notice="Așteptăm avizul."
    )
    assert "OG 27/2002, art. 9" in letter_of(extended, LetterKind.EXTENSION)
