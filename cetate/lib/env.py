"""Typed readers of environment variables that fail loudly on bad values.

A misconfigured city hall server must refuse to start with a message naming the variable,
never run with a silently ignored setting.
"""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


class ConfigurationError(Exception):
    """An environment variable holds a value Cetate cannot use."""


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name}={raw!r}: expected true/false, yes/no, on/off or 1/0")


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int = 2**31) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name}={raw!r}: expected a whole number") from None
    if not minimum <= value <= maximum:
        raise ConfigurationError(f"{name}={value}: expected between {minimum} and {maximum}")
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise ConfigurationError(f"{name}={raw!r}: expected one of {', '.join(choices)}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).expanduser().resolve() if raw else default


def database_from_url(url: str, *, base_dir: Path) -> dict[str, Any]:
    """Django DATABASES entry for `sqlite:///path` or `postgres://user:pass@host:port/name`."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        raw_path = unquote(parts.path)
        # sqlite:///relative.db keeps one slash; sqlite:////abs/path.db keeps the leading one.
        path = Path(raw_path[1:]) if raw_path.startswith("/") else Path(raw_path)
        if not path.is_absolute():
            path = base_dir / path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            # IMMEDIATE makes every atomic block take the write lock up front, so two
            # writers queue on the busy timeout instead of failing to upgrade a read lock;
            # WAL lets pages be read while someone writes (docs/reliability.md).
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": _sqlite_timeout(url, parts.query),
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "TEST": {"NAME": str(path.with_name(f"test_{path.name}"))},
        }
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigurationError(f"DATABASE_URL={url!r}: the database name is missing")
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ConfigurationError(
        f"DATABASE_URL={url!r}: expected sqlite:///path/to/file.db or postgres://user@host/name"
    )


def _sqlite_timeout(url: str, query: str) -> float:
    """Seconds a writer waits for the write lock (`?timeout=`, 20 by default) before the
    database answers "database is locked"."""
    raw = parse_qs(query).get("timeout", ["20"])[-1]
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 600:
        raise ConfigurationError(
            f"DATABASE_URL={url!r}: timeout={raw!r} must be a number of seconds from 0 to 600"
        )
    return seconds


@dataclass(frozen=True)
class EmailSettings:
    backend: str
    host: str = ""
    port: int = 0
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False


def email_from_url(url: str) -> EmailSettings:
    """Email backend for `smtp://user:pass@host:587?tls=1`, `smtps://…`, `file://` or `console://`."""
    if url in {"", "file://"}:
        return EmailSettings(backend="django.core.mail.backends.filebased.EmailBackend")
    parts = urlsplit(url)
    if parts.scheme == "console":
        return EmailSettings(backend="django.core.mail.backends.console.EmailBackend")
    if parts.scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ConfigurationError(f"EMAIL_URL={url!r}: the SMTP host is missing")
        query = parse_qs(parts.query)
        return EmailSettings(
            backend="django.core.mail.backends.smtp.EmailBackend",
            host=parts.hostname,
            port=parts.port or (465 if parts.scheme == "smtps" else 25),
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            use_tls=query.get("tls", ["0"])[-1] in {"1", "true", "yes"},
            use_ssl=parts.scheme == "smtps",
        )
    raise ConfigurationError(
        f"EMAIL_URL={url!r}: expected smtp://user:password@host:port, smtps://…, file:// or console://"
    )


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    user: str
    password: str
    folder: str
    use_ssl: bool


def imap_from_url(url: str) -> ImapSettings:
    """The mailbox named by `imaps://user:password@host:993/INBOX` (or `imap://…`, without TLS,
    for a server on the same machine). User, password and folder are percent-decoded; the folder
    is INBOX when the path is empty."""
    parts = urlsplit(url)
    if parts.scheme not in {"imap", "imaps"}:
        raise ConfigurationError(
            f"MAIL_IMAP_URL={url!r}: expected imaps://user:password@host:port/INBOX or imap://…"
        )
    if not parts.hostname:
        raise ConfigurationError(f"MAIL_IMAP_URL={url!r}: the IMAP host is missing")
    if not parts.username:
        raise ConfigurationError(f"MAIL_IMAP_URL={url!r}: the user name is missing")
    try:
        port = parts.port or (993 if parts.scheme == "imaps" else 143)
    except ValueError:
        raise ConfigurationError(f"MAIL_IMAP_URL={url!r}: the port is not a number") from None
    return ImapSettings(
        host=parts.hostname,
        port=port,
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
        use_ssl=parts.scheme == "imaps",
    )
