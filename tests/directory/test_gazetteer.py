"""Street search as a dispatcher types it, and the street nearest to a point."""

import json

import pytest

from cetate.directory.gazetteer import (
    StreetMatch,
    edit_distance,
    find_address,
    nearest_street,
    search_streets,
)
from cetate.directory.io import import_streets
from cetate.directory.models import Street
from cetate.directory.street_names import search_key
from tests.directory.conftest import DEMO, write


@pytest.fixture
def streets(db):
    import_streets(DEMO / "postal-streets.csv")


@pytest.fixture
def spelled(db, tmp_path):
    """Streets as a GIS spells them: diacritics, first name first, the type in full."""
    import_streets(
        write(
            tmp_path / "streets.csv",
            "street_type,street_and_range,postal_code\n"
            "Strada,Mihai Viteazul,510001\n"
            "Strada,Știrbei Vodă nr. 1-9,510002\n"
            "Strada,Știrbei Vodă nr. 2-T,510003\n"
            "Piața,Ion I.C. Brătianu,510004\n"
            "Bulevardul,Mihai Viteazul,510005\n"
            "Strada,Stroe Belloescu,510006\n",
        )
    )


def names(query: str, **options) -> list[str]:
    return [match.display_name for match in search_streets(query, **options)]


def test_a_street_is_found_by_type_abbreviation_and_the_start_of_its_words(streets):
    assert names("str mihai viteazu")[0] == "Strada Mihai Viteazu"
    assert names("mihai vit")[0] == "Strada Mihai Viteazu"


def test_one_result_per_street_with_all_its_postal_rows(streets):
    assert search_streets("str mihai viteazu")[0] == StreetMatch(
        display_name="Strada Mihai Viteazu",
        street_type="Strada",
        name="Mihai Viteazu",
        postal_codes=("510093", "510010"),
        number_ranges=("nr. 1-9; 2-8", "nr. 11-T; 10-T"),
        latitude=None,
        longitude=None,
    )
    goldis = search_streets("goldis")
    assert len(goldis) == 1
    assert len(goldis[0].number_ranges) == 14
    assert "510006" in goldis[0].postal_codes


def test_the_type_word_picks_the_type_or_is_ignored(spelled):
    assert names("str mihai viteazu") == ["Strada Mihai Viteazul", "Bulevardul Mihai Viteazul"]
    assert names("b-dul mihai viteazul") == ["Bulevardul Mihai Viteazul", "Strada Mihai Viteazul"]
    # A type word is not the start of a name: "str" does not find "Stroe Belloescu" alone…
    assert names("str belloescu") == ["Strada Stroe Belloescu"]
    assert "Strada Stroe Belloescu" not in names("str viteazul")
    # …and a wrong type does not hide the street.
    assert names("calea stirbei voda") == ["Strada Știrbei Vodă"]


def test_piata_lists_the_squares(streets):
    found = search_streets("piata", limit=20)
    assert {match.street_type for match in found} == {"Piata"}
    assert "Piata Bratianu Ion Constantin" in [match.display_name for match in found]
    assert names("p-ța iuliu maniu") == ["Piata Maniu Iuliu"]


def test_piata_finds_the_square_written_with_diacritics(spelled):
    assert names("piata") == ["Piața Ion I.C. Brătianu"]


@pytest.mark.parametrize("query", ["bratianu ion", "Ion Brătianu", "ION BRATIANU CONSTANTIN"])
def test_word_order_and_case_do_not_matter(streets, query):
    assert names(query) == ["Piata Bratianu Ion Constantin"]


@pytest.mark.parametrize(
    "query",
    ["bratainu", "bratianuu ion", "viteazol mihai", "vitezul", "alecsandi vasile", "transilvania"],
)
def test_a_letter_or_two_wrong_still_finds_the_street(streets, query):
    assert names(query), query
    expected = {
        "bratainu": "Piata Bratianu Ion Constantin",
        "bratianuu ion": "Piata Bratianu Ion Constantin",
        "viteazol mihai": "Strada Mihai Viteazu",
        "vitezul": "Strada Mihai Viteazu",
        "alecsandi vasile": "Strada Alecsandri Vasile",
        "transilvania": "Bulevard Transilvaniei",
    }[query]
    assert names(query)[0] == expected


@pytest.mark.parametrize("query", ["stirbei", "Știrbei", "Ştirbei voda", "vodă știrbei"])
def test_diacritics_do_not_matter(spelled, query):
    assert names(query) == ["Strada Știrbei Vodă"]


def test_diacritics_typed_find_streets_written_without(streets):
    assert names("Bălcescu")[0] == "Strada Balcescu Nicolae"
    assert names("dr rațiu") == ["Strada Ratiu Ion, doctor"]


def test_house_numbers_and_the_city_name_are_ignored(streets):
    assert names("Str. Mihai Viteazu nr. 5, Alba Iulia") == ["Strada Mihai Viteazu"]
    assert names("9 mai")[0] == "Strada 9 Mai"


def test_nothing_is_found_for_nonsense(streets):
    assert names("xyzzy plugh") == []
    assert names("") == []
    assert names("  , . ") == []


def test_the_limit_is_kept(streets):
    assert len(search_streets("strada", limit=5)) == 5
    assert search_streets("strada", limit=0) == []


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("viteazu", "viteazul", 1),
        ("bratainu", "bratianu", 1),
        ("abc", "abc", 0),
        ("abcd", "wxyz", 3),
    ],
)
def test_edit_distance_counts_changes_and_swaps(a, b, distance):
    assert edit_distance(a, b, limit=2) == distance


def test_no_nearest_street_without_geometries(streets):
    assert nearest_street(46.07, 23.57) is None


def street(name, coordinates, **properties):
    geometry = {"type": "LineString", "coordinates": coordinates} if coordinates else None
    return {"type": "Feature", "properties": {"name": name, **properties}, "geometry": geometry}


def test_the_nearest_street_is_the_one_whose_line_passes_closest(db, tmp_path):
    features = [
        street("Strada Unirii", [[23.56, 46.07], [23.58, 46.07]], numbers="nr. 1-9"),
        street("Strada Unirii", [[23.58, 46.07], [23.59, 46.07]], numbers="nr. 11-T"),
        street("Bulevardul Transilvaniei", [[23.56, 46.06], [23.58, 46.06]]),
        street("Strada Fără Loc", None),
    ]
    collection = {"type": "FeatureCollection", "features": features}
    import_streets(write(tmp_path / "streets.geojson", json.dumps(collection)))

    # 300 m north of Transilvaniei, 800 m south of Unirii; the ends of Unirii are far away.
    near_transilvaniei = nearest_street(46.0627, 23.570)
    assert near_transilvaniei is not None
    assert near_transilvaniei.display_name == "Bulevardul Transilvaniei"
    unirii = nearest_street(46.0690, 23.585)
    assert unirii is not None
    assert unirii.display_name == "Strada Unirii"
    assert unirii.number_ranges == ("nr. 1-9", "nr. 11-T")
    assert nearest_street(46.0627, 23.570, within_m=200) is None
    assert nearest_street(46.0627, 23.570, within_m=400) == near_transilvaniei


@pytest.mark.parametrize(
    ("typed", "street", "number"),
    [
        ("al. trandafirilor 3", "Aleea Trandafirilor", "3"),
        ("Aleea Trandafirilor nr. 3-5", "Aleea Trandafirilor", "3-5"),
        ("cal. victoriei 101B", "Calea Victoriei", "101B"),
        ("bd. Mihai Viteazul 2", "Bulevardul Mihai Viteazul", "2"),
        ("str viteazul mihai 14 bis", "Strada Mihai Viteazul", "14 bis"),
        ("Revoluției 1989", "Bulevardul Revoluției 1989", ""),
    ],
)
def test_an_address_is_its_street_and_its_house_number(db, tmp_path, typed, street, number):
    import_streets(
        write(
            tmp_path / "streets.csv",
            "street_type,street_and_range,postal_code\n"
            "Aleea,Trandafirilor,510001\n"
            "Calea,Victoriei,510002\n"
            "Strada,Mihai Viteazul,510003\n"
            "Bulevardul,Mihai Viteazul,510004\n"
            "Bulevardul,Revoluției 1989,510005\n",
        )
    )
    found = find_address(typed)
    assert found.street is not None and found.street.display_name == street
    assert found.number == number


def test_thousands_of_streets_are_searched_in_one_query(db, django_assert_max_num_queries):
    Street.objects.bulk_create(
        Street(
            street_type="Strada",
            name=f"Nume{n} Prenume{n}",
            search_key=search_key("Strada", f"Nume{n} Prenume{n}"),
        )
        for n in range(4000)
    )
    Street.objects.create(
        street_type="Strada", name="Mihai Viteazu", search_key=search_key("Strada", "Mihai Viteazu")
    )
    with django_assert_max_num_queries(1):
        found = find_address("Mihai Viteazu 12")
    assert found.street is not None and found.street.display_name == "Strada Mihai Viteazu"
