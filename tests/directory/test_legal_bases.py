"""load_legal_bases: the legal bases answers state, loaded once and kept as the city words them."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cetate.directory.io.legal_bases import export_legal_bases, import_legal_bases
from cetate.directory.models import LegalBasis

pytestmark = pytest.mark.django_db


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_legal_bases", *args, stdout=out)
    return out.getvalue()


def test_the_list_loads_once_and_keeps_the_citys_wording_unless_updated():
    assert "19 new" in load()
    assert "0 new, 0 updated, 19 unchanged" in load()
    LegalBasis.objects.filter(code="og27-granted").update(name="Cererea a fost aprobată.")

    load()
    assert LegalBasis.objects.get(code="og27-granted").name == "Cererea a fost aprobată."

    assert "1 updated" in load("--update")
    assert LegalBasis.objects.get(code="og27-granted").name.startswith("Petiția a fost analizată")


def test_a_bad_line_is_refused_with_its_place_and_nothing_is_loaded(tmp_path):
    bad = tmp_path / "bases.csv"
    bad.write_text(
        "code,citation,kind,outcome,name_ro,name_en\n"
        "hg-1,HG 1/2020,,granted,Aprobată,Granted\n"
        "hg-2,HG 2/2020,,approved,Aprobată,Granted\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"line 3.*outcome"):
        load("--file", str(bad))
    assert not LegalBasis.objects.exists()


def test_an_export_imports_back_unchanged(tmp_path):
    import_legal_bases()
    LegalBasis.objects.filter(code="l544-art12-a").update(is_active=False)
    path = tmp_path / "export.csv"
    export_legal_bases(path)
    result = import_legal_bases(path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 19)
