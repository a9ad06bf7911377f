"""Every setting of Cetate, read from the environment (see the table in README.md).

Defaults run the embedded demo: SQLite file, database job queue, mail written to files and
media on disk under ./var. Production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, EMAIL_URL
and CETATE_HTTPS.
"""

import ipaddress
import secrets
from datetime import date
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from cetate.lib.colour import header_colour
from cetate.lib.csp_sources import tile_source
from cetate.lib.env import (
    ConfigurationError,
    database_from_url,
    email_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_path,
    env_str,
    imap_from_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env_path("CETATE_VAR_DIR", BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)
DEMO_MODE = env_bool("CETATE_DEMO", False)
HTTPS = env_bool("CETATE_HTTPS", False)
PORT = env_int("PORT", 8000, minimum=1, maximum=65535)


def _secret_key() -> str:
    """SECRET_KEY from the environment; the embedded default keeps a generated one in ./var."""
    key = env_str("SECRET_KEY", "")
    if key:
        if len(key) < 50:
            raise ConfigurationError("SECRET_KEY must be at least 50 characters long")
        return key
    if HTTPS:
        raise ConfigurationError("SECRET_KEY must be set when CETATE_HTTPS is on")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "cetate.accounts.admin_app.CetateAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "cetate.accounts",
    "cetate.directory",
    "cetate.contacts",
    "cetate.cases",
    "cetate.monitoring",
    "cetate.knowledge",
    "cetate.demo",
    "cetate.ops",
    "cetate.portal",
    "cetate.telephony",
    "cetate.console",
    "cetate.open311",
    "cetate.api",
    "cetate.webhooks",
    "cetate.outbox",
    "cetate.mail",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language chosen with the switch, else Romanian (cetate/lib/language.py).
    "cetate.lib.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cetate.ops.body_limits.BodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cetate.accounts.middleware.StaffSessionMiddleware",
    "cetate.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A view that meets an unreachable database answers 503 with what was typed, not a 500.
    "cetate.lib.outage.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "cetate.urls"
WSGI_APPLICATION = "cetate.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cetate" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "cetate.context_processors.city",
                "cetate.console.context.console",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cetate.sqlite3'}"), base_dir=BASE_DIR
    )
}
_replica_url = env_str("DATABASE_REPLICA_URL", "")
if _replica_url:
    DATABASES["reports"] = database_from_url(_replica_url, base_dir=BASE_DIR)
    DATABASES["reports"]["TEST"] = {"MIRROR": "default"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ro"
LANGUAGES = [("ro", _("Romanian")), ("en", _("English"))]
# Pages open in LANGUAGE_CODE unless the visitor chose another with the language switch, which
# is remembered for a year; following the browser's Accept-Language is a choice of the city.
LANGUAGE_FROM_BROWSER = env_bool("LANGUAGE_FROM_BROWSER", False)
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "cetate" / "locale"]
TIME_ZONE = "Europe/Bucharest"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "cetate" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env_path("MEDIA_ROOT", VAR_DIR / "media")
# Previews of the cases' photos, made on first request (cetate/console/photos.py).
THUMBNAIL_DIR = VAR_DIR / "thumbnails"
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
_s3_bucket = env_str("MEDIA_S3_BUCKET", "")
if _s3_bucket:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _s3_bucket,
            "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL", "") or None,
            "access_key": env_str("MEDIA_S3_ACCESS_KEY", ""),
            "secret_key": env_str("MEDIA_S3_SECRET_KEY", ""),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }

_email = email_from_url(env_str("EMAIL_URL", "file://"))
EMAIL_BACKEND = _email.backend
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = _email.host
EMAIL_PORT = _email.port
EMAIL_HOST_USER = _email.user
EMAIL_HOST_PASSWORD = _email.password
EMAIL_USE_TLS = _email.use_tls
EMAIL_USE_SSL = _email.use_ssl
# Seconds the mail server may take over one exchange; the worker sends, never a request.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1, maximum=300)
# Mail owed (cetate/outbox/): how long a worker's claim on a message lasts (a worker that died
# while sending leaves it, and the message is taken again after this), and how many attempts,
# 1, 2, 4 … 60 minutes apart (about six hours with the default), before it is set aside for an
# administrator.
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 300, minimum=1)
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 12, minimum=1, maximum=50)
# Mail to the city (cetate/mail/): a message larger than this is held for a person to look at
# (kept whole all the same), and a sender that opened this many cases in the last hour opens no
# more and is answered no more (a mail loop with an automatic responder).
MAIL_MAX_BYTES = env_int("MAIL_MAX_MB", 25, minimum=1, maximum=500) * 1024 * 1024
MAIL_LOOP_LIMIT = env_int("MAIL_LOOP_LIMIT", 5, minimum=1, maximum=1000)
# Mail that looks like spam is held for a person to look at (cetate/mail/spam.py): a message
# scoring MAIL_SPAM_THRESHOLD points or more. Points come from what the city's mail server wrote
# on it: a DMARC fail, an SPF fail or softfail, a DKIM fail (with no good signature), no SPF,
# DKIM or DMARC result at all, and its spam filter's verdict (X-Spam-Flag: YES, X-Spam-Status:
# Yes, X-Spam: Yes); 0 leaves a reason out. MAIL_AUTHSERV_ID names the city's mail server as it
# signs its Authentication-Results headers (comma-separated, for several): only those headers
# are read. Empty: only the topmost header is read, the one the city's server added; a lower
# one may be the sender's own.
MAIL_AUTHSERV_ID = [
    authserv_id.lower() for authserv_id in env_list("MAIL_AUTHSERV_ID", []) if authserv_id
]
MAIL_SPAM_THRESHOLD = env_int("MAIL_SPAM_THRESHOLD", 5, minimum=1, maximum=100)
MAIL_SPAM_POINTS = {
    "dmarc_fail": env_int("MAIL_SPAM_DMARC_FAIL", 4, maximum=100),
    "spf_fail": env_int("MAIL_SPAM_SPF_FAIL", 2, maximum=100),
    "spf_softfail": env_int("MAIL_SPAM_SPF_SOFTFAIL", 1, maximum=100),
    "dkim_fail": env_int("MAIL_SPAM_DKIM_FAIL", 1, maximum=100),
    "unauthenticated": env_int("MAIL_SPAM_UNAUTHENTICATED", 1, maximum=100),
    "marked_spam": env_int("MAIL_SPAM_MARKED", 5, maximum=100),
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Primăria <registratura@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address replies to Cetate's mail go to; a signed tag naming the case is added to its
# local part ("registratura+c-12-1a2b3c4d5e6f@..."). Empty: DEFAULT_FROM_EMAIL's address.
MAIL_REPLY_ADDRESS = env_str("MAIL_REPLY_ADDRESS", "")
# A reply to a resolved or closed case reopens it ("reopen") or opens a new case linked to it
# ("new").
MAIL_REPLY_TO_CLOSED = env_choice("MAIL_REPLY_TO_CLOSED", "reopen", ("reopen", "new"))
# The city's mailbox, read into cases (cetate/mail/imap.py): `imaps://user:password@host/INBOX`;
# empty leaves the mailbox alone. A malformed URL stops the start with a message naming it.
MAIL_IMAP_URL = env_str("MAIL_IMAP_URL", "").strip()
if MAIL_IMAP_URL:
    imap_from_url(MAIL_IMAP_URL)
# How often the worker reads that mailbox, in seconds.
MAIL_POLL_SECONDS = env_int("MAIL_POLL_SECONDS", 60, minimum=5, maximum=3600)
# How long deciding a stored message may take before the worker takes it over, in seconds: a
# message whose handling was cut short (its process stopped) is decided that much later.
MAIL_DECIDING_SECONDS = env_int("MAIL_DECIDING_SECONDS", 300, minimum=30, maximum=86400)
# Messages tied to no case (delivery reports, automatic replies, loops, duplicates, feedback
# reports) are kept this many days, then their bytes and personal details are removed by the
# daily retention job. Held messages stay until a person decides on them.
MAIL_KEEP_UNLINKED_DAYS = env_int("MAIL_KEEP_UNLINKED_DAYS", 90, minimum=1, maximum=3650)

# The city this installation serves: shown on pages, letters and receipts.
CITY_NAME = env_str("CITY_NAME", "Municipiul Alba Iulia")
# The portal's header: the city's logo (an image URL; empty shows the name alone) and colour,
# which white text must be readable on (refused below 4.5:1, see cetate/lib/colour.py).
CITY_LOGO_URL = env_str("CITY_LOGO_URL", "")
CITY_COLOUR = header_colour(env_str("CITY_COLOUR", "#7a1f1f"))
# The city hall's contacts, printed in the header of its letters and receipts.
CITY_POSTAL_ADDRESS = env_str(
    "CITY_POSTAL_ADDRESS",
    "Primăria Municipiului Alba Iulia, Calea Moților nr. 5A, 510134 Alba Iulia",
)
CITY_EMAIL = env_str("CITY_EMAIL", "registratura@apulum.ro")
CITY_PHONE = env_str("CITY_PHONE", "0258 819 462")
CITY_WEBSITE = env_str("CITY_WEBSITE", "www.apulum.ro")
# Who signs the city's answers beside the head of the department that handled the case (OG
# 27/2002 art. 13): the head of the institution, or whoever signs for them, e.g. title
# "Viceprimar" signing for "Primar".
LETTER_SIGNATORY_TITLE = env_str("LETTER_SIGNATORY_TITLE", "Primar")
LETTER_SIGNATORY_NAME = env_str("LETTER_SIGNATORY_NAME", "")
LETTER_SIGNATORY_FOR = env_str("LETTER_SIGNATORY_FOR", "")
# Named in the privacy notice and the accessibility statement, both built from these settings.
DATA_PROTECTION_EMAIL = env_str("DATA_PROTECTION_EMAIL", CITY_EMAIL)
DATA_PROTECTION_OFFICER = env_str("DATA_PROTECTION_OFFICER", "")
DATA_PROTECTION_PHONE = env_str("DATA_PROTECTION_PHONE", CITY_PHONE)
# Who runs the mail server of EMAIL_URL, named in the privacy notice as a recipient of the
# residents' addresses; empty names the server's host.
MAIL_PROVIDER = env_str("MAIL_PROVIDER", "")
# How long a case's personal data is kept, in years after the year it closed, when its category
# names no file code of the archival nomenclature (the register's usual term).
RETENTION_YEARS = env_int("RETENTION_YEARS", 10, minimum=1, maximum=100)
ACCESSIBILITY_EMAIL = env_str("ACCESSIBILITY_EMAIL", CITY_EMAIL)
try:
    ACCESSIBILITY_REVIEWED = date.fromisoformat(env_str("ACCESSIBILITY_REVIEWED", "2026-11-29"))
except ValueError:
    raise ConfigurationError("ACCESSIBILITY_REVIEWED must be a date such as 2026-11-29") from None
CITY_AREA_CODE = env_str("CITY_AREA_CODE", "city")
# A service article not reviewed for this many months is listed for its department's editors.
KNOWLEDGE_REVIEW_MONTHS = env_int("KNOWLEDGE_REVIEW_MONTHS", 12, minimum=1, maximum=120)
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 10, minimum=1, maximum=200) * 1024 * 1024
# Photos are refused above this many pixels, read from their header before decoding; checking
# one costs about 4 bytes a pixel of memory (1 for palette images). Pillow refuses 179 MP.
UPLOAD_MAX_PIXELS = env_int("UPLOAD_MAX_MEGAPIXELS", 40, minimum=1, maximum=170) * 1_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_BYTES + 1024 * 1024
# The largest request body a page without files accepts; a page that receives files accepts
# as many times ATTACHMENT_MAX_BYTES more (cetate/ops/body_limits.py). Larger: 413, unread.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_MB", 2, minimum=1, maximum=100) * 1024 * 1024
WORKER_HEARTBEAT_STALE_SECONDS = env_int("WORKER_STALE_SECONDS", 120, minimum=5)
# Queued jobs (cetate/ops/worker.py): a job still running after JOB_LEASE_SECONDS lost its
# worker and is run again; a job that fails is tried JOB_MAX_ATTEMPTS times, 30 s, 1, 2, 4 …
# minutes apart, then set aside for an administrator.
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 600, minimum=1)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 5, minimum=1, maximum=50)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "console:home"
# A staff session ends after this many hours without activity (cetate/accounts/staff_sessions.py).
STAFF_SESSION_IDLE_HOURS = env_int("STAFF_SESSION_IDLE_HOURS", 10, minimum=1, maximum=24 * 14)
# The name authenticator apps show beside the code (cetate/accounts/second_factor.py).
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", f"Cetate {CITY_NAME}")

# The city's phone exchange posts call events to /telephony/cti/<token>; empty turns it off.
CTI_TOKEN = env_str("CTI_TOKEN", "demo-telephony-token" if DEMO_MODE else "")
if CTI_TOKEN and len(CTI_TOKEN) < 16:
    raise ConfigurationError("CTI_TOKEN must be at least 16 characters long")
# Webhooks: how long a receiver may take, how often a delivery is tried, and which private
# networks (CIDR, e.g. 10.0.5.0/24) receivers may live in; public addresses are always allowed.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10, minimum=1, maximum=120)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8, minimum=1, maximum=20)
WEBHOOK_ALLOWED_NETWORKS = env_list("WEBHOOK_ALLOWED_NETWORKS", [])
for _network in WEBHOOK_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ConfigurationError(
            f"WEBHOOK_ALLOWED_NETWORKS: {_network!r} is not a network such as 10.0.5.0/24"
        ) from None
# Map background tiles; empty draws the city's boundary and the cases on a plain background.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION", '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)

# Content-Security-Policy (django-csp): scripts and styles only from the site itself, inline
# ones only with the page's nonce; images also as data: URIs (QR codes) and from the tile server.
_tiles = tile_source(MAP_TILE_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", *([_tiles] if _tiles else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# The date the city holds itself to for an answer (cetate/cases/deadlines.py): "strict" counts
# the term's days from the registration day and moves a day off back to the working day before;
# "legal" is the law's latest date.
INTERNAL_DUE_RULE = env_choice("INTERNAL_DUE_RULE", "strict", ("strict", "legal"))
# Who decides to extend a case's legal deadline besides supervisors and administrators: the
# head of the department (and only them), or any officer of the department.
EXTENSION_DECIDED_BY = env_choice(
    "EXTENSION_DECIDED_BY", "department_head", ("department_head", "officer")
)

# Open311 GeoReport v2: the jurisdiction_id clients may send, and how many calls one API key
# (or, without a key, one address) may make per minute.
OPEN311_JURISDICTION = env_str("OPEN311_JURISDICTION", "apulum.ro")
OPEN311_RATE_LIMIT = env_int("OPEN311_RATE_LIMIT", 120, minimum=1)

# Two caches. "default" keeps what can be computed again (the public map's answers): the memory
# of each process, or Redis at CACHE_URL. "limits" keeps the rate limits' counters
# (cetate/lib/ratelimit.py) and nothing else, so no cached answer can evict them, and is shared
# by every process: a table of the database (cetate/ops/counters.py), or Redis at CACHE_URL.
_cache_url = env_str("CACHE_URL", "")
if _cache_url and not _cache_url.startswith(("redis://", "rediss://", "unix://")):
    raise ConfigurationError(f"CACHE_URL={_cache_url!r}: expected redis://host:6379/0")
_REDIS = "django.core.cache.backends.redis.RedisCache"
CACHES: dict[str, dict[str, object]] = {
    "default": (
        {"BACKEND": _REDIS, "LOCATION": _cache_url}
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    "limits": (
        {"BACKEND": _REDIS, "LOCATION": _cache_url, "KEY_PREFIX": "limits"}
        if _cache_url
        else {"BACKEND": "cetate.ops.counters.DatabaseCounters"}
    ),
}
# The proxies and load balancers in front of the web processes (addresses or networks such as
# 10.0.0.0/8). A request they pass on is counted by the address they report in X-Forwarded-For;
# from anyone else that header is ignored, since a client can write whatever it likes in it.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ConfigurationError(
            f"TRUSTED_PROXIES: {_proxy!r} is not an address or network such as 10.0.0.0/8"
        ) from None

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # The bounce detector names each of its detectors as it runs them, for every message.
    "loggers": {"django_tasks": {"level": "WARNING"}, "flufl.bounce": {"level": "WARNING"}},
}
AUTH_USER_MODEL = "accounts.User"

# The REST API for the city's own systems (/api/v1/, docs/api.md): staff tokens or sessions.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cetate.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["cetate.api.permissions.IsStaffMember"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cetate.api.errors.handle_exception",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cetate REST API",
    "DESCRIPTION": "The case register for the city's own systems. See docs/api.md.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CaseKindEnum": "cetate.cases.choices.Kind",
        "StatusEnum": "cetate.cases.workflow.Status",
        "AnswerChannelEnum": "cetate.contacts.models.AnswerChannel",
        "ContactKindEnum": "cetate.contacts.models.Contact.Kind",
        "DepartmentKindEnum": "cetate.directory.models.Department.Kind",
        "AreaKindEnum": "cetate.directory.models.Area.Kind",
        "CaseOutcomeEnum": "cetate.cases.choices.Outcome",
        "AnswerOutcomeEnum": ["granted", "partly_granted", "refused"],
    },
}
