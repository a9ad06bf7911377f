"""Splitting the post office's "name and range" text, and the search key of a street."""

import csv

import pytest

from cetate.directory.street_names import (
    canonical_type,
    join_street_and_range,
    search_key,
    split_leading_type,
    split_street_and_range,
)
from tests.directory.conftest import DEMO


@pytest.mark.parametrize(
    ("text", "name", "number_range"),
    [
        ("1 Decembrie 1918 bl. A2", "1 Decembrie 1918", "bl. A2"),
        ("Bratianu Ion Constantin", "Bratianu Ion Constantin", ""),
        ("Alecsandri Vasile nr. 53-T (case); 68F-T", "Alecsandri Vasile", "nr. 53-T (case); 68F-T"),
        ("Ratiu Ion, doctor nr. 1-17; 2-20", "Ratiu Ion, doctor", "nr. 1-17; 2-20"),
        ("Ferdinand I. nr. 1-T", "Ferdinand I.", "nr. 1-T"),
        ("Transilvaniei bl.16, 17, 18", "Transilvaniei", "bl.16, 17, 18"),
        ("Vanatorilor bl.VI1-VI8, C1, G3", "Vanatorilor", "bl.VI1-VI8, C1, G3"),
        ("Blajului nr 5", "Blajului", "nr 5"),
        ("Nrav  Nou", "Nrav Nou", ""),
    ],
)
def test_the_name_is_split_from_the_numbers(text, name, number_range):
    assert split_street_and_range(text) == (name, number_range)


def test_every_line_of_the_post_office_list_splits_and_joins_back():
    with (DEMO / "postal-streets.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name, number_range = split_street_and_range(row["street_and_range"])
            assert name and not name.lower().endswith((" nr", " bl"))
            assert join_street_and_range(name, number_range) == row["street_and_range"]


@pytest.mark.parametrize(
    ("street_type", "canonical"),
    [("Bulevard", "bulevard"), ("B-dul", "bulevard"), ("bd.", "bulevard"), ("Piața", "piata"),
     ("Calea", "cale"), ("Cale", "cale"), ("Șoseaua", "sosea"), ("Ulița", "ulita")],
)  # fmt: skip
def test_street_types_have_one_search_word(street_type, canonical):
    assert canonical_type(street_type) == canonical


def test_the_search_key_ignores_accents_order_and_type_spelling():
    assert search_key("Piața", "Ion Brătianu") == search_key("Piata", "Bratianu Ion")
    assert search_key("B-dul", "1 Decembrie 1918") == "1 1918 bulevard decembrie"
    assert search_key("", "Unirii") == "unirii"


def test_a_leading_type_word_is_split_from_a_name():
    assert split_leading_type("Strada Mihai Viteazul") == ("Strada", "Mihai Viteazul")
    assert split_leading_type("Bd. Revoluției") == ("Bd.", "Revoluției")
    assert split_leading_type("Mihai Viteazul") == ("", "Mihai Viteazul")
    assert split_leading_type("Calea") == ("", "Calea")
