"""The city's directory as integrators read it: categories, departments, areas."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cetate.directory.models import Area, Category, CategoryQuestion, Department

# Every `code` below is declared as plain text: codes are slugs by intent, but imported data
# uses dots ("roads.pothole"), which a slug's pattern in the schema would deny.


class QuestionSerializer(serializers.ModelSerializer[CategoryQuestion]):
    code = serializers.CharField(read_only=True)
    values = serializers.SerializerMethodField(
        help_text="The choices of a list question, as key and shown name."
    )

    class Meta:
        model = CategoryQuestion
        fields = [
            "code",
            "question",
            "question_en",
            "description",
            "datatype",
            "required",
            "order",
            "values",
        ]

    def get_values(self, question: CategoryQuestion) -> list[dict[str, str]]:
        items = [item for item in question.values if isinstance(item, dict) and "key" in item]
        return [{"key": str(item["key"]), "name": str(item.get("name", ""))} for item in items]


class CategorySerializer(serializers.ModelSerializer[Category]):
    code = serializers.CharField(read_only=True)
    is_group = serializers.BooleanField(
        read_only=True, help_text="A group holds categories; cases take a category, not a group."
    )
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Category
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "parent",
            "is_group",
            "department",
            "service_target",
            "service_target_unit",
            "anonymous_allowed",
            "public_map",
            "public_location",
            "public_text",
            "sensitive",
            "outside_city_allowed",
            "keywords",
            "order",
            "is_active",
            "questions",
        ]


class DepartmentSerializer(serializers.ModelSerializer[Department]):
    code = serializers.CharField(read_only=True)

    class Meta:
        model = Department
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "kind",
            "email",
            "phone",
            "postal_address",
            "is_active",
        ]


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "number"},
        "minItems": 4,
        "maxItems": 4,
        "description": "[min longitude, min latitude, max longitude, max latitude]",
    }
)
class BoundingBox(serializers.Field):  # type: ignore[type-arg]
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, area: Area) -> list[float]:
        return [area.min_lon, area.min_lat, area.max_lon, area.max_lat]


class AreaSerializer(serializers.ModelSerializer[Area]):
    code = serializers.CharField(read_only=True)
    bbox = BoundingBox()

    geometry = serializers.SerializerMethodField(
        help_text="The GeoJSON Polygon or MultiPolygon; null in lists unless asked for."
    )

    class Meta:
        model = Area
        fields = ["id", "code", "name", "kind", "bbox", "is_active", "geometry"]

    @extend_schema_field({"type": "object", "nullable": True, "additionalProperties": True})
    def get_geometry(self, area: Area) -> dict[str, Any] | None:
        # Boundaries can weigh megabytes: lists leave them out unless asked.
        return area.geometry if self.context.get("geometry", True) else None


class AreaQuerySerializer(serializers.Serializer[Any]):
    geometry = serializers.BooleanField(
        required=False, default=False, help_text="Include each area's GeoJSON geometry."
    )
