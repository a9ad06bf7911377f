"""Form fields for a category's extra questions, the same on every form that asks them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from cetate.directory.models import Category, CategoryQuestion, QuestionDatatype


def questions_of(category: Category | None) -> list[CategoryQuestion]:
    return list(category.questions.all()) if category is not None else []


def question_field(question: CategoryQuestion) -> forms.Field:
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
