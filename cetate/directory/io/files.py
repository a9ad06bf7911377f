"""Reading and writing the directory's files: CSV tables and GeoJSON, with errors that name
the file, the line (or feature) and the column, and results that count what changed."""

from __future__ import annotations

import csv
import json
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import IO, Any

from django.db import models
from django.utils.translation import gettext as _

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
TRUE_WORDS = frozenset({"yes", "y", "true", "1", "da"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", "nu"})
EXPORT_MODE = 0o644  # temporary files are private; an export is an ordinary file


class DirectoryFileError(Exception):
    """A file that cannot be imported; the message says where and why, for the person who
    prepared the file."""

    def __init__(
        self,
        file: str | Path,
        message: str,
        *,
        line: int | None = None,
        column: str = "",
        feature: str = "",
    ) -> None:
        parts = [str(file)]
        if line is not None:
            parts.append(_("line %(line)d") % {"line": line})
        if feature:
            parts.append(feature)
        if column:
            parts.append(_("column “%(column)s”") % {"column": column})
        super().__init__(f"{', '.join(parts)}: {message}")


@dataclass
class ImportResult:
    """What an import did to one kind of row."""

    label: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        text = _("%(label)s: %(created)d new, %(updated)d updated, %(unchanged)d unchanged") % {
            "label": self.label,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.removed:
            text += _(", %(removed)d removed") % {"removed": self.removed}
        return text


@dataclass(frozen=True)
class ExportResult:
    label: str
    rows: int
    path: Path

    def __str__(self) -> str:
        return _("%(label)s: %(rows)d records written to %(path)s") % {
            "label": self.label,
            "rows": self.rows,
            "path": self.path,
        }


def save_changes(instance: models.Model, values: Mapping[str, Any], result: ImportResult) -> None:
    """Set the values that differ and save; count the row as new, updated or unchanged."""
    is_new = instance._state.adding
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    if is_new:
        instance.save()
        result.created += 1
    elif changed:
        instance.save()
        result.updated += 1
    else:
        result.unchanged += 1


@dataclass(frozen=True)
class Row:
    """One data line of a CSV file; its getters strip spaces and raise errors that point here."""

    file: str
    line: int
    values: Mapping[str, str]

    def has(self, column: str) -> bool:
        return column in self.values

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.values.get(column, "").strip()
        if required and not value:
            raise self.error(column, _("a value is needed here"))
        if max_length is not None and len(value) > max_length:
            raise self.error(
                column,
                _("%(length)d characters, at most %(max)d are allowed")
                % {"length": len(value), "max": max_length},
            )
        return value

    def code(self, column: str, *, max_length: int, required: bool = True) -> str:
        value = self.text(column, required=required, max_length=max_length)
        if value and not CODE_PATTERN.match(value):
            raise self.error(
                column,
                _("“%(value)s” is not a code: use letters, digits, dots, hyphens and underscores")
                % {"value": value},
            )
        return value

    def boolean(self, column: str) -> bool:
        value = self.text(column).lower()
        if value in TRUE_WORDS:
            return True
        if value in FALSE_WORDS:
            return False
        raise self.error(column, _("“%(value)s” is not yes or no") % {"value": value})

    def whole_number(self, column: str, *, default: int) -> int:
        value = self.text(column)
        if not value:
            return default
        if not value.isdigit():
            raise self.error(
                column, _("“%(value)s” is not a whole number (0 or more)") % {"value": value}
            )
        return int(value)

    def choice(self, column: str, choices: Iterable[str], *, default: str = "") -> str:
        value = self.text(column).lower() or default
        allowed = list(choices)
        if value not in allowed:
            raise self.error(
                column,
                _("“%(value)s” is not one of: %(allowed)s")
                % {"value": value, "allowed": ", ".join(allowed)},
            )
        return value

    def check_unique(self, column: str, key: object, seen: dict[object, int]) -> None:
        """Refuse a second line for the same key: the file would contradict itself."""
        if key in seen:
            raise self.error(
                column,
                _("“%(value)s” is already on line %(line)d")
                % {"value": self.text(column), "line": seen[key]},
            )
        seen[key] = self.line

    def error(self, column: str, message: str) -> DirectoryFileError:
        return DirectoryFileError(self.file, message, line=self.line, column=column)


def read_csv(
    path: str | Path, *, required: Sequence[str], optional: Sequence[str] = ()
) -> list[Row]:
    """The data lines of a CSV file whose header names every required column, optional
    columns or not, and nothing else. A header with semicolons and no commas (spreadsheets in
    Romanian settings save so) is read with semicolons."""
    path = Path(path)
    text = read_text(path)
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise DirectoryFileError(
            path,
            _("the file is empty; its first line must name the columns: %(columns)s")
            % {"columns": ", ".join(required)},
        )
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    # newline="": line ends inside quoted values stay part of the value, as csv expects.
    reader = csv.reader(StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [name.strip() for name in next(reader)]
        _check_header(path, header, required=required, optional=optional)
        return _data_rows(path, reader, header, lambda: reader.line_num)
    except csv.Error as error:
        raise DirectoryFileError(
            path, _("not valid CSV: %(reason)s") % {"reason": error}, line=reader.line_num
        ) from error


def _data_rows(
    path: Path, reader: Iterator[list[str]], header: list[str], line_num: Callable[[], int]
) -> list[Row]:
    rows: list[Row] = []
    last_line = 1
    for fields in reader:
        # The line a record starts on: a quoted value may span several lines.
        first_line, last_line = last_line + 1, line_num()
        if not any(field.strip() for field in fields):
            continue
        if len(fields) != len(header):
            raise DirectoryFileError(
                path,
                _("%(found)d values, the header names %(expected)d columns")
                % {"found": len(fields), "expected": len(header)},
                line=first_line,
            )
        rows.append(Row(str(path), first_line, dict(zip(header, fields, strict=True))))
    return rows


def _check_header(
    path: Path, header: list[str], *, required: Sequence[str], optional: Sequence[str]
) -> None:
    missing = [name for name in required if name not in header]
    if missing:
        raise DirectoryFileError(
            path,
            _("missing columns: %(missing)s (the file has: %(found)s)")
            % {"missing": ", ".join(missing), "found": ", ".join(header)},
            line=1,
        )
    unknown = [name for name in header if name not in required and name not in optional]
    if unknown:
        raise DirectoryFileError(
            path,
            _("unknown columns: %(unknown)s (known columns: %(known)s)")
            % {"unknown": ", ".join(unknown), "known": ", ".join([*required, *optional])},
            line=1,
        )
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise DirectoryFileError(
            path, _("repeated columns: %(names)s") % {"names": ", ".join(repeated)}, line=1
        )


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise DirectoryFileError(path, _("no such file")) from error
    except UnicodeDecodeError as error:
        raise DirectoryFileError(path, _("not UTF-8 text (save the file as CSV UTF-8)")) from error
    except OSError as error:
        raise DirectoryFileError(
            path, _("cannot be read: %(reason)s") % {"reason": error.strerror}
        ) from error


def read_json(path: Path) -> Any:
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as error:
        raise DirectoryFileError(
            path, _("not valid JSON: %(reason)s") % {"reason": error.msg}, line=error.lineno
        ) from error


def optional_columns(
    rows: Sequence[Mapping[str, str]], implied: Mapping[str, Sequence[str]]
) -> list[str]:
    """The optional columns some row needs: a column whose every value is the one the import
    assumes when the column is absent is left out, so exports look like hand-written files."""
    return [
        column
        for column, assumed in implied.items()
        if any(row[column] != value for row, value in zip(rows, assumed, strict=True))
    ]


def write_csv(path: str | Path, columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> int:
    count = 0

    def write(handle: IO[str]) -> None:
        nonlocal count
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row[column] for column in columns])
            count += 1

    write_atomically(Path(path), write)
    return count


def write_json(path: str | Path, data: Any) -> None:
    write_atomically(
        Path(path), lambda handle: handle.write(json.dumps(data, ensure_ascii=False) + "\n")
    )


def write_atomically(path: Path, write: Callable[[IO[str]], object]) -> None:
    """Write next to the target and rename, so that a failed export leaves no half file."""
    temporary: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            newline="",
            dir=path.parent,
            prefix=f".{path.name}.",
            delete=False,
        ) as handle:
            temporary = Path(handle.name)
            write(handle)
        temporary.chmod(EXPORT_MODE)
        temporary.replace(path)
    except OSError as error:
        _remove(temporary)
        raise DirectoryFileError(
            path, _("cannot be written: %(reason)s") % {"reason": error.strerror or error}
        ) from error
    except BaseException:
        _remove(temporary)
        raise


def _remove(temporary: Path | None) -> None:
    if temporary is not None:
        temporary.unlink(missing_ok=True)


def yes_no(value: bool) -> str:
    return "yes" if value else "no"
