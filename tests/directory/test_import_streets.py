"""import_streets: the post office's list (CSV), with coordinates or GIS geometries."""

import json

import pytest
from django.core.management.base import CommandError

from cetate.directory.models import Street
from tests.directory.conftest import DEMO, write

POSTAL = DEMO / "postal-streets.csv"
HEADER = "street_type,street_and_range,postal_code\n"


def rows_of(name: str) -> list[tuple[str, str, str]]:
    return list(
        Street.objects.filter(name=name)
        .order_by("id")
        .values_list("street_type", "number_range", "postal_code")
    )


def test_the_post_office_list_is_split_into_names_and_ranges(db, run):
    output = run("import_streets", str(POSTAL))

    assert output == "streets: 309 new, 0 updated, 0 unchanged\n"
    assert rows_of("Ratiu Ion, doctor")[:2] == [
        ("Strada", "nr. 1-17; 2-20", "510032"),
        ("Strada", "nr. 19-T; 22-T", "510045"),
    ]
    assert rows_of("Transilvaniei")[5] == ("Bulevard", "bl.16, 17, 18, 20, 22, 54, 56", "510005")
    assert rows_of("Ferdinand I.")[0] == ("Bulevard", "nr. 1-T", "510146")
    assert rows_of("Almasului") == [("Strada", "", "510197")]
    bratianu = Street.objects.get(name="Bratianu Ion Constantin")
    assert bratianu.search_key == "bratianu constantin ion piata"
    assert Street.objects.get(name="Béthlen Gabriel").search_key == "bethlen gabriel strada"


def test_a_second_import_changes_nothing(db, run):
    run("import_streets", str(POSTAL))

    assert run("import_streets", str(POSTAL)) == "streets: 0 new, 0 updated, 309 unchanged\n"
    assert Street.objects.count() == 309


def test_rows_are_kept_or_replaced_as_asked(db, run, tmp_path):
    run("import_streets", str(POSTAL))
    path = write(
        tmp_path / "streets.csv",
        HEADER + "Strada,Mihai Viteazu nr. 1-9; 2-8,510099\nStrada,Calea Nouă,510300\n",
    )

    output = run("import_streets", str(path))

    assert output == "streets: 1 new, 1 updated, 0 unchanged\n"
    assert rows_of("Mihai Viteazu")[0] == ("Strada", "nr. 1-9; 2-8", "510099")
    assert Street.objects.count() == 310

    output = run("import_streets", str(path), "--replace")

    assert output == "streets: 0 new, 0 updated, 2 unchanged, 308 removed\n"
    assert Street.objects.count() == 2


def test_spelling_changes_update_the_street_in_place(db, run, tmp_path):
    run("import_streets", str(POSTAL))
    path = write(tmp_path / "streets.csv", HEADER + "Strada,Bălcescu Nicolae,510097\n")

    assert run("import_streets", str(path)) == "streets: 0 new, 1 updated, 0 unchanged\n"
    assert rows_of("Bălcescu Nicolae") == [("Strada", "", "510097")]


def test_coordinates_in_a_csv_place_the_street(db, run, tmp_path):
    path = write(
        tmp_path / "streets.csv",
        "street_type,street_and_range,postal_code,latitude,longitude\n"
        "Strada,Mihai Viteazu nr. 1-9; 2-8,510093,46.0689,23.5738\n"
        "Strada,Mihai Viteazu nr. 11-T; 10-T,510010,,\n",
    )

    run("import_streets", str(path))

    first, second = Street.objects.order_by("id")
    assert (first.latitude, first.longitude) == (46.0689, 23.5738)
    assert first.geometry == {"type": "Point", "coordinates": [23.5738, 46.0689]}
    assert (second.latitude, second.geometry) == (None, None)


def test_a_file_without_coordinates_keeps_the_locations_streets_have(db, run, tmp_path):
    located = write(
        tmp_path / "located.csv",
        "street_type,street_and_range,postal_code,latitude,longitude\nStrada,Unirii,510009,46.07,23.57\n",
    )
    run("import_streets", str(located))

    run("import_streets", str(write(tmp_path / "plain.csv", HEADER + "Strada,Unirii,510009\n")))

    assert Street.objects.get(name="Unirii").latitude == 46.07


def line(coordinates, **properties) -> dict[str, object]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "LineString", "coordinates": coordinates},
    }


def test_gis_lines_place_every_postal_row_of_their_street(db, run, tmp_path):
    run("import_streets", str(POSTAL))
    path = write(
        tmp_path / "streets.geojson",
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    # The GIS writes names first-name first, with accents, the type in the name.
                    line([[23.570, 46.070], [23.575, 46.072]], name="Strada Mihai Eminescu"),
                    # A street cut into two segments, the type in its own property.
                    line([[23.560, 46.060], [23.565, 46.061]], name="Goldiș Vasile", type="Strada"),
                    line([[23.565, 46.061], [23.570, 46.063]], name="Goldiș Vasile", type="Strada"),
                    # A street the post office does not list.
                    line([[23.58, 46.08], [23.59, 46.08]], name="Aleea Nouă", postal_code="510999"),
                ],
            }
        ),
    )

    output = run("import_streets", str(path))

    assert output == "streets: 1 new, 15 updated, 0 unchanged\n"
    eminescu = Street.objects.get(name="Eminescu Mihai")
    assert eminescu.geometry is not None
    assert eminescu.latitude is not None
    assert eminescu.geometry["type"] == "LineString"
    assert 46.070 <= eminescu.latitude <= 46.072
    goldis = Street.objects.filter(name="Goldis Vasile")
    assert goldis.count() == 14
    assert {(street.geometry or {}).get("type") for street in goldis} == {"MultiLineString"}
    new = Street.objects.get(name="Nouă")
    assert (new.street_type, new.postal_code, new.search_key) == ("Aleea", "510999", "alee noua")
    assert run("import_streets", str(path)) == "streets: 0 new, 0 updated, 16 unchanged\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("street_type,street_and_range\nStrada,Unirii\n", "line 1: missing columns: postal_code"),
        (HEADER + "Strada,,510009\n", "line 2, column “street_and_range”: a value is needed"),
        (
            HEADER + "Strada,nr. 5,510009\n",
            "line 2, column “street_and_range”: the street has no name",
        ),
        (
            HEADER + "Strada,Unirii,510009\nStrada,Unirii,510010\n",
            "line 3, column “street_and_range”: “Unirii” is already on line 2",
        ),
        (
            "street_type,street_and_range,postal_code,latitude,longitude\nStrada,Unirii,510009,46.07,\n",
            "line 2, column “longitude”: “” is not a number",
        ),
        (
            "street_type,street_and_range,postal_code,latitude,longitude\nStrada,Unirii,510009,460.7,23\n",
            "line 2, column “latitude”: the point is not on Earth",
        ),
        (
            "street_type,street_and_range,postal_code,latitude\nStrada,Unirii,510009,46.07\n",
            "needs both a latitude and a longitude column",
        ),
        (
            "street_type,street_and_range,postal_code,geometry\n"
            'Strada,Unirii,510009,"{""type"": ""Polygon""}"\n',
            "line 2, column “geometry”: the geometry is Polygon",
        ),
        (
            "street_type,street_and_range,postal_code,geometry\nStrada,Unirii,510009,{oops\n",
            "line 2, column “geometry”: not valid GeoJSON",
        ),
    ],
    ids=[
        "missing column",
        "empty street",
        "no name",
        "repeated",
        "half a point",
        "off the Earth",
        "latitude alone",
        "polygon",
        "bad json",
    ],
)
def test_bad_csv_is_refused_and_nothing_is_written(db, run, tmp_path, text, expected):
    path = write(tmp_path / "streets.csv", HEADER + "Strada,Avram Iancu,510085\n")
    run("import_streets", str(path))
    write(path, text)

    with pytest.raises(CommandError) as error:
        run("import_streets", str(path), "--replace")

    assert str(error.value).startswith(f"{path}, ")
    assert expected in str(error.value)
    assert list(Street.objects.values_list("name", flat=True)) == ["Avram Iancu"]


def test_bad_geojson_names_the_feature(db, run, tmp_path):
    path = write(
        tmp_path / "streets.geojson",
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    line([[23.57, 46.07], [23.58, 46.07]], name="Strada Unirii"),
                    line([[23.57, 46.07]], name="Strada Lungă"),
                ],
            }
        ),
    )

    with pytest.raises(CommandError, match=r"feature 2 \(“Strada Lungă”\): invalid coordinates"):
        run("import_streets", str(path))

    assert not Street.objects.exists()
