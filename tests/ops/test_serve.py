"""serve: the web server and the job worker start together and stop together."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

MANAGE = str(settings.BASE_DIR / "manage.py")
STARTUP_TIMEOUT = 60
STOP_TIMEOUT = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_of(pid: int) -> dict[int, str]:
    """Process id → command line of the direct children of `pid` (from /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found[int(entry.name)] = cmdline.replace(b"\0", b" ").decode()
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until_gone(pids, timeout: float = STOP_TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while any(running(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


class Server:
    def __init__(self, env, log: Path) -> None:
        self.port = free_port()
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, MANAGE, "serve", "--port", str(self.port), "--workers", "1"],
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def health(self) -> dict[str, Any]:
        """The /healthz answer, once it says the installation is healthy."""
        url = f"http://127.0.0.1:{self.port}/healthz"
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    return json.load(response)
            except (urllib.error.URLError, OSError):
                # Refused while starting, or slow to answer its first request on a busy machine.
                time.sleep(0.2)
        raise AssertionError(f"no healthy answer from {url}:\n{self.log.read_text()}")

    def programs(self) -> dict[str, int]:
        """'gunicorn', 'worker' and 'apply_retention' → their process ids."""
        found = {}
        for pid, cmdline in children_of(self.process.pid).items():
            for name in ("gunicorn", "manage.py worker", "apply_retention"):
                if name in cmdline:
                    found[name] = pid
        return found

    def stop(self) -> None:
        """Stop serve as its service manager would, so that it stops its programs too."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def server(own_sqlite, tmp_path):
    started = Server(own_sqlite, tmp_path / "serve.log")
    yield started
    started.stop()


def test_serves_restarts_a_worker_that_dies_and_stops_everything_on_sigterm(server):
    health = server.health()
    assert health["status"] == "ok"
    assert health["database"]["ok"] and health["worker"]["ok"]
    programs = server.programs()
    assert set(programs) == {"gunicorn", "manage.py worker", "apply_retention"}
    assert running(programs["manage.py worker"])

    os.kill(programs["manage.py worker"], signal.SIGKILL)

    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        again = server.programs().get("manage.py worker")
        if again and again != programs["manage.py worker"]:
            break
        time.sleep(0.2)
    else:
        raise AssertionError(f"the worker was not started again:\n{server.log.read_text()}")
    assert server.process.poll() is None
    assert running(programs["gunicorn"])
    assert server.health()["status"] == "ok"
    # Romanian, the default language.
    assert "worker s-a oprit (cod de ieșire 137); este pornit din nou" in server.log.read_text()
    programs = server.programs()
    web_workers = list(children_of(programs["gunicorn"]))
    assert web_workers

    server.process.send_signal(signal.SIGTERM)

    assert server.process.wait(timeout=STOP_TIMEOUT) == 0, server.log.read_text()
    assert wait_until_gone([*programs.values(), *web_workers])
    assert f"http://127.0.0.1:{server.port}/" in server.log.read_text()


def test_stops_everything_and_fails_when_the_web_server_dies(server):
    server.health()
    programs = server.programs()

    os.kill(programs["gunicorn"], signal.SIGKILL)

    assert server.process.wait(timeout=STOP_TIMEOUT) == 128 + signal.SIGKILL
    assert wait_until_gone([programs["manage.py worker"]])
