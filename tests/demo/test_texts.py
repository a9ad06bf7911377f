"""The demo city's texts: each category of the demo directory is written about in its own
words, and no category's words appear in another."""

import csv
import random

from cetate.cases.choices import Kind
from cetate.demo.intake import KIND_CATEGORIES, NOT_REPORTED_GROUPS
from cetate.demo.management.commands.load_demo_city import DATA
from cetate.demo.texts import ANSWERS, WRITTEN, answer_for, fill, template_for
from cetate.directory.models import Category


def demo_categories():
    with (DATA / "categories.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    groups = {
        row["group_code"]: Category(code=row["group_code"], name=row["group_ro"]) for row in rows
    }
    return [
        Category(code=row["code"], name=row["name_ro"], parent=groups[row["group_code"]])
        for row in rows
    ]


def test_every_reported_category_of_the_demo_city_has_texts_and_answers_of_its_own():
    reported = [c for c in demo_categories() if c.parent.code not in NOT_REPORTED_GROUPS]
    assert len(reported) > 30
    for category in reported:
        assert WRITTEN.get(category.code), category.code
        assert ANSWERS.get(category.code), category.code
    for kind, codes in KIND_CATEGORIES.items():
        for code in codes:
            if kind not in {"information", "inquiry"}:
                assert f"{kind}:{code}" in WRITTEN, (kind, code)


def test_no_category_is_written_about_in_another_ones_words():
    own_titles = {
        template.title: key.rpartition(":")[2]
        for key, templates in WRITTEN.items()
        if "." in key
        for template in templates
    }
    own_answers = {
        answer.split("{")[0]: key.rpartition(":")[2]
        for key, answers in ANSWERS.items()
        if "." in key
        for answer in answers
    }
    rng = random.Random(1)
    for category in demo_categories():
        # Questions and information requests come only under their own categories, or none.
        kinds = ["report", "request", "complaint", "proposal"] + [
            kind
            for kind in [Kind.INQUIRY, Kind.INFORMATION]
            if category.code in KIND_CATEGORIES[kind]
        ]
        for kind in kinds:
            for _draw in range(4):
                template = template_for(rng, kind, category)
                title = fill(template.title, where="", located=True, category=category)
                assert own_titles.get(title, category.code) == category.code, (kind, title)
                if title not in own_titles:
                    text = fill(template.text, where="", located=True, category=category)
                    name = category.name.casefold()
                    assert name in title.casefold() or name in text.casefold(), (kind, title)
                answer = answer_for(rng, kind, category)
                for start, code in own_answers.items():
                    if answer.startswith(start):
                        assert code == category.code, (kind, category.code, answer)
