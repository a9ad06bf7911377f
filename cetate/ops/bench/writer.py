"""Raw SQL writes of planned cases: the baseline open_case is measured against, and the fill.

Values are adapted with the backend's own adapters (SQLite stores datetimes as text in UTC),
so raw rows read back exactly like rows the ORM wrote.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models, transaction
from django.db.backends.utils import CursorWrapper

from cetate.cases.models import Case, Event, RegistrationCounter
from cetate.ops.bench.rows import PlannedCase, Row

Converter = Callable[[Any], Any]


class _Table:
    """Column list, SQL and value adapters of one model's table."""

    def __init__(self, model: type[models.Model], *, with_id: bool) -> None:
        quote = connection.ops.quote_name
        self.name = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.converters = [_converter(f) for f in self.fields]
        self.defaults = [
            None if f.primary_key else conv(f.get_default())
            for f, conv in zip(self.fields, self.converters, strict=True)
        ]
        columns = ", ".join(quote(f.column) for f in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        # Names come from the models, never from input.
        self.insert = f"INSERT INTO {quote(self.name)} ({columns}) VALUES ({placeholders})"  # noqa: S608
        self.copy = f"COPY {quote(self.name)} ({columns}) FROM STDIN"

    def values(self, row: Row) -> tuple[Any, ...]:
        return tuple(
            conv(row[f.attname]) if f.attname in row else default
            for f, conv, default in zip(self.fields, self.converters, self.defaults, strict=True)
        )


def _converter(field: models.Field[Any, Any]) -> Converter:
    ops = connection.ops
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "JSONField":
        return json.dumps
    return _same


def _same(value: Any) -> Any:
    return value


class RawWriter:
    """Writes planned cases with plain cursor.execute/executemany (and COPY on PostgreSQL)."""

    def __init__(self) -> None:
        quote = connection.ops.quote_name
        self.is_postgres = connection.vendor == "postgresql"
        self.cases = _Table(Case, with_id=True)
        self.cases_without_id = _Table(Case, with_id=False)
        self.events = _Table(Event, with_id=False)
        counters = quote(RegistrationCounter._meta.db_table)
        self.increment = (
            f"UPDATE {counters} SET last_number = last_number + %s "  # noqa: S608
            "WHERE year = %s RETURNING last_number"
        )
        self.set_counter = (
            f"INSERT INTO {counters} (year, last_number) VALUES (%s, %s) "  # noqa: S608
            "ON CONFLICT (year) DO UPDATE SET last_number = excluded.last_number"
        )
        self.insert_case_returning = f"{self.cases_without_id.insert} RETURNING id"

    def insert_one(self, planned: PlannedCase) -> int:
        """One case in its own transaction, as open_case writes it: number, case, events."""
        case = planned.case
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(self.increment, [1, case["registration_year"]])
            case["registration_number"] = _one(cursor)
            cursor.execute(self.insert_case_returning, self.cases_without_id.values(case))
            case_id = _one(cursor)
            cursor.executemany(
                self.events.insert,
                [self.events.values({**event, "case_id": case_id}) for event in planned.events],
            )
        return case_id

    def insert_batch(self, batch: Sequence[PlannedCase]) -> None:
        """Many cases in one transaction: numbers taken together, rows inserted with executemany."""
        with transaction.atomic(), connection.cursor() as cursor:
            per_year = Counter(planned.case["registration_year"] for planned in batch)
            next_number = {}
            for year, count in per_year.items():
                cursor.execute(self.increment, [count, year])
                next_number[year] = _one(cursor) - count + 1
            ids = reserve_ids(cursor, Case._meta.db_table, len(batch))
            for planned, case_id in zip(batch, ids, strict=True):
                year = planned.case["registration_year"]
                planned.case["id"] = case_id
                planned.case["registration_number"] = next_number[year]
                next_number[year] += 1
            self._write(cursor, batch, copy=False)

    def write_history(
        self, cursor: CursorWrapper, batch: Sequence[PlannedCase], counters: dict[int, int]
    ) -> None:
        """Rows already numbered and with ids, inside the caller's transaction; COPY when it can."""
        self._write(cursor, batch, copy=self.is_postgres)
        cursor.executemany(self.set_counter, sorted(counters.items()))

    def _write(self, cursor: CursorWrapper, batch: Sequence[PlannedCase], *, copy: bool) -> None:
        cases = [self.cases.values(planned.case) for planned in batch]
        events = [
            self.events.values({**event, "case_id": planned.case["id"]})
            for planned in batch
            for event in planned.events
        ]
        if copy:
            _copy(cursor, self.cases.copy, cases)
            _copy(cursor, self.events.copy, events)
        else:
            cursor.executemany(self.cases.insert, cases)
            cursor.executemany(self.events.insert, events)


def reserve_ids(cursor: CursorWrapper, table: str, count: int) -> list[int]:
    """`count` fresh primary keys of `table`; on SQLite, call inside the writing transaction."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), count],
        )
        return [row[0] for row in cursor.fetchall()]
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
    first = _one(cursor) + 1
    return list(range(first, first + count))


def _copy(cursor: CursorWrapper, statement: str, rows: Iterable[tuple[Any, ...]]) -> None:
    # Django's cursor wraps the psycopg cursor, which speaks COPY.
    with cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _one(cursor: CursorWrapper) -> int:
    row = cursor.fetchone()
    if row is None:
        raise LookupError("the statement returned no row")
    return int(row[0])
