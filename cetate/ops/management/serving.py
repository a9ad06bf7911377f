"""The web server, the job worker, the deadline sweeper and the daily retention job, run
together as one command.

Each runs as a child process in its own process group, so that a Ctrl+C in the terminal
reaches this process only and each child is told to stop exactly once.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

from django.conf import settings
from django.utils.translation import gettext as _

THREADS_PER_WORKER = 4
POLL_SECONDS = 0.2
STOP_TIMEOUT_SECONDS = 20.0
FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM)
SWEEP_EVERY_SECONDS = 900
RETENTION_EVERY_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Program:
    name: str
    argv: list[str]


def web_server(*, host: str, port: int, workers: int) -> Program:
    return Program(
        "gunicorn",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cetate.wsgi",
            f"--bind={host}:{port}",
            f"--workers={workers}",
            f"--threads={THREADS_PER_WORKER}",
            f"--graceful-timeout={int(STOP_TIMEOUT_SECONDS / 2)}",
        ],
    )


def job_worker() -> Program:
    manage = str(settings.BASE_DIR / "manage.py")
    return Program(
        "db_worker", [sys.executable, manage, "db_worker", "--no-reload", "--no-startup-delay"]
    )


def deadline_sweeper(every: int = SWEEP_EVERY_SECONDS) -> Program:
    manage = str(settings.BASE_DIR / "manage.py")
    return Program(
        "sweep_deadlines", [sys.executable, manage, "sweep_deadlines", "--every", str(every)]
    )


def retention_job(every: int = RETENTION_EVERY_SECONDS) -> Program:
    manage = str(settings.BASE_DIR / "manage.py")
    return Program(
        "apply_retention", [sys.executable, manage, "apply_retention", "--every", str(every)]
    )


def run_together(programs: list[Program], *, say: Callable[[str], object]) -> int:
    """Run `programs` until one of them exits or SIGINT/SIGTERM arrives, then stop them all.

    A signal is passed on to every program. Returns 0 when they stopped because they were
    asked to; otherwise the exit code of the program that stopped by itself (at least 1).
    """
    asked_to_stop: list[int] = []
    processes: list[tuple[Program, subprocess.Popen[bytes]]] = []

    def forward(signum: int, frame: FrameType | None) -> None:
        if not asked_to_stop:
            asked_to_stop.append(signum)
            for _program, process in processes:
                _send(process, signum)

    # Handlers first: a signal that arrives while the programs start must stop them too.
    previous = {signum: signal.signal(signum, forward) for signum in FORWARDED_SIGNALS}
    try:
        _start(programs, processes)
        for _program, process in processes:
            if asked_to_stop:
                _send(process, asked_to_stop[0])
        stopped_by_itself = _wait_for_first_exit(processes, asked_to_stop)
        if stopped_by_itself is not None:
            program, code = stopped_by_itself
            say(
                _("%(program)s stopped (exit code %(code)d); stopping the others.")
                % {"program": program.name, "code": code}
            )
            for _program, process in processes:
                _send(process, signal.SIGTERM)
        codes = _stop_all(processes)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if stopped_by_itself is not None:
        return stopped_by_itself[1] or 1
    return next((code for code in codes if code not in _STOPPED_ON_REQUEST), 0)


_STOPPED_ON_REQUEST = {0, 128 + signal.SIGINT, 128 + signal.SIGTERM}


def _start(
    programs: list[Program], processes: list[tuple[Program, subprocess.Popen[bytes]]]
) -> None:
    """Start `programs` into `processes`; if one cannot start, stop those already running."""
    try:
        for program in programs:
            processes.append((program, subprocess.Popen(program.argv, process_group=0)))
    except OSError:
        for _program, process in processes:
            _send(process, signal.SIGTERM)
        _stop_all(processes)
        raise


def _wait_for_first_exit(
    processes: list[tuple[Program, subprocess.Popen[bytes]]], asked_to_stop: list[int]
) -> tuple[Program, int] | None:
    while not asked_to_stop:
        for program, process in processes:
            code = process.poll()
            if code is not None:
                return program, _exit_code(code)
        time.sleep(POLL_SECONDS)
    return None


def _stop_all(processes: list[tuple[Program, subprocess.Popen[bytes]]]) -> list[int]:
    """Wait for every process to stop; kill those that take longer than the timeout."""
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    codes = []
    for _program, process in processes:
        try:
            code = process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
        codes.append(_exit_code(code))
    return codes


def _send(process: subprocess.Popen[bytes], signum: int) -> None:
    if process.poll() is None:
        process.send_signal(signum)


def _exit_code(returncode: int) -> int:
    """The shell's convention: a process ended by signal N exits with 128 + N."""
    return 128 - returncode if returncode < 0 else returncode
