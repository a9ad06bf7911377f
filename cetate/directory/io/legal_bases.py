"""legal-bases.csv: the legal bases an answer may state, one line per basis, keyed by its code.

Columns: code, citation (e.g. "Legea 544/2001, art. 12 alin. (1) lit. d)"), kind (a kind of
case, or empty for every kind of petition), outcome (granted, partly_granted, refused,
redirected, filed), name_ro and name_en (the sentence the answer letter prints). Optional
columns: refusal_ground (exempted, not_held or other: how a refusal of public information is
counted), order (a whole number; lists are sorted by it) and active (yes/no).

Cetate ships a list covering OG 27/2002 and Law 544/2001 (`DEFAULT_LEGAL_BASES`). Loading it
adds the bases missing from the city's list and, unless asked to update, leaves the ones the
city has (perhaps reworded or switched off in the admin) as they are.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from cetate.cases.choices import Kind, Outcome, RefusalGround
from cetate.directory.io.files import (
    ExportResult,
    ImportResult,
    Row,
    optional_columns,
    read_csv,
    save_changes,
    write_csv,
    yes_no,
)
from cetate.directory.models import LegalBasis

DEFAULT_LEGAL_BASES = Path(__file__).resolve().parents[1] / "data" / "legal-bases.csv"
COLUMNS = ("code", "citation", "kind", "outcome", "name_ro", "name_en")
OPTIONAL_COLUMNS = ("refusal_ground", "order", "active")


def import_legal_bases(
    path: str | Path = DEFAULT_LEGAL_BASES, *, update: bool = True
) -> ImportResult:
    """Create the legal bases of the file that are missing; with `update`, also give the
    existing ones (matched by code) the file's wording. Bases the file does not list stay."""
    rows = read_csv(path, required=COLUMNS, optional=OPTIONAL_COLUMNS)
    parsed = _parse(rows)
    result = ImportResult(_("legal bases"))
    with transaction.atomic():
        existing = LegalBasis.objects.in_bulk(list(parsed), field_name="code")
        for code, values in parsed.items():
            basis = existing.get(code)
            if basis is not None and not update:
                result.unchanged += 1
                continue
            save_changes(basis or LegalBasis(code=code), values, result)
    return result


def _parse(rows: list[Row]) -> dict[str, dict[str, object]]:
    parsed: dict[str, dict[str, object]] = {}
    seen: dict[object, int] = {}
    for row in rows:
        code = row.code("code", max_length=60)
        row.check_unique("code", code, seen)
        values: dict[str, object] = {
            "name": row.text("name_ro", required=True, max_length=200),
            "name_en": row.text("name_en", max_length=200),
            "citation": row.text("citation", required=True, max_length=200),
            "kind": row.choice("kind", ["", *Kind.values]),
            "outcome": row.choice("outcome", Outcome.values),
        }
        if row.has("refusal_ground"):
            values["refusal_ground"] = row.choice("refusal_ground", ["", *RefusalGround.values])
        if row.has("order"):
            values["order"] = row.whole_number("order", default=0)
        if row.has("active") and row.text("active"):
            values["is_active"] = row.boolean("active")
        parsed[code] = values
    return parsed


def export_legal_bases(path: str | Path) -> ExportResult:
    rows = [
        {
            "code": basis.code,
            "citation": basis.citation,
            "kind": basis.kind,
            "outcome": basis.outcome,
            "refusal_ground": basis.refusal_ground,
            "order": str(basis.order),
            "active": yes_no(basis.is_active),
            "name_ro": basis.name,
            "name_en": basis.name_en,
        }
        for basis in LegalBasis.objects.order_by("outcome", "order", "code")
    ]
    implied = {
        "refusal_ground": [""] * len(rows),
        "order": ["0"] * len(rows),
        "active": ["yes"] * len(rows),
    }
    columns = [*COLUMNS, *optional_columns(rows, implied)]
    return ExportResult(_("legal bases"), write_csv(path, columns, rows), Path(path))
