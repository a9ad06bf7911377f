"""A resident on a phone finds a service in the catalogue, requests it online with the document
it asks for, and reads the receipt naming the service and the document received."""

import pytest
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from cetate.accounts.roles import Role
from cetate.cases.models import Case
from cetate.test import make_user
from tests.cases.files import minimal_pdf
from tests.knowledge.catalogue import online_service

pytestmark = pytest.mark.browser


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


def test_a_resident_requests_a_service_online_from_a_phone(browse, city):
    online_service(city, make_user("redactor", Role.EDITOR, departments=(city.technical,)))
    page = browse.page
    page.set_viewport_size({"width": 390, "height": 844})
    browse.visit("/")
    page.get_by_role("link", name=_ro("Services"), exact=True).click()
    browse.audit()
    # Nothing wider than the phone: the filters' long names wrap inside it.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="Autorizație de spargere").click()
    browse.audit()
    expect(page.get_by_role("heading", level=1)).to_have_text("Autorizație de spargere")
    page.get_by_role("link", name=_ro("Request online")).click()
    browse.audit()
    page.locator("#id_answer__street").fill("Strada Lungă 4")
    page.locator("#id_document__plan").set_input_files(
        [{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": minimal_pdf()}]
    )
    page.locator("#id_name").fill("Ana Pop")
    page.locator("#id_email").fill("ana@example.org")
    page.get_by_role("button", name=_ro("Send the request")).click()
    browse.audit()
    case = Case.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.number)
    expect(page.locator(".receipt-fields")).to_contain_text("Autorizație de spargere")
    expect(page.locator(".receipt-fields")).to_contain_text("Plan de situație: plan.pdf")
