"""The register's details of a case, corrected from its card."""

from datetime import date

from cetate.cases import services
from cetate.cases.choices import EventKind
from cetate.directory.models import FileCode
from tests.console.test_case_card import offered_actions, post, show


def test_a_dispatcher_records_the_register_details_from_the_card(client, city):
    code = FileCode.objects.create(code="II-4", name="Petiții", retention_years=5)
    case = city.report()
    client.force_login(city.dispatcher)
    assert "register" in offered_actions(show(client, case).content.decode())

    response = post(
        client,
        case,
        "register",
        sender_reference="1234/A",
        sender_reference_date="2026-02-27",
        pages="3",
        annexes="1",
        file_code=str(code.pk),
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.sender_reference == "1234/A"
    assert case.sender_reference_date == date(2026, 2, 27)
    assert (case.pages, case.annexes, case.file_code) == (3, 1, code)
    event = case.events.get(kind=EventKind.REGISTER_DETAILS)
    assert event.data["pages"] == [None, 3]
    html = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"The register details of case {case.number} were saved." in html
    assert 'value="1234/A"' in html  # the form shows what is recorded


def test_a_wrong_count_is_refused_with_nothing_changed(client, city):
    case = city.report()
    client.force_login(city.dispatcher)
    response = post(client, case, "register", pages="-2", annexes="", sender_reference="")
    assert response.status_code == 200
    assert "Nothing was changed" in response.content.decode()
    assert not case.events.filter(kind=EventKind.REGISTER_DETAILS).exists()


def test_an_officer_does_not_correct_the_register(client, city):
    case = city.report()
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    client.force_login(city.officer)
    assert "register" not in offered_actions(show(client, case).content.decode())
    assert post(client, case, "register", pages="3").status_code == 403
