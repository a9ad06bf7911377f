"""What the public may see of a case: the rule on one case, and its SQL twin for lists.

Always, whatever a category's settings:
- only reports of problems in the city (kind `report`) are public: never requests,
  complaints, proposals, information requests or inquiries, which are about the people who
  file them;
- never a cancelled, rejected or merged case; never a case without a place;
- only categories marked public, and never a sensitive one;
- never a name, an address finer than the street, or a message written to the resident:
  public status notes are the plain words of PLAIN_STATUS, or the summary staff published.

Per category (cetate/directory/models.Category): the point exact or rounded to the public grid
(place.py), and the text none, the resident's description masked (text.py) or only the
summary staff published (`Case.public_summary`, set by `publish_summary`).

`public_view(case)` answers for one case (pages, payloads); `public_cases()` and
`public_cases_q()` select the same cases in the database (the map, lists, Open311), and
tests/cases/test_publication.py holds them to agree.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.cases.choices import EventKind, Kind
from cetate.cases.models import Case, Event
from cetate.cases.publication.place import exact, rounded
from cetate.cases.publication.text import masked, street_only
from cetate.cases.workflow import OPEN_STATUSES, Status
from cetate.directory.models import Category, PublicLocation, PublicText

PLAIN_STATUS = {
    Status.NEW: gettext_lazy("Registered; it will be sent to the department responsible."),
    Status.ASSIGNED: gettext_lazy("Sent to the department responsible."),
    Status.IN_PROGRESS: gettext_lazy("The department is working on it."),
    Status.WAITING: gettext_lazy("Waiting for more information."),
    Status.RESOLVED: gettext_lazy("Answered."),
    Status.CLOSED: gettext_lazy("Closed."),
    Status.REJECTED: gettext_lazy("Not admissible."),
    Status.REDIRECTED: gettext_lazy("Sent to the competent organisation."),
    Status.MERGED: gettext_lazy("Joined to an earlier case on the same matter."),
    Status.CANCELLED: gettext_lazy("Registration cancelled."),
}

PUBLIC_KINDS = frozenset({Kind.REPORT})
PUBLIC_STATUSES = frozenset(OPEN_STATUSES | {Status.RESOLVED, Status.CLOSED, Status.REDIRECTED})
# Events the public learns of, each told in plain words (never the event's own text, which
# is written to the resident), and the summary staff publish, where the category shows it.
PUBLIC_UPDATE_KINDS = frozenset(
    {EventKind.CREATED, EventKind.STATUS_CHANGED, EventKind.DEADLINE_EXTENDED}
)
# The longest text a public surface shows.
TEXT_LIMIT = 4000


def category_is_public(category: Category | None) -> bool:
    return category is not None and category.public_map and not category.sensitive


def is_public(case: Case, category: Category | None = None) -> bool:
    """Whether the public may see `case` at all; `category` is the case's, if already at hand."""
    category = _category_of(case, category)
    return (
        category_is_public(category)
        and case.kind in PUBLIC_KINDS
        and case.status in PUBLIC_STATUSES
        and case.latitude is not None
        and case.longitude is not None
    )


def why_not_public(case: Case, category: Category | None = None) -> str:
    """Why the public sees nothing of `case`, in words for staff; empty when it may see it."""
    category = _category_of(case, category)
    if case.kind not in PUBLIC_KINDS:
        return _("Only reports of problems in the city are public.")
    if category is None:
        return _("The case has no category yet.")
    if category.sensitive:
        return _("Its category is sensitive.")
    if not category.public_map:
        return _("Its category is not public.")
    if case.status not in PUBLIC_STATUSES:
        return _("Cancelled, rejected and merged cases are never public.")
    if case.latitude is None or case.longitude is None:
        return _("The case has no place on the map.")
    return ""


@dataclass(frozen=True)
class PublicView:
    """One case as the public sees it. Nothing here names anyone or quotes a message to them."""

    case_id: int
    year: int
    number: int
    category_id: int
    status: Status
    registered_at: datetime
    area_id: int | None
    latitude: float
    longitude: float
    exact: bool
    # The street without number, and the category's public text; empty when not asked for.
    address: str = ""
    text: str = ""

    @property
    def label(self) -> str:
        return f"{self.number}/{self.year}"

    @property
    def plain_status(self) -> str:
        return str(PLAIN_STATUS[self.status])


def public_view(
    case: Case, category: Category | None = None, *, details: bool = True
) -> PublicView | None:
    """What the public may see of `case`, or None when it may see nothing.

    `details` adds the street and the text, which read the case's address, description,
    summary and reporter; the map and lists leave them out and load none of these.
    """
    category = _category_of(case, category)
    if category is None or not is_public(case, category):
        return None
    assert case.latitude is not None and case.longitude is not None
    is_exact = category.public_location == PublicLocation.EXACT
    place = exact if is_exact else rounded
    view = PublicView(
        case_id=case.pk,
        year=case.registration_year,
        number=case.registration_number,
        category_id=category.pk,
        status=Status(case.status),
        registered_at=case.registered_at,
        area_id=case.area_id,
        latitude=place(case.latitude),
        longitude=place(case.longitude),
        exact=is_exact,
    )
    if not details:
        return view
    names = _names(case)
    return replace(
        view,
        address=masked(street_only(case.address), names=names),
        text=public_text(case, category, names=names),
    )


def public_text(case: Case, category: Category, *, names: Iterable[str] = ()) -> str:
    """The category's public text for `case`: none, the description masked, or the summary."""
    if category.public_text == PublicText.MASKED:
        return masked(case.description, names=names)[:TEXT_LIMIT]
    if category.public_text == PublicText.SUMMARY:
        return masked(case.public_summary, names=names)[:TEXT_LIMIT]
    return ""


def public_update(event: Event, case: Case, category: Category | None = None) -> str | None:
    """What the public reads of one event of `case`, or None when it is not told of it."""
    category = _category_of(case, category)
    if category is None or not is_public(case, category) or not event.public:
        return None
    if event.kind == EventKind.SUMMARY_PUBLISHED:
        if category.public_text != PublicText.SUMMARY:
            return None
        return masked(event.text, names=_names(case))[:TEXT_LIMIT] or _(
            "The summary for the public was withdrawn."
        )
    if event.kind == EventKind.DEADLINE_EXTENDED:
        return _("The deadline was extended.")
    if event.kind in PUBLIC_UPDATE_KINDS:
        return str(PLAIN_STATUS[Status(event.to_status or case.status)])
    return None


# The SQL twin.


def public_categories() -> QuerySet[Category]:
    return Category.objects.filter(public_map=True, sensitive=False)


def public_cases_q(category_ids: Collection[int], *, via: str = "") -> Q:
    """`is_public` as a condition on cases (`via` is the path to the case, e.g. "case__");
    `category_ids` are the public categories' ids (`public_categories()`)."""
    return Q(
        **{
            f"{via}kind__in": sorted(PUBLIC_KINDS),
            f"{via}category_id__in": sorted(category_ids),
            f"{via}status__in": sorted(PUBLIC_STATUSES),
            f"{via}latitude__isnull": False,
            f"{via}longitude__isnull": False,
        }
    )


def public_cases(category_ids: Collection[int] | None = None) -> QuerySet[Case]:
    """Every case the public may see (of `category_ids`, a subset of the public categories)."""
    public = set(public_categories().values_list("pk", flat=True))
    chosen = public if category_ids is None else public & set(category_ids)
    return Case.objects.filter(public_cases_q(chosen))


def public_updates_q(categories: Iterable[Category]) -> Q:
    """`public_update(...) is not None` as a condition on events."""
    categories = [category for category in categories if category_is_public(category)]
    summaries = [c.pk for c in categories if c.public_text == PublicText.SUMMARY]
    kinds = Q(kind__in=sorted(PUBLIC_UPDATE_KINDS))
    if summaries:
        kinds |= Q(kind=EventKind.SUMMARY_PUBLISHED, case__category_id__in=sorted(summaries))
    return public_cases_q([c.pk for c in categories], via="case__") & Q(public=True) & kinds


def exact_category_ids(categories: Iterable[Category]) -> set[int]:
    return {c.pk for c in categories if c.public_location == PublicLocation.EXACT}


def _category_of(case: Case, category: Category | None) -> Category | None:
    if category is not None and category.pk == case.category_id:
        return category
    return case.category if case.category_id is not None else None


def _names(case: Case) -> list[str]:
    if case.reporter_id is None or case.reporter is None:
        return []
    return [case.reporter.name] if case.reporter.name else []
