"""Every public form of the portal sent arbitrary values: an answer for each, never a server
error. Each field gets text of any kind (control characters, other scripts, NUL) or a value a
real form would send, so that the steps behind the first check are reached too.

Examples per form are few and drawn the same way on every run, so that the whole module stays
within about half a minute and a failure repeats.
"""

from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import caches
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from cetate.cases import services
from cetate.cases.workflow import Action
from cetate.directory.question_fields import ANSWER_PREFIX
from cetate.test import GRANTED, INSIDE

EXAMPLES = examples(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
ANY_TEXT = st.text(max_size=80)


def field(*real: str) -> st.SearchStrategy[str]:
    """Arbitrary text, or one of the values a real page sends."""
    return st.one_of(ANY_TEXT, st.sampled_from(real)) if real else ANY_TEXT


def form(**fields: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, str]]:
    """The fields, some of them left out, as a browser or a program may send them."""
    return st.fixed_dictionaries({}, optional=fields)


@st.composite
def changed(
    draw: st.DrawFn, /, sent: dict[str, str], **others: st.SearchStrategy[str]
) -> dict[str, str]:
    """The form a real page sends, with a few of its fields changed or left out: each
    arbitrary value then meets the checks behind the first ones, up to registration."""
    data = dict(sent)
    names = sorted(set(sent) | set(others))
    for name in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
        value = draw(st.one_of(st.none(), others.get(name, ANY_TEXT), ANY_TEXT))
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def fresh_limits() -> None:
    """Rate limits would soon answer 429 to everything; each example starts without counts."""
    for alias in settings.CACHES:
        caches[alias].clear()


def answered(response) -> None:
    assert response.status_code < 500, response.content[:2000]


@pytest.fixture
def resolved(city):
    """A case of the demo's resident, answered, so that feedback can be given on it."""
    case = city.report()
    services.assign(case_id=case.pk, actor=city.dispatcher, department=city.technical)
    services.change_status(case_id=case.pk, actor=city.officer, action=Action.START)
    services.change_status(
        case_id=case.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Astupată.",
        decision=GRANTED,
    )
    return case


def test_the_report_form(client, city):
    sent = {
        "kind": "report",
        "category": str(city.pothole.pk),
        "description": "Groapă mare în fața școlii",
        "latitude": str(INSIDE["latitude"]),
        "longitude": str(INSIDE["longitude"]),
        "address": "Strada Mihai Viteazu 12",
        "name": "Ana Pop",
        "email": "ana@example.org",
        "phone": "0744 123 456",
        "answer_channel": "email",
        "step": "send_anyway",
    }
    registered = []

    @given(
        data=changed(
            sent,
            kind=field("request", "complaint", "information", "proposal", "inquiry"),
            category=field(str(city.lamp.pk), "", "-1", "1e9"),
            latitude=field("", "nan", "inf", "91"),
            longitude=field("", "-inf"),
            street=field("Unirii"),
            phone=field("+1 555 0100"),
            postal_address=field("Str. Unirii 3"),
            answer_channel=field("post", "phone", "desk"),
            step=field("send", "find_address"),
            nearby_shown=field("on", "True"),
            use_photo_location=field("on"),
            homepage=field("http://spam.example"),
            **{ANSWER_PREFIX + "pole": field("A-17")},
        )
    )
    @EXAMPLES
    def sends(data: dict[str, str]) -> None:
        fresh_limits()
        response = client.post("/report/", data)
        answered(response)
        registered.append(response.status_code == 302)

    sends()
    # The examples reach registration, not only the form's first checks.
    assert any(registered)


def test_the_report_forms_helpers(client, city):
    @given(
        query=form(category=field(str(city.lamp.pk)), latitude=field("46.07"), longitude=ANY_TEXT)
    )
    @EXAMPLES
    def asks(query: dict[str, str]) -> None:
        fresh_limits()
        answered(client.get("/report/", query))
        answered(client.get("/report/questions/", query))
        answered(client.get("/report/place/", query))

    asks()


def test_tracking_a_case(client, city):
    real = city.report().tracking_code

    @given(code=field(real, real.lower(), f" {real[:5]} {real[5:]} ", "a/b"))
    @EXAMPLES
    def follows(code: str) -> None:
        fresh_limits()
        answered(client.get("/t/", {"code": code}))
        answered(client.get("/t/" + quote(code, safe="")))

    follows()


def test_feedback_and_news_choices(client, resolved):
    code = resolved.tracking_code

    @given(
        code=field(code),
        answer=field("satisfied", "not-resolved"),
        choice=field("stop", "restart"),
        data=form(answer=field("satisfied", "not_resolved"), comment=ANY_TEXT),
    )
    @EXAMPLES
    def answers(code: str, answer: str, choice: str, data: dict[str, str]) -> None:
        fresh_limits()
        feedback = f"/t/{quote(code, safe='')}/feedback/{quote(answer, safe='')}/"
        answered(client.get(feedback))
        answered(client.post(feedback, data))
        answered(client.post(f"/t/{quote(code, safe='')}/updates/{quote(choice, safe='')}/"))

    answers()


def test_following_a_case(client, city):
    case = city.report(reporter=None)

    @given(
        code=field(case.tracking_code),
        pk=field(str(case.pk), "0", "99999999999999999999"),
        token=ANY_TEXT,
        data=form(email=field("vecin@example.org")),
    )
    @EXAMPLES
    def follows(code: str, pk: str, token: str, data: dict[str, str]) -> None:
        fresh_limits()
        answered(client.post(f"/t/{quote(code, safe='')}/follow/", data))
        answered(client.post(f"/follow/{quote(pk, safe='')}/", data))
        for page in ("/follow/confirm/", "/follow/stop/"):
            answered(client.get(f"{page}{quote(token, safe='')}/"))
            answered(client.post(f"{page}{quote(token, safe='')}/"))

    follows()


def test_signing_in(client, city):
    @given(
        data=form(email=field("ana@example.org"), username=field("demo"), password=ANY_TEXT),
        token=ANY_TEXT,
    )
    @EXAMPLES
    def signs_in(data: dict[str, str], token: str) -> None:
        fresh_limits()
        answered(client.post("/account/sign-in/", data))
        answered(client.get(f"/account/sign-in/{quote(token, safe='')}/"))
        answered(client.post(f"/account/sign-in/{quote(token, safe='')}/"))
        answered(client.post("/login/", data))

    signs_in()


def test_the_public_map_and_list(client, city):
    city.report()

    @given(
        query=form(
            category=field(str(city.pothole.pk)),
            status=field("open", "closed"),
            period=field("week", "month", "year"),
            bbox=field("23.5,46.0,23.7,46.1", "1,2,3"),
            zoom=field("14", "-1", "99"),
            near=field("46.07,23.58"),
            page=field("1", "2", "0", "last"),
        )
    )
    @EXAMPLES
    def looks(query: dict[str, str]) -> None:
        fresh_limits()
        for page in ("/map/", "/map/data/", "/map/list/"):
            answered(client.get(page, query))

    looks()
