"""The messages the city received are kept only as long as what they serve: with their case's
personal data, or MAIL_KEEP_UNLINKED_DAYS days when tied to no case; held ones until a person
decides. The row stays, without personal details, for the statistics."""

import hashlib
import io
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from cetate.cases.services.anonymisation import Reason, anonymise_case, delete_anonymised_files
from cetate.directory.models import FileCode
from cetate.mail.models import InboundMessage, Outcome
from cetate.mail.pipeline import receive
from cetate.mail.retention import forget_unlinked_messages
from tests.contacts.lives import at, closed_case

CORPUS = Path(__file__).parent / "corpus"


def arrived(name: str, *, replace: tuple[bytes, bytes] = (b"", b"")) -> InboundMessage:
    data = (CORPUS / name).read_bytes()
    if replace[0]:
        data = data.replace(*replace)
    receive(data, source="pipe")
    return InboundMessage.objects.get(sha256=hashlib.sha256(data).hexdigest())


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


def test_the_messages_of_an_anonymised_case_leave_storage_and_their_details_go(city, commit):
    file_code = FileCode.objects.create(code="II-4", name="Petiții", retention_years=5)
    city.pothole.parent.file_code = file_code
    city.pothole.parent.save()
    case = closed_case(city, commit, on=at(2019, 3, 4)).case
    with time_machine.travel(at(2019, 3, 5), tick=False):
        letter = arrived("plain.eml")
    # The letter joined the case (as a reply joins it).
    InboundMessage.objects.filter(pk=letter.pk).update(case=case, outcome=Outcome.REPLY)
    kept_as = letter.raw.name

    with time_machine.travel(at(2025, 2, 1), tick=False):
        anonymise_case(case_id=case.pk, actor=None, reason=Reason.RETENTION)
        letter.refresh_from_db()
        # The details go with the case; the bytes once the change has committed.
        assert (letter.sender, letter.subject, letter.message_id) == ("", "", "")
        delete_anonymised_files(case_id=case.pk)

    letter.refresh_from_db()
    assert not default_storage.exists(kept_as)
    assert letter.raw.name == ""
    assert (letter.outcome, letter.case, letter.received_at) == (
        Outcome.REPLY,
        case,
        at(2019, 3, 5),
    )


def test_messages_tied_to_no_case_are_forgotten_after_their_days_held_ones_never(
    city, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_KEEP_UNLINKED_DAYS = 90
    with django_capture_on_commit_callbacks(execute=True):
        automatic = arrived("out-of-office.eml")
        bounce = arrived("dsn.eml")
        letter = arrived("windows-1250.eml")
        settings.MAIL_MAX_BYTES = 100
        held = arrived("plain.eml")
    assert (automatic.outcome, bounce.outcome, held.outcome, letter.outcome) == (
        Outcome.AUTO_REPLY,
        Outcome.BOUNCE,
        Outcome.QUARANTINED,
        Outcome.CASE,
    )
    files = {row.pk: row.raw.name for row in (automatic, bounce, held, letter)}

    with time_machine.travel(timezone.now() + timedelta(days=89), tick=False):
        assert forget_unlinked_messages() == 0
    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        output = io.StringIO()
        call_command("apply_retention", stdout=output)
        assert "2 messages tied to no case removed." in output.getvalue()
        assert forget_unlinked_messages() == 0  # once is enough

    for row in (automatic, bounce):
        row.refresh_from_db()
        assert (row.raw.name, row.sender, row.subject, row.message_id) == ("", "", "", "")
        assert not default_storage.exists(files[row.pk])
        assert row.outcome in (Outcome.AUTO_REPLY, Outcome.BOUNCE)
    for row in (held, letter):
        row.refresh_from_db()
        assert row.sender and row.raw.name == files[row.pk]
        assert default_storage.exists(files[row.pk])


def test_a_discarded_message_loses_its_details_with_its_bytes(city, settings):
    settings.MAIL_MAX_BYTES = 100
    held = arrived("plain.eml")
    InboundMessage.objects.filter(pk=held.pk).update(
        outcome=Outcome.DISCARDED, decided_at=timezone.now()
    )

    with time_machine.travel(timezone.now() + timedelta(days=31), tick=False):
        output = io.StringIO()
        call_command("apply_retention", stdout=output)

    assert "1 discarded message removed." in output.getvalue()
    held.refresh_from_db()
    assert (held.raw.name, held.sender, held.subject) == ("", "", "")
    assert held.outcome == Outcome.DISCARDED
