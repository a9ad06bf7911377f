"""What the city decided on a case it answers: the outcome, the legal basis the answer states
(OG 27/2002 art. 13: the answer names the legal basis of its solution), the subject area of a
public-information request, and whether the answer came within its term.

The case services that answer, reject or redirect a case call `decide` on the locked case before
its status changes; what it returns goes into the status change's event, so that the history
keeps each decision even after a reopening clears it from the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cetate.accounts.access import case_roles
from cetate.accounts.models import User
from cetate.cases.choices import PETITION_KINDS, InformationTopic, Kind, Outcome
from cetate.cases.deadlines import CITY_TZ, answer_due
from cetate.cases.errors import DomainError
from cetate.cases.models import Case
from cetate.cases.workflow import Action, Status, check_role, transition_for
from cetate.directory.lookup import work_calendar
from cetate.directory.models import LegalBasis
from cetate.lib.text import plain_text

# What an answer may decide; redirection and filing are decided by their own actions.
ANSWER_OUTCOMES = (Outcome.GRANTED, Outcome.PARTLY_GRANTED, Outcome.REFUSED)
# The basis a rejection states when the officer chose none: an anonymous petition, or one
# without the petitioner's details, is filed (OG 27/2002 art. 7).
FILED_BASIS = "og27-art7"
# A petition sent to the competent authority (OG 27/2002 art. 6 (2)).
REDIRECTED_BASIS = "og27-art6-2"
# The bases answering an administrative complaint against a public-information answer (Law
# 544/2001 art. 21): offered only on a case that contests another.
CONTESTING_BASES = frozenset({"l544-art21-upheld", "l544-art21-rejected"})


@dataclass(frozen=True)
class Decision:
    """What the officer decides when answering: the outcome and the legal basis (a LegalBasis
    or its code), for a public-information request its subject area, and, for an answer past
    its term, why."""

    outcome: str = ""
    legal_basis: LegalBasis | str | None = None
    information_topic: str = ""
    late_reason: str = ""


def bases_for(case: Case, outcome: str) -> QuerySet[LegalBasis]:
    """The active legal bases an answer of `outcome` on `case` may state: those of its kind,
    and for a petition those for every petition."""
    kinds = Q(kind=case.kind)
    if case.kind in PETITION_KINDS:
        kinds |= Q(kind="")
    bases = LegalBasis.objects.filter(kinds, is_active=True, outcome=outcome)
    if case.contests_id is None:
        bases = bases.exclude(code__in=sorted(CONTESTING_BASES))
    return bases.order_by("order", "code")


def decide(
    case: Case, action: Action, decision: Decision | None, *, actor: User | None, now: datetime
) -> dict[str, Any]:
    """Record on the locked `case` what `action` decides, before its status changes; the
    event data that keeps it. Refuses, with a message for the officer, a decision missing or
    not fitting the case."""
    if action == Action.RESOLVE:
        # The move's own refusal (wrong status, role) comes before what the form lacks.
        transition = transition_for(action, case=case, status=Status(case.status))
        check_role(case_roles(actor, case), transition.roles, str(action.label))
        return _answered(case, decision or Decision(), now)
    if action == Action.REJECT:
        return _filed(case, decision or Decision())
    return {}


def redirected(case: Case) -> dict[str, Any]:
    """Record that `case` left for the competent organisation (OG 27/2002 art. 6 (2))."""
    basis = None
    if case.kind in PETITION_KINDS:
        basis = bases_for(case, Outcome.REDIRECTED).filter(code=REDIRECTED_BASIS).first()
    return _store(case, Outcome.REDIRECTED, basis)


def clear(case: Case) -> None:
    """Forget the decision of an answer being reopened; its events keep it."""
    case.outcome, case.legal_basis = "", None
    case.answered_on_time, case.late_reason = None, ""
    case.sent_at, case.sent_by, case.sent_to = None, "", ""


def _answered(case: Case, decision: Decision, now: datetime) -> dict[str, Any]:
    if decision.outcome not in ANSWER_OUTCOMES:
        raise DomainError(
            _("Choose the outcome of the answer: granted, partly granted or refused.")
        )
    basis = _basis(case, decision.outcome, decision.legal_basis)
    if basis is None:
        raise DomainError(_("Choose the legal basis the answer states."))
    data = _store(case, decision.outcome, basis)
    if case.kind == Kind.INFORMATION:
        if decision.information_topic not in InformationTopic.values:
            raise DomainError(
                _(
                    "Choose the subject area of the public-information request: the yearly "
                    "report of Law 544/2001 counts requests by it."
                )
            )
        case.information_topic = decision.information_topic
        data["information_topic"] = case.information_topic
    answered_on = now.astimezone(CITY_TZ).date()
    due = answer_due(
        kind=case.kind,
        refused=decision.outcome == Outcome.REFUSED,
        registered_on=case.registered_at.astimezone(CITY_TZ).date(),
        legal_due=case.legal_due,
        calendar=work_calendar(),
    )
    case.answered_on_time = None if due is None else answered_on <= due
    case.late_reason = ""
    if case.answered_on_time is False:
        reason = plain_text(decision.late_reason).strip()
        refusing_information = case.kind == Kind.INFORMATION and decision.outcome == Outcome.REFUSED
        if refusing_information and not reason:
            assert due is not None
            raise DomainError(
                _(
                    "A refusal of public information is due within 5 days of registration "
                    "(Law 544/2001, art. 7 (2)), by %(date)s. Write the reason for the delay: "
                    "it is recorded with the answer."
                )
                % {"date": date_format(due, "d.m.Y")}
            )
        case.late_reason = reason
    data.update(answered_on_time=case.answered_on_time, late_reason=case.late_reason)
    return data


def _filed(case: Case, decision: Decision) -> dict[str, Any]:
    chosen = decision.legal_basis
    basis = _basis(case, Outcome.FILED, chosen or FILED_BASIS)
    if chosen and basis is None:
        raise _not_fitting(chosen)
    return _store(case, Outcome.FILED, basis)


def _basis(case: Case, outcome: str, chosen: LegalBasis | str | None) -> LegalBasis | None:
    """The basis chosen, if it is one of those for the case and outcome; refused otherwise."""
    if chosen is None or chosen == "":
        return None
    code = chosen.code if isinstance(chosen, LegalBasis) else chosen
    found = bases_for(case, outcome).filter(code=code).first()
    if found is None and outcome in ANSWER_OUTCOMES:
        raise _not_fitting(chosen)
    return found


def _not_fitting(chosen: LegalBasis | str) -> DomainError:
    name = chosen.citation if isinstance(chosen, LegalBasis) else chosen
    return DomainError(
        _(
            "The legal basis “%(basis)s” is not one of those for this kind of case and this "
            "outcome: choose one from the list."
        )
        % {"basis": name}
    )


def _store(case: Case, outcome: str, basis: LegalBasis | None) -> dict[str, Any]:
    case.outcome, case.legal_basis = outcome, basis
    return {
        "outcome": outcome,
        "legal_basis": basis.code if basis else "",
        "legal_basis_citation": basis.citation if basis else "",
    }
