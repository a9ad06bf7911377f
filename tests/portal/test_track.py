from cetate.cases import services
from cetate.cases.models import Case
from cetate.cases.workflow import Action
from cetate.contacts.services import create_contact
from cetate.test import GRANTED


def test_resident_follows_the_case_without_seeing_internal_notes(client, city):
    case = city.report()
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    services.add_note(case_id=case.pk, actor=city.dispatcher, text="Sunat la inspector Marin")
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    services.change_status(
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Groapa a fost astupată.",
        decision=GRANTED,
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


EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_a_case_merged_into_the_same_residents_case_points_at_it(client, city):
    earlier, again = city.report(), city.report()
    services.merge(case_id=again.pk, into_case_id=earlier.pk, actor=city.dispatcher)
    html = client.get(f"/t/{again.tracking_code}", **EN).content.decode()
    assert "Follow instead" in html
    assert f'href="/t/{earlier.tracking_code}"' in html


def test_another_residents_case_is_never_shown_nor_its_code(client, city):
    neighbour = create_contact(name="Maria Vecina", email="maria@example.org")
    ion, maria = city.report(), city.report(reporter=neighbour)
    services.message_resident(case_id=ion.pk, actor=city.dispatcher, text="Domnule Ion, venim.")
    # A merge across residents recorded before merges were limited to one petitioner.
    Case.objects.filter(pk=maria.pk).update(status="merged", merged_into=ion)
    legacy = client.get(f"/t/{maria.tracking_code}", **EN).content.decode()
    assert ion.tracking_code not in legacy and "Follow instead" not in legacy
    assert "Joined to an earlier case on the same matter." in legacy

    linked = city.report(reporter=neighbour)
    services.link_cases(case_id=linked.pk, other_case_id=ion.pk, actor=city.dispatcher)
    for case, other in ((linked, ion), (ion, linked)):
        html = client.get(f"/t/{case.tracking_code}", **EN).content.decode()
        assert "Handled together with other reports of the same problem." in html
        assert other.tracking_code not in html and other.number not in html
    assert "Domnule Ion" not in client.get(f"/t/{linked.tracking_code}").content.decode()


def test_a_code_that_cannot_be_a_tracking_code_is_answered_clearly(client, db):
    for code in ("a/b", "ab?c", "<script>", "x\x00y", "Ω" * 12):
        response = client.get("/t/", {"code": code}, **EN)
        assert response.status_code == 400, code
        page = response.content.decode()
        assert "is not a tracking code" in page
        assert 'name="code"' in page  # the form, to type it again


def test_a_tracking_address_with_characters_no_code_has_finds_nothing(client, db):
    assert client.get("/t/AB%00CD", **EN).status_code == 404
    assert client.get("/t/ABC%20D", **EN).status_code == 404
