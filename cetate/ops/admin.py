"""Queued jobs are read here; a job set aside after its last attempt can be run again, or
forgotten once an administrator has dealt with it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks.base import TaskResultStatus
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class JobAdmin(DBTaskResultAdmin):
    actions = ["run_again"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = request.user.has_perm("django_tasks_database.delete_dbtaskresult")
        return allowed and (obj is None or obj.status == TaskResultStatus.FAILED)

    def has_rerun_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("django_tasks_database.change_dbtaskresult")

    @admin.action(description=_("Run again now, with all its attempts"), permissions=["rerun"])
    def run_again(self, request: HttpRequest, queryset: QuerySet[DBTaskResult[Any, Any]]) -> None:
        count = queryset.filter(status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY,
            run_after=timezone.now(),
            finished_at=None,
            worker_ids=[],
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d job will run again now.", "%(count)d jobs will run again now.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
