"""An anonymous or unidentifiable petition on paper: registered (the register stays complete)
and filed at once, not considered (OG 27/2002 art. 7), by registry staff who say so."""

import pytest

from cetate.cases.errors import NotAllowed
from cetate.cases.models import Case
from cetate.cases.services import InvalidCase
from cetate.cases.services.intake import UnidentifiedAuthor
from cetate.contacts.services import create_contact
from cetate.directory.models import LegalBasis
from cetate.outbox.models import OutgoingMail

LETTER = {
    "kind": "complaint",
    "channel": "post",
    "reporter": None,
    "category": None,
    "latitude": None,
    "longitude": None,
}


def test_an_anonymous_letter_is_numbered_and_filed_without_telling_anyone(
    city, django_capture_on_commit_callbacks
):
    city.report()
    with django_capture_on_commit_callbacks(execute=True):
        filed = city.report(actor=city.clerk, file_unidentified=True, pages=2, **LETTER)
    filed.refresh_from_db()
    assert filed.registration_number == 2
    assert (filed.status, filed.outcome) == ("rejected", "filed")
    assert filed.legal_basis.code == "og27-art7"
    [created, change] = filed.events.order_by("seq")
    assert created.kind == "created"
    assert (change.kind, change.data["action"], change.to_status) == (
        "status_changed",
        "file",
        "rejected",
    )
    assert "OG 27/2002 art. 7" in change.text
    assert change.actor == city.clerk
    assert not OutgoingMail.objects.filter(case=filed).exists()
    assert city.report().registration_number == 3


def test_a_letter_with_an_email_but_no_name_is_filed_and_nobody_is_mailed(
    city, django_capture_on_commit_callbacks
):
    unsigned = create_contact(email="cineva@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        filed = city.report(
            actor=city.clerk, file_unidentified=True, **{**LETTER, "reporter": unsigned}
        )
    assert filed.outcome == "filed"
    assert not OutgoingMail.objects.exists()


def test_a_filed_petition_states_no_basis_when_the_city_removed_it_from_its_list(city):
    LegalBasis.objects.filter(code="og27-art7").delete()
    filed = city.report(actor=city.dispatcher, file_unidentified=True, **LETTER)
    assert (filed.outcome, filed.legal_basis) == ("filed", None)


def test_filing_must_be_asked_for(city):
    with pytest.raises(UnidentifiedAuthor):
        city.report(actor=city.clerk, **LETTER)
    assert not Case.objects.exists()


def test_an_identified_petition_is_not_filed(city):
    with pytest.raises(InvalidCase, match="can be registered as it is"):
        city.report(
            actor=city.clerk, file_unidentified=True, **{**LETTER, "reporter": city.resident}
        )
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("channel", "actor"), [("portal", None), ("api", "dispatcher"), ("phone", "dispatcher")]
)
def test_only_staff_file_and_only_petitions_on_paper(city, channel, actor):
    with pytest.raises(NotAllowed):
        city.report(
            file_unidentified=True,
            **{**LETTER, "channel": channel, "actor": actor and getattr(city, actor)},
        )
    assert not Case.objects.exists()
