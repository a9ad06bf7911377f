import pytest


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("dispatcher", "/console/queue/"),
        ("clerk", "/console/desk/"),
        ("supervisor", "/console/supervision/"),
        ("officer", "/console/worklist/"),
        ("head", "/console/worklist/"),
        ("admin", "/console/queue/"),
    ],
)
def test_each_role_lands_on_its_own_page(client, city, persona, landing):
    client.force_login(getattr(city, persona))
    response = client.get("/console/")
    assert response.status_code == 302
    assert response["Location"] == landing


def test_console_needs_a_signed_in_staff_member(client, city):
    assert client.get("/console/")["Location"].startswith("/login/")


def test_header_counts_what_is_waiting(client, city):
    city.report()
    city.report(category=city.lamp)
    client.force_login(city.dispatcher)
    html = client.get("/console/waiting", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "New cases: <strong>2</strong>" in html
    assert "Missed calls: <strong>0</strong>" in html
    assert "Overdue cases: <strong>0</strong>" in html


def test_an_officer_counts_only_their_departments_cases_and_takes_no_calls(client, city):
    from cetate.cases import services

    mine = city.report()
    theirs = city.report(category=city.lamp)
    services.assign(case_id=mine.pk, actor=city.dispatcher, department=city.technical)
    services.assign(case_id=theirs.pk, actor=city.dispatcher, department=city.lighting)
    client.force_login(city.lighting_officer)
    html = client.get("/console/waiting", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "New cases: <strong>0</strong>" in html
    assert "Missed calls" not in html


def test_navigation_shows_only_the_sections_of_the_role(client, city):
    client.force_login(city.clerk)
    html = client.get("/console/desk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/console/desk/" aria-current="page"' in html
    assert 'href="/console/queue/"' not in html
    assert 'href="/telephony/calls/"' not in html
