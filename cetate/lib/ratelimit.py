"""Fixed-window rate limits on public endpoints, counted in the configured cache.

With the embedded default each web process counts on its own (a lenient limit); with
CACHE_URL pointing at Redis all processes share one count.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render

View = Callable[..., HttpResponseBase]


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request under `key`; False once the window's limit is exceeded."""
    window = int(time.time() // window_seconds)
    cache_key = f"rl:{key}:{window}"
    cache.add(cache_key, 0, timeout=window_seconds + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds + 1)
        count = 1
    return count <= limit


def rate_limited(scope: str, *, limit: int, window_seconds: int = 60) -> Callable[[View], View]:
    """Answer 429 with a readable page when one address calls a view too often."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            key = f"{scope}:{client_address(request)}"
            if not hit(key, limit=limit, window_seconds=window_seconds):
                response = render(request, "cetate/too_many_requests.html", status=429)
                response["Retry-After"] = str(window_seconds)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
