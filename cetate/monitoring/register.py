"""The yearly register of entries and exits (registrul de intrare-ieșire), as filters choose it.

The register is kept per year: numbers restart on 1 January (cetate/cases/numbering.py), so
every view of it names one year, and the year's rows come in the order of the unique index on
(registration_year, registration_number). The whole year is counted from the year's counter and
any of its pages is read from that index (at 1,000,000 cases on PostgreSQL, a page of 50 rows
takes a few milliseconds, the 1000th as the first); a filtered register counts only the year's
cases that match. Every read goes to the read replica when one is configured.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from cetate.cases.choices import Channel, Kind, Outcome
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case, RegistrationCounter
from cetate.directory.models import Department, FileCode
from cetate.lib import clock
from cetate.monitoring.register_rows import RegisterRow, register_row
from cetate.monitoring.replica import reporting_database

PAGE_SIZE = 50
# "123" or "123/2026": a registration number, with or without its year.
NUMBER = re.compile(r"^\s*(\d{1,9})\s*(?:/\s*\d{4})?\s*$")
SHOWN = (
    "reporter",
    "category__parent",
    "department",
    "assignee",
    "redirected_to",
    "merged_into",
    "legal_basis",
    "file_code",
)
# The filters besides the year: none set means the whole year's register.
NARROWING = (
    "registered_from",
    "registered_to",
    "kind",
    "channel",
    "department",
    "outcome",
    "file_code",
    "q",
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def this_year() -> int:
    return clock.now().astimezone(CITY_TZ).year


def register_years() -> list[int]:
    """The years with registrations, newest first, from the yearly counters (a few rows),
    and this year even before its first registration."""
    years = set(
        RegistrationCounter.objects.using(reporting_database())
        .filter(last_number__gt=0)
        .values_list("year", flat=True)
    )
    return sorted(years | {this_year()}, reverse=True)


class RegisterFilters(forms.Form):
    """Which registrations of which year the register shows, read from a query string."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    q = forms.CharField(
        label=_("Number or sender"),
        max_length=100,
        help_text=_("A registration number such as 123, a sender's name or the sender's number."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    registered_from = forms.DateField(
        label=_("Registered from"),
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date such as 2026-03-31.")},
    )
    registered_to = forms.DateField(
        label=_("Registered until"),
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date such as 2026-03-31.")},
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("any")), *Kind.choices])
    channel = forms.ChoiceField(
        label=_("Received through"), choices=[("", _("any")), *Channel.choices]
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), empty_label=_("any")
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("any")), ("none", _("not answered yet")), *Outcome.choices],
    )
    file_code = forms.ModelChoiceField(
        label=_("File code"), queryset=FileCode.objects.all(), empty_label=_("any")
    )

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        query = QueryDict(mutable=True)
        if isinstance(data, QueryDict):
            query = data.copy()
        elif data:
            for key, value in data.items():
                query[key] = value
        self.years = register_years()
        if not query.get("year"):
            query["year"] = str(this_year())
        super().__init__(query)
        for field in self.fields.values():
            field.required = False
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        year.choices = [(y, str(y)) for y in self.years]
        self.fields["department"].queryset = Department.objects.using(  # type: ignore[attr-defined]
            reporting_database()
        ).order_by("kind", "name")
        self.fields["file_code"].queryset = FileCode.objects.using(  # type: ignore[attr-defined]
            reporting_database()
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("registered_from"), cleaned.get("registered_to")
        if start and end and end < start:
            self.add_error("registered_to", _("The end of the period comes before its start."))
        return cleaned

    @cached_property
    def valid(self) -> dict[str, Any]:
        """The filters that passed validation; the others are left out and shown as errors."""
        self.is_valid()
        return self.cleaned_data

    @property
    def register_year(self) -> int:
        year = self.valid.get("year")
        return year if isinstance(year, int) else this_year()

    @property
    def narrowed(self) -> bool:
        """Whether anything besides the year is chosen."""
        return any(self.valid.get(name) for name in NARROWING)

    def cases(self) -> QuerySet[Case]:
        """The year's registrations that match every valid filter, in register order."""
        cases = Case.objects.using(reporting_database()).filter(
            registration_year=self.register_year
        )
        for condition in _conditions(self.valid):
            cases = cases.filter(condition)
        return cases.select_related(*SHOWN).order_by("registration_number")

    def rows(self) -> Iterator[RegisterRow]:
        """Every matching registration as a register row, read in chunks (for exports)."""
        for case in self.cases().iterator(chunk_size=1000):
            yield register_row(case)

    def query_string(self, **changes: str | None) -> str:
        """The filters as a query string, with some parameters changed (None drops one)."""
        query = QueryDict(mutable=True)
        data = self.data
        assert isinstance(data, QueryDict)
        for key in self.fields:
            value = data.get(key)
            if value:
                query[key] = value
        for key, change in changes.items():
            if change is None:
                query.pop(key, None)
            else:
                query[key] = change
        return query.urlencode()

    @property
    def description(self) -> str:
        """The chosen filters in words, for exports' headings."""
        parts = []
        for name in NARROWING:
            value = self.valid.get(name)
            if value:
                field = self[name]
                shown = (
                    dict(field.field.choices).get(value, value)  # type: ignore[attr-defined]
                    if name in {"kind", "channel", "outcome"}
                    else value.strftime("%d.%m.%Y")
                    if isinstance(value, date)
                    else value
                )
                parts.append(f"{field.label}: {shown}")
        return "; ".join(parts)


class RegisterPaginator(Paginator):  # type: ignore[type-arg]
    """The pages of a year's register.

    The whole year (`year_total` given) is numbered without gaps from 1, every number kept,
    cancelled ones too: its page N holds the numbers after (N - 1) × page size, read straight
    from the index however deep the page — no counting, no skipping of rows. A filtered
    register is counted and paged as any list.
    """

    def __init__(self, cases: QuerySet[Case], per_page: int, *, year_total: int | None) -> None:
        super().__init__(cases, per_page)
        self.cases = cases
        self.year_total = year_total

    @cached_property
    def count(self) -> int:
        if self.year_total is not None:
            return self.year_total
        return super().count

    def page(self, number: Any) -> Page[Case]:
        if self.year_total is None:
            return super().page(number)
        number = self.validate_number(number)
        after = (number - 1) * self.per_page
        cases = self.cases.filter(registration_number__gt=after)[: self.per_page]
        return Page(cases, number, self)


def register_page(filters: RegisterFilters, page: str | None) -> Page[Case]:
    """One page of the register as `filters` choose it."""
    total = None if filters.narrowed else year_count(filters.register_year)
    return RegisterPaginator(filters.cases(), PAGE_SIZE, year_total=total).get_page(page)


def year_count(year: int) -> int:
    """How many registrations `year` has: its counter's last number (numbering is gapless)."""
    counter = RegistrationCounter.objects.using(reporting_database()).filter(year=year).first()
    return counter.last_number if counter else 0


def page_rows(page: Iterable[Case]) -> list[RegisterRow]:
    return [register_row(case) for case in page]


def _conditions(data: Mapping[str, Any]) -> Iterator[Q]:
    if data.get("q"):
        yield _text_condition(data["q"])
    if data.get("registered_from"):
        yield Q(registered_at__gte=_start_of(data["registered_from"]))
    if data.get("registered_to"):
        yield Q(registered_at__lt=_start_of(data["registered_to"] + timedelta(days=1)))
    for name in ("kind", "channel", "department", "file_code"):
        if data.get(name):
            yield Q(**{name: data[name]})
    if data.get("outcome") == "none":
        yield Q(outcome="")
    elif data.get("outcome"):
        yield Q(outcome=data["outcome"])


def _text_condition(text: str) -> Q:
    number = NUMBER.match(text)
    if number is not None:
        return Q(registration_number=int(number.group(1)))
    text = text.strip()
    # Anonymised cases have no sender left to find.
    return (
        Q(reporter__name__icontains=text)
        | Q(reporter__email__icontains=text)
        | Q(sender_reference__icontains=text)
    )


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=CITY_TZ)
