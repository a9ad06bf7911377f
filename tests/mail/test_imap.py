"""The city's mailbox read over IMAP, against a real Dovecot: each message stored, then filed."""

import imaplib
from collections.abc import Iterator
from email.message import EmailMessage

import imap_tools
import pytest

from cetate.mail.imap import FetchResult, MailboxUnavailable, fetch
from tests.imap_server import PASSWORD, USER, Dovecot, imap_url

pytestmark = pytest.mark.imap


class Mailbox:
    """The test user's mailbox, seen through a plain IMAP client."""

    def __init__(self, server: Dovecot) -> None:
        self.client = imaplib.IMAP4("127.0.0.1", server.port, timeout=10)
        self.client.login(USER, PASSWORD)

    def empty(self) -> None:
        _, count = self.client.select("INBOX")
        if count[0] != b"0":
            self.client.store("1:*", "+FLAGS", r"\Deleted")
            self.client.expunge()
        self.client.delete("Processed")

    def deliver(
        self, subject: str, body: str = "Groapă în asfalt pe strada Mihai Viteazul."
    ) -> bytes:
        message = EmailMessage()
        message["From"] = "Ana Pop <ana.pop@example.ro>"
        message["To"] = "registratura@apulum.ro"
        message["Subject"] = subject
        message.set_content(body)
        raw = message.as_bytes().replace(b"\n", b"\r\n")
        assert self.client.append("INBOX", "", "", raw)[0] == "OK"
        return raw

    def contents(self, folder: str) -> list[tuple[bytes, bool]]:
        """The messages of `folder`, oldest first: their bytes and whether they were read."""
        status, _ = self.client.select(folder, readonly=True)
        if status != "OK":
            return []
        found = []
        _, data = self.client.uid("SEARCH", "ALL")
        for uid in data[0].split():
            _, parts = self.client.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")
            header, raw = parts[0]
            found.append((raw, b"\\Seen" in header))
        return found

    def close(self) -> None:
        self.client.logout()


@pytest.fixture
def mailbox(dovecot: Dovecot) -> Iterator[Mailbox]:
    box = Mailbox(dovecot)
    box.empty()
    yield box
    box.close()


def test_every_message_is_stored_once_then_moved_to_the_processed_folder(dovecot, mailbox):
    sent = [mailbox.deliver(f"Sesizarea {number}") for number in range(3)]
    stored: list[bytes] = []

    result = fetch(imap_url(dovecot), stored.append)

    assert stored == sent  # the exact bytes, oldest first
    assert (len(result.stored), result.failed, result.remaining) == (3, [], 0)
    assert mailbox.contents("INBOX") == []
    assert [raw for raw, _ in mailbox.contents("Processed")] == sent
    # Nothing left to do at the next poll.
    assert fetch(imap_url(dovecot), stored.append) == FetchResult()
    assert len(stored) == 3


def test_a_message_the_storer_refuses_stays_unread_for_the_next_poll(dovecot, mailbox):
    first, refused, last = (mailbox.deliver(f"Sesizarea {n}") for n in "ABC")
    stored: list[bytes] = []

    def store(raw: bytes) -> None:
        if raw == refused:
            raise ValueError("the database is not answering")
        stored.append(raw)

    result = fetch(imap_url(dovecot), store)

    assert stored == [first, last]
    assert (len(result.stored), len(result.failed)) == (2, 1)
    assert mailbox.contents("INBOX") == [(refused, False)]
    assert [raw for raw, _ in mailbox.contents("Processed")] == [first, last]

    fetch(imap_url(dovecot), stored.append)
    assert stored == [first, last, refused]
    assert mailbox.contents("INBOX") == []


def test_a_message_stored_just_before_a_crash_is_offered_again_with_the_same_bytes(
    dovecot, mailbox, monkeypatch
):
    sent = mailbox.deliver("Sesizare")
    stored: list[bytes] = []

    def crash(*args: object, **kwargs: object) -> None:
        raise SystemExit("the worker is stopped")

    with monkeypatch.context() as patch:
        patch.setattr(imap_tools.BaseMailBox, "move", crash)
        with pytest.raises(SystemExit):
            fetch(imap_url(dovecot), stored.append)
    assert stored == [sent]
    assert mailbox.contents("INBOX") == [(sent, False)]

    fetch(imap_url(dovecot), stored.append)
    # Stored twice, byte for byte: the storer knows it by its hash and makes no second case.
    assert stored == [sent, sent]
    assert mailbox.contents("INBOX") == []
    assert len(mailbox.contents("Processed")) == 1


def test_a_limit_leaves_the_rest_for_the_next_poll(dovecot, mailbox):
    sent = [mailbox.deliver(f"Sesizarea {number}") for number in range(3)]
    stored: list[bytes] = []

    result = fetch(imap_url(dovecot), stored.append, limit=2)

    assert stored == sent[:2]
    assert result.remaining == 1
    assert [raw for raw, _ in mailbox.contents("INBOX")] == sent[2:]


def test_a_refused_login_or_a_missing_folder_is_said_plainly(dovecot, mailbox):
    mailbox.deliver("Sesizare")
    stored: list[bytes] = []

    with pytest.raises(MailboxUnavailable) as refused:
        fetch(imap_url(dovecot, password="wrong"), stored.append)
    assert str(refused.value) == (
        "The mail server 127.0.0.1 refused the user name or password in MAIL_IMAP_URL."
    )

    with pytest.raises(MailboxUnavailable, match="has no folder Sesizari"):
        fetch(imap_url(dovecot, folder="Sesizari"), stored.append)

    closed_port = imap_url(dovecot).replace(f":{dovecot.port}/", ":1/")
    with pytest.raises(MailboxUnavailable) as unreachable:
        fetch(closed_port, stored.append)
    assert str(unreachable.value).startswith("Cannot reach the mail server 127.0.0.1:1: ")

    assert stored == []
    assert len(mailbox.contents("INBOX")) == 1


def test_the_mailbox_is_never_read_inside_a_database_transaction(db):
    # The test runs inside a transaction, as a caller that forgot to close one would.
    with pytest.raises(RuntimeError, match="outside any transaction"):
        fetch("imap://cetate:x@127.0.0.1:1/INBOX", lambda raw: None)


# The mailbox is read outside any transaction, as in production.
@pytest.mark.django_db(transaction=True)
def test_fetch_mail_makes_each_message_of_the_mailbox_a_case(dovecot, mailbox, settings):
    from io import StringIO

    from django.core.management import call_command

    from cetate.cases.models import Case
    from cetate.mail.models import InboundMessage

    settings.MAIL_IMAP_URL = imap_url(dovecot)
    mailbox.deliver("Groapă pe strada Mihai Viteazul")
    out = StringIO()

    call_command("fetch_mail", stdout=out)

    assert "1 messages stored and filed; 0 could not be stored" in out.getvalue()
    (case,) = Case.objects.all()
    assert case.channel == "email"
    assert "Groapă în asfalt pe strada Mihai Viteazul." in case.description
    assert InboundMessage.objects.get().case == case
    assert mailbox.contents("INBOX") == []
    assert len(mailbox.contents("Processed")) == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_reads_the_mailbox_and_waits_out_one_it_cannot_reach(
    dovecot, mailbox, settings, caplog
):
    from cetate.cases.models import Case
    from cetate.ops.worker import read_mailbox

    mailbox.deliver("Felinar stins")
    settings.MAIL_IMAP_URL = imap_url(dovecot, password="gresita")
    assert read_mailbox() is False
    assert "mailbox not read" in caplog.text
    assert mailbox.contents("INBOX")  # still waiting on the server

    settings.MAIL_IMAP_URL = imap_url(dovecot)
    assert read_mailbox() is True
    assert Case.objects.filter(channel="email").count() == 1
