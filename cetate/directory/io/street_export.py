"""Writing the gazetteer back out, in the formats import_streets reads.

CSV (the post office's columns, and the location columns when some street has a location) or
GeoJSON (by the file name's suffix, .geojson or .json), so that importing an export changes
nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from cetate.directory.io.files import ExportResult, write_csv, write_json
from cetate.directory.io.streets import STREET_COLUMNS, point_geometry
from cetate.directory.models import Street
from cetate.directory.street_names import join_street_and_range


def export_streets(path: str | Path) -> ExportResult:
    path = Path(path)
    streets = list(Street.objects.order_by("id"))
    if path.suffix.lower() in {".geojson", ".json"}:
        write_json(path, _collection(streets))
    else:
        _write_csv(path, streets)
    return ExportResult(_("streets"), len(streets), path)


def _write_csv(path: Path, streets: list[Street]) -> None:
    rows = [
        {
            "street_type": street.street_type,
            "street_and_range": join_street_and_range(street.name, street.number_range),
            "postal_code": street.postal_code,
            "latitude": _number(street.latitude),
            "longitude": _number(street.longitude),
            "geometry": _geometry_cell(street),
        }
        for street in streets
    ]
    # Location columns only when some street has a location: the post office's list comes back
    # as it was read.
    columns = list(STREET_COLUMNS)
    if any(row["latitude"] for row in rows):
        columns += ["latitude", "longitude"]
    if any(row["geometry"] for row in rows):
        columns.append("geometry")
    write_csv(path, columns, rows)


def _number(value: float | None) -> str:
    # repr gives the shortest text that reads back as the same float.
    return "" if value is None else repr(value)


def _geometry_cell(street: Street) -> str:
    """Empty when the geometry is what the import makes of the point (or of no point)."""
    point = (
        point_geometry(street.latitude, street.longitude)
        if street.latitude is not None and street.longitude is not None
        else None
    )
    if street.geometry == point:
        return ""
    if street.geometry is None:
        return "null"
    return json.dumps(street.geometry, separators=(",", ":"), ensure_ascii=False)


def _collection(streets: list[Street]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "type": street.street_type,
                    "name": street.name,
                    "numbers": street.number_range,
                    "postal_code": street.postal_code,
                    **(
                        {"latitude": street.latitude, "longitude": street.longitude}
                        if street.latitude is not None and street.longitude is not None
                        else {}
                    ),
                },
                "geometry": street.geometry,
            }
            for street in streets
        ],
    }
