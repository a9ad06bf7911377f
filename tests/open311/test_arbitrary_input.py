"""GeoReport v2 fuzzed by schemathesis: whatever a client sends to any endpoint, in either
format, no server error.

The community's swagger.json (in schemas/) names too few parameters to reach much; the
schema here describes what Cetate reads (docs/open311.md), real service codes and ids among
arbitrary ones. Examples per operation are few and drawn the same way on every run.
"""

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from cetate.open311.keys import create_key
from cetate.wsgi import application

EXAMPLES = 15
FORMAT = {"name": "fmt", "in": "path", "required": True, "schema": {"enum": ["json", "xml"]}}
TEXT = {"type": "string"}


def query(name: str, schema: dict[str, Any] = TEXT, *, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema}


def one_of(real: list[str]) -> dict[str, Any]:
    """One of the real values: valid input reaches past the lookups; invalid input (negative
    examples) tries every other text."""
    return {"enum": real}


def operation(*parameters: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "parameters": [FORMAT, query("jurisdiction_id", one_of(["apulum.ro"])), *parameters],
        "responses": {"default": {"description": "a document or an error list"}},
        **more,
    }


def the_schema(codes: list[str], request_ids: list[str], key: str) -> dict[str, Any]:
    window = [query(name) for name in ("start_date", "end_date", "page", "page_size")]
    fields: dict[str, Any] = {
        "service_code": one_of(codes),
        # Inside the city; outside it, or not numbers, in the negative examples.
        "lat": {"type": "number", "minimum": 46.06, "maximum": 46.08},
        "long": {"type": "number", "minimum": 23.57, "maximum": 23.59},
        "email": {"type": "string", "format": "email"},
        "media_url": one_of(["https://fms.example.org/photo/1.jpeg"]),
        **{
            name: TEXT
            for name in (
                "address_string",
                "address_id",
                "description",
                "first_name",
                "last_name",
                "phone",
                "device_id",
                "account_id",
                "attribute[pole]",
                "attribute[fixmystreet_id]",
            )
        },
        "attribute[problems][]": {"type": "array", "items": TEXT},
    }
    report = {"type": "object", "required": ["service_code"], "properties": fields}
    media = {"media": {"type": "string", "format": "binary"}}
    with_media = {**report, "properties": {**fields, **media}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Cetate GeoReport v2", "version": "2"},
        "paths": {
            "/open311/v2/discovery.{fmt}": {"get": operation()},
            "/open311/v2/services.{fmt}": {"get": operation()},
            "/open311/v2/services/{code}.{fmt}": {
                "get": operation(
                    {"name": "code", "in": "path", "required": True, "schema": one_of(codes)}
                )
            },
            "/open311/v2/requests.{fmt}": {
                "get": operation(
                    query("api_key", one_of([key])),
                    query("service_request_id", one_of(request_ids)),
                    query("service_code", one_of(codes)),
                    query("status"),
                    query("updated_after"),
                    query("updated_before"),
                    query("extensions"),
                    *window,
                ),
                "post": operation(
                    query("api_key", {"enum": [key]}, required=True),
                    requestBody={
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {"schema": report},
                            "multipart/form-data": {"schema": with_media},
                        },
                    },
                ),
            },
            "/open311/v2/requests/{id}.{fmt}": {
                "get": operation(
                    {"name": "id", "in": "path", "required": True, "schema": one_of(request_ids)},
                    query("api_key", one_of([key])),
                )
            },
            "/open311/v2/tokens/{token}.{fmt}": {
                "get": operation({"name": "token", "in": "path", "required": True, "schema": TEXT})
            },
            "/open311/v2/servicerequestupdates.{fmt}": {
                "get": operation(query("api_key", one_of([key])), *window)
            },
        },
    }


@pytest.mark.django_db
def test_no_input_makes_open311_fail(city, connection_kept, settings):
    settings.OPEN311_RATE_LIMIT = 1_000_000
    _key, raw = create_key("Fuzzing client", rate_limit=1_000_000)
    case = city.report()
    codes = [city.pothole.code, city.lamp.code]
    ids = [f"{case.registration_year}-{case.registration_number}", case.number]
    schema = schemathesis.openapi.from_dict(the_schema(codes, ids, raw))
    schema.app = application
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8
    for each in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=each.as_strategy(generation_mode=mode))
            @examples(
                max_examples=EXAMPLES,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
                database=None,
            )
            def answers(case: Any) -> None:
                case.call_and_validate(checks=[not_a_server_error])

            try:
                answers()
            except Unsatisfiable:
                # An operation whose every input is valid (a path of any text) has no
                # negative examples.
                assert mode == GenerationMode.NEGATIVE, each.label
