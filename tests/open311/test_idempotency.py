"""A resent POST — same key and Idempotency-Key, or same FixMyStreet id — registers one case."""

import threading

import pytest
from django.db import connection
from django.test import Client

from cetate.cases.models import Case, RegistrationCounter
from cetate.open311.keys import create_key
from cetate.open311.models import Submission

from .conftest import BASE, json_of


def report(api_key, **extra):
    return {
        "api_key": api_key,
        "service_code": "roads.pothole",
        "lat": "46.07",
        "long": "23.58",
        "description": "Groapă",
        **extra,
    }


def test_the_same_idempotency_key_returns_the_same_request(client, city, api_key):
    first = client.post(BASE + "requests.json", report(api_key), HTTP_IDEMPOTENCY_KEY="abc-1")
    again = client.post(BASE + "requests.xml", report(api_key), HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert json_of(first)[0]["service_request_id"] in again.content.decode()
    assert Case.objects.count() == 1
    other = client.post(BASE + "requests.json", report(api_key), HTTP_IDEMPOTENCY_KEY="abc-2")
    assert json_of(other)[0]["service_request_id"] != json_of(first)[0]["service_request_id"]
    assert Case.objects.count() == 2


def test_the_same_fixmystreet_id_returns_the_same_request(client, city, api_key):
    data = report(api_key, **{"attribute[fixmystreet_id]": "881"})
    first = json_of(client.post(BASE + "requests.json", data))
    again = json_of(client.post(BASE + "requests.json", data))
    assert first == again
    assert Case.objects.count() == 1


def test_idempotency_keys_belong_to_one_integrator(client, city, api_key):
    _other, other_raw = create_key("Another app")
    client.post(BASE + "requests.json", report(api_key), HTTP_IDEMPOTENCY_KEY="same")
    client.post(BASE + "requests.json", report(other_raw), HTTP_IDEMPOTENCY_KEY="same")
    assert Case.objects.count() == 2


def test_a_refused_post_can_be_sent_again_corrected(client, city, api_key):
    bad = client.post(BASE + "requests.json", report(api_key, lat="45.5"), HTTP_IDEMPOTENCY_KEY="k")
    assert bad.status_code == 400
    good = client.post(BASE + "requests.json", report(api_key), HTTP_IDEMPOTENCY_KEY="k")
    assert good.status_code == 201
    assert Case.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("header", [True, False])
def test_two_concurrent_identical_posts_make_one_case(city, api_key, header):
    barrier = threading.Barrier(2)
    answers: list[tuple[int, object]] = []
    headers = {"Idempotency-Key": "race-1"} if header else {}
    data = report(api_key) if header else report(api_key, **{"attribute[fixmystreet_id]": "99"})

    def post():
        try:
            barrier.wait()
            response = Client().post(BASE + "requests.json", data, headers=headers)
            answers.append((response.status_code, json_of(response)))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in answers] == [201, 201]
    assert answers[0][1] == answers[1][1]
    assert Case.objects.count() == 1
    assert Submission.objects.count() == 1
    # The loser burnt no registration number.
    assert RegistrationCounter.objects.get().last_number == 1
