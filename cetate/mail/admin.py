"""Incoming mail in the admin, read-only: the pipeline alone writes it. A message's page links
to its bytes as received."""

from django.contrib import admin

from cetate.cases.admin import ReadOnlyPersonalDataAdmin
from cetate.mail.models import InboundMessage


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyPersonalDataAdmin):
    list_display = ["received_at", "sender", "subject", "source", "outcome", "case"]
    list_filter = ["outcome", "source", "received_at"]
    search_fields = ["=sender", "=message_id", "subject"]
    date_hierarchy = "received_at"
    list_select_related = ["case"]
    readonly_fields = tuple(
        field.name for field in InboundMessage._meta.fields if field.name != "id"
    )
    fields = readonly_fields
