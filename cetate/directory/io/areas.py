"""Areas as a GeoJSON FeatureCollection of Polygon or MultiPolygon features, keyed by code.

Each feature's properties give its code and name (property names chosen by the caller, "code"
and "name" by default), and optionally its kind (municipality, neighbourhood, district) and
whether it is active. Coordinates are longitude/latitude degrees (WGS 84). One invalid
feature refuses the whole file. Areas the file does not list stay.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cetate.directory.io.files import (
    CODE_PATTERN,
    DirectoryFileError,
    ExportResult,
    ImportResult,
    save_changes,
    write_json,
)
from cetate.directory.io.geojson import Feature, checked_geometry, read_features
from cetate.directory.models import Area

POLYGON_TYPES = ("Polygon", "MultiPolygon")


def import_areas(
    path: str | Path,
    *,
    kind: str | None = None,
    code_property: str = "code",
    name_property: str = "name",
    code: str | None = None,
    name: str | None = None,
) -> ImportResult:
    """Create or update the file's areas.

    `kind` applies to features without a "kind" property (default: neighbourhood). `code` and
    `name` name the area of a one-feature file whose properties hold no usable code, such as
    a municipality boundary.
    """
    features = read_features(path)
    if not features:
        raise DirectoryFileError(path, _("the file has no features"))
    if code is not None and len(features) != 1:
        raise DirectoryFileError(
            path,
            _("a code can be given only for a file with one feature; this one has %(count)d")
            % {"count": len(features)},
        )
    parsed: dict[str, dict[str, Any]] = {}
    numbers: dict[str, int] = {}
    for feature in features:
        area_code = code if code is not None else feature.text(code_property, max_length=60)
        _check_code(feature, area_code, code_property)
        if area_code in numbers:
            raise feature.error(
                _("the code is already used by feature %(number)d")
                % {"number": numbers[area_code]},
                code=area_code,
            )
        numbers[area_code] = feature.number
        parsed[area_code] = _values(
            feature, area_code, kind=kind, name_property=name_property, name=name
        )
    result = ImportResult(_("areas"))
    with transaction.atomic():
        existing = Area.objects.in_bulk(list(parsed), field_name="code")
        for area_code, values in parsed.items():
            save_changes(existing.get(area_code) or Area(code=area_code), values, result)
    return result


def _check_code(feature: Feature, code: str, code_property: str) -> None:
    if not code:
        raise feature.error(
            _("no “%(property)s” property: say which property holds the area's code")
            % {"property": code_property}
        )
    if not CODE_PATTERN.match(code) or len(code) > 60:
        raise feature.error(
            _("“%(value)s” is not a code: use letters, digits, dots, hyphens and underscores")
            % {"value": code}
        )


def _values(
    feature: Feature, code: str, *, kind: str | None, name_property: str, name: str | None
) -> dict[str, Any]:
    area_name = name if name is not None else feature.text(name_property, code=code, max_length=200)
    if not area_name:
        raise feature.error(
            _("no “%(property)s” property: say which property holds the area's name")
            % {"property": name_property},
            code=code,
        )
    area_kind = feature.text("kind", code=code) or kind or Area.Kind.NEIGHBOURHOOD
    if area_kind not in Area.Kind.values:
        raise feature.error(
            _("“%(value)s” is not a kind of area: %(allowed)s")
            % {"value": area_kind, "allowed": ", ".join(Area.Kind.values)},
            code=code,
        )
    geometry = checked_geometry(
        feature.geometry, POLYGON_TYPES, lambda message: feature.error(message, code=code)
    )[0]
    values: dict[str, Any] = {"name": area_name, "kind": area_kind, "geometry": geometry}
    active = feature.properties.get("active")
    if active is not None:
        if not isinstance(active, bool):
            raise feature.error(_("the property “active” should be true or false"), code=code)
        values["is_active"] = active
    return values


def export_areas(path: str | Path) -> ExportResult:
    areas = list(Area.objects.order_by("kind", "code"))
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "code": area.code,
                    "name": area.name,
                    "kind": area.kind,
                    "active": area.is_active,
                },
                "geometry": area.geometry,
            }
            for area in areas
        ],
    }
    write_json(path, collection)
    return ExportResult(_("areas"), len(areas), Path(path))
