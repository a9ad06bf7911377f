"""The category choice and the category's extra questions, the same on every form that asks
them (the console's intake, the portal's report)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext as _

from cetate.directory.catalogue import choosable_categories, grouped
from cetate.directory.models import Category, CategoryQuestion, QuestionDatatype

if TYPE_CHECKING:
    from cetate.knowledge.models import ServiceField

# The answers' fields are named after their question's code, with this before it.
ANSWER_PREFIX = "answer__"


def offer_categories(form: forms.Form) -> tuple[dict[int, Category], Category | None]:
    """Fill the form's `category` choices, grouped, and add a field for each question of the
    category chosen so far. Returns the categories offered, by id, and the one chosen."""
    categories = {category.pk: category for category in choosable_categories()}
    field = form.fields["category"]
    assert isinstance(field, forms.TypedChoiceField)
    field.choices = [
        ("", _("— choose —")),
        *[
            (group, [(c.pk, c.label) for c in members])
            for group, members in grouped(list(categories.values()))
        ],
    ]
    raw = form.data.get("category") if form.is_bound else form.initial.get("category")
    try:
        chosen = categories.get(int(raw)) if raw else None
    except (TypeError, ValueError):
        chosen = None
    for question in questions_of(chosen):
        form.fields[ANSWER_PREFIX + question.code] = question_field(question)
    return categories, chosen


def questions_of(category: Category | None) -> list[CategoryQuestion]:
    return list(category.questions.all()) if category is not None else []


def question_field(question: CategoryQuestion | ServiceField) -> forms.Field:
    datatype = QuestionDatatype(question.datatype)
    label = question.label
    if question.required:
        label = _("%(question)s (required)") % {"question": label}
    common: dict[str, Any] = {
        "label": label,
        "required": False,  # the case service says which answers are missing, in one place
        "help_text": question.description,
    }
    choices = [
        (str(item["key"]), str(item.get("name", item["key"])))
        for item in question.values
        if isinstance(item, dict) and "key" in item
    ]
    if datatype == QuestionDatatype.SINGLE:
        return forms.ChoiceField(choices=[("", "—"), *choices], **common)
    if datatype == QuestionDatatype.MULTI:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if datatype == QuestionDatatype.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)
    if datatype == QuestionDatatype.DATETIME:
        return forms.CharField(widget=forms.TextInput(attrs={"type": "datetime-local"}), **common)
    if datatype == QuestionDatatype.NUMBER:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    return forms.CharField(**common)
