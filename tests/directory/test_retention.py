"""How long a case's personal data is kept: the category's own term, its file code, its
group's, then the installation's; counted from 1 January after the case closed."""

from datetime import date, datetime

import pytest

from cetate.cases.choices import Kind
from cetate.cases.deadlines import CITY_TZ
from cetate.directory.models import FileCode
from cetate.directory.retention import closed_before, held_until, retention_of, term_groups


@pytest.fixture
def codes(db):
    return {
        "petitions": FileCode.objects.create(code="II-4", name="Petiții", retention_years=5),
        "staff": FileCode.objects.create(code="II-6", name="Personal", retention_years=10),
        "questions": FileCode.objects.create(
            code="IX-1", name="Întrebări", retention_years=1, kept_by_law=False
        ),
    }


def test_the_first_term_found_wins(city, codes, settings):
    settings.RETENTION_YEARS = 9
    pothole, roads = city.pothole, city.pothole.parent
    assert retention_of(pothole, Kind.REPORT).years == 9
    assert retention_of(None, Kind.REPORT).years == 9

    roads.file_code = codes["petitions"]
    roads.save()
    assert retention_of(pothole, Kind.REPORT).years == 5
    assert retention_of(pothole, Kind.REPORT).file_code == codes["petitions"]

    roads.retention_years = 4
    roads.save()
    assert retention_of(pothole, Kind.REPORT).years == 4

    pothole.file_code = codes["staff"]
    assert retention_of(pothole, Kind.REPORT).years == 10

    pothole.retention_years = 2
    assert retention_of(pothole, Kind.REPORT).years == 2
    assert retention_of(pothole, Kind.REPORT).file_code == codes["staff"]


def test_the_law_keeps_petitions_and_the_file_code_says_for_others(city, codes):
    assert retention_of(None, Kind.COMPLAINT).kept_by_law
    assert retention_of(None, Kind.INFORMATION).kept_by_law
    assert not retention_of(None, Kind.INQUIRY).kept_by_law
    city.pothole.file_code = codes["questions"]
    assert not retention_of(city.pothole, Kind.REPORT).kept_by_law


@pytest.mark.parametrize(
    ("closed", "years", "until"),
    [
        (datetime(2026, 3, 4, 10, tzinfo=CITY_TZ), 5, date(2032, 1, 1)),
        (datetime(2026, 12, 31, 23, 30, tzinfo=CITY_TZ), 3, date(2030, 1, 1)),
        # 31 December 23:30 in Bucharest is still the old year there, not in UTC.
        (datetime(2025, 12, 31, 22, 30, tzinfo=CITY_TZ).astimezone(CITY_TZ), 1, date(2027, 1, 1)),
    ],
)
def test_the_term_counts_from_the_first_of_january_after_closing(closed, years, until):
    assert held_until(closed, years) == until
    assert closed < closed_before(until, years)
    assert not closed < closed_before(date(until.year - 1, 12, 31), years)


def test_categories_are_grouped_by_term(city, codes, settings):
    settings.RETENTION_YEARS = 10
    city.lamp.file_code = codes["petitions"]
    city.lamp.save()
    groups = {group.years: group for group in term_groups()}
    assert city.lamp.pk in groups[5].category_ids
    assert city.pothole.pk in groups[10].category_ids
    assert groups[10].without_category and not groups[5].without_category
