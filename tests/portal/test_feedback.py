"""The resident's answer on the portal: opening a link changes nothing, sending the form does,
once."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext, override

from cetate.cases import services
from cetate.cases.models import Case
from cetate.cases.workflow import Action
from cetate.directory.models import WhenNotResolved
from cetate.test import GRANTED


def _ro(text: str) -> str:
    """What a Romanian reader sees for `text`: Romanian is the default language."""
    with override("ro"):
        return gettext(text)


def resolved(city, **overrides) -> Case:
    case = city.report(**overrides)
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    return services.change_status(
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Groapa a fost astupată.",
        decision=GRANTED,
    )


def url(case: Case, answer: str) -> str:
    return reverse("track_feedback", args=[case.tracking_code, answer])


def state(case: Case) -> tuple[str, str, int]:
    fresh = Case.objects.get(pk=case.pk)
    return fresh.status, fresh.feedback, fresh.last_event_seq


@pytest.mark.parametrize(
    ("answer", "checked"), [("satisfied", "satisfied"), ("not-resolved", "not_resolved")]
)
def test_opening_the_link_shows_the_question_and_changes_nothing(client, city, answer, checked):
    case = resolved(city)
    before = state(case)
    for _twice in range(2):
        response = client.get(url(case, answer))
        assert response.status_code == 200
    html = response.content.decode()
    assert case.number in html
    assert "Groapa a fost astupată." in html
    assert response.context["form"]["answer"].value() == checked
    assert re.search(f'value="{checked}"[^>]* checked', html)
    assert state(case) == before


def test_the_comment_label_fits_the_answer(client, city):
    case = resolved(city)
    not_solved = client.get(url(case, "not-resolved")).content.decode()
    assert _ro("What is still wrong? (optional)") in not_solved
    solved = client.get(url(case, "satisfied")).content.decode()
    assert _ro("Anything else you want to tell us? (optional)") in solved


def test_sending_yes_closes_the_case(client, city):
    case = resolved(city)
    response = client.post(url(case, "satisfied"), {"answer": "satisfied", "comment": "Bravo"})
    assert response.status_code == 200
    assert response.context["outcome"] == "closed"
    assert state(case)[:2] == ("closed", "satisfied")
    assert Case.objects.get(pk=case.pk).events.get(kind="feedback").text == "Bravo"


def test_sending_no_reopens_the_case_and_says_so(client, city):
    case = resolved(city)
    response = client.post(
        url(case, "not-resolved"), {"answer": "not_resolved", "comment": "E tot acolo."}
    )
    assert response.status_code == 200
    assert response.context["outcome"] == "reopened"
    assert state(case)[:2] == ("in_progress", "")
    assert Case.objects.get(pk=case.pk).events.get(kind="reopened").text == "E tot acolo."


def test_sending_no_in_a_flagged_category_passes_it_to_a_supervisor(client, city):
    city.pothole.when_not_resolved = WhenNotResolved.FLAG
    city.pothole.save()
    case = resolved(city)
    response = client.post(url(case, "not-resolved"), {"answer": "not_resolved"})
    assert response.context["outcome"] == "flagged"
    assert state(case)[:2] == ("resolved", "not_resolved")
    track = client.get(reverse("track", args=[case.tracking_code])).content.decode()
    assert (
        _ro("You told us the problem is not solved; a supervisor is looking into it again.")
        in track
    )


def test_the_answer_sent_counts_not_the_link_opened(client, city):
    case = resolved(city)
    client.post(url(case, "satisfied"), {"answer": "not_resolved"})
    assert state(case)[0] == "in_progress"


def test_a_second_answer_is_refused_and_nothing_changes(client, city):
    case = resolved(city)
    client.post(url(case, "satisfied"), {"answer": "satisfied"})
    after_first = state(case)
    response = client.post(url(case, "not-resolved"), {"answer": "not_resolved", "comment": "x"})
    assert response.status_code == 409
    assert response.context["reason"] == _ro(
        "The answer about case %(number)s has already been recorded."
    ) % {"number": case.number}
    assert state(case) == after_first
    # Opening the mail's link again only says so.
    again = client.get(url(case, "satisfied"))
    assert again.status_code == 200
    assert "form" not in again.context
    assert state(case) == after_first


def test_a_case_that_is_not_resolved_does_not_ask(client, city):
    case = city.report()
    before = state(case)
    response = client.get(url(case, "satisfied"))
    assert response.status_code == 200
    assert "form" not in response.context
    assert _ro("Registered; it will be sent to the department responsible.") in (
        response.content.decode()
    )
    assert client.post(url(case, "satisfied"), {"answer": "satisfied"}).status_code == 409
    assert state(case) == before


def test_an_answer_is_required_and_the_comment_is_bounded(client, city):
    case = resolved(city)
    before = state(case)
    response = client.post(url(case, "satisfied"), {"comment": "fără răspuns"})
    assert response.status_code == 200
    assert response.context["form"].errors["answer"] == [_ro("Choose yes or no.")]
    too_long = client.post(url(case, "satisfied"), {"answer": "satisfied", "comment": "a" * 2001})
    assert "comment" in too_long.context["form"].errors
    assert state(case) == before


def test_unknown_code_or_answer_is_404(client, city):
    case = resolved(city)
    assert (
        client.get(reverse("track_feedback", args=["ZZZZZZZZZZ", "satisfied"])).status_code == 404
    )
    assert client.get(url(case, "maybe")).status_code == 404
    assert client.post(url(case, "maybe"), {"answer": "satisfied"}).status_code == 404
    assert state(case)[:2] == ("resolved", "")


def test_lower_case_code_works(client, city):
    case = resolved(city)
    link = reverse("track_feedback", args=[case.tracking_code.lower(), "satisfied"])
    assert client.get(link).status_code == 200


def test_the_form_needs_its_csrf_token(city):
    case = resolved(city)
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url(case, "satisfied"), {"answer": "satisfied"}).status_code == 403
    assert state(case)[:2] == ("resolved", "")


def test_guessing_codes_is_rate_limited(client, db):
    link = reverse("track_feedback", args=["AAAAAAAA00", "satisfied"])
    statuses = [client.get(link).status_code for _n in range(21)]
    assert statuses[:20] == [404] * 20
    assert statuses[20] == 429


def test_the_tracking_page_asks_while_the_answer_is_awaited(client, city):
    case = resolved(city)
    track = reverse("track", args=[case.tracking_code])
    html = client.get(track).content.decode()
    assert _ro("Is your problem solved?") in html
    assert f'action="{url(case, "satisfied")}"' in html
    assert f'formaction="{url(case, "not-resolved")}"' in html
    # Its "no" button sends the comment typed beside it.
    response = client.post(url(case, "not-resolved"), {"answer": "not_resolved", "comment": "Nu"})
    assert response.context["outcome"] == "reopened"
    assert _ro("Is your problem solved?") not in client.get(track).content.decode()


def test_the_tracking_page_of_an_open_case_does_not_ask(client, city):
    case = city.report()
    html = client.get(reverse("track", args=[case.tracking_code])).content.decode()
    assert _ro("Is your problem solved?") not in html


def test_the_page_a_link_opens_asks_to_confirm_the_answer_clicked(client, city):
    case = resolved(city)
    response = client.get(url(case, "not-resolved"))
    html = response.content.decode()
    assert (
        _ro(
            "We chose the answer you clicked in our email. Check it, add a comment if you wish, "
            "and confirm it: it is recorded only then."
        )
        in html
    )
    assert re.search(r'value="not_resolved"[^>]* checked', html)
    assert not re.search(r'value="satisfied"[^>]* checked', html)
    assert _ro("Confirm my answer") in html
