"""The registry's letters by post (and the front desk's papers): who the petition is from, the
register's details, and an anonymous petition registered and filed when staff say so."""

from datetime import date

from cetate.cases.models import Case, RegistrationCounter
from cetate.outbox.models import OutgoingMail

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def letter(**fields):
    data = {
        "kind": "request",
        "description": "Solicităm toaletarea arborilor din curtea școlii.",
        "priority": "2",
        "contact_kind": "organisation",
        "name": "Școala Gimnazială nr. 2",
        "postal_address": "Strada Școlii 1, Alba Iulia",
        "answer_channel": "post",
        "sender_reference": "1234",
        "sender_reference_date": "2026-01-05",
        "pages": "3",
        "annexes": "2",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def last_number() -> int:
    counter = RegistrationCounter.objects.filter(year=date.today().year).first()
    return counter.last_number if counter else 0


def test_the_clerk_registers_a_letter_from_an_institution_and_sees_its_details(client, city):
    client.force_login(city.clerk)
    page = client.get("/console/post/", **EN).content.decode()
    assert "Register a letter by post" in page
    assert 'href="/console/post/"' in page  # in the console's navigation
    response = client.post("/console/post/", letter(), **EN)
    case = Case.objects.get()
    assert response["Location"] == f"/console/cases/{case.pk}/"
    assert (case.channel, case.entered_by, case.answer_channel) == ("post", city.clerk, "post")
    assert (case.sender_reference, case.sender_reference_date) == ("1234", date(2026, 1, 5))
    assert (case.pages, case.annexes) == (3, 2)
    assert case.reporter.kind == "organisation"
    card = client.get(response["Location"], **EN).content.decode()
    assert "letter by post" in card
    assert "1234 / 05.01.2026" in card
    assert "pages: 3, annexes: 2" in card


def test_the_desk_takes_the_register_details_too(client, city):
    client.force_login(city.clerk)
    response = client.post(
        "/console/desk/", letter(contact_kind="person", name="Ana Pop", pages="1"), **EN
    )
    case = Case.objects.get()
    assert response["Location"] == f"/console/cases/{case.pk}/receipt/"
    assert (case.channel, case.pages, case.sender_reference) == ("desk", 1, "1234")


def test_a_petition_without_an_address_is_refused_in_romanian_beside_the_field(client, city):
    client.force_login(city.clerk)
    response = client.post("/console/post/", letter(postal_address=""))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["postal_address"] == [
        "Indicați o adresă poștală sau de e-mail la care să primiți răspunsul: petițiile fără "
        "adresă nu se iau în considerare (OG 27/2002 art. 7). Un număr de telefon nu este "
        "suficient."
    ]
    html = response.content.decode()
    assert "Anonimă sau fără date de identificare — înregistrare și clasare" in html
    assert not Case.objects.exists()
    assert last_number() == 0


def test_a_call_asking_for_public_information_needs_a_name_and_an_address(client, city):
    client.force_login(city.dispatcher)
    response = client.post(
        "/console/intake/",
        {"phone": "0744 123 456", "kind": "information", "description": "Buget", "priority": "2"},
    )
    errors = response.context["form"].errors
    assert "Legea 544/2001 art. 6" in errors["name"][0]
    assert "Legea 544/2001 art. 6" in errors["email"][0]
    assert not Case.objects.exists()


def test_an_anonymous_letter_is_registered_and_filed_when_the_clerk_ticks_it(
    client, city, django_capture_on_commit_callbacks
):
    client.force_login(city.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/console/post/",
            letter(
                kind="complaint",
                name="",
                postal_address="",
                contact_kind="person",
                sender_reference="",
                file_unidentified="on",
            ),
            **EN,
        )
    case = Case.objects.get()
    assert response["Location"] == f"/console/cases/{case.pk}/"
    assert case.registration_number == 1
    assert (case.status, case.outcome, case.reporter) == ("rejected", "filed", None)
    assert not OutgoingMail.objects.exists()
    card = client.get(response["Location"], **EN).content.decode()
    assert "filed, not considered" in card
    assert "Registered case 1/" in card


def test_a_letter_signed_by_name_alone_keeps_the_name_when_filed(client, city):
    client.force_login(city.clerk)
    client.post(
        "/console/post/",
        letter(name="Ion Anonimescu", postal_address="", file_unidentified="on"),
        **EN,
    )
    case = Case.objects.get()
    assert case.outcome == "filed"
    assert case.reporter.name == "Ion Anonimescu"


def test_officers_do_not_register_letters(client, city):
    client.force_login(city.officer)
    assert client.get("/console/post/").status_code == 403
    assert client.post("/console/post/", letter(file_unidentified="on")).status_code == 403
    assert not Case.objects.exists()


def test_an_unsigned_letter_giving_only_a_phone_is_filed_with_the_phone_kept(client, city):
    client.force_login(city.clerk)
    client.post(
        "/console/post/",
        letter(name="", postal_address="", phone="0744 000 111", file_unidentified="on"),
        **EN,
    )
    case = Case.objects.get()
    assert (case.status, case.outcome) == ("rejected", "filed")
    assert case.reporter.phone == "+40744000111"


def test_the_side_card_names_who_is_at_the_desk_or_wrote_not_a_caller(client, city):
    client.force_login(city.clerk)
    for page, heading in (("/console/post/", "Sender"), ("/console/desk/", "Visitor")):
        html = client.get(page, **EN).content.decode()
        assert f'<h2 id="caller-title">{heading}</h2>' in html
        refreshed = client.get(
            "/console/intake/caller", {"phone": "0722 000 111", "channel": page.split("/")[2]}, **EN
        ).content.decode()
        assert f'<h2 id="caller-title">{heading}</h2>' in refreshed
    post = client.get("/console/post/", **EN).content.decode()
    assert 'name="phone"' in post and "autofocus" not in post.split('name="phone"')[1].split(">")[0]
