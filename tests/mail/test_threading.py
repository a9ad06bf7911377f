"""Every mail about a case asks for replies at the case's signed address and carries a signed
Message-ID in the case's thread; whoever answers it joins the case, recorded as who wrote."""

import re
from email.utils import make_msgid

import pytest
from django.urls import reverse

from cetate.cases import services
from cetate.cases.mail_identity import references_in, thread_id
from cetate.cases.models import Case
from cetate.cases.notifications import reply_subject
from cetate.cases.workflow import Action
from cetate.mail.models import Outcome
from cetate.mail.pipeline import receive
from cetate.outbox.sending import send_due


@pytest.fixture(autouse=True)
def _city_address(settings):
    settings.DEFAULT_FROM_EMAIL = "Primăria <registratura@apulum.ro>"
    settings.MAIL_REPLY_ADDRESS = ""
    settings.SITE_URL = "https://cetate.apulum.ro"


@pytest.fixture
def commit(django_capture_on_commit_callbacks, mailoutbox):
    """Run a change and send the mail it owes; the mail sent is returned."""

    def run(change, *args, **kwargs):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            change(*args, **kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            send_due()
        return list(mailoutbox)

    return run


def follow(client, case, mailoutbox, email="vecin@example.org") -> None:
    assert client.post(f"/t/{case.tracking_code}/follow/", {"email": email}).status_code == 200
    [url] = re.findall(r"https?://\S+", mailoutbox[-1].body)
    assert client.post(url.split("cetate.apulum.ro", 1)[-1]).status_code == 200


def signed_in_thread(mail, case: Case) -> bool:
    headers = mail.message()
    reply_to = rf"registratura\+c-{case.pk}-[0-9a-f]{{16}}@apulum\.ro"
    [own] = references_in(headers["Message-ID"])
    return (
        re.fullmatch(reply_to, headers["Reply-To"]) is not None
        and own.signed
        and (own.year, own.number) == (case.registration_year, case.registration_number)
        # The registration mail starts the thread the others refer to.
        and thread_id(case) in (headers["References"] or headers["Message-ID"])
    )


def test_every_mail_about_a_case_carries_its_signed_reply_address_and_message_id(
    city, client, commit, mailoutbox
):
    case = city.report()
    follow(client, case, mailoutbox)
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)

    news = commit(services.change_status, case_id=case.pk, actor=city.officer, action=Action.START)
    written = commit(
        services.message_resident, case_id=case.pk, actor=city.officer, text="Venim mâine."
    )
    receipt = commit(
        services.mail_receipt, case_id=case.pk, actor=city.dispatcher, to="fiu@example.org"
    )
    forwarding = commit(
        services.redirect,
        case_id=case.pk,
        actor=city.dispatcher,
        to=city.water_operator,
        reason="Canalizarea este a operatorului.",
    )

    assert {tuple(mail.to) for mail in news} == {("ion@example.org",), ("vecin@example.org",)}
    assert [mail.to for mail in written] == [["ion@example.org"]]
    assert [mail.to for mail in receipt] == [["fiu@example.org"]]
    assert ["apa@example.org"] in [mail.to for mail in forwarding]
    mails = news + written + receipt + forwarding
    assert [mail.subject for mail in mails if not signed_in_thread(mail, case)] == []
    # Each is a message of its own.
    assert len({mail.message()["Message-ID"] for mail in mails}) == len(mails)


def answer(*, sender: str, to: str = "registratura@apulum.ro", answers: str = "") -> bytes:
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: Re: cazul dumneavoastră\r\n"
        f"Message-ID: {make_msgid(domain='example.org')}\r\n"
        + (f"In-Reply-To: {answers}\r\nReferences: {answers}\r\n" if answers else "")
        + "Content-Type: text/plain; charset=utf-8\r\n\r\nLucrarea se face săptămâna viitoare.\r\n"
    ).encode()


def deliver(raw: bytes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return receive(raw, source="pipe")


def test_a_stranger_answering_a_signed_message_id_joins_the_case_not_as_the_resident(
    city, client, commit, django_capture_on_commit_callbacks
):
    case = city.report()
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    commit(services.change_status, case_id=case.pk, actor=city.officer, action=Action.START)
    [asked] = commit(
        services.change_status,
        case_id=case.pk,
        actor=city.officer,
        action=Action.WAIT,
        text="Care este adresa exactă?",
    )

    # The resident passed the mail on to a neighbour, who answers it.
    raw = answer(sender="Maria <maria@example.org>", answers=asked.message()["Message-ID"])
    result = deliver(raw, django_capture_on_commit_callbacks)

    assert (result.outcome, result.case) == (Outcome.REPLY, case.number)
    assert Case.objects.count() == 1
    event = case.events.get(kind="others_replied")
    assert (event.data["author"], event.data["sender"]) == ("other", "maria@example.org")
    assert not case.events.filter(kind="resident_replied").exists()
    case.refresh_from_db()
    assert case.status == "waiting"  # still waiting for its resident

    client.force_login(city.officer)
    page = client.get(
        reverse("console:case", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Reply by email from someone other than the resident" in page
    assert "from maria@example.org" in page


def test_the_organisation_the_case_was_redirected_to_answers_into_the_case(
    city, client, commit, django_capture_on_commit_callbacks
):
    case = city.report()
    [forwarding] = [
        mail
        for mail in commit(
            services.redirect,
            case_id=case.pk,
            actor=city.dispatcher,
            to=city.water_operator,
            reason="Canalizarea este a operatorului.",
        )
        if mail.to == ["apa@example.org"]
    ]

    # A colleague at the organisation answers the forwarding mail from their own address.
    colleague = answer(
        sender="Dispecerat Apa <dispecerat@apa.example.org>",
        answers=forwarding.message()["Message-ID"],
    )
    # The organisation's own address writes to the case's signed address.
    own = answer(sender="apa@example.org", to=forwarding.message()["Reply-To"])

    for raw in (colleague, own):
        assert deliver(raw, django_capture_on_commit_callbacks).outcome == Outcome.REPLY
    answers = list(case.events.filter(kind="organisation_replied").order_by("seq"))
    assert [event.data["sender"] for event in answers] == [
        "dispecerat@apa.example.org",
        "apa@example.org",
    ]
    assert all(event.data["organisation_name"] == "Apa CTTA" for event in answers)
    assert not case.events.filter(kind="resident_replied").exists()
    case.refresh_from_db()
    assert case.status == "redirected"

    client.force_login(city.dispatcher)
    page = client.get(
        reverse("console:case", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Reply by email from the organisation the case was redirected to" in page


def test_a_follower_answering_the_news_is_not_recorded_as_the_resident(
    city, client, commit, mailoutbox, django_capture_on_commit_callbacks
):
    case = city.report()
    follow(client, case, mailoutbox)
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    mails = commit(services.change_status, case_id=case.pk, actor=city.officer, action=Action.START)
    [news] = [mail for mail in mails if mail.to == ["vecin@example.org"]]

    raw = answer(sender="vecin@example.org", to=news.message()["Reply-To"])
    assert deliver(raw, django_capture_on_commit_callbacks).outcome == Outcome.REPLY

    event = case.events.get(kind="others_replied")
    assert event.data["sender"] == "vecin@example.org"
    assert not case.events.filter(kind="resident_replied").exists()


def test_a_message_id_signed_wrongly_is_trusted_from_the_resident_alone(
    city, django_capture_on_commit_callbacks
):
    case = city.report()
    forged = re.sub(r"\.[0-9a-f]{16}@", ".0123456789abcdef@", thread_id(case))

    stranger = deliver(
        answer(sender="Maria Ionescu <maria@example.org>", answers=forged),
        django_capture_on_commit_callbacks,
    )
    resident = deliver(
        answer(sender="Ion Popescu <ion@example.org>", answers=forged),
        django_capture_on_commit_callbacks,
    )

    assert stranger.outcome == Outcome.CASE and stranger.case != case.number
    assert (resident.outcome, resident.case) == (Outcome.REPLY, case.number)
    assert case.events.filter(kind="resident_replied").count() == 1


@pytest.mark.parametrize(
    ("theirs", "subject"),
    [
        ("Groapa pe strada Unirii", "Re: Groapa pe strada Unirii [Înregistrare 1/2026]"),
        ("RE: Re:  Groapa   mare", "Re: Groapa mare [Înregistrare 1/2026]"),
        ("", "Înregistrare 1/2026"),
    ],
)
def test_the_receipt_answers_under_the_residents_subject_and_names_the_case(theirs, subject):
    assert reply_subject(theirs, "Înregistrare 1/2026") == subject
