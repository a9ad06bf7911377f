"""The directory: categories with their questions, departments, areas."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.generics import ListAPIView, RetrieveAPIView

from cetate.api.serializers.directory import (
    AreaQuerySerializer,
    AreaSerializer,
    CategorySerializer,
    DepartmentSerializer,
)
from cetate.api.serializers.errors import error_responses
from cetate.api.views.cases import parsed
from cetate.directory.models import Area, Category, Department


def _categories() -> QuerySet[Category]:
    return Category.objects.prefetch_related("questions").order_by("order", "name", "id")


@extend_schema_view(
    get=extend_schema(
        summary="Categories and groups, with their extra questions",
        responses={200: CategorySerializer(many=True), **error_responses()},
        tags=["directory"],
    )
)
class CategoryList(ListAPIView[Category]):
    serializer_class = CategorySerializer

    def get_queryset(self) -> QuerySet[Category]:
        return _categories()


@extend_schema_view(
    get=extend_schema(
        summary="One category",
        responses={200: CategorySerializer, **error_responses(404)},
        tags=["directory"],
    )
)
class CategoryDetail(RetrieveAPIView[Category]):
    serializer_class = CategorySerializer
    lookup_url_kwarg = "category_id"

    def get_queryset(self) -> QuerySet[Category]:
        return _categories()


@extend_schema_view(
    get=extend_schema(
        summary="City hall departments and external organisations",
        responses={200: DepartmentSerializer(many=True), **error_responses()},
        tags=["directory"],
    )
)
class DepartmentList(ListAPIView[Department]):
    serializer_class = DepartmentSerializer
    queryset = Department.objects.order_by("kind", "name", "id")


@extend_schema_view(
    get=extend_schema(
        summary="One department",
        responses={200: DepartmentSerializer, **error_responses(404)},
        tags=["directory"],
    )
)
class DepartmentDetail(RetrieveAPIView[Department]):
    serializer_class = DepartmentSerializer
    queryset = Department.objects.all()
    lookup_url_kwarg = "department_id"


@extend_schema_view(
    get=extend_schema(
        summary="Areas: the municipality, its neighbourhoods and districts",
        parameters=[AreaQuerySerializer],
        responses={200: AreaSerializer(many=True), **error_responses(400)},
        tags=["directory"],
    )
)
class AreaList(ListAPIView[Area]):
    serializer_class = AreaSerializer
    queryset = Area.objects.order_by("kind", "name", "id")

    def get_serializer_context(self) -> dict[str, Any]:
        query = parsed(AreaQuerySerializer, self.request.query_params)
        return {**super().get_serializer_context(), "geometry": query["geometry"]}


@extend_schema_view(
    get=extend_schema(
        summary="One area, with its geometry",
        responses={200: AreaSerializer, **error_responses(404)},
        tags=["directory"],
    )
)
class AreaDetail(RetrieveAPIView[Area]):
    serializer_class = AreaSerializer
    queryset = Area.objects.all()
    lookup_url_kwarg = "area_id"
