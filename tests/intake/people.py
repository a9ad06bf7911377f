"""Registering at the console for someone, and a resident whose phone and email someone else
types, with what that someone may then see."""

import json
import re
from urllib.parse import urlsplit

from cetate.cases.choices import Channel, Kind
from cetate.cases.models import Case
from cetate.contacts.models import Contact
from cetate.intake.staff import register_at_console
from cetate.test import INSIDE

VICTIM_PHONE = "0744 123 456"  # the city's resident Ion Popescu, ion@example.org


def sign_in(client, mailoutbox, email):
    client.post("/account/sign-in/", {"email": email})
    [url] = re.findall(r"https?://\S+", mailoutbox[-1].body)
    assert client.post(urlsplit(url).path).status_code == 302


def assert_victim_untouched(city, victims_case, client, mailoutbox):
    resident = Contact.objects.get(pk=city.resident.pk)
    assert (resident.email, resident.phone, resident.name) == (
        "ion@example.org",
        "+40744123456",
        "Ion Popescu",
    )
    sign_in(client, mailoutbox, "intrus@example.org")
    page = client.get("/account/").content.decode()
    assert victims_case.number not in page
    assert victims_case.tracking_code not in page
    assert "Ion Popescu" not in page
    export = client.get("/account/my-data.json").content.decode()
    assert victims_case.number not in export
    assert "Ion Popescu" not in export
    assert [case["number"] for case in json.loads(export)["cases"]] == [
        Case.objects.exclude(pk=victims_case.pk).get().number
    ]


def register(city, caller, **fields):
    values = {
        "actor": city.dispatcher,
        "channel": Channel.PHONE,
        "kind": Kind.REPORT,
        "description": "Groapă mare",
        "category": city.pothole,
        "caller": caller,
        **INSIDE,
    }
    values.update(fields)
    return register_at_console(**values)
