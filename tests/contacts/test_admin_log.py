"""The admin pages that show residents' data record who looked, as the console does."""

from django.urls import reverse

from cetate.contacts.models import PersonalDataView
from cetate.telephony.models import Call
from tests.contacts.lives import at


def views(city):
    return list(
        PersonalDataView.objects.filter(user=city.admin)
        .order_by("pk")
        .values_list("contact", "what")
    )


def test_opening_a_contact_a_case_or_a_call_is_recorded(client, city):
    case = city.report()
    call = Call.objects.create(
        call_id="c", resident_phone="+40744123456", contact=city.resident, started_at=at(2026, 1, 5)
    )
    client.force_login(city.admin)

    for url in (
        reverse("admin:contacts_contact_change", args=[city.resident.pk]),
        reverse("admin:cases_case_change", args=[case.pk]),
        reverse("admin:cases_event_change", args=[case.events.get().pk]),
        reverse("admin:telephony_call_change", args=[call.pk]),
    ):
        assert client.get(url).status_code == 200, url

    assert views(city) == [
        (city.resident.pk, f"admin: contact {city.resident.pk}"),
        (city.resident.pk, f"admin: case {case.pk}"),
        (city.resident.pk, f"admin: event {case.events.get().pk}"),
        (city.resident.pk, f"admin: call {call.pk}"),
    ]


def test_a_list_of_residents_is_recorded_once_per_page(client, city):
    client.force_login(city.admin)
    assert client.get(reverse("admin:contacts_contact_changelist"), {"q": "Popescu"}).status_code
    assert views(city) == [(None, "admin: list of contact")]


def test_pages_without_residents_data_record_nothing(client, city):
    client.force_login(city.admin)
    client.get(reverse("admin:directory_category_changelist"))
    client.get(reverse("admin:directory_filecode_changelist"))
    assert views(city) == []
