"""Which addresses webhooks may be posted to.

A subscription must not turn Cetate into a probe of the city's internal network: receivers on
private, loopback or link-local addresses are refused unless their network is listed in
WEBHOOK_ALLOWED_NETWORKS. The check runs when the subscription is saved and again, on the
resolved address actually connected to, at every delivery.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedTarget(Exception):
    """The receiver's address is not one Cetate may post to."""


class UnknownHost(RefusedTarget):
    """The receiver's host name does not resolve (now)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def is_allowed(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_global:
        return True
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in settings.WEBHOOK_ALLOWED_NETWORKS
    )


def resolve(url: str) -> Target:
    """The address to connect to for `url`, checked; RefusedTarget when it may not be used."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedTarget(_("Only http:// and https:// addresses can receive webhooks."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise RefusedTarget(_("The address has an invalid port.")) from None
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise UnknownHost(
            _("The host %(host)s cannot be found: %(error)s")
            % {"host": parts.hostname, "error": error}
        ) from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
    refused = [address for address in addresses if not is_allowed(address)]
    if refused:
        raise RefusedTarget(
            _("%(host)s is in a private network (%(address)s), which may not receive webhooks.")
            % {"host": parts.hostname, "address": refused[0]}
        )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(parts.scheme, parts.hostname, port, path, str(addresses[0]))


def validate_target(url: str) -> None:
    """Refuse other schemes and private networks; a host not found today is allowed, its
    deliveries fail and say why."""
    try:
        resolve(url)
    except UnknownHost:
        return
    except RefusedTarget as error:
        raise ValidationError(str(error)) from None
