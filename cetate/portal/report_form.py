"""The form residents fill in to report a problem or file a petition.

The case service stays the judge of what may be registered; the form only gathers the
submission, places it (pin, street or photo) and puts the service's refusals next to the
fields they concern.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MaxLengthValidator
from django.forms.utils import ErrorDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.cases.authorship import (
    AuthorRefusal,
    Missing,
    anonymity_allowed,
    author_refusal,
)
from cetate.cases.choices import Kind
from cetate.cases.services.intake import DESCRIPTION_LIMIT, InvalidCase, checked_areas
from cetate.cases.uploads import FILES_PER_SUBMISSION, Upload, photo_location
from cetate.contacts.models import AnswerChannel
from cetate.contacts.services import checked_phone
from cetate.directory.catalogue import grouped
from cetate.directory.gazetteer import AddressMatch, StreetMatch, find_address
from cetate.directory.models import Category, CategoryQuestion
from cetate.directory.question_fields import ANSWER_PREFIX, offer_categories, questions_of
from cetate.intake.portal import Resident
from cetate.lib.text import fold
from cetate.portal.kept_files import KeptFile

MAX_FILES = FILES_PER_SUBMISSION
# Kinds a resident files here; questions are answered on the spot by phone or at the desk.
PORTAL_KINDS = (Kind.REPORT, Kind.COMPLAINT, Kind.REQUEST, Kind.INFORMATION, Kind.PROPOSAL)
KIND_HINTS = {
    Kind.REPORT: gettext_lazy("A pothole, a lamp out, rubbish, a fallen tree: something to fix."),
    Kind.COMPLAINT: gettext_lazy("About a service of the city hall or how you were treated."),
    Kind.REQUEST: gettext_lazy("Ask the city hall to do something or to issue a document."),
    Kind.INFORMATION: gettext_lazy("Information of public interest, under Law 544/2001."),
    Kind.PROPOSAL: gettext_lazy("An idea to improve the city or its services."),
}
# Kinds that are about a place in the city; the others are filed without one.
PLACED_KINDS = frozenset({Kind.REPORT, Kind.COMPLAINT, Kind.REQUEST, Kind.PROPOSAL})
ANSWER_CHANNELS = (AnswerChannel.EMAIL, AnswerChannel.POST, AnswerChannel.PHONE)
# How the list of errors at the top of the page names a field whose label is a question.
SUMMARY_NAMES = {
    "kind": gettext_lazy("Kind"),
    "category": gettext_lazy("Category"),
    "address": gettext_lazy("Place"),
    "description": gettext_lazy("Description"),
    "documents": gettext_lazy("Photos or documents"),
    "use_photo_location": gettext_lazy("Place of the photo"),
    "answer_channel": gettext_lazy("Answer by"),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Up to MAX_FILES photos or PDFs; their content is checked when the case is registered."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Upload]:
        files = [item for item in (data or []) if item and item.size]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("You can attach at most %(n)d files; you chose %(chosen)d.")
                % {"n": MAX_FILES, "chosen": len(files)}
            )
        return [Upload(name=item.name or "file", content=item.read()) for item in files]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What do you want to do?"),
        choices=[(kind.value, kind.label) for kind in PORTAL_KINDS],
        widget=forms.RadioSelect,
        initial=Kind.REPORT,
    )
    category = forms.TypedChoiceField(
        label=gettext_lazy("What is it about?"), required=False, coerce=int, empty_value=None
    )
    address = forms.CharField(
        label=gettext_lazy("Address or nearest landmark"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("E.g. “Mihai Viteazu 12”."),
    )
    street = forms.CharField(required=False, max_length=300)
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    use_photo_location = forms.BooleanField(
        label=gettext_lazy("Use the place where my photo was taken as the location"),
        required=False,
        help_text=gettext_lazy("Read only if you tick this; removed from the photo."),
    )
    description = forms.CharField(
        label=gettext_lazy("Describe it"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=DESCRIPTION_LIMIT,
        help_text=gettext_lazy("What is wrong or what you ask for, and since when."),
    )
    documents = DocumentsField(
        label=gettext_lazy("Photos or documents (optional)"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
    )
    name = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=200)
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), required=False, max_length=40)
    postal_address = forms.CharField(
        label=gettext_lazy("Postal address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    answer_channel = forms.ChoiceField(
        label=gettext_lazy("How do you want the answer?"),
        choices=[(channel.value, channel.label) for channel in ANSWER_CHANNELS],
        widget=forms.RadioSelect,
        initial=AnswerChannel.EMAIL,
    )
    # Hidden from people; automatic form fillers fill it in.
    homepage = forms.CharField(
        label=gettext_lazy("Leave this field empty"), required=False, max_length=200
    )
    # Set by the page's script once it has shown the open reports near the pin.
    nearby_shown = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, kept: list[KeptFile] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Files chosen on an earlier page and kept for this one (cetate/portal/kept_files.py).
        self.kept_files: list[KeptFile] = list(kept or [])
        self.street_unplaced: StreetMatch | None = None
        self.categories, self.chosen_category = offer_categories(self)
        self.questions: list[CategoryQuestion] = questions_of(self.chosen_category)
        self.fields["description"].validators.append(MaxLengthValidator(DESCRIPTION_LIMIT))
        self.photo_place: tuple[float, float] | None = None

    @property
    def chosen_kind(self) -> str:
        raw = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        return str(raw) if raw in {kind.value for kind in PORTAL_KINDS} else Kind.REPORT.value

    @property
    def chosen_kind_label(self) -> str:
        return str(Kind(self.chosen_kind).label)

    @property
    def contact_rule(self) -> str:
        """Which rule on the author applies to the kind and category chosen so far:
        "petition", "information", or for a report "report_anonymous" (the category accepts
        it), "report_named" (it does not) or "report_unknown" (no category yet)."""
        kind = self.chosen_kind
        if kind == Kind.INFORMATION:
            return "information"
        if kind != Kind.REPORT:
            return "petition"
        if self.chosen_category is None:
            return "report_unknown"
        return "report_anonymous" if self.chosen_category.anonymous_allowed else "report_named"

    @property
    def error_summary(self) -> list[dict[str, str]]:
        """Every error, each naming its field and pointing at it, in the order of the page."""
        order = [
            "kind", "address", "category", "description", *(
                ANSWER_PREFIX + question.code for question in self.questions
            ), "documents", "use_photo_location", "name", "email", "phone", "answer_channel",
            "postal_address",
        ]  # fmt: skip
        summary = [{"target": "", "text": str(error)} for error in self.non_field_errors()]
        for name in sorted(self.errors, key=lambda n: order.index(n) if n in order else 99):
            if name == NON_FIELD_ERRORS or name not in self.fields:
                continue
            field = self[name]
            label = SUMMARY_NAMES.get(name) or field.label
            target = field.id_for_label or field.auto_id
            if isinstance(field.field.widget, forms.RadioSelect):
                target = f"{field.auto_id}_0"
            for error in field.errors:
                summary.append(
                    {"target": str(target), "text": f"{label}: {_lower_first(str(error))}"}
                )
        return summary

    @property
    def contact_required(self) -> bool:
        """Whether the kind and category chosen so far need a way to reach the resident."""
        return not anonymity_allowed(self.chosen_kind, self.chosen_category)

    @property
    def place_values(self) -> tuple[str, str]:
        """The point to send back in the page: the one found for the submission, if any."""
        cleaned = getattr(self, "cleaned_data", {})
        if cleaned.get("latitude") is not None and cleaned.get("longitude") is not None:
            return str(cleaned["latitude"]), str(cleaned["longitude"])
        data = self.data if self.is_bound else {}
        return str(data.get("latitude", "") or ""), str(data.get("longitude", "") or "")

    @property
    def questions_shown(self) -> bool:
        """Whether the resident has seen the chosen category's questions (or it has none): the
        page that shows them sends `questions_for` back with the category's id."""
        if not self.questions or self.chosen_category is None:
            return True
        return str(self.data.get("questions_for", "")) == str(self.chosen_category.pk)

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[ANSWER_PREFIX + question.code] for question in self.questions]

    @property
    def kind_options(self) -> list[dict[str, Any]]:
        return [
            {"value": kind.value, "label": kind.label, "hint": KIND_HINTS[kind]}
            for kind in PORTAL_KINDS
        ]

    @property
    def category_options(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """The grouped categories with what the page's script filters and decides by."""
        return [
            (
                group,
                [
                    {
                        "id": category.pk,
                        "label": category.label,
                        "search": _search_text(category),
                        "anonymous": category.anonymous_allowed,
                    }
                    for category in members
                ],
            )
            for group, members in grouped(list(self.categories.values()))
        ]

    def clean_phone(self) -> str:
        # A number that cannot be checked is kept as typed and flagged for staff: the
        # report goes through all the same.
        checked, as_typed = checked_phone(self.cleaned_data.get("phone", ""))
        return checked or as_typed

    def clean_category(self) -> Category | None:
        category_id = self.cleaned_data.get("category")
        return self.categories.get(category_id) if category_id else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = len(data.get("documents") or []) + len(self.kept_files)
        if chosen > MAX_FILES and "documents" not in self.errors:
            self.add_error(
                "documents",
                _("You can attach at most %(n)d files; you chose %(chosen)d.")
                % {"n": MAX_FILES, "chosen": chosen},
            )
        if data.get("homepage"):
            raise forms.ValidationError(
                _(
                    "The form was filled in by a program, not by a person, so nothing was "
                    "sent. If you filled it in yourself, empty the field “Leave this field "
                    "empty” and send it again."
                ),
                code="honeypot",
            )
        kind = data.get("kind")
        self._place(data)
        if kind == Kind.INFORMATION:
            data["latitude"] = data["longitude"] = None
            data["address"] = ""
        elif kind == Kind.REPORT and data.get("latitude") is None and not data.get("address"):
            self.add_error(
                "address",
                _(
                    "Say where the problem is: place the pin on the map, give the address, "
                    "or use the location of your photo."
                ),
            )
        elif data.get("latitude") is not None:
            try:
                checked_areas(data.get("category"), data["latitude"], data["longitude"])
            except InvalidCase as refusal:
                self.add_error("address", str(refusal))
        self._check_contact(data)
        return data

    def _place(self, data: dict[str, Any]) -> None:
        """The point of the case: the photo's when the resident asks for it, else the pin,
        else the street chosen or named in the address."""
        if data.get("use_photo_location") and "documents" not in self.errors:
            uploads: list[Upload] = data.get("documents") or []
            self.photo_place = next(
                (place for upload in uploads if (place := photo_location(upload.content))), None
            )
            if self.photo_place is not None:
                data["latitude"], data["longitude"] = self.photo_place
                return
            # A page sent back keeps the photo's place in the pin, but not the photo.
            if uploads or data.get("latitude") is None:
                self.add_error(
                    "use_photo_location",
                    _(
                        "None of your photos holds the place where it was taken; place the pin "
                        "on the map or give the address."
                    ),
                )
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None):
            data["latitude"] = data["longitude"] = None
        if data.get("latitude") is None:
            named = _street_named(data.get("street") or data.get("address") or "")
            if named is not None and named.street is not None:
                street = named.street
                if not data.get("address"):
                    data["address"] = named.address_on(street)
                if street.latitude is not None:
                    data["latitude"], data["longitude"] = street.latitude, street.longitude
                else:
                    # A street of the list, but not where on the map: kept by its name.
                    self.street_unplaced = street

    def _check_contact(self, data: dict[str, Any]) -> None:
        resident = self._resident(data)
        refusal = author_refusal(
            data.get("kind") or Kind.REPORT, data.get("category"), resident.author
        )
        if refusal is not None:
            self.show_author_refusal(refusal)
            return
        if resident.is_anonymous:
            return
        channel = data.get("answer_channel")
        needs = {
            AnswerChannel.EMAIL: ("email", _("Give an email address to receive the answer by it.")),
            AnswerChannel.POST: (
                "postal_address",
                _("Give a postal address to receive the answer by post."),
            ),
            AnswerChannel.PHONE: ("phone", _("Give a phone number to receive the answer by it.")),
        }
        if channel in needs:
            field, message = needs[AnswerChannel(channel)]
            if not data.get(field, "").strip() and field not in self.errors:
                self.add_error(field, message)

    def show_author_refusal(self, refusal: AuthorRefusal) -> None:
        """Put the reason beside each field the resident must fill in: the address to answer
        to where the answer is to go (the postal address for a letter, else the email)."""
        address = "postal_address" if self.data.get("answer_channel") == "post" else "email"
        fields = {Missing.NAME: "name", Missing.ADDRESS: address, Missing.CONTACT: "email"}
        for missing, reason in refusal.reasons.items():
            if fields[missing] not in self.errors:
                self.add_error(fields[missing], reason)

    def _resident(self, data: dict[str, Any]) -> Resident:
        return Resident(
            name=data.get("name", ""),
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            postal_address=data.get("postal_address", ""),
            preferred_channel=data.get("answer_channel", ""),
        )

    @property
    def resident(self) -> Resident:
        return self._resident(self.cleaned_data)

    @property
    def new_uploads(self) -> list[Upload]:
        """The files sent with this page, not those kept from an earlier one."""
        uploads: list[Upload] = self.cleaned_data.get("documents") or []
        return uploads

    @property
    def uploads(self) -> list[Upload]:
        kept = [upload for file in self.kept_files if (upload := file.upload()) is not None]
        return kept + self.new_uploads

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

    def judge_nothing(self) -> None:
        """Show the form as sent without judging it: the page only looks up the address, so
        it does not yet tell the resident what else is missing."""
        self._errors = ErrorDict()

    def streets_found(self) -> AddressMatch:
        """Streets matching the address typed, for the resident to pick the right one, and
        the house number typed; a street whose place is not known is offered all the same."""
        return find_address(str(self.data.get("address", ""))[:300], limit=5)


def _street_named(text: str) -> AddressMatch | None:
    if not text.strip():
        return None
    return find_address(text, limit=1)


def _lower_first(message: str) -> str:
    """ "This field is required." as it reads after a field's name; "OG 27/2002" untouched."""
    if len(message) > 1 and message[0].isupper() and message[1].islower():
        return message[0].lower() + message[1:]
    return message


def _search_text(category: Category) -> str:
    parent = category.parent
    words = [category.name, category.name_en, category.keywords]
    if parent is not None:
        words += [parent.name, parent.name_en]
    return fold(" ".join(word for word in words if word))
