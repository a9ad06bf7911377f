"""Every intake writes a case's files to storage before the case's transaction opens, and
removes them again when the case is not registered."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cetate.cases.filestore import FOLDER, forget_unrecorded, write
from cetate.cases.models import Attachment, Case
from cetate.cases.services import add_attachment
from cetate.cases.uploads import Upload, clean_upload
from cetate.mail.pipeline import receive
from cetate.open311.keys import create_key
from tests.cases.files import minimal_pdf, png
from tests.console.test_intake import call_form
from tests.portal.reporting import pothole, send, upload

CORPUS = Path(__file__).parent.parent / "mail" / "corpus"


@pytest.fixture
def storage_outside_transactions(settings, transactional_db):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.cases.outside_transactions.StorageOutsideTransactions"},
    }


def stored_files() -> list[str]:
    found: list[str] = []

    def walk(folder: str) -> None:
        try:
            folders, names = default_storage.listdir(folder)
        except FileNotFoundError:
            return
        found.extend(f"{folder}/{name}" for name in names)
        for sub in folders:
            walk(f"{folder}/{sub}")

    walk(FOLDER)
    return sorted(found)


def test_every_intake_writes_its_files_outside_any_transaction(
    storage_outside_transactions, city, client
):
    # The portal.
    assert send(client, {**pothole(city), "documents": [upload("a.png", png(), "image/png")]})
    # The console: phone, desk and post take files alike.
    client.force_login(city.clerk)
    scan = SimpleUploadedFile("cerere.pdf", minimal_pdf(), content_type="application/pdf")
    desk = call_form(city, kind="request", category=city.noise.pk, name="Maria Pop")
    client.post("/console/desk/", {**desk, "postal_address": "Strada Mare 3", "documents": [scan]})
    # Open311.
    _key, raw_key = create_key("FixMyStreet Alba")
    photo = SimpleUploadedFile("groapa.png", png(), content_type="image/png")
    client.post(
        "/open311/v2/requests.json",
        {
            "api_key": raw_key,
            "jurisdiction_id": "apulum.ro",
            "service_code": "roads.pothole",
            "lat": "46.07",
            "long": "23.58",
            "description": "Groapă",
            "media": photo,
        },
    )
    # Mail, and a document added to a case afterwards (the console's and the API's way).
    receive((CORPUS / "attachment-png.eml").read_bytes(), source="pipe")
    first = Case.objects.order_by("pk").first()
    assert first is not None
    add_attachment(
        case_id=first.pk, actor=city.dispatcher, upload=Upload("scan.pdf", minimal_pdf())
    )

    channels = sorted(Attachment.objects.values_list("case__channel", flat=True))
    assert channels == ["api", "desk", "email", "portal", "portal"]
    assert stored_files() == sorted(Attachment.objects.values_list("file", flat=True))


def test_a_case_not_registered_leaves_no_file(storage_outside_transactions, city, client):
    refused = send(
        client,
        {**pothole(city), "description": "", "documents": [upload("a.png", png(), "image/png")]},
    )

    assert refused.status_code == 200
    assert not Case.objects.exists()
    assert stored_files() == []


def test_a_file_a_stopped_process_left_is_removed_days_later(city):
    # Written for a case whose process stopped before its transaction committed.
    left = write(clean_upload(Upload("a.png", png())))
    assert stored_files() == [left.stored_as]

    assert forget_unrecorded() == 0  # it may still be on its way into a case
    with time_machine.travel(timezone.now() + timedelta(days=3), tick=False):
        assert forget_unrecorded() == 1
    assert stored_files() == []
