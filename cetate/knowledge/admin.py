"""The technical administrator's view of the knowledge base: life events, and each service's
catalogue settings (department, online request fields and documents). Texts are written and
published in the console (/console/knowledge/), where drafts and versions are kept."""

from django.contrib import admin
from django.http import HttpRequest

from cetate.knowledge.models import (
    Article,
    ArticleVersion,
    LifeEvent,
    RequiredAttachment,
    ServiceField,
)


@admin.register(LifeEvent)
class LifeEventAdmin(admin.ModelAdmin[LifeEvent]):
    list_display = ["name", "name_en", "code", "order"]
    search_fields = ["name", "name_en", "code"]


class ServiceFieldInline(admin.TabularInline[ServiceField, Article]):
    model = ServiceField
    extra = 0


class RequiredAttachmentInline(admin.TabularInline[RequiredAttachment, Article]):
    model = RequiredAttachment
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin[Article]):
    list_display = ["code", "department", "online", "term_days", "reviewed_at", "is_demo"]
    list_filter = ["department", "online", "is_demo"]
    search_fields = ["code", "published__title"]
    fields = ["code", "department", "online", "term_days"]
    inlines = [ServiceFieldInline, RequiredAttachmentInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A new article starts with its draft, in the console.
        return False


@admin.register(ArticleVersion)
class ArticleVersionAdmin(admin.ModelAdmin[ArticleVersion]):
    list_display = ["article", "number", "title", "published_at", "published_by"]
    list_filter = ["article__department"]
    search_fields = ["title", "article__code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
