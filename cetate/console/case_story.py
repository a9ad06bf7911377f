"""A case told in words for staff: its history event by event, calls included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cetate.cases.choices import Channel, EventKind, Kind, Outcome, Priority
from cetate.cases.models import Case, Event
from cetate.cases.workflow import Status
from cetate.contacts.models import AnswerChannel
from cetate.contacts.protection import DataProtectionAction
from cetate.directory.models import Category
from cetate.telephony.models import Call, Direction, Settlement


@dataclass(frozen=True)
class Detail:
    text: str
    url: str = ""


@dataclass(frozen=True)
class HistoryRow:
    """One line of the case's history: an event of the register, or a call about the case."""

    number: str
    at: datetime
    who: str
    what: str
    details: list[Detail]
    text: str = ""
    public: bool = False


def history(case: Case) -> list[HistoryRow]:
    events = list(case.events.select_related("actor").order_by("seq"))
    category_ids = {
        pk
        for event in events
        if event.kind == EventKind.EDITED
        for pk in event.data.get("category", [])
        if pk is not None
    }
    categories = {c.pk: c.full_label for c in Category.objects.filter(pk__in=category_ids)}
    labels = _Labels(categories)
    rows = [
        HistoryRow(
            number=str(event.seq),
            at=event.at,
            who=str(event.actor) if event.actor else "",
            what=_what(event),
            details=_details(event, labels),
            text=event.text,
            public=event.public,
        )
        for event in events
        # A transition that keeps the status (a reassignment, an acceptance) is told by the
        # event that follows it, which names the department and the officer.
        if not (event.kind == EventKind.STATUS_CHANGED and event.from_status == event.to_status)
    ]
    rows.extend(_call_row(call) for call in case.calls.select_related("staff"))
    # Sorting is stable: an event and a call at the same moment keep events first.
    return sorted(rows, key=lambda row: row.at)


def _call_row(call: Call) -> HistoryRow:
    state = call.state
    what = _("%(direction)s call, %(state)s") % {
        "direction": Direction(call.direction).label,
        "state": state.label,
    }
    details = [Detail(call.resident_number)] if call.resident_number else []
    if call.talk_time is not None:
        details.append(Detail(_("talked %(duration)s") % {"duration": _duration(call.talk_time)}))
    if call.settlement:
        details.append(Detail(str(Settlement(call.settlement).label)))
    return HistoryRow(
        number="",
        at=call.started_at,
        who=str(call.staff) if call.staff else "—",
        what=what.capitalize(),
        details=details,
    )


def _duration(length: timedelta) -> str:
    minutes, seconds = divmod(int(length.total_seconds()), 60)
    return f"{minutes}:{seconds:02d}"


class _Labels(dict[int, str]):
    def __missing__(self, key: int) -> str:
        return f"#{key}"


def _what(event: Event) -> str:
    if event.kind == EventKind.STATUS_CHANGED and event.from_status and event.to_status:
        return _("Status: %(from)s → %(to)s") % {
            "from": Status(event.from_status).label,
            "to": Status(event.to_status).label,
        }
    return str(EventKind(event.kind).label).capitalize()


def _case_link(case_id: Any, number: Any) -> Detail:
    url = reverse("console:case", kwargs={"case_id": case_id}) if case_id else ""
    return Detail(_("case %(number)s") % {"number": number}, url)


def _details(event: Event, categories: dict[int, str]) -> list[Detail]:
    data: dict[str, Any] = event.data or {}
    kind = event.kind
    if kind == EventKind.CREATED:
        parts = []
        if data.get("kind") in Kind.values:
            parts.append(str(Kind(data["kind"]).label))
        if data.get("channel") in Channel.values:
            parts.append(
                _("received through %(channel)s") % {"channel": Channel(data["channel"]).label}
            )
        details = [Detail(", ".join(parts))] if parts else []
        if data.get("contests"):
            url = reverse("console:case", kwargs={"case_id": data["contests"]})
            number = data.get("contests_number", "")
            details.append(
                Detail(_("contests the answer to request %(number)s") % {"number": number}, url)
            )
        return details
    if kind == EventKind.STATUS_CHANGED and "into" in data:
        return [_case_link(data["into"], data.get("into_number", ""))]
    if kind == EventKind.STATUS_CHANGED and "answered_with" in data:
        url = reverse("console:case", kwargs={"case_id": data["answered_with"]})
        number = data.get("answered_with_number", "")
        answer = Detail(_("the answer of linked case %(number)s") % {"number": number}, url)
        return [answer, *_decision(data)]
    if kind == EventKind.STATUS_CHANGED and data.get("outcome"):
        return _decision(data)
    if kind == EventKind.ANSWER_SENT:
        channel = data.get("channel", "")
        return [
            Detail(
                _("on %(date)s, %(channel)s, to %(recipient)s")
                % {
                    "date": _moment(data.get("sent_at")),
                    "channel": AnswerChannel(channel).label
                    if channel in AnswerChannel.values
                    else channel,
                    "recipient": data.get("recipient", ""),
                }
            )
        ]
    if kind in {EventKind.MERGED_IN, EventKind.LINKED, EventKind.UNLINKED}:
        return [_case_link(data.get("case"), data.get("number", ""))]
    if kind in {EventKind.ASSIGNED, EventKind.REROUTED, EventKind.REDIRECTED}:
        names = [data.get("department_name", ""), data.get("assignee_name", "")]
        details = [Detail(" – ".join(name for name in names if name))]
        if data.get("forward_by"):
            # OG 27/2002 art. 6 (2): forwarded within 5 days of registration.
            day = {"date": _day(data["forward_by"])}
            if data.get("late"):
                details.append(Detail(_("to be forwarded by %(date)s (late)") % day))
            else:
                details.append(Detail(_("to be forwarded by %(date)s") % day))
        return details
    if kind == EventKind.CONTACT_MERGED:
        return [
            Detail(
                _("contact #%(from)s joined to #%(to)s")
                % {"from": data.get("from_contact", ""), "to": data.get("to_contact", "")}
            )
        ]
    if kind == EventKind.EDITED:
        return _changes(data, categories)
    if kind == EventKind.DEADLINE_EXTENDED:
        return [Detail(f"{_day(data.get('from'))} → {_day(data.get('to'))}")]
    if kind == EventKind.ATTACHMENT:
        return [Detail(f"{data.get('name', '')} ({data.get('type', '')})".strip())]
    if kind == EventKind.NOTIFICATION_FAILED:
        return [
            Detail(
                _("about no. %(seq)s, by %(channel)s to %(recipient)s: %(reason)s")
                % {
                    "seq": data.get("about", ""),
                    "channel": data.get("channel", ""),
                    "recipient": data.get("recipient", ""),
                    "reason": data.get("reason", ""),
                }
            )
        ]
    if kind == EventKind.MAIL_BOUNCED:
        return _bounce(data)
    if kind == EventKind.RECEIPT_MAILED:
        return [Detail(_("to %(recipient)s") % {"recipient": data.get("recipient", "")})]
    if kind in {EventKind.ANONYMISED, EventKind.DATA_PROTECTION}:
        return _data_protection(data)
    if kind in {EventKind.NOTIFICATION_SENT, EventKind.FORWARDED}:
        return [
            Detail(
                _("about no. %(seq)s, by %(channel)s to %(recipient)s")
                % {
                    "seq": data.get("about", ""),
                    "channel": data.get("channel", ""),
                    "recipient": data.get("recipient", ""),
                }
            )
        ]
    return []


def _bounce(data: dict[str, Any]) -> list[Detail]:
    """Which mail bounced, why, and what became of the answer's exit."""
    details = [
        Detail(
            _("the email about no. %(seq)s to %(recipient)s: %(why)s")
            % {
                "seq": data.get("about") or "—",
                "recipient": data.get("recipient", ""),
                "why": " ".join(str(data[key]) for key in ("status", "diagnostic") if data.get(key))
                or "—",
            }
        )
    ]
    if data.get("answer_returned"):
        withdrawn = data.get("withdrawn_exit") or {}
        details.append(
            Detail(
                _("the answer's exit by email on %(date)s no longer stands")
                % {"date": _moment(withdrawn.get("sent_at"))}
            )
        )
        if data.get("answer_by") == AnswerChannel.POST:
            details.append(Detail(_("the answer is to go by post")))
        else:
            details.append(Detail(_("no postal address to send the answer to")))
    return details


def _decision(data: dict[str, Any]) -> list[Detail]:
    """What an answer, a rejection or a redirection decided, as its event recorded it."""
    details = []
    if data.get("outcome") in Outcome.values:
        details.append(Detail(str(Outcome(data["outcome"]).label).capitalize()))
    if data.get("legal_basis_citation"):
        details.append(
            Detail(_("legal basis: %(citation)s") % {"citation": data["legal_basis_citation"]})
        )
    if data.get("answered_on_time") is False:
        late = _("answered late")
        if data.get("late_reason"):
            late = _("answered late: %(reason)s") % {"reason": data["late_reason"]}
        details.append(Detail(late))
    return details


def _data_protection(data: dict[str, Any]) -> list[Detail]:
    details = []
    action = data.get("data_protection")
    if action in DataProtectionAction.values:
        details.append(Detail(str(DataProtectionAction(action).label)))
    if data.get("reason") == "erasure":
        details.append(Detail(_("erased at the resident's request (GDPR art. 17)")))
    elif data.get("reason") == "retention":
        details.append(
            Detail(
                _("kept %(years)s years after closing (%(file)s)")
                % {"years": data.get("years"), "file": data.get("file_code") or "—"}
            )
        )
    if data.get("refusal"):
        details.append(Detail(str(data["refusal"])))
    return details


def _changes(data: dict[str, Any], categories: dict[int, str]) -> list[Detail]:
    """An EDITED event's old → new values, in words."""
    shown: dict[str, tuple[str, Any]] = {
        "category": (_("category"), lambda pk: categories[pk] if pk else "—"),
        "priority": (_("priority"), lambda value: Priority(value).label if value else "—"),
        "title": (_("summary"), lambda value: value or "—"),
        "address": (_("address"), lambda value: value or "—"),
        "area_name": (_("area"), lambda value: value or "—"),
        "service_due": (_("service target"), lambda value: _moment(value)),
    }
    details = []
    for key, (label, word) in shown.items():
        if key in data:
            old, new = data[key]
            details.append(Detail(f"{label}: {word(old)} → {word(new)}"))
    if "latitude" in data:
        (lat0, lat1), (lon0, lon1) = data["latitude"], data.get("longitude", [None, None])
        details.append(Detail(f"{_('coordinates')}: {_point(lat0, lon0)} → {_point(lat1, lon1)}"))
    return details


def _point(latitude: float | None, longitude: float | None) -> str:
    if latitude is None or longitude is None:
        return "—"
    return f"{latitude:.6f}, {longitude:.6f}"


def _day(value: str | None) -> str:
    return date_format(date.fromisoformat(value), "d.m.Y") if value else "—"


def _moment(value: str | None) -> str:
    if not value:
        return "—"
    return date_format(timezone.localtime(datetime.fromisoformat(value)), "d.m.Y H:i")
