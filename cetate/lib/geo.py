"""Geometry helpers over GeoJSON dictionaries, with shapely (no GDAL needed)."""

import math
from typing import Any

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

EARTH_RADIUS_M = 6_371_000.0


class GeometryError(ValueError):
    """A GeoJSON geometry that cannot serve as an area."""


def parse_polygon(geometry: Any) -> BaseGeometry:
    """A valid Polygon or MultiPolygon from a GeoJSON geometry (or Feature) dictionary."""
    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        raise GeometryError("expected a GeoJSON Polygon or MultiPolygon")
    try:
        polygon = shape(geometry)
    except (ValueError, TypeError, IndexError, AttributeError) as error:
        raise GeometryError(f"invalid GeoJSON coordinates: {error}") from error
    if polygon.is_empty or not polygon.is_valid:
        raise GeometryError("the polygon is empty or crosses itself")
    return polygon


def contains(geometry: dict[str, Any], *, latitude: float, longitude: float) -> bool:
    """Whether a stored area covers the point; areas were validated when they were saved."""
    return bool(shape(geometry).covers(Point(longitude, latitude)))


def valid_coordinates(latitude: float, longitude: float) -> bool:
    return (
        math.isfinite(latitude)
        and math.isfinite(longitude)
        and -90 <= latitude <= 90
        and -180 <= longitude <= 180
    )


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def representative_point(geometry: dict[str, Any]) -> tuple[float, float]:
    """(latitude, longitude) of a point on the geometry, for placing a street on the map."""
    point = shape(geometry).representative_point()
    return point.y, point.x
