"""Personas and a small city for tests: one line to get a dispatcher, an officer, a case.

A tiny square "city" keeps tests fast and their geometry obvious: the boundary spans
latitude 46.00–46.10 and longitude 23.50–23.60; the "centre" neighbourhood is its lower-left
quarter.
"""

from __future__ import annotations

import time
from binascii import unhexlify
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cetate.accounts.models import DepartmentMembership, User
from cetate.accounts.roles import Role
from cetate.cases.choices import Channel, Kind
from cetate.cases.models import Case
from cetate.cases.services.decisions import Decision
from cetate.contacts.models import Contact
from cetate.contacts.services import create_contact
from cetate.directory.io.legal_bases import import_legal_bases
from cetate.directory.models import Area, Category, CategoryQuestion, Department

INSIDE = {"latitude": 46.07, "longitude": 23.58}
IN_CENTRE = {"latitude": 46.02, "longitude": 23.52}
OUTSIDE = {"latitude": 45.50, "longitude": 23.55}
# What most tests decide when they resolve a petition: granted, on the basis every petition may
# state (the city's list is loaded by make_city).
GRANTED = Decision(outcome="granted", legal_basis="og27-granted")
# Every persona's password.
PASSWORD = "parola-de-test-1"  # noqa: S105


def square(lat0: float, lon0: float, lat1: float, lon1: float) -> dict[str, Any]:
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


def make_user(
    username: str,
    *roles: Role,
    departments: tuple[Department, ...] = (),
    heads: tuple[Department, ...] = (),
) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    for department in departments:
        DepartmentMembership.objects.create(
            user=user, department=department, is_head=department in heads
        )
    return user


def give_authenticator(user: User) -> TOTPDevice:
    """An authenticator app set up for `user`, as the set-up page leaves it."""
    device: TOTPDevice = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return device


def current_code(device_or_secret: TOTPDevice | str, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now for a device (or a hex secret being set up);
    `steps_ahead=1` gives the next one, which the server also accepts."""
    secret = device_or_secret if isinstance(device_or_secret, str) else device_or_secret.key
    totp = TOTP(unhexlify(secret), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def make_administrator() -> User:
    """The technical administrator works in Django's admin: staff and superuser."""
    admin = make_user("admin", Role.ADMINISTRATOR)
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    give_authenticator(admin)
    return admin


@dataclass
class City:
    technical: Department
    lighting: Department
    water_operator: Department
    pothole: Category
    lamp: Category
    noise: Category
    boundary: Area
    centre: Area
    dispatcher: User
    clerk: User
    officer: User
    lighting_officer: User
    head: User
    supervisor: User
    admin: User
    dpo: User
    resident: Contact

    def report(self, **overrides: Any) -> Case:
        """A pothole report by phone, registered by the dispatcher."""
        from cetate.cases.services import open_case

        fields: dict[str, Any] = {
            "kind": Kind.REPORT,
            "channel": Channel.PHONE,
            "actor": self.dispatcher,
            "description": "Groapă adâncă în fața blocului",
            "category": self.pothole,
            "reporter": self.resident,
            **INSIDE,
        }
        fields.update(overrides)
        return open_case(**fields)


def _with_authenticator(user: User) -> User:
    give_authenticator(user)
    return user


def make_city() -> City:
    import_legal_bases()
    technical = Department.objects.create(
        code="technical", name="Direcția Tehnică", name_en="Technical directorate"
    )
    lighting = Department.objects.create(
        code="lighting", name="Serviciul Iluminat Public", name_en="Street lighting"
    )
    water = Department.objects.create(
        code="water-operator",
        name="Apa CTTA",
        kind=Department.Kind.EXTERNAL,
        email="apa@example.org",
    )
    roads = Category.objects.create(code="roads", name="Drumuri", name_en="Roads")
    pothole = Category.objects.create(
        code="roads.pothole",
        name="Groapă în carosabil",
        name_en="Pothole",
        parent=roads,
        department=technical,
        service_target=7,
        anonymous_allowed=True,
        public_map=True,
    )
    lights = Category.objects.create(code="lighting", name="Iluminat", name_en="Lighting")
    lamp = Category.objects.create(
        code="lighting.lamp",
        name="Stâlp stins",
        name_en="Lamp out",
        parent=lights,
        department=lighting,
        service_target=72,
        service_target_unit="h",
    )
    CategoryQuestion.objects.create(
        category=lamp,
        code="pole",
        question="Numărul stâlpului",
        datatype="string",
    )
    public_order = Category.objects.create(code="order", name="Ordine publică")
    noise = Category.objects.create(
        code="order.noise",
        name="Zgomot",
        parent=public_order,
        department=technical,
    )
    boundary = Area.objects.create(
        code="city",
        name="Orașul de test",
        kind="municipality",
        geometry=square(46.0, 23.5, 46.1, 23.6),
    )
    centre = Area.objects.create(
        code="centre",
        name="Centru",
        kind="neighbourhood",
        geometry=square(46.0, 23.5, 46.05, 23.55),
    )
    return City(
        technical=technical,
        lighting=lighting,
        water_operator=water,
        pothole=pothole,
        lamp=lamp,
        noise=noise,
        boundary=boundary,
        centre=centre,
        dispatcher=make_user("dispecer", Role.DISPATCHER),
        clerk=make_user("ghiseu", Role.DESK_CLERK),
        officer=make_user("inspector", Role.OFFICER, departments=(technical,)),
        lighting_officer=make_user("electrician", Role.OFFICER, departments=(lighting,)),
        head=make_user(
            "sef", Role.OFFICER, Role.DEPARTMENT_HEAD, departments=(technical,), heads=(technical,)
        ),
        supervisor=_with_authenticator(make_user("supervizor", Role.SUPERVISOR)),
        admin=make_administrator(),
        dpo=_with_authenticator(make_user("dpo", Role.DATA_PROTECTION)),
        resident=create_contact(name="Ion Popescu", email="ion@example.org", phone="0744 123 456"),
    )
