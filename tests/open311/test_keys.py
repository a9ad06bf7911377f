"""API keys: the management command, the admin, revocation, rate limits and the record of use."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cetate.lib.keys import hash_key
from cetate.open311.models import ApiKey, ApiKeyUse

from .conftest import BASE, assert_errors


def run(*args) -> str:
    out = StringIO()
    call_command("open311_key", *args, stdout=out)
    return out.getvalue()


def test_create_prints_the_key_once_and_keeps_only_its_hash(db):
    raw = run("create", "FixMyStreet").strip()
    key = ApiKey.objects.get()
    assert raw.startswith("o311_") and len(raw) > 30
    assert key.key_hash == hash_key(raw)
    assert raw not in (key.prefix, key.key_hash)
    assert raw.startswith(key.prefix)
    listing = run("list")
    assert "FixMyStreet" in listing and raw not in listing
    with pytest.raises(CommandError):
        run("create", "FixMyStreet")


def test_revoke_stops_the_key(client, city):
    raw = run("create", "App").strip()
    assert client.get(BASE + "services.json", {"api_key": raw}).status_code == 200
    run("revoke", "App")
    response = client.get(BASE + "services.json", {"api_key": raw})
    assert response.status_code == 403
    assert_errors(response, "json", 403)
    assert "revoked" in run("list")
    with pytest.raises(CommandError):
        run("revoke", "Nobody")


def test_each_call_is_recorded_per_key_and_day(client, city):
    raw = run("create", "App").strip()
    client.get(BASE + "services.xml", {"api_key": raw})
    client.post(
        BASE + "requests.json",
        {
            "api_key": raw,
            "service_code": "roads.pothole",
            "lat": "46.07",
            "long": "23.58",
            "description": "x",
        },
    )
    key = ApiKey.objects.get()
    assert (key.calls, key.requests_created) == (2, 1)
    assert key.last_used_at is not None
    use = ApiKeyUse.objects.get()
    assert (use.calls, use.requests_created, use.refused) == (2, 1, 0)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_key_over_its_rate_limit_gets_429(client, city, fmt):
    raw = run("create", "Busy", "--rate-limit", "3").strip()
    statuses = [client.get(f"{BASE}services.{fmt}", {"api_key": raw}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(f"{BASE}services.{fmt}", {"api_key": raw})
    assert response["Retry-After"] == "60"
    assert_errors(response, fmt, 429)
    use = ApiKeyUse.objects.get()
    assert (use.calls, use.refused) == (3, 2)


def test_calls_without_a_key_are_limited_per_address(client, db, settings):
    settings.OPEN311_RATE_LIMIT = 2
    statuses = [client.get(BASE + "discovery.json").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_admin_creates_a_key_and_shows_it_once(client, city):
    client.force_login(city.admin)
    response = client.post(
        reverse("admin:open311_apikey_add"),
        {
            "name": "Utility operator",
            "is_active": "on",
            "read_scope": "public",
            "rate_limit": "",
            "uses-TOTAL_FORMS": "0",
            "uses-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    assert response.status_code == 200
    key = ApiKey.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    raw = next(word for text in shown for word in text.split() if word.startswith("o311_"))
    assert key.key_hash == hash_key(raw)
    page = client.get(reverse("admin:open311_apikey_change", args=[key.pk])).content.decode()
    assert raw not in page
