"""The legal reports at the bench database's size: each report's counting for its default
period (the last half-year, the last year), as the console page computes it."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from cetate.cases.deadlines import CITY_TZ
from cetate.monitoring.legal_reports.information import information_report
from cetate.monitoring.legal_reports.periods import last_half_year, last_year
from cetate.monitoring.legal_reports.petitions import petitions_report
from cetate.ops.bench.queries import Measure, MeasuredCall

REPORT_TARGET_MS = 1000


def _petitions() -> int:
    today = timezone.now().astimezone(CITY_TZ).date()
    return petitions_report(last_half_year(today)).received


def _information() -> int:
    today = timezone.now().astimezone(CITY_TZ).date()
    return information_report(last_year(today)).received


def legal_report_queries() -> list[Measure]:
    measured: list[tuple[str, Callable[[], int]]] = [
        ("legal reports: petitions, last half-year (OG 27/2002)", _petitions),
        ("legal reports: public information, last year (Law 544/2001)", _information),
    ]
    return [MeasuredCall(name, run, REPORT_TARGET_MS) for name, run in measured]
