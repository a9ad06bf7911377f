"""The resolution mail: the answer, and "is your problem solved?" as two links, each opening the
question with its answer chosen, to confirm."""

import re
from urllib.parse import urlsplit

import pytest

from cetate.cases import services
from cetate.cases.models import NotificationTemplate
from cetate.cases.notifications import install_default_templates
from cetate.cases.workflow import Action
from cetate.test import GRANTED


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run a service and deliver the mail it leaves for after commit."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


def resolve(city, send, **overrides):
    case = send(city.report, **overrides)
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    return send(
        services.change_status,
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Groapa a fost astupată cu asfalt.",
        decision=GRANTED,
    )


def test_the_resolution_mail_asks_with_two_links(city, send, mailoutbox, settings):
    case = resolve(city, send)
    registered, resolution = mailoutbox
    base = f"{settings.SITE_URL}/t/{case.tracking_code}"
    assert case.number in resolution.subject
    assert "rezolvată" in resolution.subject
    body = resolution.body
    assert "Groapa a fost astupată cu asfalt." in body
    assert f"Da: {base}/feedback/satisfied/" in body
    assert f"Nu: {base}/feedback/not-resolved/" in body
    assert f"Detalii: {base}\n" in body
    assert "Problema dumneavoastră s-a rezolvat?" in body
    # The link does not answer by itself (mail scanners open links): the mail says so.
    assert "vi se\nva cere să îl confirmați" in body
    assert "un singur clic" not in body
    # Threaded under the registration, like every later message about the case.
    thread = registered.extra_headers["Message-ID"]
    assert resolution.extra_headers["In-Reply-To"] == thread
    assert resolution.extra_headers["References"] == thread
    assert resolution.extra_headers["Message-ID"] not in (thread, "")


def test_the_links_open_the_question_without_answering_it(city, send, mailoutbox, client):
    case = resolve(city, send)
    links = re.findall(r"https?://\S+/feedback/\S+", mailoutbox[-1].body)
    assert len(links) == 2
    for link in links:
        assert client.get(urlsplit(link).path).status_code == 200
    case.refresh_from_db()
    assert (case.status, case.feedback) == ("resolved", "")


def test_in_english(city, send, mailoutbox):
    case = resolve(city, send, language="en")
    mail = mailoutbox[-1]
    assert mail.subject == f"{case.number}: your case has been resolved"
    assert "Is your problem solved?" in mail.body
    assert "you will be asked to\nconfirm it" in mail.body
    assert "one click" not in mail.body
    assert "Yes: " in mail.body and "No: " in mail.body
    assert "Groapa a fost astupată cu asfalt." in mail.body


def test_other_status_changes_keep_their_own_mail(city, send, mailoutbox):
    case = resolve(city, send)
    send(services.reopen, case_id=case.pk, actor=city.head, reason="Groapa a reapărut.")
    reopened = mailoutbox[-1]
    assert "/feedback/" not in reopened.body
    assert "Groapa a reapărut." in reopened.body


def test_the_resolution_template_is_editable_in_the_admin(city, send, mailoutbox):
    template = NotificationTemplate.objects.get(occasion="resolved", language="ro")
    template.subject = "Gata: {{ case.number }}"
    template.body = "{{ answer }}|{{ satisfied_url }}|{{ not_resolved_url }}"
    template.save()
    case = resolve(city, send)
    mail = mailoutbox[-1]
    assert mail.subject == f"Gata: {case.number}"
    answer, yes, no = mail.body.split("|")
    assert answer == "Groapa a fost astupată cu asfalt."
    assert yes.endswith(f"/t/{case.tracking_code}/feedback/satisfied/")
    assert no.endswith(f"/t/{case.tracking_code}/feedback/not-resolved/")


def test_romanian_text_uses_comma_below_letters():
    from cetate.cases.notifications import DEFAULTS_DIR

    text = (DEFAULTS_DIR / "resolved.ro.txt").read_text(encoding="utf-8")
    assert not set("şţŞŢ") & set(text)
    assert "ț" in text or "ș" in text


def test_an_installed_text_from_before_is_brought_up_to_date_an_edited_one_kept(city):
    from cetate.cases.notifications import SUPERSEDED_DIR, default_template

    earlier_subject, _blank, earlier_body = (
        (SUPERSEDED_DIR / "resolved.ro.1.txt").read_text(encoding="utf-8").partition("\n")
    )
    NotificationTemplate.objects.filter(occasion="resolved", language="ro").update(
        subject=earlier_subject, body=earlier_body.lstrip("\n").replace("\n", "\r\n")
    )
    NotificationTemplate.objects.filter(occasion="resolved", language="en").update(
        body="Our own words, one click: {{ satisfied_url }}"
    )
    install_default_templates()
    romanian = NotificationTemplate.objects.get(occasion="resolved", language="ro")
    assert (romanian.subject, romanian.body) == default_template("resolved", "ro")
    assert "un singur clic" not in romanian.body
    english = NotificationTemplate.objects.get(occasion="resolved", language="en")
    assert english.body == "Our own words, one click: {{ satisfied_url }}"
