"""The case card's linked cases: merge only the same resident's cases, link the others, list
and unlink them, and send one answer to each resident on their own case."""

import re

import pytest

from cetate.cases import services
from cetate.cases.mail_identity import thread_id
from cetate.cases.models import Case, CaseLink
from cetate.cases.workflow import Action
from cetate.contacts.services import create_contact
from tests.cases.test_mail_end_to_end import plain_text
from tests.console.test_case_card import EN, offered_actions, post, show


@pytest.fixture
def neighbour(db):
    return create_contact(name="Maria Vecina", email="maria@example.org")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a change as a request would, with the mail jobs it leaves for after its commit."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


def suggested(html: str, name: str) -> set[str]:
    """The cases a form's radio buttons offer."""
    return set(re.findall(rf'type="radio" name="{name}" id="[^"]+" value="(\d+)"', html))


def started(city, case, commit):
    commit(services.assign, case_id=case.pk, actor=city.dispatcher, department=city.technical)
    commit(services.change_status, case_id=case.pk, actor=city.officer, action=Action.START)


def test_another_residents_case_is_linked_not_merged_and_each_is_answered_on_their_own(
    client, city, neighbour, settings, smtp_sink, commit
):
    """A neighbour's report of Ion's pothole merged into Ion's case used to send her to Ion's
    tracking page (his answer, his messages, his "is it solved?" buttons) and never answered
    her. Now the merge is refused, the cases are linked, and each resident is answered."""
    controller, inbox = smtp_sink
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    ion = commit(city.report)
    maria = commit(city.report, reporter=neighbour)
    for case in (ion, maria):
        started(city, case, commit)
    commit(
        services.message_resident, case_id=ion.pk, actor=city.officer, text="Domnule Ion, venim."
    )
    client.force_login(city.dispatcher)

    refused = commit(post, client, maria, "merge", number=ion.number)

    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Nothing was changed" in html
    assert "not sent by the same petitioner" in html and "Link the two cases" in html
    assert Case.objects.get(pk=maria.pk).status == "in_progress"
    page = client.get(f"/t/{maria.tracking_code}", **EN).content.decode()
    assert ion.tracking_code not in page and "Domnule Ion" not in page

    assert commit(post, client, maria, "link", number=ion.number).status_code == 302
    card = show(client, ion).content.decode()
    assert maria.number in card and "Linked reports of the same problem" in card

    client.force_login(city.officer)
    form = show(client, ion).content.decode()
    assert "Send this answer also to the linked cases" in form
    assert re.search(rf'name="resolve-also" value="{maria.pk}"', form)
    inbox.messages.clear()
    answered = commit(
        post,
        client,
        ion,
        "resolve",
        outcome="granted",
        legal_basis="og27-granted",
        text="Groapa a fost astupată.",
        also=[maria.pk],
    )
    assert answered.status_code == 302

    to = {message["To"]: message for message in inbox.messages}
    assert set(to) == {"ion@example.org", "maria@example.org"}
    for address, case in (("ion@example.org", ion), ("maria@example.org", maria)):
        body = plain_text(to[address])
        assert "Groapa a fost astupată." in body
        assert f"/t/{case.tracking_code}" in body
        assert to[address]["In-Reply-To"] == thread_id(case)
    assert ion.tracking_code not in plain_text(to["maria@example.org"])
    page = client.get(f"/t/{maria.tracking_code}", **EN).content.decode()
    assert "Groapa a fost astupată." in page
    assert f"/t/{maria.tracking_code}/feedback/satisfied/" in page
    assert "Handled together with other reports of the same problem." in page
    assert ion.tracking_code not in page and ion.number not in page
    assert "Domnule Ion" not in page


def test_merge_suggests_the_same_residents_cases_and_link_the_others(client, city, neighbour):
    earlier_own = city.report()
    neighbours = city.report(reporter=neighbour)
    case = city.report()
    client.force_login(city.dispatcher)

    html = show(client, case).content.decode()

    assert suggested(html, "merge-into") == {str(earlier_own.pk)}
    assert suggested(html, "link-other") == {str(neighbours.pk)}
    response = post(client, case, "link", other=neighbours.pk, reason="Aceeași groapă")
    assert response.status_code == 302
    assert CaseLink.objects.filter(first=neighbours, second=case).exists()
    # A case linked already is no longer suggested.
    assert suggested(show(client, case).content.decode(), "link-other") == set()


def test_linked_cases_are_listed_and_unlinked_from_the_card(client, city, neighbour):
    case = city.report()
    other = city.report(reporter=neighbour)
    services.link_cases(case_id=case.pk, other_case_id=other.pk, actor=city.dispatcher)
    client.force_login(city.dispatcher)

    html = show(client, case).content.decode()

    section = html.split('aria-labelledby="links-title"')[1].split("</section>")[0]
    assert f'href="/console/cases/{other.pk}/"' in section
    assert other.number in section and "new" in section and "Roads › Pothole" in section
    assert other.tracking_code not in html
    assert "unlink" in offered_actions(html)
    response = post(client, case, "unlink", other=other.pk)
    assert response.status_code == 302
    assert not CaseLink.objects.exists()
    assert "Linked reports of the same problem" not in show(client, case).content.decode()


def test_a_desk_clerk_sees_no_link_form(client, city):
    case = city.report(actor=city.clerk)
    client.force_login(city.clerk)
    assert "link" not in offered_actions(show(client, case).content.decode())
    assert post(client, case, "link", number="1/2026").status_code == 403


def test_linked_cases_that_cannot_be_resolved_are_reported_back(client, city, neighbour, commit):
    case = city.report()
    started(city, case, commit)
    waiting_for_triage = city.report(reporter=neighbour)
    services.link_cases(case_id=case.pk, other_case_id=waiting_for_triage.pk, actor=city.dispatcher)
    client.force_login(city.officer)

    response = post(
        client,
        case,
        "resolve",
        outcome="granted",
        legal_basis="og27-granted",
        text="Rezolvat.",
        also=[waiting_for_triage.pk],
    )

    assert response.status_code == 302
    page = client.get(response["Location"], **EN).content.decode()
    assert f"Case {case.number} is now resolved." in page
    assert f"Case {waiting_for_triage.number} was not resolved:" in page
    assert Case.objects.get(pk=waiting_for_triage.pk).status == "new"


def test_the_card_says_how_the_resident_is_told(client, city, settings, commit):
    case = commit(city.report)
    client.force_login(city.dispatcher)

    html = show(client, case).content.decode()
    told = html.split('aria-labelledby="telling-title"')[1].split("</section>")[0]
    assert "by email to ion@example.org" in told
    assert "sent at each change" in told
    assert "sent on" in told and "about no. 1" in told

    services.stop_updates(case_id=case.pk)
    by_post = create_contact(name="Ana", postal_address="Str. Lungă 3", preferred_channel="post")
    letter = city.report(reporter=by_post)
    html = show(client, case).content.decode()
    assert "stopped by the resident since" in html
    assert "the answer are still sent" in html
    assert "Resident stopped the news emails" in html  # in the history
    html = show(client, letter).content.decode()
    assert "by letter by post: print it" in html and "Str. Lungă 3" in html


def test_the_card_says_when_mail_is_waiting_for_the_mail_server(client, city, settings, commit):
    from tests.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    case = commit(city.report)
    client.force_login(city.dispatcher)
    html = show(client, case).content.decode()
    assert "Waiting to be sent" in html
    assert "the mail server did not take it (ConnectionRefusedError)" in html
    assert "failed on" not in html


def test_the_card_says_when_the_last_mail_failed(client, city, settings, commit):
    from tests.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.MAIL_MAX_ATTEMPTS = 1
    case = commit(city.report)
    client.force_login(city.dispatcher)
    html = show(client, case).content.decode()
    assert "failed on" in html and "tell the resident another way" in html
    assert "Notification could not be sent" in html
