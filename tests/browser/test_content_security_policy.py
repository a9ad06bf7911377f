"""The main pages of the portal, the console, the admin and the API's documentation load and
work under the Content-Security-Policy: the browser refuses nothing on any of them (the
`browse` fixture fails a visit on a refusal or a missing header)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cetate.cases import services

pytestmark = pytest.mark.browser


def test_the_portal_passes_with_the_policy(browse, city):
    case = city.report()
    for path in (
        reverse("home"),
        reverse("report"),
        reverse("public_map"),
        reverse("public_list"),
        reverse("track", args=[case.tracking_code]),
        reverse("account_sign_in"),
        reverse("privacy"),
    ):
        browse.visit(path)
    # The map drew itself with its script and Leaflet's styles.
    browse.visit(reverse("public_map"))
    expect(browse.page.locator(".leaflet-container").first).to_be_visible()


@pytest.mark.parametrize(
    "persona", ["dispatcher", "clerk", "officer", "head", "supervisor", "admin"]
)
def test_each_roles_landing_page_passes_with_the_policy(browse, city, persona):
    browse.sign_in(getattr(city, persona))
    browse.visit(reverse("console:home"))


def test_the_console_passes_with_the_policy(browse, city):
    case = city.report()
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    browse.sign_in(city.supervisor)
    for path in (
        reverse("console:case", args=[case.pk]),
        reverse("console:intake"),
        reverse("console:worklist"),
        reverse("console:map"),
        reverse("console:supervision"),
        reverse("console:receipt", args=[case.pk]),
        reverse("register"),
        reverse("staff_account"),
    ):
        browse.visit(path)
    browse.visit(reverse("console:case", args=[case.pk]))
    expect(browse.page.locator("#case-map.leaflet-container")).to_be_visible()
    # Waiting for the header's counts to refresh through htmx: still nothing refused.
    browse.page.wait_for_timeout(500)
    browse.audit()


def test_the_admin_and_the_api_documentation_pass_with_the_policy(browse, city, administrator):
    browse.sign_in(administrator)
    for path in (
        reverse("admin:index"),
        reverse("admin:api_apitoken_add"),
        reverse("admin:directory_category_change", args=[city.pothole.pk]),
    ):
        browse.visit(path)
    browse.visit(reverse("api:docs"))
    expect(browse.page.get_by_text("Cetate REST API").first).to_be_visible()
