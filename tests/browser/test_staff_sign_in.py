"""Staff sign in with their authenticator app's code; a newcomer whose role requires it sets
the app up first, typing in the key the page shows. Every page is audited."""

from base64 import b32decode
from binascii import hexlify

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from cetate.accounts.roles import Role
from cetate.test import PASSWORD, current_code, make_user

pytestmark = pytest.mark.browser


def _ro(text: str) -> str:
    with override("ro"):
        return gettext(text)


def type_password(browse, user):
    browse.visit(reverse("login"))
    page = browse.page
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    browse.audit()


def test_a_supervisor_signs_in_with_a_code(browse, city):
    type_password(browse, city.supervisor)
    page = browse.page
    assert page.url.split("?")[0].endswith(reverse("login_code"))
    expect(page.get_by_role("heading", level=1)).to_have_text(_ro("Sign-in code"))

    # A wrong code first: refused, said so, and the field is marked.
    page.locator("input[name=code]").fill("000000")
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    browse.audit()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("input[name=code]")).to_have_attribute("aria-invalid", "true")

    page.wait_for_timeout(1100)  # django-otp's wait after one wrong code
    page.locator("input[name=code]").fill(current_code(city.supervisor.totpdevice_set.get()))
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    browse.audit()
    assert page.url.endswith(reverse("console:supervision"))

    browse.visit(reverse("staff_account"))
    expect(page.get_by_role("heading", level=2, name=_ro("Two-factor sign-in"))).to_be_visible()


def test_a_new_administrator_sets_up_the_app_then_reaches_the_admin(browse, city):
    newcomer = make_user("admin2", Role.ADMINISTRATOR)
    newcomer.is_staff = newcomer.is_superuser = True
    newcomer.save()

    type_password(browse, newcomer)
    page = browse.page
    assert page.url.split("?")[0].endswith(reverse("two_factor_enrol"))
    expect(
        page.get_by_role("img", name=_ro("QR code that sets up Cetate in an authenticator app"))
    ).to_be_visible()
    # The key as a person types it into the app when the camera will not read the QR code.
    typed = page.locator(".enrol-secret").inner_text().replace(" ", "")
    secret = hexlify(b32decode(typed + "=" * (-len(typed) % 8))).decode()

    browse.visit(reverse("admin:index"), status=200)  # sent back to the set-up
    assert page.url.split("?")[0].endswith(reverse("two_factor_enrol"))
    page.locator("input[name=code]").fill(current_code(secret))
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    browse.audit()
    assert page.url.split("?")[0].endswith(reverse("admin:index"))
    expect(page.locator("#site-name")).to_be_visible()
