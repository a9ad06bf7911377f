"""file-codes.csv: the archival nomenclature is imported, exported and round-trips like the
rest of the directory, with errors naming the line and column."""

import pytest
from django.core.management.base import CommandError

from cetate.directory.models import Category, FileCode
from tests.directory.conftest import DEMO, write


@pytest.fixture
def categories(db, run):
    run(
        "import_directory",
        "--departments",
        str(DEMO / "departments.csv"),
        "--categories",
        str(DEMO / "categories.csv"),
    )


def nomenclature() -> list[tuple[object, ...]]:
    return sorted(
        FileCode.objects.values_list(
            "code", "name", "name_en", "retention_years", "kept_by_law", "legal_basis"
        )
    )


def filed() -> dict[str, str | None]:
    return dict(Category.objects.values_list("code", "file_code__code"))


def test_the_demo_nomenclature_files_the_categories(categories, run):
    out = run("import_directory", "--file-codes", str(DEMO / "file-codes.csv"))

    assert "file codes: 8 new" in out
    petitions = FileCode.objects.get(code="II-4")
    assert (petitions.retention_years, petitions.kept_by_law) == (5, True)
    assert FileCode.objects.get(code="I-1").retention_years == 10
    assert FileCode.objects.get(code="II-5").retention_years == 3
    assert filed()["roads"] == "II-4"
    assert filed()["administration.information"] == "II-5"
    assert filed()["roads.pothole"] is None, "a category follows its group's file code"


def test_an_export_imports_again_to_the_same_nomenclature(categories, run, tmp_path):
    run("import_directory", "--file-codes", str(DEMO / "file-codes.csv"))
    Category.objects.filter(code="taxes.query").update(file_code=FileCode.objects.get(code="I-1"))
    before = (nomenclature(), filed())
    path = tmp_path / "file-codes.csv"

    assert "file codes: 8 records written" in run("export_directory", "--file-codes", str(path))
    FileCode.objects.update(retention_years=1)
    Category.objects.update(file_code=None)
    run("import_directory", "--file-codes", str(path))

    assert (nomenclature(), filed()) == before
    again = run("import_directory", "--file-codes", str(path))
    assert "0 new, 0 updated, 8 unchanged" in again


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("II-4,Petiții,,0,yes,,", "line 2, column “retention_years”: a number of years from 1"),
        ("II-4,Petiții,,5,maybe,,", "column “kept_by_law”: “maybe” is not yes or no"),
        ("II-4,Petiții,,5,yes,,roads nowhere", "no category has the code “nowhere”"),
        ("II 4,Petiții,,5,yes,,", "column “code”: “II 4” is not a code"),
    ],
)
def test_a_bad_line_is_refused_and_nothing_is_written(categories, run, tmp_path, line, message):
    header = "code,name_ro,name_en,retention_years,kept_by_law,legal_basis,categories\n"
    path = write(tmp_path / "file-codes.csv", header + line + "\n")
    with pytest.raises(CommandError, match=message):
        run("import_directory", "--file-codes", str(path))
    assert not FileCode.objects.exists()


def test_a_category_is_filed_once(categories, run, tmp_path):
    path = write(
        tmp_path / "file-codes.csv",
        "code,name_ro,name_en,retention_years,categories\n"
        "II-4,Petiții,,5,roads\n"
        "II-5,Informații,,3,roads\n",
    )
    with pytest.raises(CommandError, match="line 3, column “categories”: “roads” is already"):
        run("import_directory", "--file-codes", str(path))
