"""The knowledge base of municipal services: one article per service the city hall offers.

An article (`Article`) is the service's stable identity in the catalogue: its code, its
department, whether it can be requested online and with what term. Its texts live in versions:

- `ArticleDraft`: at most one per article, the text staff are editing; never public.
- `ArticleVersion`: what publishing a draft makes; immutable, numbered 1, 2, 3… per article,
  with who published it and when. `Article.published` points at the current one: the public,
  the dispatcher and the API only ever read that version.

Every text exists in Romanian (the field without suffix) and English (`_en`); the Markdown
fields are stored as typed and rendered, sanitised, on output (`rendering.py`). Each version
carries `search_text`, its titles, summaries, keywords and bodies folded (lower case, no
diacritics) in one column, the text the knowledge search indexes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cetate.directory.models import Attribute, LocalizedName
from cetate.lib.i18n import pick_language


class LifeEvent(LocalizedName):
    """A moment of life that needs several services: "a child was born", "I am building a
    house". The portal lets residents browse the services by it."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        ordering = ["order", "name"]


class Article(models.Model):
    """A service of the city hall, as the catalogue lists it."""

    code = models.SlugField(
        _("code"), max_length=80, unique=True, help_text=_("Its address: /servicii/<code>/.")
    )
    department = models.ForeignKey(
        "directory.Department",
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    online = models.BooleanField(
        _("can be requested online"),
        default=False,
        help_text=_("Residents may send the request from the portal, with its fields and files."),
    )
    term_days = models.PositiveSmallIntegerField(
        _("legal term (days)"),
        null=True,
        blank=True,
        help_text=_("The days the law gives the city to answer a request for this service."),
    )
    published = models.OneToOneField(
        "ArticleVersion",
        verbose_name=_("published version"),
        null=True,
        blank=True,
        # A version goes only with its article (its history is never edited).
        on_delete=models.RESTRICT,
        related_name="+",
    )
    reviewed_at = models.DateField(_("last reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Loaded by the demo (cetate/demo/knowledge.py): invented for the demo city.
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta:
        verbose_name = _("service article")
        verbose_name_plural = _("service articles")
        ordering = ["code"]
        indexes = [models.Index(fields=["department", "reviewed_at"], name="article_review")]

    def __str__(self) -> str:
        current = self.published or getattr(self, "draft", None)
        return current.label if current else self.code

    @property
    def is_published(self) -> bool:
        return self.published_id is not None


class ArticleContent(models.Model):
    """The texts of a service: what a draft holds and what a version keeps."""

    title = models.CharField(_("title (Romanian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary = models.TextField(_("summary (Romanian)"), max_length=600)
    summary_en = models.TextField(_("summary (English)"), max_length=600, blank=True)
    audience = models.TextField(_("who it is for (Romanian)"), blank=True)
    audience_en = models.TextField(_("who it is for (English)"), blank=True)
    steps = models.TextField(_("steps (Romanian)"), blank=True)
    steps_en = models.TextField(_("steps (English)"), blank=True)
    documents = models.TextField(_("required documents (Romanian)"), blank=True)
    documents_en = models.TextField(_("required documents (English)"), blank=True)
    fees = models.TextField(_("fees (Romanian)"), blank=True)
    fees_en = models.TextField(_("fees (English)"), blank=True)
    legal_term = models.CharField(_("legal term (Romanian)"), max_length=300, blank=True)
    legal_term_en = models.CharField(_("legal term (English)"), max_length=300, blank=True)
    office = models.CharField(_("office (Romanian)"), max_length=300, blank=True)
    office_en = models.CharField(_("office (English)"), max_length=300, blank=True)
    hours = models.CharField(_("opening hours (Romanian)"), max_length=300, blank=True)
    hours_en = models.CharField(_("opening hours (English)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    keywords = models.CharField(
        _("keywords"),
        max_length=500,
        blank=True,
        help_text=_("Words residents may search with, in either language, separated by commas."),
    )

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        return pick_language(self.title, {"en": self.title_en})

    def text(self, name: str) -> str:
        """The field `name` in the page's language: English where it was written."""
        return pick_language(getattr(self, name), {"en": getattr(self, f"{name}_en", "")})

    def content(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in CONTENT_FIELDS}


CONTENT_FIELDS: tuple[str, ...] = tuple(field.name for field in ArticleContent._meta.local_fields)
# The texts written in Markdown; the others are single lines of plain text.
MARKDOWN_FIELDS = frozenset(
    name for base in ("audience", "steps", "documents", "fees") for name in (base, f"{base}_en")
)
# What search reads of a version, in the order its weight falls.
SEARCHED_FIELDS = (
    "title",
    "title_en",
    "keywords",
    "summary",
    "summary_en",
    "audience",
    "steps",
    "documents",
    "fees",
    "audience_en",
    "steps_en",
    "documents_en",
    "fees_en",
)


class ArticleDraft(ArticleContent):
    """The article's text being edited, with the life events and related services it will
    name. Publishing copies it into a new version and removes it."""

    article = models.OneToOneField(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="draft"
    )
    life_events = models.ManyToManyField(
        LifeEvent, verbose_name=_("life events"), blank=True, related_name="+"
    )
    related = models.ManyToManyField(
        Article, verbose_name=_("related services"), blank=True, related_name="+"
    )
    # The version the draft started from: another version published meanwhile shows.
    based_on = models.ForeignKey(
        "ArticleVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")

    def __str__(self) -> str:
        return self.label


class ArticleVersionQuerySet(models.QuerySet["ArticleVersion"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("published versions are never changed")


class ArticleVersion(ArticleContent):
    """A published text of an article, kept as it was: the article's history."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    life_events = models.ManyToManyField(
        LifeEvent, verbose_name=_("life events"), blank=True, related_name="versions"
    )
    related = models.ManyToManyField(
        Article, verbose_name=_("related services"), blank=True, related_name="related_from"
    )
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Titles, summaries, keywords and bodies in both languages, folded: what search indexes.
    search_text = models.TextField(editable=False, blank=True)

    objects = ArticleVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.number})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("published versions are never changed")
        super().save(*args, **kwargs)


def article_form_path(instance: DownloadableForm, filename: str) -> str:
    return f"knowledge/forms/{instance.article_id}/{filename}"


class DownloadableForm(models.Model):
    """A form residents download (PDF), checked by its content when it was uploaded.

    A form is shown with the article's published version, from its upload on."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="forms"
    )
    title = models.CharField(_("title (Romanian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=article_form_path, max_length=300)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("downloadable form")
        verbose_name_plural = _("downloadable forms")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick_language(self.title, {"en": self.title_en})


class ServiceField(Attribute):
    """A question the online request of a service asks (an Open311 attribute, as a category's
    extra question)."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="request_fields"
    )

    class Meta(Attribute.Meta):
        verbose_name = _("online request field")
        verbose_name_plural = _("online request fields")
        constraints = [
            models.UniqueConstraint(fields=["article", "code"], name="field_code_per_article")
        ]


class RequiredAttachment(models.Model):
    """A document the online request of a service must (or may) carry, e.g. a copy of the
    land registry extract."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="request_documents",
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("document (Romanian)"), max_length=300)
    name_en = models.CharField(_("document (English)"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("document of the online request")
        verbose_name_plural = _("documents of the online request")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "code"], name="attachment_code_per_article")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick_language(self.name, {"en": self.name_en})


class SearchEntry(models.Model):
    """The published text of an article as the knowledge search reads it: folded (lower case,
    no diacritics) and split by weight, title first. Written with each published version
    (`search.index_published`). PostgreSQL indexes it by a weighted `tsvector` column, SQLite
    mirrors it into an FTS5 table by triggers (migration 0002); neither is known to Django."""

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.TextField(blank=True)
    keywords = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.title


class SearchWord(models.Model):
    """A folded word found in a published article: where a misspelt search word looks for the
    word the resident meant (trigram similarity on PostgreSQL, edit distance everywhere)."""

    word = models.CharField(max_length=40, primary_key=True)

    def __str__(self) -> str:
        return self.word


class UnansweredSearch(models.Model):
    """A search that found nothing, folded, counted for editors: what residents and
    dispatchers look for that no article answers. Holds no one's data: no address, no user."""

    query = models.CharField(_("search"), max_length=200)
    language = models.CharField(_("language"), max_length=8)
    count = models.PositiveIntegerField(_("times"), default=1)
    last_seen = models.DateTimeField(_("last searched"))

    class Meta:
        verbose_name = _("search with no result")
        verbose_name_plural = _("searches with no result")
        ordering = ["-count", "-last_seen"]
        constraints = [
            models.UniqueConstraint(fields=["query", "language"], name="one_unanswered_search")
        ]

    def __str__(self) -> str:
        return self.query


class Usefulness(models.Model):
    """How many readers of a published version found it useful or not: counts only, nothing of
    who answered."""

    version = models.OneToOneField(
        ArticleVersion,
        verbose_name=_("published version"),
        on_delete=models.CASCADE,
        related_name="usefulness",
    )
    useful = models.PositiveIntegerField(_("useful"), default=0)
    not_useful = models.PositiveIntegerField(_("not useful"), default=0)

    class Meta:
        verbose_name = _("usefulness")
        verbose_name_plural = _("usefulness")

    def __str__(self) -> str:
        return f"{self.version}: +{self.useful} / -{self.not_useful}"
