"""manage.py receive_mail: one message on standard input, one JSON line, the MTA's exit codes."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from cetate.cases.models import Case
from cetate.mail.models import InboundMessage

CORPUS = Path(__file__).parent / "corpus"


def pipe(name: str):
    out, err = io.StringIO(), io.StringIO()
    stdin = io.BytesIO((CORPUS / name).read_bytes())
    try:
        call_command("receive_mail", stdin=stdin, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    else:
        code = 0
    lines = out.getvalue().splitlines()
    return code, json.loads(lines[0]) if lines else None, err.getvalue()


def test_a_letter_piped_in_prints_its_case_and_exits_0(city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        code, line, _err = pipe("plain.eml")

    case = Case.objects.get()
    assert code == 0
    assert line == {"outcome": "case", "case": case.number, "message_id": "<plain-1@example.org>"}

    code, line, _err = pipe("plain.eml")
    assert (code, line["outcome"], line["case"]) == (0, "duplicate", case.number)


def test_an_automatic_message_is_stored_and_exits_0(city):
    code, line, _err = pipe("out-of-office.eml")

    assert code == 0
    assert line == {"outcome": "auto_reply", "case": None, "message_id": "<ooo-1@example.org>"}
    assert InboundMessage.objects.get().outcome == "auto_reply"


def test_a_message_that_cannot_be_stored_exits_75_for_the_mta_to_retry(city, monkeypatch):
    def full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(default_storage, "save", full)

    code, line, err = pipe("plain.eml")

    assert (code, line) == (75, None)
    assert "could not be stored" in err
    assert not InboundMessage.objects.exists()


@pytest.mark.parametrize("name", ["broken-mime.eml", "dsn.eml"])
def test_whatever_the_outcome_a_stored_message_exits_0(city, name):
    code, line, _err = pipe(name)

    assert code == 0
    assert line["case"] is None


def test_staff_download_the_message_as_received_from_the_admin(client, city):
    from django.urls import reverse

    pipe("broken-mime.eml")
    message = InboundMessage.objects.get()
    client.force_login(city.admin)

    page = client.get(reverse("admin:mail_inboundmessage_change", args=[message.pk]))
    download = client.get(reverse("admin:mail_inboundmessage_raw", args=[message.pk]))

    assert "MIME structure is broken" in page.content.decode()
    assert download["Content-Type"] == "message/rfc822"
    assert b"".join(download.streaming_content) == (CORPUS / "broken-mime.eml").read_bytes()
    client.force_login(city.officer)
    assert client.get(reverse("admin:mail_inboundmessage_raw", args=[message.pk])).status_code in (
        302,
        403,
    )
