"""The roles of city hall staff. Each role is a Django group of the same name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from cetate.accounts.models import User


class Role(models.TextChoices):
    DISPATCHER = "dispatcher", _("dispatcher")
    DESK_CLERK = "desk_clerk", _("front-desk clerk")
    OFFICER = "officer", _("department officer")
    DEPARTMENT_HEAD = "department_head", _("department head")
    SUPERVISOR = "supervisor", _("supervisor")
    ADMINISTRATOR = "administrator", _("administrator")
    DATA_PROTECTION = "data_protection", _("data protection officer")
    # Writes the knowledge base's articles of the departments they belong to.
    EDITOR = "editor", _("knowledge base editor")
    # Not a group: the public channels and background jobs act as the system.
    SYSTEM = "system", _("system")


STAFF_ROLES = frozenset(Role) - {Role.SYSTEM}
CITY_WIDE_ROLES = frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.ADMINISTRATOR})
DEPARTMENT_ROLES = frozenset({Role.OFFICER, Role.DEPARTMENT_HEAD})
# Roles that read every case without acting on any: the data protection officer answers
# residents' requests about all of them.
READ_ONLY_CITY_WIDE_ROLES = frozenset({Role.DATA_PROTECTION})


def roles_of(user: User | None) -> frozenset[Role]:
    """The roles a user acts with; no user means the system."""
    if user is None:
        return frozenset({Role.SYSTEM})
    if not user.is_active:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, "_cetate_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in STAFF_ROLES if role.value in names)
        if user.is_superuser:
            cached |= {Role.ADMINISTRATOR}
        user._cetate_roles = cached  # type: ignore[attr-defined]
    return cached
