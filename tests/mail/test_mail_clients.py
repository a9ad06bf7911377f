"""Letters as the mail programs residents use write them, and mail no resident wrote to the city,
through the one pipeline: what becomes of each, and what the officer reads on the case."""

import hashlib
from pathlib import Path

import pytest

from cetate.cases.models import Case
from cetate.mail.models import InboundMessage, Outcome
from cetate.mail.pipeline import Received, receive
from cetate.outbox.sending import send_due

CORPUS = Path(__file__).parent / "corpus"


def delivered(name: str, capture) -> tuple[Received, InboundMessage]:
    data = (CORPUS / name).read_bytes()
    with capture(execute=True):
        result = receive(data, source="pipe")
    return result, InboundMessage.objects.get(sha256=hashlib.sha256(data).hexdigest())


def case_of(result: Received) -> Case:
    assert result.outcome == Outcome.CASE
    assert result.case is not None
    number, year = result.case.split("/")
    return Case.objects.get(registration_number=number, registration_year=year)


def shown_part(case: Case) -> str:
    return case.description.split("The whole message:")[0]


def test_outlooks_letter_keeps_the_photo_within_it_and_leaves_out_the_signatures_logo(
    city, django_capture_on_commit_callbacks, mailoutbox
):
    result, row = delivered("outlook-inline-photo.eml", django_capture_on_commit_callbacks)

    case = case_of(result)
    assert row.subject == "Groapă periculoasă pe Bd. Revoluţiei 1989"
    assert case.description.startswith(
        "Groapă periculoasă pe Bd. Revoluţiei 1989\n\nBună ziua,\n\n"
        "Vă semnalez o groapă mare pe Bulevardul Revoluţiei 1989, în dreptul staţiei de autobuz "
        "„Cetate”. Vă trimit şi o fotografie:\n\n"
        "Groapa are cam 40 cm adâncime şi se umple cu apă când plouă;"
    )
    # Outlook's marks of where the images stood are no words of the resident.
    assert "[cid:" not in case.description
    # The message she quotes is kept below, not shown first.
    assert "De la: Asociaţia de Proprietari" not in shown_part(case)
    assert "noi am sunat deja de două ori" in case.description
    # The pothole's photo (320×240) is the case's; the 120×40 logo is the signature's.
    [photo] = case.attachments.all()
    assert (photo.original_name, photo.content_type) == ("image001.jpg", "image/jpeg")
    assert "not kept with the case" not in case.description
    assert (case.reporter.name, case.reporter.email) == (
        "Mihaela Ştefănescu",
        "mihaela.stefanescu@acme-construct.ro",
    )
    send_due()
    assert [mail.to for mail in mailoutbox] == [["mihaela.stefanescu@acme-construct.ro"]]


def test_apple_mails_text_after_the_photo_is_read_and_its_heic_file_is_named(
    city, django_capture_on_commit_callbacks
):
    result, _row = delivered("apple-mail-photo.eml", django_capture_on_commit_callbacks)

    case = case_of(result)
    assert case.description.startswith(
        "Bancă ruptă în parcul din Cetate\n\nBună ziua,\n\nÎn parcul din Cetate, lângă fântâna "
        "arteziană, o bancă este ruptă și are cuie ieșite în afară."
    )
    # iOS Mail sends the text written after a photo as a part of its own.
    assert "Vă rog să o reparați sau să o scoateți până nu se rănește cineva." in (shown_part(case))
    assert [a.original_name for a in case.attachments.all()] == ["IMG_4821.jpg"]
    refused = case.description.split("Files of the message not kept with the case:")[1]
    assert "“IMG_4822.HEIC” is not a photo (JPEG, PNG, WebP) or a PDF document." in refused


def test_a_subject_split_inside_a_letter_across_encoded_words_reads_whole(
    city, django_capture_on_commit_callbacks
):
    result, row = delivered("base64-split-subject.eml", django_capture_on_commit_callbacks)

    subject = "Sesizare: iluminat public stins pe strada Bărăbanț, de la nr. 12 la nr. 40"
    assert row.subject == subject
    case = case_of(result)
    assert case.description.startswith(
        f"{subject}\n\nBună seara,\n\nPe strada Bărăbanț, între numerele 12 și 40, nu arde "
        "niciun bec de trei nopți."
    )
    assert case.reporter.name == "Ștefania Lazăr"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Declared ISO-8859-1, written in UTF-8.
        (
            "wrong-charset.eml",
            "Formular: canal infundat\n\nCanalul de pe strada Mieilor, la intersecția cu strada "
            "Izvorului, este înfundat și apa stă în stradă.\nLocuitorii străzii vă roagă să "
            "trimiteți o echipă.",
        ),
        # "unknown-8bit", written in Windows-1250.
        (
            "unknown-charset.eml",
            "Copac uscat\n\nUn copac uscat din faţa blocului 7 de pe strada Tudor Vladimirescu "
            "stă să cadă peste maşini.\nVă rog să-l tăiaţi înainte de prima ninsoare.\n"
            "Gheorghe Mureşan",
        ),
    ],
)
def test_a_wrong_or_unknown_character_set_still_reads_right(
    city, django_capture_on_commit_callbacks, name, expected
):
    result, _row = delivered(name, django_capture_on_commit_callbacks)

    assert case_of(result).description == expected


@pytest.mark.parametrize(
    ("name", "outcome", "reason"),
    [
        ("no-from.eml", Outcome.QUARANTINED, "names no sender address to answer to"),
        ("mailing-list.eml", Outcome.AUTO_REPLY, "Sent by a mailing list (List-Id)."),
        ("newsletter-bulk.eml", Outcome.AUTO_REPLY, "Sent to many (Precedence: bulk)."),
    ],
)
def test_mail_with_nobody_to_answer_or_sent_to_many_opens_no_case_and_is_not_answered(
    city, django_capture_on_commit_callbacks, mailoutbox, name, outcome, reason
):
    result, row = delivered(name, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        send_due()

    assert (result.outcome, result.case) == (outcome, None)
    assert (row.outcome, row.case_id) == (outcome, None)
    assert reason in row.reason
    assert not Case.objects.exists()
    assert mailoutbox == []


def test_a_message_without_a_from_header_is_kept_with_an_empty_sender(
    city, django_capture_on_commit_callbacks
):
    _result, row = delivered("no-from.eml", django_capture_on_commit_callbacks)

    assert (row.sender, row.subject) == ("", "Scanned document")
    assert row.message_id == "<scan.20261207113000.0001@mfp-et2.scoala8.example.ro>"


def test_a_broken_byte_in_a_utf8_letter_spoils_that_letter_alone(
    city, django_capture_on_commit_callbacks
):
    # A character cut in half on the way: the rest is still read as the UTF-8 it is.
    data = (
        (CORPUS / "plain.eml")
        .read_bytes()
        .replace("groapă adâncă".encode(), b"groap\xc4 ad\xc3\xa2nc\xc4\x83", 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = receive(data, source="pipe")

    description = case_of(result).description
    assert "groap\ufffd adâncă" in description
    assert "Bună ziua," in description
