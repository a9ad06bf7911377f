"""Subscriptions are managed, and the delivery log read and resent, in the admin."""

from django.urls import reverse

from cetate.webhooks.models import Delivery, Subscription


def test_an_administrator_adds_a_subscription_and_sees_its_secret(client, city, receiver):
    client.force_login(city.admin)
    response = client.post(
        reverse("admin:webhooks_subscription_add"),
        {
            "name": "Dispecerat apă",
            "url": receiver.url,
            "event_kinds": ["created", "status_changed"],
            "active": "on",
        },
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.event_kinds == ["created", "status_changed"]
    assert len(subscription.secret) == 64
    page = client.get(reverse("admin:webhooks_subscription_change", args=[subscription.pk]))
    assert subscription.secret in page.content.decode()


def test_a_private_address_is_refused_in_the_form(client, city, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    client.force_login(city.admin)
    response = client.post(
        reverse("admin:webhooks_subscription_add"),
        {"name": "intern", "url": "http://10.1.2.3/hook", "active": "on"},
    )
    assert response.status_code == 200
    assert "url" in response.context["adminform"].form.errors
    assert not Subscription.objects.exists()


def test_the_delivery_log_is_read_only_and_can_be_sent_again(
    client, city, receiver, django_capture_on_commit_callbacks
):
    Subscription.objects.create(name="x", url=receiver.url, event_kinds=["created"])
    receiver.answers = [500]
    with django_capture_on_commit_callbacks(execute=True):
        city.report()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING

    client.force_login(city.admin)
    changelist = reverse("admin:webhooks_delivery_changelist")
    assert client.get(changelist).status_code == 200
    change = reverse("admin:webhooks_delivery_change", args=[delivery.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert "HTTP 500" in page.content.decode()
    assert client.post(change, {"status": "delivered"}).status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist, {"action": "send_again", "_selected_action": [delivery.pk]}
        )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert delivery.attempts == 2
    assert len(receiver.received) == 2
