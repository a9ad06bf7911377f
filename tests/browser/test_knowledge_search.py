"""Searching the services in a real browser: a resident on a phone types without diacritics
and reaches the service's page link; a dispatcher on a laptop searches during a call and reads
the article beside the results. Every page is audited for accessibility."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from cetate.accounts.roles import Role
from cetate.knowledge import services
from cetate.test import make_user

pytestmark = pytest.mark.browser


def _ro(text: str) -> str:
    with override("ro"):
        return gettext(text)


@pytest.fixture
def catalogue(city):
    editor = make_user("redactor", Role.EDITOR, departments=(city.technical,))
    for code, title, summary in [
        ("taxa-salubrizare", "Taxă de salubrizare", "Plata taxei anuale pentru gunoi."),
        ("certificat-urbanism", "Certificat de urbanism", "Înainte de a construi o casă."),
        ("certificat-nastere", "Certificat de naștere", "Pentru un copil nou-născut."),
    ]:
        article = services.create_article(
            actor=editor,
            code=code,
            department=city.technical,
            content={"title": title, "summary": summary, "steps": "1. Depuneți cererea."},
        )
        services.publish(actor=editor, article=article)


def test_a_resident_searches_on_a_phone(browse, catalogue):
    page = browse.page
    page.set_viewport_size({"width": 390, "height": 844})
    browse.visit(reverse("service_search"))

    page.get_by_label(_ro("What are you looking for?")).fill("certificatul de nastere")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("Search")).click()
    browse.audit()

    first = page.locator(".service-result-list li").first
    expect(first.get_by_role("link")).to_have_text("Certificat de naștere")
    expect(first.get_by_role("link")).to_have_attribute("href", "/servicii/certificat-nastere/")
    expect(first).to_contain_text("Pentru un copil nou-născut.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_dispatcher_searches_during_a_call(browse, city, catalogue):
    page = browse.page
    page.set_viewport_size({"width": 1366, "height": 768})
    browse.sign_in(city.dispatcher)
    browse.visit(reverse("console:knowledge_search"))

    page.get_by_label(_ro("Service, document or words the resident uses")).fill("taxa gunoi")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("Search")).click()
    browse.audit()
    expect(page.locator(".service-article h1")).to_have_text("Taxă de salubrizare")

    page.get_by_label(_ro("Service, document or words the resident uses")).fill("certficat")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("Search")).click()
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="Certificat de naștere").click()
    browse.audit()
    expect(page.locator(".service-article h1")).to_have_text("Certificat de naștere")
    expect(page.get_by_text("Depuneți cererea.")).to_be_visible()
