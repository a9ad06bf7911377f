from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate)
def install_notification_templates(sender: AppConfig, **kwargs: Any) -> None:
    if sender.label == "cases":
        from cetate.cases.notifications import install_default_templates

        install_default_templates()
