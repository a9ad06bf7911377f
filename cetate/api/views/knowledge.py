"""The catalogue of services: the published articles, read only."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.generics import ListAPIView, RetrieveAPIView

from cetate.api.serializers.errors import error_responses
from cetate.api.serializers.knowledge import ServiceSerializer
from cetate.knowledge.models import Article
from cetate.knowledge.queries import public_articles


def _services() -> QuerySet[Article]:
    return public_articles().prefetch_related(
        "published__life_events", "request_fields", "request_documents"
    )


@extend_schema_view(
    get=extend_schema(
        summary="The catalogue of services: published articles, with their online request",
        responses={200: ServiceSerializer(many=True), **error_responses()},
        tags=["services"],
    )
)
class ServiceList(ListAPIView[Article]):
    serializer_class = ServiceSerializer

    def get_queryset(self) -> QuerySet[Article]:
        return _services().order_by("code")


@extend_schema_view(
    get=extend_schema(
        summary="One service of the catalogue, by its code",
        responses={200: ServiceSerializer, **error_responses(404)},
        tags=["services"],
    )
)
class ServiceDetail(RetrieveAPIView[Article]):
    serializer_class = ServiceSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Article]:
        return _services()
