"""Cases for the legal reports' tests, with the figures each report must give written out by
hand in the tests. Registered with the case services at past moments; what the answer of a case
records (status, outcome, legal basis, timeliness, subject area, how it was sent, the court)
is then set directly, as it stands once a case is answered."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from cetate.cases.choices import Channel, CourtRuling, InformationTopic, Kind, Outcome
from cetate.cases.choices import RefusalGround as Ground
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case
from cetate.cases.services import cancel_registration, merge, open_case
from cetate.cases.workflow import Status
from cetate.contacts.models import Contact
from cetate.contacts.services import create_contact
from cetate.directory.models import LegalBasis
from cetate.lib import clock
from cetate.test import INSIDE, City


def moment(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00").replace(tzinfo=CITY_TZ)


@dataclass
class Register:
    city: City
    cases: dict[str, Case] = field(default_factory=dict)

    def register(
        self,
        name: str,
        day: str,
        kind: Kind,
        channel: Channel,
        *,
        reporter: Contact | None = None,
        **fields: Any,
    ) -> Case:
        """Register a case on `day`, then give it `fields` as the register would hold them."""
        extra: dict[str, Any] = (
            {"category": self.city.pothole, **INSIDE} if kind == Kind.REPORT else {}
        )
        with clock.replaying_at(moment(day)):
            case = open_case(
                kind=kind,
                channel=channel,
                actor=self.city.dispatcher,
                description=f"Cazul {name}: cerere cu diacritice — școală, țară",
                reporter=reporter or self.city.resident,
                **extra,
            )
        if fields:
            Case.objects.filter(pk=case.pk).update(**fields)
        self.cases[name] = case
        return case

    def solve(self, name: str, day: str, status: Status, **fields: Any) -> None:
        """Record the city's decision on `day`: the answer, or the final status."""
        at = moment(day, 12)
        values: dict[str, Any] = {"status": status, "status_changed_at": at, **fields}
        if status in (Status.RESOLVED, Status.CLOSED):
            values["resolved_at"] = at
        Case.objects.filter(pk=self.cases[name].pk).update(**values)

    def cancel(self, name: str, day: str) -> None:
        with clock.replaying_at(moment(day, 11)):
            cancel_registration(
                case_id=self.cases[name].pk, actor=self.city.dispatcher, reason="Înregistrat greșit"
            )


def petitions_register(city: City) -> Register:
    """Petitions around the first half of 2026 (figures in test_legal_reports.py)."""
    r = Register(city)
    technical, lighting = city.technical, city.lighting
    R, A, C, M = Status.RESOLVED, Status.ASSIGNED, Status.CLOSED, Status.IN_PROGRESS
    # Before the period.
    r.register("P1", "2025-12-10", Kind.REQUEST, Channel.EMAIL, department=technical)
    r.solve("P1", "2026-01-08", R, outcome=Outcome.GRANTED, answered_on_time=True)
    r.register("P2", "2025-11-20", Kind.COMPLAINT, Channel.PHONE, department=technical, status=M)
    r.register("P3", "2025-12-01", Kind.REPORT, Channel.PHONE, department=technical)
    r.solve("P3", "2025-12-20", C, outcome=Outcome.GRANTED, answered_on_time=True)
    # In the period.
    r.register("P4", "2026-02-02", Kind.REQUEST, Channel.PORTAL, department=technical)
    r.solve("P4", "2026-02-20", R, outcome=Outcome.GRANTED, answered_on_time=True)
    r.register("P5", "2026-03-02", Kind.REQUEST, Channel.DESK, department=technical)
    r.solve("P5", "2026-04-20", C, outcome=Outcome.PARTLY_GRANTED, answered_on_time=False)
    # Timeliness not recorded: answered after its legal deadline of 9 April.
    r.register("P6", "2026-03-10", Kind.COMPLAINT, Channel.POST, department=lighting)
    r.solve("P6", "2026-05-20", R, outcome=Outcome.REFUSED)
    # Outcome not recorded: redirected, as its status says; on time by its dates.
    r.register("P7", "2026-04-01", Kind.REPORT, Channel.PHONE)
    r.solve("P7", "2026-04-03", Status.REDIRECTED)
    r.register("P8", "2026-04-10", Kind.PROPOSAL, Channel.EMAIL)
    r.solve("P8", "2026-04-12", Status.REJECTED, outcome=Outcome.FILED, answered_on_time=True)
    r.register("P10", "2026-05-05", Kind.REQUEST, Channel.KIOSK, department=technical, status=M)
    r.register("P9", "2026-05-04", Kind.REQUEST, Channel.EMAIL, department=technical)
    with clock.replaying_at(moment("2026-05-06")):
        merge(case_id=r.cases["P9"].pk, into_case_id=r.cases["P10"].pk, actor=city.supervisor)
    r.register("P11", "2026-06-20", Kind.REPORT, Channel.API, department=lighting, status=A)
    r.register("P12", "2026-06-25", Kind.REQUEST, Channel.EMAIL, department=technical)
    r.solve("P12", "2026-07-03", R, outcome=Outcome.GRANTED, answered_on_time=True)
    r.register("P13", "2026-03-03", Kind.REQUEST, Channel.PHONE)
    r.cancel("P13", "2026-03-03")
    r.register("P14", "2026-01-15", Kind.COMPLAINT, Channel.EMAIL, department=lighting)
    r.solve("P14", "2026-02-01", R)
    # After the period.
    r.register("P15", "2026-07-02", Kind.REQUEST, Channel.EMAIL, department=technical)
    # Not petitions: a public-information request, its administrative complaint, a question.
    r.register("I", "2026-02-10", Kind.INFORMATION, Channel.EMAIL, department=technical)
    r.register(
        "C",
        "2026-03-01",
        Kind.COMPLAINT,
        Channel.EMAIL,
        contests=r.cases["I"],
        department=technical,
    )
    r.solve("C", "2026-03-20", R, outcome=Outcome.GRANTED, answered_on_time=True)
    with clock.replaying_at(moment("2026-02-11")):
        open_case(
            kind=Kind.INQUIRY,
            channel=Channel.PHONE,
            actor=city.dispatcher,
            description="Program de lucru?",
            answer_on_spot="8-16",
        )
    return r


def information_register(city: City) -> Register:
    """Public-information requests and complaints around 2026 (figures in the tests)."""
    r = Register(city)
    company = create_contact(
        name="Exemplu SRL", email="office@exemplu.ro", kind=Contact.Kind.ORGANISATION
    )
    bases = {
        ground: LegalBasis.objects.create(
            code=f"refusal-{ground}",
            name=f"Refuz: {ground}",
            citation="Legea 544/2001",
            kind=Kind.INFORMATION,
            outcome=Outcome.REFUSED,
            refusal_ground=ground,
        )
        for ground in Ground
    }
    info, email = Kind.INFORMATION, Channel.EMAIL
    R, T = Status.RESOLVED, InformationTopic
    granted = {"outcome": Outcome.GRANTED, "answered_on_time": True, "sent_by": "email"}

    r.register("I0", "2025-12-20", info, email, information_topic=T.PUBLIC_MONEY)
    r.solve("I0", "2026-01-05", R, **granted)
    r.register("I1", "2026-02-10", info, email, information_topic=T.DUTIES)
    r.solve("I1", "2026-02-16", R, **granted)
    r.register("I2", "2026-03-02", info, Channel.POST, reporter=company, legal_extended_days=20)
    r.solve(
        "I2",
        "2026-03-30",
        R,
        outcome=Outcome.PARTLY_GRANTED,
        answered_on_time=True,
        sent_by="post",
        information_topic=T.PUBLIC_MONEY,
        court_filed_on=date(2027, 1, 10),
        court_ruling=CourtRuling.PENDING,
    )
    r.register("I3", "2026-04-01", info, Channel.DESK, information_topic=T.REGULATIONS)
    r.solve("I3", "2026-05-20", R, outcome=Outcome.GRANTED, answered_on_time=False, sent_by="desk")
    r.register(
        "I4", "2026-04-06", info, Channel.PORTAL, reporter=company, information_topic="other"
    )
    r.solve(
        "I4",
        "2026-04-08",
        Status.REDIRECTED,
        outcome=Outcome.REDIRECTED,
        answered_on_time=True,
        sent_by="email",
    )
    refused = {"outcome": Outcome.REFUSED, "answered_on_time": True}
    r.register("I5", "2026-05-04", info, Channel.PHONE, information_topic=T.LEADERS)
    r.solve(
        "I5",
        "2026-05-07",
        R,
        legal_basis=bases[Ground.EXEMPTED],
        sent_by="phone",
        court_filed_on=date(2026, 6, 15),
        court_ruling=CourtRuling.UPHELD,
        **refused,
    )
    r.register("I6", "2026-05-11", info, Channel.API, information_topic=T.LAW_544)
    r.solve(
        "I6",
        "2026-05-15",
        R,
        legal_basis=bases[Ground.NOT_HELD],
        court_filed_on=date(2026, 7, 1),
        court_ruling=CourtRuling.REJECTED,
        **refused,
    )
    r.register("I7", "2026-06-01", info, Channel.KIOSK)
    r.solve(
        "I7",
        "2026-06-05",
        R,
        court_filed_on=date(2026, 11, 1),
        court_ruling=CourtRuling.PENDING,
        **refused,
    )
    r.register("I8", "2026-12-28", info, email)
    r.register("I9", "2026-12-20", info, email, reporter=company, information_topic=T.PUBLIC_MONEY)
    r.solve("I9", "2027-01-04", R, **granted)
    r.register("I10", "2026-03-05", info, email)
    r.cancel("I10", "2026-03-05")
    r.register("I11", "2026-09-01", info, email, information_topic=T.DUTIES)
    r.solve("I11", "2026-09-05", R, outcome=Outcome.GRANTED)
    r.register("I12", "2026-07-01", info, email, information_topic=T.LEADERS)
    r.solve("I12", "2026-07-03", R, legal_basis=bases[Ground.OTHER], **refused)

    complaint = Kind.COMPLAINT
    r.register("C1", "2026-05-20", complaint, email, contests=r.cases["I5"])
    r.solve("C1", "2026-06-01", R, outcome=Outcome.GRANTED)
    r.register("C2", "2026-05-25", complaint, email, contests=r.cases["I6"])
    r.solve("C2", "2026-06-10", R, outcome=Outcome.REFUSED)
    r.register("C3", "2026-06-10", complaint, email, contests=r.cases["I7"])
    r.solve("C3", "2026-06-12", Status.REJECTED)
    r.register("C4", "2026-12-15", complaint, email, contests=r.cases["I12"])
    r.register("C5", "2026-06-01", complaint, email, contests=r.cases["I3"])
    r.cancel("C5", "2026-06-01")
    r.register("C6", "2025-12-30", complaint, email, contests=r.cases["I0"])
    r.solve("C6", "2026-01-10", R, outcome=Outcome.GRANTED)
    # A petition, counted by the other report only.
    r.register("P", "2026-03-01", Kind.REQUEST, email)
    r.solve("P", "2026-03-05", R, outcome=Outcome.GRANTED, sent_by="email")
    return r
