import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cetate.test import make_user

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue().strip()


def test_create_prints_a_token_that_opens_the_api(city):
    key = run("create", city.supervisor.username)
    assert Token.objects.get(user=city.supervisor).key == key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/cases/").status_code == 200


def test_a_second_token_needs_replace_and_voids_the_first(city):
    first = run("create", city.supervisor.username)
    with pytest.raises(CommandError, match="already has a token"):
        run("create", city.supervisor.username)
    second = run("create", city.supervisor.username, "--replace")
    assert second != first
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert client.get("/api/v1/cases/").status_code == 401


def test_revoke_removes_the_token(city):
    run("create", city.officer.username)
    assert run("revoke", city.officer.username) == "Token revoked."
    assert not Token.objects.exists()


def test_only_staff_members_and_known_users_get_tokens(city):
    make_user("vizitator")
    with pytest.raises(CommandError, match="no staff role"):
        run("create", "vizitator")
    with pytest.raises(CommandError, match="No user"):
        run("create", "nimeni")
