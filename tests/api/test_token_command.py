"""`manage.py api_token`: a token printed once, stored hashed, listed without itself, revoked."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from cetate.api.models import ApiToken
from cetate.lib.keys import hash_key
from cetate.test import make_user

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue().strip()


def calls_with(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client.get("/api/v1/cases/").status_code


def test_create_prints_a_token_that_opens_the_api_and_keeps_only_its_hash(city):
    raw = run("create", city.supervisor.username, "--name", "GIS")
    token = ApiToken.objects.get(user=city.supervisor)
    assert raw.startswith("ctk_") and len(raw) > 40
    assert token.token_hash == hash_key(raw)
    assert token.prefix == raw[:8]
    assert raw not in {getattr(token, field.attname) for field in ApiToken._meta.fields}
    assert calls_with(raw) == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_lifetime_is_chosen_at_creation(city):
    run("create", city.supervisor.username, "--name", "report", "--days", "7")
    token = ApiToken.objects.get()
    assert (token.expires_at - token.created_at).days == 6 or (
        token.expires_at - token.created_at
    ).days == 7
    with pytest.raises(CommandError, match="--days"):
        run("create", city.supervisor.username, "--name", "x", "--days", "0")


def test_a_user_may_hold_several_named_tokens_and_revoke_one(city):
    gis = run("create", city.supervisor.username, "--name", "GIS")
    crm = run("create", city.supervisor.username, "--name", "call centre")
    assert run("revoke", city.supervisor.username, "--name", "GIS") == "Tokens revoked: 1."
    assert calls_with(gis) == 401
    assert calls_with(crm) == 200
    assert run("revoke", city.supervisor.username) == "Tokens revoked: 1."
    assert calls_with(crm) == 401
    assert ApiToken.objects.count() == 2  # kept as a record, revoked


def test_list_shows_the_prefix_and_state_never_the_token(city):
    raw = run("create", city.officer.username, "--name", "GIS")
    listing = run("list")
    assert "GIS" in listing and raw[:8] in listing and "active" in listing
    assert raw not in listing


def test_only_staff_members_and_known_users_get_tokens(city):
    make_user("vizitator")
    with pytest.raises(CommandError, match="no staff role"):
        run("create", "vizitator", "--name", "x")
    with pytest.raises(CommandError, match="No user"):
        run("create", "nimeni", "--name", "x")
    with pytest.raises(CommandError, match="--name"):
        run("create", city.officer.username)
