"""Updates by email: anyone may follow a case's public updates after confirming their address;
the resident's own news emails are tested in test_news_emails."""

import re
from urllib.parse import urlsplit

import pytest
import time_machine

from cetate.cases import services
from cetate.cases.workflow import Action
from cetate.outbox.models import OutgoingMail
from cetate.outbox.sending import send
from cetate.portal.models import Follower
from cetate.test import GRANTED


def link_in(message) -> str:
    [url] = re.findall(r"https?://\S+", message.body)
    return urlsplit(url).path


@pytest.fixture
def case(city):
    return city.report()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what a service leaves for after its commit: the jobs that send mail."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


def follow(client, case, mailoutbox, email="vecin@example.org") -> Follower:
    assert client.post(f"/t/{case.tracking_code}/follow/", {"email": email}).status_code == 200
    path = link_in(mailoutbox[-1])
    assert client.post(path).status_code == 200
    return Follower.objects.get(case=case, email=email)


def start(city, case, commit):
    commit(services.assign, case_id=case.pk, actor=city.dispatcher, department=city.technical)
    commit(services.change_status, case_id=case.pk, actor=city.officer, action=Action.START)


def test_following_needs_the_emailed_confirmation(client, case, mailoutbox):
    mailoutbox.clear()
    response = client.post(f"/t/{case.tracking_code}/follow/", {"email": "Vecin@Example.org"})
    assert response.status_code == 200
    [mail] = mailoutbox
    assert mail.to == ["vecin@example.org"]
    assert not Follower.objects.exists()  # nothing kept before the address is confirmed
    path = link_in(mail)
    assert client.get(path).status_code == 200  # a mail scanner opening it confirms nothing
    assert not Follower.objects.exists()
    assert client.post(path).status_code == 200
    assert Follower.objects.filter(case=case, email="vecin@example.org").exists()
    assert client.post(path).status_code == 400  # once


def test_a_confirmation_link_expires(client, case, mailoutbox):
    with time_machine.travel("2026-03-02 10:00 +0200", tick=False):
        client.post(f"/t/{case.tracking_code}/follow/", {"email": "vecin@example.org"})
        path = link_in(mailoutbox[-1])
    with time_machine.travel("2026-03-05 10:01 +0200", tick=False):
        assert client.post(path).status_code == 400
    assert not Follower.objects.exists()


def test_a_tampered_confirmation_is_refused(client, case, mailoutbox):
    client.post(f"/t/{case.tracking_code}/follow/", {"email": "vecin@example.org"})
    path = link_in(mailoutbox[-1])
    token = path.rstrip("/").rsplit("/", 1)[1]
    forged = token[:10] + ("x" if token[10] != "x" else "y") + token[11:]
    assert client.post(f"/follow/confirm/{forged}/").status_code == 400
    assert not Follower.objects.exists()


def test_followers_get_public_updates_without_personal_data(client, city, case, mailoutbox, commit):
    follow(client, case, mailoutbox)
    mailoutbox.clear()
    start(city, case, commit)
    to_follower = [mail for mail in mailoutbox if mail.to == ["vecin@example.org"]]
    assert len(to_follower) == 1  # in progress; assigning is internal
    mail = to_follower[-1]
    assert case.number in mail.subject
    text = mail.subject + mail.body
    for private in (
        "Ion Popescu",
        "ion@example.org",
        "+40744123456",
        case.tracking_code,
        "Groapă adâncă",
        "inspector",
    ):
        assert private not in text
    unfollow = link_in(mail)
    assert mail.extra_headers["List-Unsubscribe"].endswith(f"{unfollow}>")


def test_messages_to_the_resident_are_not_sent_to_followers(client, city, case, mailoutbox, commit):
    follow(client, case, mailoutbox)
    mailoutbox.clear()
    commit(
        services.message_resident,
        case_id=case.pk,
        actor=city.dispatcher,
        text="Domnule Popescu, vă rugăm să ne sunați.",
    )
    assert [mail.to for mail in mailoutbox] == [["ion@example.org"]]


def test_unfollow_from_the_mail(client, city, case, mailoutbox, commit):
    follow(client, case, mailoutbox)
    start(city, case, commit)
    path = link_in([m for m in mailoutbox if m.to == ["vecin@example.org"]][-1])
    assert client.get(path).status_code == 200
    assert Follower.objects.exists()  # opening the link changes nothing
    assert client.post(path).status_code == 200
    assert not Follower.objects.exists()
    mailoutbox.clear()
    commit(
        services.change_status,
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Groapa a fost astupată.",
        decision=GRANTED,
    )
    assert mailoutbox
    assert all(mail.to != ["vecin@example.org"] for mail in mailoutbox)
    assert client.get(path[:-3] + "xx/").status_code == 400


def test_each_follower_is_told_once(client, city, case, mailoutbox, commit):
    follow(client, case, mailoutbox)
    start(city, case, commit)
    event = case.events.order_by("-seq").exclude(kind="notification_sent").first()
    [owed] = OutgoingMail.objects.filter(event=event, purpose="follower")
    mailoutbox.clear()
    assert send(owed.pk) is None
    assert mailoutbox == []


def test_asking_again_tells_nothing_about_who_follows(client, case, mailoutbox):
    follow(client, case, mailoutbox)
    again = client.post(f"/t/{case.tracking_code}/follow/", {"email": "vecin@example.org"})
    fresh = client.post(f"/t/{case.tracking_code}/follow/", {"email": "alt@example.org"})
    assert again.status_code == fresh.status_code == 200
    assert Follower.objects.count() == 1


def test_follow_requests_to_one_address_are_limited(client, case, mailoutbox):
    statuses = [
        client.post(
            f"/t/{case.tracking_code}/follow/",
            {"email": "vecin@example.org"},
            REMOTE_ADDR=f"10.0.0.{i}",
        ).status_code
        for i in range(6)
    ]
    assert statuses == [200] * 5 + [429]


def test_a_bad_address_is_explained(client, case):
    response = client.post(f"/t/{case.tracking_code}/follow/", {"email": "not-an-address"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_public_cases_can_be_followed_without_the_code(client, city, mailoutbox):
    pothole = city.report()  # on the public map
    noise = city.report(category=city.noise)  # not on the map
    assert client.get(f"/follow/{pothole.pk}/").status_code == 200
    assert client.post(f"/follow/{pothole.pk}/", {"email": "v@example.org"}).status_code == 200
    assert mailoutbox[-1].to == ["v@example.org"]
    assert client.get(f"/follow/{noise.pk}/").status_code == 404
    assert client.post(f"/follow/{noise.pk}/", {"email": "v@example.org"}).status_code == 404


def test_followers_are_told_even_when_the_resident_stopped(client, city, case, mailoutbox, commit):
    follow(client, case, mailoutbox)
    client.post(f"/t/{case.tracking_code}/updates/stop/")
    mailoutbox.clear()
    start(city, case, commit)
    assert [mail.to for mail in mailoutbox] == [["vecin@example.org"]]
