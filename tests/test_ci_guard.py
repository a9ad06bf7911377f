"""The CI guard (tests/ci_guard.py) fails a session whose required tests did not all run."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

SAMPLE = """
import pytest

@pytest.mark.browser
def test_in_a_browser():
    pass

@pytest.mark.browser
def test_without_chromium():
    pytest.skip("Chromium not found")

def test_plain():
    pass
"""


def run_pytest(
    tmp_path: Path, source: str, *args: str, require: str | None = "browser"
) -> subprocess.CompletedProcess[str]:
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nmarkers =\n    browser: drives Chromium\n    postgres: needs PostgreSQL\n"
    )
    (tmp_path / "test_sample.py").write_text(textwrap.dedent(source))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTEST_ADDOPTS", "CETATE_REQUIRE"}
    }
    env |= {"PYTHONPATH": str(ROOT), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    if require is not None:
        env["CETATE_REQUIRE"] = require
    command = [sys.executable, "-m", "pytest", "-p", "tests.ci_guard", "-p", "no:cacheprovider"]
    return subprocess.run(
        [*command, *args], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )


def test_a_skipped_required_test_fails_the_session(tmp_path):
    result = run_pytest(tmp_path, SAMPLE)
    assert result.returncode == 1, result.stdout
    assert "skipped test_sample.py::test_without_chromium [browser]: Chromium not found" in (
        result.stdout
    )
    assert "2 passed, 1 skipped" in result.stdout


def test_the_session_passes_when_every_required_test_ran(tmp_path):
    result = run_pytest(tmp_path, SAMPLE, "-k", "not without_chromium")
    assert result.returncode == 0, result.stdout
    assert "browser: 1 ran" in result.stdout
    assert "every required test ran" in result.stdout


def test_skips_of_tests_not_required_are_allowed(tmp_path):
    source = SAMPLE + "\n@pytest.mark.postgres\ndef test_on_postgres():\n    pytest.skip('no db')\n"
    result = run_pytest(tmp_path, source, "-k", "not without_chromium")
    assert result.returncode == 0, result.stdout


def test_no_required_test_at_all_fails_the_session(tmp_path):
    result = run_pytest(tmp_path, SAMPLE, "-k", "plain")
    assert result.returncode == 1, result.stdout
    assert "no test marked 'browser' ran" in result.stdout


def test_a_module_skipped_whole_fails_the_session(tmp_path):
    source = "import pytest\npytest.skip('later', allow_module_level=True)\n" + SAMPLE
    result = run_pytest(tmp_path, source, require="postgres")
    assert result.returncode != 0, result.stdout
    assert "skipped the whole of test_sample.py: later" in result.stdout


def test_an_unknown_marker_is_a_usage_error(tmp_path):
    result = run_pytest(tmp_path, SAMPLE, require="browsr")
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert "unknown markers: browsr" in result.stderr


def test_without_requirements_the_guard_does_nothing(tmp_path):
    result = run_pytest(tmp_path, SAMPLE, require=None)
    assert result.returncode == 0, result.stdout


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_postgres_run_really_uses_postgresql():
    assert connection.vendor == "postgresql"
