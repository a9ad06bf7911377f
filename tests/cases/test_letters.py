"""Letters to residents who asked for answers by post or at the desk, and the forwarding letter
to an external organisation: which events make letters, and what each PDF says."""

from datetime import datetime

import pypdfium2  # type: ignore[import-untyped]
import pytest
import zxingcpp
from django.conf import settings
from django.utils.translation import gettext, override

from cetate.cases import services
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.letter import (
    LetterKind,
    NoSuchLetter,
    forwarding_pdf,
    letter_pdf,
    letters_of,
)
from cetate.cases.notifications import tracking_url
from cetate.cases.receipt import legal_basis
from cetate.cases.workflow import Action
from cetate.contacts.services import create_contact
from cetate.lib.clock import replaying_at
from cetate.test import GRANTED

A4_POINTS = (595, 842)
ADDRESS = "Str. Trandafirilor nr. 3, 510001 Alba Iulia"


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: letters speak the language of the request."""
    with override("ro"):
        return gettext(text)


def pdf_pages(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [" ".join(page.get_textpage().get_text_range().split()) for page in document]
    finally:
        document.close()


def page_text(pdf: bytes) -> str:
    return " ".join(pdf_pages(pdf))


def at(day: int, hour: int = 10):
    return replaying_at(datetime(2026, 3, day, hour, 0, tzinfo=CITY_TZ))


@pytest.fixture
def resident():
    return create_contact(
        name="Ștefan Mureșan",
        postal_address=ADDRESS,
        phone="0744 555 666",
        preferred_channel="post",
    )


@pytest.fixture
def officer(city):
    city.officer.first_name, city.officer.last_name = "Ana", "Pop"
    city.officer.save()
    return city.officer


def answered(city, officer, reporter, **overrides):
    """Registered on 2 March 2026, worked by the technical directorate, answered on the 10th."""
    with at(2):
        case = city.report(reporter=reporter, auto_route=True, **overrides)
    with at(3):
        services.change_status(case_id=case.pk, actor=officer, action=Action.START)
    with at(10):
        services.change_status(
            case_id=case.pk,
            actor=officer,
            action=Action.RESOLVE,
            text="Groapa a fost astupată.\n\nEchipa a lucrat pe 9 martie.",
            decision=GRANTED,
        )
    case.refresh_from_db()
    return case


@pytest.fixture
def by_post(city, officer, resident):
    return answered(city, officer, resident)


def test_letters_of_lists_what_the_resident_is_told_in_words(city, officer, resident):
    with at(2):
        case = city.report(reporter=resident, auto_route=True)
    pk = case.pk
    with at(3):
        services.change_status(case_id=pk, actor=officer, action=Action.START)
        services.add_note(case_id=pk, actor=officer, text="Intern: de verificat.")
        services.change_status(
            case_id=pk, actor=officer, action=Action.WAIT, text="Așteptăm avizul rețelei."
        )
    with at(4):
        services.change_status(case_id=pk, actor=officer, action=Action.RESUME)
        services.message_resident(case_id=pk, actor=officer, text="Revenim în curând.")
        services.extend_deadline(case_id=pk, actor=city.head, days=15, notice="Lucrare complexă.")
    with at(10):
        services.change_status(
            case_id=pk, actor=officer, action=Action.RESOLVE, text="Reparat.", decision=GRANTED
        )

    letters = letters_of(case)

    assert [letter.kind for letter in letters] == [
        LetterKind.WAITING,
        LetterKind.MESSAGE,
        LetterKind.EXTENSION,
        LetterKind.ANSWER,
    ]
    assert [letter.title for letter in letters] == [
        "Notice that the case is waiting",
        "Message",
        "Notice of extension",
        "Answer",
    ]
    assert [letter.date.day for letter in letters] == [3, 4, 4, 10]
    events = {event.seq: event for event in case.events.all()}
    assert events[letters[-1].seq].text == "Reparat."


def test_rejections_redirections_and_answers_on_the_spot_make_letters(city, resident):
    rejected = city.report(reporter=resident)
    services.change_status(
        case_id=rejected.pk, actor=city.dispatcher, action=Action.REJECT, text="Petiție anonimă."
    )
    redirected = city.report(reporter=resident)
    services.redirect(
        case_id=redirected.pk, actor=city.dispatcher, to=city.water_operator, reason="Apă."
    )
    question = city.report(
        kind="inquiry", category=None, reporter=resident, answer_on_spot="Luni–vineri."
    )
    assert [letter.kind for letter in letters_of(rejected)] == [LetterKind.REJECTION]
    # The redirection's status change and its own event say the same: one letter.
    assert [letter.kind for letter in letters_of(redirected)] == [LetterKind.REDIRECTION]
    assert [letter.kind for letter in letters_of(question)] == [LetterKind.ANSWER]
    # Registration and routing are no letters: the receipt covers them.
    assert letters_of(city.report(reporter=resident, auto_route=True)) == []


def test_the_answer_letter_states_number_date_addressee_answer_and_legal_basis(
    city, officer, by_post
):
    [answer] = letters_of(by_post)
    pdf = letter_pdf(by_post, answer.seq)

    assert pdf.startswith(b"%PDF-")
    text = page_text(pdf)
    assert _ro("No. %(number)s / %(date)s") % {"number": by_post.number, "date": "10.03.2026"} in (
        text
    )
    assert "Ștefan Mureșan" in text
    assert ADDRESS in text
    assert "Groapa a fost astupată. Echipa a lucrat pe 9 martie." in text
    # The decision's legal basis, not the term the case was held to.
    assert _ro("Legal basis: %(basis)s") % {"basis": "OG 27/2002, art. 8 și art. 13"} in text
    assert "Petiția a fost analizată și soluționată favorabil" in text
    with override("ro"):
        assert legal_basis(by_post) not in text
    assert "02.03.2026" in text  # the registration the letter answers
    assert settings.CITY_NAME in text
    assert "Calea Moților nr. 5A, 510134 Alba Iulia" in text
    assert settings.CITY_EMAIL in text
    assert "Ana Pop" in text
    assert "Direcția Tehnică" in text
    assert by_post.tracking_code in text
    assert tracking_url(by_post) in text


def test_the_letter_is_a4_with_the_tracking_qr_code(by_post):
    [answer] = letters_of(by_post)
    document = pypdfium2.PdfDocument(letter_pdf(by_post, answer.seq))
    try:
        assert len(document) == 1
        page = document[0]
        assert tuple(round(side) for side in page.get_size()) == A4_POINTS
        codes = zxingcpp.read_barcodes(page.render(scale=3).to_pil())
    finally:
        document.close()
    assert [code.text for code in codes] == [tracking_url(by_post)]


def test_a_letter_to_an_english_speaking_resident_is_in_english(city, officer):
    resident = create_contact(
        name="John Smith", postal_address="1 High Street, Oxford", preferred_channel="post"
    )
    case = answered(city, officer, resident, language="en")
    [answer] = letters_of(case)

    text = page_text(letter_pdf(case, answer.seq))

    assert "Answer" in text
    assert f"No. {case.number} / 10.03.2026" in text
    assert f"Subject: your case registered under no. {case.number} on 02.03.2026" in text
    assert "Outcome: granted." in text
    assert "The petition was examined and granted, as set out in the answer." in text
    assert "Legal basis: OG 27/2002, art. 8 și art. 13" in text
    assert "Technical directorate" in text
    assert "John Smith" in text
    assert "1 High Street, Oxford" in text


def test_a_long_answer_runs_over_pages_each_marked_with_the_number(city, officer, resident):
    paragraph = "Lucrările au cuprins frezarea, așternerea stratului de bază și compactarea. "
    with at(2):
        case = city.report(reporter=resident, auto_route=True)
    services.change_status(case_id=case.pk, actor=officer, action=Action.START)
    services.change_status(
        case_id=case.pk,
        actor=officer,
        action=Action.RESOLVE,
        text="\n\n".join([paragraph * 4] * 25),
        decision=GRANTED,
    )
    [answer] = letters_of(case)

    pages = pdf_pages(letter_pdf(case, answer.seq))

    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        footer = _ro("%(document)s, page %(page)d") % {"document": case.number, "page": number}
        assert footer in text


def test_the_redirection_letter_names_the_organisation(city, resident):
    city.water_operator.postal_address = "Str. Vasile Goldiș nr. 1A, Alba Iulia"
    city.water_operator.save()
    case = city.report(reporter=resident)
    services.redirect(
        case_id=case.pk, actor=city.dispatcher, to=city.water_operator, reason="Rețeaua de apă."
    )
    [notice] = letters_of(case)

    text = page_text(letter_pdf(case, notice.seq))

    assert "Rețeaua de apă." in text
    assert "Apa CTTA" in text
    assert "Str. Vasile Goldiș nr. 1A, Alba Iulia" in text
    assert "apa@example.org" in text
    assert "6 (2)" in text


def test_a_letter_to_collect_at_the_desk_says_so(city, officer):
    resident = create_contact(name="Maria Ionescu", phone="0744 111 222")
    case = answered(city, officer, resident, answer_channel="desk")
    [answer] = letters_of(case)

    text = page_text(letter_pdf(case, answer.seq))

    assert "Maria Ionescu" in text
    assert _ro("To be collected at the front desk") in text


def test_an_event_the_resident_is_not_told_is_no_letter(city, by_post):
    told = {letter.seq for letter in letters_of(by_post)}
    untold = set(by_post.events.values_list("seq", flat=True)) - told
    assert len(untold) >= 3  # registered, routed, started
    for seq in [*untold, 999]:
        with pytest.raises(NoSuchLetter):
            letter_pdf(by_post, seq)


def test_the_forwarding_letter_gives_the_organisation_the_facts_and_the_resident(city, resident):
    city.water_operator.postal_address = "Str. Vasile Goldiș nr. 1A\n510000 Alba Iulia"
    city.water_operator.save()
    with at(2):
        case = city.report(
            reporter=resident,
            title="Apă pe carosabil",
            description="Țeavă spartă în fața blocului 7",
            address="Str. Primăverii 7",
        )
    with at(4):
        case = services.redirect(
            case_id=case.pk,
            actor=city.dispatcher,
            to=city.water_operator,
            reason="Rețeaua de apă este a operatorului.",
        )

    text = page_text(forwarding_pdf(case))

    assert _ro("No. %(number)s / %(date)s") % {"number": case.number, "date": "04.03.2026"} in (
        text
    )
    assert "Apa CTTA" in text
    assert "Str. Vasile Goldiș nr. 1A 510000 Alba Iulia" in text
    assert "02.03.2026 10:00" in text
    assert "Drumuri › Groapă în carosabil" in text
    assert "Str. Primăverii 7" in text
    assert "Țeavă spartă în fața blocului 7" in text
    assert "Rețeaua de apă este a operatorului." in text
    assert "Ștefan Mureșan" in text
    assert "+40744555666" in text
    assert ADDRESS in text
    assert "6 (2)" in text
    assert "Calea Moților nr. 5A" in text


def test_a_case_not_sent_to_an_organisation_has_no_forwarding_letter(city):
    case = city.report(auto_route=True)
    with pytest.raises(NoSuchLetter):
        forwarding_pdf(case)
    case = services.redirect(
        case_id=case.pk, actor=city.dispatcher, to=city.lighting, reason="Becuri."
    )
    with pytest.raises(NoSuchLetter):
        forwarding_pdf(case)
