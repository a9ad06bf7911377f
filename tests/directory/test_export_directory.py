"""export_directory writes what import_directory reads: importing an export changes nothing."""

import pytest
from django.core.management.base import CommandError

from cetate.directory.models import Category, CategoryQuestion, Department, ResponseTemplate
from tests.directory.conftest import (
    DEMO,
    directory_state,
    import_demo_directory,
    wipe_directory,
)

FILES = ("departments", "categories", "questions", "templates")


def export_all(run, folder) -> str:
    arguments = []
    for name in FILES:
        arguments += [f"--{name}", str(folder / f"{name}.csv")]
    return run("export_directory", *arguments)


def import_all(run, folder) -> str:
    arguments = []
    for name in FILES:
        arguments += [f"--{name}", str(folder / f"{name}.csv")]
    return run("import_directory", *arguments)


def test_the_export_of_the_demo_directory_is_the_demo_files(db, run, tmp_path):
    import_demo_directory(run)

    output = export_all(run, tmp_path)

    assert f"departments: 15 records written to {tmp_path / 'departments.csv'}" in output
    for name in FILES:
        exported = (tmp_path / f"{name}.csv").read_text(encoding="utf-8")
        assert exported == (DEMO / f"{name}.csv").read_text(encoding="utf-8"), name


def test_importing_the_export_into_an_empty_directory_gives_the_same_directory(db, run, tmp_path):
    import_demo_directory(run)
    before = directory_state()
    export_all(run, tmp_path)
    wipe_directory()

    import_all(run, tmp_path)

    assert directory_state() == before


def test_importing_the_export_again_changes_nothing(db, run, tmp_path):
    import_demo_directory(run)
    export_all(run, tmp_path)

    output = import_all(run, tmp_path)

    lines = output.splitlines()
    assert len(lines) == len(FILES)
    assert all(": 0 new, 0 updated, " in line for line in lines), output


def test_what_the_admin_changed_survives_the_round_trip(db, run, tmp_path):
    """Values the demo files leave to defaults are written in optional columns when set."""
    import_demo_directory(run)
    Department.objects.filter(code="technical").update(
        email="tehnic@example.org", phone="+40258811111", postal_address="Calea Moților 5A"
    )
    Department.objects.filter(code="social").update(is_active=False)
    Category.objects.filter(code="roads.pothole").update(
        order=99, keywords="groapa, asfalt", outside_city_allowed=True, service_target=None
    )
    Category.objects.filter(code="order.graffiti").update(is_active=False, department=None)
    Category.objects.filter(code="animals").update(order=0)
    Category.objects.create(code="events", name="Evenimente", order=50)  # a group, still empty
    CategoryQuestion.objects.filter(code="pole").update(order=7, description="")
    ResponseTemplate.objects.create(name="Semn | special", body="{{literal}}\n", language="hu")
    before = directory_state()
    export_all(run, tmp_path)
    header = (tmp_path / "categories.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(
        ",outside_city_allowed,keywords,order,group_order,active"
        ",public_location,public_text,sensitive"
    )
    wipe_directory()

    import_all(run, tmp_path)

    assert directory_state() == before


def test_an_export_into_a_missing_folder_is_refused(db, run, tmp_path):
    with pytest.raises(CommandError, match="cannot be written"):
        run("export_directory", "--departments", str(tmp_path / "no" / "departments.csv"))
