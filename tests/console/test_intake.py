from django.core.files.uploadedfile import SimpleUploadedFile

from cetate.cases.models import Case, RegistrationCounter
from cetate.contacts.models import Contact, PersonalDataView
from cetate.directory.models import Street
from tests.cases.files import minimal_pdf

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def call_form(city, **fields):
    data = {
        "phone": "0744 123 456",
        "kind": "report",
        "category": city.pothole.pk,
        "description": "Groapă adâncă lângă trecere",
        "latitude": "46.07",
        "longitude": "23.58",
        "priority": "2",
        "route_now": "on",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def test_dispatcher_registers_a_call_of_a_known_resident_after_checking_who_they_are(client, city):
    client.force_login(city.dispatcher)
    form = call_form(city, known_contact=str(city.resident.pk))
    response = client.post("/console/intake/", form, **EN)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/console/cases/{case.pk}/registered/"
    assert case.channel == "phone" and case.entered_by == city.dispatcher
    assert case.reporter == city.resident
    assert case.department == city.technical  # sent on at once
    assert Contact.objects.count() == 1
    page = client.get(response["Location"], **EN).content.decode()
    assert f"<h1>Case {case.number} registered</h1>" in page
    page = client.get(f"/console/cases/{case.pk}/", **EN).content.decode()
    assert "Resident&#x27;s identity checked by staff" in page


def test_a_caller_not_checked_gets_a_contact_of_their_own(client, city):
    client.force_login(city.dispatcher)
    response = client.post("/console/intake/", call_form(city, name="Altcineva"), **EN)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.reporter != city.resident
    assert (case.reporter.name, case.reporter.phone) == ("Altcineva", "+40744123456")
    # The card then offers to join them, once someone checked.
    page = client.get(f"/console/cases/{case.pk}/", **EN).content.decode()
    assert "Same person as a known resident?" in page
    assert "Ion Popescu, ion@example.org, +40744123456 (0 cases)" in page


def test_the_resident_chosen_on_the_card_must_have_the_callers_number(client, city):
    client.force_login(city.dispatcher)
    form = call_form(city, phone="0755 999 888", known_contact=str(city.resident.pk))
    response = client.post("/console/intake/", form, **EN)
    assert response.status_code == 200
    assert "does not have this phone number" in response.content.decode()
    assert not Case.objects.exists()


def test_staff_join_a_new_contact_to_the_known_resident_from_the_case_card(client, city):
    earlier = city.report(reporter=city.resident)
    client.force_login(city.dispatcher)
    client.post("/console/intake/", call_form(city, name="Ion P."), **EN)
    case = Case.objects.exclude(pk=earlier.pk).get()
    newcomer = case.reporter
    data = {
        "action": "same_person",
        "same_person-seen": str(case.last_event_seq),
        "same_person-other": str(city.resident.pk),
    }
    refused = client.post(f"/console/cases/{case.pk}/", data, **EN)
    assert "Confirm that you checked who they are." in refused.content.decode()
    data["same_person-checked"] = "on"
    response = client.post(f"/console/cases/{case.pk}/", data, **EN)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.reporter == city.resident
    newcomer.refresh_from_db()
    assert newcomer.merged_into == city.resident
    page = client.get(response["Location"], **EN).content.decode()
    assert "Resident&#x27;s contacts merged" in page
    assert f"contact #{newcomer.pk} joined to #{city.resident.pk}" in page
    # An officer cannot: joining needs someone who spoke with the resident.
    client.force_login(city.officer)
    page = client.get(f"/console/cases/{earlier.pk}/", **EN).content.decode()
    assert "Same person as a known resident?" not in page


def test_typing_the_number_shows_the_callers_earlier_cases_and_is_recorded(client, city):
    earlier = city.report()
    client.force_login(city.dispatcher)
    html = client.get("/console/intake/caller", {"phone": "+40 744 123 456"}, **EN).content.decode()
    assert "Ion Popescu" in html and "ion@example.org" in html
    assert earlier.number in html
    assert PersonalDataView.objects.filter(user=city.dispatcher, contact=city.resident).exists()
    unknown = client.get("/console/intake/caller", {"phone": "0755 999 888"}, **EN)
    assert "a new contact is created" in unknown.content.decode()


def test_at_the_desk_the_side_panel_speaks_of_the_visitor(client, city):
    city.report()
    client.force_login(city.clerk)
    page = client.get("/console/desk/", {"phone": "0744123456"}, **EN).content.decode()
    assert "/console/intake/caller?channel=desk" in page  # typing the number keeps the desk's words
    panel = client.get(
        "/console/intake/caller", {"phone": "0744123456", "channel": "desk"}, **EN
    ).content.decode()
    assert '<label for="id_contact_kind">The visitor is</label>' in page
    for html in (page[page.index('id="caller-card"') :], panel):
        assert '<h2 id="caller-title">Visitor</h2>' in html
        assert "Is the visitor one of these residents?" in html
        assert "The visitor is Ion Popescu: identity checked" in html
        assert "caller" not in html.lower().replace("caller-", "")
    on_the_phone = client.get("/console/intake/caller", {"phone": "0744123456"}, **EN)
    assert "The caller is Ion Popescu: identity checked" in on_the_phone.content.decode()


def test_the_intake_page_opened_with_a_number_shows_the_caller(client, city):
    client.force_login(city.dispatcher)
    html = client.get("/console/intake/", {"phone": "0744123456"}, **EN).content.decode()
    assert 'value="0744123456"' in html
    assert "Ion Popescu" in html


def test_a_refused_call_keeps_what_was_typed_and_burns_no_number(client, city):
    client.force_login(city.dispatcher)
    response = client.post(
        "/console/intake/",
        call_form(city, phone="", category=city.noise.pk, description="Muzică tare noaptea"),
        **EN,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Anonymous petitions are not considered" in html
    assert "Muzică tare noaptea" in html
    assert not Case.objects.exists()
    assert not RegistrationCounter.objects.filter(last_number__gt=0).exists()


def test_a_required_question_is_asked_next_to_its_field(client, city):
    city.lamp.questions.update(required=True)
    client.force_login(city.dispatcher)
    response = client.post("/console/intake/", call_form(city, category=city.lamp.pk), **EN)
    html = response.content.decode()
    assert "“Numărul stâlpului” must be answered." in html
    assert 'name="answer__pole"' in html
    assert not Case.objects.exists()
    response = client.post(
        "/console/intake/", call_form(city, category=city.lamp.pk, answer__pole="A-17"), **EN
    )
    assert Case.objects.get().answers == {"pole": "A-17"}


def test_a_question_is_answered_and_closed_on_the_spot(client, city):
    client.force_login(city.dispatcher)
    client.post(
        "/console/intake/",
        call_form(
            city,
            kind="inquiry",
            category="",
            latitude="",
            longitude="",
            description="Când e deschisă casieria?",
            answer_given="Luni–vineri, 8–16.",
        ),
    )
    case = Case.objects.get()
    assert (case.kind, case.status, case.answer) == ("inquiry", "closed", "Luni–vineri, 8–16.")


def test_an_answer_on_the_spot_is_only_for_questions(client, city):
    client.force_login(city.dispatcher)
    response = client.post("/console/intake/", call_form(city, answer_given="Rezolvat."), **EN)
    assert "Only a question" in response.content.decode()
    assert not Case.objects.exists()


def test_an_address_without_a_pin_is_placed_on_its_street(client, city):
    Street.objects.create(
        street_type="Strada",
        name="Mihai Viteazu",
        search_key="mihai viteazu strada",
        latitude=46.071,
        longitude=23.581,
    )
    client.force_login(city.dispatcher)
    client.post(
        "/console/intake/",
        call_form(city, latitude="", longitude="", address="str mihai viteazu 5"),
    )
    case = Case.objects.get()
    assert (case.latitude, case.longitude) == (46.071, 23.581)
    assert case.address == "str mihai viteazu 5"


def test_search_helpers_of_the_form(client, city):
    Street.objects.create(
        street_type="Strada", name="Mihai Viteazu", search_key="mihai viteazu strada"
    )
    client.force_login(city.dispatcher)
    categories = client.get("/console/intake/categories", {"category_search": "groapa"})
    assert "Groapă în carosabil" in categories.content.decode()
    assert "Stâlp stins" not in categories.content.decode()
    questions = client.get("/console/intake/questions", {"category": city.lamp.pk})
    assert 'name="answer__pole"' in questions.content.decode()
    streets = client.get("/console/intake/streets", {"address": "mihai vit"})
    assert 'value="Strada Mihai Viteazu"' in streets.content.decode()
    # The portal's matcher: any word order, abbreviations, the house number kept apart.
    numbered = client.get("/console/intake/streets", {"address": "str. Viteazu Mihai 12"})
    assert 'value="Strada Mihai Viteazu 12"' in numbered.content.decode()


def test_desk_registers_a_walk_in_with_scans_and_prints_the_receipt(client, city):
    client.force_login(city.clerk)
    scan = SimpleUploadedFile("cerere.pdf", minimal_pdf(), content_type="application/pdf")
    response = client.post(
        "/console/desk/",
        {
            **call_form(
                city,
                kind="request",
                category=city.noise.pk,
                name="Maria Pop",
                postal_address="Strada Mare 3, Alba Iulia",
            ),
            "documents": [scan],
        },
    )
    case = Case.objects.get()
    assert response["Location"] == f"/console/cases/{case.pk}/receipt/"
    assert case.channel == "desk" and case.entered_by == city.clerk
    assert [a.original_name for a in case.attachments.all()] == ["cerere.pdf"]


def test_a_fake_scan_is_refused_with_the_typed_data_kept(client, city):
    client.force_login(city.clerk)
    fake = SimpleUploadedFile("scan.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post("/console/desk/", {**call_form(city), "documents": [fake]}, **EN)
    assert response.status_code == 200
    assert "scan.pdf" in response.content.decode()
    assert not Case.objects.exists()


def test_officers_do_not_register_calls(client, city):
    client.force_login(city.officer)
    assert client.get("/console/intake/").status_code == 403
    assert client.post("/console/intake/", call_form(city)).status_code == 403
    assert client.get("/console/desk/").status_code == 403
    assert client.get("/console/intake/caller", {"phone": "0744123456"}).status_code == 403


def test_a_call_that_is_not_a_number_opens_an_empty_form_with_a_notice(client, city):
    client.force_login(city.dispatcher)
    for call in ("abc", "1.5", "99999999999999999999999", "-1"):
        response = client.get("/console/intake/", {"call": call}, **EN)
        assert response.status_code == 200, call
        assert "This call was not found in the call log." in response.content.decode()
