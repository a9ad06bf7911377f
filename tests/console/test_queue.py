from cetate.cases import services
from cetate.cases.choices import Channel


def test_dispatcher_sees_new_cases_of_every_channel_oldest_first(client, city):
    first = city.report(channel=Channel.PORTAL, actor=None, address="Str. Mihai Viteazu 3")
    second = city.report(channel=Channel.EMAIL, actor=None, category=city.lamp)
    routed = city.report()
    services.assign(case_id=routed.pk, actor=city.dispatcher, department=city.technical)
    client.force_login(city.dispatcher)
    html = client.get("/console/queue/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.index(first.number) < html.index(second.number)
    assert routed.number not in html
    assert "web portal" in html and "email" in html
    assert "suggested: Roads › Pothole" in html
    assert "Str. Mihai Viteazu 3" in html


def test_queue_filters_by_channel(client, city):
    by_portal = city.report(channel=Channel.PORTAL, actor=None)
    by_phone = city.report()
    client.force_login(city.dispatcher)
    html = client.get("/console/queue/?channel=portal").content.decode()
    assert by_portal.number in html and by_phone.number not in html


def test_updates_bring_the_cases_that_arrived_and_say_who_took_the_others(client, city):
    shown = city.report()
    client.force_login(city.dispatcher)
    services.assign(case_id=shown.pk, actor=city.supervisor, department=city.technical)
    arrived = city.report(channel=Channel.PORTAL, actor=None)
    response = client.get(
        "/console/queue/updates",
        {"after": shown.pk, "shown": [shown.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert f'id="queue-case-{arrived.pk}"' in html
    assert f"taken by {city.supervisor}: assigned" in html
    assert f'after={arrived.pk}"' in html  # the next poll asks only for what is newer
    assert "1 new case arrived." in html


def test_updates_with_nothing_new_announce_nothing(client, city):
    case = city.report()
    client.force_login(city.dispatcher)
    html = client.get(
        "/console/queue/updates", {"after": case.pk, "shown": [case.pk]}
    ).content.decode()
    assert "queue-case-" not in html
    assert "queue-news" not in html


def test_only_the_dispatch_centre_triages(client, city):
    for persona in (city.clerk, city.officer, city.head):
        client.force_login(persona)
        assert client.get("/console/queue/").status_code == 403
        assert client.get("/console/queue/updates").status_code == 403
    client.force_login(city.supervisor)
    assert client.get("/console/queue/").status_code == 200


def test_ages_read_just_now_under_a_minute_then_minutes(client, city):
    import re
    from datetime import timedelta

    from cetate.lib import clock
    from cetate.lib.clock import replaying_at

    fresh = city.report(channel=Channel.PORTAL, actor=None)
    with replaying_at(clock.now() - timedelta(minutes=5, seconds=10)):
        older = city.report(channel=Channel.EMAIL, actor=None)
    client.force_login(city.dispatcher)
    html = client.get("/console/queue/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    def age(case):
        entry = html[html.index(f'id="queue-case-{case.pk}"') :]
        found = re.search(r"<time [^>]*>([^<]*)</time>", entry)
        assert found
        return found.group(1)

    assert age(fresh) == "just now"
    assert age(older) == "5\xa0minutes ago"
    assert "0\xa0minutes" not in html


def test_a_case_without_an_address_shows_no_empty_part_between_separators(client, city):
    import re

    in_area = city.report(address="")
    nowhere = city.report(kind="request", address="", latitude=None, longitude=None, category=None)
    client.force_login(city.dispatcher)
    html = client.get("/console/queue/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    lines = dict(re.findall(r'id="queue-case-(\d+)".*?<p class="queue-what">(.*?)</p>', html, re.S))
    assert lines[str(in_area.pk)] == (
        f"report of a problem · suggested: Roads › Pothole · {in_area.area.name}"
    )
    assert lines[str(nowhere.pk)] == "request · no category · no place"
