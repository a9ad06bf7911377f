"""Staff sessions end after a working day without activity; activity renews them; the console's
background polling does not; residents keep their own two hours."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cetate.test import PASSWORD

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
POLL = {"HTTP_HX_REQUEST": "true"}


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response["Location"] == "/console/"


def test_a_staff_session_ends_after_ten_hours_without_activity(client, city):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, city.dispatcher)
    with time_machine.travel(start + timedelta(hours=9, minutes=59), tick=False):
        assert client.get("/console/queue/").status_code == 200
    # Activity renewed it: ten more hours from the last page opened.
    with time_machine.travel(start + timedelta(hours=19, minutes=58), tick=False):
        assert client.get("/console/queue/").status_code == 200
    with time_machine.travel(start + timedelta(hours=30), tick=False):
        response = client.get("/console/queue/")
        assert response["Location"].startswith(reverse("login"))
        page = client.get(response["Location"], **EN).content.decode()
        assert "You were signed out after 10 hours without activity." in page


def test_background_polling_does_not_keep_a_session_open(client, city):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, city.dispatcher)
    for hour in range(1, 11):
        with time_machine.travel(start + timedelta(hours=hour, minutes=-1), tick=False):
            assert client.get(reverse("console:waiting"), **POLL).status_code == 200
    with time_machine.travel(start + timedelta(hours=10, minutes=1), tick=False):
        assert client.get("/console/queue/")["Location"].startswith(reverse("login"))


def test_the_idle_limit_is_a_setting(client, city, settings):
    settings.STAFF_SESSION_IDLE_HOURS = 2
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, city.dispatcher)
    with time_machine.travel(start + timedelta(hours=2, minutes=1), tick=False):
        assert client.get("/console/queue/")["Location"].startswith(reverse("login"))


def test_a_residents_session_keeps_its_two_hours(client, city):
    from cetate.portal import residents

    session = client.session
    session[residents.SESSION_KEY] = "ion@example.org"
    session.set_expiry(int(residents.SESSION_LENGTH.total_seconds()))
    session.save()
    assert client.session.get_expiry_age() == 2 * 3600
    client.get("/")
    assert client.session.get_expiry_age() == 2 * 3600
