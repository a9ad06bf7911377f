"""Request bodies larger than their page accepts: refused with 413 before they are read, in
the page's language and the interface's shape; bodies without a length read only up to it."""

import io
import json
import os
import socket
import subprocess
import sys
import time
import wsgiref.util

import pytest

from cetate.cases.models import Case
from cetate.open311.keys import create_key
from cetate.wsgi import application
from tests.open311.conftest import parse_xml

HUGE = 300 * 1024 * 1024
# The test client's body raises if read beyond what it holds: a refusal that read the declared
# 300 MB would fail loudly.
SMALL_BODY = b"description=x"


def sending(client, path, length, **extra):
    """A form of `length` bytes, sent whole."""
    body = b"description=" + b"x" * (length - len(b"description="))
    return client.generic(
        "POST", path, body, content_type="application/x-www-form-urlencoded", **extra
    )


def claiming(client, path, length, **extra):
    """A form declaring `length` bytes: a page that reads it fails."""
    return client.generic(
        "POST",
        path,
        SMALL_BODY,
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(length),
        **extra,
    )


@pytest.fixture
def limits(settings):
    settings.REQUEST_BODY_MAX_BYTES = 10_000
    settings.ATTACHMENT_MAX_BYTES = 50_000
    return settings


def test_a_huge_report_is_refused_before_it_is_read(client, db):
    response = claiming(client, "/report/", HUGE)
    assert response.status_code == 413
    assert '<html lang="ro">' in response.content.decode()  # the resident's language
    response = claiming(client, "/report/", HUGE, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode().replace("\xa0", " ")
    assert "What you sent is too large: this address accepts at most 52.0 MB." in page
    assert "at most 5, each of at most 10.0 MB" in page
    assert not Case.objects.exists()


def test_each_page_has_its_own_limit(client, city, limits):
    # A page without files: its form's fields only.
    assert claiming(client, "/login/", 10_001).status_code == 413
    assert claiming(client, "/t/ABCD/follow/", 10_001).status_code == 413
    # Pages that receive files: as many files as they take, and the fields.
    assert sending(client, "/report/", 10_001).status_code == 200
    assert claiming(client, "/report/", 5 * 50_000 + 10_000 + 1).status_code == 413
    client.force_login(city.dispatcher)
    case = city.report()
    card = f"/console/cases/{case.pk}/"
    assert sending(client, card, 50_000 + 10_000).status_code == 400  # no action named
    assert claiming(client, card, 50_000 + 10_000 + 1).status_code == 413
    assert claiming(client, "/console/desk/", 5 * 50_000 + 10_000 + 1).status_code == 413


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_answers_in_the_format_asked(client, db, fmt):
    response = claiming(client, f"/open311/v2/requests.{fmt}", HUGE, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    if fmt == "json":
        [error] = json.loads(response.content)
        description = error["description"]
        assert error["code"] == 413
    else:
        root = parse_xml(response.content)
        assert root.tag == "errors"
        description = root.findtext("error/description")
        assert root.findtext("error/code") == "413"
    assert description.startswith("What you sent is too large")


def test_the_api_answers_in_its_error_shape(client, db):
    response = claiming(client, "/api/v1/cases/", HUGE, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    [error] = response.json()["errors"]
    assert error["code"] == "too_large" and error["field"] is None
    assert "at most 2.0\xa0MB" in error["message"]


class Endless(io.RawIOBase):
    """A client sending a body without a length that never ends; counts what is read."""

    def __init__(self) -> None:
        self.sent = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"x" * len(buffer)
        self.sent += len(buffer)
        return len(buffer)


def chunked(path: str, body, query: str = ""):
    """What a server such as gunicorn hands over for a body sent in chunks: no length, and the
    promise that reading stops at its end."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "HTTP_ACCEPT_LANGUAGE": "en",
        "wsgi.input": body,
        "wsgi.input_terminated": True,
        "wsgi.errors": sys.stderr,
    }
    wsgiref.util.setup_testing_defaults(environ)
    answer: dict[str, str] = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = status

    content = b"".join(application(environ, start_response))
    return answer["status"], content


@pytest.mark.django_db
def test_a_body_without_a_length_is_read_only_up_to_the_limit(limits, connection_kept):
    body = Endless()
    status, content = chunked("/open311/v2/requests.json", io.BufferedReader(body))
    assert status.startswith("413")
    assert b"What you sent is too large" in content
    limit = 50_000 + 10_000
    assert limit < body.sent <= limit + 64 * 1024 + 8192


@pytest.mark.django_db
def test_a_body_without_a_length_within_the_limit_is_received(city, connection_kept):
    _key, raw = create_key("Chunked client")
    form = (
        f"api_key={raw}&service_code=roads.pothole&lat=46.07&long=23.58"
        "&description=Groap%C4%83+trimis%C4%83+%C3%AEn+buc%C4%83%C8%9Bi"
    )
    status, content = chunked("/open311/v2/requests.json", io.BytesIO(form.encode()))
    assert status.startswith("201"), content
    assert Case.objects.get().description == "Groapă trimisă în bucăți"


@pytest.fixture
def served(tmp_path):
    """Cetate under gunicorn, as `serve` runs it, with 1 MB files and 1 MB of fields; the
    pages tried here touch no database."""
    env = {
        **os.environ,
        "CETATE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cetate.sqlite3'}",
        "ATTACHMENT_MAX_MB": "1",
        "REQUEST_BODY_MAX_MB": "1",
    }
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (tmp_path / "gunicorn.log").open("w")
    command = ["gunicorn", "cetate.wsgi", f"--bind=127.0.0.1:{port}", "--workers=1", "--threads=2"]
    server = subprocess.Popen(
        [sys.executable, "-m", *command],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.1)
    yield port
    server.kill()
    server.wait()
    log.close()


def reply_to(port: int, head: bytes, body: bytes = b"") -> bytes:
    """The answer's status line, headers and its first chunk of body."""
    reply = b""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as connection:
        connection.sendall(head + body)
        while b"\r\n\r\n" not in reply or reply.endswith(b"\r\n\r\n"):
            received = connection.recv(65536)
            if not received:
                break
            reply += received
    return reply


@pytest.mark.own_sqlite
def test_the_server_answers_before_the_body_is_sent(served):
    head = (
        b"POST /open311/v2/requests.json HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Accept-Language: en\r\nContent-Type: multipart/form-data; boundary=x\r\n"
        b"Content-Length: 314572800\r\n\r\n"
    )
    # Not one byte of the 300 MB is sent: the answer cannot have waited for them.
    reply = reply_to(served, head)
    assert reply.startswith(b"HTTP/1.1 413"), reply[:300]
    assert b"What you sent is too large" in reply


@pytest.mark.own_sqlite
def test_the_server_stops_reading_a_chunked_body_at_the_limit(served):
    head = (
        b"POST /open311/v2/requests.json HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"%x\r\n" % 65536 + b"x" * 65536 + b"\r\n"
    reply = reply_to(served, head, chunk * 48 + b"0\r\n\r\n")  # 3 MB, the limit being 2
    assert reply.startswith(b"HTTP/1.1 413"), reply[:300]
