"""Fixed-window rate limits on public endpoints, counted in the `limits` cache.

That cache (CACHES["limits"] in settings.py) is shared by every web process and holds nothing
but counters, so no other cached entry can evict one: a table of the database by default
(cetate/ops/counters.py), Redis when CACHE_URL is set. A client is counted by its address as
the trusted proxies report it (`client_address`).

Should the store fail, the request is served uncounted and the failure logged: residents keep
the portal while the counters are out, as they would without limits.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

View = Callable[..., HttpResponseBase]
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

LIMITS_CACHE = "limits"
# One household holds a whole IPv6 /64 and may use any address in it.
IPV6_CLIENT_PREFIX = 64

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str:
    """The address a client is counted by.

    REMOTE_ADDR is whoever opened the connection. Only when it is one of TRUSTED_PROXIES is
    X-Forwarded-For believed, and read from the right: each proxy appends the address it was
    called from, so the right-most address that is not a trusted proxy is the client's, and
    anything left of it was written by the client itself and may be forged. IPv6 clients are
    counted by their /64 network.
    """
    peer = _address(str(request.META.get("REMOTE_ADDR", "")))
    if peer is None:
        return "unknown"
    proxies = _trusted_proxies()
    client = peer
    if _among(peer, proxies):
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        for hop in reversed(forwarded.split(",")):
            address = _address(hop)
            if address is None:
                break  # a trusted proxy never writes this: keep the last address it vouched for
            client = address
            if not _among(address, proxies):
                break
    if client.version == 6:
        return str(ipaddress.ip_network(f"{client}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(client)


def _trusted_proxies() -> list[Network]:
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES]


def _among(address: Address, networks: list[Network]) -> bool:
    return any(address in network for network in networks)


def _address(text: str) -> Address | None:
    """The address in one hop of X-Forwarded-For (or REMOTE_ADDR), its port dropped if any."""
    text = text.strip().strip('"')
    if text.startswith("["):  # [2001:db8::1]:443
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _counter(key: str, window_seconds: int, now: float) -> tuple[str, int]:
    window = int(now // window_seconds)
    return f"rl:{key}:{window}", window


def reached(key: str, *, limit: int, window_seconds: int) -> bool:
    """Whether `key` already had its `limit` in this window, counting nothing."""
    counter, _ = _counter(key, window_seconds, time.time())
    try:
        count = caches[LIMITS_CACHE].get(counter, 0)
    except Exception:
        logger.exception("Rate limit %s not read: the limits store failed", key.split(":")[0])
        return False
    return int(count) >= limit


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request under `key`; False once the window's limit is exceeded."""
    now = time.time()
    counter, window = _counter(key, window_seconds, now)
    # The counter lives to the end of its window, and a second more for clocks a little apart.
    lifetime = (window + 1) * window_seconds - now + 1
    counters = caches[LIMITS_CACHE]
    try:
        try:
            count = counters.incr(counter)
        except ValueError:  # the window's first request
            counters.add(counter, 0, timeout=lifetime)
            count = counters.incr(counter)
    except Exception:
        # The key names a client; the log names only the limit.
        logger.exception("Rate limit %s not counted: the limits store failed", key.split(":")[0])
        return True
    return count <= limit


def refusal(
    request: HttpRequest, scope: str, *, limit: int, window_seconds: int = 60
) -> HttpResponse | None:
    """Count one request of this client under `scope`: the readable 429 page once it made more
    than `limit` in the window, else None."""
    if hit(f"{scope}:{client_address(request)}", limit=limit, window_seconds=window_seconds):
        return None
    response = render(request, "cetate/too_many_requests.html", status=429)
    response["Retry-After"] = str(window_seconds)
    return response


def rate_limited(scope: str, *, limit: int, window_seconds: int = 60) -> Callable[[View], View]:
    """Answer 429 with a readable page when one address calls a view too often."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            refused = refusal(request, scope, limit=limit, window_seconds=window_seconds)
            return refused or view(request, *args, **kwargs)

        return wrapper

    return decorate
