"""demo_users: one account per role, in demo mode only."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cetate.accounts.models import DepartmentMembership, User
from cetate.accounts.roles import Role, roles_of
from cetate.demo.users import DEMO_PASSWORD

ROLES = {
    "demo-dispecer": {Role.DISPATCHER},
    "demo-ghiseu": {Role.DESK_CLERK},
    "demo-inspector": {Role.OFFICER},
    "demo-sef": {Role.OFFICER, Role.DEPARTMENT_HEAD},
    "demo-supervizor": {Role.SUPERVISOR},
    "demo-admin": {Role.ADMINISTRATOR},
    "demo-dpo": {Role.DATA_PROTECTION},
    "demo-editor": {Role.EDITOR},
}


def demo_users():
    return User.objects.filter(username__startswith="demo-")


def test_refuses_outside_demo_mode(city, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="CETATE_DEMO=true"):
        call_command("demo_users", stdout=StringIO())
    assert not demo_users().exists()


def test_creates_one_account_per_role(city, settings):
    out = StringIO()
    call_command("demo_users", stdout=out)
    for username, roles in ROLES.items():
        user = User.objects.get(username=username)
        assert roles_of(user) == roles
        assert user.check_password(DEMO_PASSWORD)
        assert user.is_staff == (username == "demo-admin")  # only the admin uses Django's admin
        assert user.email.endswith("@example.org")
    admin = User.objects.get(username="demo-admin")
    assert admin.is_superuser
    assert not demo_users().exclude(username="demo-admin").filter(is_superuser=True).exists()
    printed = out.getvalue()
    assert all(username in printed for username in ROLES)
    assert DEMO_PASSWORD in printed
    assert f"{settings.SITE_URL}/login/" in printed


def test_officer_and_head_work_in_the_same_department(city):
    call_command("demo_users", stdout=StringIO())
    officer = DepartmentMembership.objects.get(user__username="demo-inspector")
    head = DepartmentMembership.objects.get(user__username="demo-sef")
    # The technical directorate handles the most categories of the personas' city.
    assert officer.department == head.department == city.technical
    assert head.is_head and not officer.is_head


def test_other_departments_get_an_officer_and_a_head(city):
    call_command("demo_users", stdout=StringIO())
    lighting = User.objects.get(username="demo-inspector-lighting")
    assert roles_of(lighting) == {Role.OFFICER}
    assert lighting.department_ids() == {city.lighting.pk}
    head = User.objects.get(username="demo-sef-lighting")
    assert roles_of(head) == {Role.OFFICER, Role.DEPARTMENT_HEAD}
    assert head.department_ids(heads_only=True) == {city.lighting.pk}
    # An external organisation has no city hall staff.
    assert not DepartmentMembership.objects.filter(department=city.water_operator).exists()


def test_every_department_with_officers_has_a_head_who_signs_its_letters(city):
    call_command("demo_users", stdout=StringIO())
    demo = DepartmentMembership.objects.filter(user__username__startswith="demo-")
    with_officers = set(demo.values_list("department", flat=True))
    with_heads = set(demo.filter(is_head=True).values_list("department", flat=True))
    assert with_officers == with_heads == {city.technical.pk, city.lighting.pk}
    city.lighting.refresh_from_db()
    assert city.lighting.head_name == User.objects.get(username="demo-sef-lighting").get_full_name()
    assert city.lighting.head_title == "Șef serviciu"
    city.technical.refresh_from_db()
    assert city.technical.head_name == "Gheorghe Muntean"
    assert city.technical.head_title == "Director executiv"
    city.water_operator.refresh_from_db()
    assert city.water_operator.head_name == ""


def test_running_again_changes_nothing(city):
    call_command("demo_users", stdout=StringIO())
    before = (demo_users().count(), DepartmentMembership.objects.count())
    call_command("demo_users", stdout=StringIO())
    assert (demo_users().count(), DepartmentMembership.objects.count()) == before


def test_works_before_the_city_has_departments(db):
    call_command("demo_users", stdout=StringIO())
    assert set(demo_users().values_list("username", flat=True)) == set(ROLES)
    assert not DepartmentMembership.objects.exists()


def test_every_account_signs_in_through_the_login_form(city, client):
    """With its password alone, administrator and supervisor included: demo mode only."""
    call_command("demo_users", stdout=StringIO())
    for username in ROLES:
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert response["Location"] == reverse("console:home"), username
        assert client.get(reverse("console:home")).status_code == 302
        client.logout()
    assert demo_users().filter(demo_password_only=False).count() == 0


def test_every_department_of_a_city_the_size_of_the_demo_gets_its_own_staff(city):
    from cetate.directory.models import Department

    for n in range(9):
        Department.objects.create(code=f"office-{n}", name=f"Biroul {n}")
    call_command("demo_users", stdout=StringIO())
    internal = Department.objects.filter(kind=Department.Kind.INTERNAL)
    assert internal.count() == 11
    for department in internal:
        staff = DepartmentMembership.objects.filter(department=department)
        assert staff.filter(is_head=False).exists(), department.code
        assert staff.filter(is_head=True).exists(), department.code


def test_the_editor_writes_the_articles_of_planning_and_civil_status(db):
    call_command("load_demo_city", stdout=StringIO())
    call_command("demo_users", stdout=StringIO())
    editor = User.objects.get(username="demo-editor")
    codes = set(editor.memberships.values_list("department__code", flat=True))
    assert codes == {"planning", "civil-status"}
