"""The resident's own download of their data leaves out what is restricted (GDPR art. 18):
while restricted, it leaves the city only through the data protection officer."""

import json
import re
from typing import Any
from urllib.parse import urlsplit

from cetate.contacts.protection import lift_restriction, restrict_processing


def sign_in(client, mailoutbox, email: str = "ion@example.org") -> None:
    client.post("/account/sign-in/", {"email": email})
    [url] = re.findall(r"https?://\S+", mailoutbox[-1].body)
    assert client.post(urlsplit(url).path).status_code == 302


def my_data(client) -> dict[str, Any]:
    response = client.get("/account/my-data.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_restricted_data_is_left_out_and_the_resident_told_where_to_ask(client, city, mailoutbox):
    case = city.report()
    restrict_processing(contact_id=city.resident.pk, actor=city.dpo, note="Cererea 12")
    sign_in(client, mailoutbox)

    data = my_data(client)
    assert data["contacts"] == [] and data["cases"] == []
    assert "(GDPR art. 18)" in data["about"]["restricted"]

    lift_restriction(contact_id=city.resident.pk, actor=city.dpo)
    data = my_data(client)
    assert [item["number"] for item in data["cases"]] == [case.number]
    assert "restricted" not in data["about"]
