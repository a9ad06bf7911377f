"""The database the benchmark fills: a separate one, derived from the configured one.

PostgreSQL: the same server, database `<name>_bench`, created when missing (and dropped and
recreated on request) through the `postgres` maintenance database. SQLite: `var/bench.sqlite3`.
The configured database itself is never a valid target: the benchmark writes a million
made-up cases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import psycopg
from django.core.management.base import CommandError
from psycopg import sql
from psycopg.conninfo import make_conninfo

from cetate.lib.env import database_from_url

POSTGRES_ENGINE = "django.db.backends.postgresql"
SQLITE_ENGINE = "django.db.backends.sqlite3"
MAINTENANCE_DATABASE = "postgres"


@dataclass(frozen=True)
class BenchDatabase:
    url: str
    entry: Mapping[str, object]

    @classmethod
    def from_url(cls, url: str, *, base_dir: Path) -> BenchDatabase:
        return cls(url=url, entry=database_from_url(url, base_dir=base_dir))

    @property
    def is_postgres(self) -> bool:
        return self.entry["ENGINE"] == POSTGRES_ENGINE

    @property
    def name(self) -> str:
        return str(self.entry["NAME"])

    @property
    def label(self) -> str:
        if self.is_postgres:
            host = self.entry.get("HOST") or "local socket"
            return f"PostgreSQL database {self.name} on {host}"
        return f"SQLite file {self.name}"


def default_bench_url(configured: Mapping[str, object], *, var_dir: Path) -> str:
    """The bench database beside the configured one."""
    if configured["ENGINE"] == POSTGRES_ENGINE:
        return postgres_url(configured, name=f"{configured['NAME']}_bench")
    return f"sqlite:///{var_dir / 'bench.sqlite3'}"


def postgres_url(entry: Mapping[str, object], *, name: str) -> str:
    """A DATABASE_URL for a Django PostgreSQL entry, with another database name."""
    user = quote(str(entry.get("USER") or ""), safe="")
    password = quote(str(entry.get("PASSWORD") or ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = str(entry.get("HOST") or "")
    port = f":{entry['PORT']}" if entry.get("PORT") else ""
    options = entry.get("OPTIONS")
    query = f"?{urlencode(dict(options))}" if isinstance(options, Mapping) and options else ""
    return f"postgresql://{credentials}{host}{port}/{quote(name, safe='')}{query}"


def same_database(a: Mapping[str, object], b: Mapping[str, object]) -> bool:
    keys = ("ENGINE", "NAME", "HOST", "PORT")
    return all(str(a.get(key) or "") == str(b.get(key) or "") for key in keys)


def prepare(database: BenchDatabase, *, configured: Mapping[str, object], fresh: bool) -> None:
    """Make sure the bench database exists (emptied first when `fresh`)."""
    if same_database(database.entry, configured):
        raise CommandError(
            "The bench database must not be the configured database: "
            f"{database.label} holds the city's data."
        )
    if database.is_postgres:
        _prepare_postgres(database, fresh=fresh)
    else:
        _prepare_sqlite(Path(database.name), fresh=fresh)


def _prepare_sqlite(path: Path, *, fresh: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


def _prepare_postgres(database: BenchDatabase, *, fresh: bool) -> None:
    # CREATE/DROP DATABASE cannot run inside a transaction, hence autocommit.
    conninfo = make_conninfo("", **_maintenance_params(database.entry))
    with psycopg.connect(conninfo, autocommit=True) as connection:
        name = sql.Identifier(database.name)
        if fresh:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database.name]
        ).fetchone()
        if exists is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def _maintenance_params(entry: Mapping[str, object]) -> dict[str, str]:
    params = {
        "host": str(entry.get("HOST") or ""),
        "port": str(entry.get("PORT") or ""),
        "user": str(entry.get("USER") or ""),
        "password": str(entry.get("PASSWORD") or ""),
    }
    options = entry.get("OPTIONS")
    if isinstance(options, Mapping):
        params.update({str(key): str(value) for key, value in options.items()})
    params["dbname"] = MAINTENANCE_DATABASE
    return {key: value for key, value in params.items() if value}
