from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "cetate.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from cetate.webhooks.models import Subscription
        from cetate.webhooks.outbox import forget_subscriptions

        post_save.connect(forget_subscriptions, sender=Subscription, dispatch_uid="webhooks")
        post_delete.connect(forget_subscriptions, sender=Subscription, dispatch_uid="webhooks")
