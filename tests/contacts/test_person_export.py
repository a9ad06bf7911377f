"""export_person: one ZIP with everything the city holds about one person — and nothing about
anyone else — recorded on each of their cases."""

import io
import json
import zipfile
from typing import Any

import pytest

from cetate.cases.choices import EventKind
from cetate.cases.errors import NotAllowed
from cetate.cases.uploads import Upload
from cetate.contacts.models import PersonalDataView
from cetate.contacts.person_export import export_person
from cetate.contacts.protection import restrict_processing
from cetate.contacts.services import create_contact, merge_contacts
from cetate.portal.models import Follower
from cetate.telephony.models import Call
from tests.cases.files import minimal_pdf, png
from tests.contacts.lives import at, closed_case


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


@pytest.fixture
def people(city, commit):
    """Ion (with a merged duplicate record) and Maria, each with cases, calls and files."""
    life = closed_case(city, commit, on=at(2025, 3, 3))
    duplicate = create_contact(name="I. Popescu", email="ion.p@example.org")
    from_duplicate = city.report(
        reporter=duplicate,
        description="Scrisoare",
        attachments=[Upload(name="scrisoare.pdf", content=minimal_pdf())],
    )
    merge_contacts(keep=city.resident, duplicate=duplicate, actor=city.dispatcher)
    Call.objects.create(
        call_id="unlinked", resident_phone="+40744123456", started_at=at(2025, 5, 1)
    )
    Follower.objects.create(case=city.report(reporter=None), email="ion@example.org")
    maria = create_contact(name="Maria Ionescu", email="maria@example.org", phone="0745 999 888")
    hers = city.report(
        reporter=maria,
        description="Câinele vecinului Mariei",
        attachments=[Upload(name="maria.png", content=png())],
    )
    Call.objects.create(
        call_id="maria", resident_phone="+40745999888", contact=maria, started_at=at(2025, 5, 2)
    )
    return {"life": life, "duplicate_case": from_duplicate, "hers": hers, "maria": maria}


def unzip(content: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop("personal-data.json")), files


def test_the_zip_holds_every_case_call_and_document_of_the_person(city, people):
    done = export_person(contact_id=city.resident.pk, actor=city.dpo, note="Cererea 7/2026")

    assert done.filename.startswith(f"personal-data-{city.resident.pk}-")
    data, files = unzip(done.content)
    life, duplicate_case = people["life"], people["duplicate_case"]
    assert {case["number"] for case in data["cases"]} == {
        life.case.number,
        duplicate_case.number,
    }
    assert {contact["email"] for contact in data["contacts"]} == {
        "ion@example.org",
        "ion.p@example.org",
    }
    assert {call["number"] for call in data["calls"]} == {"+40744123456"}
    assert len(data["calls"]) == 2
    assert [follow["email"] for follow in data["following"]] == ["ion@example.org"]
    assert any(m["text"] == "Domnule Popescu, echipa vine mâine." for m in data["messages"])
    assert [f["comment"] for f in data["feedback"]] == ["Mulțumesc, Ion"]
    assert any(n["recipient"] == "ion@example.org" for n in data["notifications"])
    events = {e["what"] for case in data["cases"] for e in case["events"]}
    assert {"note", "message", "feedback", "created"} <= events, "internal events too"
    listed = [a["file"] for case in data["cases"] for a in case["attachments"]]
    assert sorted(listed) == sorted(files)
    for case in data["cases"]:
        for attachment in case["attachments"]:
            assert len(files[attachment["file"]]) == attachment["size"]


def test_nothing_of_another_person_is_in_it(city, people):
    data, files = unzip(export_person(contact_id=city.resident.pk, actor=city.dpo).content)

    text = json.dumps(data, ensure_ascii=False)
    for other in ("Maria", "maria@example.org", "+40745999888", people["hers"].number):
        assert other not in text
    assert not any("maria" in name for name in files)


def test_every_export_is_recorded_on_each_case_and_in_the_log(city, people):
    export_person(contact_id=people["duplicate_case"].reporter_id, actor=city.dpo, note="7/2026")

    for case in (people["life"].case, people["duplicate_case"]):
        event = case.events.last()
        assert (event.kind, event.actor, event.data["data_protection"]) == (
            EventKind.DATA_PROTECTION,
            city.dpo,
            "exported",
        )
    assert PersonalDataView.objects.filter(
        user=city.dpo, contact=city.resident, what="data protection: complete export"
    ).exists()
    assert not people["hers"].events.filter(kind=EventKind.DATA_PROTECTION).exists()


def test_it_works_while_restricted_and_only_for_the_officer(city, people):
    restrict_processing(contact_id=city.resident.pk, actor=city.dpo, note="Cererea 8")
    data, _files = unzip(export_person(contact_id=city.resident.pk, actor=city.dpo).content)
    assert data["contacts"][0]["restricted_since"]
    with pytest.raises(NotAllowed):
        export_person(contact_id=city.resident.pk, actor=city.supervisor)


def test_the_messages_the_person_sent_are_in_it_as_received(
    city, people, django_capture_on_commit_callbacks
):
    from pathlib import Path

    from cetate.mail.pipeline import receive

    corpus = Path(__file__).parent.parent / "mail" / "corpus"
    letter = (
        (corpus / "plain.eml").read_bytes().replace(b"ion.popescu@example.org", b"Ion@Example.org")
    )
    away = (
        (corpus / "out-of-office.eml")
        .read_bytes()
        .replace(b"Vasile Rusu <vasile@example.org>", b"Ion <ion.p@example.org>")
    )
    hers = (
        (corpus / "html-only.eml").read_bytes().replace(b"maria@example.net", b"maria@example.org")
    )
    with django_capture_on_commit_callbacks(execute=True):
        for message in (letter, away, hers):
            receive(message, source="pipe")

    data, files = unzip(export_person(contact_id=city.resident.pk, actor=city.dpo).content)

    received = data["mail_received"]
    assert [(m["subject"], m["what_became_of_it"]) for m in received] == [
        ("Groapa pe strada Unirii", "case"),
        ("Automatic reply: Registration 12/2026", "auto_reply"),
    ]
    assert received[0]["case"] is not None
    assert {files[m["file"]] for m in received} == {letter, away}
    assert "maria" not in json.dumps(received)
