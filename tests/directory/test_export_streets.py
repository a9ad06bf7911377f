"""export_streets writes what import_streets reads back unchanged, as CSV or GeoJSON."""

import json

import pytest

from cetate.directory.models import Street
from tests.directory.conftest import DEMO, directory_state, wipe_directory, write

POSTAL = DEMO / "postal-streets.csv"


def test_the_export_of_the_post_office_list_is_that_list(db, run, tmp_path):
    run("import_streets", str(POSTAL))
    path = tmp_path / "streets.csv"

    assert run("export_streets", str(path)) == f"streets: 309 records written to {path}\n"

    # Same lines; the export ends them with \n where the post office's file has \r\n.
    exported = path.read_text(encoding="utf-8").splitlines()
    assert exported == POSTAL.read_text(encoding="utf-8").splitlines()


def locate_some_streets() -> None:
    """Points, lines and a street placed by hand with a point but no geometry."""
    Street.objects.filter(name="Mihai Viteazu").update(
        latitude=46.0689,
        longitude=23.5738,
        geometry={"type": "Point", "coordinates": [23.5738, 46.0689]},
    )
    Street.objects.filter(name="Unirii").update(
        latitude=46.0701,
        longitude=23.5702,
        geometry={"type": "LineString", "coordinates": [[23.57, 46.07], [23.5705, 46.0702]]},
    )
    Street.objects.filter(name="Cetatii").update(latitude=46.068, longitude=23.571)


@pytest.mark.parametrize("suffix", [".csv", ".geojson"])
def test_located_streets_round_trip(db, run, tmp_path, suffix):
    run("import_streets", str(POSTAL))
    locate_some_streets()
    before = directory_state()
    path = tmp_path / f"streets{suffix}"
    run("export_streets", str(path))

    assert run("import_streets", str(path)) == "streets: 0 new, 0 updated, 309 unchanged\n"
    wipe_directory()
    run("import_streets", str(path))

    assert directory_state() == before


def test_the_csv_export_adds_location_columns_only_when_needed(db, run, tmp_path):
    run("import_streets", str(POSTAL))
    locate_some_streets()
    path = tmp_path / "streets.csv"

    run("export_streets", str(path))

    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "street_type,street_and_range,postal_code,latitude,longitude,geometry"
    assert "Strada,Mihai Viteazu nr. 1-9; 2-8,510093,46.0689,23.5738," in lines
    assert "Strada,Cetatii,510205,46.068,23.571,null" in lines
    assert 'Strada,Unirii,510009,46.0701,23.5702,"{""type"":""LineString"",' in "\n".join(lines)


def test_the_geojson_export_is_a_feature_collection(db, run, tmp_path):
    path = write(
        tmp_path / "in.csv", "street_type,street_and_range,postal_code\nStrada,Unirii,510009\n"
    )
    run("import_streets", str(path))

    run("export_streets", str(tmp_path / "out.geojson"))

    exported = json.loads((tmp_path / "out.geojson").read_text(encoding="utf-8"))
    assert exported["features"] == [
        {
            "type": "Feature",
            "properties": {
                "type": "Strada",
                "name": "Unirii",
                "numbers": "",
                "postal_code": "510009",
            },
            "geometry": None,
        }
    ]
