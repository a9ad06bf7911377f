"""Permission-checked access to cases, contacts and registers. Every view and service asks here.

Scope by role:
- dispatcher, supervisor, administrator: the whole city;
- officer: cases of the departments they belong to; department head: likewise, with the
  head's powers only in the departments they head;
- front-desk clerk: the cases they registered themselves;
- data protection officer: reads the whole city, acts on no case; alone uses the data
  protection tools (a person's complete export, restriction, erasure);
- knowledge base editor: the service articles of the departments they belong to; the
  administrator edits every article;
- the system (public channels, jobs): acts where the transition table lets it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cetate.accounts.roles import (
    CITY_WIDE_ROLES,
    READ_ONLY_CITY_WIDE_ROLES,
    Role,
    roles_of,
)

if TYPE_CHECKING:
    from cetate.accounts.models import User
    from cetate.cases.models import Case
    from cetate.contacts.models import Contact
    from cetate.knowledge.models import Article


def _memberships(user: User) -> tuple[set[int], set[int]]:
    cached: tuple[set[int], set[int]] | None = getattr(user, "_cetate_departments", None)
    if cached is None:
        member: set[int] = set()
        heads: set[int] = set()
        for department_id, is_head in user.memberships.values_list("department_id", "is_head"):
            member.add(department_id)
            if is_head:
                heads.add(department_id)
        cached = (member, heads)
        user._cetate_departments = cached  # type: ignore[attr-defined]
    return cached


def case_roles(user: User | None, case: Case) -> frozenset[Role]:
    """The roles `user` may exercise on this particular case."""
    roles = roles_of(user)
    if user is None:
        return roles
    effective = set(roles & (CITY_WIDE_ROLES | READ_ONLY_CITY_WIDE_ROLES))
    if Role.DESK_CLERK in roles and case.entered_by_id == user.pk:
        effective.add(Role.DESK_CLERK)
    if case.department_id is not None and roles & {Role.OFFICER, Role.DEPARTMENT_HEAD}:
        member, heads = _memberships(user)
        if case.department_id in member:
            effective.add(Role.OFFICER)
        if Role.DEPARTMENT_HEAD in roles and case.department_id in heads:
            effective.add(Role.DEPARTMENT_HEAD)
    return frozenset(effective)


def visible_cases(user: User) -> QuerySet[Case]:
    """The cases `user` may see, as a queryset to filter further."""
    from cetate.cases.models import Case

    roles = roles_of(user)
    if roles & (CITY_WIDE_ROLES | READ_ONLY_CITY_WIDE_ROLES):
        return Case.objects.all()
    scope = Q(pk__in=[])
    if Role.DESK_CLERK in roles:
        scope |= Q(entered_by=user)
    if roles & {Role.OFFICER, Role.DEPARTMENT_HEAD}:
        member, _heads = _memberships(user)
        scope |= Q(department_id__in=member)
    return Case.objects.filter(scope)


def access_case(user: User, case_id: int) -> Case:
    """The case if `user` may see it; 404 when it does not exist or is out of their scope."""
    if not roles_of(user):
        raise PermissionDenied
    case = visible_cases(user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def access_contact(user: User, contact_id: int) -> Contact:
    """A resident's contact, if `user` works on the city's intake or on one of their cases."""
    from cetate.contacts.models import Contact

    roles = roles_of(user)
    if not roles:
        raise PermissionDenied
    contacts = Contact.objects.all()
    if not roles & (CITY_WIDE_ROLES | READ_ONLY_CITY_WIDE_ROLES | {Role.DESK_CLERK}):
        contacts = contacts.filter(cases__in=visible_cases(user)).distinct()
    contact = contacts.filter(pk=contact_id).first()
    if contact is None:
        raise Http404
    return contact


# The register names every sender of the year: the roles that already read every case. The
# dispatch centre registers most entries; a front-desk clerk sees only their own registrations.
REGISTER_ROLES = frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.ADMINISTRATOR})


def access_register(user: User) -> None:
    """The yearly register: dispatchers, supervisors and administrators."""
    if not roles_of(user) & REGISTER_ROLES:
        raise PermissionDenied


LEGAL_REPORT_ROLES = frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR})


def access_legal_reports(user: User) -> None:
    """The legal reports (OG 27/2002, Law 544/2001) are for administrators and supervisors."""
    if not roles_of(user) & LEGAL_REPORT_ROLES:
        raise PermissionDenied


INTAKE_ROLES = frozenset({Role.DISPATCHER, Role.DESK_CLERK, Role.SUPERVISOR, Role.ADMINISTRATOR})
TRIAGE_ROLES = CITY_WIDE_ROLES


def access_intake(user: User) -> None:
    """Registering calls and walk-ins: dispatchers, front-desk clerks, supervisors."""
    if not roles_of(user) & INTAKE_ROLES:
        raise PermissionDenied


def access_triage(user: User) -> None:
    """The triage queue, the call log and the city-wide map: the dispatch centre."""
    if not roles_of(user) & TRIAGE_ROLES:
        raise PermissionDenied


# Incoming mail held for a person to look at: the roles that register and triage the city's
# letters.
QUARANTINE_ROLES = frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.ADMINISTRATOR})


def access_quarantine(user: User) -> None:
    """Mail held in quarantine, its bytes as received and the decisions on it."""
    if not roles_of(user) & QUARANTINE_ROLES:
        raise PermissionDenied


DATA_PROTECTION_ROLES = frozenset({Role.DATA_PROTECTION})


def access_data_protection(user: User) -> None:
    """A person's complete export, restriction and erasure: the data protection officer only."""
    if not roles_of(user) & DATA_PROTECTION_ROLES:
        raise PermissionDenied


KNOWLEDGE_EDITOR_ROLES = frozenset({Role.EDITOR, Role.ADMINISTRATOR})


def editable_articles(user: User) -> QuerySet[Article]:
    """The service articles `user` may edit: an editor's departments', an administrator's all."""
    from cetate.knowledge.models import Article

    roles = roles_of(user)
    if Role.ADMINISTRATOR in roles:
        return Article.objects.all()
    if Role.EDITOR in roles:
        member, _heads = _memberships(user)
        return Article.objects.filter(department_id__in=member)
    return Article.objects.none()


def may_edit_department_articles(user: User, department_id: int) -> bool:
    """Whether `user` may write the articles of this department (and create new ones there)."""
    roles = roles_of(user)
    if Role.ADMINISTRATOR in roles:
        return True
    return Role.EDITOR in roles and department_id in _memberships(user)[0]


def access_knowledge_editing(user: User) -> None:
    """The knowledge base's editing pages: editors and administrators."""
    if not roles_of(user) & KNOWLEDGE_EDITOR_ROLES:
        raise PermissionDenied


# The dispatcher's search of the service articles: whoever answers residents.
KNOWLEDGE_SEARCH_ROLES = INTAKE_ROLES


def access_knowledge_search(user: User) -> None:
    """Searching the published service articles while answering a resident: dispatchers,
    front-desk clerks, supervisors."""
    if not roles_of(user) & KNOWLEDGE_SEARCH_ROLES:
        raise PermissionDenied


def access_article(user: User, article_id: int) -> Article:
    """A service article `user` may edit, drafts and history included; 404 when it does not
    exist or belongs to another department."""
    access_knowledge_editing(user)
    article = editable_articles(user).filter(pk=article_id).first()
    if article is None:
        raise Http404
    return article


def is_staff_member(user: User) -> bool:
    return bool(user.is_authenticated and roles_of(user))
