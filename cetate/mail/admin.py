"""Incoming mail in the admin, read-only: the pipeline alone writes it. A message's page offers
its bytes as received for download; each download is recorded as a view of personal data."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from cetate.cases.admin import ReadOnlyPersonalDataAdmin
from cetate.mail.models import InboundMessage


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyPersonalDataAdmin):
    list_display = ["received_at", "sender", "subject", "source", "outcome", "case"]
    list_filter = ["outcome", "source", "received_at"]
    search_fields = ["=sender", "=message_id", "subject"]
    date_hierarchy = "received_at"
    list_select_related = ["case"]
    readonly_fields = (
        "received_at",
        "source",
        "sender",
        "subject",
        "message_id",
        "outcome",
        "reason",
        "case",
        "decided_by",
        "decided_at",
        "decision",
        "size",
        "sha256",
        "download",
    )
    fields = readonly_fields

    @admin.display(description=_("message as received"))
    def download(self, message: InboundMessage) -> SafeString:
        url = reverse("admin:mail_inboundmessage_raw", args=[message.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download (.eml)"))

    def get_urls(self) -> list[URLPattern]:
        raw = path(
            "<int:pk>/raw/",
            self.admin_site.admin_view(self.raw_message),
            name="mail_inboundmessage_raw",
        )
        return [raw, *super().get_urls()]

    def raw_message(self, request: HttpRequest, pk: int) -> FileResponse:
        message = get_object_or_404(InboundMessage, pk=pk)
        if not self.has_view_permission(request, message):
            raise PermissionDenied
        self._record(request, self.contact_of(message), f"admin: raw message {message.pk}")
        return FileResponse(
            message.raw.open("rb"),
            as_attachment=True,
            filename=f"message-{message.pk}.eml",
            content_type="message/rfc822",
        )
