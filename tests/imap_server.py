"""A real IMAP server for tests: Dovecot, run from a configuration written to a temporary folder.

Everything Dovecot keeps (its sockets, state, log, the maildir of the one test user, the
passwd-file holding that user's plaintext password) lives in that folder; it listens on a free
port of 127.0.0.1 without TLS and accepts plaintext logins there. Run as root, Dovecot's own
unprivileged users (`dovecot`, `dovenull`, created by the Debian package) run its processes and
own the mail; run as anyone else, that user does.
"""

from __future__ import annotations

import contextlib
import ctypes
import grp
import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

USER = "cetate"
PASSWORD = "s3cret@city/hall #1"  # the URL carries it percent-encoded

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# A wrong password is answered at once (tests try one on purpose).
auth_failure_delay = 0
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = {uid}
last_valid_uid = {uid}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd
}}
# Nor is the next login from the same address held back after a wrong one. No process is
# chrooted, which only root may do.
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or next(
        (path for path in ("/usr/sbin/dovecot",) if os.access(path, os.X_OK)), None
    )


def _end_with_the_tests() -> None:
    """In Dovecot's process before it starts: on Linux, it is ended when the test process dies,
    even killed outright, instead of staying behind."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Dovecot:
    """`start()` writes the configuration and waits until the server greets; `stop()` ends it
    and removes its folder."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.root = Path(tempfile.mkdtemp(prefix="cetate-dovecot-"))
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        if os.geteuid() == 0:
            internal, login = pwd.getpwnam("dovecot"), pwd.getpwnam("dovenull")
            mail_owner = internal
        else:
            internal = login = mail_owner = pwd.getpwuid(os.geteuid())
        # Dovecot's unprivileged processes go through this folder to the mail.
        self.root.chmod(0o755)
        mail = self.root / "mail"
        mail.mkdir()
        os.chown(mail, mail_owner.pw_uid, mail_owner.pw_gid)
        (self.root / "passwd").write_text(
            f"{USER}:{{PLAIN}}{PASSWORD}:{mail_owner.pw_uid}:{mail_owner.pw_gid}::{mail}/{USER}::\n"
        )
        config = self.root / "dovecot.conf"
        config.write_text(
            CONFIG.format(
                root=self.root,
                port=self.port,
                uid=mail_owner.pw_uid,
                internal_user=internal.pw_name,
                internal_group=grp.getgrgid(internal.pw_gid).gr_name,
                login_user=login.pw_name,
            )
        )
        self.process = subprocess.Popen(
            [self.binary, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            preexec_fn=_end_with_the_tests,
        )
        self._wait_until_it_answers()

    def _wait_until_it_answers(self, seconds: float = 20) -> None:
        assert self.process is not None
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = self.log()
                self.stop()
                raise RuntimeError(f"Dovecot stopped at start: {log}")
            try:
                with imaplib.IMAP4("127.0.0.1", self.port, timeout=2) as client:
                    client.login(USER, PASSWORD)
                    client.logout()
                return
            except (OSError, imaplib.IMAP4.error):
                time.sleep(0.1)
        log = self.log()
        self.stop()
        raise RuntimeError(f"Dovecot did not answer on 127.0.0.1:{self.port}: {log}")

    def log(self) -> str:
        path = self.root / "dovecot.log"
        stderr = b""
        if self.process is not None and self.process.poll() is not None and self.process.stderr:
            stderr = self.process.stderr.read()
        return stderr.decode(errors="replace") + (path.read_text() if path.exists() else "")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stderr:
            self.process.stderr.close()
        shutil.rmtree(self.root, ignore_errors=True)


def imap_url(server: Dovecot, *, password: str = PASSWORD, folder: str = "INBOX") -> str:
    """The test user's mailbox as `MAIL_IMAP_URL` names it, user and password percent-encoded."""
    user, password = quote(USER, safe=""), quote(password, safe="")
    return f"imap://{user}:{password}@127.0.0.1:{server.port}/{folder}"
