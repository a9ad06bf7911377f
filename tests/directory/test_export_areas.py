"""export_areas writes a FeatureCollection that import_areas reads back unchanged."""

import json

from cetate.directory.models import Area
from cetate.test import square
from tests.directory.conftest import DEMO, directory_state, wipe_directory


def test_areas_round_trip(db, run, tmp_path):
    run("import_areas", str(DEMO / "boundary.geojson"), "--kind", "municipality", "--code", "city")
    Area.objects.create(
        code="centru",
        name="Centru",
        kind="neighbourhood",
        geometry=square(46.06, 23.56, 46.08, 23.58),
    )
    Area.objects.create(
        code="old", name="Fost cartier", geometry=square(46.0, 23.5, 46.01, 23.51), is_active=False
    )
    before = directory_state()
    path = tmp_path / "areas.geojson"

    output = run("export_areas", str(path))

    assert output == f"areas: 3 records written to {path}\n"
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert exported["type"] == "FeatureCollection"
    properties = [feature["properties"] for feature in exported["features"]]
    assert [p["code"] for p in properties] == ["city", "centru", "old"]
    assert properties[2] == {
        "code": "old",
        "name": "Fost cartier",
        "kind": "neighbourhood",
        "active": False,
    }
    assert run("import_areas", str(path)) == "areas: 0 new, 0 updated, 3 unchanged\n"
    wipe_directory()
    # The kinds travel in the file: a different --kind changes nothing.
    run("import_areas", str(path), "--kind", "district")
    assert directory_state() == before
