"""Addresses under the API that name nothing."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


@extend_schema(exclude=True)
class NotFoundView(APIView):
    permission_classes = [AllowAny]

    def dispatch_to_not_found(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise NotFound

    get = post = put = patch = delete = head = options = dispatch_to_not_found
