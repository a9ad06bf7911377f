"""A resident's reply is shown as unread on the worklist and in the console's header until the
officer holding the case (or its head) opens the case, where the reply is in the history."""

import re

from django.urls import reverse

from cetate.accounts.roles import Role
from cetate.cases import services
from cetate.cases.models import Case
from cetate.cases.uploads import Upload
from cetate.test import make_user
from tests.cases.files import png

WORKLIST = reverse("console:worklist")
BADGE = "New reply from the resident"
REPLY = "Groapa s-a adâncit după ploaie."


def held_by_officer(city) -> Case:
    return services.assign(
        case_id=city.report().pk,
        actor=city.dispatcher,
        department=city.technical,
        assignee=city.officer,
    )


def resident_replies(case: Case, attachments=()) -> None:
    services.record_resident_reply(
        case_id=case.pk,
        sender="ion@example.org",
        subject=f"Re: Cazul {case.number}",
        text=REPLY,
        shown=REPLY,
        attachments=attachments,
    )


def page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def unread(case: Case) -> bool:
    case.refresh_from_db()
    return case.unread_reply_at is not None


def test_the_worklist_shows_which_cases_have_an_unread_reply_and_lists_them_alone(client, city):
    replied = held_by_officer(city)
    quiet = held_by_officer(city)
    resident_replies(replied)

    everything = page(client, city.officer, WORKLIST)
    only_replied = page(client, city.officer, f"{WORKLIST}?replies=unread")

    row = re.search(rf">{replied.number}</a>.*?</tr>", everything, re.S)
    assert row is not None and BADGE in row.group()
    assert f">{quiet.number}</a>" in everything
    assert everything.count(BADGE) == 1
    assert f">{replied.number}</a>" in only_replied
    assert f">{quiet.number}</a>" not in only_replied
    assert "with unread replies" in only_replied


def test_the_head_sees_the_flag_on_the_department_list(client, city):
    case = held_by_officer(city)
    resident_replies(case)

    assert BADGE in page(client, city.head, f"{WORKLIST}?replies=unread")


def test_the_header_counts_the_officers_cases_with_unread_replies(client, city):
    mine = held_by_officer(city)
    resident_replies(mine)
    resident_replies(held_by_officer(city))
    colleague = make_user("colega", Role.OFFICER, departments=(city.technical,))
    resident_replies(
        services.assign(
            case_id=city.report().pk,
            actor=city.dispatcher,
            department=city.technical,
            assignee=colleague,
        )
    )

    header = page(client, city.officer, reverse("console:waiting"))

    assert re.search(r"Unread replies: <strong>2</strong>", header)
    assert "?replies=unread&amp;assignee=me" in header
    # Those who hold no cases are not shown a count that is never theirs.
    assert "Unread replies" not in page(client, city.dispatcher, reverse("console:waiting"))


def test_the_officer_holding_the_case_reads_the_reply_by_opening_it(client, city):
    case = held_by_officer(city)
    resident_replies(case, attachments=[Upload("groapa.png", png())])

    card = page(client, city.officer, reverse("console:case", args=[case.pk]))

    assert "Resident&#x27;s reply by email" in card
    assert REPLY in card
    assert "groapa.png" in card
    assert not unread(case)
    assert BADGE not in page(client, city.officer, WORKLIST)
    assert "Unread replies: <strong>0</strong>" in page(
        client, city.officer, reverse("console:waiting")
    )


def test_another_officer_opening_the_case_leaves_the_reply_unread(client, city):
    case = held_by_officer(city)
    resident_replies(case)
    colleague = make_user("colega", Role.OFFICER, departments=(city.technical,))

    page(client, colleague, reverse("console:case", args=[case.pk]))
    page(client, city.supervisor, reverse("console:case", args=[case.pk]))

    assert unread(case)
    page(client, city.head, reverse("console:case", args=[case.pk]))
    assert not unread(case)
