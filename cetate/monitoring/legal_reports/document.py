"""A legal report as tables: what the console page shows and the PDF and XLSX files hold, in
the active language. Each table names where the law asks for its figures."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from cetate.cases.choices import Channel, InformationTopic, Kind, Outcome, RefusalGround
from cetate.contacts.models import Contact
from cetate.monitoring.legal_reports import information as law_544
from cetate.monitoring.legal_reports.conditions import JOINED, NOT_RECORDED
from cetate.monitoring.legal_reports.information import InformationReport, information_report
from cetate.monitoring.legal_reports.periods import Period, last_half_year, last_year
from cetate.monitoring.legal_reports.petitions import PetitionsReport, petitions_report


@dataclass(frozen=True)
class Row:
    label: str
    values: list[int]
    total: bool = False


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    source: str
    row_heading: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)

    @property
    def body(self) -> list[Row]:
        return [row for row in self.rows if not row.total]

    @property
    def totals(self) -> list[Row]:
        return [row for row in self.rows if row.total]


@dataclass(frozen=True)
class Document:
    title: str
    law: str
    period: Period
    made_at: datetime
    tables: list[Table]

    @property
    def period_text(self) -> str:
        return _("%(first)s – %(last)s") % {
            "first": date_format(self.period.first, "SHORT_DATE_FORMAT"),
            "last": date_format(self.period.last, "SHORT_DATE_FORMAT"),
        }


@dataclass(frozen=True)
class ReportKind:
    slug: str
    name: str | Promise
    default_period: Callable[..., Period]
    build: Callable[[Period, datetime], Document]


def _one_column(
    key: str,
    caption: str,
    source: str,
    row_heading: str,
    figures: dict[str, int],
    labels: dict[str, str],
    total_label: str,
) -> Table:
    """A breakdown: one row per value (a value not recorded only when it has cases), a total."""
    rows = [
        Row(labels[value], [count])
        for value, count in figures.items()
        if value != NOT_RECORDED or count
    ]
    rows.append(Row(total_label, [sum(figures.values())], total=True))
    return Table(key, caption, source, row_heading, [_("Number")], rows)


def _labels(choices: Iterable[tuple[str, str | Promise]]) -> dict[str, str]:
    labels = {str(value): capfirst(str(label)) for value, label in choices}
    labels[NOT_RECORDED] = _("Not recorded on the case")
    return labels


def petitions_document(period: Period, made_at: datetime) -> Document:
    report = petitions_report(period)
    return Document(
        title=_("Semi-annual report of petitions"),
        law=_("OG 27/2002 on petitions, art. 13"),
        period=period,
        made_at=made_at,
        tables=_petition_tables(report),
    )


def _petition_tables(report: PetitionsReport) -> list[Table]:
    source = _("OG 27/2002, art. 13")
    summary = Table(
        "petitions-summary",
        _("Petitions in the period"),
        source,
        _("Petitions"),
        [_("Number")],
        [
            Row(_("Received (registered in the period)"), [report.received]),
            Row(_("Solved in the period"), [report.solved]),
            Row(_("of which answered on time"), [report.on_time]),
            Row(_("of which answered late"), [report.late]),
            Row(_("Still open at the end of the period"), [report.open_at_end]),
            Row(_("of which past their legal deadline"), [report.overdue_at_end]),
            Row(_("Registrations cancelled (not counted above)"), [report.cancelled]),
        ],
    )
    outcomes = _labels(Outcome.choices)
    outcomes[JOINED] = _("Joined to an earlier petition (merged)")
    departments = Table(
        "petitions-departments",
        _("Petitions by department"),
        source,
        _("Department"),
        [_("Received"), _("Solved"), _("Answered on time"), _("Answered late")],
        [
            Row(
                row.department.label if row.department else _("Not routed to a department"),
                [row.received, row.solved, row.on_time, row.late],
            )
            for row in report.departments
        ],
    )
    departments.rows.append(
        Row(
            _("Total"),
            [report.received, report.solved, report.on_time, report.late],
            total=True,
        )
    )
    return [
        summary,
        _one_column(
            "petitions-kind",
            _("Petitions received, by kind"),
            source,
            _("Kind"),
            report.received_by_kind,
            _labels(Kind.choices),
            _("Total received"),
        ),
        _one_column(
            "petitions-channel",
            _("Petitions received, by channel"),
            source,
            _("Received through"),
            report.received_by_channel,
            _labels(Channel.choices),
            _("Total received"),
        ),
        _one_column(
            "petitions-outcome",
            _("Petitions solved, by outcome"),
            source,
            _("Outcome"),
            report.solved_by_outcome,
            outcomes,
            _("Total solved"),
        ),
        departments,
    ]


def information_document(period: Period, made_at: datetime) -> Document:
    report = information_report(period)
    return Document(
        title=_("Report on the implementation of Law 544/2001"),
        law=_("Law 544/2001 on free access to public information; HG 123/2002, art. 27"),
        period=period,
        made_at=made_at,
        tables=_information_tables(report),
    )


def _information_tables(report: InformationReport) -> list[Table]:
    topics = _labels(InformationTopic.choices)
    addressed = {
        law_544.PAPER: _("On paper"),
        law_544.ELECTRONIC: _("Electronically"),
        law_544.VERBAL: _("Verbally"),
        NOT_RECORDED: _("Not recorded on the case"),
    }
    requesters = {
        Contact.Kind.PERSON: _("From individuals"),
        Contact.Kind.ORGANISATION: _("From legal entities"),
        NOT_RECORDED: _("Requester not recorded"),
    }
    terms = {
        law_544.REDIRECTED_IN_5_DAYS: _("Redirected to other institutions within 5 days"),
        law_544.WITHIN_10_DAYS: _("Solved favourably within 10 days"),
        law_544.WITHIN_30_DAYS: _("Solved favourably within 30 days"),
        law_544.TERM_EXCEEDED: _("Term exceeded"),
    }
    grounds = _labels(RefusalGround.choices)
    summary = Table(
        "information-summary",
        _("Requests for public information"),
        _("HG 123/2002, art. 27 (a), (c), (d)"),
        _("Requests"),
        [_("Number")],
        [
            Row(_("Requests received (registered in the period)"), [report.received]),
            Row(_("Solved favourably, or redirected"), [report.favourable]),
            Row(pgettext("requests", "Refused"), [report.refused]),
            Row(
                _("Registered in the period and not solved by its end"),
                [report.not_solved_at_end],
            ),
        ],
    )
    rulings = [_("Upheld"), _("Rejected"), _("Pending"), _("Other outcome"), _("Total")]
    complaints = Table(
        "information-complaints",
        _("Administrative complaints and complaints to the court"),
        _("Law 544/2001, art. 21 and 22; HG 123/2002, art. 27 (h), (i)"),
        _("Complaints"),
        rulings,
        [
            Row(_("Administrative complaints against the city"), _rulings(report, "admin")),
            Row(_("Complaints to the court against the city"), _rulings(report, "court")),
        ],
    )
    return [
        summary,
        _one_column(
            "information-requester",
            _("Requests received, by requester"),
            _("HG 123/2002, art. 27 (f), (g)"),
            _("Requester"),
            report.received_by_requester,
            requesters,
            _("Total received"),
        ),
        _one_column(
            "information-addressed",
            _("Requests received, by how they were addressed"),
            _("HG 123/2002, art. 27 (e)"),
            _("Addressed"),
            report.received_by_addressing,
            addressed,
            _("Total received"),
        ),
        _one_column(
            "information-topic",
            _("Requests received, by subject area"),
            _("HG 123/2002, art. 27 (b)"),
            _("Subject area"),
            report.received_by_topic,
            topics,
            _("Total received"),
        ),
        _one_column(
            "information-term",
            _("Requests solved favourably, by the term of the answer"),
            _("HG 123/2002, art. 27 (c), (j)"),
            _("Term"),
            report.favourable_by_term,
            terms,
            _("Total solved favourably"),
        ),
        _one_column(
            "information-communicated",
            _("Requests solved favourably, by how the answer was communicated"),
            _("HG 123/2002, annex: model report"),
            _("Communicated"),
            report.favourable_by_communication,
            addressed,
            _("Total solved favourably"),
        ),
        _one_column(
            "information-favourable-topic",
            _("Requests solved favourably, by subject area"),
            _("HG 123/2002, annex: model report"),
            _("Subject area"),
            report.favourable_by_topic,
            topics,
            _("Total solved favourably"),
        ),
        _one_column(
            "information-refused",
            _("Requests refused, by reason"),
            _("HG 123/2002, art. 27 (d), (k)"),
            _("Reason"),
            report.refused_by_ground,
            grounds,
            _("Total refused"),
        ),
        _one_column(
            "information-refused-topic",
            _("Requests refused, by subject area"),
            _("HG 123/2002, annex: model report"),
            _("Subject area"),
            report.refused_by_topic,
            topics,
            _("Total refused"),
        ),
        complaints,
    ]


def _rulings(report: InformationReport, which: str) -> list[int]:
    found = report.administrative_complaints if which == "admin" else report.court_complaints
    return [found.upheld, found.rejected, found.pending, found.other, found.total]


REPORTS = {
    report.slug: report
    for report in (
        ReportKind(
            "petitions",
            gettext_lazy("Petitions (OG 27/2002), semi-annual"),
            last_half_year,
            petitions_document,
        ),
        ReportKind(
            "public-information",
            gettext_lazy("Public information (Law 544/2001), yearly"),
            last_year,
            information_document,
        ),
    )
}
