"""Sources for the Content-Security-Policy that come from settings."""

from __future__ import annotations

from urllib.parse import urlsplit


def tile_source(url: str) -> str | None:
    """The origin a map tile URL template loads from, as a CSP source; None for none.

    `https://{s}.tile.example.org/{z}/{x}/{y}.png` → `https://*.tile.example.org`: Leaflet
    fills `{s}` with a subdomain, which the policy allows with a wildcard.
    """
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return None
    host = parts.netloc.rsplit("@", 1)[-1]
    labels = host.split(".")
    if labels and "{" in labels[0]:
        labels[0] = "*"
    if any("{" in label for label in labels):
        return None  # a template the policy cannot name: tiles would be refused
    return f"{parts.scheme}://{'.'.join(labels)}"
