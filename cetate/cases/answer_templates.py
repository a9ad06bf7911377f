"""Model answers: the response templates offered for a case, filled in from the case."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from cetate.accounts.models import User
from cetate.cases.models import Case
from cetate.directory.models import ANSWER_PURPOSES, ANSWERING_STATUSES, ResponseTemplate

DATE_FORMAT = "%d.%m.%Y"


def templates_for(case: Case, status: str, *, answers: bool = False) -> QuerySet[ResponseTemplate]:
    """The templates for this case's category (or for every category) and `status` (or every
    status), in the case's language; Romanian ones when none is written in it.

    `answers`: the answer of a case, offered only the templates written as answers (an
    acknowledgement is not one); otherwise only messages.
    """
    answering = Q(purpose__in=list(ANSWER_PURPOSES)) | Q(purpose="", status__in=ANSWERING_STATUSES)
    fitting = ResponseTemplate.objects.filter(
        Q(category__isnull=True) | Q(category_id=case.category_id),
        Q(status="") | Q(status=status),
        answering if answers else ~answering,
    ).select_related("category")
    # The most specific first: a template of the category before one for every category.
    ordered = fitting.order_by("category_id", "status", "name")
    in_language = ordered.filter(language=case.language)
    return in_language if in_language.exists() else ordered.filter(language="ro")


def placeholder_values(case: Case, officer: User) -> dict[str, Any]:
    """What the placeholders of a template stand for, for this case and officer."""
    due = case.legal_due or (
        timezone.localtime(case.service_due).date() if case.service_due else None
    )
    return {
        "number": case.number,
        "date": timezone.localtime(case.registered_at).strftime(DATE_FORMAT),
        "category": case.category.label if case.category else "",
        "address": case.address,
        "officer": officer.get_full_name() or officer.get_username(),
        "deadline": due.strftime(DATE_FORMAT) if due else "",
        "resident": case.reporter.name if case.reporter else "",
    }


def filled(template: ResponseTemplate, case: Case, officer: User) -> str:
    """The template's text for this case, named in the resident's language (the category)."""
    language = case.language if case.language in dict(settings.LANGUAGES) else "ro"
    with translation.override(language):
        return template.render(placeholder_values(case, officer))
