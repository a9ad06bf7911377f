"""The case card at /console/cases/<id>/: what each role sees of a case and what it may do."""

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cetate import test as places
from cetate.cases import services
from cetate.cases.choices import Channel, Kind
from cetate.cases.models import Case
from cetate.cases.uploads import Upload
from cetate.contacts.models import PersonalDataView
from tests.cases.files import minimal_pdf

# Points typed for keyword arguments.
IN_CENTRE: dict[str, Any] = dict(places.IN_CENTRE)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def card(case: Case) -> str:
    return reverse("console:case", kwargs={"case_id": case.pk})


def show(client, case: Case):
    return client.get(card(case), **EN)


def post(client, case: Case, action: str, *, seen: int | None = None, **fields):
    """Submit one form of the card as the browser would, `seen` defaulting to the case now."""
    if seen is None:
        seen = Case.objects.get(pk=case.pk).last_event_seq
    data = {"action": action, f"{action}-seen": seen}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return client.post(card(case), data, **EN)


def offered_actions(html: str) -> set[str]:
    return set(re.findall(r'name="action" value="(\w+)"', html))


def history_rows(html: str) -> int:
    table = html.split('class="cases case-history"')[1].split("</table>")[0]
    return table.count("<tr>") - 1  # the header row


def test_a_dispatcher_sees_the_whole_case_and_the_triage_actions(client, city):
    case = city.report(address="Str. Lungă 1", title="Groapă mare")
    client.force_login(city.dispatcher)

    response = show(client, case)

    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        f"Case {case.number}",
        "Groapă mare",
        "Groapă adâncă în fața blocului",
        "Roads › Pothole",
        "Str. Lungă 1",
        "Orașul de test",
        "46.070000, 23.580000",
        "Ion Popescu",
        "+40744123456",
        "ion@example.org",
        "not routed yet",
        "on time",
    ):
        assert text in html, text
    assert {"triage", "merge", "reject", "redirect", "note", "message", "cancel"} <= (
        offered_actions(html)
    )
    assert "start" not in offered_actions(html)  # work starts in the department
    assert "As the routing rules say (now: Technical directorate)" in html


def test_the_answers_to_the_categorys_questions_are_labelled(client, city):
    case = city.report(category=city.lamp, answers={"pole": "A-17"})
    client.force_login(city.dispatcher)
    html = show(client, case).content.decode()
    assert "<dt>Numărul stâlpului</dt><dd>A-17</dd>" in html


def test_the_history_lists_every_event(client, city):
    case = city.report()
    services.triage(case_id=case.pk, actor=city.dispatcher, priority=3, **IN_CENTRE)
    services.add_note(case_id=case.pk, actor=city.officer, text="Verific mâine dimineață.")
    services.message_resident(case_id=case.pk, actor=city.officer, text="Am preluat sesizarea.")
    client.force_login(city.dispatcher)

    html = show(client, case).content.decode()

    assert history_rows(html) == case.events.count() == 7
    for text in (
        "Registered",
        "Details corrected",
        "priority: normal → high",
        "area: Orașul de test → Centru",
        "Status: new → assigned",
        "Direcția Tehnică",
        "Verific mâine dimineață.",
        "Am preluat sesizarea.",
        "the resident too",
        "staff only",
    ):
        assert text in html, text


def test_a_desk_clerk_sees_their_case_but_cannot_triage_it(client, city):
    case = city.report(actor=city.clerk, channel=Channel.DESK)
    client.force_login(city.clerk)

    html = show(client, case).content.decode()

    assert "Ion Popescu" in html
    assert offered_actions(html) == {"note", "attach"}
    response = post(client, case, "triage", category=city.noise.pk, priority=4, department="")
    assert response.status_code == 403
    assert post(client, case, "reject", reason="x").status_code == 403
    case.refresh_from_db()
    assert (case.status, case.category, case.last_event_seq) == ("new", city.pothole, 1)


def test_a_desk_clerk_does_not_reach_cases_registered_by_others(client, city):
    client.force_login(city.clerk)
    assert show(client, city.report()).status_code == 404


def test_an_officer_of_another_department_never_reaches_the_case(client, city):
    case = city.report()
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    client.force_login(city.lighting_officer)
    assert show(client, case).status_code == 404
    assert post(client, case, "note", text="x").status_code == 404
    assert not PersonalDataView.objects.filter(user=city.lighting_officer).exists()


def test_an_officer_sees_the_resident_and_each_view_is_recorded(client, city):
    case = city.report()
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    client.force_login(city.officer)

    html = show(client, case).content.decode()
    show(client, case)

    assert "Ion Popescu" in html and "ion@example.org" in html
    views = PersonalDataView.objects.filter(user=city.officer, contact=city.resident)
    assert views.count() == 2
    assert views.first().what == f"case card {case.number}"
    # The officer works the case: start, not triage.
    assert "start" in offered_actions(html) and "triage" not in offered_actions(html)


def test_an_anonymous_report_shows_no_resident_and_records_no_view(client, city):
    case = city.report(reporter=None)
    client.force_login(city.dispatcher)
    html = show(client, case).content.decode()
    assert "Anonymous: nobody left contact details." in html
    assert "message" not in offered_actions(html)
    assert not PersonalDataView.objects.exists()


def test_routing_from_the_card(client, city):
    case = city.report()
    client.force_login(city.dispatcher)

    response = post(
        client,
        case,
        "triage",
        category=city.lamp.pk,
        priority=3,
        title="Stâlp stins",
        address="Piața Centrală",
        department="",
        assignee=city.lighting_officer.pk,
        note="Lângă școală",
        **IN_CENTRE,
    )

    assert response.status_code == 302
    # To the result, above the form that was used.
    assert response["Location"] == card(case) + "#result"
    case.refresh_from_db()
    assert (case.status, case.category, case.department, case.assignee, case.area) == (
        "assigned",
        city.lamp,
        city.lighting,
        city.lighting_officer,
        city.centre,
    )
    html = show(client, case).content.decode()
    # The message is the page's result, which the anchor scrolls to and the script focuses.
    result = re.search(
        r'<div role="status" id="result" class="result" tabindex="-1">(.*?)</div>', html, re.S
    )
    assert result
    assert f"Case {case.number} was routed to Street lighting, to electrician." in result.group(1)
    assert html.index('id="result"') < html.index('id="action-')
    assert '<script src="/static/console/result.js"></script>' in html


def test_a_change_made_meanwhile_is_shown_and_nothing_is_overwritten(client, city):
    case = city.report()
    seen = case.last_event_seq
    services.assign(
        case_id=case.pk, actor=city.supervisor, department=city.technical, assignee=city.officer
    )
    client.force_login(city.dispatcher)

    response = post(
        client,
        case,
        "triage",
        seen=seen,
        category=city.lamp.pk,
        priority=2,
        department=city.lighting.pk,
        note="Eu zic că e la iluminat",
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert f"Case {case.number} was changed by supervizor at" in html
    assert "(assigned) after you opened it" in html
    assert 'role="alert"' in html
    # The page opens at the form that was sent: the refusal is said there too.
    triage_form = html[html.index('id="action-triage"') :]
    assert "nothing was changed; check the case as it is now, then send again." in triage_form
    assert "Eu zic că e la iluminat" in html  # what the user typed is kept
    fresh = Case.objects.get(pk=case.pk)
    assert f'name="triage-seen" value="{fresh.last_event_seq}"' in html
    assert (fresh.department, fresh.category, fresh.assignee) == (
        city.technical,
        city.pothole,
        city.officer,
    )


def test_a_refused_form_keeps_what_was_typed_and_says_why(client, city):
    case = city.report()
    client.force_login(city.dispatcher)

    response = post(client, case, "merge", number="999/2026", reason="Aceeași groapă")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was changed" in html
    assert "There is no case 999/2026 among those you can see." in html
    assert 'value="999/2026"' in html and "Aceeași groapă" in html
    assert Case.objects.get(pk=case.pk).status == "new"


def test_a_rule_the_service_enforces_is_shown_on_the_form(client, city):
    case = city.report()
    client.force_login(city.dispatcher)
    response = post(
        client,
        case,
        "triage",
        category=city.pothole.pk,
        priority=2,
        department=city.technical.pk,
        assignee=city.lighting_officer.pk,
    )
    assert response.status_code == 200
    assert "electrician is not a member of" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "new"


def test_merging_into_a_suggested_case_or_by_number(client, city):
    earlier = city.report()
    again = city.report()
    third = city.report()
    client.force_login(city.dispatcher)

    html = show(client, again).content.decode()
    assert f'value="{earlier.pk}"' in html and "nearby: 0 m, same resident" in html

    assert post(client, again, "merge", into=earlier.pk).status_code == 302
    assert post(client, third, "merge", number=f" {earlier.number} ").status_code == 302
    assert list(earlier.merged_cases.order_by("pk")) == [again, third]
    html = show(client, earlier).content.decode()
    assert again.number in html and third.number in html


def test_rejecting_an_anonymous_petition_with_the_common_reason(client, city):
    case = city.report(kind=Kind.COMPLAINT, category=city.noise)
    client.force_login(city.dispatcher)

    assert post(client, case, "reject", preset="anonymous", reason="").status_code == 302

    case.refresh_from_db()
    assert case.status == "rejected"
    assert case.events.get(to_status="rejected").text == "Anonymous petition (OG 27/2002 art. 7)"


def test_rejecting_needs_a_reason(client, city):
    case = city.report()
    client.force_login(city.dispatcher)
    response = post(client, case, "reject", preset="", reason=" ")
    assert "Give the reason for rejecting the case." in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "new"


def test_redirecting_to_an_external_organisation(
    client, city, mailoutbox, django_capture_on_commit_callbacks
):
    case = city.report()
    client.force_login(city.dispatcher)

    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client, case, "redirect", to=city.water_operator.pk, reason="Conductă spartă"
        )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.redirected_to) == ("redirected", city.water_operator)
    # The resident is told, and the organisation is forwarded the case.
    assert [mail.to for mail in mailoutbox] == [["ion@example.org"], ["apa@example.org"]]
    assert "redirected" in show(client, case).content.decode()


def test_an_officer_starts_and_resolves_the_work(client, city):
    case = city.report()
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    client.force_login(city.officer)

    assert post(client, case, "start").status_code == 302
    assert (
        post(
            client,
            case,
            "resolve",
            outcome="granted",
            legal_basis="og27-granted",
            text="Groapa a fost astupată.",
        ).status_code
        == 302
    )

    case.refresh_from_db()
    assert (case.status, case.answer) == ("resolved", "Groapa a fost astupată.")
    html = show(client, case).content.decode()
    assert f"Case {case.number} is now resolved." in html
    assert "close" in offered_actions(html)


def test_attachments_are_listed_and_downloaded_behind_the_same_check(client, city):
    case = city.report()
    services.add_attachment(
        case_id=case.pk,
        actor=city.dispatcher,
        upload=Upload(name="proces-verbal.pdf", content=minimal_pdf()),
    )
    attachment = case.attachments.get()
    client.force_login(city.dispatcher)

    html = show(client, case).content.decode()
    assert f'href="?attachment={attachment.pk}"' in html and "proces-verbal.pdf" in html

    response = client.get(card(case), {"attachment": attachment.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="proces-verbal.pdf"' in response["Content-Disposition"]
    assert response.content == minimal_pdf()
    assert PersonalDataView.objects.filter(
        user=city.dispatcher, what=f"case {case.number} attachment {attachment.pk}"
    ).exists()
    assert client.get(card(case), {"attachment": attachment.pk + 1}).status_code == 404


def test_attaching_from_the_card(client, city):
    case = city.report()
    client.force_login(city.dispatcher)
    response = client.post(
        card(case),
        {
            "action": "attach",
            "attach-seen": case.last_event_seq,
            "attach-file": SimpleUploadedFile("scan.pdf", minimal_pdf()),
        },
    )
    assert response.status_code == 302
    assert case.attachments.get().original_name == "scan.pdf"


@pytest.mark.parametrize("action", ["nonsense", ""])
def test_an_unknown_action_is_a_bad_request(client, city, action):
    case = city.report()
    client.force_login(city.dispatcher)
    assert client.post(card(case), {"action": action}).status_code == 400


def test_a_post_that_does_not_say_what_its_user_saw_is_a_bad_request(client, city):
    case = city.report()
    client.force_login(city.dispatcher)
    response = client.post(card(case), {"action": "note", "note-text": "x"})
    assert response.status_code == 400
    assert case.events.count() == 1


def test_visitors_are_sent_to_sign_in(client, city):
    response = client.get(card(city.report()))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
