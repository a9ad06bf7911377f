"""Streets of the gazetteer: one row per street and number range, as the post office lists
them, with a location when the city's GIS provides one.

Files read:
- CSV with columns street_type, street_and_range ("Mihai Viteazu nr. 1-9; 2-8": the name,
  then the numbers or blocks), postal_code; optionally latitude and longitude (a point), and
  geometry (a GeoJSON geometry; empty: the point; `null`: none). Without location columns the
  streets keep the location they have.
- GeoJSON features (Point, MultiPoint, LineString or MultiLineString; null for none) with
  properties name, type (or the type as the name's first word), numbers and postal_code. A
  feature without a "numbers" property places the whole street: it gives its geometry to every
  row of the street (matched ignoring accents and word order), or adds the street when it is
  new; several such features of one street are joined into one geometry.

Rows are keyed by street (type and name, folded) and number range: a known row is updated, a
new one added. With `replace`, rows the file does not name are removed, so the gazetteer is
exactly the file.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from cetate.directory.io.files import DirectoryFileError, ImportResult, Row, read_csv
from cetate.directory.io.geojson import Feature, checked_geometry, read_features
from cetate.directory.models import Street
from cetate.directory.street_names import search_key, split_leading_type, split_street_and_range
from cetate.lib.geo import representative_point, valid_coordinates

STREET_COLUMNS = ("street_type", "street_and_range", "postal_code")
LOCATION_COLUMNS = ("latitude", "longitude", "geometry")
STREET_GEOMETRIES = ("Point", "MultiPoint", "LineString", "MultiLineString")
BATCH = 500
UPDATED_FIELDS = [
    "street_type",
    "name",
    "number_range",
    "postal_code",
    "search_key",
    "geometry",
    "latitude",
    "longitude",
]


@dataclass(frozen=True)
class Location:
    geometry: dict[str, Any] | None
    latitude: float | None
    longitude: float | None

    @classmethod
    def of(cls, geometry: dict[str, Any] | None) -> Location:
        if geometry is None:
            return cls(None, None, None)
        return cls(geometry, *representative_point(geometry))

    def values(self) -> dict[str, Any]:
        return {"geometry": self.geometry, "latitude": self.latitude, "longitude": self.longitude}


def point_geometry(latitude: float, longitude: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [longitude, latitude]}


@dataclass(frozen=True)
class StreetLine:
    """What one line or feature says about a street."""

    fail: Callable[[str], DirectoryFileError]
    street_type: str
    name: str
    number_range: str | None  # None: the whole street, every row of it
    postal_code: str | None  # None: leave the postal code as it is
    location: Location | None  # None: leave the location as it is

    @property
    def key(self) -> str:
        return search_key(self.street_type, self.name)


def import_streets(path: str | Path, *, replace: bool = False) -> ImportResult:
    """Create or update the streets of a CSV or GeoJSON file (told apart by the suffix
    .geojson or .json); with `replace`, also remove the streets the file does not name."""
    path = Path(path)
    if path.suffix.lower() in {".geojson", ".json"}:
        lines = _join_whole_streets(geojson_lines(path))
    else:
        lines = csv_lines(path)
    with transaction.atomic():
        return _apply(lines, replace=replace)


def csv_lines(path: Path) -> list[StreetLine]:
    rows = read_csv(path, required=STREET_COLUMNS, optional=LOCATION_COLUMNS)
    lines: list[StreetLine] = []
    seen: dict[object, int] = {}
    for row in rows:
        name, number_range = split_street_and_range(
            row.text("street_and_range", required=True, max_length=400)
        )
        if not name:
            raise row.error("street_and_range", _("the street has no name"))
        street_type = row.text("street_type", max_length=40)
        line = StreetLine(
            fail=partial(row.error, "street_and_range"),
            street_type=street_type,
            name=_checked_length(row, "street_and_range", name, 200),
            number_range=_checked_length(row, "street_and_range", number_range, 200),
            postal_code=row.text("postal_code", max_length=12),
            location=_csv_location(row),
        )
        row.check_unique("street_and_range", (line.key, line.number_range), seen)
        lines.append(line)
    return lines


def _checked_length(row: Row, column: str, value: str, max_length: int) -> str:
    if len(value) > max_length:
        raise row.error(
            column,
            _("%(length)d characters, at most %(max)d are allowed")
            % {"length": len(value), "max": max_length},
        )
    return value


def _csv_location(row: Row) -> Location | None:
    if row.has("latitude") != row.has("longitude"):
        raise row.error(
            "latitude" if row.has("latitude") else "longitude",
            _("a file with coordinates needs both a latitude and a longitude column"),
        )
    if not row.has("latitude") and not row.has("geometry"):
        return None
    point = _csv_point(row) if row.has("latitude") else None
    text = row.text("geometry")
    if text == "null":
        geometry = None
    elif text:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise row.error(
                "geometry", _("not valid GeoJSON: %(reason)s") % {"reason": error.msg}
            ) from error
        geometry = checked_geometry(data, STREET_GEOMETRIES, lambda m: row.error("geometry", m))[0]
        if point is None:
            return Location.of(geometry)
    else:
        geometry = point_geometry(*point) if point else None
    return Location(geometry, *(point or (None, None)))


def _csv_point(row: Row) -> tuple[float, float] | None:
    texts = {column: row.text(column) for column in ("latitude", "longitude")}
    if not any(texts.values()):
        return None
    numbers: dict[str, float] = {}
    for column, text in texts.items():
        try:
            numbers[column] = float(text.replace(",", "."))
        except ValueError as error:
            raise row.error(
                column, _("“%(value)s” is not a number in degrees") % {"value": text}
            ) from error
    if not valid_coordinates(numbers["latitude"], numbers["longitude"]):
        raise row.error(
            "latitude", _("the point is not on Earth: latitude -90…90, longitude -180…180")
        )
    return numbers["latitude"], numbers["longitude"]


def geojson_lines(path: Path) -> list[StreetLine]:
    lines: list[StreetLine] = []
    seen: dict[tuple[str, str], int] = {}
    for feature in read_features(path):
        full_name = feature.text("name", max_length=200)
        if not full_name:
            raise feature.error(_("no “name” property: the street needs a name"))
        has = feature.properties.__contains__
        type_property = "street_type" if has("street_type") else "type"
        street_type = feature.text(type_property, max_length=40)
        name = full_name
        if not has(type_property):
            street_type, name = split_leading_type(full_name)
        line = StreetLine(
            fail=partial(feature.error, code=full_name),
            street_type=street_type,
            name=name,
            number_range=feature.text("numbers", max_length=200) if has("numbers") else None,
            postal_code=feature.text("postal_code", max_length=12) if has("postal_code") else None,
            location=_feature_location(feature, full_name),
        )
        if line.number_range is not None:
            key = (line.key, line.number_range)
            if key in seen:
                raise line.fail(
                    _("the same street and numbers are in feature %(number)d")
                    % {"number": seen[key]}
                )
            seen[key] = feature.number
        lines.append(line)
    return lines


def _feature_location(feature: Feature, name: str) -> Location:
    geometry = None
    if feature.geometry is not None:
        geometry = checked_geometry(
            feature.geometry, STREET_GEOMETRIES, partial(feature.error, code=name)
        )[0]
    latitude, longitude = (feature.properties.get(key) for key in ("latitude", "longitude"))
    if latitude is None and longitude is None:
        return Location.of(geometry)
    if not (
        isinstance(latitude, int | float)
        and isinstance(longitude, int | float)
        and valid_coordinates(latitude, longitude)
    ):
        raise feature.error(
            _("the properties “latitude” and “longitude” should both be numbers in degrees"),
            code=name,
        )
    return Location(geometry, float(latitude), float(longitude))


def _join_whole_streets(lines: list[StreetLine]) -> list[StreetLine]:
    """One line per whole street: GIS files often cut a street into several segments."""
    whole: dict[str, list[StreetLine]] = defaultdict(list)
    for line in lines:
        if line.number_range is None:
            whole[line.key].append(line)
    joined = [line for line in lines if line.number_range is not None]
    for parts in whole.values():
        if len(parts) == 1:
            joined.append(parts[0])
            continue
        postal = next((p.postal_code for p in parts if p.postal_code), parts[0].postal_code)
        location = _joined_location(parts)
        joined.append(dataclasses.replace(parts[0], postal_code=postal, location=location))
    return joined


def _joined_location(parts: list[StreetLine]) -> Location:
    geometries = [shape(p.location.geometry) for p in parts if p.location and p.location.geometry]
    if not geometries:
        return Location(None, None, None)
    union = unary_union(geometries)
    if union.geom_type not in STREET_GEOMETRIES:
        raise parts[-1].fail(_("the street's features mix points and lines"))
    # Through JSON, so that the stored coordinates are lists, as the database gives them back.
    return Location.of(json.loads(json.dumps(mapping(union))))


def _apply(lines: list[StreetLine], *, replace: bool) -> ImportResult:
    streets = list(Street.objects.order_by("id"))
    by_range = {(street.search_key, street.number_range): street for street in streets}
    by_street: dict[str, list[Street]] = defaultdict(list)
    for street in streets:
        by_street[street.search_key].append(street)
    new: list[Street] = []
    touched: set[int] = set()
    changed: dict[int, Street] = {}

    def add(line: StreetLine) -> Street:
        street = Street(search_key=line.key, number_range=line.number_range or "", postal_code="")
        new.append(street)
        by_range[(line.key, street.number_range)] = street
        by_street[line.key].append(street)
        return street

    for line in lines:
        values: dict[str, Any] = {}
        if line.number_range is None and by_street.get(line.key):
            targets = by_street[line.key]
        else:
            exact = by_range.get((line.key, line.number_range or ""))
            targets = [exact or add(line)]
            values.update(street_type=line.street_type, name=line.name, search_key=line.key)
            if line.postal_code is not None:
                values["postal_code"] = line.postal_code
        if line.location is not None:
            values.update(line.location.values())
        for street in targets:
            differs = [field for field, value in values.items() if getattr(street, field) != value]
            for field in differs:
                setattr(street, field, values[field])
            if street.pk is not None:
                touched.add(street.pk)
                if differs:
                    changed[street.pk] = street
    Street.objects.bulk_create(new, batch_size=BATCH)
    Street.objects.bulk_update(list(changed.values()), UPDATED_FIELDS, batch_size=BATCH)
    result = ImportResult(
        _("streets"),
        created=len(new),
        updated=len(changed),
        unchanged=len(touched) - len(changed),
    )
    if replace:
        stale = [street.pk for street in streets if street.pk not in touched]
        for start in range(0, len(stale), BATCH):
            Street.objects.filter(pk__in=stale[start : start + BATCH]).delete()
        result.removed = len(stale)
    return result
