"""A pytest plugin for CI: the session fails when tests that CI requires did not run.

Load it with `-p tests.ci_guard` and name the required markers in CETATE_REQUIRE, comma
separated, e.g. `CETATE_REQUIRE=browser,postgres`. For each named marker the session fails when

- a test carrying the marker was skipped, whatever the reason (Chromium missing, no
  PostgreSQL, a `skipif`, a `pytest.skip()` call), or
- no test carrying the marker ran at all (all deselected, or none collected).

A module skipped as a whole at collection also fails the session, since its markers are
unknown: mark such tests instead. Without CETATE_REQUIRE the plugin does nothing.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Generator

import pytest

ENV_VAR = "CETATE_REQUIRE"


def _reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


class RequiredTests:
    def __init__(self, required: frozenset[str]) -> None:
        self.required = required
        self.ran: Counter[str] = Counter()
        self.skipped: dict[str, tuple[list[str], str]] = {}
        self.skipped_modules: dict[str, str] = {}

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        markers = sorted(self.required & {mark.name for mark in item.iter_markers()})
        if not markers:
            return report
        if report.skipped and not hasattr(report, "wasxfail"):
            self.skipped.setdefault(item.nodeid, (markers, _reason(report)))
        elif report.when == "call":
            self.ran.update(markers)
        return report

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.skipped:
            self.skipped_modules[report.nodeid] = _reason(report)

    def problems(self) -> list[str]:
        found = [
            f"skipped {nodeid} [{', '.join(markers)}]: {reason}"
            for nodeid, (markers, reason) in self.skipped.items()
        ]
        found += [
            f"skipped the whole of {nodeid}: {reason}"
            for nodeid, reason in self.skipped_modules.items()
        ]
        found += [f"no test marked {name!r} ran" for name in sorted(self.required - set(self.ran))]
        return found

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if self.problems() and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        counts = ", ".join(f"{name}: {self.ran[name]} ran" for name in sorted(self.required))
        terminalreporter.section(f"required by {ENV_VAR}")
        terminalreporter.line(counts)
        problems = self.problems()
        for problem in problems:
            terminalreporter.line(f"FAILED requirement: {problem}", red=True)
        if not problems:
            terminalreporter.line("every required test ran", green=True)


def pytest_configure(config: pytest.Config) -> None:
    names = frozenset(
        name.strip() for name in os.environ.get(ENV_VAR, "").split(",") if name.strip()
    )
    if not names:
        return
    known = {line.split(":", 1)[0].strip() for line in config.getini("markers")}
    unknown = sorted(names - known)
    if unknown:
        raise pytest.UsageError(f"{ENV_VAR} names unknown markers: {', '.join(unknown)}")
    config.pluginmanager.register(RequiredTests(names), "cetate-required-tests")
