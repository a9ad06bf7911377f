"""The rate limits of `serve`'s web processes: one count per client, whichever process answers."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings

MANAGE = str(settings.BASE_DIR / "manage.py")
# Tracking pages one address may ask for in a minute (cetate/portal/views.py).
TRACK_REQUESTS_PER_MINUTE = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (our server)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_for(url: str, process: subprocess.Popen[bytes], log) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            urllib.request.urlopen(url, timeout=5).close()  # noqa: S310 (our server)
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise AssertionError(log.read_text())


def test_guesses_spread_over_several_web_processes_meet_one_limit(own_sqlite, tmp_path):
    env = dict(own_sqlite)
    env.pop("CACHE_URL", None)
    port, log = free_port(), tmp_path / "serve.log"
    server = subprocess.Popen(
        [sys.executable, MANAGE, "serve", "--port", str(port), "--workers", "3"],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/healthz", server, log)
        # The limit counts per clock minute: begin early in one, so that all fall in it.
        if time.time() % 60 > 50:
            time.sleep(62 - time.time() % 60)
        # Wrong tracking codes from one address, many at once so that every process answers.
        urls = [f"{base}/t/AAAAAAA{n:03d}" for n in range(3 * TRACK_REQUESTS_PER_MINUTE)]
        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(pool.map(status_of, urls))
    finally:
        server.terminate()
        server.wait(timeout=30)
    # Each process counting on its own would have let up to three times the limit through.
    assert statuses.count(404) == TRACK_REQUESTS_PER_MINUTE, statuses
    assert statuses.count(429) == 2 * TRACK_REQUESTS_PER_MINUTE
