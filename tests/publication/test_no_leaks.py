"""Nothing private leaves through a public surface: seeded with private cases (complaints,
cancelled and rejected reports, a sensitive category, a public category that shows no text,
messages and answers to the resident, contact data, exact coordinates, tracking codes), every
public response is searched for them and none is found."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cetate.cases import services
from cetate.cases.choices import Kind
from cetate.cases.models import Case, Event
from cetate.cases.workflow import Action
from cetate.contacts.services import create_contact
from cetate.test import GRANTED
from cetate.webhooks.payload import payload
from tests.publication.seeding import configure

CITY_BOX = "23.4,45.9,23.7,46.2"
NAME = "Maria Ionescu-Secretă"
EMAIL = "maria.secret@example.org"
PHONES = ["0722 987 654", "+40722987654", "722987654", "0744 123 456", "744123456"]
# Exact places, each a few metres from any line of the public grid's.
PLACES = [
    {"latitude": 46.0612347, "longitude": 23.5723461},
    {"latitude": 46.0623419, "longitude": 23.5734512},
    {"latitude": 46.0634521, "longitude": 23.5745623},
    {"latitude": 46.0645632, "longitude": 23.5756734},
    {"latitude": 46.0656743, "longitude": 23.5767845},
    {"latitude": 46.0667854, "longitude": 23.5778956},
]


def coordinate_texts(value: float) -> list[str]:
    return [f"{value:.7f}", f"{value:.6f}", f"{value:.5f}", f"{value:.4f}".rstrip("0")]


@pytest.fixture
def seeded(city):
    """Private cases of every sort, and two public ones whose private parts must stay hidden."""
    maria = create_contact(name=NAME, email=EMAIL, phone="0722 987 654")
    secrets: list[str] = [NAME, "Ionescu", EMAIL, *PHONES, "1850101012345"]
    configure(city.pothole, "public, rounded, no text")
    configure(city.lamp, "public, exact, description masked")
    configure(city.noise, "sensitive")
    made: list[Case] = []

    def report(text: str, place: dict[str, float], **fields) -> Case:
        fields.setdefault("reporter", maria)
        case = city.report(
            description=text, address="Str. Ascunsă nr. 13, ap. 4", **place, **fields
        )
        made.append(case)
        secrets.append(text)
        secrets.extend(coordinate_texts(place["latitude"]) + coordinate_texts(place["longitude"]))
        return case

    report("Reclamație: vecinul Gheorghe", PLACES[0], kind=Kind.COMPLAINT)
    cancelled = report("Raport anulat, sunați 0744 123 456", PLACES[1])
    services.cancel_registration(case_id=cancelled.pk, actor=city.dispatcher, reason="Dublură.")
    rejected = report("Raport respins de la scara B", PLACES[2])
    services.change_status(
        case_id=rejected.pk, actor=city.dispatcher, action=Action.REJECT, text="Inadmisibil."
    )
    report("Zgomot de la etajul 3, CNP 1850101012345", PLACES[3], category=city.noise)
    # Public, but its words and its exact place are not.
    rounded = report("Groapă în fața casei mele", PLACES[4])
    for text in ("Echipa vine mâine la dumneavoastră.", "Vă rugăm să ne trimiteți o poză."):
        services.message_resident(case_id=rounded.pk, actor=city.dispatcher, text=text)
        secrets.append(text)
    services.assign(case_id=rounded.pk, actor=city.dispatcher, department=city.technical)
    services.change_status(case_id=rounded.pk, actor=city.officer, action=Action.START)
    services.change_status(
        case_id=rounded.pk,
        actor=city.officer,
        action=Action.RESOLVE,
        text="Răspuns pentru Maria.",
        decision=GRANTED,
    )
    secrets.append("Răspuns pentru Maria.")
    # Public with its description shown, contact data masked; its exact place is public.
    lamp = city.report(
        category=city.lamp,
        reporter=maria,
        description=f"Stâlp stins. {NAME}, {EMAIL}, 0722 987 654, CNP 1850101012345",
        address="Str. Ascunsă nr. 13",
        latitude=46.05,
        longitude=23.55,
    )
    made.append(lamp)
    secrets.extend(case.tracking_code for case in Case.objects.all())
    secrets.extend(["nr. 13", "ap. 4"])
    return {"cases": made, "secrets": secrets, "rounded": rounded, "lamp": lamp}


def public_responses(client, seeded) -> dict[str, str]:
    cases: list[Case] = seeded["cases"]
    bodies: dict[str, str] = {}

    def get(name: str, path: str, **params) -> None:
        response = client.get(path, params)
        bodies[name] = response.content.decode()

    for zoom in ("13", "17"):
        get(f"map data at zoom {zoom}", reverse("public_map_data"), bbox=CITY_BOX, zoom=zoom)
    get("map page", reverse("public_map"))
    get("list", reverse("public_list"), period="all")
    for fmt in ("json", "xml"):
        for extensions in ("false", "true"):
            get(f"Open311 {fmt} {extensions}", f"/open311/v2/requests.{fmt}", extensions=extensions)
        get(f"Open311 updates {fmt}", f"/open311/v2/servicerequestupdates.{fmt}")
    for case in Case.objects.all():
        number = f"{case.registration_year}-{case.registration_number}"
        get(f"case page {number}", f"/cases/{number}/")
        get(f"follow page {number}", reverse("follow_case", kwargs={"pk": case.pk}))
        for fmt in ("json", "xml"):
            get(
                f"Open311 single {number} {fmt}",
                f"/open311/v2/requests/{number}.{fmt}",
                extensions="true",
            )
    for case in cases:
        get(
            f"nearby {case.number}",
            reverse("report_place"),
            latitude=str(case.latitude),
            longitude=str(case.longitude),
            category=str(case.category_id),
        )
    for event in Event.objects.select_related("case__category", "case__department"):
        bodies[f"webhook {event.case.number} #{event.seq}"] = str(payload(event.pk, event))
    return bodies


def test_no_public_response_holds_private_data(client, seeded):
    bodies = public_responses(client, seeded)
    # The public cases are there, so the search looks where they are shown.
    rounded, lamp = seeded["rounded"], seeded["lamp"]
    assert rounded.number in bodies["list"].replace("&#x2F;", "/")
    assert "Stâlp stins." in bodies["Open311 json false"]
    leaks = [
        f"{secret!r} in {name}"
        for name, body in bodies.items()
        for secret in seeded["secrets"]
        if secret in body
    ]
    assert leaks == []
    assert lamp.tracking_code not in "".join(bodies.values())
