"""The console's knowledge pages: an editor's articles, editing, preview, publishing, history,
review, and the limits of each editor's departments."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cetate.knowledge import services
from cetate.knowledge.models import ArticleDraft
from cetate.knowledge.queries import public_version
from tests.knowledge.conftest import draft_article


@pytest.fixture
def english(client):
    """The pages are read in English."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def edit_data(article, **changes):
    draft = ArticleDraft.objects.filter(article=article).first()
    source = draft or article.published
    data = {name: value for name, value in source.content().items()}
    data["seen"] = services.draft_token(article)
    data.update(changes)
    return data


def test_an_editor_sees_the_articles_of_their_departments(client, city, editors, published):
    lighting_article = services.create_article(
        actor=editors.lighting,
        code="iluminat-festiv",
        department=city.lighting,
        content={"title": "Iluminat festiv", "summary": "Ghirlande."},
    )
    client.force_login(editors.technical)

    page = client.get(reverse("console:knowledge")).content.decode()

    assert "Autorizație de spargere a trotuarului" in page
    assert "Iluminat festiv" not in page
    assert reverse("console:knowledge") in client.get(reverse("console:home")).url
    edit = client.get(reverse("console:knowledge_edit", args=[lighting_article.pk]))
    assert edit.status_code == 404


def test_staff_without_the_editor_role_have_no_knowledge_pages(client, city):
    client.force_login(city.dispatcher)
    assert client.get(reverse("console:knowledge")).status_code == 403


def test_edit_preview_and_publish(client, english, editors, published):
    client.force_login(editors.technical)
    url = reverse("console:knowledge_edit", args=[published.pk])
    data = edit_data(published, title="Spargerea trotuarului", title_en="Digging a pavement")

    response = client.post(url, {**data, "action": "preview"})

    assert response.url == reverse("console:knowledge_preview", args=[published.pk])
    preview = client.get(response.url).content.decode()
    assert "Preview of the draft: not public." in preview
    assert "Spargerea trotuarului" in preview
    assert public_version(published.code).title == "Autorizație de spargere a trotuarului"
    english = client.get(response.url + "?lang=en").content.decode()
    assert "Digging a pavement" in english

    client.post(reverse("console:knowledge_publish", args=[published.pk]))

    assert public_version(published.code).title == "Spargerea trotuarului"
    history = client.get(reverse("console:knowledge_history", args=[published.pk]))
    text = history.content.decode()
    assert "Version 2 was published." in text
    assert text.count("redactor") >= 2  # who published each version


def test_a_script_in_markdown_never_reaches_the_preview(client, editors, published):
    client.force_login(editors.technical)
    url = reverse("console:knowledge_edit", args=[published.pk])
    client.post(url, edit_data(published, steps="1. Pas\n\n<script>alert('x')</script>"))

    preview = client.get(reverse("console:knowledge_preview", args=[published.pk]))

    assert "<script>alert" not in preview.content.decode()
    assert "&lt;script&gt;" in preview.content.decode()  # shown as the text it is


def test_an_editor_cannot_publish_or_review_another_departments_article(client, editors, published):
    services.start_draft(actor=editors.technical, article=published)
    client.force_login(editors.lighting)

    for name in ("knowledge_publish", "knowledge_reviewed", "knowledge_discard"):
        assert client.post(reverse(f"console:{name}", args=[published.pk])).status_code == 404
    assert (
        client.post(
            reverse("console:knowledge_edit", args=[published.pk]), edit_data(published, title="X")
        ).status_code
        == 404
    )
    assert client.get(reverse("console:knowledge_history", args=[published.pk])).status_code == 404
    assert public_version(published.code).number == 1
    assert ArticleDraft.objects.get(article=published).title != "X"


def test_the_stale_list_shows_articles_not_reviewed_for_twelve_months(
    client, city, editors, settings
):
    settings.KNOWLEDGE_REVIEW_MONTHS = 12
    old = draft_article(city, editors.technical, code="vechi", title="Articol vechi")
    fresh = draft_article(city, editors.technical, code="nou", title="Articol proaspăt")
    with time_machine.travel("2025-01-10 10:00 +02:00", tick=False):
        services.publish(actor=editors.technical, article=old)
        services.publish(actor=editors.technical, article=fresh)
    with time_machine.travel("2026-01-05 10:00 +02:00", tick=False):
        services.mark_reviewed(actor=editors.technical, article=fresh)
    client.force_login(editors.technical)

    with time_machine.travel("2026-02-01 10:00 +02:00", tick=False):
        page = client.get(reverse("console:knowledge") + "?stale=1").content.decode()
        client.post(reverse("console:knowledge_reviewed", args=[old.pk]), {"next": "stale"})
        after = client.get(reverse("console:knowledge") + "?stale=1").content.decode()

    assert "Articol vechi" in page and "Articol proaspăt" not in page
    assert "de verificat" in page  # "due for review"
    assert "Articol vechi" not in after


def test_a_new_article_goes_to_one_of_the_editors_departments(client, city, editors):
    client.force_login(editors.technical)
    url = reverse("console:knowledge_new")

    refused = client.post(
        url,
        {"department": city.lighting.pk, "code": "x", "title": "X", "summary": "Y"},
    )
    created = client.post(
        url,
        {"department": city.technical.pk, "code": "trotuare", "title": "Trotuare", "summary": "S"},
    )

    assert refused.status_code == 400
    assert created.status_code == 302
    assert public_version("trotuare") is None


@pytest.mark.parametrize("name", ["knowledge_publish", "knowledge_reviewed"])
def test_forms_need_the_csrf_token(city, editors, published, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editors.technical)
    assert client.post(reverse(f"console:{name}", args=[published.pk])).status_code == 403


def test_a_save_over_someone_elses_newer_save_is_refused(client, english, city, editors, published):
    client.force_login(editors.technical)
    url = reverse("console:knowledge_edit", args=[published.pk])
    opened = edit_data(published)  # the page as the editor opened it
    services.save_draft(actor=city.admin, article=published, content={"title": "Textul colegului"})

    response = client.post(url, {**opened, "title": "Textul meu"})

    assert response.status_code == 409
    page = response.content.decode()
    assert "after you opened it" in page
    assert "Textul meu" in page  # what was typed stays on the page
    assert ArticleDraft.objects.get(article=published).title == "Textul colegului"
    again = client.post(url, {**opened, "title": "Textul meu"})
    assert again.status_code == 409
