"""The error body every failing request answers with, for the schema."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(
        allow_null=True,
        help_text='The input at fault, dotted when nested ("reporter.email", '
        '"answers.pole"); null for the request as a whole.',
    )
    code = serializers.CharField(
        help_text='Machine-readable: "required", "invalid", "does_not_exist", "refused" '
        '(a rule of the register), "not_allowed" (the role), "stale" (changed meanwhile), '
        '"not_authenticated", "not_found", …'
    )
    message = serializers.CharField(help_text="In the language of the request (Accept-Language).")


class ErrorsSerializer(serializers.Serializer[Any]):
    # Declared in get_fields: `errors` is also an attribute of every serializer.
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {"errors": ErrorSerializer(many=True)}


WHAT = {
    400: "The input is invalid or a rule of the register refuses it.",
    401: "No valid token or session.",
    403: "The user has no staff role, or their role does not allow this on this case.",
    404: "No such object among those the user may see.",
    409: "The case changed after `seen`: review it and try again.",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error answers of an operation; 401 and 403 apply to every one."""
    return {
        code: OpenApiResponse(ErrorsSerializer, description=WHAT[code])
        for code in sorted({401, 403, *codes})
    }
