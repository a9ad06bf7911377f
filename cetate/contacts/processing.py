"""What the city's software does with residents' personal data, read from its settings and
its directory: how long each kind of case keeps it, who receives it, whom to ask. The privacy
notice is written from these facts, so that it changes when they do."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings

from cetate.directory.models import Category, Department, FileCode


@dataclass(frozen=True)
class Term:
    """A retention term and what it covers."""

    code: str
    name: str
    years: int
    kept_by_law: bool
    legal_basis: str
    categories: list[str]


@dataclass(frozen=True)
class ProcessingFacts:
    terms: list[Term]
    overrides: list[tuple[str, int]]
    default_years: int
    departments: list[str]
    organisations: list[str]
    open311_clients: list[str]
    webhook_receivers: list[str]
    mail_provider: str
    file_storage: str
    officer: str
    officer_email: str
    officer_phone: str


def processing_facts() -> ProcessingFacts:
    categories = list(
        Category.objects.filter(is_active=True, parent__isnull=False).select_related(
            "parent", "file_code", "parent__file_code"
        )
    )
    covered: dict[int, list[str]] = {}
    for category in categories:
        file_code = category.file_code or (category.parent.file_code if category.parent else None)
        if file_code is not None:
            covered.setdefault(file_code.pk, []).append(category.full_label)
    terms = [
        Term(
            code=file_code.code,
            name=file_code.label,
            years=file_code.retention_years,
            kept_by_law=file_code.kept_by_law,
            legal_basis=file_code.legal_basis,
            categories=sorted(covered.get(file_code.pk, [])),
        )
        for file_code in FileCode.objects.order_by("code")
    ]
    overrides = sorted(
        (category.full_label, category.retention_years)
        for category in categories
        if category.retention_years
    )
    departments = Department.objects.filter(is_active=True).order_by("name")
    return ProcessingFacts(
        terms=terms,
        overrides=overrides,
        default_years=settings.RETENTION_YEARS,
        departments=[d.label for d in departments if not d.is_external],
        organisations=[d.label for d in departments if d.is_external],
        open311_clients=_names("open311", "ApiKey", is_active=True),
        webhook_receivers=_names("webhooks", "Subscription", active=True),
        mail_provider=_mail_provider(),
        file_storage=_file_storage(),
        officer=settings.DATA_PROTECTION_OFFICER,
        officer_email=settings.DATA_PROTECTION_EMAIL,
        officer_phone=settings.DATA_PROTECTION_PHONE,
    )


def _names(app: str, model: str, **active: bool) -> list[str]:
    """Names of an integration's active rows, read through the registry: the register does
    not import the channels."""
    rows = apps.get_model(app, model).objects.filter(**active).order_by("name")
    return [str(name) for name in rows.values_list("name", flat=True)]


def _mail_provider() -> str:
    """Who sends the city's mail: the named provider, else the SMTP server's host; empty when
    mail does not leave the city's own server."""
    if settings.MAIL_PROVIDER:
        return str(settings.MAIL_PROVIDER)
    if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend"):
        return str(settings.EMAIL_HOST)
    return ""


def _file_storage() -> str:
    """Where photos and documents are stored when not on the city's own server."""
    options = settings.STORAGES["default"].get("OPTIONS")
    if not isinstance(options, dict) or "bucket_name" not in options:
        return ""
    endpoint = options.get("endpoint_url") or ""
    return urlsplit(str(endpoint)).hostname or str(endpoint) or "Amazon S3"
