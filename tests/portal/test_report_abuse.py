"""Abuse of the report form: too many submissions from one address or for one email, forms
filled in by programs. Every refusal is a clear page that gives back what was typed, and
leaves neither a case nor a used registration number behind."""

import pytest
from django.core.cache import cache

from cetate.cases.models import Case
from cetate.contacts.models import Contact
from cetate.portal.report import POSTS_PER_ADDRESS, SENDS_PER_CONTACT
from tests.portal.reporting import last_number, pothole, send


def test_a_filled_in_honeypot_registers_nothing_and_says_why(client, city):
    data = pothole(city, homepage="http://spam.example", description="Cumpărați acum")
    response = send(client, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Cumpărați acum" in html  # a person who tripped it loses nothing
    assert "http://spam.example" not in html
    assert not Case.objects.exists()
    assert last_number() == 0


def test_too_many_submissions_from_one_address_are_refused_filled_in(client, city):
    for n in range(POSTS_PER_ADDRESS):
        response = send(client, pothole(city, description=f"Groapa {n}", step="send_anyway"))
        assert response.status_code == 302, n
    refused = send(client, pothole(city, description="Groapa în plus", name="Ana Pop"))
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Groapa în plus" in html and 'value="Ana Pop"' in html
    assert refused.context["refusal"]
    assert refused["Retry-After"] == "600"
    assert Case.objects.count() == POSTS_PER_ADDRESS
    assert last_number() == POSTS_PER_ADDRESS
    # Another address is not held back.
    assert (
        send(client, pothole(city, step="send_anyway"), REMOTE_ADDR="10.0.0.2").status_code == 302
    )


def test_too_many_reports_for_one_email_are_refused_from_any_address(client, city):
    for n in range(SENDS_PER_CONTACT):
        data = pothole(city, email="ana@example.org", description=f"Groapa {n}", step="send_anyway")
        assert send(client, data, REMOTE_ADDR=f"10.0.1.{n}").status_code == 302
    data = pothole(city, email="ANA@example.org", description="Încă una", step="send_anyway")
    refused = send(client, data, REMOTE_ADDR="10.0.2.1")
    assert refused.status_code == 429
    assert "Încă una" in refused.content.decode()
    assert Case.objects.count() == SENDS_PER_CONTACT
    assert last_number() == SENDS_PER_CONTACT
    # Each report keeps a contact of its own: nobody proved the address (see intake tests).
    assert Contact.objects.filter(email="ana@example.org").count() == SENDS_PER_CONTACT
    # Someone else from the same address still can.
    other = pothole(city, email="dan@example.org", step="send_anyway")
    assert send(client, other, REMOTE_ADDR="10.0.2.1").status_code == 302


@pytest.mark.usefixtures("early_in_a_minute")
def test_the_page_itself_is_rate_limited(client, db):
    statuses = [client.get("/report/").status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60
    assert statuses[60] == 429


def test_a_refused_case_leaves_no_contact_behind(client, city):
    # The contact is valid, the case is not (outside the city): neither is written.
    data = pothole(city, email="nou@example.org", latitude="45.5", longitude="23.55")
    assert send(client, data).status_code == 200
    assert not Contact.objects.filter(email="nou@example.org").exists()
    assert last_number() == 0


def test_a_burst_from_one_address_stops_at_the_limit_while_the_map_fills_the_cache(client, city):
    """The cached answers of the public map, however many, push no count out."""
    statuses = []
    for n in range(POSTS_PER_ADDRESS + 5):
        data = pothole(city, description=f"Groapa {n}", email=f"r{n}@example.org")
        statuses.append(send(client, {**data, "step": "send_anyway"}).status_code)
        for m in range(400):
            cache.set(f"public_map:{n}:{m}", "x" * 20_000)
    assert statuses == [302] * POSTS_PER_ADDRESS + [429] * 5
    assert Case.objects.count() == POSTS_PER_ADDRESS
    assert last_number() == POSTS_PER_ADDRESS
    # The refused burst burnt no number: the next registration takes the next one.
    assert (
        send(client, pothole(city, step="send_anyway"), REMOTE_ADDR="10.0.3.1").status_code == 302
    )
    assert Case.objects.latest("pk").registration_number == POSTS_PER_ADDRESS + 1


def test_behind_the_load_balancer_each_resident_has_a_count_of_their_own(client, city, settings):
    settings.TRUSTED_PROXIES = ["10.1.0.0/16"]
    via_balancer = {"REMOTE_ADDR": "10.1.0.5"}
    ana = {**via_balancer, "HTTP_X_FORWARDED_FOR": "198.51.100.10"}
    for n in range(POSTS_PER_ADDRESS):
        data = pothole(city, description=f"Groapa {n}", step="send_anyway")
        assert send(client, data, **ana).status_code == 302, n
    refused = send(client, pothole(city, description="Încă una", step="send_anyway"), **ana)
    assert refused.status_code == 429
    assert "Încă una" in refused.content.decode()
    # A resident behind the same balancer is not held back by Ana's reports…
    dan = {**via_balancer, "HTTP_X_FORWARDED_FOR": "198.51.100.20"}
    assert send(client, pothole(city, step="send_anyway"), **dan).status_code == 302
    # …and Ana cannot escape her count by writing an address of her choosing in the header.
    forged = {**via_balancer, "HTTP_X_FORWARDED_FOR": "203.0.113.99, 198.51.100.10"}
    assert send(client, pothole(city, step="send_anyway"), **forged).status_code == 429
    assert last_number() == POSTS_PER_ADDRESS + 1


def test_a_forwarded_header_from_anyone_but_a_trusted_proxy_changes_nothing(client, city):
    for n in range(POSTS_PER_ADDRESS):
        data = pothole(city, description=f"Groapa {n}", step="send_anyway")
        spoofed = {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}
        assert send(client, data, **spoofed).status_code == 302, n
    data = pothole(city, step="send_anyway")
    assert send(client, data, HTTP_X_FORWARDED_FOR="203.0.113.200").status_code == 429
    assert last_number() == POSTS_PER_ADDRESS
