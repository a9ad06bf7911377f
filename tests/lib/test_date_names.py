"""Romanian dates write month and weekday names in lower case ("7 decembrie 2026"), however they
are formatted; English dates read as before."""

from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime

DAY = date(2026, 12, 7)  # a Monday


@pytest.mark.parametrize(
    ("language", "format_name", "expected"),
    [
        ("ro", "DATE_FORMAT", "7 decembrie 2026"),
        ("ro", "YEAR_MONTH_FORMAT", "decembrie 2026"),
        ("ro", "j E Y", "7 decembrie 2026"),
        ("ro", "j N Y", "7 dec. 2026"),
        ("ro", "l, j F", "luni, 7 decembrie"),
        ("ro", "D", "lun"),
        ("en", "DATE_FORMAT", "Dec. 7, 2026"),
        ("en", "j F Y", "7 December 2026"),
        ("en", "l", "Monday"),
    ],
)
def test_in_python_and_in_templates(language, format_name, expected):
    with translation.override(language):
        assert date_format(DAY, format_name) == expected
        template = Template("{{ day|date:format }}")
        assert template.render(Context({"day": DAY, "format": format_name})) == expected


def test_every_month_is_lower_case_in_romanian():
    with translation.override("ro"):
        for month in range(1, 13):
            name = date_format(date(2026, month, 1), "F")
            assert name == name.lower(), name
            assert date_format(date(2026, month, 1), "E") == name


def test_a_public_page_dates_the_report_in_lower_case(client, city):
    case = city.report()
    with translation.override("ro"):
        expected = date_format(localtime(case.registered_at), "DATE_FORMAT")
    assert expected.split()[1].islower()
    url = reverse("public_case", args=[case.registration_year, case.registration_number])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="ro").content.decode()
    assert expected in html


def test_the_residents_tracking_page_writes_its_dates_out(client, city):
    case = city.report()
    with translation.override("ro"):
        registered = date_format(localtime(case.registered_at), "DATETIME_FORMAT")
        due = date_format(case.internal_due, "DATE_FORMAT")
    html = client.get(reverse("track", args=[case.tracking_code])).content.decode()
    assert registered in html and due in html
    assert registered.split()[1] == registered.split()[1].lower()
