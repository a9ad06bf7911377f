"""What an answer decides: the outcome and a legal basis fitting the case's kind, the subject
area of a public-information request, and whether it came on time (a refusal of public
information within its own 5 days)."""

from datetime import datetime

import pytest
import time_machine

from cetate.cases import services
from cetate.cases.choices import EventKind, Kind, Outcome
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.errors import DomainError
from cetate.cases.services import Decision, bases_for
from cetate.cases.workflow import Action, Status
from cetate.directory.models import LegalBasis
from cetate.test import GRANTED


def at(year: int, month: int, day: int, hour: int = 10):
    return time_machine.travel(datetime(year, month, day, hour, 0, tzinfo=CITY_TZ), tick=False)


def worked(city, **overrides):
    case = city.report(auto_route=True, **overrides)
    if case.department is None:
        services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    return case


def resolve(city, case, decision, text="Răspunsul nostru."):
    return services.change_status(
        case_id=case.pk, actor=city.officer, action=Action.RESOLVE, text=text, decision=decision
    )


def information_request(city):
    return worked(city, kind=Kind.INFORMATION, category=None, title="Contracte de asfaltare")


def test_resolving_needs_an_outcome_and_a_legal_basis_that_fits_it(city):
    case = worked(city)
    refusals = [
        (None, "outcome"),
        (Decision(outcome=Outcome.GRANTED), "legal basis"),
        # A basis of public-information requests does not fit a report.
        (Decision(outcome=Outcome.GRANTED, legal_basis="l544-granted"), "l544-granted"),
        # Nor does a granting basis fit a refusal.
        (Decision(outcome=Outcome.REFUSED, legal_basis="og27-granted"), "og27-granted"),
        (Decision(outcome=Outcome.FILED, legal_basis="og27-art7"), "outcome"),
    ]
    for decision, message in refusals:
        with pytest.raises(DomainError, match=message):
            resolve(city, case, decision)
        case.refresh_from_db()
        assert case.status == Status.IN_PROGRESS
        assert case.outcome == ""

    resolved = resolve(city, case, Decision(outcome="refused", legal_basis="og27-refused"))

    assert (resolved.outcome, resolved.legal_basis.code) == ("refused", "og27-refused")
    assert resolved.answered_on_time is True
    change = case.events.filter(kind=EventKind.STATUS_CHANGED).last()
    assert change.data["outcome"] == "refused"
    assert change.data["legal_basis"] == "og27-refused"
    assert change.data["legal_basis_citation"] == "OG 27/2002, art. 8 și art. 13"


def test_a_basis_switched_off_in_the_admin_is_no_longer_offered_nor_accepted(city):
    LegalBasis.objects.filter(code="og27-granted").update(is_active=False)
    case = worked(city)
    assert "og27-granted" not in set(
        bases_for(case, Outcome.GRANTED).values_list("code", flat=True)
    )
    with pytest.raises(DomainError, match="og27-granted"):
        resolve(city, case, GRANTED)


def test_the_bases_offered_are_those_of_the_kind_and_the_outcome(city):
    report = city.report()
    request = city.report(kind=Kind.REQUEST)
    information = city.report(kind=Kind.INFORMATION, category=None)

    def codes(case, outcome):
        return list(bases_for(case, outcome).values_list("code", flat=True))

    assert codes(report, Outcome.GRANTED) == ["og27-report-solved", "og27-granted"]
    assert codes(request, Outcome.GRANTED) == ["og27-granted"]
    assert codes(information, Outcome.GRANTED) == ["l544-granted"]
    refusals = bases_for(information, Outcome.REFUSED)
    grounds = list(refusals.values_list("refusal_ground", flat=True))
    assert grounds == ["exempted"] * 6 + ["not_held", "other"]
    # Each exemption of Law 544/2001 art. 12 (1) a)–f) is a basis of its own.
    assert [basis.citation[-7:] for basis in refusals[:6]] == [
        f"lit. {letter})" for letter in "abcdef"
    ]
    assert codes(report, Outcome.FILED) == ["og27-art7", "og27-art11"]


def test_an_administrative_complaint_is_answered_on_the_bases_of_law_544_art_21(city):
    contested = city.report(kind=Kind.INFORMATION, category=None)
    complaint = city.report(kind=Kind.COMPLAINT, category=None)
    plain_codes = set(bases_for(complaint, Outcome.GRANTED).values_list("code", flat=True))
    assert "l544-art21-upheld" not in plain_codes

    complaint.contests = contested
    codes = set(bases_for(complaint, Outcome.GRANTED).values_list("code", flat=True))
    assert "l544-art21-upheld" in codes
    rejected = set(bases_for(complaint, Outcome.REFUSED).values_list("code", flat=True))
    assert "l544-art21-rejected" in rejected


def test_an_information_request_records_its_subject_area(city):
    case = information_request(city)
    granted = Decision(outcome="granted", legal_basis="l544-granted")
    with pytest.raises(DomainError, match="subject area"):
        resolve(city, case, granted)

    resolved = resolve(
        city,
        case,
        Decision(outcome="granted", legal_basis="l544-granted", information_topic="public_money"),
    )

    assert resolved.information_topic == "public_money"
    change = case.events.filter(kind=EventKind.STATUS_CHANGED).last()
    assert change.data["information_topic"] == "public_money"


def refusal(reason: str = "") -> Decision:
    return Decision(
        outcome="refused",
        legal_basis="l544-art12-d",
        information_topic="duties",
        late_reason=reason,
    )


def test_a_refusal_of_public_information_within_5_days_is_on_time(city):
    # Registered on Tuesday 26 May 2026: the 5 days end on 2 June (1 June is a holiday).
    with at(2026, 5, 26):
        case = information_request(city)
    with at(2026, 6, 2, 15):
        resolved = resolve(city, case, refusal())

    assert resolved.answered_on_time is True
    assert resolved.late_reason == ""


def test_a_refusal_of_public_information_after_5_days_needs_a_reason_and_is_late(city):
    with at(2026, 5, 26):
        case = information_request(city)
    with at(2026, 6, 3):
        # Still within the 10 days an answer has, but past the refusal's 5.
        with pytest.raises(DomainError, match=r"5 days.*02\.06\.2026.*reason"):
            resolve(city, case, refusal())
        case.refresh_from_db()
        assert case.status == Status.IN_PROGRESS
        resolved = resolve(city, case, refusal("Arhiva a fost mutată."))

    assert resolved.answered_on_time is False
    assert resolved.late_reason == "Arhiva a fost mutată."
    change = case.events.filter(kind=EventKind.STATUS_CHANGED).last()
    assert change.data["answered_on_time"] is False
    assert change.data["late_reason"] == "Arhiva a fost mutată."


def test_public_information_given_after_5_days_but_within_10_is_on_time(city):
    with at(2026, 5, 26):
        case = information_request(city)
    with at(2026, 6, 8):
        resolved = resolve(
            city,
            case,
            Decision(outcome="granted", legal_basis="l544-granted", information_topic="duties"),
        )
    assert resolved.answered_on_time is True


def test_a_petition_answered_after_its_legal_deadline_is_late(city):
    with at(2026, 3, 2):
        case = worked(city)
    with at(2026, 4, 10):
        resolved = resolve(city, case, Decision("granted", "og27-granted", late_reason="Iarna."))
    assert resolved.answered_on_time is False
    assert resolved.late_reason == "Iarna."


def test_a_rejection_files_the_case_as_an_anonymous_petition_unless_told_otherwise(city):
    anonymous = city.report()
    services.change_status(
        case_id=anonymous.pk, actor=city.dispatcher, action=Action.REJECT, text="Petiție anonimă."
    )
    anonymous.refresh_from_db()
    assert (anonymous.outcome, anonymous.legal_basis.code) == ("filed", "og27-art7")
    assert anonymous.answered_on_time is None

    repeated = city.report()
    services.change_status(
        case_id=repeated.pk,
        actor=city.dispatcher,
        action=Action.REJECT,
        text="S-a răspuns deja.",
        decision=Decision(legal_basis="og27-art11"),
    )
    repeated.refresh_from_db()
    assert repeated.legal_basis.code == "og27-art11"

    wrong = city.report()
    with pytest.raises(DomainError, match="og27-granted"):
        services.change_status(
            case_id=wrong.pk,
            actor=city.dispatcher,
            action=Action.REJECT,
            text="Nu.",
            decision=Decision(legal_basis="og27-granted"),
        )


def test_a_redirection_to_an_organisation_is_its_outcome(city):
    case = city.report()
    redirected = services.redirect(
        case_id=case.pk, actor=city.dispatcher, to=city.water_operator, reason="Rețeaua de apă."
    )
    assert redirected.outcome == "redirected"
    assert redirected.legal_basis.code == "og27-art6-2"


def test_an_answer_at_first_contact_has_no_outcome(city):
    question = city.report(kind="inquiry", category=None, answer_on_spot="Luni–vineri, 8–16.")
    assert question.status == Status.CLOSED
    assert question.outcome == ""


def test_reopening_clears_the_decision_and_the_history_keeps_it(city):
    case = worked(city)
    resolve(city, case, Decision("partly_granted", "og27-partly-granted"))
    services.record_answer_sent(
        case_id=case.pk, actor=city.officer, channel="post", recipient="Ion Popescu"
    )

    reopened = services.reopen(case_id=case.pk, actor=city.head, reason="Nu e gata.")

    assert reopened.outcome == ""
    assert reopened.legal_basis is None
    assert reopened.answered_on_time is None
    assert reopened.sent_at is None
    resolution = case.events.filter(kind=EventKind.STATUS_CHANGED, to_status="resolved").get()
    assert resolution.data["outcome"] == "partly_granted"


def test_cases_resolved_together_share_the_decision(city):
    first, second = worked(city), worked(city, reporter=None)
    services.link_cases(case_id=first.pk, other_case_id=second.pk, actor=city.officer)

    result = services.resolve_together(
        case_id=first.pk,
        actor=city.officer,
        answer="Astupată.",
        linked_case_ids=[second.pk],
        decision=Decision("granted", "og27-report-solved"),
    )

    assert result.refused == []
    second.refresh_from_db()
    assert (second.outcome, second.legal_basis.code) == ("granted", "og27-report-solved")
