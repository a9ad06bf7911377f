"""SQL expressions the databases disagree on, written once."""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import FloatField, Func
from django.db.models.sql.compiler import SQLCompiler


class CellIndex(Func):
    """FLOOR(value) of a non-negative value, as an integer on every database.

    SQLite's CAST truncates, which is the floor of a non-negative number, and needs no math
    extension; PostgreSQL's CAST would round, so it keeps FLOOR.
    """

    function = "FLOOR"
    output_field = FloatField()

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        sql, params = self.as_sql(
            compiler, connection, template="CAST(%(expressions)s AS INTEGER)", **extra
        )
        return sql, list(params)
