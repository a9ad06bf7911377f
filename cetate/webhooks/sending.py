"""One attempt at a delivery: claim it, post it, record what the receiver answered.

No transaction is held while the receiver is being asked (up to WEBHOOK_TIMEOUT_SECONDS):
the claim moves the delivery's next attempt into the future, so a second job for the same
delivery does nothing meanwhile, and the answer is recorded in a transaction of its own.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import ssl
import threading
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cetate.webhooks.models import Delivery
from cetate.webhooks.outbox import queue_attempt
from cetate.webhooks.payload import payload
from cetate.webhooks.signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signature
from cetate.webhooks.targets import RefusedTarget, Target, resolve

BACKOFF_CAP_MINUTES = 60
RESPONSE_EXCERPT = 500


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: 1, 2, 4, 8 … minutes, at most
    an hour."""
    return timedelta(minutes=min(2 ** (attempts - 1), BACKOFF_CAP_MINUTES))


@dataclass(frozen=True)
class Claim:
    delivery_id: int
    url: str
    secret: str
    kind: str
    body: bytes


@dataclass(frozen=True)
class Answer:
    code: int | None
    error: str

    @property
    def delivered(self) -> bool:
        return self.code is not None and 200 <= self.code < 300


def attempt(delivery_id: int) -> str | None:
    """Try the delivery once if it is pending and due; its status afterwards, or None when
    there was nothing to do."""
    claim = _claim(delivery_id)
    if claim is None:
        return None
    return _record(claim, post(claim))


def _locked(delivery_id: int) -> Delivery | None:
    return (
        Delivery.objects.select_for_update(of=("self",))
        .select_related(
            "subscription",
            "event__case__category",
            "event__case__department",
            # The public view masks the reporter's name in the text.
            "event__case__reporter",
        )
        .filter(pk=delivery_id)
        .first()
    )


def _claim(delivery_id: int) -> Claim | None:
    with transaction.atomic():
        delivery = _locked(delivery_id)
        now = timezone.now()
        if delivery is None or delivery.status != Delivery.Status.PENDING:
            return None
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
            return None
        subscription = delivery.subscription
        if not subscription.active:
            delivery.status = Delivery.Status.FAILED
            delivery.next_attempt_at = None
            delivery.last_error = _("The subscription was deactivated.")
            delivery.save(update_fields=["status", "next_attempt_at", "last_error"])
            return None
        if not delivery.payload:
            # Built once, at the first attempt, so every retry sends the same document.
            delivery.payload = payload(delivery.pk, delivery.event)
        delivery.attempts += 1
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save(update_fields=["payload", "attempts", "next_attempt_at"])
    return Claim(
        delivery_id=delivery.pk,
        url=subscription.url,
        secret=subscription.secret,
        kind=delivery.event.kind,
        body=json.dumps(
            delivery.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")
        ).encode(),
    )


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the name resolves to next."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self.tls)
        self.address = target.address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


def post(claim: Claim) -> Answer:
    """Post the claimed delivery once; redirects are not followed."""
    try:
        target = resolve(claim.url)
    except RefusedTarget as error:
        return Answer(None, str(error))
    timestamp = int(timezone.now().timestamp())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Cetate-Webhooks/1",
        SIGNATURE_HEADER: signature(claim.secret, timestamp, claim.body),
        EVENT_HEADER: claim.kind,
        DELIVERY_HEADER: str(claim.delivery_id),
    }
    pinned = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = pinned(target, settings.WEBHOOK_TIMEOUT_SECONDS)
    # The timeout bounds each read; a receiver answering a byte at a time is cut off when the
    # whole attempt has taken WEBHOOK_TIMEOUT_SECONDS.
    cut_off = threading.Event()
    deadline = threading.Timer(
        settings.WEBHOOK_TIMEOUT_SECONDS, _cut_off, args=(connection, cut_off)
    )
    deadline.start()
    try:
        connection.request("POST", target.path, body=claim.body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(RESPONSE_EXCERPT).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as error:
        if cut_off.is_set():
            return _too_late()
        return Answer(None, f"{type(error).__name__}: {error}")
    finally:
        deadline.cancel()
        connection.close()
    if cut_off.is_set():  # what was read before the cut is not an answer
        return _too_late()
    if 200 <= response.status < 300:
        return Answer(response.status, "")
    return Answer(response.status, f"HTTP {response.status}: {excerpt}".strip())


def _too_late() -> Answer:
    return Answer(
        None,
        _("No answer within %(seconds)d seconds.") % {"seconds": settings.WEBHOOK_TIMEOUT_SECONDS},
    )


def _cut_off(connection: http.client.HTTPConnection, cut_off: threading.Event) -> None:
    """End the attempt: a read blocked on the socket returns at once."""
    cut_off.set()
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _record(claim: Claim, answer: Answer) -> str:
    with transaction.atomic():
        delivery = _locked(claim.delivery_id)
        if delivery is None:
            return Delivery.Status.FAILED
        if delivery.status != Delivery.Status.PENDING:
            return delivery.status
        delivery.last_response_code = answer.code
        delivery.last_error = answer.error
        if answer.delivered:
            delivery.status = Delivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
        elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = Delivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            queue_attempt(delivery.pk, at=delivery.next_attempt_at)
        delivery.save(
            update_fields=[
                "status",
                "delivered_at",
                "next_attempt_at",
                "last_response_code",
                "last_error",
            ]
        )
        return delivery.status


def retry_now(deliveries: list[Delivery]) -> int:
    """Send the given deliveries again at once, unless already delivered; how many."""
    now = timezone.now()
    count = 0
    with transaction.atomic():
        for delivery in (
            Delivery.objects.select_for_update()
            .filter(pk__in=[d.pk for d in deliveries])
            .exclude(status=Delivery.Status.DELIVERED)
        ):
            delivery.status = Delivery.Status.PENDING
            delivery.next_attempt_at = now
            delivery.save(update_fields=["status", "next_attempt_at"])
            queue_attempt(delivery.pk)
            count += 1
    return count
