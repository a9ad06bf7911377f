"""import_directory: departments, categories, questions and templates from CSV, all or none."""

import csv

import pytest
from django.core.management.base import CommandError

from cetate.directory.models import Category, CategoryQuestion, Department, ResponseTemplate
from tests.directory.conftest import DEMO, directory_state, import_demo_directory, write


def test_the_demo_files_become_the_directory(db, run):
    output = import_demo_directory(run)

    assert "departments: 15 new" in output
    assert "categories: 59 new" in output  # 46 categories in 13 groups
    assert Category.objects.filter(parent__isnull=True).count() == 13
    manhole = Category.objects.select_related("parent", "department").get(code="roads.manhole")
    assert (manhole.parent.code, manhole.parent.name, manhole.parent.name_en) == (
        "roads",
        "Drumuri",
        "Roads",
    )
    assert manhole.department.code == "water-operator"
    assert manhole.department.is_external
    assert (manhole.service_target, manhole.service_target_unit) == (24, "h")
    assert manhole.anonymous_allowed and manhole.public_map
    new_lighting = Category.objects.get(code="lighting.new")
    assert (new_lighting.service_target, new_lighting.service_target_unit) == (30, "d")
    assert not new_lighting.anonymous_allowed and not new_lighting.public_map
    # What the public sees: a manhole exactly, a dumped load of waste near a home roughly.
    assert (manhole.public_location, manhole.public_text, manhole.sensitive) == (
        "exact",
        "masked",
        False,
    )
    dumping = Category.objects.get(code="sanitation.dumping")
    assert (dumping.public_location, dumping.public_text) == ("rounded", "summary")
    at_risk = Category.objects.get(code="social.at-risk")
    assert at_risk.sensitive and not at_risk.public_map


def test_the_file_order_is_the_order_residents_see(db, run):
    import_demo_directory(run)

    groups = list(Category.objects.filter(parent__isnull=True).values_list("code", flat=True))
    assert groups[:3] == ["roads", "lighting", "sanitation"]
    roads = Category.objects.filter(parent__code="roads").values_list("code", flat=True)
    assert list(roads)[:2] == ["roads.pothole", "roads.sidewalk"]


def test_questions_and_templates_are_imported(db, run):
    import_demo_directory(run)

    blocking = CategoryQuestion.objects.get(category__code="green.tree", code="blocking")
    assert blocking.datatype == "singlevaluelist"
    assert blocking.required
    assert blocking.values == [
        {"key": "road", "name": "Da, carosabilul"},
        {"key": "sidewalk", "name": "Da, trotuarul"},
        {"key": "no", "name": "Nu"},
    ]
    repaired = ResponseTemplate.objects.get(category__code="lighting.lamp-out")
    assert (repaired.status, repaired.language) == ("resolved", "ro")
    assert "{address}" in repaired.body
    assert ResponseTemplate.objects.filter(category__isnull=True).count() == len(
        [row for row in demo_templates() if not row["category"]]
    )


def test_a_second_import_changes_nothing(db, run):
    import_demo_directory(run)
    before = directory_state()

    output = import_demo_directory(run)

    assert directory_state() == before
    assert "0 new, 0 updated, 15 unchanged" in output
    assert "0 new, 0 updated, 59 unchanged" in output


def test_changed_lines_are_updated_and_unlisted_rows_stay(db, run, demo_copy):
    import_demo_directory(run)
    Department.objects.create(code="archive", name="Arhiva")
    categories = demo_copy / "categories.csv"
    text = categories.read_text(encoding="utf-8")
    pothole = "roads.pothole,Groapă în carosabil,Pothole,technical,"
    write(categories, text.replace(f"{pothole}7d", f"{pothole}5d"))

    output = run("import_directory", "--categories", str(categories))

    assert "categories: 0 new, 1 updated, 58 unchanged" in output
    assert Category.objects.get(code="roads.pothole").service_target == 5
    assert Department.objects.filter(code="archive").exists()


def test_optional_columns_are_read(db, run, tmp_path):
    departments = write(
        tmp_path / "departments.csv",
        "code,name_ro,name_en,kind,email,phone,active\n"
        "roads,Drumuri,Roads,internal,drumuri@example.org,0258 811 111,no\n",
    )
    categories = write(
        tmp_path / "categories.csv",
        "group_code,group_ro,group_en,code,name_ro,name_en,department,service_target,"
        "anonymous_allowed,public_map,keywords,outside_city_allowed,order\n"
        "roads,Drumuri,Roads,roads.hole,Groapă,Pothole,roads,3D,Yes,no,asfalt groapa,yes,40\n",
    )

    run("import_directory", "--departments", str(departments), "--categories", str(categories))

    roads = Department.objects.get(code="roads")
    assert (roads.email, roads.phone, roads.is_active) == (
        "drumuri@example.org",
        "0258 811 111",
        False,
    )
    hole = Category.objects.get(code="roads.hole")
    assert (hole.service_target, hole.service_target_unit, hole.order) == (3, "d", 40)
    assert hole.anonymous_allowed and not hole.public_map and hole.outside_city_allowed
    assert hole.keywords == "asfalt groapa"


def test_semicolon_separated_files_from_spreadsheets_are_read(db, run, tmp_path):
    departments = write(
        tmp_path / "departments.csv",
        "\ufeffcode;name_ro;name_en;kind\nroads;Drumuri, poduri;Roads;internal\n",
    )

    run("import_directory", "--departments", str(departments))

    assert Department.objects.get(code="roads").name == "Drumuri, poduri"


HEADER = (
    "group_code,group_ro,group_en,code,name_ro,name_en,department,service_target,"
    "anonymous_allowed,public_map\n"
)
GOOD = "roads,Drumuri,Roads,roads.pothole,Groapă,Pothole,technical,7d,yes,yes\n"


@pytest.mark.parametrize(
    ("lines", "where", "expected"),
    [
        (
            HEADER.replace(",public_map", "") + GOOD.replace(",yes\n", "\n"),
            "line 1",
            "missing columns: public_map",
        ),
        (
            HEADER.replace("\n", ",colour\n") + GOOD.replace("\n", ",red\n"),
            "line 1",
            "unknown columns: colour",
        ),
        (
            HEADER + GOOD + "roads,Drumuri,Roads,roads.ice,Polei,Ice,winter-team,24h,yes,yes\n",
            "line 3, column “department”",
            "no department has the code “winter-team”",
        ),
        (
            HEADER + GOOD.replace("7d", "7 weeks"),
            "line 2, column “service_target”",
            "“7 weeks” is not a service target",
        ),
        (
            HEADER + GOOD.replace("7d", "0h"),
            "line 2, column “service_target”",
            "is not a service target",
        ),
        (
            HEADER + GOOD.replace("7d,yes", "7d,maybe"),
            "line 2, column “anonymous_allowed”",
            "“maybe” is not yes or no",
        ),
        (
            HEADER + GOOD + GOOD,
            "line 3, column “code”",
            "“roads.pothole” is already on line 2",
        ),
        (
            HEADER + GOOD + GOOD.replace("Drumuri", "Străzi").replace("pothole", "crack"),
            "line 3, column “group_ro”",
            "group “roads” is called “Drumuri” on line 2",
        ),
        (
            HEADER + GOOD.replace("roads.pothole,Groapă", "roads.pothole,"),
            "line 2, column “name_ro”",
            "a value is needed here",
        ),
        (
            HEADER + GOOD.replace("roads.pothole", "roads pothole"),
            "line 2, column “code”",
            "is not a code",
        ),
        (
            HEADER + GOOD + "roads,Drumuri,Roads,roads,Drumuri,Roads,technical,7d,yes,yes\n",
            "line 3, column “code”",
            "“roads” is the code of a group (line 2)",
        ),
        (
            HEADER + GOOD.replace(",yes\n", ",yes,extra\n"),
            "line 2",
            "11 values, the header names 10 columns",
        ),
        (
            HEADER.replace("\n", ",sensitive\n") + GOOD.replace("\n", ",yes\n"),
            "line 2, column “public_map”",
            "a sensitive category cannot be public",
        ),
        (
            HEADER.replace("\n", ",public_location\n") + GOOD.replace("\n", ",nearby\n"),
            "line 2, column “public_location”",
            "“nearby” is not one of: exact, rounded",
        ),
    ],
    ids=[
        "missing column",
        "unknown column",
        "unknown department",
        "bad service target",
        "zero service target",
        "bad boolean",
        "repeated code",
        "group named twice",
        "empty name",
        "bad code",
        "group and category share a code",
        "too many values",
        "public and sensitive",
        "unknown public location",
    ],
)
def test_bad_categories_are_refused_and_nothing_is_written(
    db, run, tmp_path, lines, where, expected
):
    categories = write(tmp_path / "categories.csv", lines)

    with pytest.raises(CommandError) as error:
        run(
            "import_directory",
            "--departments", str(DEMO / "departments.csv"),
            "--categories", str(categories),
        )  # fmt: skip

    message = str(error.value)
    assert message.startswith(f"{categories}, {where}: ")
    assert expected in message
    # The departments file was fine, but the import is one: nothing of it stays.
    assert not Department.objects.exists()
    assert not Category.objects.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("code,name_ro,name_en,kind\nroads,Drumuri,Roads,partner\n", "“partner” is not one of"),
        ("code,name_ro,name_en,kind,email\nroads,Drumuri,Roads,internal,drumuri@\n", "email"),
        ("", "the file is empty"),
        ('code,name_ro,name_en,kind\n"roads,Drumuri\n', "line 2"),
    ],
    ids=["bad kind", "bad email", "empty file", "unclosed quote"],
)
def test_bad_departments_are_refused(db, run, tmp_path, text, expected):
    departments = write(tmp_path / "departments.csv", text)

    with pytest.raises(CommandError, match=expected):
        run("import_directory", "--departments", str(departments))

    assert not Department.objects.exists()


def test_a_missing_file_is_named(db, run, tmp_path):
    with pytest.raises(CommandError, match=r"nowhere\.csv: no such file"):
        run("import_directory", "--departments", str(tmp_path / "nowhere.csv"))


def test_a_file_is_needed(db, run):
    with pytest.raises(CommandError, match="Give at least one file"):
        run("import_directory")


QUESTIONS = "category,code,question_ro,datatype,values\n"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("green.tree,blocking,Blochează?,singlevaluelist,\n", "a list question needs its choices"),
        ("green.tree,pole,Număr?,string,a=A|b=B\n", "only singlevaluelist and multivaluelist"),
        ("green.tree,pole,Număr?,colour,\n", "“colour” is not one of"),
        ("green.bush,pole,Număr?,string,\n", "no category has the code “green.bush”"),
        ("green.tree,size,Mărime?,singlevaluelist,a=Mic|a=Mare\n", "“a” is listed twice"),
    ],
    ids=["list without choices", "choices on a text", "bad datatype", "unknown category", "twice"],
)
def test_bad_questions_are_refused(db, run, tmp_path, line, expected):
    import_demo_directory(run)
    questions = write(tmp_path / "questions.csv", QUESTIONS + line)

    with pytest.raises(CommandError, match=expected) as error:
        run("import_directory", "--questions", str(questions))

    assert ", line 2, column “" in str(error.value)
    assert CategoryQuestion.objects.count() == 5  # the demo ones, untouched


def test_choices_keep_escaped_bars_and_plain_keys(db, run, tmp_path):
    import_demo_directory(run)
    questions = write(
        tmp_path / "questions.csv",
        QUESTIONS + "green.tree,kind,Ce fel?,multivaluelist,a=Stejar \\| fag|tei\n",
    )

    run("import_directory", "--questions", str(questions))

    question = CategoryQuestion.objects.get(category__code="green.tree", code="kind")
    assert question.values == [{"key": "a", "name": "Stejar | fag"}, {"key": "tei", "name": "tei"}]


def demo_templates() -> list[dict[str, str]]:
    with (DEMO / "templates.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@pytest.mark.parametrize(
    ("line", "column", "expected"),
    [
        ('Demo,,,ro,"Numărul {number"\n', "body", "placeholders are written {number}"),
        ("Demo,roads.bridge,,ro,Text\n", "category", "no category has the code “roads.bridge”"),
        ("Demo,,,Romanian,Text\n", "language", "is not a language code"),
        ("Demo,,Resolved now,ro,Text\n", "status", "is not a status code"),
    ],
    ids=["unmatched brace", "unknown category", "bad language", "bad status"],
)
def test_bad_templates_are_refused(db, run, tmp_path, line, column, expected):
    import_demo_directory(run)
    templates = write(tmp_path / "templates.csv", "name,category,status,language,body\n" + line)

    with pytest.raises(CommandError, match=expected) as error:
        run("import_directory", "--templates", str(templates))

    assert f"line 2, column “{column}”" in str(error.value)
    assert ResponseTemplate.objects.count() == len(demo_templates())


def test_lines_are_counted_across_values_spanning_several_lines(db, run, tmp_path):
    import_demo_directory(run)
    text = (DEMO / "templates.csv").read_text(encoding="utf-8")
    templates = write(tmp_path / "templates.csv", text + "Demo,,,xx-!,Text\n")

    with pytest.raises(CommandError) as error:
        run("import_directory", "--templates", str(templates))

    assert f"line {len(text.splitlines()) + 1}, column “language”" in str(error.value)


def test_templates_say_what_they_are_for_and_export_it(db, run, tmp_path):
    import_demo_directory(run)
    templates = write(
        tmp_path / "templates.csv",
        "name,category,status,purpose,language,body\n"
        "Refuz,,resolved,refused,ro,Nu putem.\n"
        "Confirmare,,,,ro,Am primit.\n",
    )

    run("import_directory", "--templates", str(templates))

    assert ResponseTemplate.objects.get(name="Refuz").serves == "refused"
    # Left empty, the status decides: a template for every status is a message.
    assert ResponseTemplate.objects.get(name="Confirmare").serves == "message"
    assert ResponseTemplate.objects.get(name="Demo – lampă reparată").serves == "answer"
    exported = tmp_path / "out.csv"
    run("export_directory", "--templates", str(exported))
    rows = {row["name"]: row for row in csv.DictReader(exported.open(encoding="utf-8"))}
    assert (rows["Refuz"]["purpose"], rows["Confirmare"]["purpose"]) == ("refused", "")


def test_an_unknown_purpose_is_refused(db, run, tmp_path):
    templates = write(
        tmp_path / "templates.csv",
        "name,category,status,purpose,language,body\nDemo,,,thanks,ro,Text\n",
    )
    with pytest.raises(CommandError, match="is not a purpose such as message or answer") as error:
        run("import_directory", "--templates", str(templates))
    assert "line 2, column “purpose”" in str(error.value)
