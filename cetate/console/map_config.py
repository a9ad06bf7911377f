"""What every console map starts from: the tiles (or none) and the city's boundary."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from cetate.directory.lookup import city_boundary


def map_config(**extra: Any) -> dict[str, Any]:
    """Settings for a page's map script, handed over in a json_script block."""
    boundary = city_boundary()
    return {
        "tile_url": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "boundary": boundary.geometry if boundary else None,
        "bounds": (
            [[boundary.min_lat, boundary.min_lon], [boundary.max_lat, boundary.max_lon]]
            if boundary
            else None
        ),
        **extra,
    }
