"""Cetate's web server as a real process, and a resident's browser sending it the report form
over plain HTTP: for tests that restart the database under it or flood it."""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings

from cetate.test import INSIDE

MANAGE = str(settings.BASE_DIR / "manage.py")
STARTUP_SECONDS = 60
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NUMBER = re.compile(r"Registered under number (\d+)/(\d{4})")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def client_address(index: int) -> str:
    """A loopback address of its own for each submission, as residents each have theirs: the
    per-address limit of the report form then never refuses a test's submissions."""
    return f"127.0.{1 + index // 250}.{1 + index % 250}"


def prepare_city(env: dict[str, str]) -> None:
    """Migrate the database `env` names and load the small test city into it."""
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "from django.db import transaction\n"
        "from django.test.utils import override_settings\n"
        "from cetate.test import make_city\n"
        "call_command('migrate', interactive=False, verbosity=0)\n"
        "fast = ['django.contrib.auth.hashers.MD5PasswordHasher']\n"
        "with override_settings(PASSWORD_HASHERS=fast), transaction.atomic():\n"
        "    make_city()\n"
    )
    env = {**env, "DJANGO_SETTINGS_MODULE": "cetate.settings"}
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=300)


class Server:
    """A command serving Cetate on `port`, its output in `log`."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path, port: int) -> None:
        self.port = port
        self.log = log
        self.process = subprocess.Popen(
            argv, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=settings.BASE_DIR
        )

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/healthz")
                connection.getresponse().read()
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"no answer on port {self.port}:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Answer:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)


class Browser:
    """One resident's browser: its cookies, the form's CSRF token, English pages."""

    def __init__(self, port: int, *, address: str = "127.0.0.1", timeout: float = 60) -> None:
        self.port = port
        self.address = address
        self.timeout = timeout
        # English, as chosen with the language switch: the texts looked for are English.
        self.cookies: dict[str, str] = {settings.LANGUAGE_COOKIE_NAME: "en"}
        self.token = ""

    def request(self, method: str, path: str, fields: dict[str, str] | None = None) -> Answer:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=self.timeout, source_address=(self.address, 0)
        )
        headers: dict[str, str] = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(
                status=response.status,
                body=response.read().decode(),
                headers={name.lower(): value for name, value in response.getheaders()},
            )
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie_name, _, rest = value.partition("=")
                    answer.cookies[cookie_name] = rest.split(";", 1)[0]
        finally:
            connection.close()
        self.cookies.update(answer.cookies)
        return answer

    def open_report_form(self) -> None:
        page = self.request("GET", "/report/")
        assert page.status == 200, page.body[:500]
        found = TOKEN.search(page.body)
        assert found, "no CSRF token on the report form"
        self.token = found.group(1)

    def send_report(self, fields: dict[str, str], *, address: str | None = None) -> Answer:
        """Post the report form, from `address` when given."""
        if address is not None:
            self.address = address
        return self.request("POST", "/report/", {**fields, "csrfmiddlewaretoken": self.token})

    def receipt_number(self) -> int:
        """The registration number the receipt page shows this browser."""
        page = self.request("GET", "/report/sent/")
        assert page.status == 200, page.body[:500]
        found = NUMBER.search(unescape(page.body))
        assert found, page.body[:500]
        return int(found.group(1))


def pothole_fields(category_id: int, description: str) -> dict[str, str]:
    """An anonymous pothole report with a pin inside the city, sent even with others nearby."""
    return {
        "kind": "report",
        "category": str(category_id),
        "description": description,
        "latitude": str(INSIDE["latitude"]),
        "longitude": str(INSIDE["longitude"]),
        "answer_channel": "email",
        "step": "send_anyway",
    }
