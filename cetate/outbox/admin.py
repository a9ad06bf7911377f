"""Owed mail is read here; what was set aside can be sent again."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cetate.outbox.models import OutgoingMail
from cetate.outbox.sending import send_again


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin[OutgoingMail]):
    list_display = [
        "id",
        "purpose",
        "case",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
        "created_at",
    ]
    list_filter = ["status", "purpose"]
    list_select_related = ["case"]
    search_fields = ["case__number"]
    show_full_result_count = False
    # The parameters are left out: a portal link in them is a key to a resident's cases.
    fields = readonly_fields = (
        "purpose",
        "case",
        "event",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "claimed_until",
        "sent_at",
        "created_at",
    )
    actions = ["send_now"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("outbox.change_outgoingmail")

    @admin.action(description=_("Send again now"), permissions=["resend"])
    def send_now(self, request: HttpRequest, queryset: QuerySet[OutgoingMail]) -> None:
        count = send_again(list(queryset))
        self.message_user(
            request,
            ngettext(
                "%(count)d message will be sent again now.",
                "%(count)d messages will be sent again now.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
