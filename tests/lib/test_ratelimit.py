"""Rate limits: one count per client shared by every web process, in a store nothing evicts,
with the client's address as the trusted proxies report it."""

import socket
import subprocess
import sys
import textwrap
import time
import uuid

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.test import RequestFactory
from redis import Redis

from cetate.lib.ratelimit import LIMITS_CACHE, client_address, hit
from cetate.ops.counters import DatabaseCounters
from cetate.ops.models import RateCount

# Long enough that a test never straddles two windows.
ONE_WINDOW = 10**9


def address_of(remote: str, forwarded: str | None = None) -> str:
    request = RequestFactory(REMOTE_ADDR=remote).get("/")
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(request)


# The client's address


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert address_of("203.0.113.7", "198.51.100.1") == "203.0.113.7"


def test_a_client_that_is_not_a_trusted_proxy_cannot_choose_its_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address_of("203.0.113.7", "198.51.100.1, 10.0.0.5") == "203.0.113.7"


def test_behind_a_trusted_proxy_the_address_it_reports_counts(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address_of("10.0.0.2", "198.51.100.1") == "198.51.100.1"
    # What the client wrote itself stands left of what the proxy appended, and is not believed.
    assert address_of("10.0.0.2", "1.2.3.4, 198.51.100.1") == "198.51.100.1"
    assert address_of("10.0.0.2", "not-an-address, 198.51.100.1") == "198.51.100.1"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.10"]
    assert address_of("10.0.0.2", "1.2.3.4, 198.51.100.1, 192.0.2.10, 10.1.1.1") == ("198.51.100.1")
    # A request from inside the proxies' own networks is counted by the left-most of them.
    assert address_of("10.0.0.2", "10.9.9.9") == "10.9.9.9"
    # Without the header, the proxy itself.
    assert address_of("10.0.0.2") == "10.0.0.2"


def test_ports_and_ipv6_forms_are_read(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    assert address_of("10.0.0.2", "198.51.100.1:54321") == "198.51.100.1"
    assert address_of("10.0.0.2", "[2001:db8:1:2::7]:443") == "2001:db8:1:2::/64"
    assert address_of("::ffff:10.0.0.2", "198.51.100.1") == "198.51.100.1"


def test_an_ipv6_client_is_counted_by_its_64_network(settings):
    settings.TRUSTED_PROXIES = []
    assert address_of("2001:db8:1:2::7") == address_of("2001:db8:1:2:ffff::1")
    assert address_of("2001:db8:1:2::7") != address_of("2001:db8:1:3::7")


def test_an_unreadable_forwarded_hop_next_to_the_proxy_falls_back_to_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address_of("10.0.0.2", "198.51.100.1, garbage") == "10.0.0.2"


# The store


def test_counts_live_in_a_cache_of_their_own_on_the_database(db):
    assert isinstance(caches[LIMITS_CACHE], DatabaseCounters)
    assert all(hit("search:1.2.3.4", limit=3, window_seconds=ONE_WINDOW) for _ in range(3))
    assert not hit("search:1.2.3.4", limit=3, window_seconds=ONE_WINDOW)
    assert hit("search:5.6.7.8", limit=3, window_seconds=ONE_WINDOW)
    assert RateCount.objects.filter(key__contains="search:1.2.3.4").get().count == 4


def test_filling_the_default_cache_evicts_no_count(db):
    for _ in range(5):
        hit("report:1.2.3.4", limit=5, window_seconds=ONE_WINDOW)
    # Far more than the default cache holds (300 entries), each as large as a map's answer.
    for n in range(1000):
        cache.set(f"public_map:{n}", "x" * 50_000)
    assert not hit("report:1.2.3.4", limit=5, window_seconds=ONE_WINDOW)


def test_a_new_window_starts_from_zero(db):
    with time_machine.travel(1_000_000, tick=False):
        assert all(hit("track:1.2.3.4", limit=2, window_seconds=60) for _ in range(2))
        assert not hit("track:1.2.3.4", limit=2, window_seconds=60)
    with time_machine.travel(1_000_060, tick=False):
        assert hit("track:1.2.3.4", limit=2, window_seconds=60)


def test_expired_counters_are_deleted_when_new_ones_start(db):
    # The cleanup runs one time in CLEANUP_ONE_IN that a counter is added; here every time.
    counters = DatabaseCounters("", {"OPTIONS": {"CLEANUP_ONE_IN": 1}})
    with time_machine.travel(1_000_000, tick=False):
        counters.add("old-a", 0, timeout=61)
        counters.add("old-b", 0, timeout=61)
        counters.add("live", 0, timeout=3600)
    with time_machine.travel(1_000_100, tick=False):
        assert counters.get("old-a") is None  # past its expiry, never read
        assert RateCount.objects.count() == 3
        counters.add("new", 0, timeout=60)
        assert sorted(RateCount.objects.values_list("key", flat=True)) == [":1:live", ":1:new"]


def test_the_database_store_is_a_cache_of_whole_numbers(db):
    counters = caches[LIMITS_CACHE]
    assert counters.add("k", 1) is True
    assert counters.add("k", 5) is False  # a live counter is kept
    assert counters.incr("k", 2) == 3
    assert counters.decr("k") == 2
    assert counters.get("k") == 2 and counters.has_key("k")
    counters.set("k", 10)
    assert counters.get("k") == 10
    assert counters.touch("k", 30)
    assert counters.delete("k") and counters.get("k", "gone") == "gone"
    with pytest.raises(ValueError, match="not found"):
        counters.incr("k")
    with pytest.raises(TypeError):
        counters.set("k", "a map's answer")
    counters.set("k", 1)
    counters.clear()
    assert not RateCount.objects.exists()


HITS = textwrap.dedent(
    """
    import os, sys, time
    import django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cetate.settings")
    django.setup()
    from cetate.lib.ratelimit import hit
    start = float(sys.argv[1])
    count, limit, window = (int(argument) for argument in sys.argv[2:5])
    time.sleep(max(start - time.time(), 0))  # both processes begin together
    print(sum(hit("shared:1.2.3.4", limit=limit, window_seconds=window) for _ in range(count)))
    """
)


def _database_url() -> str:
    """The URL of the test database, for another process to use."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    user = database["USER"] or "postgres"
    return f"postgres://{user}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_one_count_and_lose_none(tmp_path):
    per_process, limit = 150, 200
    env = {
        "PATH": "/usr/bin:/bin",
        "CETATE_VAR_DIR": str(settings.VAR_DIR),
        "DATABASE_URL": _database_url(),
    }
    start = time.time() + 3
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", HITS, str(start), str(per_process), str(limit), str(ONE_WINDOW)],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    allowed = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        allowed.append(int(out))
    # Every request was counted once, whichever process served it: the limit held in total.
    assert RateCount.objects.get(key__contains="shared:1.2.3.4").count == 2 * per_process
    assert sum(allowed) == limit
    assert not hit("shared:1.2.3.4", limit=limit, window_seconds=ONE_WINDOW)


def _redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_available(), reason="no Redis on 127.0.0.1:6379")
def test_with_cache_url_the_counts_live_in_redis(settings):
    url = "redis://127.0.0.1:6379/0"
    prefix = f"test-{uuid.uuid4().hex}"
    limits = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    settings.CACHES = {**settings.CACHES, LIMITS_CACHE: {**limits, "KEY_PREFIX": prefix}}
    # Another process is another connection to the same server.
    other = Redis.from_url(url)
    try:
        with time_machine.travel(1_800_000_010, tick=False):  # 10 s into a minute
            assert all(hit("redis:1.2.3.4", limit=3, window_seconds=60) for _ in range(3))
            assert not hit("redis:1.2.3.4", limit=3, window_seconds=60)
        [key] = other.keys(f"{prefix}:*")
        assert other.get(key) == b"4"
        # The counter is gone a second after its window ends.
        assert 0 < other.ttl(key) <= 51
    finally:
        for key in other.keys(f"{prefix}:*"):
            other.delete(key)
        other.close()


def test_a_failing_store_lets_requests_through_and_says_so(settings, caplog):
    closed = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
    }
    settings.CACHES = {**settings.CACHES, LIMITS_CACHE: closed}
    assert hit("track:1.2.3.4", limit=1, window_seconds=60)
    assert "Rate limit track not counted" in caplog.text
    assert "1.2.3.4" not in caplog.text


@pytest.mark.parametrize(
    ("variable", "value"),
    [("TRUSTED_PROXIES", "10.0.0.0/8,load-balancer"), ("CACHE_URL", "memcached://cache:11211")],
)
def test_a_setting_that_cannot_be_used_stops_the_start(variable, value, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "CETATE_VAR_DIR": str(tmp_path), variable: value}
    started = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode != 0
    assert variable in started.stderr
