"""Secrets handed to other systems (API keys, tokens): shown once, stored only as a hash.

A key starts with a fixed prefix naming its kind (`o311_`, `ctk_`), so that one found in a log
or a repository is recognised; the first characters after the prefix are kept in clear to tell
keys apart in lists. The rest exists only in the hands of whoever received it.
"""

from __future__ import annotations

import hashlib
import secrets

# Characters kept in clear after the kind's prefix.
VISIBLE_CHARACTERS = 4


def new_key(prefix: str) -> str:
    """A new random key of the kind `prefix` (240 bits of randomness)."""
    return prefix + secrets.token_urlsafe(30)


def hash_key(raw: str) -> str:
    """The SHA-256 of a key: keys are long random strings, so no slow hash is needed."""
    return hashlib.sha256(raw.encode()).hexdigest()


def visible_part(raw: str, prefix: str) -> str:
    """What is shown of a key: its prefix and the first few characters after it."""
    return raw[: len(prefix) + VISIBLE_CHARACTERS]
