"""The intake form of the console: one call or one walk-in, registered in one screen."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.cases.authorship import Author, AuthorRefusal, Missing, author_refusal
from cetate.cases.choices import Kind, Outcome, Priority
from cetate.cases.models import Case
from cetate.cases.services.intake import RegisterDetails
from cetate.contacts.models import AnswerChannel, Contact
from cetate.contacts.services import find_contacts
from cetate.directory.gazetteer import find_address
from cetate.directory.models import Category
from cetate.directory.question_fields import ANSWER_PREFIX, offer_categories, questions_of
from cetate.intake.staff import Caller


class CategoryChoiceForm(forms.Form):
    """The category of a case, found by typing part of its name, and its questions: the part
    of every console form that registers a case."""

    category_search = forms.CharField(
        label=gettext_lazy("Find a category"),
        required=False,
        help_text=gettext_lazy("Type part of a word; accents are not needed."),
    )
    category = forms.TypedChoiceField(
        label=gettext_lazy("Category"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories, chosen = offer_categories(self)
        self.questions = questions_of(chosen)

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[ANSWER_PREFIX + question.code] for question in self.questions]

    def clean_category(self) -> Category | None:
        category_id = self.cleaned_data.get("category")
        return self.categories.get(category_id) if category_id else None

    @property
    def answers(self) -> dict[str, Any]:
        return {
            question.code: self.cleaned_data.get(ANSWER_PREFIX + question.code)
            for question in self.questions
        }

    def show_answer_errors(self, errors: dict[str, str]) -> None:
        """Put the service's verdict on each question next to that question."""
        for code, message in errors.items():
            field = ANSWER_PREFIX + code
            self.add_error(field if field in self.fields else None, message)


class IntakeForm(CategoryChoiceForm):
    # The caller or visitor.
    phone = forms.CharField(label=gettext_lazy("Phone"), required=False, max_length=40)
    name = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=200)
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    postal_address = forms.CharField(
        label=gettext_lazy("Postal address"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    answer_channel = forms.ChoiceField(
        label=gettext_lazy("Answer by"),
        required=False,
        choices=[("", gettext_lazy("as the resident prefers")), *AnswerChannel.choices],
    )
    # What they ask.
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Kind.choices, initial=Kind.REPORT)
    title = forms.CharField(label=gettext_lazy("Summary"), required=False, max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 4})
    )
    address = forms.CharField(
        label=gettext_lazy("Address"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Street and number; the street list suggests as you type."),
    )
    latitude = forms.FloatField(label=gettext_lazy("Latitude"), required=False)
    longitude = forms.FloatField(label=gettext_lazy("Longitude"), required=False)
    priority = forms.TypedChoiceField(
        label=gettext_lazy("Priority"),
        choices=Priority.choices,
        coerce=int,
        initial=Priority.NORMAL,
    )
    answer_given = forms.CharField(
        label=gettext_lazy("Answer given on the spot"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("For a question answered now: the question is logged and closed."),
    )
    # An administrative complaint (Law 544/2001 art. 21) names the request it contests.
    contests = forms.CharField(
        label=gettext_lazy("Contests the answer to request no."),
        required=False,
        max_length=20,
        help_text=gettext_lazy(
            "For a complaint against the answer to, or the refusal of, a request for public "
            "information: the request's number, e.g. 12/2026."
        ),
    )
    route_now = forms.BooleanField(
        label=gettext_lazy("Send to the responsible department now"), required=False, initial=True
    )
    call = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Chosen on the caller's card, beside the form: the known contact staff checked they are.
    known_contact = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_contests(self) -> Case | None:
        return contested_request(self.cleaned_data.get("contests") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None):
            raise forms.ValidationError(_("Give both the latitude and the longitude, or neither."))
        if latitude is None and data.get("address"):
            # Without a pin, the street found for the address places the case.
            street = find_address(data["address"], limit=1).street
            if street is not None and street.latitude is not None:
                data["latitude"], data["longitude"] = street.latitude, street.longitude
        known = data.get("known_contact")
        if known is not None:
            matches = {c.pk: c for c in find_contacts(phone=data.get("phone") or "")}
            data["known_contact"] = matches.get(known)
            if data["known_contact"] is None:
                self.add_error(
                    "phone",
                    _("The resident chosen on the card does not have this phone number."),
                )
        if data.get("answer_given", "").strip() and data.get("kind") != Kind.INQUIRY:
            self.add_error(
                "answer_given", _("Only a question (kind “question”) is answered on the spot.")
            )
        self.check_author(data)
        if data.get("contests") is not None and data.get("kind") != Kind.COMPLAINT:
            self.add_error(
                "contests",
                _("Only a complaint (kind “complaint”) contests the answer to a request."),
            )
        return data

    def check_author(self, data: dict[str, Any]) -> bool:
        """Put the reason beside the fields when the case's kind needs more of its author;
        whether it does."""
        refusal = author_refusal(
            data.get("kind") or Kind.REPORT, data.get("category"), _author(data)
        )
        if refusal is not None:
            self.show_author_refusal(refusal)
        return refusal is not None

    def show_author_refusal(self, refusal: AuthorRefusal) -> None:
        """The reason beside each field to fill in: the address where the answer is to go."""
        address = "postal_address" if self.data.get("answer_channel") == "post" else "email"
        fields = {Missing.NAME: "name", Missing.ADDRESS: address, Missing.CONTACT: "phone"}
        for missing, reason in refusal.reasons.items():
            if fields[missing] not in self.errors:
                self.add_error(fields[missing], reason)

    @property
    def caller(self) -> Caller:
        data = self.cleaned_data
        return Caller(
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            postal_address=data["postal_address"],
            preferred_channel=data["answer_channel"],
            kind=data.get("contact_kind") or Contact.Kind.PERSON,
        )

    @property
    def checked_contact(self) -> Contact | None:
        known: Contact | None = self.cleaned_data.get("known_contact")
        return known


def contested_request(number: str) -> Case | None:
    """The public-information request numbered `number` ("N/YYYY"), or a clear refusal."""
    number = number.replace(" ", "")
    if not number:
        return None
    registration, _slash, year = number.partition("/")
    if not (
        registration.isdigit() and len(registration) <= 9 and year.isdigit() and len(year) == 4
    ):
        raise forms.ValidationError(
            _("Write the request's number as number/year, e.g. 12/2026."), code="format"
        )
    found = Case.objects.filter(
        registration_number=int(registration), registration_year=int(year)
    ).first()
    if found is None:
        raise forms.ValidationError(
            _("No case is registered with number %(number)s.") % {"number": number},
            code="unknown",
        )
    if found.kind != Kind.INFORMATION:
        raise forms.ValidationError(
            _(
                "Case %(number)s is not a request for public information: only the answer to "
                "one can be contested by an administrative complaint."
            )
            % {"number": found.number},
            code="not_information",
        )
    return found


class PaperIntakeForm(IntakeForm):
    """A walk-in or a letter by post: what came on paper, with the register's details, and an
    anonymous or unidentifiable petition registered and filed when staff say so."""

    contact_kind = forms.ChoiceField(
        label=gettext_lazy("The sender is"),
        choices=Contact.Kind.choices,
        initial=Contact.Kind.PERSON,
        required=False,
    )
    sender_reference = forms.CharField(
        label=gettext_lazy("Sender's number"),
        required=False,
        max_length=60,
        help_text=gettext_lazy("The number the sender gave the letter, e.g. a school or a firm."),
    )
    sender_reference_date = forms.DateField(
        label=gettext_lazy("Sender's date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    pages = forms.IntegerField(label=gettext_lazy("Pages"), required=False, min_value=1)
    annexes = forms.IntegerField(label=gettext_lazy("Annexes"), required=False, min_value=0)
    file_unidentified = forms.BooleanField(
        label=gettext_lazy("Anonymous or unidentifiable — register and file (OG 27/2002 art. 7)"),
        required=False,
        help_text=gettext_lazy(
            "The petition gives no name, or no postal or email address to answer to: it gets "
            "its number and is filed at once, not considered. Nobody is written to."
        ),
    )

    def check_author(self, data: dict[str, Any]) -> bool:
        if data.get("file_unidentified"):
            return False
        refused = super().check_author(data)
        if refused:
            self.add_error(
                None,
                _(
                    "If the petition is anonymous or gives no address to answer to, tick "
                    "“Anonymous or unidentifiable — register and file (OG 27/2002 art. 7)”."
                ),
            )
        return refused

    @property
    def details(self) -> RegisterDetails:
        data = self.cleaned_data
        return RegisterDetails(
            sender_reference=data["sender_reference"],
            sender_reference_date=data["sender_reference_date"],
            pages=data["pages"],
            annexes=data["annexes"],
        )


def _author(data: dict[str, Any]) -> Author:
    """The author as the case will have them: the contact staff checked, else what was typed."""
    known: Contact | None = data.get("known_contact")
    typed = Author(
        name=data.get("name", ""),
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        postal_address=data.get("postal_address", ""),
    )
    if known is None:
        return typed
    return Author(
        name=known.name or typed.name,
        email=known.email or typed.email,
        phone=known.phone or typed.phone,
        postal_address=known.postal_address or typed.postal_address,
    )


def registered_message(case: Case) -> str:
    if case.outcome == Outcome.FILED:
        return _("Registered case %(number)s and filed it, not considered (OG 27/2002 art. 7).") % {
            "number": case.number
        }
    return _("Registered case %(number)s.") % {"number": case.number}


class ReceiptMailForm(forms.Form):
    """Where the caller wants the number and tracking code of their case sent."""

    email = forms.EmailField(
        label=gettext_lazy("Their email address"),
        max_length=254,
        help_text=gettext_lazy(
            "The address the caller spells out, or the one they gave with the case."
        ),
    )
