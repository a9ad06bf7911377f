"""Cursor pagination of case lists: by id, so that a page costs an index range scan whatever
the register's size, and no count is ever taken."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import CursorPagination
from rest_framework.request import Request


class CasePagination(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_ordering(self, request: Request, queryset: Any, view: Any) -> tuple[str, ...]:
        return ("id",) if request.query_params.get("ordering") == "id" else ("-id",)
