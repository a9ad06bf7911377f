"""The time the case services see.

Normally the real time. Loading a city's history (demo data, imports of an earlier register)
replays services at past moments with `replaying_at`, so that numbers, deadlines and events
come out exactly as if the case had been registered then.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_replay_time: ContextVar[datetime | None] = ContextVar("replay_time", default=None)


def now() -> datetime:
    return _replay_time.get() or timezone.now()


def is_replaying() -> bool:
    return _replay_time.get() is not None


@contextmanager
def replaying_at(moment: datetime) -> Iterator[None]:
    if timezone.is_naive(moment):
        raise ValueError("replaying_at() needs an aware datetime")
    token = _replay_time.set(moment)
    try:
        yield
    finally:
        _replay_time.reset(token)
