"""How long the city keeps a case's personal data, from the archival nomenclature.

A case's term is the first of: its category's own retention, its category's file code, its
group's own retention, its group's file code, and the installation's `RETENTION_YEARS`. It
counts, as Romanian archival practice does (Law 16/1996 and the National Archives'
instructions), from 1 January of the year after the file closed: a case closed in 2026 and
kept 5 years holds its personal data until 1 January 2032.

Whether the law requires keeping the file for its whole term (so that an erasure request
waits for its end, GDPR art. 17 (3) (b)) comes from the same file code; a case whose category
names none is kept by law when it is a petition or a public-information request (OG 27/2002,
Law 544/2001), not when it is a question answered on the spot.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Q

from cetate.cases.choices import Kind
from cetate.cases.deadlines import CITY_TZ
from cetate.directory.models import Category, FileCode


@dataclass(frozen=True)
class Retention:
    years: int
    file_code: FileCode | None
    kept_by_law: bool


def file_code_of(category: Category | None) -> FileCode | None:
    """The file a case of `category` is kept in: the category's own file code, else its
    group's (None: neither names one, or no category)."""
    levels = [level for level in (category, category.parent if category else None) if level]
    return next((level.file_code for level in levels if level.file_code), None)


def retention_of(category: Category | None, kind: str) -> Retention:
    """The term of a case of `kind` in `category` (None: no category)."""
    levels = [level for level in (category, category.parent if category else None) if level]
    file_code = file_code_of(category)
    terms: list[int | None] = []
    for level in levels:
        terms += [
            level.retention_years,
            level.file_code.retention_years if level.file_code else None,
        ]
    years = next((term for term in terms if term), settings.RETENTION_YEARS)
    kept_by_law = file_code.kept_by_law if file_code is not None else kind != Kind.INQUIRY
    return Retention(years=years, file_code=file_code, kept_by_law=kept_by_law)


def held_until(closed_at: datetime, years: int) -> date:
    """The first day a file closed at `closed_at` and kept `years` years may be disposed of."""
    return date(closed_at.astimezone(CITY_TZ).year + 1 + years, 1, 1)


def closed_before(today: date, years: int) -> datetime:
    """Files closed before this moment are past a term of `years` years on `today`."""
    return datetime(today.year - years, 1, 1, tzinfo=CITY_TZ)


@dataclass(frozen=True)
class TermGroup:
    """The categories whose cases are kept `years` years; `without_category` adds the cases
    that have none."""

    years: int
    category_ids: tuple[int, ...]
    without_category: bool

    def cases(self) -> Q:
        query = Q(category_id__in=self.category_ids)
        if self.without_category:
            query |= Q(category__isnull=True)
        return query


def term_groups() -> list[TermGroup]:
    """Every category by its term, longest first: a few rows whatever the register's size."""
    by_years: dict[int, list[int]] = defaultdict(list)
    categories = Category.objects.select_related("file_code", "parent__file_code")
    for category in categories:
        by_years[retention_of(category, Kind.REQUEST).years].append(category.pk)
    default = settings.RETENTION_YEARS
    by_years.setdefault(default, [])
    return [
        TermGroup(years, tuple(sorted(by_years[years])), without_category=years == default)
        for years in sorted(by_years, reverse=True)
    ]
