"""The console's sections, who sees each, and where each role lands after signing in."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cetate.accounts.access import (
    DATA_PROTECTION_ROLES,
    INTAKE_ROLES,
    KNOWLEDGE_EDITOR_ROLES,
    KNOWLEDGE_SEARCH_ROLES,
    LEGAL_REPORT_ROLES,
    QUARANTINE_ROLES,
    REGISTER_ROLES,
    TRIAGE_ROLES,
)
from cetate.accounts.models import User
from cetate.accounts.roles import DEPARTMENT_ROLES, STAFF_ROLES, Role, roles_of
from cetate.console.supervision import SUPERVISION_ROLES

PHONE_ROLES = frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.ADMINISTRATOR})


@dataclass(frozen=True)
class Section:
    url_name: str
    label: str | Promise
    roles: frozenset[Role]


SECTIONS = (
    Section("console:worklist", _("Worklist"), DEPARTMENT_ROLES),
    Section("console:supervision", _("Supervision"), SUPERVISION_ROLES),
    Section("console:queue", _("Triage"), TRIAGE_ROLES),
    Section("console:intake", _("Phone intake"), PHONE_ROLES),
    Section("console:desk", _("Front desk"), INTAKE_ROLES),
    Section("console:post", _("Letters by post"), INTAKE_ROLES),
    Section("telephony:calls", _("Calls"), TRIAGE_ROLES),
    Section("console:held_mail", _("Held mail"), QUARANTINE_ROLES),
    # Editors alone see no case: the map and list are for those who work on cases.
    Section("console:map", _("Map and list"), STAFF_ROLES - {Role.EDITOR}),
    Section("console:register", pgettext_lazy("the yearly register", "Register"), REGISTER_ROLES),
    Section("console:legal_reports", _("Legal reports"), LEGAL_REPORT_ROLES),
    Section("console:knowledge", _("Service articles"), KNOWLEDGE_EDITOR_ROLES),
    Section("console:knowledge_search", _("Services"), KNOWLEDGE_SEARCH_ROLES),
    Section("console:data_protection", _("Data protection"), DATA_PROTECTION_ROLES),
)

# The first section a role has, in this order, is where it lands.
LANDING = (
    (Role.DISPATCHER, "console:queue"),
    (Role.DESK_CLERK, "console:desk"),
    (Role.SUPERVISOR, "console:supervision"),
    (Role.ADMINISTRATOR, "console:queue"),
    (Role.DEPARTMENT_HEAD, "console:worklist"),
    (Role.OFFICER, "console:worklist"),
    (Role.DATA_PROTECTION, "console:data_protection"),
    (Role.EDITOR, "console:knowledge"),
)


@dataclass(frozen=True)
class Link:
    url: str
    label: str | Promise
    current: bool


def sections_for(user: User, path: str) -> list[Link]:
    roles = roles_of(user)
    links = []
    for section in SECTIONS:
        if roles & section.roles:
            url = reverse(section.url_name)
            links.append(Link(url, section.label, path.startswith(url)))
    return links


def landing_for(user: User) -> str | None:
    roles = roles_of(user)
    for role, url_name in LANDING:
        if role in roles:
            return reverse(url_name)
    return None
