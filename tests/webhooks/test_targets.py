"""Receivers in private networks are refused unless their network is allowed."""

import pytest
from django.core.exceptions import ValidationError

from cetate.webhooks.models import Subscription
from cetate.webhooks.targets import RefusedTarget, resolve


def _subscription(url: str) -> Subscription:
    subscription = Subscription(name="test", url=url)
    subscription.full_clean()
    return subscription


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]:8080/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_private_addresses_are_refused(url):
    with pytest.raises(ValidationError):
        _subscription(url)
    with pytest.raises(RefusedTarget):
        resolve(url)


def test_loopback_is_refused_unless_allowed(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    with pytest.raises(ValidationError):
        _subscription("http://127.0.0.1:9000/hook")
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    _subscription("http://127.0.0.1:9000/hook")
    target = resolve("http://127.0.0.1:9000/hook?x=1")
    assert (target.address, target.port, target.path) == ("127.0.0.1", 9000, "/hook?x=1")


@pytest.mark.parametrize("url", ["ftp://example.org/hook", "file:///etc/passwd", "gopher://a/"])
def test_only_http_and_https_are_accepted(url):
    with pytest.raises(ValidationError):
        _subscription(url)


def test_a_public_address_is_accepted():
    _subscription("https://93.184.215.14/hook")


def test_kinds_must_be_event_kinds():
    subscription = Subscription(name="x", url="https://93.184.215.14/", event_kinds=["nope"])
    with pytest.raises(ValidationError):
        subscription.full_clean()


def test_a_delivery_to_a_refused_address_fails_without_connecting(
    city, settings, django_capture_on_commit_callbacks
):
    from cetate.webhooks.models import Delivery

    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    Subscription.objects.create(name="x", url="http://127.0.0.1:9/", event_kinds=["created"])
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    with django_capture_on_commit_callbacks(execute=True):
        city.report()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.last_response_code is None
    assert "private network" in delivery.last_error
