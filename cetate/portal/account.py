"""A resident's account: sign-in by an emailed link, their cases, their details, their data.

There is no password and no registration: whoever can read mail at an address may see the
cases of that address. The sign-in page answers the same whether or not the city knows the
address, so it tells no one who wrote to the city.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cetate.cases.errors import DomainError
from cetate.cases.workflow import Status
from cetate.contacts.models import AnswerChannel
from cetate.contacts.services import (
    InvalidContact,
    change_contact_details,
    change_contact_email,
    clean_phone,
)
from cetate.lib import clock
from cetate.lib.outage import keeps_input
from cetate.lib.ratelimit import rate_limited
from cetate.portal import residents
from cetate.portal.export import personal_data
from cetate.portal.limits import mail_allowed, too_many_mails
from cetate.portal.links import SIGN_IN_MINUTES, BadLink, Link, make_token, read_token, spend_token
from cetate.portal.mail import absolute, send
from cetate.portal.tracking import PLAIN_STATUS


class AccessibleForm(forms.Form):
    """Fields with an error say so to screen readers, and point at the error's text."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}-error"}
                )


class EmailForm(AccessibleForm):
    email = forms.EmailField(
        label=gettext_lazy("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": gettext_lazy("Write your email address."),
            "invalid": gettext_lazy("Write an email address such as name@example.com."),
        },
    )


class NewEmailForm(EmailForm):
    email = forms.EmailField(
        label=gettext_lazy("New email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages=EmailForm.base_fields["email"].error_messages,
    )


class DetailsForm(AccessibleForm):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    postal_address = forms.CharField(
        label=gettext_lazy("Postal address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    preferred_channel = forms.ChoiceField(
        label=gettext_lazy("How you want to receive answers"), choices=AnswerChannel.choices
    )

    def clean_phone(self) -> str:
        try:
            return clean_phone(self.cleaned_data["phone"])
        except InvalidContact as invalid:
            raise forms.ValidationError(str(invalid)) from None


def resident_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """The sign-in page for anyone not signed in as a resident."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if residents.signed_in_email(request) is None:
            return redirect("account_sign_in")
        return view(request, *args, **kwargs)

    return wrapper


def _bad_link(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/account/bad_link.html", status=400)


@keeps_input(EmailForm, "email")
@require_http_methods(["GET", "POST"])
@rate_limited("account-sign-in", limit=10)
def sign_in(request: HttpRequest) -> HttpResponseBase:
    if residents.signed_in_email(request):
        return redirect("account")
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        if not mail_allowed(email):
            return too_many_mails(request)
        # Known or not, the address gets a link: the answer tells nothing about it.
        token = make_token(Link.SIGN_IN, email=email)
        send(
            to=email,
            language=translation.get_language(),
            subject=gettext_lazy("Your sign-in link"),
            template="portal/mail/sign_in.txt",
            context={
                "link": absolute("account_sign_in_link", token),
                "minutes": SIGN_IN_MINUTES,
            },
        )
        return render(request, "portal/account/check_mail.html", {"email": email})
    return render(request, "portal/account/sign_in.html", {"form": form})


@require_http_methods(["GET", "POST"])
@rate_limited("account-link", limit=20)
def sign_in_link(request: HttpRequest, token: str) -> HttpResponseBase:
    """Opening the link asks for a click (mail scanners open links too); the click signs in."""
    try:
        data = spend_token(Link.SIGN_IN, token) if request.method == "POST" else None
        email = data["email"] if data else read_token(Link.SIGN_IN, token)["email"]
    except BadLink:
        return _bad_link(request)
    if request.method == "POST":
        residents.sign_in(request, email)
        return redirect("account")
    return render(request, "portal/account/sign_in_confirm.html", {"email": email})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponseBase:
    residents.sign_out(request)
    return redirect("account_sign_in")


@require_GET
@never_cache
@resident_required
def my_cases(request: HttpRequest) -> HttpResponse:
    email = residents.signed_in_email(request)
    assert email is not None
    return _account_page(request, email)


def _account_page(
    request: HttpRequest,
    email: str,
    *,
    details_form: DetailsForm | None = None,
    email_form: NewEmailForm | None = None,
    status: int = 200,
) -> HttpResponse:
    contact = residents.main_contact(email)
    if details_form is None and contact is not None:
        details_form = DetailsForm(
            initial={
                "name": contact.name,
                # A number nobody could check is shown for the resident to correct.
                "phone": contact.phone or contact.phone_as_typed,
                "postal_address": contact.postal_address,
                "preferred_channel": contact.preferred_channel,
            }
        )
    cases = [
        {"case": case, "plain_status": PLAIN_STATUS[Status(case.status)]}
        for case in residents.cases_of(email)
    ]
    context = {
        "email": email,
        "contact": contact,
        "cases": cases,
        "details_form": details_form,
        "email_form": email_form or NewEmailForm(),
    }
    return render(request, "portal/account/my_cases.html", context, status=status)


@keeps_input(DetailsForm, "name", "phone", "postal_address")
@require_POST
@resident_required
def change_details(request: HttpRequest) -> HttpResponse:
    email = residents.signed_in_email(request)
    assert email is not None
    contact = residents.main_contact(email)
    form = DetailsForm(request.POST)
    if contact is None:
        return redirect("account")
    if form.is_valid():
        try:
            change_contact_details(contact_id=contact.pk, **form.cleaned_data)
        except DomainError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Your details are saved."))
            return redirect("account")
    return _account_page(request, email, details_form=form, status=400)


@keeps_input(NewEmailForm, "email")
@require_POST
@resident_required
@rate_limited("account-email", limit=10)
def change_email(request: HttpRequest) -> HttpResponseBase:
    email = residents.signed_in_email(request)
    assert email is not None
    contact = residents.main_contact(email)
    form = NewEmailForm(request.POST)
    if contact is None:
        return redirect("account")
    if not form.is_valid():
        return _account_page(request, email, email_form=form, status=400)
    new_email = form.cleaned_data["email"].strip().lower()
    if not mail_allowed(new_email):
        return too_many_mails(request)
    token = make_token(Link.EMAIL_CHANGE, contact=contact.pk, old=contact.email, new=new_email)
    send(
        to=new_email,
        language=translation.get_language(),
        subject=gettext_lazy("Confirm your new email address"),
        template="portal/mail/email_change.txt",
        context={"link": absolute("account_email_link", token)},
    )
    messages.success(
        request,
        _("We sent a link to %(email)s. Open it to confirm the new address.")
        % {"email": new_email},
    )
    return redirect("account")


@require_http_methods(["GET", "POST"])
@rate_limited("account-link", limit=20)
def email_link(request: HttpRequest, token: str) -> HttpResponseBase:
    """The new address proves it receives mail; from then on the resident signs in with it."""
    try:
        data = spend_token(Link.EMAIL_CHANGE, token) if request.method == "POST" else None
        data = data or read_token(Link.EMAIL_CHANGE, token)
    except BadLink:
        return _bad_link(request)
    if request.method == "GET":
        return render(request, "portal/account/email_confirm.html", {"email": data["new"]})
    try:
        change_contact_email(
            contact_id=data["contact"], old_email=data["old"], new_email=data["new"]
        )
    except DomainError as refused:
        return render(request, "portal/account/bad_link.html", {"reason": str(refused)}, status=409)
    residents.sign_in(request, data["new"])
    messages.success(request, _("Your email address is now %(email)s.") % {"email": data["new"]})
    return redirect("account")


@require_GET
@resident_required
@rate_limited("account-export", limit=10)
def export(request: HttpRequest) -> HttpResponseBase:
    email = residents.signed_in_email(request)
    assert email is not None
    body = json.dumps(personal_data(email), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"my-data-{clock.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
