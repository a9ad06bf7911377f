"""Registering and working cases through the API: the same services, events and refusals as
the console."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from cetate.cases.choices import EventKind
from cetate.cases.models import Case
from cetate.cases.workflow import Status
from cetate.contacts.models import Contact
from cetate.test import INSIDE, OUTSIDE
from tests.cases.files import png

pytestmark = pytest.mark.django_db


def post(client, path, data=None):
    return client.post(f"/api/v1/{path}", data or {}, format="json")


def act(client, case, action, **data):
    return post(client, f"cases/{case.pk}/actions/{action}/", data)


def kinds(case):
    """What happened to the case, the notifications to the resident (and the answer's exit
    they record) aside."""
    events = case.events.exclude(
        kind__in=[EventKind.NOTIFICATION_SENT, EventKind.ANSWER_SENT]
    ).order_by("seq")
    return list(events.values_list("kind", flat=True))


def test_a_dispatcher_registers_a_report_with_its_resident(api, city):
    response = post(
        api(city.dispatcher),
        "cases/",
        {
            "kind": "report",
            "description": "Stâlp stins pe strada Mare",
            "category": city.lamp.pk,
            "answers": {"pole": "A-17"},
            "reporter": {"name": "Maria Ionescu", "phone": "0744 555 666"},
            **INSIDE,
            "route_now": True,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert body["number"] == case.number
    assert body["channel"] == "api" == case.channel
    assert body["status"] == "assigned"
    assert body["department"] == city.lighting.pk
    assert body["answers"] == {"pole": "A-17"}
    assert case.entered_by == city.dispatcher
    assert case.reporter.phone == "+40744555666"
    assert kinds(case) == [EventKind.CREATED, EventKind.STATUS_CHANGED]
    assert body["last_event_seq"] == 2


def test_a_phone_that_cannot_be_checked_is_kept_as_typed(api, city):
    client = api(city.dispatcher)
    response = post(
        client,
        "cases/",
        {
            "kind": "report",
            "description": "Stâlp stins pe strada Mare",
            "category": city.pothole.pk,
            "reporter": {"name": "John Smith", "phone": "+1 555 0100"},
            **INSIDE,
        },
    )
    assert response.status_code == 201, response.json()
    reporter = Case.objects.get(pk=response.json()["id"]).reporter
    contact = client.get(f"/api/v1/contacts/{reporter.pk}/").json()
    assert (contact["phone"], contact["phone_as_typed"]) == ("", "+1 555 0100")


def test_a_resident_joins_a_known_contact_only_when_the_caller_checked_them(api, city):
    body = {
        "kind": "request",
        "description": "Adeverință",
        "reporter": {"name": "Ion Popescu", "email": "ION@example.org"},
    }
    unchecked = post(api(city.clerk), "cases/", body)
    assert unchecked.status_code == 201, unchecked.json()
    assert unchecked.json()["reporter"] != city.resident.pk
    assert Contact.objects.count() == 2
    checked = post(api(city.clerk), "cases/", {**body, "contact": city.resident.pk})
    assert checked.status_code == 201, checked.json()
    assert checked.json()["reporter"] == city.resident.pk
    assert Contact.objects.count() == 2
    assert EventKind.IDENTITY_CHECKED in kinds(Case.objects.get(pk=checked.json()["id"]))


def test_an_anonymous_petition_is_refused_and_burns_no_number(api, city):
    response = post(
        api(city.dispatcher),
        "cases/",
        {"kind": "complaint", "description": "Anonim", "category": city.noise.pk},
    )
    assert response.status_code == 400
    errors = {e["field"]: e for e in response.json()["errors"]}
    assert set(errors) == {"reporter.name", "reporter.email"}
    assert {e["code"] for e in errors.values()} == {"required"}
    assert "OG 27/2002 art. 7" in errors["reporter.name"]["message"]
    assert "phone number alone is not enough" in errors["reporter.email"]["message"]
    assert not Case.objects.exists()


def test_a_request_with_only_a_phone_is_refused_on_the_address_field_in_romanian(api, city):
    response = api(city.clerk).post(
        "/api/v1/cases/",
        {
            "kind": "request",
            "description": "Adeverință de rol fiscal",
            "reporter": {"name": "Ana Pop", "phone": "0744 000 111", "preferred_channel": "post"},
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="ro",
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("reporter.postal_address", "required")
    assert "Un număr de telefon nu este suficient" in error["message"]
    assert not Case.objects.exists()


def test_an_organisation_asks_for_public_information_with_its_email(api, city):
    response = post(
        api(city.clerk),
        "cases/",
        {
            "kind": "information",
            "description": "Contractele de iluminat din 2025",
            "reporter": {"kind": "organisation", "name": "Asociația X", "email": "x@example.org"},
        },
    )
    assert response.status_code == 201, response.json()
    assert Case.objects.get().reporter.kind == "organisation"


def test_a_complaint_of_a_checked_known_contact_needs_nothing_more(api, city):
    body = {"kind": "complaint", "description": "Zgomot", "contact": city.resident.pk}
    assert post(api(city.clerk), "cases/", body).status_code == 201


def test_validation_errors_name_each_field(api, city):
    response = post(
        api(city.dispatcher),
        "cases/",
        {
            "kind": "petition",
            "category": 999999,
            "latitude": 200,
            "reporter": {"email": "not-an-email"},
        },
    )
    assert response.status_code == 400
    errors = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert errors == {
        ("kind", "invalid_choice"),
        ("description", "required"),
        ("category", "does_not_exist"),
        ("latitude", "max_value"),
        ("reporter.email", "invalid"),
    }


def test_a_point_outside_the_city_is_refused(api, city):
    response = post(
        api(city.dispatcher),
        "cases/",
        {"kind": "report", "description": "x", "category": city.pothole.pk, **OUTSIDE},
    )
    assert response.status_code == 400
    assert "outside" in response.json()["errors"][0]["message"]


def test_wrong_answers_are_reported_per_question(api, city):
    response = post(
        api(city.dispatcher),
        "cases/",
        {
            "kind": "report",
            "description": "x",
            "category": city.lamp.pk,
            "reporter": {"email": "a@example.org"},
            "answers": {"colour": "red"},
        },
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["answers.colour"]


def test_messages_follow_the_language_asked_for(api, city):
    response = api(city.dispatcher).post(
        "/api/v1/cases/", {}, format="json", HTTP_ACCEPT_LANGUAGE="ro"
    )
    with translation.override("ro"):
        required = translation.gettext("This field is required.")
    assert required != "This field is required."
    assert response.json()["errors"][0]["message"] == required


def test_a_case_is_worked_from_routing_to_closing(api, city):
    case = city.report()
    dispatcher, officer = api(city.dispatcher), api(city.officer)

    routed = act(dispatcher, case, "assign", department=city.technical.pk, note="Urgent")
    assert routed.status_code == 200, routed.json()
    assert routed.json()["status"] == "assigned"
    assert act(officer, case, "accept").json()["assignee"] == {
        "id": city.officer.pk,
        "name": str(city.officer),
    }
    assert act(officer, case, "start").json()["status"] == "in_progress"
    note = act(officer, case, "note", text="Echipa merge mâine")
    assert note.status_code == 201
    assert note.json()["kind"] == "note"
    assert note.json()["public"] is False
    assert act(
        officer,
        case,
        "resolve",
        text="Groapa a fost astupată.",
        outcome="granted",
        legal_basis="og27-granted",
    ).json()["status"] == ("resolved")
    closed = act(officer, case, "close")
    assert closed.json()["status"] == "closed"

    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.answer == "Groapa a fost astupată."
    assert kinds(case) == [
        EventKind.CREATED,
        EventKind.STATUS_CHANGED,
        EventKind.ASSIGNED,
        EventKind.STATUS_CHANGED,
        EventKind.ACCEPTED,
        EventKind.STATUS_CHANGED,
        EventKind.NOTE,
        EventKind.STATUS_CHANGED,
        EventKind.STATUS_CHANGED,
    ]
    actors = set(case.events.exclude(actor=None).values_list("actor", flat=True))
    assert actors == {city.dispatcher.pk, city.officer.pk}


def test_events_list_the_history_in_order_with_internal_ones_for_staff(api, city):
    case = city.report()
    act(api(city.dispatcher), case, "note", text="Intern")
    response = api(city.dispatcher).get(f"/api/v1/cases/{case.pk}/events/")
    assert [e["kind"] for e in response.json()] == ["created", "note"]
    assert response.json()[1]["actor"]["id"] == city.dispatcher.pk
    public = api(city.dispatcher).get(f"/api/v1/cases/{case.pk}/events/?public=true")
    assert [e["kind"] for e in public.json()] == ["created"]
    later = api(city.dispatcher).get(f"/api/v1/cases/{case.pk}/events/?after=1")
    assert [e["seq"] for e in later.json()] == [2]


def test_a_change_made_meanwhile_is_refused_with_409(api, city):
    case = city.report()
    seen = api(city.dispatcher).get(f"/api/v1/cases/{case.pk}/").json()["last_event_seq"]
    act(api(city.supervisor), case, "note", text="Am sunat rezidentul")
    response = act(api(city.dispatcher), case, "assign", department=city.technical.pk, seen=seen)
    assert response.status_code == 409
    [error] = response.json()["errors"]
    assert error["code"] == "stale"
    assert "changed by supervizor" in error["message"]
    case.refresh_from_db()
    assert case.status == Status.NEW
    fresh = act(
        api(city.dispatcher),
        case,
        "assign",
        department=city.technical.pk,
        seen=case.last_event_seq,
    )
    assert fresh.status_code == 200


def test_a_role_the_transition_table_does_not_allow_gets_403(api, city):
    case = city.report()
    act(api(city.dispatcher), case, "assign", department=city.technical.pk)
    response = act(api(city.officer), case, "reject", text="Nu e de competența noastră")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "not_allowed"


def test_an_impossible_transition_gets_400(api, city):
    case = city.report()
    response = act(api(city.dispatcher), case, "close")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "refused"


def test_a_required_text_is_asked_for_by_name(api, city):
    case = city.report()
    response = act(api(city.dispatcher), case, "reject")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "text", "code": "required", "message": "This field is required."}
    ]


def test_redirect_merge_and_reopen(api, city):
    first, second = city.report(), city.report()
    dispatcher = api(city.dispatcher)
    merged = act(dispatcher, second, "merge", into=first.pk, reason="Aceeași groapă")
    assert merged.json()["status"] == "merged"
    assert merged.json()["merged_into"] == first.pk
    redirected = act(dispatcher, first, "redirect", to=city.water_operator.pk, reason="Apă")
    assert redirected.json()["status"] == "redirected"
    assert redirected.json()["redirected_to"] == city.water_operator.pk
    third = city.report()
    act(dispatcher, third, "assign", department=city.technical.pk)
    act(api(city.officer), third, "start")
    act(
        api(city.officer),
        third,
        "resolve",
        text="Rezolvat",
        outcome="granted",
        legal_basis="og27-granted",
    )
    reopened = act(api(city.head), third, "reopen", reason="Nu e rezolvat")
    assert reopened.json()["status"] == "in_progress"


def test_merging_into_a_case_the_user_cannot_see_is_refused_as_unknown(api, city):
    mine = city.report()
    act(api(city.dispatcher), mine, "assign", department=city.technical.pk)
    other = city.report(category=city.lamp, answers={"pole": "3"})
    act(api(city.dispatcher), other, "assign", department=city.lighting.pk)
    response = act(api(city.head), mine, "merge", into=other.pk)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "into"


def test_another_residents_case_is_linked_not_merged(api, city):
    neighbour = Contact.objects.create(name="Maria Vecina", email="maria@example.org")
    ion, maria = city.report(), city.report(reporter=neighbour)
    dispatcher = api(city.dispatcher)

    refused = act(dispatcher, maria, "merge", into=ion.pk)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "refused"
    assert "same petitioner" in refused.json()["errors"][0]["message"]

    linked = act(dispatcher, maria, "link", other=ion.pk, reason="Aceeași groapă")
    assert linked.status_code == 200
    assert linked.json()["linked_cases"] == [ion.pk]
    assert dispatcher.get(f"/api/v1/cases/{ion.pk}/").json()["linked_cases"] == [maria.pk]
    assert kinds(ion)[-1] == EventKind.LINKED
    again = act(dispatcher, ion, "link", other=maria.pk)
    assert again.status_code == 400

    unlinked = act(dispatcher, ion, "unlink", other=maria.pk)
    assert unlinked.status_code == 200
    assert unlinked.json()["linked_cases"] == []
    assert kinds(maria)[-1] == EventKind.UNLINKED


def test_linking_a_case_the_user_cannot_see_is_refused_as_unknown(api, city):
    mine = city.report()
    act(api(city.dispatcher), mine, "assign", department=city.technical.pk)
    other = city.report(category=city.lamp, answers={"pole": "3"})
    response = act(api(city.officer), mine, "link", other=other.pk)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "other"


def test_one_answer_resolves_the_linked_cases_each_on_its_own(api, city):
    neighbour = Contact.objects.create(name="Maria Vecina", email="maria@example.org")
    ion, maria, queued = city.report(), city.report(reporter=neighbour), city.report()
    dispatcher, officer = api(city.dispatcher), api(city.officer)
    for case in (ion, maria, queued):
        act(dispatcher, case, "assign", department=city.technical.pk)
    for case in (maria, queued):
        act(dispatcher, ion, "link", other=case.pk)
    for case in (ion, maria):
        act(officer, case, "start")
    # Answered already, straight from the queue: the shared answer cannot resolve it again.
    act(officer, queued, "resolve", text="Deja.", outcome="granted", legal_basis="og27-granted")
    assert Case.objects.get(pk=queued.pk).status == "resolved"
    hidden = city.report()  # not routed: the officer cannot see it

    named_hidden = act(
        officer,
        ion,
        "resolve",
        text="Astupată.",
        linked_cases=[hidden.pk],
        outcome="granted",
        legal_basis="og27-granted",
    )
    assert named_hidden.json()["errors"][0]["field"] == "linked_cases"
    assert Case.objects.get(pk=ion.pk).status == "in_progress"
    resolved = act(
        officer,
        ion,
        "resolve",
        text="Astupată.",
        linked_cases=[maria.pk, queued.pk],
        outcome="granted",
        legal_basis="og27-granted",
    )

    assert resolved.status_code == 200
    body = resolved.json()
    assert body["status"] == "resolved"
    outcomes = {o["case_id"]: o for o in body["linked_outcomes"]}
    assert outcomes[maria.pk]["done"] is True
    assert outcomes[queued.pk]["done"] is False
    assert "not possible" in outcomes[queued.pk]["reason"]
    assert Case.objects.get(pk=maria.pk).answer == "Astupată."


def test_corrections_extension_and_relocation(api, city):
    case = city.report()
    dispatcher = api(city.dispatcher)
    corrected = act(dispatcher, case, "correct", priority=4, title="Groapă mare")
    assert corrected.json()["priority"] == 4
    moved = act(dispatcher, case, "relocate", latitude=46.02, longitude=23.52, address="Str. 1")
    assert moved.json()["area"] == city.centre.pk
    act(dispatcher, case, "assign", department=city.technical.pk)
    extended = act(api(city.head), case, "extend-deadline", days=15, notice="Avem nevoie")
    assert extended.status_code == 200, extended.json()
    assert extended.json()["legal_extended_days"] == 15


def test_a_document_is_attached_by_multipart_upload(api, city):
    case = city.report()
    upload = SimpleUploadedFile("plan.png", png(), content_type="image/png")
    response = api(city.dispatcher).post(
        f"/api/v1/cases/{case.pk}/actions/attach/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["content_type"] == "image/png"
    assert kinds(case)[-1] == EventKind.ATTACHMENT


def test_a_question_is_answered_on_the_spot(api, city):
    response = post(
        api(city.dispatcher),
        "cases/",
        {"kind": "inquiry", "description": "Program?", "answer_on_spot": "8-16"},
    )
    assert response.status_code == 201
    assert response.json()["status"] == "closed"
