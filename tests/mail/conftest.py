from collections.abc import Iterator

import pytest

from tests.imap_server import Dovecot, dovecot_binary
from tests.smtp_sink import smtp_server  # noqa: F401  (a real SMTP server for the mail's tests)


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
