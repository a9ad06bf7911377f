"""The resident stops and restarts the news emails of their case from its tracking page: only
after confirming, only the optional news, and the officer sees it."""

import pytest
from django.urls import reverse

from cetate.cases import services
from cetate.cases.models import Case
from cetate.cases.workflow import Action
from cetate.test import GRANTED

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


@pytest.fixture
def case(city, commit):
    case = commit(city.report)
    commit(services.assign, case_id=case.pk, actor=city.dispatcher, department=city.technical)
    return case


def stopped(case) -> bool:
    return Case.objects.get(pk=case.pk).updates_stopped_at is not None


def test_a_click_or_an_opened_link_stops_nothing_and_the_answer_always_arrives(
    client, city, case, mailoutbox, commit
):
    track = f"/t/{case.tracking_code}"
    page = client.get(track, **EN).content.decode()
    # The tracking page offers a link to a confirmation, not a button that stops the mail.
    assert f'href="{track}/updates/stop/"' in page
    assert 'value="stop"' not in page
    confirm = client.get(f"{track}/updates/stop/", **EN)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "csrfmiddlewaretoken" in html
    assert "the answer to your case" in html
    assert not stopped(case)

    response = client.post(f"{track}/updates/stop/")

    assert response.status_code == 302
    assert stopped(case)
    assert "Email me the news again" in client.get(track, **EN).content.decode()
    mailoutbox.clear()
    commit(services.change_status, case_id=case.pk, actor=city.officer, action=Action.START)
    assert mailoutbox == []  # news: stopped
    commit(
        services.change_status,
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Groapa a fost astupată.",
        decision=GRANTED,
    )
    [answer] = mailoutbox
    assert answer.to == ["ion@example.org"]
    assert "Groapa a fost astupată." in answer.body


def test_the_confirmation_needs_the_csrf_token(city, case):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/t/{case.tracking_code}/updates/stop/").status_code == 403
    assert not stopped(case)


def test_restarting_is_confirmed_too(client, city, case, mailoutbox, commit):
    track = f"/t/{case.tracking_code}"
    client.post(f"{track}/updates/stop/")
    assert f'href="{track}/updates/restart/"' in client.get(track).content.decode()
    assert client.get(f"{track}/updates/restart/").status_code == 200
    assert stopped(case)
    client.post(f"{track}/updates/restart/")
    assert not stopped(case)
    mailoutbox.clear()
    commit(services.change_status, case_id=case.pk, actor=city.officer, action=Action.START)
    assert len(mailoutbox) == 1


def test_the_officer_sees_the_residents_choice(client, city, case):
    client.post(f"/t/{case.tracking_code}/updates/stop/")
    client.force_login(city.officer)
    html = client.get(reverse("console:case", args=[case.pk]), **EN)
    text = html.content.decode()
    assert "stopped by the resident since" in text
    assert "Resident stopped the news emails" in text


def test_unknown_codes_and_choices_are_404(client, case):
    assert client.post("/t/ZZZZZZZZ/updates/stop/").status_code == 404
    assert client.get(f"/t/{case.tracking_code}/updates/never/").status_code == 404
    assert client.post(f"/t/{case.tracking_code}/updates/").status_code == 404
