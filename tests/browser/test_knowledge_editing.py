"""An editor in a real browser: opens an article of their department, edits the draft in
Romanian and English, previews it as residents will read it, and publishes it; every page is
audited for accessibility."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from cetate.accounts.roles import Role
from cetate.knowledge import services
from cetate.knowledge.queries import public_version
from cetate.test import make_user

pytestmark = pytest.mark.browser


def _ro(text: str) -> str:
    with override("ro"):
        return gettext(text)


def test_an_editor_edits_previews_and_publishes(browse, city):
    editor = make_user("redactor", Role.EDITOR, departments=(city.technical,))
    article = services.create_article(
        actor=editor,
        code="spargere",
        department=city.technical,
        content={"title": "Autorizație de spargere", "summary": "Pentru racorduri."},
    )
    services.publish(actor=editor, article=article)
    browse.sign_in(editor)
    browse.visit(reverse("console:knowledge"))
    page = browse.page

    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="Autorizație de spargere").click()
    browse.audit()
    page.locator("#id_summary").fill("Pentru racorduri la apă, gaz și curent.")
    page.locator("#id_summary_en").fill("For water, gas and power connections.")
    page.locator("#id_steps").fill("1. Depuneți cererea.\n2. Plătiți **taxa**.")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("Save and preview")).click()
    browse.audit()

    expect(page.get_by_role("heading", level=1)).to_have_text("Autorizație de spargere")
    expect(page.get_by_text("Pentru racorduri la apă, gaz și curent.")).to_be_visible()
    expect(page.locator(".service-article strong")).to_have_text("taxa")
    assert public_version("spargere").summary == "Pentru racorduri."  # still the old text

    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="English").click()
    browse.audit()
    expect(page.get_by_text("For water, gas and power connections.")).to_be_visible()

    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=_ro("Publish the draft")).click()
    browse.audit()
    expect(page.get_by_role("table", name=_ro("Published versions"))).to_be_visible()
    assert public_version("spargere").number == 2
    assert public_version("spargere").summary == "Pentru racorduri la apă, gaz și curent."


def test_an_editor_marks_an_old_article_as_reviewed_from_the_list(browse, city):
    editor = make_user("redactor", Role.EDITOR, departments=(city.technical,))
    article = services.create_article(
        actor=editor,
        code="vechi",
        department=city.technical,
        content={"title": "Articol vechi", "summary": "Text."},
    )
    services.publish(actor=editor, article=article)
    services.mark_reviewed(actor=editor, article=article, on=date(2020, 1, 6))
    browse.sign_in(editor)
    browse.visit(reverse("console:knowledge") + "?stale=1")
    page = browse.page

    row = page.get_by_role("row", name="Articol vechi")
    expect(row).to_contain_text(_ro("due for review"))
    with page.expect_navigation(wait_until="load"):
        row.get_by_role("button").click()
    browse.audit()

    expect(page.get_by_role("row", name="Articol vechi")).to_have_count(0)
    article.refresh_from_db()
    assert article.reviewed_at == timezone.localdate()
