"""publish_summary: staff publish what the public reads of a case, or withdraw it."""

from __future__ import annotations

import pytest

from cetate.cases import services
from cetate.cases.choices import EventKind
from cetate.cases.errors import DomainError, NotAllowed
from cetate.cases.services import StaleCase
from cetate.cases.services.publication import SUMMARY_LIMIT


def test_a_summary_is_published_with_an_event_and_withdrawn_by_an_empty_text(city, mailoutbox):
    case = city.report()
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    mailoutbox.clear()
    case = services.publish_summary(
        case_id=case.pk, actor=city.officer, text="  Groapă pe carosabil.  "
    )
    assert case.public_summary == "Groapă pe carosabil."
    event = case.events.order_by("-seq").first()
    assert (event.kind, event.text, event.actor, event.data) == (
        EventKind.SUMMARY_PUBLISHED,
        "Groapă pe carosabil.",
        city.officer,
        {"withdrawn": False},
    )
    assert mailoutbox == []  # not a message: the resident is not mailed

    seq = case.last_event_seq
    assert (
        services.publish_summary(
            case_id=case.pk, actor=city.officer, text="Groapă pe carosabil."
        ).last_event_seq
        == seq
    )  # the same text again records nothing

    case = services.publish_summary(case_id=case.pk, actor=city.head, text="")
    assert case.public_summary == ""
    assert case.events.order_by("-seq").first().data == {"withdrawn": True}
    with pytest.raises(DomainError, match="empty"):
        services.publish_summary(case_id=case.pk, actor=city.head, text=" ")


def test_only_staff_working_the_case_publish(city):
    case = city.report()
    with pytest.raises(NotAllowed):
        services.publish_summary(case_id=case.pk, actor=city.clerk, text="Rezumat")
    with pytest.raises(NotAllowed):
        services.publish_summary(case_id=case.pk, actor=city.lighting_officer, text="Rezumat")
    with pytest.raises(NotAllowed):
        services.publish_summary(case_id=case.pk, actor=None, text="Rezumat")
    services.publish_summary(case_id=case.pk, actor=city.dispatcher, text="Rezumat")


def test_a_summary_too_long_or_over_unseen_changes_is_refused(city):
    case = city.report()
    with pytest.raises(DomainError, match=str(SUMMARY_LIMIT)):
        services.publish_summary(
            case_id=case.pk, actor=city.dispatcher, text="x" * (SUMMARY_LIMIT + 1)
        )
    seen = case.last_event_seq
    services.add_note(case_id=case.pk, actor=city.dispatcher, text="Verificat.")
    with pytest.raises(StaleCase):
        services.publish_summary(case_id=case.pk, actor=city.dispatcher, text="Rezumat", seen=seen)
    case.refresh_from_db()
    assert case.public_summary == ""
