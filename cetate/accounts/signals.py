from typing import Any

from django.apps import AppConfig
from django.contrib.auth.models import Group
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from cetate.accounts.roles import STAFF_ROLES


@receiver(post_migrate)
def create_role_groups(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    if sender.label != "accounts":
        return
    for role in STAFF_ROLES:
        Group.objects.using(using).get_or_create(name=role.value)
