"""A registered call: its number and tracking code to read out, and the registration mail sent
on request to the address the caller gives (/console/cases/<id>/registered/)."""

import re

from django.urls import reverse

from cetate.cases.choices import EventKind
from cetate.cases.models import Case
from cetate.cases.receipt import grouped_code
from cetate.cases.services import cancel_registration
from cetate.contacts.models import PersonalDataView
from tests.console.test_intake import EN, call_form


def registered_page(case: Case) -> str:
    return reverse("console:registered", args=[case.pk])


def mail_url(case: Case) -> str:
    return reverse("console:mail_receipt", args=[case.pk])


def test_the_tracking_code_is_cut_into_short_groups_to_read_out():
    assert grouped_code("7KQ2MXA9PT") == ["7KQ2", "MXA", "9PT"]
    assert grouped_code("ABCDEFGH") == ["ABCD", "EFGH"]
    assert "".join(grouped_code("ABCDEFGHJKMN")) == "ABCDEFGHJKMN"


def test_a_registered_call_shows_its_number_and_code_large_and_offers_the_mail(client, city):
    client.force_login(city.dispatcher)
    response = client.post("/console/intake/", call_form(city), **EN)
    case = Case.objects.get()
    assert response["Location"] == registered_page(case)

    html = client.get(response["Location"], **EN).content.decode()
    number = re.search(r'<dd class="registered-number">([^<]+)</dd>', html)
    assert number and number.group(1) == case.number
    code = re.search(r'<dd class="registered-code">(.+?)</dd>', html)
    assert code and re.sub(r"<[^>]+>|\s", "", code.group(1)) == case.tracking_code
    assert code.group(1).count("<span>") == 3  # 10 characters, read out in three groups
    assert "Send them by email" in html
    assert f'href="/console/cases/{case.pk}/"' in html
    assert 'href="/console/intake/"' in html


def test_the_caller_gets_the_receipt_by_email_at_the_address_they_spell(client, city, mailoutbox):
    case = city.report()
    mailoutbox.clear()
    client.force_login(city.dispatcher)
    html = client.get(registered_page(case), **EN).content.decode()
    assert 'value="ion@example.org"' in html  # the resident's address, offered first
    assert PersonalDataView.objects.filter(user=city.dispatcher, contact=city.resident).exists()

    response = client.post(mail_url(case), {"email": "ion.popescu@example.com"}, **EN)

    assert response.status_code == 302
    assert response["Location"] == registered_page(case) + "#result"
    asked = case.events.get(kind=EventKind.RECEIPT_MAILED)
    assert asked.actor == city.dispatcher
    assert asked.data == {"recipient": "ion.popescu@example.com"}
    [mail] = mailoutbox
    assert mail.to == ["ion.popescu@example.com"]
    assert case.number in mail.subject + mail.body and case.tracking_code in mail.body
    sent = case.events.get(kind=EventKind.NOTIFICATION_SENT, data__about=asked.seq)
    assert sent.data["recipient"] == "ion.popescu@example.com"
    page = client.get(response["Location"], **EN).content.decode()
    assert re.search(r'<div role="status" id="result"[^>]*>\s*<ul class="messages">', page)
    assert "go by email to ion.popescu@example.com" in page
    history = client.get(reverse("console:case", args=[case.pk]), **EN).content.decode()
    assert "to ion.popescu@example.com" in history


def test_a_receipt_mail_also_goes_for_a_caller_who_gave_no_address(client, city, mailoutbox):
    case = city.report(reporter=None, channel="phone")
    client.force_login(city.dispatcher)
    assert 'name="email" value=' not in client.get(registered_page(case), **EN).content.decode()
    client.post(mail_url(case), {"email": "cineva@example.com"}, **EN)
    assert [mail.to for mail in mailoutbox] == [["cineva@example.com"]]


def test_a_wrong_address_is_said_next_to_the_field_and_nothing_is_owed(client, city, mailoutbox):
    case = city.report()
    mailoutbox.clear()
    client.force_login(city.dispatcher)
    response = client.post(mail_url(case), {"email": "ion@"}, **EN)
    assert response.status_code == 200
    assert 'id="id_email_error"' in response.content.decode()
    assert not case.events.filter(kind=EventKind.RECEIPT_MAILED).exists()
    assert mailoutbox == []


def test_the_receipt_is_not_mailed_over_and_over(client, city, mailoutbox, early_in_a_minute):
    case = city.report()
    client.force_login(city.dispatcher)
    statuses = [
        client.post(mail_url(case), {"email": "x@example.com"}).status_code for _ in range(6)
    ]
    assert statuses == [302] * 5 + [429]
    assert case.events.filter(kind=EventKind.RECEIPT_MAILED).count() == 5


def test_only_intake_staff_who_see_the_case_send_its_receipt(client, city):
    case = city.report()
    for persona in (city.officer, city.head):
        client.force_login(persona)
        assert client.get(registered_page(case)).status_code == 403
        assert client.post(mail_url(case), {"email": "x@example.com"}).status_code == 403
    client.force_login(city.dispatcher)
    assert client.get(mail_url(case)).status_code == 405
    assert not case.events.filter(kind=EventKind.RECEIPT_MAILED).exists()


def test_a_cancelled_registration_has_no_receipt_to_send(client, city):
    case = city.report()
    cancel_registration(case_id=case.pk, actor=city.dispatcher, reason="Înregistrat de două ori")
    client.force_login(city.dispatcher)
    assert "Send them by email" not in client.get(registered_page(case), **EN).content.decode()
    response = client.post(mail_url(case), {"email": "x@example.com"}, **EN)
    assert "there is no receipt to send" in response.content.decode()
    assert not case.events.filter(kind=EventKind.RECEIPT_MAILED).exists()


def test_the_page_says_when_the_registration_mail_went_to_the_residents_address(client, city):
    case = city.report()
    client.force_login(city.dispatcher)
    html = client.get(registered_page(case), **EN).content.decode()
    assert "goes to ion@example.org already" in html
    without = city.report(reporter=None)
    html = client.get(registered_page(without), **EN).content.decode()
    assert "already" not in html
    assert "send them the registration email" in html
