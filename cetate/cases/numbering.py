"""Registration numbers: a gapless per-year counter, allocated inside the caller's transaction.

The counter row is incremented with one UPDATE … RETURNING. The row lock it takes is held until
the registering transaction ends, so concurrent registrations queue on it; when a
registration fails, its transaction rolls back with the increment and the number is free again.
"""

from __future__ import annotations

from django.db import connection, transaction

from cetate.cases.models import RegistrationCounter

# The table name comes from the model, never from input.
_INCREMENT = (
    f"UPDATE {RegistrationCounter._meta.db_table} SET last_number = last_number + 1 "  # noqa: S608
    "WHERE year = %s RETURNING last_number"
)


def allocate_number(year: int) -> int:
    """The next registration number of `year`; must run inside the registering transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number() must run inside transaction.atomic()")
    with connection.cursor() as cursor:
        cursor.execute(_INCREMENT, [year])
        row = cursor.fetchone()
        if row is None:
            # First registration of the year: create the row, tolerating a concurrent creator.
            RegistrationCounter.objects.bulk_create(
                [RegistrationCounter(year=year, last_number=0)], ignore_conflicts=True
            )
            cursor.execute(_INCREMENT, [year])
            row = cursor.fetchone()
    return int(row[0])
