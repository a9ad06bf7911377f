"""The `limits` cache on the database: counters that every web process shares, in a table that
holds nothing else, so no other cached entry can push one out.

Django's own DatabaseCache shares its entries too, but its incr() reads a value, adds to it and
writes it back: two processes counting at the same moment both write the same number, and a
limit lets through about one extra request per process. Here incr() is one
`UPDATE … SET count = count + 1 … RETURNING count`, which the database applies atomically (a
row lock on PostgreSQL, the write lock on SQLite), and add() one `INSERT … ON CONFLICT`. Both
databases speak this SQL; the table comes with the migrations, so a fresh `migrate` and the
test databases have it.

On PostgreSQL a count commits without waiting for the disk (`synchronous_commit` off for
that transaction alone): a crash may forget the last few counts, which a limit can afford.

Only whole numbers are kept. Counters past their expiry are never read; they are deleted, with
one DELETE on the indexed expiry, one time in CLEANUP_ONE_IN that a new counter is added: a
cost spread so thin that no request pays for a table grown large.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import connections, router, transaction
from django.db.backends.utils import CursorWrapper

from cetate.ops.models import RateCount

CLEANUP_ONE_IN = 100
# Stands for "never expires" (a timeout of None): year 2255, well inside a float's precision.
NEVER = 9_000_000_000.0


class DatabaseCounters(BaseCache):
    """A cache of integer counters in the table of `RateCount`.

    OPTIONS may set CLEANUP_ONE_IN (1 cleans up at every new counter).
    """

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self.cleanup_one_in = max(int(options.get("CLEANUP_ONE_IN", CLEANUP_ONE_IN)), 1)
        self.table = RateCount._meta.db_table
        self.alias = router.db_for_write(RateCount)

    @contextmanager
    def _cursor(self, *, writes: bool = True) -> Iterator[tuple[CursorWrapper, str]]:
        """A cursor, and the table's quoted name to build statements with (never input)."""
        connection = connections[self.alias]
        table = connection.ops.quote_name(self.table)
        if writes and connection.vendor == "postgresql" and not connection.in_atomic_block:
            # A count lost in a crash matters little; every request waiting for the disk to
            # confirm its count does (two to four times the counts a second, measured).
            with transaction.atomic(using=self.alias), connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
                yield cursor, table
        else:
            with connection.cursor() as cursor:
                yield cursor, table

    def _expiry(self, timeout: Any) -> float:
        expires = self.get_backend_timeout(timeout)
        return NEVER if expires is None else float(expires)

    def _key(self, key: Any, version: int | None) -> str:
        return self.make_and_validate_key(key, version=version)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        now = time.time()
        with self._cursor() as (cursor, table):
            # A live counter stays as it is; an expired one not yet deleted is started afresh.
            cursor.execute(
                f'INSERT INTO {table} ("key", "count", "expires") VALUES (%s, %s, %s) '  # noqa: S608
                'ON CONFLICT ("key") DO UPDATE SET "count" = excluded."count", '
                f'"expires" = excluded."expires" WHERE {table}."expires" <= %s',
                [self._key(key, version), _whole(value), self._expiry(timeout), now],
            )
            added = int(cursor.rowcount) > 0
        if added and random.randrange(self.cleanup_one_in) == 0:
            self.delete_expired()
        return added

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        made = self._key(key, version)
        with self._cursor() as (cursor, table):
            cursor.execute(
                f'UPDATE {table} SET "count" = "count" + %s '  # noqa: S608
                'WHERE "key" = %s AND "expires" > %s RETURNING "count"',
                [_whole(delta), made, time.time()],
            )
            row = cursor.fetchone()
        if row is None:
            raise ValueError(f"Key '{made}' not found")
        return int(row[0])

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        with self._cursor(writes=False) as (cursor, table):
            cursor.execute(
                f'SELECT "count" FROM {table} WHERE "key" = %s AND "expires" > %s',  # noqa: S608
                [self._key(key, version), time.time()],
            )
            row = cursor.fetchone()
        return default if row is None else int(row[0])

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        with self._cursor() as (cursor, table):
            cursor.execute(
                f'INSERT INTO {table} ("key", "count", "expires") VALUES (%s, %s, %s) '  # noqa: S608
                'ON CONFLICT ("key") DO UPDATE SET "count" = excluded."count", '
                '"expires" = excluded."expires"',
                [self._key(key, version), _whole(value), self._expiry(timeout)],
            )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        with self._cursor() as (cursor, table):
            cursor.execute(
                f'UPDATE {table} SET "expires" = %s WHERE "key" = %s AND "expires" > %s',  # noqa: S608
                [self._expiry(timeout), self._key(key, version), time.time()],
            )
            return int(cursor.rowcount) > 0

    def delete(self, key: Any, version: int | None = None) -> bool:
        with self._cursor() as (cursor, table):
            cursor.execute(
                f'DELETE FROM {table} WHERE "key" = %s',  # noqa: S608
                [self._key(key, version)],
            )
            return int(cursor.rowcount) > 0

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self.get(key, version=version) is not None

    def clear(self) -> None:
        with self._cursor() as (cursor, table):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608

    def delete_expired(self) -> int:
        """Delete the counters past their expiry; how many there were."""
        with self._cursor() as (cursor, table):
            cursor.execute(f'DELETE FROM {table} WHERE "expires" <= %s', [time.time()])  # noqa: S608
            return int(cursor.rowcount)


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("The limits cache keeps counters: whole numbers only.")
    return int(value)
