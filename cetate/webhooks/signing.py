"""The signature of a delivery: `t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.

The timestamp is signed with the body so that a receiver can refuse old deliveries replayed by
someone who captured one (see docs/webhooks.md).
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Cetate-Signature"
EVENT_HEADER = "X-Cetate-Event"
DELIVERY_HEADER = "X-Cetate-Delivery"


def digest(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={digest(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, *, now: int, tolerance: int = 300) -> bool:
    """Whether `header` signs `body` with `secret` within `tolerance` seconds of `now`."""
    fields: dict[str, list[str]] = {}
    for item in header.split(","):
        key, _sep, value = item.strip().partition("=")
        fields.setdefault(key, []).append(value)
    try:
        timestamp = int(fields["t"][0])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = digest(secret, timestamp, body)
    return any(hmac.compare_digest(expected, given) for given in fields.get("v1", []))
