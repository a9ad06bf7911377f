"""What the demo city decides when it answers a case: mostly granted, some partly granted or
refused, each with a legal basis of the list every city loads; information requests with their
subject area, and their refusals mostly within the 5 days the law gives."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from cetate.cases.choices import InformationTopic, Kind, Outcome
from cetate.cases.services.decisions import Decision

SHARES = {Outcome.GRANTED: 0.82, Outcome.PARTLY_GRANTED: 0.10, Outcome.REFUSED: 0.08}
INFORMATION_SHARES = {Outcome.GRANTED: 0.75, Outcome.PARTLY_GRANTED: 0.10, Outcome.REFUSED: 0.15}
TOPIC_WEIGHTS = {
    InformationTopic.PUBLIC_MONEY: 5,
    InformationTopic.DUTIES: 4,
    InformationTopic.REGULATIONS: 3,
    InformationTopic.LEADERS: 1,
    InformationTopic.LAW_544: 1,
    InformationTopic.OTHER: 2,
}
SHARE_REFUSED_IN_TIME = 0.85

PETITION_BASES = {
    Outcome.GRANTED: "og27-granted",
    Outcome.PARTLY_GRANTED: "og27-partly-granted",
    Outcome.REFUSED: "og27-refused",
}
REPORT_SOLVED = "og27-report-solved"
INFORMATION_BASES = {Outcome.GRANTED: "l544-granted", Outcome.PARTLY_GRANTED: "l544-partly-granted"}
# A refusal of public information, by its basis, and what the answer says.
INFORMATION_REFUSALS = {
    "l544-art12-d": "Informațiile solicitate privesc date cu caracter personal ale altor "
    "persoane și nu pot fi comunicate.",
    "l544-art12-c": "Ofertele depuse în procedura de achiziție conțin informații comerciale "
    "protejate și nu pot fi comunicate.",
    "l544-not-held": "Instituția nu deține informațiile solicitate; vă recomandăm să vă "
    "adresați autorității care le gestionează.",
    "l544-refused-other": "Solicitarea nu privește o informație de interes public, ci o "
    "interpretare a actelor normative, pe care instituția nu o poate oferi.",
}
PARTLY_ANSWERS = {
    Kind.INFORMATION: "Vă comunicăm informațiile solicitate, cu excepția datelor cu caracter "
    "personal din documente, care au fost anonimizate.",
    "petition": "Cererea a fost aprobată în parte: lucrarea a fost inclusă în programul anului "
    "următor, restul solicitărilor nefiind de competența primăriei.",
}
REFUSED_ANSWER = (
    "Cererea nu poate fi aprobată: terenul nu aparține domeniului public al municipiului, iar "
    "lucrarea nu poate fi finanțată din bugetul local."
)
LATE_REFUSAL_REASON = "Documentele au trebuit căutate în arhivă înainte de a constata motivul."


@dataclass(frozen=True)
class DemoAnswer:
    decision: Decision
    text: str | None  # replaces the granted answer's text; None keeps it
    within: timedelta | None  # how soon after registration it must come, if sooner


def decide(rng: random.Random, kind: str) -> DemoAnswer:
    information = kind == Kind.INFORMATION
    shares = INFORMATION_SHARES if information else SHARES
    outcome = rng.choices(list(shares), weights=list(shares.values()))[0]
    topic = ""
    if information:
        topic = rng.choices(list(TOPIC_WEIGHTS), weights=list(TOPIC_WEIGHTS.values()))[0]
    text: str | None = None
    within = None
    if information and outcome == Outcome.REFUSED:
        basis = rng.choice(list(INFORMATION_REFUSALS))
        text = INFORMATION_REFUSALS[basis]
        in_time = rng.random() < SHARE_REFUSED_IN_TIME
        within = timedelta(days=rng.uniform(1, 4) if in_time else rng.uniform(7, 9))
    elif information:
        basis = INFORMATION_BASES[outcome]
        text = PARTLY_ANSWERS[Kind.INFORMATION] if outcome == Outcome.PARTLY_GRANTED else None
    else:
        basis = PETITION_BASES[outcome]
        if outcome == Outcome.GRANTED and kind == Kind.REPORT:
            basis = REPORT_SOLVED
        if outcome == Outcome.PARTLY_GRANTED:
            text = PARTLY_ANSWERS["petition"]
        elif outcome == Outcome.REFUSED:
            text = REFUSED_ANSWER
    decision = Decision(
        outcome=outcome,
        legal_basis=basis,
        information_topic=topic,
        late_reason=LATE_REFUSAL_REASON if within is not None else "",
    )
    return DemoAnswer(decision, text, within)
