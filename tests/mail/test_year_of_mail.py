"""A year of the city's mailbox, replayed hour by hour: new letters from many residents in every
character set, with photos and files; their replies to the receipts Cetate sent them (the real
outgoing mail, taken from the outbox); out-of-office answers and delivery failures; another
system's auto-responder that answers everything, started on a dozen days; redeliveries of mail
already received; broken and unanswerable messages. Nothing escapes, nothing is lost, every
message is decided once, a reply is never answered and the loop is held to its hourly limit."""

from __future__ import annotations

import heapq
import io
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from PIL import Image

from cetate.cases.mail_identity import thread_id
from cetate.cases.models import Case
from cetate.mail.models import InboundMessage, Outcome
from cetate.mail.pipeline import receive
from cetate.outbox.sending import send_due

pytestmark = pytest.mark.slow

CITY = ZoneInfo("Europe/Bucharest")
START = datetime(2026, 1, 5, 8, 0, tzinfo=CITY)
LOOP_LIMIT = 5
NEW_LETTERS = 300
SENDERS = 250
LIST_MAIL = 1150
BROKEN = 240
ROBOT_EPISODES = 10
ROBOT = "comenzi@robot.example.com"
CITY_ADDRESS = "registratura@apulum.ro"
DOMAINS = ("example.org", "example.ro", "mail.example.com", "posta.example.ro")

FIRST = ("Ion", "Maria", "Ștefan", "Ioana", "Mihai", "Elena", "Tudor", "Alina", "Radu", "Ana")
LAST = ("Popescu", "Mureșan", "Lazăr", "Țurcanu", "Bărbulescu", "Dumitru", "Șerban", "Iancu")
STREETS = ("Unirii", "Mihai Viteazul", "Bărăbanț", "Tudor Vladimirescu", "Revoluției 1989")
PROBLEMS = (
    "o groapă adâncă în carosabil, în care s-au rupt deja două roți",
    "un stâlp de iluminat care nu mai funcționează de o săptămână",
    "gunoiul neridicat de două săptămâni, lângă școală",
    "un copac uscat care stă să cadă peste mașini",
    "un canal înfundat; apa stă în stradă după fiecare ploaie",
    "o bancă ruptă în parc, cu cuie ieșite în afară",
)
# Legacy 8-bit sets have Romanian's letters with a cedilla only.
CEDILLA = str.maketrans("șțȘȚ", "şţŞŢ")


@dataclass(order=True)
class Delivery:
    at: datetime
    seq: int
    raw: bytes = field(compare=False)
    # The outcome expected, or a function of the moment deciding it (the loop's limit).
    expect: str | Callable[[], str] = field(compare=False)
    kind: str = field(compare=False)
    snippet: str = field(default="", compare=False)


@dataclass
class Mailbox:
    """The stream still to come, in time order, and what became of what came."""

    rng: random.Random
    queue: list[Delivery] = field(default_factory=list)
    seq: int = 0
    outcomes: list[tuple[Delivery, str, str | None]] = field(default_factory=list)
    robot_cases: list[datetime] = field(default_factory=list)
    sent: list[tuple[datetime, EmailMessage]] = field(default_factory=list)

    def at(self, when: datetime, raw: bytes, expect, kind: str, snippet: str = "") -> None:
        self.seq += 1
        heapq.heappush(self.queue, Delivery(when, self.seq, raw, expect, kind, snippet))


def jpeg(rng: random.Random) -> bytes:
    image = Image.new("RGB", (rng.randint(240, 400), rng.randint(200, 300)), (90, 90, 95))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=60)
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 40, 40)).save(out, "PNG")
    return out.getvalue()


def new_letter(rng: random.Random, sender: tuple[str, str], when: datetime) -> tuple[bytes, str]:
    """A resident's letter, in one of the ways mail programs write it; (bytes, a line of it)."""
    name, address = sender
    street, problem = rng.choice(STREETS), rng.choice(PROBLEMS)
    line = f"Pe strada {street} nr. {rng.randint(1, 99)} este {problem}."
    text = f"Bună ziua,\n\n{line}\nVă rog să interveniți.\n\nCu stimă,\n{name}\n"
    subject = f"Sesizare: strada {street}"
    charset = rng.choice(["utf-8", "utf-8", "utf-8", "iso-8859-2", "windows-1250"])
    if charset != "utf-8":
        text, line, subject = (s.translate(CEDILLA) for s in (text, line, subject))
    message = EmailMessage()
    message["From"] = f"{name} <{address}>"
    message["To"] = CITY_ADDRESS
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = make_msgid(domain=address.split("@")[1])
    shape = rng.random()
    if shape < 0.1:
        html = "<html><body>" + "".join(f"<p>{p}</p>" for p in text.split("\n") if p)
        message.set_content(html + "<script>alert(1)</script></body></html>", subtype="html")
    else:
        cte = rng.choice(["quoted-printable", "base64", "8bit"])
        message.set_content(text, charset=charset, cte=cte)
    if rng.random() < 0.15:
        message.add_attachment(
            jpeg(rng),
            maintype="image",
            subtype="jpeg",
            filename=f"IMG_{rng.randint(1000, 9999)}.jpg",
        )
    if rng.random() < 0.05:
        message.add_attachment(png(), maintype="image", subtype="png", filename="schita.png")
        message.add_attachment(
            b"PK\x03\x04 not a photo",
            maintype="application",
            subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
            filename="cerere.docx",
        )
    return message.as_bytes(), line


def answer_to(sent: EmailMessage, *, sender: str, subject: str, body: str, **headers) -> bytes:
    """A message answering Cetate's `sent`, as the resident's side writes it."""
    reply = EmailMessage(policy=policy.SMTP)
    reply["From"] = sender
    reply["Subject"] = f"{subject}{sent['Subject']}"
    reply["Message-ID"] = make_msgid(domain="example.org")
    reply["Date"] = format_datetime(datetime.now(CITY))
    for name, value in headers.items():
        reply[name.replace("_", "-")] = value
    reply.set_content(body)
    return reply.as_bytes()


def broken(rng: random.Random, when: datetime, n: int) -> tuple[bytes, str]:
    """Mail nobody can answer or read: (bytes, expected outcome)."""
    kind = n % 4
    if kind == 0:  # a multipart whose boundary is never given
        return (
            f"From: Ion Pop <ion.pop.{n}@example.org>\r\nTo: {CITY_ADDRESS}\r\n"
            f"Subject: Sesizare\r\nMessage-ID: <broken-{n}@example.org>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nGroapa."
            "\r\n--x--\r\n"
        ).encode(), Outcome.QUARANTINED
    if kind == 1:  # no From
        return (
            f"To: {CITY_ADDRESS}\r\nSubject: Scanned document\r\n"
            f"Message-ID: <scan-{n}@mfp.example.org>\r\nDate: {format_datetime(when)}\r\n\r\n"
            "Cerere scanată.\r\n"
        ).encode(), Outcome.QUARANTINED
    if kind == 2:  # no name to register the petition under
        return (
            f"From: vecin.{n}@example.org\r\nTo: {CITY_ADDRESS}\r\nSubject: Zgomot\r\n"
            f"Message-ID: <nameless-{n}@example.org>\r\n\r\nVecinii fac zgomot noaptea.\r\n"
        ).encode(), Outcome.QUARANTINED
    # Bytes that are no message at all.
    return bytes(rng.getrandbits(8) for _ in range(300)), Outcome.QUARANTINED


def list_mail(rng: random.Random, when: datetime, n: int) -> bytes:
    message = EmailMessage()
    message["From"] = "Furnizor Mobilier Urban <noutati@furnizor.example.ro>"
    message["To"] = CITY_ADDRESS
    message["Subject"] = f"Catalog nr. {n}: bănci și coșuri de gunoi"
    message["Message-ID"] = f"<news-{n}@furnizor.example.ro>"
    message["Date"] = format_datetime(when)
    if n % 2:
        message["Precedence"] = "bulk"
    else:
        message["List-Id"] = "Cartier Cetate <cartier-cetate.lists.example.ro>"
    message.set_content("Stimați clienți, noul catalog este aici.")
    return message.as_bytes()


def bounce_of(sent: EmailMessage, n: int) -> bytes:
    recipient = sent["To"]
    report = (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
        f"To: {CITY_ADDRESS}\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: <bounce-{n}@mx.example.org>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n"
        "--b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org"
        f"\r\n\r\nFinal-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "--b\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {sent['Message-ID']}\r\nTo: {recipient}\r\n--b--\r\n"
    )
    return report.encode()


def test_a_year_of_mail(city, settings, django_capture_on_commit_callbacks, mailoutbox):
    settings.DEFAULT_FROM_EMAIL = f"Primăria <{CITY_ADDRESS}>"
    settings.MAIL_REPLY_ADDRESS = ""
    settings.SITE_URL = "https://cetate.apulum.ro"
    settings.MAIL_LOOP_LIMIT = LOOP_LIMIT
    # Mail waits in the outbox and the worker's step sends it, as in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    rng = random.Random(2026)
    box = Mailbox(rng)
    year = 365 * 24 * 60

    def moment() -> datetime:
        return START + timedelta(minutes=rng.randrange(year))

    senders = [
        (f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"locuitor{n}@{rng.choice(DOMAINS)}")
        for n in range(SENDERS)
    ]
    for _ in range(NEW_LETTERS):
        when = moment()
        raw, line = new_letter(rng, rng.choice(senders), when)
        box.at(when, raw, Outcome.CASE, "letter", line)
    for n in range(LIST_MAIL):
        when = moment()
        box.at(when, list_mail(rng, when, n), Outcome.AUTO_REPLY, "list")
    for n in range(BROKEN):
        when = moment()
        raw, expected = broken(rng, when, n)
        box.at(when, raw, expected, "broken")
    for n in range(ROBOT_EPISODES):
        when = moment()
        box.at(when, robot_message(f"Comanda {n}", when), robot_expectation(box, when), "robot")

    with time_machine.travel(START, tick=False) as traveller:
        while box.queue:
            delivery = heapq.heappop(box.queue)
            traveller.move_to(delivery.at)
            expected = delivery.expect() if callable(delivery.expect) else delivery.expect
            with django_capture_on_commit_callbacks(execute=True):
                result = receive(delivery.raw, source=rng.choice(["pipe", "imap"]))
            box.outcomes.append((delivery, str(result.outcome), expected))
            if result.outcome == Outcome.CASE and delivery.kind == "robot":
                box.robot_cases.append(delivery.at)
            if delivery.kind != "duplicate" and rng.random() < 0.07:
                # The sender's server delivers it again, not knowing it was received.
                later = delivery.at + timedelta(minutes=rng.randint(1, 600))
                box.at(later, delivery.raw, Outcome.DUPLICATE, "duplicate")
            if result.outcome == Outcome.CASE:
                for sent in worker_sends(django_capture_on_commit_callbacks, mailoutbox):
                    box.sent.append((delivery.at, sent))
                    answer_the_receipt(box, sent, delivery.at)
        # Whatever else was owed goes out now, to be counted below.
        box.sent += [
            (delivery.at, sent)
            for sent in worker_sends(django_capture_on_commit_callbacks, mailoutbox)
        ]

    wrong = [(d.kind, d.raw[:120], got, want) for d, got, want in box.outcomes if got != str(want)]
    assert wrong == [], f"{len(wrong)} unexpected outcomes, the first: {wrong[:3]}"
    counts = Counter(got for _d, got, _w in box.outcomes)
    kinds = Counter(d.kind for d, _g, _w in box.outcomes)
    assert sum(counts.values()) > 2000, counts
    assert min(kinds.values()) >= 10, kinds  # every kind of mail came, more than a few times
    # No message lost: every delivery but a duplicate is a row, decided once.
    assert InboundMessage.objects.count() == len(box.outcomes) - counts[Outcome.DUPLICATE]
    assert not InboundMessage.objects.filter(outcome="").exists()
    stored = Counter(InboundMessage.objects.values_list("outcome", flat=True))
    assert stored == Counter({k: v for k, v in counts.items() if k != Outcome.DUPLICATE})
    assert Case.objects.count() == counts[Outcome.CASE]
    # Only the receipt of each new case went out: nothing answered a reply, an automatic
    # message, a bounce or the loop.
    sent_ids = sorted(str(mail["Message-ID"]) for _at, mail in box.sent)
    assert sent_ids == sorted(thread_id(case) for case in Case.objects.all())
    assert all(mail["Auto-Submitted"] == "auto-replied" for _at, mail in box.sent)
    # The loop is held: never more than the limit of mails to the robot within an hour.
    to_robot = [at for at, mail in box.sent if mail["To"] == ROBOT]
    assert len(to_robot) == LOOP_LIMIT * ROBOT_EPISODES
    for at in to_robot:
        assert sum(at - timedelta(hours=1) < other <= at for other in to_robot) <= LOOP_LIMIT
    # What each resident wrote reads on their case, whatever the character set.
    descriptions = {
        message_id: description
        for message_id, description in InboundMessage.objects.filter(
            outcome=Outcome.CASE
        ).values_list("message_id", "case__description")
    }
    for delivery, got, _want in box.outcomes:
        if delivery.kind == "letter" and got == Outcome.CASE:
            message_id = message_from_bytes(delivery.raw)["Message-ID"]
            assert delivery.snippet in descriptions[message_id]


def worker_sends(capture, mailoutbox) -> list[EmailMessage]:
    """The worker's send step until nothing is due; the mail sent, as it left."""
    with capture(execute=True):
        while send_due(limit=20):
            pass
    sent = [message_from_bytes(m.message().as_bytes(), policy=policy.default) for m in mailoutbox]
    mailoutbox.clear()
    return sent


def robot_message(subject: str, when: datetime) -> bytes:
    """The auto-responder of another system, answering whatever reaches it with a new message
    to the city's address, without any mark of being automatic."""
    message = EmailMessage()
    message["From"] = f"Robot Comenzi <{ROBOT}>"
    message["To"] = CITY_ADDRESS
    message["Subject"] = f"Am primit mesajul dumneavoastră: {subject}"
    message["Message-ID"] = make_msgid(domain="robot.example.com")
    message["Date"] = format_datetime(when)
    message.set_content("Mulțumim! Mesajul a fost primit și va fi procesat.")
    return message.as_bytes()


def robot_expectation(box: Mailbox, when: datetime) -> Callable[[], str]:
    def expected() -> str:
        recent = [at for at in box.robot_cases if at >= when - timedelta(hours=1)]
        return Outcome.CASE if len(recent) < LOOP_LIMIT else Outcome.LOOP

    return expected


def answer_the_receipt(box: Mailbox, sent: EmailMessage, at: datetime) -> None:
    """What comes back of a receipt: the robot answers, a resident may reply, be away, or
    have an address that no longer works."""
    rng = box.rng
    to = str(sent["To"])
    if to == ROBOT:
        when = at + timedelta(minutes=rng.randint(1, 3))
        box.at(
            when, robot_message(str(sent["Subject"]), when), robot_expectation(box, when), "robot"
        )
        return
    resident = f"Locuitor <{to}>"
    draw = rng.random()
    if draw < 0.4:
        when = at + timedelta(hours=rng.randint(1, 24 * 20))
        signed = rng.random() < 0.7
        raw = answer_to(
            sent,
            sender=resident,
            subject="Re: ",
            body="Revin: problema nu este rezolvată, vă rog să veniți.\n\n> " + sent["Subject"],
            To=sent["Reply-To"] if signed else CITY_ADDRESS,
            In_Reply_To=sent["Message-ID"],
            References=sent["Message-ID"],
        )
        box.at(when, raw, Outcome.REPLY, "reply")
    elif draw < 0.55:
        when = at + timedelta(seconds=rng.randint(5, 300))
        mark = rng.choice(
            [{"Auto_Submitted": "auto-replied"}, {"X_Autoreply": "yes"}, {"Precedence": "junk"}]
        )
        raw = answer_to(
            sent,
            sender=resident,
            subject="Răspuns automat: ",
            body="Sunt în concediu până luni.",
            To=CITY_ADDRESS,
            In_Reply_To=sent["Message-ID"],
            **mark,
        )
        box.at(when, raw, Outcome.AUTO_REPLY, "out-of-office")
    elif draw < 0.61:
        when = at + timedelta(seconds=rng.randint(5, 120))
        box.at(when, bounce_of(sent, box.seq), Outcome.BOUNCE, "bounce")
