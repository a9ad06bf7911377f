"""Updates of a case by email: what the tracking page offers its resident (stopping and
restarting the news, through the case services), and anyone else following a case's public
updates after confirming their address (double opt-in).

Followers learn what the public may know: the case's number, category, where it stands in
plain words and its deadline; never the resident, the description, or messages written to the
resident. They never get the tracking code, which is the resident's key to the case.
"""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models.signals import post_save
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from cetate.cases.choices import EventKind
from cetate.cases.mail_identity import message_id, reply_address, thread_id
from cetate.cases.models import Case, Event
from cetate.cases.publication import PLAIN_STATUS, is_public
from cetate.cases.workflow import Status
from cetate.lib import clock
from cetate.outbox.kinds import Kind, register
from cetate.outbox.models import OutgoingMail, Purpose
from cetate.outbox.posting import post
from cetate.portal.links import Link, make_token, spend_token
from cetate.portal.mail import absolute, compose, mail_language, send
from cetate.portal.models import Follower

# What followers are told about; messages to the resident are the resident's own.
FOLLOWER_EVENTS = frozenset({EventKind.STATUS_CHANGED, EventKind.DEADLINE_EXTENDED})


def may_follow_publicly(case: Case) -> bool:
    """Whether anyone, without the tracking code, may follow the case: the public may see it
    (cetate/cases/publication), so its category and status are public already."""
    return is_public(case)


def request_follow(case: Case, *, email: str, language: str) -> None:
    """Send the confirmation link; nothing is stored until it is used."""
    token = make_token(Link.FOLLOW, case=case.pk, email=email.strip().lower(), language=language)
    send(
        to=email,
        language=language,
        subject=_("Confirm that you want to follow case %(number)s"),
        template="portal/mail/follow_confirm.txt",
        context={"number": case.number, "link": absolute("follow_confirm", token)},
    )


@transaction.atomic
def confirm_follow(token: str) -> Follower:
    """Start following as the link says; BadLink when it is not valid or was used."""
    data = spend_token(Link.FOLLOW, token)
    case = Case.objects.get(pk=data["case"])
    follower, _created = Follower.objects.get_or_create(
        case=case,
        email=data["email"],
        # Mail only what happens from now on.
        defaults={"language": data.get("language", "ro"), "last_told_seq": case.last_event_seq},
    )
    return follower


def unfollow_token(follower: Follower) -> str:
    return make_token(Link.UNFOLLOW, case=follower.case_id, email=follower.email)


def unfollow(case_id: int, email: str) -> None:
    """Forget the follower altogether: nothing of theirs is kept once they stop."""
    Follower.objects.filter(case_id=case_id, email__iexact=email).delete()


def _news(event: Event) -> str:
    """The one line a follower reads, in the active language."""
    case = event.case
    if event.kind == EventKind.DEADLINE_EXTENDED and case.legal_due:
        return str(_("The answer is now due by %(date)s.")) % {
            "date": date_format(case.legal_due, "d.m.Y")
        }
    return str(PLAIN_STATUS[Status(event.to_status or case.status)])


def _owe_follower_news(event: Event) -> None:
    """Owe each follower of the case who was not told yet the news of `event`.

    Runs in the case's transaction: the followers told are marked here, and the mail exists
    exactly when the event does.
    """
    for follower in Follower.objects.filter(case_id=event.case_id, last_told_seq__lt=event.seq):
        Follower.objects.filter(pk=follower.pk).update(last_told_seq=event.seq)
        post(
            purpose=Purpose.FOLLOWER,
            key=f"follower:{follower.pk}:{event.pk}",
            case_id=event.case_id,
            event_id=event.pk,
            params={"follower": follower.pk},
        )


def _compose_follower_news(mail: OutgoingMail) -> EmailMessage | None:
    follower = Follower.objects.filter(pk=mail.params["follower"]).first()
    if follower is None:  # stopped following since
        return None
    assert mail.event_id is not None
    event = Event.objects.select_related("case__category__parent").get(pk=mail.event_id)
    case = event.case
    link = absolute("unfollow", unfollow_token(follower))
    with override(mail_language(follower.language)):
        body, subject = compose(
            subject=_("Case %(number)s: an update"),
            template="portal/mail/follower_update.txt",
            context={
                "number": case.number,
                "category": case.category.full_label if case.category else "",
                "news": _news(event),
                "unfollow_link": link,
            },
        )
    return EmailMessage(
        subject=subject,
        body=body,
        to=[follower.email],
        headers={
            # Each follower's copy is a message of its own in the case's thread.
            "Message-ID": message_id(case, f"{event.seq}-f{follower.pk}"),
            "In-Reply-To": thread_id(case),
            "References": thread_id(case),
            # An answer reaches the case's officer, never as the resident's.
            "Reply-To": reply_address(case),
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{link}>",
        },
    )


def _event_saved(sender: type[Event], instance: Event, created: bool, **kwargs: object) -> None:
    """Owe the followers' mail for a public event, in its case's transaction.

    Replayed history (demo data, imports) owes nothing, like the resident's own mail.
    """
    if not created or not instance.public or instance.kind not in FOLLOWER_EVENTS:
        return
    if clock.is_replaying() or not Follower.objects.filter(case_id=instance.case_id).exists():
        return
    _owe_follower_news(instance)


def connect() -> None:
    post_save.connect(_event_saved, sender=Event, dispatch_uid="portal.followers")
    register(Purpose.FOLLOWER, Kind(compose=_compose_follower_news))


def tracking_context(case: Case) -> dict[str, object]:
    """What the tracking page needs to offer updates by email."""
    from cetate.portal.account import EmailForm

    reporter = case.reporter
    while reporter is not None and reporter.merged_into_id is not None:
        reporter = reporter.merged_into
    return {
        "resident_mailed": reporter is not None and bool(reporter.email),
        "updates_stopped": case.updates_stopped_at is not None,
        "follow_form": EmailForm(),
    }
