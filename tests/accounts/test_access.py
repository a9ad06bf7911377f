"""The access_* helpers, per role: who sees which cases, contacts and registers."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cetate.accounts.access import (
    access_case,
    access_contact,
    access_register,
    case_roles,
    visible_cases,
)
from cetate.accounts.models import User
from cetate.accounts.roles import Role, roles_of
from cetate.cases import services
from cetate.contacts.services import create_contact


@pytest.fixture
def cases(city):
    """A technical case, a lighting case, an unrouted case entered at the desk."""
    technical = services.assign(
        case_id=city.report().pk, actor=city.dispatcher, department=city.technical
    )
    other = create_contact(name="Maria Ionescu", email="maria@example.org")
    lighting = services.assign(
        case_id=city.report(category=city.lamp, answers={"pole": "3"}, reporter=other).pk,
        actor=city.dispatcher,
        department=city.lighting,
    )
    walk_in = city.report(
        actor=city.clerk,
        channel="desk",
        reporter=create_contact(name="Vasile Pop", phone="0258 811 111", preferred_channel="phone"),
    )
    return {"technical": technical, "lighting": lighting, "walk_in": walk_in}


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("dispatcher", {"technical", "lighting", "walk_in"}),
        ("supervisor", {"technical", "lighting", "walk_in"}),
        ("admin", {"technical", "lighting", "walk_in"}),
        ("officer", {"technical"}),
        ("head", {"technical"}),
        ("lighting_officer", {"lighting"}),
        ("clerk", {"walk_in"}),
    ],
)
def test_visible_cases_per_role(city, cases, persona, sees):
    user = getattr(city, persona)
    visible = set(visible_cases(user).values_list("pk", flat=True))
    assert visible == {cases[name].pk for name in sees}
    for name, case in cases.items():
        if name in sees:
            assert access_case(user, case.pk) == case
        else:
            with pytest.raises(Http404):
                access_case(user, case.pk)


def test_a_user_without_role_is_refused(city, cases):
    nobody = User.objects.create_user("nobody")
    assert roles_of(nobody) == frozenset()
    with pytest.raises(PermissionDenied):
        access_case(nobody, cases["technical"].pk)
    with pytest.raises(PermissionDenied):
        access_contact(nobody, city.resident.pk)


def test_inactive_staff_lose_their_roles(city):
    city.dispatcher.is_active = False
    assert roles_of(city.dispatcher) == frozenset()


def test_superuser_is_an_administrator(db):
    root = User.objects.create_superuser("root", password="x")
    assert Role.ADMINISTRATOR in roles_of(root)


@pytest.mark.parametrize(
    ("persona", "contacts"),
    [
        ("dispatcher", {"resident", "maria", "vasile"}),
        ("clerk", {"resident", "maria", "vasile"}),
        ("officer", {"resident"}),
        ("lighting_officer", {"maria"}),
    ],
)
def test_contacts_only_of_cases_in_reach(city, cases, persona, contacts):
    user = getattr(city, persona)
    by_name = {
        "resident": cases["technical"].reporter,
        "maria": cases["lighting"].reporter,
        "vasile": cases["walk_in"].reporter,
    }
    for name, contact in by_name.items():
        if name in contacts:
            assert access_contact(user, contact.pk) == contact
        else:
            with pytest.raises(Http404):
                access_contact(user, contact.pk)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("admin", True),
        ("supervisor", True),
        ("dispatcher", True),
        ("clerk", False),
        ("officer", False),
        ("head", False),
    ],
)
def test_register_is_for_administrators_supervisors_and_dispatchers(city, persona, allowed):
    user = getattr(city, persona)
    if allowed:
        access_register(user)
    else:
        with pytest.raises(PermissionDenied):
            access_register(user)


def test_head_powers_only_in_the_department_they_head(city, cases):
    assert Role.DEPARTMENT_HEAD in case_roles(city.head, cases["technical"])
    assert case_roles(city.head, cases["lighting"]) == frozenset()
