"""Incoming mail held for a person to look at: the list, one message read as text (never its
HTML), its bytes as received, and the two decisions on it: register as a case, or discard.

Every page and download is recorded as a view of personal data. The message as received is
also offered on the card of the case it opened, to whoever may see that case.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cetate.accounts.access import access_case, access_quarantine
from cetate.accounts.decorators import staff_required
from cetate.accounts.models import User
from cetate.cases.answers import InvalidAnswers
from cetate.cases.authorship import Author, AuthorRefusal, Missing, author_refusal
from cetate.cases.choices import Kind
from cetate.cases.errors import DomainError
from cetate.cases.services.admission import UnidentifiedAuthor
from cetate.console.intake_forms import CategoryChoiceForm
from cetate.contacts.services import record_personal_data_view
from cetate.mail.models import InboundMessage, Outcome
from cetate.mail.quarantine import NotHeld, discard_held, held_messages, read_held, register_held

PAGE_SIZE = 25


class RegisterHeldForm(CategoryChoiceForm):
    """Who the message is from, as the dispatcher confirms it, and what it asks: its kind and,
    when it is clear, its category (the phone intake's pieces)."""

    name = forms.CharField(
        label=gettext_lazy("Sender's name"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("As the message is signed; a petition names its author."),
    )
    email = forms.EmailField(label=gettext_lazy("Address to answer to"), max_length=254)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Kind.choices, initial=Kind.REQUEST)

    field_order = ["name", "email", "kind", "category_search", "category"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind") or Kind.REQUEST
        if kind == Kind.REPORT and data.get("category") is None and "category" not in self.errors:
            self.add_error("category", _("A report of a problem needs its category."))
        refusal = author_refusal(
            kind,
            data.get("category"),
            Author(name=data.get("name", ""), email=data.get("email", "")),
        )
        if refusal is not None:
            self.show_author_refusal(refusal)
        return data

    def show_author_refusal(self, refusal: AuthorRefusal) -> None:
        """The reason beside the field to correct: the name, or the address to answer to."""
        fields = {Missing.NAME: "name", Missing.ADDRESS: "email", Missing.CONTACT: "email"}
        for missing, reason in refusal.reasons.items():
            if fields[missing] not in self.errors:
                self.add_error(fields[missing], reason)


class DiscardHeldForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why it is discarded"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _held(message_id: int) -> InboundMessage:
    """A message that was held, whether or not it has been decided on since."""
    message = InboundMessage.objects.select_related("case", "decided_by").filter(pk=message_id)
    found = message.filter(outcome__in=[Outcome.QUARANTINED, Outcome.DISCARDED]).first()
    if found is None:
        found = message.filter(decided_at__isnull=False).first()
    if found is None:
        raise Http404
    return found


@staff_required
@require_GET
def held_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    access_quarantine(user)
    page = Paginator(held_messages(), PAGE_SIZE).get_page(request.GET.get("page"))
    record_personal_data_view(user=user, what=f"held mail page {page.number}")
    return render(
        request,
        "console/held_mail.html",
        {"title": _("Held mail"), "page": page, "spam_threshold": settings.MAIL_SPAM_THRESHOLD},
    )


@staff_required
@require_http_methods(["GET", "HEAD"])
def held_message(request: HttpRequest, message_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    access_quarantine(user)
    message = _held(message_id)
    record_personal_data_view(user=user, what=f"held message {message.pk}")
    return _message_page(request, message)


def _message_page(
    request: HttpRequest,
    message: InboundMessage,
    *,
    register_form: RegisterHeldForm | None = None,
    discard_form: DiscardHeldForm | None = None,
    status: int = 200,
) -> HttpResponse:
    reading = read_held(message)
    if register_form is None:
        register_form = RegisterHeldForm(
            initial={
                "name": reading.sender_name,
                "email": reading.sender_address,
                "kind": Kind.REQUEST,
            }
        )
    context = {
        "title": message.subject or _("(no subject)"),
        "message": message,
        "reading": reading,
        "held": message.outcome == Outcome.QUARANTINED,
        "register_form": register_form,
        "discard_form": discard_form or DiscardHeldForm(),
        "spam_threshold": settings.MAIL_SPAM_THRESHOLD,
    }
    return render(request, "console/held_message.html", context, status=status)


@staff_required
@require_http_methods(["GET", "HEAD"])
def held_raw(request: HttpRequest, message_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    access_quarantine(user)
    return _raw(user, _held(message_id))


@staff_required
@require_http_methods(["GET", "HEAD"])
def case_message_raw(request: HttpRequest, case_id: int, message_id: int) -> HttpResponse:
    """A message that opened or joined a case, to whoever may see the case."""
    user: User = request.user  # type: ignore[assignment]
    case = access_case(user, case_id)
    return _raw(user, get_object_or_404(InboundMessage, pk=message_id, case=case))


def _raw(user: User, message: InboundMessage) -> HttpResponse:
    if not message.raw:
        raise Http404
    try:
        with message.raw.open("rb") as raw:
            data = raw.read()
    except (FileNotFoundError, OSError):
        raise Http404 from None
    record_personal_data_view(user=user, what=f"raw message {message.pk}")
    response = HttpResponse(data, content_type="message/rfc822")
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=f"message-{message.pk}.eml")
        or "attachment"
    )
    return response


@staff_required
@require_POST
def register(request: HttpRequest, message_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    access_quarantine(user)
    message = _held(message_id)
    form = RegisterHeldForm(request.POST)
    if form.is_valid():
        try:
            case = register_held(
                message_id=message.pk,
                actor=user,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                kind=form.cleaned_data["kind"],
                category=form.cleaned_data["category"],
                answers=form.answers,
            )
        except NotHeld as already:
            messages.error(request, str(already))
            return redirect("console:held_message", message_id=message.pk)
        except InvalidAnswers as refusal:
            form.show_answer_errors(refusal.errors)
        except UnidentifiedAuthor as refusal:
            form.show_author_refusal(refusal.refusal)
        except DomainError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("The message was registered as case %(number)s.") % {"number": case.number},
            )
            return redirect("console:case", case_id=case.pk)
    return _message_page(request, message, register_form=form, status=400)


@staff_required
@require_POST
def discard(request: HttpRequest, message_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    access_quarantine(user)
    message = _held(message_id)
    form = DiscardHeldForm(request.POST)
    if form.is_valid():
        try:
            discard_held(message_id=message.pk, actor=user, reason=form.cleaned_data["reason"])
        except NotHeld as already:
            messages.error(request, str(already))
            return redirect("console:held_message", message_id=message.pk)
        except DomainError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The message was discarded."))
            return redirect("console:held_mail")
    return _message_page(request, message, discard_form=form, status=400)
