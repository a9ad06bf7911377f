"""Every error of the API in one shape: {"errors": [{"field", "code", "message"}]}.

`field` names the input at fault (dotted for nested input, e.g. "reporter.email" or
"answers.pole"), or is null for an error about the request as a whole. The domain's refusals
map to HTTP as the console shows them: a rule refuses (400), the role does not allow it (403),
someone changed the case meanwhile (409); the database cannot be reached (503, with
Retry-After).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler

from cetate.cases.answers import InvalidAnswers
from cetate.cases.errors import DomainError, NotAllowed
from cetate.cases.services import StaleCase
from cetate.lib.outage import RETRY_AFTER_SECONDS, is_outage, unreachable_message

NON_FIELD_KEYS = frozenset({"non_field_errors", "detail"})


def error(message: str, code: str, field: str | None = None) -> dict[str, Any]:
    return {"field": field, "code": code, "message": message}


def handle_exception(exc: Exception, context: dict[str, Any]) -> Response | None:
    if is_outage(exc):
        # Nothing was written: the client sends the request again after a while.
        return Response(
            {"errors": [error(unreachable_message(), "unavailable")]},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    if isinstance(exc, DomainError):
        return _domain_response(exc)
    # Django's own 404 and 403 (from the access helpers) in DRF's terms, with their codes.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, APIException):
        response.data = {"errors": list(_flatten(exc.get_full_details(), None))}
    return response


def _domain_response(exc: DomainError) -> Response:
    if isinstance(exc, StaleCase):
        return Response({"errors": [error(str(exc), "stale")]}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, NotAllowed):
        return Response(
            {"errors": [error(str(exc), "not_allowed")]}, status=status.HTTP_403_FORBIDDEN
        )
    if isinstance(exc, InvalidAnswers):
        errors = [
            error(message, "invalid", f"answers.{code}") for code, message in exc.errors.items()
        ]
        return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    return Response({"errors": [error(str(exc), "refused")]}, status=status.HTTP_400_BAD_REQUEST)


def _flatten(details: Any, field: str | None) -> Iterator[dict[str, Any]]:
    """DRF's nested error details as a flat list, each with the dotted path of its input."""
    if isinstance(details, dict):
        if set(details) == {"message", "code"}:
            yield error(str(details["message"]), str(details["code"]), field)
            return
        for key, value in details.items():
            name = None if key in NON_FIELD_KEYS else str(key)
            yield from _flatten(value, _join(field, name))
    elif isinstance(details, list):
        for index, value in enumerate(details):
            # A list of errors of one field keeps the field's name; a list of nested inputs
            # (many=True) names each input by its position.
            is_item = isinstance(value, dict) and set(value) != {"message", "code"}
            yield from _flatten(value, _join(field, str(index)) if is_item else field)
    else:
        yield error(str(details), "invalid", field)


def _join(field: str | None, name: str | None) -> str | None:
    if name is None:
        return field
    return f"{field}.{name}" if field else name
