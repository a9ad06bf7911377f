"""The bench city: the test city of cetate/test.py widened to a city hall's usual directory
(a dozen departments, some thirty categories, four neighbourhoods), and where its cases lie.

Cases cluster around a few centres, as reports do around a city's busy streets, with a thin
spread over the rest of the territory.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import shapely
from django.db import transaction
from django.test.utils import override_settings
from shapely.geometry.base import BaseGeometry

from cetate.accounts.models import DepartmentMembership, User
from cetate.accounts.roles import Role, roles_of
from cetate.contacts.models import AnswerChannel, Contact
from cetate.directory.models import Area, Category, Department
from cetate.lib.geo import parse_polygon
from cetate.test import make_city, square

MARKER_DEPARTMENT = "technical"  # present once the bench city has been set up

EXTRA_DEPARTMENTS = [
    ("sanitation", "Serviciul Salubrizare"),
    ("green-spaces", "Serviciul Spații Verzi"),
    ("urbanism", "Direcția Urbanism"),
    ("traffic", "Serviciul Circulație"),
    ("local-police", "Poliția Locală"),
    ("social", "Direcția de Asistență Socială"),
    ("taxes", "Direcția de Impozite și Taxe Locale"),
    ("environment", "Serviciul Protecția Mediului"),
    ("public-relations", "Relații cu Publicul și Registratură"),
    ("heritage", "Serviciul Patrimoniu"),
]

# group, category code, name, department, service target, unit
EXTRA_CATEGORIES = [
    ("roads", "roads.sidewalk", "Trotuar deteriorat", "technical", 14, "d"),
    ("roads", "roads.signs", "Indicatoare și marcaje", "traffic", 3, "d"),
    ("roads", "roads.snow", "Zăpadă neîndepărtată", "technical", 12, "h"),
    ("roads", "roads.manhole", "Capac de canal lipsă", "water-operator", 24, "h"),
    ("lighting", "lighting.street", "Stradă neiluminată", "lighting", 5, "d"),
    ("lighting", "lighting.decor", "Iluminat ornamental", "lighting", 10, "d"),
    ("clean", "clean.bins", "Containere pline", "sanitation", 24, "h"),
    ("clean", "clean.dumping", "Depozitare ilegală de deșeuri", "sanitation", 3, "d"),
    ("clean", "clean.street", "Stradă murdară", "sanitation", 2, "d"),
    ("green", "green.tree", "Copac periculos", "green-spaces", 24, "h"),
    ("green", "green.mowing", "Iarbă necosită", "green-spaces", 7, "d"),
    ("green", "green.playground", "Loc de joacă deteriorat", "green-spaces", 7, "d"),
    ("traffic", "traffic.parking", "Parcare neregulamentară", "local-police", 4, "h"),
    ("traffic", "traffic.lights", "Semafor defect", "traffic", 6, "h"),
    ("traffic", "traffic.abandoned", "Vehicul abandonat", "local-police", 10, "d"),
    ("order", "order.animals", "Câini fără stăpân", "local-police", 2, "d"),
    ("order", "order.graffiti", "Graffiti", "local-police", 10, "d"),
    ("building", "building.works", "Lucrări fără autorizație", "urbanism", 10, "d"),
    ("building", "building.facade", "Fațadă periculoasă", "urbanism", 5, "d"),
    ("building", "building.heritage", "Monument istoric degradat", "heritage", 15, "d"),
    ("env", "env.air", "Poluarea aerului", "environment", 5, "d"),
    ("env", "env.water", "Apă stătătoare", "environment", 5, "d"),
    ("social", "social.homeless", "Persoană fără adăpost", "social", 12, "h"),
    ("social", "social.help", "Ajutor social", "social", 20, "d"),
    ("admin", "admin.taxes", "Impozite și taxe", "taxes", 10, "d"),
    ("admin", "admin.documents", "Eliberare documente", "public-relations", 5, "d"),
    ("admin", "admin.other", "Altele", "public-relations", None, "d"),
]

GROUP_NAMES = {
    "clean": "Curățenie",
    "green": "Spații verzi",
    "traffic": "Circulație",
    "building": "Construcții",
    "env": "Mediu",
    "social": "Asistență socială",
    "admin": "Administrativ",
}

# The main centre draws most cases; the rest spread over smaller centres and the territory.
MAIN_CENTRE_SHARE = 0.35
OTHER_CENTRES = 5
OTHER_CENTRES_SHARE = 0.5
MAIN_SIGMA_DEGREES = 0.008
OTHER_SIGMA_DEGREES = 0.005


@dataclass(frozen=True)
class Box:
    south: float
    west: float
    north: float
    east: float


@dataclass
class BenchCity:
    """The directory of the bench database as the generators need it."""

    categories: list[Category]
    internal_departments: list[int]
    external_departments: list[int]
    officers: dict[int, list[int]]
    dispatcher: User
    clerk: User
    boundary: BaseGeometry
    # Smallest area first, as areas_at() orders them: a point belongs to the first that covers it.
    areas: list[tuple[int, BaseGeometry]]
    centres: list[tuple[float, float]] = field(default_factory=list)

    def area_at(self, latitude: float, longitude: float) -> int | None:
        for area_id, geometry in self.areas:
            if shapely.intersects_xy(geometry, longitude, latitude):
                return area_id
        return None

    def random_point(self, rng: random.Random) -> tuple[float, float]:
        """A point inside the city, drawn from the mix of centres and the whole territory."""
        west, south, east, north = self.boundary.bounds
        while True:
            draw = rng.random()
            if draw < MAIN_CENTRE_SHARE:
                lat, lon = self.centres[0]
                lat, lon = rng.gauss(lat, MAIN_SIGMA_DEGREES), rng.gauss(lon, MAIN_SIGMA_DEGREES)
            elif draw < MAIN_CENTRE_SHARE + OTHER_CENTRES_SHARE:
                lat, lon = rng.choice(self.centres[1:])
                lat, lon = rng.gauss(lat, OTHER_SIGMA_DEGREES), rng.gauss(lon, OTHER_SIGMA_DEGREES)
            else:
                lat, lon = rng.uniform(south, north), rng.uniform(west, east)
            if shapely.intersects_xy(self.boundary, lon, lat):
                return round(lat, 6), round(lon, 6)

    def neighbourhood_box(self) -> Box:
        """About 1.3 km × 1.3 km around the main centre: what a map shows at street zoom."""
        lat, lon = self.centres[0]
        return Box(south=lat - 0.006, west=lon - 0.0085, north=lat + 0.006, east=lon + 0.0085)

    def whole_box(self) -> Box:
        west, south, east, north = self.boundary.bounds
        return Box(south=south, west=west, north=north, east=east)


def set_up_city() -> None:
    """Create the directory and staff of the bench city, once per bench database."""
    if Department.objects.filter(code=MARKER_DEPARTMENT).exists():
        return
    # The bench users are throwaway accounts of a throwaway database: a fast hasher spares
    # seconds of key stretching on every fresh run.
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with transaction.atomic(), override_settings(PASSWORD_HASHERS=fast):
        make_city()
        departments = {d.code: d for d in Department.objects.all()}
        for code, name in EXTRA_DEPARTMENTS:
            departments[code] = Department.objects.create(code=code, name=name)
        groups = {c.code: c for c in Category.objects.filter(parent=None)}
        for code, name in GROUP_NAMES.items():
            groups[code] = Category.objects.create(code=code, name=name)
        for order, (group, code, name, department, target, unit) in enumerate(EXTRA_CATEGORIES):
            Category.objects.create(
                code=code,
                name=name,
                parent=groups[group],
                department=departments[department],
                service_target=target,
                service_target_unit=unit,
                anonymous_allowed=order % 3 != 2,
                public_map=True,
                # Half the public categories are placed exactly, half rounded, as in a city.
                public_location="exact" if order % 2 else "rounded",
                order=order,
            )
        # make_city's "centre" is the lower-left quarter; the other three complete the city.
        for code, name, south, west in (
            ("north-west", "Cetate", 46.05, 23.5),
            ("south-east", "Partoș", 46.0, 23.55),
            ("north-east", "Ampoi", 46.05, 23.55),
        ):
            Area.objects.create(
                code=code,
                name=name,
                kind=Area.Kind.NEIGHBOURHOOD,
                geometry=square(south, west, south + 0.05, west + 0.05),
            )


def load_city(*, seed: int) -> BenchCity:
    """The bench city as stored in the bench database."""
    categories = list(
        Category.objects.filter(parent__isnull=False, is_active=True)
        .select_related("department")
        # Fetched once with what intake reads of them, as a batch channel (an import, an
        # integrator's bulk submission) holds its categories.
        .prefetch_related("questions", "routing_rules__department")
        .order_by("order", "id")
    )
    departments = list(Department.objects.filter(is_active=True).order_by("id"))
    officers: dict[int, list[int]] = {}
    for membership in DepartmentMembership.objects.order_by("id"):
        officers.setdefault(membership.department_id, []).append(membership.user_id)
    staff = list(User.objects.filter(is_active=True).order_by("id"))
    boundary_area = Area.objects.get(kind=Area.Kind.MUNICIPALITY, is_active=True)
    order = {Area.Kind.NEIGHBOURHOOD: 0, Area.Kind.DISTRICT: 1, Area.Kind.MUNICIPALITY: 2}
    areas = sorted(
        Area.objects.filter(is_active=True), key=lambda a: (order[Area.Kind(a.kind)], a.pk)
    )
    prepared_areas = [(area.pk, _prepared(area.geometry)) for area in areas]
    city = BenchCity(
        categories=categories,
        internal_departments=[d.pk for d in departments if not d.is_external],
        external_departments=[d.pk for d in departments if d.is_external],
        officers=officers,
        dispatcher=_with_role(staff, Role.DISPATCHER),
        clerk=_with_role(staff, Role.DESK_CLERK),
        boundary=_prepared(boundary_area.geometry),
        areas=prepared_areas,
    )
    city.centres = _centres(city, random.Random(seed))
    return city


def make_contacts(count: int) -> list[int]:
    """Ids of at least `count` residents; half give an email address, the rest a phone, and
    all a postal address, so that any of them may petition (OG 27/2002 art. 7)."""
    missing = count - Contact.objects.count()
    if missing > 0:
        Contact.objects.bulk_create(
            [
                Contact(
                    name=f"Locuitor {index}",
                    email=f"locuitor{index}@example.org" if index % 2 == 0 else "",
                    phone=f"+4074{index:07d}",
                    postal_address=f"Strada Principală nr. {index}",
                    preferred_channel=AnswerChannel.EMAIL if index % 2 == 0 else "phone",
                )
                for index in range(missing)
            ],
            batch_size=2000,
        )
    return list(Contact.objects.order_by("id").values_list("id", flat=True)[:count])


def _prepared(geometry: dict[str, object]) -> BaseGeometry:
    polygon = parse_polygon(geometry)
    shapely.prepare(polygon)
    return polygon


def _with_role(staff: list[User], role: Role) -> User:
    for user in staff:
        if role in roles_of(user):
            return user
    raise LookupError(f"the bench city has no {role.label}")


def _centres(city: BenchCity, rng: random.Random) -> list[tuple[float, float]]:
    """The city's centre and a few secondary ones, all inside the boundary."""
    middle = city.boundary.centroid
    if not shapely.intersects_xy(city.boundary, middle.x, middle.y):
        middle = city.boundary.representative_point()
    centres = [(middle.y, middle.x)]
    west, south, east, north = city.boundary.bounds
    while len(centres) < 1 + OTHER_CENTRES:
        lat, lon = rng.uniform(south, north), rng.uniform(west, east)
        if shapely.intersects_xy(city.boundary, lon, lat):
            centres.append((lat, lon))
    return centres
