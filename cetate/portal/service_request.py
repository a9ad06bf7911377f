"""Requesting a service online from its page: the service's own questions, its documents and
who asks, registered as a request the service's department answers within its legal term.

The form only gathers; the case service judges (answers, who may petition) and its refusals
are put beside the fields they concern. The receipt is the report's
(`cetate.portal.report.report_sent`), which names the service and the documents received.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cetate.cases.answers import InvalidAnswers, clean_answers
from cetate.cases.authorship import AuthorRefusal, Missing
from cetate.cases.errors import DomainError
from cetate.cases.filestore import written_first
from cetate.cases.receipt import service_document_name
from cetate.cases.services.intake import DESCRIPTION_LIMIT, UnidentifiedAuthor
from cetate.cases.uploads import CleanFile, RejectedUpload, Upload, clean_upload
from cetate.contacts.models import AnswerChannel
from cetate.directory.question_fields import ANSWER_PREFIX, question_field
from cetate.intake.people import Person
from cetate.intake.services import request_service
from cetate.knowledge.models import Article, RequiredAttachment
from cetate.lib.ratelimit import refusal
from cetate.ops.body_limits import accepts_files
from cetate.portal import residents
from cetate.portal.catalogue import published_article
from cetate.portal.report import to_receipt

DOCUMENT_PREFIX = "document__"
# The most documents a service may ask for, as the upload limits count them.
MAX_DOCUMENTS = 10
REQUESTS_PER_ADDRESS = 20
REQUESTS_WINDOW_SECONDS = 600


class ServiceRequestForm(forms.Form):
    """The online request of one service: its fields, its documents, and the petitioner."""

    details = forms.CharField(
        label=gettext_lazy("Anything to add (optional)"),
        required=False,
        max_length=DESCRIPTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    name = forms.CharField(
        label=gettext_lazy("Full name"), required=False, max_length=200, help_text=""
    )
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    postal_address = forms.CharField(
        label=gettext_lazy("Postal address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    answer_channel = forms.ChoiceField(
        label=gettext_lazy("How do you want the answer?"),
        choices=[(c.value, c.label) for c in (AnswerChannel.EMAIL, AnswerChannel.POST)],
        widget=forms.RadioSelect,
        initial=AnswerChannel.EMAIL,
    )

    def __init__(self, *args: Any, article: Article, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.article = article
        self.documents: list[RequiredAttachment] = list(article.request_documents.all())
        self.questions = list(article.request_fields.all())
        for question in self.questions:
            self.fields[ANSWER_PREFIX + question.code] = question_field(question)
        for document in self.documents:
            label = document.label
            if document.required:
                label = _("%(question)s (required)") % {"question": label}
            self.fields[DOCUMENT_PREFIX + document.code] = forms.FileField(
                label=label,
                required=document.required,
                help_text=_("A photo or a PDF."),
                widget=forms.ClearableFileInput(
                    attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
                ),
                error_messages={"required": _("Attach this document.")},
            )

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[ANSWER_PREFIX + question.code] for question in self.questions]

    @property
    def document_fields(self) -> list[forms.BoundField]:
        return [self[DOCUMENT_PREFIX + document.code] for document in self.documents]

    @property
    def petitioner_fields(self) -> list[forms.BoundField]:
        return [self["name"], self["email"], self["postal_address"]]

    @property
    def error_summary(self) -> list[dict[str, str]]:
        """Every error, naming its field and pointing at it, in the order of the page."""
        summary = [{"target": "", "text": str(error)} for error in self.non_field_errors()]
        order = [field.name for field in self.question_fields + self.document_fields]
        order += ["details", "name", "email", "postal_address", "answer_channel"]
        for name in order:
            field = self[name]
            target = field.auto_id
            if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                target = f"{field.auto_id}_0"
            for error in field.errors:
                summary.append({"target": str(target), "text": f"{field.label}: {error}"})
        return summary

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for document in self.documents:
            name = DOCUMENT_PREFIX + document.code
            chosen = data.get(name)
            if not chosen:
                continue
            upload = Upload(
                name=service_document_name(document.code, chosen.name or "document"),
                content=chosen.read(),
            )
            try:
                data[name] = clean_upload(upload)
            except RejectedUpload as refused:
                self.add_error(name, str(refused).replace(f"{document.code}__", "", 1))
        # The case service judges the answers again; asked here too, every missing answer
        # shows with the rest at once.
        try:
            clean_answers(self.questions, self._raw_answers(data))
        except InvalidAnswers as refused_answers:
            self.show_answer_errors(refused_answers.errors)
        if (
            data.get("answer_channel") == AnswerChannel.POST
            and not data.get("postal_address", "").strip()
        ):
            self.add_error(
                "postal_address", _("Give a postal address to receive the answer by post.")
            )
        return data

    @property
    def petitioner(self) -> Person:
        data = self.cleaned_data
        return Person(
            name=data.get("name", ""),
            email=data.get("email", ""),
            postal_address=data.get("postal_address", ""),
            preferred_channel=data.get("answer_channel", ""),
        )

    @property
    def answers(self) -> dict[str, Any]:
        return self._raw_answers(self.cleaned_data)

    def _raw_answers(self, data: dict[str, Any]) -> dict[str, Any]:
        return {
            question.code: data.get(ANSWER_PREFIX + question.code)
            for question in self.questions
            if data.get(ANSWER_PREFIX + question.code) not in (None, "", [])
        }

    @property
    def documents_sent(self) -> list[CleanFile]:
        chosen = (self.cleaned_data.get(DOCUMENT_PREFIX + doc.code) for doc in self.documents)
        return [file for file in chosen if isinstance(file, CleanFile)]

    def show_answer_errors(self, errors: dict[str, str]) -> None:
        for code, message in errors.items():
            field = ANSWER_PREFIX + code
            self.add_error(field if field in self.fields else None, message)

    def show_author_refusal(self, refusal: AuthorRefusal) -> None:
        """Put the reason beside the field to fill in: the postal address for an answer by
        post, else the email."""
        address = "postal_address" if self.data.get("answer_channel") == "post" else "email"
        fields = {Missing.NAME: "name", Missing.ADDRESS: address, Missing.CONTACT: "email"}
        for missing, reason in refusal.reasons.items():
            if fields[missing] not in self.errors:
                self.add_error(fields[missing], reason)


@accepts_files(MAX_DOCUMENTS)
@require_http_methods(["GET", "POST"])
def request_online(request: HttpRequest, code: str) -> HttpResponse:
    """The online request of a service; sending it registers the request, or shows why not."""
    article = published_article(code)
    if not article.online:
        raise Http404
    if request.method == "GET":
        return _page(request, ServiceRequestForm(article=article))
    form = ServiceRequestForm(request.POST, request.FILES, article=article)
    refused = refusal(
        request,
        "service-request",
        limit=REQUESTS_PER_ADDRESS,
        window_seconds=REQUESTS_WINDOW_SECONDS,
    )
    if refused is not None:
        return refused
    if not form.is_valid():
        return _page(request, form)
    petitioner = form.petitioner
    try:
        # The documents go to storage before the request's transaction opens.
        with written_first(form.documents_sent) as files:
            case = request_service(
                service=article,
                petitioner=petitioner,
                description=form.cleaned_data["details"],
                answers=form.answers,
                attachments=files,
                language=get_language() or "ro",
                proven_contact=residents.proven_contact(request, petitioner.email),
            )
    except InvalidAnswers as refused_answers:
        form.show_answer_errors(refused_answers.errors)
        return _page(request, form)
    except UnidentifiedAuthor as refused_author:
        form.show_author_refusal(refused_author.refusal)
        return _page(request, form)
    except DomainError as refused_case:
        form.add_error(None, str(refused_case))
        return _page(request, form)
    return to_receipt(case)


def _page(request: HttpRequest, form: ServiceRequestForm) -> HttpResponse:
    article = form.article
    return render(
        request,
        "portal/services/request.html",
        {"form": form, "article": article, "content": article.published},
    )
