from collections.abc import Iterator
from urllib.parse import quote

import pytest

from tests.imap_server import PASSWORD, USER, Dovecot, dovecot_binary


@pytest.fixture(scope="session")
def _dovecot() -> Iterator[Dovecot | None]:
    """One Dovecot for the session, started at the first test that needs it."""
    binary = dovecot_binary()
    if binary is None:
        yield None
        return
    server = Dovecot(binary)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def dovecot(_dovecot: Dovecot | None) -> Dovecot:
    if _dovecot is None:
        pytest.skip("needs Dovecot (Debian package dovecot-imapd): no `dovecot` binary")
    return _dovecot


def imap_url(server: Dovecot, *, password: str = PASSWORD, folder: str = "INBOX") -> str:
    return (
        f"imap://{quote(USER, safe='')}:{quote(password, safe='')}@127.0.0.1:{server.port}/{folder}"
    )
