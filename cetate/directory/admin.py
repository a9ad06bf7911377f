from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cetate.directory.models import (
    Area,
    Category,
    CategoryQuestion,
    Department,
    FileCode,
    LegalBasis,
    NonWorkingDay,
    ResponseTemplate,
    RoutingRule,
    Street,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ["name", "code", "kind", "email", "head_title", "head_name", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "name_en", "code", "head_name"]


@admin.register(FileCode)
class FileCodeAdmin(admin.ModelAdmin[FileCode]):
    list_display = ["code", "name", "retention_years", "kept_by_law", "legal_basis"]
    list_filter = ["kept_by_law"]
    search_fields = ["code", "name", "name_en"]


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin[LegalBasis]):
    list_display = ["citation", "name", "code", "kind", "outcome", "refusal_ground", "is_active"]
    list_filter = ["outcome", "kind", "refusal_ground", "is_active"]
    search_fields = ["code", "citation", "name", "name_en"]
    ordering = ["outcome", "order", "code"]
    fields = [
        "code",
        "kind",
        "outcome",
        "refusal_ground",
        "citation",
        "name",
        "name_en",
        "order",
        "is_active",
    ]


class QuestionInline(admin.TabularInline[CategoryQuestion, Category]):
    model = CategoryQuestion
    extra = 0


class TemplateInline(admin.StackedInline[ResponseTemplate, Category]):
    model = ResponseTemplate
    extra = 0


class RoutingInline(admin.TabularInline[RoutingRule, Category]):
    model = RoutingRule
    extra = 0
    autocomplete_fields = ["area", "department"]


class GroupFilter(admin.SimpleListFilter):
    title = _("level")
    parameter_name = "level"

    def lookups(self, request: HttpRequest, model_admin: object) -> list[tuple[str, str]]:
        return [("group", str(_("groups"))), ("leaf", str(_("categories")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Category]) -> QuerySet[Category]:
        if self.value() == "group":
            return queryset.filter(parent__isnull=True)
        if self.value() == "leaf":
            return queryset.filter(parent__isnull=False)
        return queryset


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = [
        "name",
        "code",
        "parent",
        "department",
        "service_target",
        "service_target_unit",
        "anonymous_allowed",
        "public_map",
        "file_code",
        "is_active",
    ]
    list_filter = [
        GroupFilter,
        "parent",
        "department",
        "file_code",
        "anonymous_allowed",
        "public_map",
        "public_location",
        "public_text",
        "sensitive",
        "when_not_resolved",
    ]
    search_fields = ["name", "name_en", "code", "keywords"]
    autocomplete_fields = ["parent", "department"]
    inlines = [QuestionInline, RoutingInline, TemplateInline]


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin[ResponseTemplate]):
    list_display = ["name", "category", "status", "purpose", "language"]
    list_filter = ["language", "status", "purpose", "category"]
    search_fields = ["name", "body"]
    autocomplete_fields = ["category"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ["name", "code", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin[RoutingRule]):
    list_display = ["category", "area", "department"]
    autocomplete_fields = ["category", "area", "department"]


@admin.register(Street)
class StreetAdmin(admin.ModelAdmin[Street]):
    list_display = ["full_name", "number_range", "postal_code"]
    search_fields = ["name", "search_key", "postal_code"]


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(admin.ModelAdmin[NonWorkingDay]):
    list_display = ["date", "reason"]
    date_hierarchy = "date"
