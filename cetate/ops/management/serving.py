"""The web server, the job worker, the deadline sweeper and the daily retention job, run
together as one command.

Each runs as a child process in its own process group, so that a Ctrl+C in the terminal
reaches this process only and each child is told to stop exactly once. A helper program that
stops by itself (a crash, a database gone for too long) is started again, after 1, 2, 4 … up
to 60 seconds, while the web server goes on serving; only the web server's own end stops all.
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


RESTART_CAP_SECONDS = 60.0
# A program that ran this long before it stopped is started again at once.
RAN_WELL_SECONDS = 60.0


@dataclass(frozen=True)
class Program:
    name: str
    argv: list[str]
    # Started again when it stops by itself; False for the web server, whose end ends all.
    restart: bool = True


def web_server(*, host: str, port: int, workers: int) -> Program:
    return Program(
        "gunicorn",
        restart=False,
        argv=[
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
    return Program("worker", [sys.executable, manage, "worker"])


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
    """Run `programs` until the web server exits or SIGINT/SIGTERM arrives, then stop them all.

    A signal is passed on to every program; any other program that stops is started again.
    Returns 0 when they stopped because they were asked to; otherwise the exit code of the
    program that stopped by itself (at least 1).
    """
    asked_to_stop: list[int] = []
    processes: list[Running] = []

    def forward(signum: int, frame: FrameType | None) -> None:
        if not asked_to_stop:
            asked_to_stop.append(signum)
            for running in processes:
                _send(running.process, signum)

    # Handlers first: a signal that arrives while the programs start must stop them too.
    previous = {signum: signal.signal(signum, forward) for signum in FORWARDED_SIGNALS}
    try:
        _start(programs, processes)
        for running in processes:
            if asked_to_stop:
                _send(running.process, asked_to_stop[0])
        stopped_by_itself = _supervise(processes, asked_to_stop, say)
        if stopped_by_itself is not None:
            program, code = stopped_by_itself
            say(
                _("%(program)s stopped (exit code %(code)d); stopping the others.")
                % {"program": program.name, "code": code}
            )
            for running in processes:
                _send(running.process, signal.SIGTERM)
        codes = _stop_all(processes)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if stopped_by_itself is not None:
        return stopped_by_itself[1] or 1
    return next((code for code in codes if code not in _STOPPED_ON_REQUEST), 0)


@dataclass
class Running:
    program: Program
    process: subprocess.Popen[bytes]
    started: float
    # When a stopped program is to be started again; None while it runs.
    restart_at: float | None = None
    restart_delay: float = 1.0


def _supervise(
    processes: list[Running], asked_to_stop: list[int], say: Callable[[str], object]
) -> tuple[Program, int] | None:
    """Watch the programs until asked to stop; restart helpers that stop, after a pause
    that doubles while they keep stopping soon after starting. The web server's exit, if it
    stops by itself, is returned."""
    while not asked_to_stop:
        now = time.monotonic()
        for running in processes:
            if running.restart_at is not None:
                if now >= running.restart_at:
                    running.process = subprocess.Popen(running.program.argv, process_group=0)
                    running.started, running.restart_at = now, None
                continue
            code = running.process.poll()
            if code is None:
                continue
            if not running.program.restart:
                return running.program, _exit_code(code)
            if now - running.started >= RAN_WELL_SECONDS:
                running.restart_delay = 1.0
            say(
                _("%(program)s stopped (exit code %(code)d); starting it again in %(seconds)d s.")
                % {
                    "program": running.program.name,
                    "code": _exit_code(code),
                    "seconds": running.restart_delay,
                }
            )
            running.restart_at = now + running.restart_delay
            running.restart_delay = min(running.restart_delay * 2, RESTART_CAP_SECONDS)
        time.sleep(POLL_SECONDS)
    return None


_STOPPED_ON_REQUEST = {0, 128 + signal.SIGINT, 128 + signal.SIGTERM}


def _start(programs: list[Program], processes: list[Running]) -> None:
    """Start `programs` into `processes`; if one cannot start, stop those already running."""
    try:
        for program in programs:
            process = subprocess.Popen(program.argv, process_group=0)
            processes.append(Running(program, process, started=time.monotonic()))
    except OSError:
        for running in processes:
            _send(running.process, signal.SIGTERM)
        _stop_all(processes)
        raise


def _stop_all(processes: list[Running]) -> list[int]:
    """Wait for every process to stop; kill those that take longer than the timeout."""
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    codes = []
    for running in processes:
        process = running.process
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
