"""The filters of the console's case lists and map: one form, one way to apply it.

`CaseFilters` reads a query string (every list and the map's data share the same parameters);
`filtered_cases` turns it into the cases the user may see that match. Fields that fail
validation are left out of the filtering and reported by the form, never with a server error.

With no status ticked the filters show the open cases, the ones someone still has to act on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import F, OrderBy, Q, QuerySet
from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cetate.accounts.access import visible_cases
from cetate.accounts.models import DepartmentMembership, User
from cetate.accounts.roles import CITY_WIDE_ROLES, roles_of
from cetate.cases.choices import Channel, Kind
from cetate.cases.deadlines import (
    CITY_TZ,
    DEADLINE_STATE_LABELS,
    DeadlineState,
    case_deadline_state,
)
from cetate.cases.models import Case
from cetate.cases.queries import OPEN, has_unread_reply, in_deadline_state
from cetate.cases.workflow import Status
from cetate.directory.lookup import areas_within
from cetate.directory.models import Area, Category, Department
from cetate.lib.calendar import WorkCalendar

# "123" or "123/2026": a registration number, with or without its year.
NUMBER = re.compile(r"^\s*(\d{1,9})\s*(?:/\s*(\d{4}))?\s*$")
EARLIEST_YEAR = 1990
LATEST_YEAR = 2999

DEADLINE_CHOICES = [
    ("", _("any")),
    (DeadlineState.OVERDUE.value, DEADLINE_STATE_LABELS[DeadlineState.OVERDUE]),
    (DeadlineState.DUE_SOON.value, DEADLINE_STATE_LABELS[DeadlineState.DUE_SOON]),
    (DeadlineState.ON_TIME.value, DEADLINE_STATE_LABELS[DeadlineState.ON_TIME]),
]

# The replies filter: the cases whose resident wrote and no one on staff has read it yet.
UNREAD_REPLIES = "unread"
REPLY_CHOICES = [("", _("any")), (UNREAD_REPLIES, _("with unread replies"))]

# The assignee filter: the user themself, nobody yet, or a member of the user's departments.
ASSIGNED_TO_ME = "me"
ASSIGNED_TO_NOBODY = "nobody"


@dataclass(frozen=True)
class Order:
    label: str | Promise
    by: tuple[str | OrderBy, ...]


NEWEST_FIRST = "-registered"
# Cases without a deadline come last either way (SQLite would put NULL first).
ORDERS = {
    NEWEST_FIRST: Order(_("newest registration first"), ("-registered_at", "-id")),
    "registered": Order(_("oldest registration first"), ("registered_at", "id")),
    # The earliest due moment of any term (deadlines.earliest_due): a service target due at
    # 13:49 today comes before an answer due in 28 days.
    "due": Order(_("earliest deadline first"), (F("due_at").asc(nulls_last=True), "id")),
    "-due": Order(_("latest deadline first"), (F("due_at").desc(nulls_last=True), "-id")),
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class CaseFilters(forms.Form):
    """The filters of a case list, read from a query string (GET)."""

    q = forms.CharField(
        label=_("Number or address"),
        max_length=100,
        help_text=_("A registration number such as 123/2026, or part of an address."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        choices=Status.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: the open cases."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("any")), *Kind.choices])
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, empty_value=None)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.filter(is_active=True),
        empty_label=_("any"),
    )
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.filter(is_active=True), empty_label=_("any")
    )
    channel = forms.ChoiceField(
        label=_("Received through"), choices=[("", _("any")), *Channel.choices]
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
    deadline = forms.ChoiceField(label=_("Deadline"), choices=DEADLINE_CHOICES)
    assignee = forms.ChoiceField(label=_("Officer"))
    replies = forms.ChoiceField(label=_("Resident's replies"), choices=REPLY_CHOICES)
    sort = forms.ChoiceField(
        label=_("Order"),
        choices=[(key, order.label) for key, order in ORDERS.items()],
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, user: User | None = None) -> None:
        super().__init__(_with_defaults(data))
        self.user = user
        # Every filter may be left empty.
        for field in self.fields.values():
            field.required = False
        category = self.fields["category"]
        assert isinstance(category, forms.TypedChoiceField)
        category.choices = category_choices()
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ChoiceField)
        assignee.choices = assignee_choices(user)

    def clean_registered_from(self) -> date | None:
        return _plausible(self.cleaned_data.get("registered_from"))

    def clean_registered_to(self) -> date | None:
        return _plausible(self.cleaned_data.get("registered_to"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("registered_from"), cleaned.get("registered_to")
        if start and end and end < start:
            self.add_error("registered_to", _("The end of the period comes before its start."))
        return cleaned

    @property
    def statuses(self) -> list[str]:
        """The statuses asked for (the open ones unless others are ticked)."""
        self.is_valid()
        return list(self.cleaned_data.get("status") or OPEN)

    @property
    def only_open(self) -> bool:
        return set(self.statuses) <= set(OPEN)

    @property
    def sort_key(self) -> str:
        self.is_valid()
        return str(self.cleaned_data.get("sort") or NEWEST_FIRST)

    def cases(self, user: User, now: datetime) -> QuerySet[Case]:
        """The cases `user` may see that match every valid filter."""
        self.is_valid()
        data = self.cleaned_data
        cases = visible_cases(user)
        # Every status chosen is no condition at all, and then the narrower location index
        # serves the whole-city map of every case.
        if set(self.statuses) != set(Status.values):
            cases = cases.filter(status__in=self.statuses)
        for condition in _conditions(data, now):
            cases = cases.filter(condition)
        if data.get("assignee"):
            cases = cases.filter(_assignee_condition(data["assignee"], user))
        return cases

    def sorted_cases(self, user: User, now: datetime) -> QuerySet[Case]:
        return self.cases(user, now).order_by(*ORDERS[self.sort_key].by)

    def query_string(self, **changes: str | None) -> str:
        """The filters as a query string, with some parameters changed (None drops one)."""
        query = QueryDict(mutable=True)
        data = self.data
        assert isinstance(data, QueryDict)  # __init__ binds a QueryDict
        for key in data:
            if key in self.fields:
                query.setlist(key, data.getlist(key))
        for key, value in changes.items():
            if value is None:
                query.pop(key, None)
            else:
                query[key] = value
        return query.urlencode()


def filtered_cases(user: User, data: Mapping[str, Any], now: datetime) -> QuerySet[Case]:
    """The cases `user` may see that match the filters of a query string."""
    return CaseFilters(data).cases(user, now)


def category_choices() -> list[tuple[Any, Any]]:
    """Categories under their group; a group's own entry selects all of its categories."""
    categories = list(Category.objects.filter(is_active=True).select_related("parent"))
    groups = sorted(
        (c for c in categories if c.parent_id is None), key=lambda c: (c.order, c.label)
    )
    choices: list[tuple[Any, Any]] = [("", _("any"))]
    for group in groups:
        children = sorted(
            (c for c in categories if c.parent_id == group.pk), key=lambda c: (c.order, c.label)
        )
        options = [(group.pk, _("%(group)s: all") % {"group": group.label})]
        options += [(child.pk, child.label) for child in children]
        choices.append((group.label, options))
    return choices


def assignee_choices(user: User | None) -> list[tuple[str, Any]]:
    """Me, nobody, and the members of `user`'s departments (of every department for the
    city-wide roles, who belong to none)."""
    choices: list[tuple[str, Any]] = [
        ("", _("anyone")),
        (ASSIGNED_TO_ME, _("me")),
        (ASSIGNED_TO_NOBODY, _("nobody yet")),
    ]
    if user is None:
        return choices
    members = DepartmentMembership.objects.filter(
        user__is_active=True, department__kind=Department.Kind.INTERNAL
    )
    if not roles_of(user) & CITY_WIDE_ROLES:
        members = members.filter(department__memberships__user=user)
    people = {m.user.pk: m.user for m in members.select_related("user").exclude(user=user)}
    named = sorted(people.values(), key=lambda person: (str(person).casefold(), person.pk))
    return choices + [(str(person.pk), str(person)) for person in named]


def _assignee_condition(choice: str, user: User | None) -> Q:
    if choice == ASSIGNED_TO_NOBODY:
        return Q(assignee__isnull=True)
    if choice == ASSIGNED_TO_ME:
        return Q(assignee=user) if user is not None else Q(pk__in=[])
    return Q(assignee_id=int(choice))


def _with_defaults(data: Mapping[str, Any] | None) -> QueryDict:
    """The submitted filters, with the open statuses ticked when none is."""
    query = QueryDict(mutable=True)
    if data is not None:
        if isinstance(data, QueryDict):
            query = data.copy()
        else:
            for key, value in data.items():
                query.setlist(key, list(value) if isinstance(value, list | tuple) else [value])
    if not query.getlist("status"):
        query.setlist("status", OPEN)
    return query


def _plausible(day: date | None) -> date | None:
    if day is not None and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise forms.ValidationError(
            _("Enter a date between %(first)d and %(last)d."),
            params={"first": EARLIEST_YEAR, "last": LATEST_YEAR},
        )
    return day


def _conditions(data: Mapping[str, Any], now: datetime) -> Iterable[Q]:
    if data.get("q"):
        yield _text_condition(data["q"])
    if data.get("kind"):
        yield Q(kind=data["kind"])
    if data.get("category"):
        yield Q(category_id__in=_category_and_children(data["category"]))
    if data.get("department"):
        yield Q(department=data["department"])
    if data.get("area"):
        yield Q(area_id__in=areas_within(data["area"]))
    if data.get("channel"):
        yield Q(channel=data["channel"])
    if data.get("registered_from"):
        yield Q(registered_at__gte=_start_of(data["registered_from"]))
    if data.get("registered_to"):
        yield Q(registered_at__lt=_start_of(data["registered_to"] + timedelta(days=1)))
    if data.get("deadline"):
        yield in_deadline_state(now, data["deadline"])
    if data.get("replies") == UNREAD_REPLIES:
        yield has_unread_reply()


def _category_and_children(category_id: int) -> list[int]:
    """A category, or a group with all its categories: ids, so that cases need no join."""
    family = Category.objects.filter(Q(pk=category_id) | Q(parent_id=category_id))
    return list(family.values_list("pk", flat=True))


def _text_condition(text: str) -> Q:
    number = NUMBER.match(text)
    if number is None:
        return Q(address__icontains=text.strip())
    condition = Q(registration_number=int(number.group(1)))
    if number.group(2):
        condition &= Q(registration_year=int(number.group(2)))
    return condition


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=CITY_TZ)


@dataclass(frozen=True)
class DeadlineNote:
    """A case's deadline as a list shows it: its state and how many days are left or past."""

    state: DeadlineState
    label: str
    days: str


def deadline_note(case: Case, now: datetime) -> DeadlineNote:
    state = case_deadline_state(
        is_open=case.is_open, due=case.internal_due, service_due=case.service_due, now=now
    )
    label = str(DEADLINE_STATE_LABELS[state])
    if state == DeadlineState.NONE:
        return DeadlineNote(state, label, "")
    dues = [case.internal_due] if case.internal_due else []
    if case.service_due:
        dues.append(case.service_due.astimezone(CITY_TZ).date())
    left = (min(dues) - now.astimezone(CITY_TZ).date()).days
    if left > 0:
        days = ngettext("%(days)d day left", "%(days)d days left", left) % {"days": left}
    elif left == 0:
        days = str(_("late since today") if state == DeadlineState.OVERDUE else _("due today"))
    else:
        days = ngettext("%(days)d day late", "%(days)d days late", -left) % {"days": -left}
    return DeadlineNote(state, label, days)


def deadline_countdown(case: Case, now: datetime, calendar: WorkCalendar) -> DeadlineNote:
    """A case's state and the days to its nearest deadline, saying which deadline it is.

    The answer's due date (the internal one, never later than the legal deadline) counts
    calendar days, as the law does; the service target counts working days, as the city
    promises it. When both fall on the same day the answer's date is named.
    """
    state = case_deadline_state(
        is_open=case.is_open, due=case.internal_due, service_due=case.service_due, now=now
    )
    label = str(DEADLINE_STATE_LABELS[state])
    if state == DeadlineState.NONE:
        return DeadlineNote(state, label, "")
    today = now.astimezone(CITY_TZ).date()
    target = case.service_due.astimezone(CITY_TZ).date() if case.service_due else None
    if case.internal_due is not None and (target is None or case.internal_due <= target):
        return DeadlineNote(state, label, _answer_days((case.internal_due - today).days, state))
    assert target is not None
    # A target in hours may fall on a day off: it still counts as at least a day away or late.
    left = calendar.working_days_between(today, target)
    if target > today:
        left = max(left, 1)
    elif target < today:
        left = min(left, -1)
    return DeadlineNote(state, label, _service_days(left, state))


def _answer_days(left: int, state: DeadlineState) -> str:
    if left > 0:
        return ngettext(
            "%(days)d day left to the due date",
            "%(days)d days left to the due date",
            left,
        ) % {"days": left}
    if left == 0:
        return str(
            _("due date passed today") if state == DeadlineState.OVERDUE else _("due date today")
        )
    return ngettext(
        "%(days)d day past the due date",
        "%(days)d days past the due date",
        -left,
    ) % {"days": -left}


def _service_days(left: int, state: DeadlineState) -> str:
    if left > 0:
        return ngettext(
            "%(days)d working day left to the service target",
            "%(days)d working days left to the service target",
            left,
        ) % {"days": left}
    if left == 0:
        return str(
            _("service target passed today")
            if state == DeadlineState.OVERDUE
            else _("service target today")
        )
    return ngettext(
        "%(days)d working day past the service target",
        "%(days)d working days past the service target",
        -left,
    ) % {"days": -left}


PAGE_SIZE = 50


@dataclass(frozen=True)
class ListedCase:
    case: Case
    deadline: DeadlineNote


@dataclass(frozen=True)
class SortLink:
    """A sortable column's header: the query that sorts by it, and how it sorts now."""

    query: str
    aria_sort: str  # "ascending", "descending" or "none"


class CountedPages:
    """What the case lists' count line reads of a listing with a `page`."""

    page: Page[Any]

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def shown_count(self) -> str:
        return number_format(self.count, force_grouping=True)


@dataclass(frozen=True)
class Listing(CountedPages):
    """A page of a filtered, sorted case list, ready for a table."""

    page: Page[Case]
    rows: list[ListedCase]
    by_registration: SortLink
    by_deadline: SortLink
    previous_query: str | None
    next_query: str | None


def case_listing(filters: CaseFilters, user: User, now: datetime, *, page: str | None) -> Listing:
    """One page of the cases `user` may see that match `filters`, in the chosen order."""
    cases = filters.sorted_cases(user, now).select_related("category", "department")
    return _listing(filters, cases, page, lambda case: deadline_note(case, now))


def worklist_listing(
    filters: CaseFilters, user: User, now: datetime, calendar: WorkCalendar, *, page: str | None
) -> Listing:
    """Like `case_listing`, with each case's officer and area, and the days to its nearest
    deadline counted as that deadline is counted."""
    cases = filters.sorted_cases(user, now).select_related(
        "category", "department", "area", "assignee"
    )
    return _listing(filters, cases, page, lambda case: deadline_countdown(case, now, calendar))


def _listing(
    filters: CaseFilters,
    cases: QuerySet[Case],
    page: str | None,
    note: Callable[[Case], DeadlineNote],
) -> Listing:
    current = Paginator(cases, PAGE_SIZE).get_page(page)
    return Listing(
        page=current,
        rows=[ListedCase(case, note(case)) for case in current],
        by_registration=_sort_link(filters, "registered", newest_first=True),
        by_deadline=_sort_link(filters, "due", newest_first=False),
        previous_query=(
            filters.query_string(page=str(current.previous_page_number()))
            if current.has_previous()
            else None
        ),
        next_query=(
            filters.query_string(page=str(current.next_page_number()))
            if current.has_next()
            else None
        ),
    )


def _sort_link(filters: CaseFilters, column: str, *, newest_first: bool) -> SortLink:
    """Choosing a column sorts by it (newest registrations, earliest deadlines first);
    choosing it again reverses the order."""
    ascending, descending = column, f"-{column}"
    current = filters.sort_key
    if current == ascending:
        return SortLink(filters.query_string(sort=descending, page=None), "ascending")
    if current == descending:
        return SortLink(filters.query_string(sort=ascending, page=None), "descending")
    first = descending if newest_first else ascending
    return SortLink(filters.query_string(sort=first, page=None), "none")
