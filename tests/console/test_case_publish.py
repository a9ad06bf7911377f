"""The case card shows what the public sees of the case, and where the category shows a
summary, officers, heads and dispatchers publish or withdraw it."""

from __future__ import annotations

from cetate.cases import services
from cetate.cases.choices import Kind
from cetate.cases.models import Case
from tests.console.test_case_card import offered_actions, post, show
from tests.publication.seeding import configure


def test_the_card_tells_what_the_public_sees(client, city):
    configure(city.pothole, "public, exact, description masked")
    case = city.report(description="Groapă, sunați la 0744 123 456", address="Str. Cloșca 3")
    complaint = city.report(kind=Kind.COMPLAINT)
    client.force_login(city.dispatcher)
    html = show(client, case).content.decode()
    assert "What the public sees" in html
    assert "Groapă, sunați la [hidden]" in html and "Str. Cloșca<" in html
    assert "publish" not in offered_actions(html)  # the category shows the description
    html = show(client, complaint).content.decode()
    assert "Nothing: the case is not public." in html
    assert "Only reports of problems in the city are public." in html


def test_staff_publish_and_withdraw_the_summary_from_the_card(client, city):
    configure(city.pothole, "public, rounded, summary")
    case = city.report()
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    client.force_login(city.officer)
    assert "publish" in offered_actions(show(client, case).content.decode())

    response = post(client, case, "publish", text="Groapă semnalată pe carosabil.")
    assert response.status_code == 302
    html = show(client, case).content.decode()
    assert f"The summary of case {case.number} is published." in html
    assert Case.objects.get(pk=case.pk).public_summary == "Groapă semnalată pe carosabil."
    public_page = client.get(f"/cases/{case.registration_year}-{case.registration_number}/")
    assert "Groapă semnalată pe carosabil." in public_page.content.decode()

    assert post(client, case, "publish", text="").status_code == 302
    assert Case.objects.get(pk=case.pk).public_summary == ""
    assert f"The summary of case {case.number} is withdrawn." in show(client, case).content.decode()


def test_a_desk_clerk_cannot_publish(client, city):
    configure(city.pothole, "public, rounded, summary")
    case = city.report(actor=city.clerk)
    client.force_login(city.clerk)
    assert "publish" not in offered_actions(show(client, case).content.decode())
    assert post(client, case, "publish", text="Rezumat").status_code == 403
    assert Case.objects.get(pk=case.pk).public_summary == ""
