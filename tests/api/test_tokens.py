"""REST API tokens at work: expiry and revocation refused in the API's error shape; the admin
creates a token, shows it once and never again."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cetate.api.models import ApiToken
from cetate.api.tokens import issue_token, revoke
from cetate.lib.keys import hash_key

pytestmark = pytest.mark.django_db


def get_cases(api, raw):
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client.get("/api/v1/cases/")


def test_an_expired_token_is_refused(api, city):
    _token, raw = issue_token(user=city.supervisor, name="GIS", lifetime=timedelta(days=1))
    assert get_cases(api, raw).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        response = get_cases(api, raw)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["errors"] == [
        {
            "field": None,
            "code": "token_expired",
            "message": "This token has expired: ask an administrator for a new one.",
        }
    ]


def test_a_revoked_token_is_refused(api, city):
    token, raw = issue_token(user=city.supervisor, name="GIS")
    revoke(ApiToken.objects.filter(pk=token.pk))
    response = get_cases(api, raw)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "token_revoked"


def test_a_token_of_a_user_who_lost_their_roles_opens_nothing(api, city):
    _token, raw = issue_token(user=city.officer, name="GIS")
    city.officer.groups.clear()
    assert get_cases(api, raw).status_code == 403


def test_the_admin_creates_a_token_shows_it_once_and_never_again(client, city):
    client.force_login(city.admin)
    response = client.post(
        reverse("admin:api_apitoken_add"),
        {"user": city.supervisor.pk, "name": "Dispecerat GIS", "lifetime_days": "30"},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    raw = next(word for text in shown for word in text.split() if word.startswith("ctk_"))
    assert token.token_hash == hash_key(raw)
    assert (token.expires_at - token.created_at).days in (29, 30)
    for page in (
        reverse("admin:api_apitoken_changelist"),
        reverse("admin:api_apitoken_change", args=[token.pk]),
    ):
        html = client.get(page).content.decode()
        assert token.prefix in html
        assert raw not in html
        assert token.token_hash not in html


def test_the_admin_revokes_tokens(client, city):
    token, _raw = issue_token(user=city.supervisor, name="GIS")
    client.force_login(city.admin)
    client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
