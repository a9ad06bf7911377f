"""A resident sends the report form: what registers, and what comes back with the reason."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.translation import gettext, override

from cetate.cases.choices import Channel, Kind
from cetate.cases.models import Case
from cetate.directory.io import import_streets
from cetate.directory.models import CategoryQuestion, Street
from cetate.directory.street_names import search_key
from cetate.test import IN_CENTRE, OUTSIDE
from tests.directory.conftest import DEMO
from tests.portal.reporting import last_number, only_case, pothole, send


def _ro(text: str) -> str:
    with override("ro"):
        return gettext(text)


def test_the_form_is_in_romanian_and_lists_the_categories(client, city):
    response = client.get("/report/")
    assert response.status_code == 200
    html = response.content.decode()
    assert _ro("What do you want to do?") in html
    assert "Groapă în carosabil" in html
    assert 'name="homepage"' in html  # the honeypot is there for programs


def test_the_kind_chosen_on_the_home_page_is_preselected_and_folded(client, city):
    html = client.get("/report/?kind=information").content.decode()
    assert re.search(r'value="information" id="id_kind_3"[^>]* checked>', html)
    # Chosen on the home page: the choice is shown folded, its name in the summary.
    assert re.search(r'<details class="report-kind" id="report-kind">', html)
    assert _ro("public information request").capitalize() in html
    # Come to directly, the form opens on the choice.
    assert (
        '<details class="report-kind" id="report-kind" open>'
        in client.get("/report/").content.decode()
    )


def test_an_anonymous_pothole_with_a_pin_registers_and_shows_its_receipt(client, city):
    response = send(client, pothole(city))
    assert response.status_code == 302
    assert response["Location"] == "/report/sent/"
    case = only_case()
    assert case.channel == Channel.PORTAL
    assert case.entered_by is None
    assert case.reporter is None
    assert (case.latitude, case.longitude) == (46.07, 23.58)
    assert case.language == "ro"
    receipt = client.get("/report/sent/")
    html = receipt.content.decode()
    assert receipt.status_code == 200
    assert case.number in html
    assert case.tracking_code in html
    assert f"/t/{case.tracking_code}" in html
    assert "<svg" in html  # the QR code
    assert case.legal_due.strftime("%d.%m.%Y") in html
    assert _ro("What happens next") in html
    # Nobody to answer: the receipt promises no answer by email.
    assert _ro("Answer by") not in html


def test_the_receipt_is_only_for_the_browser_that_sent_the_report(client, city, django_user_model):
    from django.test import Client

    send(client, pothole(city, email="ana@example.org", name="Ana Pop"))
    stranger = Client()
    response = stranger.get("/report/sent/")
    assert response.status_code == 404
    assert "Ana Pop" not in response.content.decode()


def test_a_report_with_contact_details_is_mailed_with_the_receipts_content(
    client, city, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            client,
            pothole(city, name="Ana Pop", email="Ana@Example.org", phone="0744 000 111"),
        )
    assert response.status_code == 302
    case = only_case()
    assert case.reporter is not None
    assert case.reporter.email == "ana@example.org"
    assert case.reporter.phone == "+40744000111"
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    body = message.body
    for expected in (
        case.number,
        timezone.localtime(case.registered_at).strftime("%d.%m.%Y"),
        case.legal_due.strftime("%d.%m.%Y"),
        case.tracking_code,
        f"/t/{case.tracking_code}",
    ):
        assert expected in body
    assert "Ce urmează" in body  # what happens next, as on the receipt page
    html, _type = message.alternatives[0]
    assert 'src="cid:tracking-qr"' in str(html)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"description": "  "}, "description", "This field is required."),
        (
            {"latitude": "", "longitude": ""},
            "address",
            "Say where the problem is: place the pin on the map, give the address, or use the "
            "location of your photo.",
        ),
        (
            {"email": "", "phone": "0744 000 111", "answer_channel": "email"},
            "email",
            "Give an email address to receive the answer by it.",
        ),
        (
            {"postal_address": "", "email": "a@example.org", "answer_channel": "post"},
            "postal_address",
            "Give a postal address to receive the answer by post.",
        ),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"description": "x" * 10_001}, "description", "10000"),
    ],
)
def test_bad_input_comes_back_filled_in_with_the_reason(client, city, overrides, field, message):
    data = pothole(city, name="Ana Pop", **overrides)
    with override("en"):
        response = client.post("/report/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert 'value="Ana Pop"' in response.content.decode()
    assert not Case.objects.exists()
    assert last_number() == 0


def test_a_petition_without_contact_is_refused_with_the_law_that_says_so(client, city):
    # Lamp reports do not accept anonymity; complaints and information requests never do.
    for data in (
        pothole(city, category=str(city.lamp.pk), questions_for=str(city.lamp.pk)),
        pothole(city, kind="complaint", category=""),
        pothole(city, kind="information", category="", latitude="", longitude=""),
    ):
        response = send(client, data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "OG 27/2002" in html
        assert response.context["form"].errors["email"]
    assert not Case.objects.exists()
    assert last_number() == 0


def test_the_contact_section_says_when_it_is_required(client, city):
    html = client.get("/report/").content.decode()
    assert 'data-required="1"' in html  # no category chosen yet: required, with the reason
    response = send(client, pothole(city, description=""))
    assert 'data-required="0"' in response.content.decode()  # an anonymous pothole is allowed


def test_a_place_outside_the_city_is_explained(client, city):
    response = send(client, pothole(city, **{k: str(v) for k, v in OUTSIDE.items()}))
    assert response.status_code == 200
    (error,) = response.context["form"].errors["address"]
    assert error == _ro(
        "The place is outside %(city)s; the city hall can act only within its "
        "territory. Move the pin inside the city, or address the competent authority."
    ) % {"city": "Orașul de test"}
    assert not Case.objects.exists()
    assert last_number() == 0


def test_an_information_request_needs_no_place_and_drops_one_given(client, city):
    response = send(
        client,
        pothole(city, kind="information", category="", email="ana@example.org", name="Ana"),
    )
    assert response.status_code == 302
    case = only_case()
    assert case.kind == Kind.INFORMATION
    assert case.latitude is None and case.address == ""


def test_a_category_with_questions_shows_them_before_registering(client, city):
    CategoryQuestion.objects.filter(category=city.lamp).update(required=True)
    data = pothole(city, category=str(city.lamp.pk), email="ana@example.org", name="Ana")
    first = send(client, data)
    assert first.status_code == 200
    assert first.context["questions_to_answer"]
    html = first.content.decode()
    assert 'name="answer__pole"' in html
    assert f'name="questions_for" value="{city.lamp.pk}"' in html
    assert not Case.objects.exists()

    missing = send(client, {**data, "questions_for": str(city.lamp.pk)})
    assert missing.context["form"].errors["answer__pole"]
    assert not Case.objects.exists()

    answered = send(client, {**data, "questions_for": str(city.lamp.pk), "answer__pole": "A-17"})
    assert answered.status_code == 302
    assert only_case().answers == {"pole": "A-17"}
    assert last_number() == 1


def test_the_questions_of_a_category_are_served_to_the_pages_script(client, city):
    html = client.get(f"/report/questions/?category={city.lamp.pk}").content.decode()
    assert 'name="answer__pole"' in html
    assert client.get("/report/questions/?category=").content.decode().count("input") == 0


@pytest.fixture
def unirii(db):
    return Street.objects.create(
        street_type="Strada",
        name="Unirii",
        search_key=search_key("Strada", "Unirii"),
        latitude=IN_CENTRE["latitude"],
        longitude=IN_CENTRE["longitude"],
    )


def test_the_address_is_found_in_the_street_list_without_javascript(client, city, unirii):
    data = pothole(city, latitude="", longitude="", address="str unirii 12", step="find_address")
    found = send(client, data)
    assert found.status_code == 200
    assert 'name="street" value="Strada Unirii"' in found.content.decode()
    assert not Case.objects.exists()

    sent = send(client, {**data, "step": "send", "street": "Strada Unirii"})
    assert sent.status_code == 302
    case = only_case()
    assert case.address == "str unirii 12"
    assert (case.latitude, case.longitude) == (IN_CENTRE["latitude"], IN_CENTRE["longitude"])
    assert case.area == city.centre


def test_an_address_alone_places_the_report_on_its_street(client, city, unirii):
    send(client, pothole(city, latitude="", longitude="", address="Unirii 3"))
    assert only_case().latitude == IN_CENTRE["latitude"]


def test_an_address_not_in_the_street_list_is_kept_as_written(client, city):
    send(client, pothole(city, latitude="", longitude="", address="lângă piața veche"))
    case = only_case()
    assert case.address == "lângă piața veche"
    assert case.latitude is None


def test_the_home_page_puts_the_residents_actions_first(client, db):
    html = client.get("/").content.decode()
    report = html.index('href="/report/?kind=report"')
    ask = html.index('href="/report/?kind=request"')
    follow = html.index('href="#follow-title"')
    staff = html.index('id="staff-title"')
    assert report < ask < follow < staff
    assert _ro("Report a problem") in html


def test_a_phone_that_cannot_be_checked_is_kept_as_typed(client, city):
    data = pothole(city, name="Ana Pop", email="ana@example.org", phone="+1 555 0100")
    response = send(client, data)
    assert response.status_code == 302, response.context["form"].errors
    reporter = only_case().reporter
    assert (reporter.phone, reporter.phone_as_typed) == ("", "+1 555 0100")


@pytest.fixture
def demo_streets(db):
    """The demo city's postal street list: names as the post office writes them, and no
    coordinates."""
    import_streets(DEMO / "postal-streets.csv")


@pytest.mark.parametrize(
    ("typed", "street", "number"),
    [
        ("Mihai Viteazu 12", "Strada Mihai Viteazu", "12"),
        ("str. Mihai Viteazu", "Strada Mihai Viteazu", ""),
        ("Viteazu Mihai nr. 7A", "Strada Mihai Viteazu", "7A"),
        ("b-dul Revolutiei 1989", "Bulevard Revolutiei", ""),
        ("bulevardul revoluției 1989 nr 4", "Bulevard Revolutiei", "4"),
        ("p-ța iuliu maniu", "Piata Maniu Iuliu", ""),
        ("cal. motilor 20", "Cale Motilor", "20"),
        ("NICOLAE BĂLCESCU 3", "Strada Balcescu Nicolae", "3"),
    ],
)
def test_the_address_typed_is_found_on_the_city_street_list(
    client, city, demo_streets, typed, street, number
):
    found = client.get("/report/address/", {"address": typed}).json()
    best = found["streets"][0]
    assert best["name"] == street
    assert found["number"] == number
    assert best["address"] == f"{street} {number}".strip()
    assert best["latitude"] is None  # the postal list says nothing of the map


def test_a_street_the_map_does_not_know_is_offered_and_registers_by_name(
    client, city, demo_streets
):
    data = pothole(city, latitude="", longitude="", address="Mihai Viteazu 12", step="find_address")
    found = send(client, {**data, "description": ""})
    html = found.content.decode()
    assert 'name="street" value="Strada Mihai Viteazu"' in html
    assert 'id="report-errors"' not in html  # looking up an address judges nothing else
    assert "Strada Mihai Viteazu 12" in html
    assert (
        _ro(
            "The city's street list does not say where this street lies on the map: the report "
            "is registered with the address you typed. Say in the description where exactly, "
            "if the number is not enough."
        )
        in html
    )
    sent = send(client, {**data, "step": "send", "street": "Strada Mihai Viteazu"})
    assert sent.status_code == 302
    case = only_case()
    assert case.address == "Mihai Viteazu 12"
    assert case.latitude is None


def test_the_error_list_names_each_field_and_links_to_it(client, city):
    response = send(client, pothole(city, description="", latitude="", longitude=""))
    html = response.content.decode()
    start = html.index('id="report-errors"')
    summary = html[start : html.index("</ul>", start)]
    assert f'<a href="#id_description">{_ro("Description")}: ' in summary
    assert _ro("This field is required.")[1:] in summary
    assert '<a href="#id_address">' in summary
    # The place comes first on the page, so first in the list too.
    assert summary.index("#id_address") < summary.index("#id_description")


def test_the_map_comes_before_the_category_for_a_problem(client, city):
    html = client.get("/report/?kind=report").content.decode()
    assert html.index('id="report-place"') < html.index('id="report-category"')
    assert html.index('id="report-map"') < html.index('id="id_address"')


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        # An anonymous pothole: optional, and no warning of anonymous petitions.
        ("kind=report&category={pothole}", "report_anonymous", ["petition", "report_named"]),
        ("kind=report&category={lamp}", "report_named", ["petition", "report_anonymous"]),
        ("kind=complaint", "petition", ["report_anonymous", "information"]),
        ("kind=information", "information", ["petition", "report_anonymous"]),
    ],
)
def test_the_contact_section_says_the_rule_of_the_kind_chosen(client, city, query, shown, hidden):
    query = query.format(pothole=city.pothole.pk, lamp=city.lamp.pk)
    kind = dict(pair.split("=") for pair in query.split("&"))
    data = pothole(city, description="", **{k: v for k, v in kind.items()})
    if "category" not in kind:
        data["category"] = ""
    response = send(client, data)
    assert response.context["form"].contact_rule == shown
    html = response.content.decode()
    texts = {
        "petition": "OG 27/2002 art. 7). A phone number alone",
        "information": "(Law 544/2001 art. 6). A phone number alone",
        "report_named": "Reports of this category need a way to reach you",
        "report_anonymous": "You may leave these empty",
    }
    with override("en"):
        english = client.post("/report/", data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    visible = _visible_reasons(english)
    assert any(texts[shown] in reason for reason in visible), visible
    for other in hidden:
        assert not any(texts[other] in reason for reason in visible)
    optional = shown == "report_anonymous"
    assert ('id="contact-optional" hidden' in html) is not optional
    assert ('id="contact-required" hidden' in html) is optional


def _visible_reasons(html: str) -> list[str]:
    pattern = r'<p class="report-[^"]*" data-kinds="[^"]*"(?: data-anonymous="\d?")?>([^<]*)</p>'
    return re.findall(pattern, html)


def test_every_map_names_its_zoom_buttons_in_the_pages_language(client, city):
    pages = [client.get("/report/"), client.get("/map/")]
    client.force_login(city.dispatcher)
    pages += [client.get("/console/intake/"), client.get("/console/map/")]
    for response in pages:
        html = response.content.decode()
        assert f'data-zoom-in="{_ro("Zoom in")}" data-zoom-out="{_ro("Zoom out")}"' in html
