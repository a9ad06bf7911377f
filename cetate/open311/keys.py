"""API keys at work: who is calling, whether they may call again this minute, what they did."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cetate.cases.models import Case
from cetate.lib import clock
from cetate.lib.keys import hash_key
from cetate.lib.ratelimit import hit
from cetate.open311.models import (
    ApiKey,
    ApiKeyUse,
    PrivilegedRead,
    ReadScope,
    new_raw_key,
)

# A logged path is cut here: the query string of a long list of ids says nothing more.
PATH_LIMIT = 200


def create_key(
    name: str, *, rate_limit: int | None = None, read_scope: str = ReadScope.PUBLIC
) -> tuple[ApiKey, str]:
    """A new key for an integrator, and the key itself: the only time it can be read."""
    raw = new_raw_key()
    key = ApiKey(name=name.strip(), rate_limit=rate_limit, read_scope=ReadScope(read_scope))
    key.set_key(raw)
    key.save()
    return key, raw


def active_key(raw: str) -> ApiKey | None:
    if not raw:
        return None
    return ApiKey.objects.filter(key_hash=hash_key(raw), is_active=True).first()


def within_rate_limit(key: ApiKey | None, address: str) -> bool:
    """Count one call of `key` (or, for calls without a key, of the address) this minute."""
    if key is None:
        return hit(
            f"open311:address:{address}", limit=settings.OPEN311_RATE_LIMIT, window_seconds=60
        )
    limit = key.rate_limit or settings.OPEN311_RATE_LIMIT
    return hit(f"open311:key:{key.pk}", limit=limit, window_seconds=60)


def record_use(key: ApiKey, *, created: bool = False, refused: bool = False) -> None:
    """Add one call to the key's totals and to its row of the day."""
    now = clock.now()
    answered = 0 if refused else 1
    ApiKey.objects.filter(pk=key.pk).update(
        calls=F("calls") + answered,
        requests_created=F("requests_created") + int(created),
        last_used_at=now,
    )
    changes = {
        "calls": F("calls") + answered,
        "requests_created": F("requests_created") + int(created),
        "refused": F("refused") + int(refused),
    }
    day = timezone.localdate(now)
    if ApiKeyUse.objects.filter(api_key=key, day=day).update(**changes):
        return
    try:
        with transaction.atomic():
            ApiKeyUse.objects.create(
                api_key=key,
                day=day,
                calls=answered,
                requests_created=int(created),
                refused=int(refused),
            )
    except IntegrityError:
        # Another call of the same key wrote the day's row first.
        ApiKeyUse.objects.filter(api_key=key, day=day).update(**changes)


def record_privileged_read(key: ApiKey, path: str, cases: list[Case]) -> PrivilegedRead:
    """Log that `key`, with its full read scope, read `cases` beyond what the public sees."""
    numbers = [f"{case.registration_year}-{case.registration_number}" for case in cases]
    return PrivilegedRead.objects.create(
        api_key=key, at=clock.now(), path=path[:PATH_LIMIT], cases=numbers, case_count=len(cases)
    )
