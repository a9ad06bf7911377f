"""The catalogue of services as integrators read it: published articles only."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cetate.api.serializers.directory import QuestionSerializer
from cetate.knowledge.models import Article, RequiredAttachment, ServiceField


class ServiceFieldSerializer(QuestionSerializer):
    """A question of the online request, shaped as a category's (an Open311 attribute)."""

    class Meta(QuestionSerializer.Meta):
        model = ServiceField  # type: ignore[assignment]


class RequiredDocumentSerializer(serializers.ModelSerializer[RequiredAttachment]):
    code = serializers.CharField(read_only=True)

    class Meta:
        model = RequiredAttachment
        fields = ["code", "name", "name_en", "required", "order"]


class ServiceSerializer(serializers.ModelSerializer[Article]):
    code = serializers.CharField(read_only=True)
    department_code = serializers.CharField(source="department.code", read_only=True)
    title = serializers.CharField(source="published.title", read_only=True)
    title_en = serializers.CharField(source="published.title_en", read_only=True)
    summary = serializers.CharField(source="published.summary", read_only=True)
    summary_en = serializers.CharField(source="published.summary_en", read_only=True)
    version = serializers.IntegerField(
        source="published.number", read_only=True, help_text="The published version's number."
    )
    published_at = serializers.DateTimeField(source="published.published_at", read_only=True)
    life_events = serializers.SerializerMethodField(help_text="The codes of its life events.")
    url = serializers.SerializerMethodField(help_text="Its page on the portal.")
    fields = ServiceFieldSerializer(  # type: ignore[assignment]
        source="request_fields",
        many=True,
        read_only=True,
        help_text="What its online request asks (Open311 attributes).",
    )
    documents = RequiredDocumentSerializer(
        source="request_documents",
        many=True,
        read_only=True,
        help_text="The documents its online request carries.",
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "code",
            "title",
            "title_en",
            "summary",
            "summary_en",
            "department",
            "department_code",
            "online",
            "term_days",
            "version",
            "published_at",
            "reviewed_at",
            "life_events",
            "url",
            "fields",
            "documents",
        ]

    def get_life_events(self, article: Article) -> list[str]:
        assert article.published is not None
        return [event.code for event in article.published.life_events.all()]

    def get_url(self, article: Article) -> str:
        request: Any = self.context.get("request")
        path = f"/servicii/{article.code}/"
        return str(request.build_absolute_uri(path)) if request is not None else path
