from datetime import datetime

import pytest

from cetate.cases import services
from cetate.cases.deadlines import CITY_TZ
from cetate.contacts.models import PersonalDataView
from cetate.lib.clock import replaying_at


@pytest.fixture
def register_2026(city):
    with replaying_at(datetime(2026, 2, 3, 9, 15, tzinfo=CITY_TZ)):
        first = city.report()
        second = city.report(reporter=None, title="Groapă pe Str. Mihai Viteazul")
    services.cancel_registration(case_id=first.pk, actor=city.dispatcher, reason="dublură")
    with replaying_at(datetime(2025, 6, 1, 9, 0, tzinfo=CITY_TZ)):
        city.report()
    return first, second


def test_register_lists_the_year_with_cancelled_entries_marked(client, city, register_2026):
    client.force_login(city.admin)
    response = client.get("/register/?year=2026")
    assert response.status_code == 200
    html = response.content.decode()
    assert "1/2026" in html and "2/2026" in html
    assert "1/2025" not in html
    assert 'class="cancelled"' in html
    assert "Ion Popescu" in html
    assert "Groapă pe Str. Mihai Viteazul" in html
    assert PersonalDataView.objects.filter(user=city.admin, what="register 2026 page 1").exists()


def test_register_of_another_year(client, city, register_2026):
    client.force_login(city.supervisor)
    html = client.get("/register/?year=2025").content.decode()
    assert "1/2025" in html and "2/2026" not in html


@pytest.mark.parametrize("persona", ["dispatcher", "officer", "clerk"])
def test_register_is_refused_to_other_staff(client, city, persona):
    client.force_login(getattr(city, persona))
    assert client.get("/register/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/register/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
