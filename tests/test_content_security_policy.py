"""The Content-Security-Policy header on the portal, the console, the admin and the API's
documentation; the tile server's origin allowed for images only."""

import re

import pytest
from django.urls import reverse

from cetate.lib.csp_sources import tile_source

pytestmark = pytest.mark.django_db


def directives(response):
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


STRICT = {
    "default-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}


def assert_strict(response):
    policy = directives(response)
    for name, values in STRICT.items():
        assert policy[name] == values, name
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    return policy


def test_portal_pages_carry_a_strict_policy(client, city):
    case = city.report()
    for path in ("/", reverse("report"), reverse("public_map"), f"/t/{case.tracking_code}"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict(response)


def test_the_pages_inline_style_carries_the_nonce_of_the_policy(client, city):
    response = client.get("/")
    policy = assert_strict(response)
    nonce = re.search(r'<style nonce="([^"]+)">', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in policy["style-src"]
    assert "<script>" not in response.content.decode()


def test_console_and_admin_pages_carry_it(client, city):
    case = city.report()
    client.force_login(city.admin)
    for path in (
        "/console/queue/",
        f"/console/cases/{case.pk}/",
        "/console/intake/",
        "/console/worklist/",
        "/console/map/",
        "/console/supervision/",
        "/admin/",
        "/console/register/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict(response)
        assert "<script>" not in response.content.decode(), path


def test_the_api_documentation_allows_redocs_own_styles_only_there(client):
    response = client.get(reverse("api:docs"))
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert "blob:" in policy["worker-src"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://tiles.primaria.ro:8080/{z}/{x}/{y}.png", "http://tiles.primaria.ro:8080"),
        ("", None),
        ("/tiles/{z}/{x}/{y}.png", None),
    ],
)
def test_the_tile_servers_origin(url, source):
    assert tile_source(url) == source
