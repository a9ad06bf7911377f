"""Residents sign in by an emailed link, see their cases, change their details and download
their data."""

import json
import re
from urllib.parse import urlsplit

import time_machine
from django.core import signing
from django.utils.html import escape
from django.utils.translation import gettext, override

from cetate.cases import services
from cetate.cases.choices import Channel
from cetate.cases.workflow import Action
from cetate.contacts.models import Contact
from cetate.contacts.services import create_contact, merge_contacts, record_personal_data_view
from cetate.portal.links import Link, make_token
from cetate.portal.residents import SESSION_KEY
from cetate.test import GRANTED


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: pages are in Romanian by default."""
    with override("ro"):
        return escape(gettext(text))


def link_in(message) -> str:
    [url] = re.findall(r"https?://\S+", message.body)
    return urlsplit(url).path


def ask_link(client, email: str, **extra):
    return client.post("/account/sign-in/", {"email": email}, **extra)


def sign_in(client, mailoutbox, email: str = "ion@example.org"):
    ask_link(client, email)
    path = link_in(mailoutbox[-1])
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    return client.get("/account/")


def test_the_emailed_link_signs_in_after_a_click(client, city, mailoutbox):
    case = city.report()
    mailoutbox.clear()
    response = ask_link(client, "Ion@Example.org ")
    assert response.status_code == 200
    [mail] = mailoutbox
    assert mail.to == ["ion@example.org"]
    path = link_in(mail)
    # Opening the link (as a mail scanner would) signs no one in and spends nothing.
    assert client.get(path).status_code == 200
    assert client.get("/account/").status_code == 302
    assert client.post(path).status_code == 302
    page = client.get("/account/")
    assert page.status_code == 200
    assert case.number in page.content.decode()
    assert f"/t/{case.tracking_code}" in page.content.decode()


def _without(response, email: str) -> str:
    html = response.content.decode().replace(email, "EMAIL")
    html = re.sub(r'nonce="[^"]*"', "", html)  # a new one on every page, by design
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_the_answer_is_the_same_whether_the_address_is_known_or_not(client, city, mailoutbox):
    known = ask_link(client, "ion@example.org")
    unknown = ask_link(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert _without(known, "ion@example.org") == _without(unknown, "nobody@example.org")
    assert len(mailoutbox) == 2
    # An unknown address signs in to an empty list, nothing else.
    client.post(link_in(mailoutbox[-1]))
    page = client.get("/account/").content.decode()
    assert _ro("There are no cases with this email address yet.") in page


def test_a_link_works_once(client, city, mailoutbox):
    ask_link(client, "ion@example.org")
    path = link_in(mailoutbox[-1])
    assert client.post(path).status_code == 302
    client.post("/account/sign-out/")
    assert client.post(path).status_code == 400
    assert client.get(path).status_code == 400
    assert client.get("/account/").status_code == 302


def test_a_link_expires_after_30_minutes(client, city, mailoutbox):
    with time_machine.travel("2026-03-02 10:00 +0200", tick=False):
        ask_link(client, "ion@example.org")
        path = link_in(mailoutbox[-1])
    with time_machine.travel("2026-03-02 10:29 +0200", tick=False):
        assert client.get(path).status_code == 200
    with time_machine.travel("2026-03-02 10:31 +0200", tick=False):
        assert client.post(path).status_code == 400
    assert client.get("/account/").status_code == 302


def test_altered_or_foreign_links_are_refused(client, city, mailoutbox):
    token = make_token(Link.SIGN_IN, email="ion@example.org")
    payload = signing.dumps({"email": "ion@example.org", "nonce": "x"}, salt="other")
    follow = make_token(Link.FOLLOW, case=1, email="ion@example.org", language="ro")
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for bad in (forged, payload, follow, "nonsense"):
        assert client.post(f"/account/sign-in/{bad}/").status_code == 400
    assert SESSION_KEY not in client.session


def test_links_to_one_address_are_limited_from_any_client_address(client, city, mailoutbox):
    statuses = [
        ask_link(client, "ion@example.org", REMOTE_ADDR=f"10.0.0.{i}").status_code for i in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    assert len(mailoutbox) == 5
    # Another address is not affected.
    assert ask_link(client, "ana@example.org", REMOTE_ADDR="10.0.1.1").status_code == 200


def test_one_client_address_is_limited(client, db, mailoutbox):
    statuses = [ask_link(client, f"r{i}@example.org").status_code for i in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_my_cases_lists_every_channel_and_merged_contacts_newest_first(client, city, mailoutbox):
    by_phone = city.report()
    old_address = create_contact(name="I. Popescu", email="ipopescu@example.org")
    by_email = city.report(channel=Channel.EMAIL, reporter=old_address)
    someone_else = city.report(reporter=create_contact(name="Ana", email="ana@example.org"))
    merge_contacts(keep=city.resident, duplicate=old_address, actor=city.dispatcher)
    # A case later registered on the merged record still belongs to the same person.
    on_duplicate = city.report(channel=Channel.DESK, actor=city.clerk, reporter=old_address)

    page = sign_in(client, mailoutbox).content.decode()
    numbers = [by_phone.number, by_email.number, on_duplicate.number]
    positions = [page.index(f"/t/{case.tracking_code}") for case in (on_duplicate, by_email)]
    assert positions == sorted(positions)
    for number in numbers:
        assert number in page
    assert someone_else.tracking_code not in page

    # The address of the merged record opens the same cases.
    client.post("/account/sign-out/")
    page = sign_in(client, mailoutbox, "ipopescu@example.org").content.decode()
    for case in (by_phone, by_email, on_duplicate):
        assert f"/t/{case.tracking_code}" in page


def test_status_is_in_plain_words(client, city, mailoutbox):
    case = city.report()
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    page = sign_in(client, mailoutbox).content.decode()
    assert _ro("The department is working on it.") in page


def test_a_staff_session_is_not_a_resident_session(client, city, mailoutbox):
    client.force_login(city.officer)
    session = client.session
    session[SESSION_KEY] = "ion@example.org"
    session.save()
    assert client.get("/account/").status_code == 302
    # Signing in as a resident ends the staff session in that browser.
    sign_in(client, mailoutbox)
    assert "_auth_user_id" not in client.session
    assert client.get("/console/").status_code == 302


def test_pages_need_a_resident(client, db):
    for path in ("/account/", "/account/my-data.json"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/account/sign-in/"
    assert client.post("/account/details/", {"name": "X"}).status_code == 302


def test_download_my_data(client, city, mailoutbox):
    case = city.report(category=city.lamp, answers={"pole": "17"})
    services.add_note(case_id=case.pk, actor=city.dispatcher, text="Sunat la inspector Marin")
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    services.change_status(
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Groapa a fost astupată.",
        decision=GRANTED,
    )
    record_personal_data_view(user=city.dispatcher, contact=city.resident, what="contact card")
    other = create_contact(name="Ana", email="ana@example.org")
    record_personal_data_view(user=city.dispatcher, contact=other, what="contact card")
    sign_in(client, mailoutbox)

    response = client.get("/account/my-data.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    [contact] = data["contacts"]
    assert contact["name"] == "Ion Popescu"
    assert contact["phone"] == "+40744123456"
    [exported] = data["cases"]
    assert exported["number"] == case.number
    assert exported["description"] == "Groapă adâncă în fața blocului"
    assert exported["answer"] == "Groapa a fost astupată."
    assert exported["answers_to_questions"] == {"pole": "17"}
    assert [item["status"] for item in exported["history"]][-1] == "resolved"
    assert "Sunat la inspector" not in response.content.decode()
    [view] = data["views_by_staff"]
    assert view["what"] == "contact card"
    assert view["staff_member"] == str(city.dispatcher)
    assert data["about"]["contents"] and data["about"]["left_out"]


def test_change_contact_details(client, city, mailoutbox):
    sign_in(client, mailoutbox)
    response = client.post(
        "/account/details/",
        {
            "name": "Ion Popescu-Vodă",
            "phone": "0745 000 111",
            "postal_address": "Str. Mare 1",
            "preferred_channel": "post",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get(pk=city.resident.pk)
    assert (contact.name, contact.phone, contact.preferred_channel) == (
        "Ion Popescu-Vodă",
        "+40745000111",
        "post",
    )
    assert _ro("Your details are saved.") in client.get("/account/").content.decode()


def test_bad_details_are_explained(client, city, mailoutbox):
    sign_in(client, mailoutbox)
    response = client.post(
        "/account/details/",
        {"name": "Ion", "phone": "12", "postal_address": "", "preferred_channel": "post"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    with override("ro"):
        message = gettext("“%(phone)s” is not a phone number we can call.") % {"phone": "12"}
    assert escape(message) in html
    assert 'aria-invalid="true"' in html
    assert Contact.objects.get(pk=city.resident.pk).phone == "+40744123456"


def test_a_new_email_is_confirmed_by_a_link_sent_to_it(client, city, mailoutbox):
    sign_in(client, mailoutbox)
    mailoutbox.clear()
    assert client.post("/account/email/", {"email": "ion.nou@example.org"}).status_code == 302
    [mail] = mailoutbox
    assert mail.to == ["ion.nou@example.org"]
    path = link_in(mail)
    assert client.get(path).status_code == 200
    assert Contact.objects.get(pk=city.resident.pk).email == "ion@example.org"
    assert client.post(path).status_code == 302
    assert Contact.objects.get(pk=city.resident.pk).email == "ion.nou@example.org"
    assert client.session[SESSION_KEY] == "ion.nou@example.org"
    assert client.post(path).status_code == 400


def test_an_older_email_change_cannot_undo_a_newer_one(client, city, mailoutbox):
    sign_in(client, mailoutbox)
    client.post("/account/email/", {"email": "first@example.org"})
    first = link_in(mailoutbox[-1])
    client.post("/account/email/", {"email": "second@example.org"})
    second = link_in(mailoutbox[-1])
    assert client.post(second).status_code == 302
    assert client.post(first).status_code == 409
    assert Contact.objects.get(pk=city.resident.pk).email == "second@example.org"


def test_an_email_change_link_expires(client, city, mailoutbox):
    with time_machine.travel("2026-03-02 10:00 +0200", tick=False):
        sign_in(client, mailoutbox)
        client.post("/account/email/", {"email": "late@example.org"})
        path = link_in(mailoutbox[-1])
    with time_machine.travel("2026-03-03 11:00 +0200", tick=False):
        assert client.post(path).status_code == 400
    assert Contact.objects.get(pk=city.resident.pk).email == "ion@example.org"
