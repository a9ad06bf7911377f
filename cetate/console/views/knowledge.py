"""Editing the knowledge base: the articles of the editor's departments (an administrator's:
all), each with its draft edited in Romanian and English side by side, a preview as residents
will read it, publishing, the history of published versions, marking as reviewed, and the
downloadable PDF forms. Every write is one call of `knowledge.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import F
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cetate.accounts.access import (
    access_article,
    access_knowledge_editing,
    editable_articles,
    may_edit_department_articles,
)
from cetate.accounts.decorators import staff_required
from cetate.accounts.models import User
from cetate.cases.errors import DomainError
from cetate.cases.uploads import Upload
from cetate.directory.models import Department
from cetate.knowledge import services
from cetate.knowledge.models import (
    CONTENT_FIELDS,
    MARKDOWN_FIELDS,
    Article,
    ArticleDraft,
    DownloadableForm,
    LifeEvent,
)
from cetate.knowledge.queries import review_cutoff, stale_q

# The fields shown side by side, Romanian beside English.
PAIRED_FIELDS = (
    "title",
    "summary",
    "audience",
    "steps",
    "documents",
    "fees",
    "legal_term",
    "office",
    "hours",
)
MARKDOWN_HELP = gettext_lazy(
    "Plain text; Markdown for lists (- item), numbered steps (1. step), **bold** and links."
)


class ArticleChoice(forms.ModelMultipleChoiceField[Article]):
    def label_from_instance(self, obj: Article) -> str:
        return str(obj)


class DraftForm(forms.ModelForm[ArticleDraft]):
    related = ArticleChoice(
        label=gettext_lazy("Related services"), queryset=Article.objects.none(), required=False
    )

    class Meta:
        model = ArticleDraft
        fields = [*CONTENT_FIELDS, "life_events", "related"]
        widgets = {"life_events": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, article: Article, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Article.objects.exclude(pk=article.pk).select_related("published", "draft")
        self.fields["related"].queryset = others.order_by("code")  # type: ignore[attr-defined]
        self.fields["life_events"].queryset = LifeEvent.objects.all()  # type: ignore[attr-defined]
        for name in MARKDOWN_FIELDS:
            self.fields[name].widget = forms.Textarea(attrs={"rows": 8})
            self.fields[name].help_text = MARKDOWN_HELP
        for name in ("summary", "summary_en"):
            self.fields[name].widget = forms.Textarea(attrs={"rows": 3})

    def content(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in CONTENT_FIELDS}


class NewArticleForm(forms.Form):
    department = forms.ModelChoiceField(
        label=gettext_lazy("Responsible department"), queryset=Department.objects.none()
    )
    code = forms.SlugField(
        label=gettext_lazy("Code"),
        max_length=80,
        help_text=gettext_lazy("Lower-case letters, digits and hyphens: the page's address."),
    )
    title = forms.CharField(label=gettext_lazy("Title (Romanian)"), max_length=200)
    summary = forms.CharField(
        label=gettext_lazy("Summary (Romanian)"), max_length=600, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(kind=Department.Kind.INTERNAL, is_active=True)
        allowed = [d.pk for d in departments if may_edit_department_articles(user, d.pk)]
        self.fields["department"].queryset = departments.filter(pk__in=allowed)  # type: ignore[attr-defined]


class FormUploadForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Form title (Romanian)"), max_length=200)
    title_en = forms.CharField(
        label=gettext_lazy("Form title (English)"), max_length=200, required=False
    )
    file = forms.FileField(label=gettext_lazy("PDF file"))


def _editor(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    access_knowledge_editing(user)
    return user


@staff_required
@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    """The articles the editor answers for, the ones due for review first when asked."""
    user = _editor(request)
    articles = editable_articles(user).select_related("department", "published", "draft")
    only_stale = request.GET.get("stale") == "1"
    if only_stale:
        articles = articles.filter(stale_q())
    stale_ids = set(editable_articles(user).filter(stale_q()).values_list("pk", flat=True))
    rows = sorted(articles, key=lambda article: (article.department.name, str(article)))
    return render(
        request,
        "console/knowledge/list.html",
        {
            "rows": rows,
            "stale_ids": stale_ids,
            "only_stale": only_stale,
            "stale_count": len(stale_ids),
            "cutoff": review_cutoff(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def new_article(request: HttpRequest) -> HttpResponse:
    user = _editor(request)
    form = NewArticleForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            article = services.create_article(
                actor=user,
                code=data["code"],
                department=data["department"],
                content={"title": data["title"], "summary": data["summary"]},
            )
        except DomainError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The draft was created. It is not public yet."))
            return redirect("console:knowledge_edit", article_id=article.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "console/knowledge/new.html", {"form": form}, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def edit_article(request: HttpRequest, article_id: int) -> HttpResponse:
    """The draft, Romanian beside English; saving keeps it a draft, preview shows it."""
    user = _editor(request)
    article = access_article(user, article_id)
    draft = ArticleDraft.objects.filter(article=article).first()
    if request.method == "POST":
        seen = request.POST.get("seen") or None
        form = DraftForm(request.POST, instance=draft, article=article)
        if form.is_valid():
            try:
                services.save_draft(
                    actor=user,
                    article=article,
                    content=form.content(),
                    life_events=form.cleaned_data["life_events"],
                    related=form.cleaned_data["related"],
                    seen=seen,
                )
            except DomainError as refusal:
                form.add_error(None, str(refusal))
                return _edit_page(request, article, form, status=409, seen=seen)
            if request.POST.get("action") == "preview":
                return redirect("console:knowledge_preview", article_id=article.pk)
            messages.success(request, _("The draft was saved. It is not public yet."))
            return redirect("console:knowledge_edit", article_id=article.pk)
        return _edit_page(request, article, form, status=400)
    if draft is None and article.published is not None:
        # Editing a published article starts from its text, without saving anything yet.
        initial = {**article.published.content()}
        initial["life_events"] = list(article.published.life_events.all())
        initial["related"] = list(article.published.related.all())
        form = DraftForm(initial=initial, article=article)
    else:
        form = DraftForm(instance=draft, article=article)
    return _edit_page(request, article, form)


def _edit_page(
    request: HttpRequest,
    article: Article,
    form: DraftForm,
    status: int = 200,
    seen: str | None = None,
) -> HttpResponse:
    draft = ArticleDraft.objects.filter(article=article).select_related("updated_by").first()
    return render(
        request,
        "console/knowledge/edit.html",
        {
            "article": article,
            "draft": draft,
            "form": form,
            # A refused save keeps the token it came with: saving again is refused again.
            "seen": seen if seen is not None else services.draft_token(article),
            "pairs": [(form[name], form[f"{name}_en"]) for name in PAIRED_FIELDS],
            "upload_form": FormUploadForm(),
            "downloadable_forms": article.forms.all(),
            "is_stale": Article.objects.filter(pk=article.pk).filter(stale_q()).exists(),
        },
        status=status,
    )


@staff_required
@require_GET
def preview(request: HttpRequest, article_id: int) -> HttpResponse:
    """The draft as residents will read it once published, in Romanian or English."""
    user = _editor(request)
    article = access_article(user, article_id)
    draft = ArticleDraft.objects.filter(article=article).first()
    if draft is None:
        raise Http404
    return _article_page(request, article, draft, preview=True)


def _article_page(
    request: HttpRequest, article: Article, content: Any, *, preview: bool
) -> HttpResponse:
    language = "en" if request.GET.get("lang") == "en" else "ro"
    return render(
        request,
        "console/knowledge/preview.html",
        {
            "article": article,
            "content": content,
            "language": language,
            "is_preview": preview,
            "life_events": content.life_events.all(),
            "related": content.related.select_related("published"),
            "downloadable_forms": article.forms.all(),
        },
    )


@staff_required
@require_POST
def publish(request: HttpRequest, article_id: int) -> HttpResponse:
    user = _editor(request)
    article = access_article(user, article_id)
    try:
        version = services.publish(actor=user, article=article)
    except DomainError as refusal:
        messages.error(request, str(refusal))
        return redirect("console:knowledge_edit", article_id=article.pk)
    messages.success(request, _("Version %(number)s was published.") % {"number": version.number})
    return redirect("console:knowledge_history", article_id=article.pk)


@staff_required
@require_POST
def discard(request: HttpRequest, article_id: int) -> HttpResponse:
    user = _editor(request)
    article = access_article(user, article_id)
    try:
        services.discard_draft(actor=user, article=article)
    except DomainError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The draft was discarded."))
    if article.published is None:
        return redirect("console:knowledge")
    return redirect("console:knowledge_history", article_id=article.pk)


@staff_required
@require_POST
def mark_reviewed(request: HttpRequest, article_id: int) -> HttpResponse:
    user = _editor(request)
    article = access_article(user, article_id)
    try:
        services.mark_reviewed(actor=user, article=article)
    except DomainError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The article was marked as reviewed today."))
    if request.POST.get("next") == "stale":
        return redirect(reverse("console:knowledge") + "?stale=1")
    return redirect("console:knowledge_history", article_id=article.pk)


@staff_required
@require_GET
def history(request: HttpRequest, article_id: int) -> HttpResponse:
    user = _editor(request)
    article = access_article(user, article_id)
    return render(
        request,
        "console/knowledge/history.html",
        {
            "article": article,
            "draft": ArticleDraft.objects.filter(article=article).first(),
            "versions": article.versions.select_related("published_by").annotate(
                # What readers answered to "Was this useful?", version by version.
                useful_count=Coalesce(F("usefulness__useful"), 0),
                not_useful_count=Coalesce(F("usefulness__not_useful"), 0),
            ),
            "is_stale": Article.objects.filter(pk=article.pk).filter(stale_q()).exists(),
        },
    )


@staff_required
@require_GET
def version(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    user = _editor(request)
    article = access_article(user, article_id)
    kept = get_object_or_404(article.versions, number=number)
    return _article_page(request, article, kept, preview=False)


@staff_required
@require_POST
def upload_form(request: HttpRequest, article_id: int) -> HttpResponse:
    user = _editor(request)
    article = access_article(user, article_id)
    form = FormUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.add_form(
                actor=user,
                article=article,
                form=services.FormFile(
                    title=form.cleaned_data["title"],
                    title_en=form.cleaned_data["title_en"],
                    upload=Upload(name=upload.name, content=upload.read()),
                ),
            )
        except DomainError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("The form was added."))
    else:
        messages.error(request, _("Give the form a title and choose its PDF file."))
    return redirect("console:knowledge_edit", article_id=article.pk)


@staff_required
@require_POST
def remove_form(request: HttpRequest, article_id: int, form_id: int) -> HttpResponse:
    user = _editor(request)
    article = access_article(user, article_id)
    downloadable = get_object_or_404(DownloadableForm, pk=form_id, article=article)
    services.remove_form(actor=user, form=downloadable)
    messages.success(request, _("The form was removed."))
    return redirect("console:knowledge_edit", article_id=article.pk)
