"""load_demo_city: the demo city's directory, from files shipped with the code, twice."""

from django.conf import settings

from cetate.accounts.models import User
from cetate.cases.models import Case
from cetate.demo.management.commands.load_demo_city import DATA
from cetate.directory.lookup import areas_at, city_boundary
from cetate.directory.models import (
    Area,
    Category,
    CategoryQuestion,
    Department,
    ResponseTemplate,
    Street,
)
from tests.directory.conftest import directory_state


def test_the_demo_city_loads_once_and_then_changes_nothing(db, run):
    first = run("load_demo_city")

    assert first.count("\n") == 1
    assert first.startswith("Demo city Alba Iulia loaded: departments: 15 new")
    assert "streets: 309 new" in first
    assert "legal bases: 19 new" in first
    state = directory_state()

    second = run("load_demo_city")

    assert second == (
        "Demo city Alba Iulia already loaded, nothing changed (departments: 15, categories: 59, "
        "file codes: 8, extra questions: 5, response templates: 8, areas: 1, streets: 309, "
        "legal bases: 19).\n"
    )
    assert directory_state() == state


def test_the_demo_city_has_its_boundary_streets_and_demo_extras(db, run):
    run("load_demo_city")

    city = city_boundary()
    assert city is not None
    assert (city.code, city.name, city.kind) == (
        settings.CITY_AREA_CODE,
        "Alba Iulia",
        "municipality",
    )
    assert areas_at(latitude=46.0686, longitude=23.5705) == [city]
    assert Department.objects.count() == 15
    assert Category.objects.filter(parent__isnull=False).count() == 46
    assert Street.objects.exclude(search_key="").count() == 309
    pole = CategoryQuestion.objects.get(category__code="lighting.lamp-out", code="pole")
    assert pole.datatype == "string"
    tree = CategoryQuestion.objects.get(category__code="green.tree", code="blocking")
    assert tree.datatype == "singlevaluelist"
    assert tree.value_keys == {"road", "sidewalk", "no"}
    assert all(
        question.description.startswith("Demo") for question in CategoryQuestion.objects.all()
    )
    assert all(template.name.startswith("Demo") for template in ResponseTemplate.objects.all())


def test_the_demo_city_creates_no_users_and_no_cases(db, run):
    run("load_demo_city")

    assert not User.objects.exists()
    assert not Case.objects.exists()
    assert Area.objects.count() == 1


def test_the_demo_files_ship_with_the_code():
    assert DATA.is_relative_to(settings.BASE_DIR / "cetate" / "demo")
    assert sorted(path.name for path in DATA.iterdir()) == [
        "README.md",
        "boundary.geojson",
        "categories.csv",
        "departments.csv",
        "file-codes.csv",
        "postal-streets.csv",
        "questions.csv",
        "templates.csv",
    ]
