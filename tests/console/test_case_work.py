"""Working a case from its card: accepting it, model answers, and the calls in its history."""

import json
from datetime import datetime, timedelta

import time_machine

from cetate.cases import services
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.errors import DomainError, NotAllowed
from cetate.cases.models import Case
from cetate.cases.workflow import Action
from cetate.directory.models import ResponseTemplate
from cetate.telephony.services import link_case, record_cti_event
from tests.console.test_case_card import history_rows, offered_actions, post, show

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=CITY_TZ)


def model_answers(html: str, form: str) -> dict[str, str]:
    script = html.split(f'id="{form}-model-answers" type="application/json">')[1]
    return json.loads(script.split("</script>")[0])


def routed(city, **fields) -> Case:
    case = city.report(**fields)
    return services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)


def test_an_officer_accepts_a_case_nobody_holds(client, city):
    case = routed(city)
    client.force_login(city.officer)
    assert "accept" in offered_actions(show(client, case).content.decode())

    response = post(client, case, "accept")

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee == city.officer
    assert case.status == "assigned"
    accepted = case.events.get(kind="accepted")
    assert accepted.actor == city.officer and not accepted.public
    html = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"You accepted case {case.number}." in html
    assert "Accepted by an officer" in html  # the history says what was done
    assert "accept" not in offered_actions(html)  # nobody accepts a case held already


def test_only_a_member_of_the_department_accepts_and_only_a_free_case(city):
    case = routed(city)
    for outsider in (city.lighting_officer, city.supervisor, city.dispatcher):
        try:
            services.accept(case_id=case.pk, actor=outsider)
        except NotAllowed:
            pass
        else:
            raise AssertionError(f"{outsider} accepted a case of another department")
    services.accept(case_id=case.pk, actor=city.head)
    try:
        services.accept(case_id=case.pk, actor=city.officer)
    except DomainError as refusal:
        assert "already with" in str(refusal)
    else:
        raise AssertionError("a held case was accepted again")
    assert Case.objects.get(pk=case.pk).assignee == city.head


def working(city, **fields) -> Case:
    case = routed(city, **fields)
    services.accept(case_id=case.pk, actor=city.officer)
    return services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)


def test_the_resolve_form_offers_the_model_answers_of_the_category_filled_in(client, city):
    city.officer.first_name, city.officer.last_name = "Ana", "Pop"
    city.officer.save()
    ResponseTemplate.objects.create(
        name="Reparat",
        category=city.pothole,
        status="resolved",
        language="ro",
        body="Sesizarea {number} din {date} ({category}, {address}) a fost rezolvată. "
        "{officer}. {unknown} {number.__class__}",
    )
    ResponseTemplate.objects.create(
        name="Lampă", category=city.lamp, status="resolved", body="Lampa a fost schimbată."
    )
    ResponseTemplate.objects.create(name="Așteptăm", status="waiting", body="Așteptăm.")
    with time_machine.travel(T0, tick=False):
        case = working(city, address="Str. Lungă 1")
    client.force_login(city.officer)

    html = show(client, case).content.decode()

    resolve = html.split('id="action-resolve"')[1].split("</section>")[0]
    assert "Start from a model answer" in resolve
    assert ">Reparat</option>" in resolve
    assert "Lampă" not in resolve  # another category's
    assert "Așteptăm" not in resolve  # for another status
    expected = (
        f"Sesizarea {case.number} din 02.03.2026 (Groapă în carosabil, Str. Lungă 1) a fost "
        "rezolvată. Ana Pop. {unknown} {number.__class__}"
    )
    assert expected in model_answers(html, "resolve").values()
    wait = html.split('id="action-wait"')[1].split("</section>")[0]
    assert ">Așteptăm</option>" in wait


def test_without_scripts_a_chosen_model_answer_is_filled_in_for_review_first(client, city):
    template = ResponseTemplate.objects.create(
        name="Reparat", status="resolved", body="Am reparat, {officer}."
    )
    case = working(city)
    client.force_login(city.officer)

    review = post(
        client,
        case,
        "resolve",
        outcome="granted",
        legal_basis="og27-granted",
        template=template.pk,
        text="",
    )

    assert review.status_code == 200
    html = review.content.decode()
    assert "The model answer was filled in: review the text, then send it." in html
    assert f"Am reparat, {city.officer.username}.</textarea>" in html
    assert Case.objects.get(pk=case.pk).status == "in_progress"

    sent = post(
        client,
        case,
        "resolve",
        outcome="granted",
        legal_basis="og27-granted",
        template=template.pk,
        text="Am reparat groapa.",
    )

    assert sent.status_code == 302
    resolved = Case.objects.get(pk=case.pk)
    assert (resolved.status, resolved.answer) == ("resolved", "Am reparat groapa.")


def test_model_answers_follow_the_residents_language(client, city):
    ResponseTemplate.objects.create(name="Mesaj", body="Bună ziua.", language="ro")
    ResponseTemplate.objects.create(name="Message", body="Good morning.", language="en")
    english = working(city, language="en")
    romanian = working(city)
    client.force_login(city.officer)

    assert ">Message</option>" in show(client, english).content.decode()
    html = show(client, romanian).content.decode()
    assert ">Mesaj</option>" in html and ">Message</option>" not in html


def test_the_calls_about_a_case_are_in_its_history(client, city):
    city.dispatcher.first_name, city.dispatcher.last_name = "Maria", "Ionescu"
    city.dispatcher.save()

    def event(kind, seconds, **fields):
        record_cti_event(event=kind, call_id="c1", at=T0 + timedelta(seconds=seconds), **fields)

    event("newCall", 0, from_number="0744 123 456", to_number="0258 800", direction="inbound")
    event("answer", 10, extension="101")
    event("hangup", 135, cause="NORMAL_CLEARING")
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        case = city.report()
    from cetate.telephony.models import Call

    link_case(call_id=Call.objects.get(call_id="c1").pk, case=case)
    client.force_login(city.dispatcher)

    html = show(client, case).content.decode()

    table = html.split('class="cases case-history"')[1].split("</table>")[0]
    assert history_rows(html) == case.events.count() + 1
    assert "Incoming call, completed" in table
    assert "talked 2:05" in table
    # The call came before the registration it led to.
    assert table.index("Incoming call") < table.index("Registered")


def test_the_history_shows_when_a_redirected_case_was_due_to_leave_and_where_it_went(
    client, city, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0, tick=False):
        case = city.report()
    with (
        time_machine.travel(T0 + timedelta(days=6), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.redirect(
            case_id=case.pk, actor=city.dispatcher, to=city.water_operator, reason="r"
        )
    client.force_login(city.dispatcher)

    table = show(client, case).content.decode().split('class="cases case-history"')[1]

    assert "to be forwarded by 07.03.2026 (late)" in table
    assert "by email to apa@example.org" in table
