"""Reading GeoJSON features and checking their geometry, with errors naming the feature."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from cetate.directory.io.files import DirectoryFileError, read_json


@dataclass(frozen=True)
class Feature:
    file: str
    number: int  # 1-based position in the collection, as people count
    properties: dict[str, Any]
    geometry: Any

    def label(self, code: str = "") -> str:
        if code:
            return _("feature %(number)d (“%(code)s”)") % {"number": self.number, "code": code}
        return _("feature %(number)d") % {"number": self.number}

    def error(self, message: str, *, code: str = "") -> DirectoryFileError:
        return DirectoryFileError(self.file, message, feature=self.label(code))

    def text(self, name: str, *, code: str = "", max_length: int | None = None) -> str:
        """A property as text ("" when absent); numbers are written as they read."""
        value = self.properties.get(name)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error(
                _("the property “%(name)s” should be text") % {"name": name}, code=code
            )
        text = " ".join(str(value).split())
        if max_length is not None and len(text) > max_length:
            raise self.error(
                _("the property “%(name)s” has %(length)d characters, at most %(max)d are allowed")
                % {"name": name, "length": len(text), "max": max_length},
                code=code,
            )
        return text


def read_features(path: str | Path) -> list[Feature]:
    """The features of a GeoJSON FeatureCollection (or of a single Feature)."""
    path = Path(path)
    data = read_json(path)
    if isinstance(data, dict) and data.get("type") == "Feature":
        items: Any = [data]
    elif isinstance(data, dict) and data.get("type") == "FeatureCollection":
        items = data.get("features")
    else:
        raise DirectoryFileError(path, _("expected a GeoJSON FeatureCollection"))
    if not isinstance(items, list):
        raise DirectoryFileError(path, _("the “features” member should be a list"))
    features: list[Feature] = []
    for number, item in enumerate(items, start=1):
        feature = Feature(str(path), number, {}, None)
        if not isinstance(item, dict) or item.get("type") != "Feature":
            raise feature.error(_("not a GeoJSON Feature"))
        properties = item.get("properties") or {}
        if not isinstance(properties, dict):
            raise feature.error(_("the “properties” member should be an object"))
        features.append(Feature(str(path), number, properties, item.get("geometry")))
    return features


def checked_geometry(
    geometry: Any, allowed: Iterable[str], fail: Callable[[str], DirectoryFileError]
) -> tuple[dict[str, Any], BaseGeometry]:
    """The geometry as a plain GeoJSON dictionary and as a shapely geometry, after checking its
    type, its coordinates (longitude/latitude degrees) and its validity; `fail` makes the
    error that says where the geometry was."""
    allowed = tuple(allowed)
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in allowed:
        raise fail(
            _("the geometry is %(found)s; expected %(allowed)s")
            % {"found": kind or _("missing"), "allowed": " / ".join(allowed)}
        )
    plain = {"type": kind, "coordinates": geometry.get("coordinates")}
    try:
        parsed = shape(plain)
    except (ShapelyError, ValueError, TypeError, IndexError, AttributeError, KeyError) as error:
        raise fail(
            _("invalid coordinates: %(reason)s") % {"reason": error or type(error).__name__}
        ) from error
    if parsed.is_empty:
        raise fail(_("the geometry is empty"))
    if not _in_degrees(parsed):
        raise fail(
            _(
                "the coordinates are not longitude and latitude in degrees; convert the file "
                "to WGS 84 (EPSG:4326)"
            )
        )
    if not parsed.is_valid:
        raise fail(_("invalid geometry (%(reason)s)") % {"reason": explain_validity(parsed)})
    return plain, parsed


def _in_degrees(geometry: BaseGeometry) -> bool:
    min_x, min_y, max_x, max_y = geometry.bounds
    return all(math.isfinite(value) for value in geometry.bounds) and (
        -180 <= min_x <= max_x <= 180 and -90 <= min_y <= max_y <= 90
    )
