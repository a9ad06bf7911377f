"""Demo staff: one account per role, so that a visitor can sign in as each of them.

The officer and the department head work in the department with the most categories; every
other department gets an officer and a head of its own, so that each demo case is worked by
someone of its department and has a head to escalate to and to sign its letters. A city with
more departments than the demo has names for leaves the rest to the supervisor, whom the
transition table allows to act everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count, Q

from cetate.accounts.models import DepartmentMembership, User
from cetate.accounts.roles import Role
from cetate.demo.mode import require_demo_mode
from cetate.directory.models import Department

# Public by design: printed for everyone who tries the demo; demo mode only.
DEMO_PASSWORD = "cetate-demo"  # noqa: S105
EMAIL_DOMAIN = "example.org"


@dataclass(frozen=True)
class Persona:
    username: str
    first_name: str
    last_name: str
    roles: tuple[Role, ...]
    superuser: bool = False
    # The desk phone: calls answered on it pop up on this account's console.
    extension: str = ""


DISPATCHER = Persona("demo-dispecer", "Maria", "Ionescu", (Role.DISPATCHER,), extension="101")
CLERK = Persona("demo-ghiseu", "Elena", "Pop", (Role.DESK_CLERK,))
OFFICER = Persona("demo-inspector", "Andrei", "Moldovan", (Role.OFFICER,))
HEAD = Persona("demo-sef", "Gheorghe", "Muntean", (Role.OFFICER, Role.DEPARTMENT_HEAD))
SUPERVISOR = Persona("demo-supervizor", "Ioana", "Crișan", (Role.SUPERVISOR,), extension="102")
ADMINISTRATOR = Persona("demo-admin", "Radu", "Vlad", (Role.ADMINISTRATOR,), superuser=True)
DATA_PROTECTION_OFFICER = Persona("demo-dpo", "Diana", "Rusu", (Role.DATA_PROTECTION,))
EDITOR = Persona("demo-editor", "Corina", "Dumitrescu", (Role.EDITOR,))
# The knowledge base editor writes the articles of these departments, where the city has them.
EDITOR_DEPARTMENTS = ("planning", "civil-status")
EXTRA_OFFICER_NAMES = [
    ("Cristian", "Suciu"),
    ("Mihaela", "Todea"),
    ("Florin", "Oprea"),
    ("Alina", "Hațegan"),
    ("Sorin", "Nistor"),
    ("Bianca", "Moga"),
    ("Ionuț", "Crăciun"),
    ("Raluca", "Sârbu"),
    ("Teodor", "Bucur"),
    ("Oana", "Florea"),
    ("Vlad", "Man"),
    ("Camelia", "Oltean"),
]
EXTRA_HEAD_NAMES = [
    ("Liviu", "Bărbuț"),
    ("Carmen", "Pârvu"),
    ("Dorin", "Lazăr"),
    ("Simona", "Avram"),
    ("Ovidiu", "Rad"),
    ("Adrian", "Popa"),
    ("Monica", "Stan"),
    ("Vasile", "Cioban"),
    ("Ramona", "Ilie"),
    ("Marius", "Tătar"),
    ("Lucia", "Bogdan"),
    ("Petru", "Mihu"),
]
# The heads named in letters of departments the demo gives no head account.
OTHER_HEAD_NAMES = [
    "Georgeta Pop",
    "Nicolae Dragomir",
    "Elisabeta Roman",
    "Horia Giurgiu",
]


@dataclass(frozen=True)
class DemoAccount:
    """One line of the credentials table."""

    username: str
    role: str
    department: str


@dataclass
class DemoStaff:
    dispatcher: User
    clerk: User
    officer: User
    head: User
    supervisor: User
    administrator: User
    data_protection_officer: User
    main_department: Department | None
    # Department id → the demo officer working there, and its head.
    officers: dict[int, User] = field(default_factory=dict)
    heads: dict[int, User] = field(default_factory=dict)
    accounts: list[DemoAccount] = field(default_factory=list)
    editor: User | None = None

    def worker_for(self, department: Department | None) -> User:
        """Who works a case of `department`: its demo officer, else the supervisor."""
        if department is not None and department.pk in self.officers:
            return self.officers[department.pk]
        return self.supervisor

    def head_for(self, department: Department | None) -> User:
        """Who takes a head's decisions on a case of `department`: its head, else the
        supervisor."""
        if department is not None and department.pk in self.heads:
            return self.heads[department.pk]
        return self.supervisor


def departments_by_size() -> list[Department]:
    """Internal departments, those responsible for the most categories first."""
    return list(
        Department.objects.filter(kind=Department.Kind.INTERNAL, is_active=True)
        .annotate(n=Count("categories", filter=Q(categories__is_active=True)))
        .order_by("-n", "name", "pk")
    )


@transaction.atomic
def ensure_demo_users() -> DemoStaff:
    """Create the demo staff that do not exist yet; existing accounts keep their password."""
    require_demo_mode()
    password = make_password(DEMO_PASSWORD)
    departments = departments_by_size()
    main = departments[0] if departments else None
    accounts: list[DemoAccount] = []

    def person(persona: Persona, department: Department | None = None, head: bool = False) -> User:
        user = _ensure_user(persona, password)
        if department is not None:
            _ensure_membership(user, department, head=head)
        role = " + ".join(str(role.label) for role in persona.roles)
        accounts.append(DemoAccount(user.username, role, department.name if department else ""))
        return user

    staff = DemoStaff(
        dispatcher=person(DISPATCHER),
        clerk=person(CLERK),
        officer=person(OFFICER, main),
        head=person(HEAD, main, head=True),
        supervisor=person(SUPERVISOR),
        administrator=person(ADMINISTRATOR),
        data_protection_officer=person(DATA_PROTECTION_OFFICER),
        main_department=main,
    )
    if main is not None:
        staff.officers[main.pk] = staff.officer
        staff.heads[main.pk] = staff.head
    extra = departments[1:]
    for department, officer_name, head_name in zip(
        extra, EXTRA_OFFICER_NAMES, EXTRA_HEAD_NAMES, strict=False
    ):
        officer = Persona(f"demo-inspector-{department.code}"[:150], *officer_name, (Role.OFFICER,))
        staff.officers[department.pk] = person(officer, department)
        head = Persona(f"demo-sef-{department.code}"[:150], *head_name, HEAD.roles)
        staff.heads[department.pk] = person(head, department, head=True)
    _name_heads(departments, staff.heads)
    staff.editor = _ensure_editor(password, accounts)
    staff.accounts = accounts
    return staff


def _ensure_editor(password_hash: str, accounts: list[DemoAccount]) -> User:
    """The knowledge base editor, member of the departments whose articles they write."""
    user = _ensure_user(EDITOR, password_hash)
    departments = Department.objects.filter(code__in=EDITOR_DEPARTMENTS).order_by("name")
    for department in departments:
        _ensure_membership(user, department, head=False)
    names = ", ".join(department.name for department in departments)
    accounts.append(DemoAccount(user.username, str(Role.EDITOR.label), names))
    return user


def head_title(department: Department) -> str:
    """How the head of a Romanian city hall department signs: a directorate's executive
    director, a service's or an office's head, the local police's director."""
    name = department.name.casefold()
    if name.startswith("serviciul"):
        return "Șef serviciu"
    if name.startswith("compartimentul"):
        return "Șef compartiment"
    return "Director executiv"


def _name_heads(departments: list[Department], heads: dict[int, User]) -> None:
    """Give each department the head its letters are signed by, where the city named none:
    the demo head where there is one, else an invented name."""
    others = iter(OTHER_HEAD_NAMES)
    for department in departments:
        if department.head_name and department.head_title:
            continue
        head = heads.get(department.pk)
        department.head_name = department.head_name or (
            head.get_full_name() if head else next(others, "")
        )
        department.head_title = department.head_title or head_title(department)
        department.save(update_fields=["head_name", "head_title"])


def _ensure_user(persona: Persona, password_hash: str) -> User:
    user, _created = User.objects.get_or_create(
        username=persona.username,
        defaults={
            "first_name": persona.first_name,
            "last_name": persona.last_name,
            "email": f"{persona.username}@{EMAIL_DOMAIN}",
            "password": password_hash,
            # Only the technical administrator works in Django's admin.
            "is_staff": persona.superuser,
            "is_superuser": persona.superuser,
            "phone_extension": persona.extension,
            # Its password is printed for every visitor: in demo mode it signs in without a
            # second factor (cetate/accounts/second_factor.py).
            "demo_password_only": True,
        },
    )
    if persona.extension and not user.phone_extension:
        user.phone_extension = persona.extension
        user.save(update_fields=["phone_extension"])
    if not user.demo_password_only:
        user.demo_password_only = True
        user.save(update_fields=["demo_password_only"])
    for role in persona.roles:
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return user


def _ensure_membership(user: User, department: Department, *, head: bool) -> None:
    membership, created = DepartmentMembership.objects.get_or_create(
        user=user, department=department, defaults={"is_head": head}
    )
    if not created and membership.is_head != head:
        membership.is_head = head
        membership.save(update_fields=["is_head"])
