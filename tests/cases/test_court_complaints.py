"""A complaint to the court against the answer to a public-information request: who records
it, on which cases, and the history it leaves."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cetate.cases import services
from cetate.cases.choices import Channel, CourtRuling, EventKind, Kind
from cetate.cases.errors import DomainError, NotAllowed
from cetate.cases.models import Case
from tests.console.test_case_card import offered_actions, post, show


def _information_request(city) -> Case:
    case = services.open_case(
        kind=Kind.INFORMATION,
        channel=Channel.EMAIL,
        actor=city.dispatcher,
        description="Cât a costat reabilitarea străzii?",
        reporter=city.resident,
    )
    return services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)


def _today() -> date:
    return timezone.localdate()


def test_a_head_records_the_complaint_then_the_ruling(city):
    case = _information_request(city)

    services.record_court_complaint(
        case_id=case.pk, actor=city.head, filed_on=_today(), ruling=CourtRuling.PENDING
    )
    services.record_court_complaint(
        case_id=case.pk, actor=city.supervisor, filed_on=_today(), ruling=CourtRuling.REJECTED
    )

    case.refresh_from_db()
    assert (case.court_filed_on, case.court_ruling) == (_today(), CourtRuling.REJECTED)
    events = list(case.events.filter(kind=EventKind.COURT_RULING).order_by("seq"))
    assert [e.data["ruling"] for e in events] == ["pending", "rejected"]
    assert events[1].data["previous_ruling"] == "pending"
    assert not any(event.public for event in events)
    assert "the court's ruling: rejected (in the city's favour)" in events[1].text


def test_recording_the_same_again_adds_nothing(city):
    case = _information_request(city)
    for _attempt in range(2):
        services.record_court_complaint(
            case_id=case.pk, actor=city.supervisor, filed_on=_today(), ruling="pending"
        )
    assert case.events.filter(kind=EventKind.COURT_RULING).count() == 1


def test_officers_may_not_record_it(city):
    case = _information_request(city)
    with pytest.raises(NotAllowed):
        services.record_court_complaint(
            case_id=case.pk, actor=city.officer, filed_on=_today(), ruling="pending"
        )


def test_only_on_a_public_information_request_and_never_in_the_future(city):
    petition = city.report()
    with pytest.raises(DomainError, match="public-information request"):
        services.record_court_complaint(
            case_id=petition.pk, actor=city.supervisor, filed_on=_today(), ruling="pending"
        )
    case = _information_request(city)
    with pytest.raises(DomainError, match="after today"):
        services.record_court_complaint(
            case_id=case.pk,
            actor=city.supervisor,
            filed_on=_today() + timedelta(days=1),
            ruling="pending",
        )
    with pytest.raises(DomainError, match="before the request"):
        services.record_court_complaint(
            case_id=case.pk,
            actor=city.supervisor,
            filed_on=_today() - timedelta(days=400),
            ruling="pending",
        )


def test_the_card_offers_the_form_to_heads_not_officers(client, city):
    case = _information_request(city)
    client.force_login(city.officer)
    assert "court" not in offered_actions(show(client, case).content.decode())

    client.force_login(city.head)
    assert "court" in offered_actions(show(client, case).content.decode())
    response = post(client, case, "court", filed_on=_today().isoformat(), ruling="upheld")

    assert response.status_code == 302
    html = show(client, case).content.decode()
    assert f"The complaint to the court against case {case.number} is recorded" in html
    assert Case.objects.get(pk=case.pk).court_ruling == CourtRuling.UPHELD


def test_the_card_does_not_offer_it_on_petitions(client, city):
    case = city.report()
    client.force_login(city.supervisor)
    assert "court" not in offered_actions(show(client, case).content.decode())
