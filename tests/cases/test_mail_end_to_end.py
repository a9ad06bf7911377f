"""A case's whole life as the resident's mailbox sees it, through a real SMTP server: every
message carries the number, the tracking link, and threads under the first one."""

import re
from datetime import datetime, timedelta
from email.header import decode_header, make_header
from urllib.parse import urlsplit

import time_machine

from cetate.cases import services
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.mail_identity import references_in, thread_id
from cetate.cases.models import Case
from cetate.cases.workflow import Action
from cetate.test import GRANTED

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=CITY_TZ)


def plain_text(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def a_case_to_its_answer(city, settings, smtp_sink, capture_on_commit):
    """Register, route, accept, start, wait, resume, extend, write, resolve, over five days,
    through a real SMTP server. Returns the case and the server's inbox."""
    controller, inbox = smtp_sink
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    officer = city.officer

    def step(hours: int, change):  # at T0 + hours, committed as a request would be
        with (
            time_machine.travel(T0 + timedelta(hours=hours), tick=False),
            capture_on_commit(execute=True),
        ):
            change()

    holder: dict[str, Case] = {}
    step(0, lambda: holder.update(case=city.report()))
    case = holder["case"]
    pk = case.pk
    step(1, lambda: services.assign(case_id=pk, actor=city.dispatcher, department=city.technical))
    step(2, lambda: services.accept(case_id=pk, actor=officer))
    step(3, lambda: services.change_status(case_id=pk, actor=officer, action=Action.START))
    step(
        24,
        lambda: services.change_status(
            case_id=pk, actor=officer, action=Action.WAIT, text="Trimiteți o fotografie."
        ),
    )
    step(48, lambda: services.change_status(case_id=pk, actor=officer, action=Action.RESUME))
    step(
        72,
        lambda: services.extend_deadline(
            case_id=pk, actor=city.head, days=15, notice="Avem nevoie de avizul drumurilor."
        ),
    )
    step(
        96,
        lambda: services.message_resident(case_id=pk, actor=officer, text="Echipa vine joi."),
    )
    step(
        120,
        lambda: services.change_status(
            case_id=pk,
            actor=officer,
            action=Action.RESOLVE,
            text="Groapa a fost astupată.",
            decision=GRANTED,
        ),
    )

    return case, inbox


def test_the_resident_is_told_at_every_step_in_one_thread(
    city, settings, smtp_sink, django_capture_on_commit_callbacks
):
    case, inbox = a_case_to_its_answer(
        city, settings, smtp_sink, django_capture_on_commit_callbacks
    )
    received = inbox.messages
    bodies = [plain_text(message) for message in received]
    # Registration, start of work, waiting, resumption, extension, message, resolution:
    # routing and acceptance are internal.
    assert len(received) == 7
    for text in (
        "Trimiteți o fotografie.",
        "Avem nevoie de avizul drumurilor.",
        "Echipa vine joi.",
        "Groapa a fost astupată.",
    ):
        assert sum(text in body for body in bodies) == 1, text
    thread = received[0]["Message-ID"]
    assert thread == thread_id(case)
    assert references_in(thread)[0].signed
    assert received[0]["In-Reply-To"] is None
    ids = {message["Message-ID"] for message in received}
    assert len(ids) == len(received)
    tracking = f"{settings.SITE_URL}/t/{case.tracking_code}"
    for message, body in zip(received, bodies, strict=True):
        assert message["To"] == "ion@example.org"
        assert case.number in str(make_header(decode_header(message["Subject"])))
        assert tracking in body
        if message is not received[0]:
            assert message["In-Reply-To"] == thread
            assert message["References"] == thread
    # Each message recorded as sent, once, on the case's history.
    assert case.events.filter(kind="notification_sent").count() == 7


def test_the_resident_says_it_is_not_solved_and_the_case_comes_back(
    city, client, settings, smtp_sink, django_capture_on_commit_callbacks
):
    case, inbox = a_case_to_its_answer(
        city, settings, smtp_sink, django_capture_on_commit_callbacks
    )
    resolution = plain_text(inbox.messages[-1])
    [link] = re.findall(r"http\S+/feedback/not-resolved/", resolution)
    assert re.findall(r"http\S+/feedback/satisfied/", resolution)
    path = urlsplit(link).path

    assert client.get(path).status_code == 200  # a mail scanner opening it changes nothing
    assert Case.objects.get(pk=case.pk).status == "resolved"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"answer": "not_resolved", "comment": "Groapa e tot acolo."})

    reopened = Case.objects.get(pk=case.pk)
    assert (reopened.status, reopened.feedback) == ("in_progress", "")
    told = inbox.messages[-1]
    assert len(inbox.messages) == 8
    assert told["In-Reply-To"] == inbox.messages[0]["Message-ID"]
    assert "Groapa e tot acolo." in plain_text(told)
