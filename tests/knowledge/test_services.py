"""Writing the knowledge base: drafts, published versions and their history, reviews, forms,
and who may change which article."""

from datetime import date

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db.models import RestrictedError

from cetate.cases.errors import DomainError, NotAllowed
from cetate.cases.uploads import RejectedUpload, Upload
from cetate.knowledge import services
from cetate.knowledge.models import ArticleDraft, ArticleVersion
from cetate.knowledge.queries import public_articles, public_version
from tests.cases.files import minimal_pdf
from tests.knowledge.conftest import draft_article

PDF = minimal_pdf()


def test_a_new_article_is_a_draft_nobody_outside_reads(city, editors):
    article = draft_article(city, editors.technical)

    assert not article.is_published
    assert public_version(article.code) is None
    assert not public_articles().filter(pk=article.pk).exists()


def test_publishing_makes_numbered_versions_with_who_and_when(city, editors):
    article = draft_article(city, editors.technical)
    with time_machine.travel("2026-03-02 10:00 +02:00", tick=False):
        first = services.publish(actor=editors.technical, article=article)
    services.save_draft(
        actor=editors.technical, article=article, content={"summary": "Text nou, corectat."}
    )
    second = services.publish(actor=city.admin, article=article)

    assert (first.number, second.number) == (1, 2)
    assert first.published_by == editors.technical and second.published_by == city.admin
    assert first.published_at.date() == date(2026, 3, 2)
    assert list(article.versions.values_list("number", flat=True)) == [2, 1]
    assert public_version(article.code).summary == "Text nou, corectat."
    # The first version keeps its text: the history shows what residents read then.
    assert ArticleVersion.objects.get(pk=first.pk).summary == "Pentru racorduri prin trotuar."
    assert not ArticleDraft.objects.filter(article=article).exists()


def test_a_draft_of_a_published_article_changes_nothing_public(published, editors):
    services.save_draft(
        actor=editors.technical,
        article=published,
        content={"title": "Titlu în lucru", "summary": "Încă nu."},
    )

    version = public_version(published.code)
    assert version.title == "Autorizație de spargere a trotuarului"
    assert version.number == 1
    draft = ArticleDraft.objects.get(article=published)
    assert draft.title == "Titlu în lucru"
    assert draft.steps == "1. Depuneți cererea.\n2. Plătiți taxa."  # started from the version


def test_discarding_a_draft_keeps_the_published_version(published, editors):
    services.start_draft(actor=editors.technical, article=published)
    services.discard_draft(actor=editors.technical, article=published)

    assert public_version(published.code).number == 1
    with pytest.raises(DomainError, match="no draft"):
        services.publish(actor=editors.technical, article=published)


def test_published_versions_are_never_changed(published):
    version = published.published
    version.title = "Altceva"
    with pytest.raises(TypeError):
        version.save()
    with pytest.raises(TypeError):
        ArticleVersion.objects.filter(pk=version.pk).update(title="Altceva")


def test_publishing_needs_a_title_and_summary(city, editors):
    article = draft_article(city, editors.technical, summary=" ")
    with pytest.raises(DomainError, match="title and summary"):
        services.publish(actor=editors.technical, article=article)
    assert not article.versions.exists()


def test_an_editor_of_another_department_changes_nothing(published, editors, city):
    other = editors.lighting
    with pytest.raises(NotAllowed):
        services.save_draft(actor=other, article=published, content={"title": "Nu"})
    with pytest.raises(NotAllowed):
        services.publish(actor=other, article=published)
    with pytest.raises(NotAllowed):
        services.mark_reviewed(actor=other, article=published)
    with pytest.raises(NotAllowed):
        draft_article(city, other, code="alt-articol")
    with pytest.raises(NotAllowed):
        services.save_draft(actor=city.officer, article=published, content={"title": "Nu"})
    assert not ArticleDraft.objects.filter(article=published).exists()


def test_the_administrator_edits_every_department(published, city):
    services.save_draft(actor=city.admin, article=published, content={"summary": "Corectat."})
    assert services.publish(actor=city.admin, article=published).number == 2


def test_marking_reviewed_records_the_day_and_who(published, editors):
    with time_machine.travel("2027-05-04 09:00 +03:00", tick=False):
        services.mark_reviewed(actor=editors.technical, article=published)
    published.refresh_from_db()
    assert published.reviewed_at == date(2027, 5, 4)
    assert published.reviewed_by == editors.technical


def test_a_pdf_form_is_stored_and_anything_else_refused(published, editors):
    form = services.add_form(
        actor=editors.technical,
        article=published,
        form=services.FormFile(
            title="Cerere-tip", title_en="Form", upload=Upload(name="cerere.pdf", content=PDF)
        ),
    )
    assert default_storage.exists(form.file.name)
    assert form.size == len(PDF)

    with pytest.raises(RejectedUpload):
        services.add_form(
            actor=editors.technical,
            article=published,
            form=services.FormFile(
                title="Fals", title_en="", upload=Upload(name="fals.pdf", content=b"<html>")
            ),
        )
    assert published.forms.count() == 1

    services.remove_form(actor=editors.technical, form=form)
    assert not default_storage.exists(form.file.name)


def test_the_published_version_keeps_a_folded_text_for_search(city, editors):
    article = draft_article(
        city, editors.technical, keywords="săpătură, branșament", summary="Țevi și cabluri."
    )
    version = services.publish(actor=editors.technical, article=article)

    assert "sapatura bransament" in version.search_text
    assert "tevi si cabluri" in version.search_text
    assert "permit to dig up a pavement" in version.search_text


def test_an_article_is_deleted_with_its_history(published, editors):
    services.save_draft(actor=editors.technical, article=published, content={"title": "Nou"})
    services.publish(actor=editors.technical, article=published)

    published.delete()

    assert not ArticleVersion.objects.exists()
    assert not ArticleDraft.objects.exists()


def test_a_version_cannot_be_deleted_while_it_is_published(published):
    with pytest.raises(RestrictedError):
        published.published.delete()


def test_a_save_from_an_outdated_page_is_refused(published, editors, city):
    opened = services.draft_token(published)
    services.save_draft(actor=city.admin, article=published, content={"title": "Mai nou"})

    with pytest.raises(services.DraftChanged, match="after you opened it"):
        services.save_draft(
            actor=editors.technical, article=published, content={"title": "Vechi"}, seen=opened
        )
    assert ArticleDraft.objects.get(article=published).title == "Mai nou"
    fresh = services.draft_token(published)
    services.save_draft(
        actor=editors.technical, article=published, content={"title": "Acum"}, seen=fresh
    )
    assert ArticleDraft.objects.get(article=published).title == "Acum"
