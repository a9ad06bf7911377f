"""The yearly report on Law 544/2001 (HG 123/2002 art. 27 and the model report of its annex,
as amended by HG 478/2016): public-information requests, administrative complaints and
complaints to the court, counted in one query. docs/legal-reports.md says which cases each
figure counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from cetate.cases.choices import (
    Channel,
    CourtRuling,
    InformationTopic,
    Kind,
    Outcome,
    RefusalGround,
)
from cetate.cases.models import Case
from cetate.contacts.models import AnswerChannel, Contact
from cetate.monitoring.legal_reports.conditions import (
    NOT_RECORDED,
    concerned_by,
    count_each,
    late,
    not_cancelled,
    on_time,
    open_at_end,
    outcome_is,
    registered_in,
    solved_in,
    with_solved_on,
)
from cetate.monitoring.legal_reports.periods import Period
from cetate.monitoring.replica import reporting_database

PAPER, ELECTRONIC, VERBAL = "paper", "electronic", "verbal"
# How a request was addressed (the report's "modalitatea de adresare").
ADDRESSED = {
    PAPER: [Channel.POST, Channel.DESK],
    ELECTRONIC: [Channel.EMAIL, Channel.PORTAL, Channel.API, Channel.KIOSK],
    VERBAL: [Channel.PHONE],
}
# How the answer was communicated (the report's "modul de comunicare").
COMMUNICATED = {
    ELECTRONIC: [AnswerChannel.EMAIL],
    PAPER: [AnswerChannel.POST, AnswerChannel.DESK],
    VERBAL: [AnswerChannel.PHONE],
    NOT_RECORDED: [NOT_RECORDED],
}
REQUESTERS = [Contact.Kind.PERSON.value, Contact.Kind.ORGANISATION.value, NOT_RECORDED]
TOPICS = [*(topic.value for topic in InformationTopic), NOT_RECORDED]
GROUNDS = [*(ground.value for ground in RefusalGround), NOT_RECORDED]
REDIRECTED_IN_5_DAYS, WITHIN_10_DAYS, WITHIN_30_DAYS, TERM_EXCEEDED = (
    "redirected",
    "within_10_days",
    "within_30_days",
    "exceeded",
)
TERMS = [REDIRECTED_IN_5_DAYS, WITHIN_10_DAYS, WITHIN_30_DAYS, TERM_EXCEEDED]
UPHELD, REJECTED, PENDING, OTHER = "upheld", "rejected", "pending", "other"


@dataclass(frozen=True)
class Rulings:
    """Complaints against the city's answers and what was decided on them."""

    upheld: int
    rejected: int
    pending: int
    other: int = 0

    @property
    def total(self) -> int:
        return self.upheld + self.rejected + self.pending + self.other


@dataclass(frozen=True)
class InformationReport:
    period: Period
    received_by_requester: dict[str, int]
    received_by_addressing: dict[str, int]
    received_by_topic: dict[str, int]
    favourable_by_term: dict[str, int]
    favourable_by_communication: dict[str, int]
    favourable_by_topic: dict[str, int]
    refused_by_ground: dict[str, int]
    refused_by_topic: dict[str, int]
    not_solved_at_end: int
    administrative_complaints: Rulings
    court_complaints: Rulings

    @property
    def received(self) -> int:
        return sum(self.received_by_addressing.values())

    @property
    def favourable(self) -> int:
        return sum(self.favourable_by_term.values())

    @property
    def refused(self) -> int:
        return sum(self.refused_by_ground.values())


def information_report(period: Period) -> InformationReport:
    """Every figure in one query: the requests, and the complaints against their answers."""
    request_figures, requests_read = _requests(period)
    complaint_figures, complaints_read = _complaints(period)
    cases = with_solved_on(
        Case.objects.using(reporting_database()).filter(requests_read | complaints_read)
    )
    counts = count_each(cases, {**request_figures, **complaint_figures})
    return InformationReport(
        period=period,
        received_by_requester=_part(counts, "requester"),
        received_by_addressing=_part(counts, "addressed"),
        received_by_topic=_part(counts, "topic"),
        favourable_by_term=_part(counts, "term"),
        favourable_by_communication=_part(counts, "communicated"),
        favourable_by_topic=_part(counts, "favourable_topic"),
        refused_by_ground=_part(counts, "ground"),
        refused_by_topic=_part(counts, "refused_topic"),
        not_solved_at_end=counts["not_solved_at_end"],
        administrative_complaints=Rulings(
            upheld=counts["complaint_upheld"],
            rejected=counts["complaint_rejected"],
            pending=counts["complaint_pending"],
            other=counts["complaint_other"],
        ),
        court_complaints=Rulings(
            upheld=counts["court_upheld"],
            rejected=counts["court_rejected"],
            pending=counts["court_pending"],
        ),
    )


def _part(counts: dict[str, int], prefix: str) -> dict[str, int]:
    start = f"{prefix}_"
    return {name.removeprefix(start): n for name, n in counts.items() if name.startswith(start)}


def _requests(period: Period) -> tuple[dict[str, Q], Q]:
    """The figures of the requests, and the cases they are counted from."""
    request = Q(kind=Kind.INFORMATION)
    received = request & registered_in(period) & not_cancelled()
    solved = request & solved_in(period)
    granted = solved & (outcome_is(Outcome.GRANTED) | outcome_is(Outcome.PARTLY_GRANTED))
    redirected = solved & outcome_is(Outcome.REDIRECTED)
    favourable = granted | redirected
    refused = solved & outcome_is(Outcome.REFUSED)
    conditions = {
        **{
            f"requester_{kind}": received
            & (Q(reporter__kind=kind) if kind else Q(reporter__isnull=True))
            for kind in REQUESTERS
        },
        **{
            f"addressed_{form}": received & Q(channel__in=channels)
            for form, channels in ADDRESSED.items()
        },
        **{f"topic_{topic}": received & Q(information_topic=topic) for topic in TOPICS},
        f"term_{REDIRECTED_IN_5_DAYS}": redirected & on_time(),
        f"term_{WITHIN_10_DAYS}": granted & on_time() & Q(legal_extended_days=0),
        f"term_{WITHIN_30_DAYS}": granted & on_time() & Q(legal_extended_days__gt=0),
        f"term_{TERM_EXCEEDED}": favourable & late(),
        **{
            f"communicated_{form}": favourable & Q(sent_by__in=ways)
            for form, ways in COMMUNICATED.items()
        },
        **{
            f"favourable_topic_{topic}": favourable & Q(information_topic=topic) for topic in TOPICS
        },
        **{
            f"ground_{ground}": refused
            & (
                Q(legal_basis__refusal_ground=ground)
                if ground
                else Q(legal_basis__isnull=True) | Q(legal_basis__refusal_ground="")
            )
            for ground in GROUNDS
        },
        **{f"refused_topic_{topic}": refused & Q(information_topic=topic) for topic in TOPICS},
        "not_solved_at_end": request & registered_in(period) & open_at_end(period),
    }
    return conditions, request & concerned_by(period)


def _complaints(period: Period) -> tuple[dict[str, Q], Q]:
    """Administrative complaints registered in the period (Law 544/2001 art. 21) and
    complaints to the court filed in it (art. 22), and the cases they are counted from."""
    complaint = Q(kind=Kind.COMPLAINT, contests__isnull=False) & registered_in(period)
    complaint &= not_cancelled()
    decided = complaint & solved_in(period)
    upheld = decided & (outcome_is(Outcome.GRANTED) | outcome_is(Outcome.PARTLY_GRANTED))
    rejected = decided & (outcome_is(Outcome.REFUSED) | outcome_is(Outcome.FILED))
    pending = complaint & open_at_end(period)
    in_court = Q(court_filed_on__gte=period.first, court_filed_on__lte=period.last)
    conditions = {
        "complaint_upheld": upheld,
        "complaint_rejected": rejected,
        "complaint_pending": pending,
        "complaint_other": complaint & ~(upheld | rejected | pending),
        "court_upheld": in_court & Q(court_ruling=CourtRuling.UPHELD),
        "court_rejected": in_court & Q(court_ruling=CourtRuling.REJECTED),
        "court_pending": in_court & Q(court_ruling__in=[CourtRuling.PENDING, NOT_RECORDED]),
    }
    return conditions, complaint | in_court
