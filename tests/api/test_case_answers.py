"""Resolving through the API records the outcome and the legal basis, as the console does."""

import pytest

from cetate.cases import services
from cetate.cases.workflow import Action
from tests.api.test_cases import act

pytestmark = pytest.mark.django_db


def started(city):
    case = city.report(auto_route=True)
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    return case


def test_resolving_needs_the_outcome_and_the_code_of_a_fitting_legal_basis(api, city):
    case = started(city)
    officer = api(city.officer)

    missing = act(officer, case, "resolve", text="Astupată.")
    assert missing.status_code == 400
    assert "outcome" in str(missing.json()) and "legal_basis" in str(missing.json())
    unfit = act(
        officer, case, "resolve", text="Astupată.", outcome="granted", legal_basis="l544-granted"
    )
    assert unfit.status_code == 400
    assert "l544-granted" in str(unfit.json())

    resolved = act(
        officer, case, "resolve", text="Astupată.", outcome="granted", legal_basis="og27-granted"
    )

    assert resolved.status_code == 200
    body = resolved.json()
    assert (body["status"], body["outcome"], body["legal_basis"]) == (
        "resolved",
        "granted",
        "og27-granted",
    )
    assert body["answered_on_time"] is True
    assert body["sent_at"] is None
