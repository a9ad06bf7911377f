"""The console works by the internal due date, offers the extension to who decides it, and
registers and shows administrative complaints with the request they contest."""

from datetime import date, datetime, timedelta

import time_machine
from django.urls import reverse

from cetate.cases import services
from cetate.cases.choices import Kind
from cetate.cases.deadlines import CITY_TZ
from cetate.cases.models import Case
from cetate.cases.workflow import Action
from tests.console.test_case_card import offered_actions, show
from tests.console.test_intake import EN, call_form

TODAY = datetime(2026, 3, 10, 10, 0, tzinfo=CITY_TZ)


def routed(city, **fields) -> Case:
    case = city.report(**fields)
    return services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)


def set_terms(
    case: Case, internal_due: date | None, legal_due: date | None, service_due: datetime | None
) -> None:
    """Give the case these terms as a service would (its earliest due moment follows)."""
    case.internal_due, case.legal_due, case.service_due = internal_due, legal_due, service_due
    case.save(update_fields=["internal_due", "legal_due", "service_due"])


def _row(case: Case) -> str:
    return f">{case.number}</a>"


def test_the_worklist_puts_a_case_due_today_before_one_due_in_28_days(client, city):
    with time_machine.travel(TODAY, tick=False):
        later = routed(city)
        today = routed(city)
        # The legal deadlines say the opposite: only the internal date orders the list.
        set_terms(later, TODAY.date() + timedelta(days=28), date(2026, 4, 1), None)
        set_terms(today, TODAY.date(), date(2026, 5, 1), None)
        client.force_login(city.officer)
        html = client.get(reverse("console:worklist"), **EN).content.decode()

    assert html.index(_row(today)) < html.index(_row(later))
    assert "due date today" in html
    assert "28 days left to the due date" in html


def test_the_case_card_shows_the_due_date_and_the_legal_deadline(client, city):
    with time_machine.travel(datetime(2026, 3, 5, 10, 0, tzinfo=CITY_TZ), tick=False):
        case = routed(city)
        client.force_login(city.officer)
        html = show(client, case).content.decode()
    assert "<dt>Due</dt><dd>03.04.2026</dd>" in html
    assert "<dt>Legal deadline</dt><dd>06.04.2026" in html


def test_the_extension_is_offered_only_to_who_decides_it(client, city, settings):
    case = routed(city)
    services.change_status(case_id=case.pk, actor=city.head, action=Action.START)

    client.force_login(city.officer)
    assert "extend" not in offered_actions(show(client, case).content.decode())
    client.force_login(city.head)
    assert "extend" in offered_actions(show(client, case).content.decode())

    settings.EXTENSION_DECIDED_BY = "officer"
    client.force_login(city.officer)
    assert "extend" in offered_actions(show(client, case).content.decode())


def information_request(city) -> Case:
    return city.report(kind=Kind.INFORMATION, category=None, description="Bugetul pe 2026?")


def complaint_form(city, contests: str, **fields):
    data = {
        "kind": "complaint",
        "category": "",
        "description": "Nu mi s-a răspuns complet.",
        "name": "Ion Popescu",
        "email": "ion.popescu@example.ro",
        "contests": contests,
        **fields,
    }
    return call_form(city, **data)


def test_a_call_registers_an_administrative_complaint_by_the_request_s_number(client, city):
    client.force_login(city.dispatcher)
    with time_machine.travel(datetime(2026, 3, 5, 10, 0, tzinfo=CITY_TZ), tick=False):
        request = information_request(city)
        form = complaint_form(city, f" {request.number} ")
        response = client.post(reverse("console:intake"), form, **EN)

    assert response.status_code == 302, response.content.decode()
    complaint = Case.objects.get(kind=Kind.COMPLAINT)
    assert complaint.contests == request
    # 15 days from Thursday 5 March: the law's Monday 23, the city's Friday 20.
    assert (complaint.legal_due, complaint.internal_due) == (date(2026, 3, 23), date(2026, 3, 20))

    card = show(client, complaint).content.decode()
    assert "Contests the answer to" in card
    assert f'href="/console/cases/{request.pk}/">{request.number}</a>' in card
    assert f"contests the answer to request {request.number}" in card  # the history

    request_card = show(client, request).content.decode()
    assert "Administrative complaints" in request_card
    assert f'href="/console/cases/{complaint.pk}/">{complaint.number}</a>' in request_card


def test_the_desk_registers_one_too(client, city):
    request = information_request(city)
    client.force_login(city.clerk)
    form = complaint_form(city, request.number)
    response = client.post(reverse("console:desk"), form, **EN)
    assert response.status_code == 302
    assert Case.objects.get(kind=Kind.COMPLAINT).contests == request


def test_an_unknown_or_wrong_number_is_refused_and_burns_no_number(client, city):
    report = city.report()
    client.force_login(city.dispatcher)
    url = reverse("console:intake")

    unknown = client.post(url, complaint_form(city, "999/2026"), **EN)
    assert "No case is registered with number 999/2026." in unknown.content.decode()
    garbled = client.post(url, complaint_form(city, "douăsprezece"), **EN)
    assert "number/year, e.g. 12/2026" in garbled.content.decode()
    not_information = client.post(url, complaint_form(city, report.number), **EN)
    assert (
        f"Case {report.number} is not a request for public information"
        in not_information.content.decode()
    )
    request = information_request(city)
    not_complaint = client.post(url, complaint_form(city, request.number, kind="request"), **EN)
    assert "Only a complaint" in not_complaint.content.decode()
    assert Case.objects.count() == 2


def test_the_receipt_promises_the_internal_date_and_states_the_law_s(client, city):
    with time_machine.travel(datetime(2026, 3, 5, 10, 0, tzinfo=CITY_TZ), tick=False):
        case = city.report(channel="desk", actor=city.clerk)
    client.force_login(city.clerk)
    html = client.get(reverse("console:receipt", kwargs={"case_id": case.pk}), **EN)
    text = html.content.decode()
    assert "<dt>We answer by</dt><dd>03.04.2026</dd>" in text
    assert "<dt>Legal deadline</dt><dd>06.04.2026 – 30 days from registration" in text


def test_the_tracking_page_gives_the_same_promise_as_the_receipt(client, city):
    with time_machine.travel(datetime(2026, 3, 5, 10, 0, tzinfo=CITY_TZ), tick=False):
        case = city.report()
        html = client.get(f"/t/{case.tracking_code}", **EN).content.decode()
    # The same dates, written out for the resident.
    assert "<dt>Answer due by</dt><dd>April 3, 2026</dd>" in html
    assert "<dt>Legal deadline</dt><dd>April 6, 2026</dd>" in html
