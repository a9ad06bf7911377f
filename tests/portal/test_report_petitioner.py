"""The report form asks petitions for their author's name and an address to answer to, says
why before anything is sent, and puts the reason beside the field that lacks it."""

from cetate.cases.models import Case
from tests.portal.reporting import last_number, only_case, pothole, send


def petition(city, kind="request", **fields):
    return pothole(city, kind=kind, category="", **fields)


def test_the_form_gives_the_reason_for_each_kind_before_anything_is_sent(client, city):
    html = client.get("/report/").content.decode()
    assert (
        "O cerere, o reclamație sau o propunere are nevoie de numele dumneavoastră și de o "
        "adresă poștală sau de e-mail"
    ) in html
    assert "(Legea 544/2001 art. 6)" in html
    assert "O problemă din oraș poate fi semnalată anonim în unele categorii" in html


def test_a_request_with_only_a_phone_is_refused_beside_the_address(client, city):
    response = send(client, petition(city, name="Ana Pop", phone="0744 000 111"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["email"] == [
        "Indicați o adresă poștală sau de e-mail la care să primiți răspunsul: petițiile fără "
        "adresă nu se iau în considerare (OG 27/2002 art. 7). Un număr de telefon nu este "
        "suficient."
    ]
    assert "name" not in errors
    assert 'value="Ana Pop"' in response.content.decode()
    assert last_number() == 0


def test_a_complaint_without_a_name_is_refused_beside_the_name(client, city):
    response = send(
        client,
        petition(city, kind="complaint", email="ana@example.org", answer_channel="email"),
    )
    errors = response.context["form"].errors
    assert errors["name"] == [
        "Indicați numele petentului: petițiile anonime nu se iau în considerare "
        "(OG 27/2002 art. 7)."
    ]
    assert not Case.objects.exists()


def test_an_information_request_by_post_is_refused_beside_the_postal_address(client, city):
    response = send(
        client,
        petition(city, kind="information", name="Ana Pop", answer_channel="post", latitude=""),
    )
    errors = response.context["form"].errors
    assert "(Legea 544/2001 art. 6)" in errors["postal_address"][0]
    assert not Case.objects.exists()


def test_a_proposal_with_name_and_postal_address_registers(client, city):
    response = send(
        client,
        petition(
            city,
            kind="proposal",
            name="Ana Pop",
            postal_address="Strada Mare 3, Alba Iulia",
            answer_channel="post",
        ),
    )
    assert response.status_code == 302
    case = only_case()
    assert (case.kind, case.reporter.name) == ("proposal", "Ana Pop")


def test_a_report_may_still_give_only_a_phone_or_nothing_where_allowed(client, city):
    assert send(client, pothole(city)).status_code == 302
    with_phone = pothole(
        city,
        category=str(city.lamp.pk),
        questions_for=str(city.lamp.pk),
        phone="0744 000 111",
        answer_channel="phone",
    )
    assert send(client, with_phone).status_code == 302
    assert [c.reporter and c.reporter.phone for c in Case.objects.order_by("pk")] == [
        None,
        "+40744000111",
    ]
