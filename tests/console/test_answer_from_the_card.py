"""The case card puts the likely next step first: an officer answers a case straight from the
department's queue, starting from a model answer that fits the outcome chosen."""

import re

from cetate.cases import services
from cetate.cases.models import Case
from cetate.cases.workflow import Action
from cetate.directory.models import ResponseTemplate, TemplatePurpose
from tests.console.test_case_card import post, show


def queued(city) -> Case:
    case = city.report(address="Str. Lungă 1")
    return services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)


def actions_in_order(html: str) -> list[str]:
    return re.findall(r'name="action" value="(\w+)"', html)


def section(html: str, action: str) -> str:
    return html.split(f'id="action-{action}"')[1].split("</section>")[0]


def test_the_answer_comes_first_and_sending_elsewhere_after_the_work(client, city):
    case = queued(city)
    client.force_login(city.officer)

    order = actions_in_order(show(client, case).content.decode())

    assert order[:3] == ["resolve", "accept", "start"]
    assert order.index("redirect") > order.index("note")


def test_a_case_being_waited_on_offers_resuming_first(client, city):
    case = queued(city)
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.WAIT, text="Poza.")
    client.force_login(city.officer)
    assert actions_in_order(show(client, case).content.decode())[:2] == ["resume", "resolve"]


def test_an_officer_answers_from_the_queue_in_one_step(client, city):
    case = queued(city)
    client.force_login(city.officer)

    response = post(
        client,
        case,
        "resolve",
        text="Groapa a fost astupată.",
        outcome="granted",
        legal_basis="og27-granted",
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.assignee) == ("resolved", city.officer)
    assert list(case.events.filter(data__implied_by="resolve").values_list("kind", flat=True)) == [
        "status_changed",
        "accepted",
        "status_changed",
    ]


def _templates(city) -> dict[str, ResponseTemplate]:
    made = {
        "ack": ResponseTemplate.objects.create(
            name="Confirmare", body="Am primit solicitarea {number}."
        ),
        "done": ResponseTemplate.objects.create(
            name="Reparat", status="resolved", body="Sesizarea {number} a fost rezolvată."
        ),
        "refused": ResponseTemplate.objects.create(
            name="Nu e de competența noastră",
            purpose=TemplatePurpose.REFUSED,
            body="Nu putem da curs solicitării {number}.",
        ),
        "granted": ResponseTemplate.objects.create(
            name="Aprobat",
            category=city.pothole,
            purpose=TemplatePurpose.GRANTED,
            body="Solicitarea {number} a fost aprobată.",
        ),
    }
    return made


def test_the_resolve_form_offers_answers_only_each_marked_with_its_outcome(client, city):
    made = _templates(city)
    case = queued(city)
    client.force_login(city.officer)

    html = show(client, case).content.decode()

    resolve = section(html, "resolve")
    assert "Confirmare" not in resolve  # an acknowledgement is not an answer
    assert f'value="{made["done"].pk}" data-outcome=""' in resolve
    assert f'value="{made["refused"].pk}" data-outcome="refused"' in resolve
    assert f'value="{made["granted"].pk}" data-outcome="granted"' in resolve
    assert '<optgroup label="The answer: refused">' in resolve
    assert "Only the model answers fitting the outcome chosen are offered." in resolve
    message = section(html, "message")
    assert "Confirmare" in message
    assert "Reparat" not in message and "Aprobat" not in message


def test_a_model_answer_stating_another_outcome_is_refused(client, city):
    made = _templates(city)
    case = queued(city)
    client.force_login(city.officer)

    response = post(
        client,
        case,
        "resolve",
        template=made["refused"].pk,
        text="Nu putem da curs solicitării.",
        outcome="granted",
        legal_basis="og27-granted",
    )

    assert response.status_code == 200
    assert "This model answer states another outcome than the one chosen (granted)." in (
        response.content.decode()
    )
    case.refresh_from_db()
    assert case.status == "assigned"
