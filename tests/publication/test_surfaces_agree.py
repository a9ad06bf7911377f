"""Every public surface shows a case exactly as the publication policy says: walking kind ×
status × category setting, the map data, the list, the public case page, Open311 (list and
single), who may follow, nearby suggestions and webhook payloads agree with `public_view`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils.translation import override

from cetate.cases import services
from cetate.cases.models import Case
from cetate.cases.publication import PublicView, public_view
from cetate.cases.workflow import OPEN_STATUSES
from cetate.portal.following import may_follow_publicly
from cetate.webhooks.payload import payload
from tests.publication.seeding import bring_to, combinations, configure

PLACE = {"latitude": 46.071234, "longitude": 23.581234}
CITY_BOX = "23.4,45.9,23.7,46.2"
DESCRIPTION = "Groapă adâncă; sunați-mă la 0744 555 666"
SUMMARY = "Groapă semnalată pe carosabil."


def rid(case: Case) -> str:
    return f"{case.registration_year}-{case.registration_number}"


def on_map(client, case: Case) -> Any:
    data = client.get(
        reverse("public_map_data"), {"bbox": CITY_BOX, "zoom": "17", "period": "all"}
    ).json()
    for point in data["points"]:
        if case.number in [shown["number"] for shown in point["cases"]]:
            return (point["lat"], point["lon"])
    return None


def in_list(client, case: Case) -> Any:
    html = client.get(reverse("public_list"), {"period": "all"}).content.decode()
    return f'href="/cases/{rid(case)}/"' in html or None


def on_case_page(client, case: Case) -> Any:
    response = client.get(f"/cases/{rid(case)}/")
    if response.status_code == 404:
        return None
    assert response.status_code == 200
    return response.content.decode()


def in_open311_list(client, case: Case) -> Any:
    items = json.loads(client.get("/open311/v2/requests.json").content)
    found = [item for item in items if item["service_request_id"] == rid(case)]
    return found[0] if found else None


def in_open311_single(client, case: Case) -> Any:
    response = client.get(f"/open311/v2/requests/{rid(case)}.xml")
    return None if response.status_code == 404 else response.content.decode()


def followable(client, case: Case) -> Any:
    status = client.get(reverse("follow_case", kwargs={"pk": case.pk})).status_code
    assert (status == 200) == may_follow_publicly(case)
    return True if status == 200 else None


def nearby(client, case: Case) -> Any:
    data = client.get(reverse("report_place"), {**PLACE, "category": case.category_id}).json()
    return next((n for n in data["nearby"] if n["number"] == case.number), None)


def in_webhook(client, case: Case) -> Any:
    last = case.events.order_by("-seq")[0]
    return payload(1, last)["case"]["published"]


def _agrees(surface: str, shown: Any, view: PublicView | None, case: Case) -> None:
    if view is None:
        assert shown is None, f"{surface} shows a case the policy keeps private"
        return
    if surface == "nearby" and case.status not in OPEN_STATUSES:
        assert shown is None, "nearby suggests only open reports"
        return
    assert shown is not None, f"{surface} hides a case the policy shows"
    if surface == "map data":
        assert shown == (view.latitude, view.longitude)
    elif surface == "Open311 list":
        assert (shown["lat"], shown["long"]) == (view.latitude, view.longitude)
        assert shown["description"] == (view.text or None)
        assert shown["address"] == (view.address or None)
        assert shown["status_notes"] == view.plain_status
    elif surface == "public case page":
        if view.text:
            assert view.text in shown
        assert DESCRIPTION not in shown
    elif surface == "Open311 single":
        assert f"<lat>{view.latitude}</lat>" in shown
    elif surface == "webhook payload":
        assert (shown["latitude"], shown["longitude"]) == (view.latitude, view.longitude)
        assert shown["text"] == (view.text or None)
        assert shown["street"] == (view.address or None)


SURFACES = {
    "map data": on_map,
    "list": in_list,
    "public case page": on_case_page,
    "Open311 list": in_open311_list,
    "Open311 single": in_open311_single,
    "follow": followable,
    "nearby": nearby,
    "webhook payload": in_webhook,
}


@pytest.mark.parametrize(("kind", "status", "setting"), combinations())
def test_every_surface_shows_what_the_policy_shows(client, city, kind, status, setting):
    category = configure(city.pothole, setting)
    case = city.report(
        kind=kind, category=category, description=DESCRIPTION, address="Str. Cloșca 3", **PLACE
    )
    services.publish_summary(case_id=case.pk, actor=city.dispatcher, text=SUMMARY)
    case = bring_to(city, case, status)
    with override("ro"):  # what the pages, in Romanian by default, mask text with
        view = public_view(case)
    for surface, shown_by in SURFACES.items():
        _agrees(surface, shown_by(client, case), view, case)
