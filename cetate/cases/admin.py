"""The admin shows the register read-only: cases change only through the case services."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cetate.cases.models import Attachment, Case, Event, NotificationTemplate
from cetate.contacts.admin import PersonalDataAdmin
from cetate.contacts.models import Contact


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(admin.TabularInline[Event, Case]):
    model = Event
    fields = ("seq", "at", "kind", "actor", "from_status", "to_status", "public", "text")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyPersonalDataAdmin(ReadOnlyAdmin, PersonalDataAdmin):
    """Read-only pages of the register, which show residents' data: each view is recorded."""

    def contact_of(self, obj: Any) -> Contact | None:
        case = obj if isinstance(obj, Case) else getattr(obj, "case", None)
        return case.reporter if isinstance(case, Case) else None


@admin.register(Case)
class CaseAdmin(ReadOnlyPersonalDataAdmin):
    list_display = [
        "number",
        "registered_at",
        "kind",
        "channel",
        "category",
        "department",
        "status",
        "legal_due",
    ]
    list_filter = ["status", "kind", "channel", "department", "registration_year", "is_demo"]
    search_fields = ["tracking_code", "=registration_number", "title", "address"]
    list_select_related = ["category", "department"]
    date_hierarchy = "registered_at"
    show_full_result_count = False
    raw_id_fields = ["reporter", "merged_into", "entered_by", "assignee"]
    inlines = [EventInline]


@admin.register(Event)
class EventAdmin(ReadOnlyPersonalDataAdmin):
    list_display = ["case", "seq", "at", "kind", "actor", "to_status"]
    list_filter = ["kind"]
    raw_id_fields = ["case", "actor"]
    show_full_result_count = False


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyPersonalDataAdmin):
    list_display = ["original_name", "case", "content_type", "size", "created_at"]
    raw_id_fields = ["case", "uploaded_by"]


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin[NotificationTemplate]):
    list_display = ["occasion", "language", "subject"]
    list_filter = ["occasion", "language"]
