"""`manage.py apply_retention`: one run that says what it did, and its daily place in `serve`."""

from io import StringIO

import time_machine
from django.core.management import call_command

from cetate.directory.models import FileCode
from cetate.ops.management.serving import retention_job
from tests.contacts.lives import at, closed_case


def run() -> str:
    out = StringIO()
    call_command("apply_retention", "--batch-size", "1", stdout=out)
    return out.getvalue()


def commit(change, *args, **kwargs):
    return change(*args, **kwargs)


def test_runs_once_and_says_what_it_did(city):
    city.pothole.file_code = FileCode.objects.create(code="II-4", name="P", retention_years=5)
    city.pothole.save()
    closed_case(city, commit, on=at(2019, 3, 4))

    with time_machine.travel(at(2025, 1, 2), tick=False):
        first = run()
        again = run()

    assert first.startswith("1 cases anonymised (1 files deleted), 1 contacts and 0 calls")
    assert again.startswith("0 cases anonymised (0 files deleted), 0 contacts and 0 calls")


def test_serve_runs_it_every_day():
    program = retention_job()
    assert program.name == "apply_retention"
    assert program.argv[-3:] == ["apply_retention", "--every", "86400"]


def test_files_of_report_forms_never_sent_are_removed_after_their_hours(db):
    import os
    import time

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from cetate.portal import kept_files

    old = default_storage.save(f"{kept_files.FOLDER}/old", ContentFile(b"photo"))
    fresh = default_storage.save(f"{kept_files.FOLDER}/fresh", ContentFile(b"photo"))
    hours_ago = time.time() - kept_files.KEEP_SECONDS - 60
    os.utime(default_storage.path(old), (hours_ago, hours_ago))
    try:
        out = run()
        assert "1 files of report forms never sent removed." in out
        assert not default_storage.exists(old)
        assert default_storage.exists(fresh)
    finally:
        default_storage.delete(fresh)
