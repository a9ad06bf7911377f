"""What Open311 shows without a key, and what a key with the full read scope reads (logged).

Anonymous GeoReport v2 readers once received residents' descriptions, house numbers,
complaints, inquiries, cancelled and rejected cases, and the city's messages to residents.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cetate.cases import services
from cetate.cases.choices import Kind
from cetate.cases.models import Case
from cetate.cases.workflow import Action
from cetate.open311.keys import create_key
from cetate.open311.models import ApiKey, PrivilegedRead
from cetate.test import GRANTED
from tests.open311.test_keys import run

from .conftest import BASE, json_of, validate, xml_of

EXACT = {"latitude": 46.0712347, "longitude": 23.5812349}
DESCRIPTION = "Groapă în fața casei mele, sunați la 0744 123 456"
MESSAGE = "Echipa vine mâine la dumneavoastră acasă."


def get(client, path: str, params: dict[str, str] | None = None):
    return client.get(BASE + path, params or {}, HTTP_ACCEPT_LANGUAGE="en")


def rid(case: Case) -> str:
    return f"{case.registration_year}-{case.registration_number}"


@pytest.fixture
def register(city):
    """A public pothole report (its category shows no text), a message and an answer to its
    resident; and a complaint, a request, an inquiry, a cancelled and a rejected report."""
    public = city.report(description=DESCRIPTION, address="Str. Cloșca nr. 3, ap. 2", **EXACT)
    services.message_resident(case_id=public.pk, actor=city.dispatcher, text=MESSAGE)
    services.assign(case_id=public.pk, actor=city.dispatcher, department=city.technical)
    services.change_status(case_id=public.pk, actor=city.officer, action=Action.START)
    services.change_status(
        case_id=public.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Răspunsul pentru Ion.",
        decision=GRANTED,
    )
    private = [
        city.report(kind=Kind.COMPLAINT, description="Reclamația lui Ion"),
        city.report(kind=Kind.REQUEST, description="Cererea lui Ion"),
        city.report(kind=Kind.INQUIRY, description="Întrebarea lui Ion"),
    ]
    cancelled = city.report(description="Raport anulat")
    services.cancel_registration(case_id=cancelled.pk, actor=city.dispatcher, reason="Dublură")
    rejected = city.report(description="Raport respins")
    services.change_status(
        case_id=rejected.pk, actor=city.dispatcher, action=Action.REJECT, text="Inadmisibil"
    )
    return public, [*private, cancelled, rejected]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("extensions", ["false", "true"])
def test_anyone_reads_only_what_the_public_may_see(client, register, fmt, extensions):
    public, private = register
    for path in ("requests", f"requests/{rid(public)}"):
        response = get(client, f"{path}.{fmt}", {"extensions": extensions})
        body = response.content.decode()
        if fmt == "json":
            [item] = json_of(response)
            validate([item], "requests.json")
            shown = item["service_request_id"]
            assert item["description"] is None
            assert item["address"] == "Str. Cloșca"
            assert item["status_notes"] == "Answered."
        else:
            [shown] = [r.findtext("service_request_id") for r in xml_of(response)]
        assert shown == rid(public)
        for secret in (
            DESCRIPTION,
            "0744 123 456",
            "nr. 3",
            "ap. 2",
            MESSAGE,
            "Răspunsul pentru Ion",
            "46.0712347",
            "23.5812349",
            public.tracking_code,
        ):
            assert secret not in body
    for case in private:
        response = get(client, f"requests/{rid(case)}.{fmt}", {"extensions": extensions})
        assert response.status_code == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_update_feed_tells_the_public_plain_status_words(client, register, fmt):
    public, private = register
    body = get(client, f"servicerequestupdates.{fmt}").content.decode()
    assert rid(public) in body
    assert "The department is working on it." in body
    assert MESSAGE not in body and "Răspunsul pentru Ion" not in body
    for case in private:
        assert rid(case) not in body


def test_a_key_without_the_scope_reads_others_cases_as_the_public(client, register):
    public, _private = register
    _key, raw = create_key("Aplicația cartierului")
    [item] = json_of(get(client, f"requests/{rid(public)}.json", {"api_key": raw}))
    assert item["description"] is None
    assert (item["lat"], item["long"]) != (EXACT["latitude"], EXACT["longitude"])
    assert not PrivilegedRead.objects.exists()


def test_a_key_with_the_full_read_scope_reads_more_and_each_read_is_logged(client, register):
    public, private = register
    key, raw = create_key("Dispeceratul județean", read_scope="full")
    response = get(client, "requests.json", {"api_key": raw, "extensions": "true"})
    [item] = json_of(response)
    assert item["description"] == DESCRIPTION
    assert (item["lat"], item["long"]) == (EXACT["latitude"], EXACT["longitude"])
    assert item["address"] == "Str. Cloșca nr. 3, ap. 2"
    assert MESSAGE in [note["description"] for note in item["notes"]]
    # More detail, not more cases: complaints and the like stay the residents' own.
    assert {rid(case) for case in private}.isdisjoint(response.content.decode().split('"'))
    [read] = PrivilegedRead.objects.all()
    assert (read.api_key, read.cases, read.case_count) == (key, [rid(public)], 1)
    assert read.path.startswith("/open311/v2/requests.json")

    feed = get(client, "servicerequestupdates.xml", {"api_key": raw})
    assert MESSAGE in feed.content.decode()
    assert PrivilegedRead.objects.count() == 2


def test_the_scope_is_granted_by_command_and_in_the_admin(client, city, register):
    public, _private = register
    raw = run("create", "Utilități", "--read-scope", "full").strip()
    assert ApiKey.objects.get(name="Utilități").reads_in_full
    assert "reads full" in run("list")
    run("scope", "Utilități", "--read-scope", "public")
    [item] = json_of(get(client, f"requests/{rid(public)}.json", {"api_key": raw}))
    assert item["description"] is None

    key = ApiKey.objects.get(name="Utilități")
    client.force_login(city.admin)
    page = client.get(reverse("admin:open311_apikey_change", args=[key.pk])).content.decode()
    assert 'name="read_scope"' in page
    run("scope", "Utilități", "--read-scope", "full")
    get(client, f"requests/{rid(public)}.json", {"api_key": raw})
    read = PrivilegedRead.objects.get()
    listing = client.get(reverse("admin:open311_privilegedread_changelist")).content.decode()
    assert "Utilități" in listing
    detail = client.get(reverse("admin:open311_privilegedread_change", args=[read.pk]))
    assert detail.status_code == 200
    assert 'name="path"' not in detail.content.decode()  # read-only
