"""The figures each phase hands back (as JSON, across processes) and the table printed."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cetate.ops.bench.intake import IntakeFigures
from cetate.ops.bench.mail import MAIL_GOAL_PER_S, MailFigures
from cetate.ops.bench.queries import QueryFigure

INTAKE_TARGET = 0.30
RSS_GOAL_MB = 200
NAME_WIDTH = 62


@dataclass(frozen=True)
class LoadFigures:
    filled: int
    fill_seconds: float
    fill_method: str
    intake: IntakeFigures
    mail: MailFigures

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)))

    @classmethod
    def read(cls, path: Path) -> LoadFigures:
        data = json.loads(path.read_text())
        return cls(
            **{
                **data,
                "intake": IntakeFigures(**data["intake"]),
                "mail": MailFigures(**data["mail"]),
            }
        )


@dataclass(frozen=True)
class QueryPhaseFigures:
    cases: int
    open_cases: int
    events: int
    server: str
    size_mb: float
    department: str
    runs: int
    queries: list[QueryFigure]
    peak_rss_mb: float

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)))

    @classmethod
    def read(cls, path: Path) -> QueryPhaseFigures:
        data: dict[str, Any] = json.loads(path.read_text())
        return cls(**{**data, "queries": [QueryFigure(**q) for q in data["queries"]]})


def render(database: str, requested: int, load: LoadFigures, measured: QueryPhaseFigures) -> str:
    history = (
        f"history: {load.filled:,} cases written with {load.fill_method} "
        f"in {load.fill_seconds:.1f} s"
    )
    lines = [
        f"Cetate benchmark: {database} ({measured.server})",
        f"  {measured.cases:,} cases ({measured.open_cases:,} open), "
        f"{measured.events:,} events, database {measured.size_mb:,.0f} MB",
    ]
    if measured.cases > requested * 1.05:
        lines.append(
            f"  (more than the {requested:,} asked for: --fresh starts from an empty database)"
        )
    lines += [
        "",
        f"{'Fill':<{NAME_WIDTH + 2}}{'cases/s':>10}",
        f"  {history:<{NAME_WIDTH}}{_rate(load.filled, load.fill_seconds):>10}",
        "",
    ]
    lines += _intake_lines(load.intake)
    lines += ["", *_mail_lines(load.mail, sqlite=measured.server.startswith("SQLite"))]
    lines += ["", _query_header(measured.runs)]
    for figure in measured.queries:
        target = f"< {figure.target_ms:g}" if figure.target_ms is not None else ""
        verdict = ("MISSED" if figure.missed else "ok") if target else ""
        lines.append(
            f"  {figure.name:<{NAME_WIDTH}}{figure.median_ms:>8.1f} {figure.p95_ms:>8.1f} "
            f"{target:>7} {verdict:<6} {figure.rows:>7,}"
        )
    lines += [
        f"  (worklist of {measured.department})",
        "",
        f"Peak memory (RSS) of the query process: {measured.peak_rss_mb:.0f} MB "
        f"(goal for a web process: < {RSS_GOAL_MB} MB)",
    ]
    for figure in measured.queries:
        if figure.explain:
            lines += ["", f"EXPLAIN {figure.name}", figure.explain]
    if load.intake.profile:
        lines += ["", "Profile of open_case", load.intake.profile]
    return "\n".join(lines)


def _intake_lines(intake: IntakeFigures) -> list[str]:
    ratio = intake.services_per_s / intake.raw_per_s
    verdict = "ok" if ratio >= INTAKE_TARGET else "MISSED"
    title = f"Intake, {intake.cases:,} cases each way"
    return [
        f"{title:<{NAME_WIDTH + 2}}{'cases/s':>10} {'of raw':>8} {'target':>8}",
        f"  {'open_case (the services)':<{NAME_WIDTH}}{intake.services_per_s:>10,.0f} "
        f"{ratio:>8.0%} {'≥ ' + format(INTAKE_TARGET, '.0%'):>8} {verdict}",
        f"  {'raw SQL, one transaction per case (baseline)':<{NAME_WIDTH}}"
        f"{intake.raw_per_s:>10,.0f} {1:>8.0%}",
        f"  {'raw SQL, 500 cases per transaction':<{NAME_WIDTH}}{intake.batched_per_s:>10,.0f} "
        f"{intake.batched_per_s / intake.raw_per_s:>8.0%}",
    ]


def _mail_lines(mail: MailFigures, *, sqlite: bool) -> list[str]:
    """The goal is SQLite's: on PostgreSQL each message's two commits (stored, then decided)
    wait for the disk, and the figure is printed for comparison."""
    target = f"≥ {MAIL_GOAL_PER_S}" if sqlite else ""
    verdict = ("ok" if mail.per_s >= MAIL_GOAL_PER_S else "MISSED") if sqlite else ""
    title = f"Mail, {mail.messages:,} new letters without attachments"
    return [
        f"{title:<{NAME_WIDTH + 2}}{'msgs/s':>10} {'':>8} {'target':>8}",
        f"  {'pipeline.receive: stored, read, registered':<{NAME_WIDTH}}{mail.per_s:>10,.0f} "
        f"{'':>8} {target:>8} {verdict}".rstrip(),
    ]


def _query_header(runs: int) -> str:
    title = f"Queries, {runs} runs each (ms)"
    return f"{title:<{NAME_WIDTH + 2}}{'median':>8} {'p95':>8} {'target':>7} {'':<6} {'rows':>7}"


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds > 0 else "-"
