"""PostgreSQL: `pg_dump --format=custom` and `pg_restore`, found on PATH.

The dump and the figures of the manifest are read from one snapshot: a repeatable-read
transaction exports it, counts the cases in it, and `pg_dump --snapshot` dumps exactly that,
while the site keeps working. The connection comes from DATABASES["default"]; its password
goes to the tools in PGPASSWORD, never on a command line other users can read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import psycopg
from django.utils.translation import gettext as _
from psycopg import IsolationLevel
from psycopg.conninfo import make_conninfo
from psycopg.pq import Conninfo

from cetate.ops.backup.manifest import BackupError, DatabaseFigures, read_figures

# The tools print whole pages on failure; the last lines say what went wrong.
ERROR_LINES = 8


def dump(entry: Mapping[str, object], target: Path) -> DatabaseFigures:
    """Dump the database of `entry` into `target`; the figures of the dumped snapshot."""
    pg_dump = _program("pg_dump")
    try:
        with psycopg.connect(_conninfo(entry, with_password=True)) as connection:
            connection.isolation_level = IsolationLevel.REPEATABLE_READ
            connection.read_only = True
            with connection.transaction():
                exported = connection.execute("SELECT pg_export_snapshot()").fetchone()
                assert exported is not None
                figures = read_figures(lambda sql: connection.execute(sql).fetchall())
                _run(
                    [
                        pg_dump,
                        "--format=custom",
                        f"--snapshot={exported[0]}",
                        f"--file={target}",
                        f"--dbname={_conninfo(entry, with_password=False)}",
                    ],
                    entry,
                )
    except psycopg.Error as error:
        raise BackupError(
            _("The PostgreSQL database could not be read: %(error)s") % {"error": error}
        ) from error
    return figures


def check(saved: Path) -> None:
    """Refuse a dump that pg_restore cannot read."""
    _run([_program("pg_restore"), "--list", str(saved)], {}, damaged=True)


def restore(saved: Path, entry: Mapping[str, object]) -> None:
    """Restore the dump into the database of `entry`, all or nothing.

    Objects the dump holds are dropped first when they exist (a migrated but empty database);
    ownership and grants are left to the target's user, who may differ from the dumped one.
    """
    _run(
        [
            _program("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",
            f"--dbname={_conninfo(entry, with_password=False)}",
            str(saved),
        ],
        entry,
    )


def _conninfo(entry: Mapping[str, object], *, with_password: bool) -> str:
    """A libpq connection string for a Django PostgreSQL entry."""
    # Django's own OPTIONS (isolation_level, pool, …) mean nothing to libpq.
    known = {option.keyword.decode() for option in Conninfo.get_defaults()}
    options = entry.get("OPTIONS")
    parameters = {
        str(key): str(value)
        for key, value in (options.items() if isinstance(options, Mapping) else ())
        if key in known and key != "password"
    }
    parameters.update(
        host=str(entry.get("HOST") or ""),
        port=str(entry.get("PORT") or ""),
        user=str(entry.get("USER") or ""),
        dbname=str(entry.get("NAME") or ""),
    )
    if with_password:
        parameters["password"] = _password(entry)
    return make_conninfo("", **{key: value for key, value in parameters.items() if value})


def _password(entry: Mapping[str, object]) -> str:
    options = entry.get("OPTIONS")
    fallback = options.get("password", "") if isinstance(options, Mapping) else ""
    return str(entry.get("PASSWORD") or fallback or "")


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _(
                "%(program)s was not found on PATH: install PostgreSQL's client tools "
                "(the postgresql-client package) of the server's version or newer."
            )
            % {"program": name}
        )
    return found


def _run(command: list[str], entry: Mapping[str, object], *, damaged: bool = False) -> None:
    environment = dict(os.environ)
    password = _password(entry)
    if password:
        environment["PGPASSWORD"] = password
    finished = subprocess.run(command, env=environment, capture_output=True, text=True)
    if finished.returncode == 0:
        return
    error = "\n".join(finished.stderr.strip().splitlines()[-ERROR_LINES:])
    if damaged:
        raise BackupError(_("The database in this backup is damaged: %(error)s") % {"error": error})
    raise BackupError(
        _("%(program)s failed: %(error)s")
        % {"program": Path(command[0]).name, "error": error or finished.returncode}
    )
