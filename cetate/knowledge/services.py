"""Every change to the knowledge base: typed, keyword-only, one transaction each.

Who may change what is asked of `accounts.access` (an editor writes their departments'
articles, an administrator every article); a refusal raises `NotAllowed`. Publishing locks the
article's row, so that two editors publishing at once make versions n and n + 1, never two n.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from cetate.accounts.access import may_edit_department_articles
from cetate.accounts.models import User
from cetate.cases.errors import DomainError, NotAllowed
from cetate.cases.uploads import RejectedUpload, Upload, clean_upload
from cetate.directory.models import Department
from cetate.knowledge.models import (
    CONTENT_FIELDS,
    Article,
    ArticleDraft,
    ArticleVersion,
    DownloadableForm,
    LifeEvent,
    Usefulness,
)
from cetate.knowledge.search import index_published
from cetate.knowledge.search_text import search_text_of
from cetate.lib import clock
from cetate.lib.text import plain_text

FORMS_FOLDER = "knowledge/forms"


class NoDraft(DomainError):
    """The article has no draft to publish or discard."""


class DraftChanged(DomainError):
    """Someone else saved or published the article since the editor's page was drawn."""


def draft_token(article: Article) -> str:
    """What the editor's page was drawn from: the draft as last saved, or, with no draft, the
    published version. A save that carries another token would overwrite someone's work."""
    draft = ArticleDraft.objects.filter(article_id=article.pk).first()
    if draft is not None:
        return f"draft:{draft.pk}:{draft.updated_at.isoformat()}"
    published_id = Article.objects.filter(pk=article.pk).values_list("published", flat=True)
    return f"published:{published_id.first() or 0}"


def _require_editor(actor: User | None, department_id: int) -> None:
    if actor is not None and not may_edit_department_articles(actor, department_id):
        raise NotAllowed(_("You may edit only the articles of your departments."))


def _cleaned(content: Mapping[str, str]) -> dict[str, str]:
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"not fields of an article: {sorted(unknown)}")
    return {name: plain_text(value).strip() for name, value in content.items()}


@transaction.atomic
def create_article(
    *,
    actor: User | None,
    code: str,
    department: Department,
    content: Mapping[str, str],
    online: bool = False,
    term_days: int | None = None,
    is_demo: bool = False,
) -> Article:
    """A new article with its first draft; nothing of it is public until it is published."""
    _require_editor(actor, department.pk)
    if Article.objects.filter(code=code).exists():
        raise DomainError(_("An article with the code “%(code)s” exists already.") % {"code": code})
    article = Article.objects.create(
        code=code, department=department, online=online, term_days=term_days, is_demo=is_demo
    )
    ArticleDraft.objects.create(article=article, updated_by=actor, **_cleaned(content))
    return article


def start_draft(*, actor: User | None, article: Article) -> ArticleDraft:
    """The article's draft, started from its published text when it has none."""
    _require_editor(actor, article.department_id)
    with transaction.atomic():
        existing = ArticleDraft.objects.filter(article=article).first()
        if existing is not None:
            return existing
        published = article.published
        if published is None:
            return ArticleDraft.objects.create(article=article, updated_by=actor)
        draft = ArticleDraft.objects.create(
            article=article, based_on=published, updated_by=actor, **published.content()
        )
        draft.life_events.set(published.life_events.all())
        draft.related.set(published.related.all())
        return draft


@transaction.atomic
def save_draft(
    *,
    actor: User | None,
    article: Article,
    content: Mapping[str, str],
    life_events: Iterable[LifeEvent] | None = None,
    related: Iterable[Article] | None = None,
    seen: str | None = None,
) -> ArticleDraft:
    """Write the draft's texts; the public still reads the published version.

    `seen` is the `draft_token` the editor's page was drawn from: when someone saved or
    published since, nothing is written and `DraftChanged` says who and when."""
    _require_editor(actor, article.department_id)
    Article.objects.select_for_update().filter(pk=article.pk).first()
    if seen is not None and seen != draft_token(article):
        raise _changed(article)
    draft = start_draft(actor=actor, article=article)
    for name, value in _cleaned(content).items():
        setattr(draft, name, value)
    draft.updated_by = actor
    draft.save()
    if life_events is not None:
        draft.life_events.set(list(life_events))
    if related is not None:
        draft.related.set([other for other in related if other.pk != article.pk])
    return draft


def _changed(article: Article) -> DraftChanged:
    draft = ArticleDraft.objects.filter(article_id=article.pk).select_related("updated_by").first()
    who: User | None = None
    when: datetime | None = None
    if draft is not None:
        who, when = draft.updated_by, draft.updated_at
    else:
        version = ArticleVersion.objects.filter(article_id=article.pk).order_by("-number").first()
        if version is not None:
            who, when = version.published_by, version.published_at
    return DraftChanged(
        _(
            "%(who)s changed this article at %(when)s, after you opened it. Your text was not "
            "saved: copy what you need, reload the page and apply your changes again."
        )
        % {
            "who": who or _("Someone"),
            "when": localtime(when).strftime("%H:%M") if when else "—",
        }
    )


@transaction.atomic
def publish(*, actor: User | None, article: Article) -> ArticleVersion:
    """Make the draft the article's next published version; the draft is then gone and the
    article counts as reviewed today."""
    _require_editor(actor, article.department_id)
    locked = Article.objects.select_for_update().get(pk=article.pk)
    draft = ArticleDraft.objects.filter(article=locked).first()
    if draft is None:
        raise NoDraft(_("There is no draft to publish."))
    if not draft.title.strip() or not draft.summary.strip():
        raise DomainError(_("A published article needs its Romanian title and summary."))
    last = locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
    content = draft.content()
    version = ArticleVersion.objects.create(
        article=locked,
        number=last + 1,
        published_at=clock.now(),
        published_by=actor,
        search_text=search_text_of(content),
        **content,
    )
    version.life_events.set(draft.life_events.all())
    version.related.set(draft.related.all())
    index_published(version)
    draft.delete()
    locked.published = version
    locked.reviewed_at = clock.now().date()
    locked.reviewed_by = actor
    locked.save(update_fields=["published", "reviewed_at", "reviewed_by"])
    article.refresh_from_db()
    return version


@transaction.atomic
def discard_draft(*, actor: User | None, article: Article) -> None:
    """Drop the draft; the published version stays as it is."""
    _require_editor(actor, article.department_id)
    deleted, _rows = ArticleDraft.objects.filter(article=article).delete()
    if not deleted:
        raise NoDraft(_("There is no draft to discard."))


@transaction.atomic
def mark_reviewed(*, actor: User | None, article: Article, on: date | None = None) -> None:
    """Record that the published text was checked and is still right."""
    _require_editor(actor, article.department_id)
    if not article.is_published:
        raise DomainError(_("Only a published article can be marked as reviewed."))
    article.reviewed_at = on or clock.now().date()
    article.reviewed_by = actor
    article.save(update_fields=["reviewed_at", "reviewed_by"])


@dataclass(frozen=True)
class FormFile:
    title: str
    title_en: str
    upload: Upload


def add_form(*, actor: User | None, article: Article, form: FormFile) -> DownloadableForm:
    """Attach a downloadable PDF form: checked by its content, written to storage before the
    transaction that records it (storage may be across the network), removed if that fails."""
    _require_editor(actor, article.department_id)
    clean = clean_upload(form.upload)
    if clean.content_type != "application/pdf":
        raise RejectedUpload(_("“%(name)s” is not a PDF document.") % {"name": form.upload.name})
    name = f"{FORMS_FOLDER}/{article.pk}/{secrets.token_hex(4)}-{clean.name}"
    stored_as = default_storage.save(name, ContentFile(clean.content))
    try:
        with transaction.atomic():
            return DownloadableForm.objects.create(
                article=article,
                title=plain_text(form.title).strip() or clean.name,
                title_en=plain_text(form.title_en).strip(),
                file=stored_as,
                size=len(clean.content),
                sha256=clean.sha256,
                uploaded_by=actor,
                order=article.forms.count(),
            )
    except BaseException:
        default_storage.delete(stored_as)
        raise


def remove_form(*, actor: User | None, form: DownloadableForm) -> None:
    """Take a form off the article, and its file out of storage once that is recorded."""
    _require_editor(actor, form.article.department_id)
    stored_as = form.file.name
    with transaction.atomic():
        form.delete()
    default_storage.delete(stored_as)


def count_usefulness(version: ArticleVersion, *, useful: bool) -> None:
    """Count a reader's answer to "Was this useful?" for the version they read."""
    counter = "useful" if useful else "not_useful"
    with transaction.atomic():
        Usefulness.objects.get_or_create(version=version)
        Usefulness.objects.filter(version=version).update(**{counter: F(counter) + 1})
