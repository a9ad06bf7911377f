"""The data protection officer's pages: find a person, see what the city holds about them,
download all of it as one ZIP, restrict its processing or erase it.

Every page that shows a person's data records it in the log of views of personal data; every
action is recorded on each of the person's cases by the services it calls.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from cetate.accounts.access import access_data_protection
from cetate.accounts.decorators import staff_required
from cetate.accounts.models import User
from cetate.cases.errors import DomainError
from cetate.contacts.models import Contact
from cetate.contacts.person_export import export_person
from cetate.contacts.protection import (
    Person,
    erase_person,
    erasure_plan,
    find_people,
    lift_restriction,
    person_of,
    restrict_processing,
)
from cetate.contacts.services import record_personal_data_view
from cetate.directory.retention import held_until, retention_of


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Email, phone number or name"),
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


NOTE_HELP = gettext_lazy(
    "The request's number and date, or the reason; no one's name: it stays on the cases."
)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Request or reason"), max_length=300, help_text=NOTE_HELP
    )


class OptionalNoteForm(NoteForm):
    note = forms.CharField(
        label=gettext_lazy("Request or reason"),
        max_length=300,
        required=False,
        help_text=NOTE_HELP,
    )


class ErasureForm(NoteForm):
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm the erasure: it cannot be undone."), required=True
    )


def _officer(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    access_data_protection(user)
    return user


def _person(contact_id: int) -> Person:
    if not Contact.objects.filter(pk=contact_id).exists():
        raise Http404
    return person_of(contact_id)


@staff_required
@require_http_methods(["GET", "HEAD"])
def search(request: HttpRequest) -> HttpResponse:
    """Find a person by email, phone or name; merged records lead to the one holding them."""
    user = _officer(request)
    form = SearchForm(request.GET if "q" in request.GET else None)
    people: list[Person] | None = None
    if form.is_valid():
        people = find_people(form.cleaned_data["q"])
        record_personal_data_view(
            user=user, what=f"data protection search: {len(people)} people found"
        )
    return render(request, "console/data_protection.html", {"form": form, "people": people})


@staff_required
@require_http_methods(["GET", "HEAD"])
def person(request: HttpRequest, contact_id: int) -> HttpResponse:
    user = _officer(request)
    found = _person(contact_id)
    if found.contact.pk != contact_id:
        return redirect("console:data_protection_person", contact_id=found.contact.pk)
    record_personal_data_view(user=user, contact=found.contact, what="data protection: person")
    return _person_page(request, found)


def _person_page(
    request: HttpRequest,
    found: Person,
    *,
    restriction: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    cases = []
    for case in found.cases():
        retention = retention_of(case.category, case.kind)
        until = held_until(case.status_changed_at, retention.years) if not case.is_open else None
        cases.append({"case": case, "retention": retention, "until": until})
    context = {
        "person": found,
        "cases": cases,
        "export_form": OptionalNoteForm(prefix="export"),
        "restriction_form": restriction
        or (OptionalNoteForm if found.is_restricted else NoteForm)(prefix="restriction"),
    }
    return render(request, "console/data_protection_person.html", context, status=status)


@staff_required
@require_POST
def export(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The complete export of the person's data, as one ZIP file."""
    user = _officer(request)
    form = OptionalNoteForm(request.POST, prefix="export")
    note = form.cleaned_data["note"] if form.is_valid() else ""
    done = export_person(contact_id=_person(contact_id).contact.pk, actor=user, note=note)
    response = HttpResponse(done.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{done.filename}"'
    return response


@staff_required
@require_POST
def restriction(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Restrict the processing of the person's data, or lift the restriction."""
    user = _officer(request)
    found = _person(contact_id)
    form = (OptionalNoteForm if found.is_restricted else NoteForm)(
        request.POST, prefix="restriction"
    )
    if form.is_valid():
        try:
            if found.is_restricted:
                lift_restriction(
                    contact_id=found.contact.pk, actor=user, note=form.cleaned_data["note"]
                )
                messages.success(request, _("The restriction is lifted."))
            else:
                restrict_processing(
                    contact_id=found.contact.pk, actor=user, note=form.cleaned_data["note"]
                )
                messages.success(request, _("The processing of this person's data is restricted."))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return redirect("console:data_protection_person", contact_id=found.contact.pk)
    return _person_page(request, found, restriction=form, status=400)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def erasure(request: HttpRequest, contact_id: int) -> HttpResponse:
    """What erasure would do, to confirm; the confirmed erasure."""
    user = _officer(request)
    found = _person(contact_id)
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            result = erase_person(
                contact_id=found.contact.pk, actor=user, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _erasure_summary(len(result.anonymised), result.refused))
            for refusal in result.refused:
                messages.warning(request, refusal)
            return redirect("console:data_protection_person", contact_id=found.contact.pk)
    record_personal_data_view(user=user, contact=found.contact, what="data protection: erasure")
    context = {"person": found, "plan": erasure_plan(found), "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "console/data_protection_erasure.html", context, status=status)


def _erasure_summary(anonymised: int, refused: list[str]) -> str:
    done = ngettext("%(n)d case anonymised.", "%(n)d cases anonymised.", anonymised) % {
        "n": anonymised
    }
    if not refused:
        return done
    return " ".join(
        [
            done,
            ngettext(
                "%(n)d case refused: the register keeps it.",
                "%(n)d cases refused: the register keeps them.",
                len(refused),
            )
            % {"n": len(refused)},
        ]
    )
