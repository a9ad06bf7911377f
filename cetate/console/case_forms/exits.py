"""Recording the exit of an answer sent by post, handed over at the front desk or read out on
the phone; an answer by email records its own exit when its mail leaves."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.accounts.models import User
from cetate.cases import services
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.letter import current_contact
from cetate.cases.models import Case
from cetate.cases.services.exits import last_answer
from cetate.cases.workflow import Permission
from cetate.console.case_forms.base import CardForm
from cetate.contacts.models import AnswerChannel
from cetate.lib import clock

BY_HAND = (AnswerChannel.POST, AnswerChannel.DESK, AnswerChannel.PHONE)


class AnswerSentForm(CardForm):
    name = "answer_sent"
    heading = gettext_lazy("Record that the answer was sent")
    button = gettext_lazy("Record it")
    needs = (Permission.RECORD_ANSWER_SENT,)
    sent_on = forms.DateField(
        label=gettext_lazy("Sent on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Not before the answer, not in the future."),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("How"),
        choices=[(channel.value, channel.label) for channel in BY_HAND],
        widget=forms.RadioSelect,
    )
    recipient = forms.CharField(
        label=gettext_lazy("To whom"),
        max_length=300,
        help_text=gettext_lazy("The name, and the address the letter went to."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        channel = self.case.answer_channel
        self.initial.setdefault("sent_on", clock.now().astimezone(CITY_TZ).date().isoformat())
        self.initial.setdefault("channel", channel if channel in BY_HAND else AnswerChannel.POST)
        self.initial.setdefault("recipient", _recipient(self.case, channel))

    @classmethod
    def offered(cls, user: User, case: Case) -> bool:
        return (
            case.sent_at is None and super().offered(user, case) and last_answer(case) is not None
        )

    def submit(self) -> str:
        sent_on: date = self.cleaned_data["sent_on"]
        services.record_answer_sent(
            case_id=self.case.pk,
            actor=self.user,
            channel=self.cleaned_data["channel"],
            recipient=self.cleaned_data["recipient"],
            sent_on=sent_on,
            seen=self.seen_value,
        )
        return _("The answer to case %(number)s is recorded as sent on %(date)s.") % {
            "number": self.case.number,
            "date": date_format(sent_on, "d.m.Y"),
        }


def _recipient(case: Case, channel: str) -> str:
    contact = current_contact(case)
    if contact is None:
        return ""
    parts = [contact.name]
    if channel == AnswerChannel.PHONE:
        parts.append(contact.phone)
    elif channel != AnswerChannel.DESK:
        parts.append(contact.postal_address.replace("\n", ", "))
    return ", ".join(part for part in parts if part)
