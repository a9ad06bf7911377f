from cetate.cases import services
from cetate.cases.workflow import Action


def test_resident_follows_the_case_without_seeing_internal_notes(client, city):
    case = city.report()
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    services.add_note(case_id=case.pk, actor=city.dispatcher, text="Sunat la inspector Marin")
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    services.change_status(
        case_id=case.pk, actor=city.officer, action=Action.RESOLVE, text="Groapa a fost astupată."
    )
    response = client.get(f"/t/{case.tracking_code}")
    assert response.status_code == 200
    html = response.content.decode()
    assert case.number in html
    assert "Groapa a fost astupată." in html
    assert "Sunat la inspector" not in html
    for personal in ("Ion Popescu", "ion@example.org", "+40744123456", "inspector"):
        assert personal not in html


def test_lower_case_code_works_and_unknown_code_is_404(client, city):
    case = city.report()
    assert client.get(f"/t/{case.tracking_code.lower()}").status_code == 200
    assert client.get("/t/ZZZZZZZZZZ").status_code == 404


def test_guessing_codes_is_rate_limited(client, db):
    statuses = [client.get(f"/t/AAAAAAAA{i:02d}").status_code for i in range(31)]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429
