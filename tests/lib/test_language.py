"""Pages open in Romanian whatever the browser's language, unless the visitor chose another
with the language switch (remembered) or the city lets pages follow the browser."""

import pytest
from django.conf import settings as django_settings

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


@pytest.fixture(autouse=True)
def _by_default(settings):
    settings.LANGUAGE_FROM_BROWSER = False


def lang(response) -> str:
    html = response.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_an_english_browser_opens_the_portal_in_romanian(client, db):
    response = client.get("/", **ENGLISH_BROWSER)
    assert lang(response) == "ro"
    assert response["Content-Language"] == "ro"
    # The answer does not depend on Accept-Language, so caches need not keep one per language.
    assert "Accept-Language" not in response["Vary"]
    assert "Cookie" in response["Vary"]


def test_the_language_switch_is_remembered_for_a_year(client, db):
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/map/"}, **ENGLISH_BROWSER)
    assert switched.status_code == 302 and switched["Location"] == "/map/"
    cookie = switched.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) >= 365 * 24 * 3600
    assert lang(client.get("/map/", HTTP_ACCEPT_LANGUAGE="ro")) == "en"

    client.post("/i18n/setlang/", {"language": "ro", "next": "/"})
    assert lang(client.get("/", **ENGLISH_BROWSER)) == "ro"


def test_a_language_the_site_does_not_speak_is_ignored(client, db):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert lang(client.get("/", **ENGLISH_BROWSER)) == "ro"


def test_the_staff_console_follows_the_same_rule(client, city):
    client.force_login(city.dispatcher)
    response = client.get("/console/queue/", **ENGLISH_BROWSER)
    assert response.status_code == 200
    assert lang(response) == "ro"
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    assert lang(client.get("/console/queue/")) == "en"


def test_a_city_may_follow_the_browser(client, db, settings):
    settings.LANGUAGE_FROM_BROWSER = True
    response = client.get("/", **ENGLISH_BROWSER)
    assert lang(response) == "en"
    assert "Accept-Language" in response["Vary"]
    # The switch still wins over the browser.
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "ro"
    assert lang(client.get("/", **ENGLISH_BROWSER)) == "ro"


def test_other_systems_get_the_language_they_ask_for(client, db):
    english = client.get("/api/v1/cases/", **ENGLISH_BROWSER)
    romanian = client.get("/api/v1/cases/", HTTP_ACCEPT_LANGUAGE="ro")
    assert english.status_code == romanian.status_code == 401
    assert english["Content-Language"] == "en" and romanian["Content-Language"] == "ro"
    assert english.json()["errors"][0]["message"] != romanian.json()["errors"][0]["message"]
