from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cetate.contacts.admin import PersonalDataAdmin
from cetate.contacts.models import Contact
from cetate.open311.models import ApiKey, ApiKeyUse, PrivilegedRead, Submission, new_raw_key


class UseInline(admin.TabularInline[ApiKeyUse, ApiKey]):
    model = ApiKeyUse
    extra = 0
    max_num = 0
    can_delete = False
    readonly_fields = ["day", "calls", "requests_created", "refused"]
    ordering = ["-day"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin[ApiKey]):
    list_display = [
        "name",
        "prefix",
        "is_active",
        "read_scope",
        "rate_limit",
        "created_at",
        "last_used_at",
        "calls",
        "requests_created",
    ]
    list_filter = ["is_active", "read_scope"]
    search_fields = ["name", "prefix"]
    fields = [
        "name",
        "is_active",
        "read_scope",
        "rate_limit",
        "prefix",
        "created_at",
        "last_used_at",
        "calls",
        "requests_created",
    ]
    readonly_fields = ["prefix", "created_at", "last_used_at", "calls", "requests_created"]
    inlines = [UseInline]
    actions = ["revoke"]

    def save_model(
        self, request: HttpRequest, obj: ApiKey, form: ModelForm[Any], change: bool
    ) -> None:
        if not change:
            raw = new_raw_key()
            obj.set_key(raw)
            messages.warning(
                request,
                _("The key of %(name)s is %(key)s — copy it now: it is not shown again.")
                % {"name": obj.name, "key": raw},
            )
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        queryset.update(is_active=False)


@admin.register(Submission)
class SubmissionAdmin(PersonalDataAdmin):
    list_display = ["created_at", "api_key", "case", "idempotency_key", "fixmystreet_id"]
    list_filter = ["api_key"]
    search_fields = ["idempotency_key", "fixmystreet_id"]
    list_select_related = ["api_key", "case"]
    readonly_fields = [field.name for field in Submission._meta.fields]

    def contact_of(self, obj: Submission) -> Contact | None:
        return obj.case.reporter if obj.case else None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Submission | None = None) -> bool:
        return False


@admin.register(PrivilegedRead)
class PrivilegedReadAdmin(admin.ModelAdmin[PrivilegedRead]):
    """Every read beyond what the public sees, by keys with the full read scope: kept, never
    changed here."""

    list_display = ["at", "api_key", "case_count", "path"]
    list_filter = ["api_key"]
    search_fields = ["path", "cases"]
    date_hierarchy = "at"
    list_select_related = ["api_key"]
    readonly_fields = ["api_key", "at", "path", "cases", "case_count"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: PrivilegedRead | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: PrivilegedRead | None = None
    ) -> bool:
        return False
