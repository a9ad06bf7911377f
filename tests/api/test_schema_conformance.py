"""The API against its own OpenAPI schema, fuzzed by schemathesis: whatever a client sends, no
server error, and every answer (status, content type, body) is one the schema documents.

A supervisor with a token works on a small city with a few cases in every state worth
reaching; examples per operation are few, so that the whole run stays near a minute.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from cetate.accounts.roles import Role
from cetate.api.tokens import issue_token
from cetate.cases.services import assign, change_status
from cetate.cases.workflow import Action
from cetate.test import make_user
from cetate.wsgi import application
from tests.knowledge.catalogue import online_service

EXAMPLES = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def a_small_city(city):
    """A case in each of new, assigned and in progress, and a service of the catalogue; the ids
    and codes that name real objects."""
    new = city.report()
    routed = city.report(category=city.lamp, answers={"pole": "7"})
    assign(case_id=routed.pk, actor=city.dispatcher, department=city.lighting)
    worked = city.report()
    assign(case_id=worked.pk, actor=city.dispatcher, department=city.technical)
    change_status(case_id=worked.pk, actor=city.officer, action=Action.START)
    service = online_service(
        city, make_user("redactor", Role.EDITOR, departments=(city.technical,))
    )
    return {
        "code": [service.code],
        "case_id": [new.pk, routed.pk, worked.pk],
        "contact_id": [city.resident.pk],
        "category_id": [city.lamp.pk],
        "department_id": [city.technical.pk],
        "area_id": [city.centre.pk],
    }


@pytest.mark.django_db
def test_the_api_keeps_to_its_schema(city, connection_kept):
    real = a_small_city(city)
    _token, raw = issue_token(user=city.supervisor, name="schema conformance")
    headers = {"Authorization": f"Token {raw}", "Accept-Language": "en"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 25
    for operation in operations:
        # Random input, valid and not, then valid input on the real objects (ids at random
        # mostly name nothing, and the actions would never be reached).
        runs: list[tuple[GenerationMode, dict[str, int] | None]] = [
            (GenerationMode.POSITIVE, None),
            (GenerationMode.NEGATIVE, None),
        ]
        names = [p.name for p in operation.path_parameters]
        if names:
            runs += [
                (GenerationMode.POSITIVE, {name: real[name][i] for name in names})
                for i in range(len(real[names[0]]))
            ]
        for mode, path in runs:

            @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
                database=None,
            )
            def keeps_to_the_schema(case):
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                keeps_to_the_schema()
            except Unsatisfiable:
                # Some operations have no input that can be made invalid (only an id in the
                # path, whose every integer is valid).
                assert mode == GenerationMode.NEGATIVE, operation.label
