"""import_areas: polygons from GeoJSON, upserted by code, all or none."""

import json

import pytest
from django.core.management.base import CommandError

from cetate.directory.lookup import areas_at, city_boundary
from cetate.directory.models import Area
from cetate.test import square
from tests.directory.conftest import DEMO, write

BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[23.5, 46.0], [23.6, 46.1], [23.6, 46.0], [23.5, 46.1], [23.5, 46.0]]],
}


def collection(*features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def feature(geometry, **properties) -> dict[str, object]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def test_the_city_boundary_is_imported_under_the_code_it_is_given(db, run):
    output = run(
        "import_areas",
        str(DEMO / "boundary.geojson"),
        "--kind", "municipality",
        "--code", "city",
        "--name", "Alba Iulia",
    )  # fmt: skip

    assert output == "areas: 1 new, 0 updated, 0 unchanged\n"
    city = city_boundary()
    assert city is not None
    assert (city.name, city.kind) == ("Alba Iulia", "municipality")
    # The citadel of Alba Iulia is inside; Sebeș, 15 km south, is not.
    assert areas_at(latitude=46.0686, longitude=23.5705) == [city]
    assert areas_at(latitude=45.9583, longitude=23.5656) == []


def test_neighbourhoods_are_read_from_the_properties_named(db, run, tmp_path):
    path = write(
        tmp_path / "cartiere.geojson",
        collection(
            feature(square(46.0, 23.5, 46.05, 23.55), cod="centru", nume="Centru"),
            feature(
                {
                    "type": "MultiPolygon",
                    "coordinates": [square(46.05, 23.5, 46.1, 23.55)["coordinates"]],
                },
                cod=7,
                nume="Partoș",
                kind="district",
            ),
        ),
    )

    run("import_areas", str(path), "--code-property", "cod", "--name-property", "nume")

    areas = {area.code: (area.name, area.kind) for area in Area.objects.all()}
    assert areas == {"centru": ("Centru", "neighbourhood"), "7": ("Partoș", "district")}
    assert areas_at(latitude=46.02, longitude=23.52)[0].code == "centru"


def test_a_second_import_changes_nothing_and_a_changed_polygon_is_updated(db, run, tmp_path):
    path = write(
        tmp_path / "a.geojson",
        collection(feature(square(46, 23.5, 46.1, 23.6), code="c", name="C")),
    )
    run("import_areas", str(path))

    assert run("import_areas", str(path)) == "areas: 0 new, 0 updated, 1 unchanged\n"

    write(path, collection(feature(square(46, 23.5, 46.2, 23.6), code="c", name="C")))
    assert run("import_areas", str(path)) == "areas: 0 new, 1 updated, 0 unchanged\n"
    assert Area.objects.get(code="c").max_lat == 46.2


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        (
            feature(BOW_TIE, code="bad", name="Bad"),
            "feature 2 (“bad”): invalid geometry (Self-intersection",
        ),
        (
            feature({"type": "Point", "coordinates": [23.5, 46]}, code="dot", name="Dot"),
            "feature 2 (“dot”): the geometry is Point; expected Polygon / MultiPolygon",
        ),
        (
            feature(square(5_100_000, 390_000, 5_200_000, 400_000), code="stereo", name="S"),
            "feature 2 (“stereo”): the coordinates are not longitude and latitude",
        ),
        (
            feature({"type": "Polygon", "coordinates": [[1, 2]]}, code="junk", name="J"),
            "feature 2 (“junk”): invalid coordinates",
        ),
        (feature(square(46, 23.5, 46.1, 23.6), name="No code"), "feature 2: no “code” property"),
        (feature(square(46, 23.5, 46.1, 23.6), code="x"), "feature 2 (“x”): no “name” property"),
        (
            feature(square(46, 23.5, 46.1, 23.6), code="good", name="Again"),
            "feature 2 (“good”): the code is already used by feature 1",
        ),
        (
            feature(square(46, 23.5, 46.1, 23.6), code="y", name="Y", kind="county"),
            "“county” is not a kind of area",
        ),
    ],
    ids=["crossing", "point", "projected", "junk", "no code", "no name", "repeated", "kind"],
)
def test_an_invalid_feature_refuses_the_whole_file(db, run, tmp_path, second, expected):
    path = write(
        tmp_path / "areas.geojson",
        collection(feature(square(46, 23.5, 46.1, 23.6), code="good", name="Good"), second),
    )

    with pytest.raises(CommandError) as error:
        run("import_areas", str(path))

    assert str(error.value).startswith(f"{path}, ")
    assert expected in str(error.value)
    assert not Area.objects.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "not valid JSON"),
        ('{"type": "Polygon", "coordinates": []}', "expected a GeoJSON FeatureCollection"),
        (collection(), "the file has no features"),
    ],
)
def test_files_that_are_not_feature_collections_are_refused(db, run, tmp_path, text, expected):
    path = write(tmp_path / "areas.geojson", text)

    with pytest.raises(CommandError, match=expected):
        run("import_areas", str(path))


def test_a_code_is_given_only_for_a_single_feature(db, run, tmp_path):
    path = write(
        tmp_path / "two.geojson",
        collection(
            feature(square(46, 23.5, 46.1, 23.6), name="A"),
            feature(square(46, 23.5, 46.1, 23.6), name="B"),
        ),
    )

    with pytest.raises(CommandError, match="only for a file with one feature; this one has 2"):
        run("import_areas", str(path), "--code", "city")
