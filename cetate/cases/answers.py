"""The answers to a category's extra questions (Open311 attributes): checked, and labelled."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cetate.cases.errors import DomainError
from cetate.directory.models import CategoryQuestion, QuestionDatatype

if TYPE_CHECKING:
    from cetate.cases.models import Case
    from cetate.knowledge.models import ServiceField

    # A category's extra question or a service's request field: both Open311 attributes.
    Question = CategoryQuestion | ServiceField

TEXT_LIMITS = {QuestionDatatype.STRING: 300, QuestionDatatype.TEXT: 4000}


class InvalidAnswers(DomainError):
    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{code}: {message}" for code, message in errors.items()))


def clean_answers(questions: Iterable[Question], answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers keyed by question code, typed; InvalidAnswers lists every problem at once."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    known = {q.code: q for q in questions}
    for code in answers:
        if code not in known:
            errors[code] = _("This category has no such question.")
    for code, question in known.items():
        raw = answers.get(code)
        empty = raw is None or raw == "" or raw == []
        if empty:
            if question.required:
                errors[code] = _("“%(question)s” must be answered.") % {"question": question.label}
            continue
        try:
            cleaned[code] = _typed(question, raw)
        except ValueError as error:
            errors[code] = str(error)
    if errors:
        raise InvalidAnswers(errors)
    return cleaned


def _typed(question: Question, raw: Any) -> Any:
    datatype = QuestionDatatype(question.datatype)
    if datatype in TEXT_LIMITS:
        text = str(raw).strip()
        if len(text) > TEXT_LIMITS[datatype]:
            limit = TEXT_LIMITS[datatype]
            raise ValueError(
                ngettext("At most %(n)d character.", "At most %(n)d characters.", limit)
                % {"n": limit}
            )
        return text
    if datatype == QuestionDatatype.NUMBER:
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            raise ValueError(_("Expected a number.")) from None
        if not number.is_finite():
            raise ValueError(_("Expected a number."))
        return int(number) if number == number.to_integral_value() else float(number)
    if datatype == QuestionDatatype.DATETIME:
        parsed = raw if isinstance(raw, datetime) else parse_datetime(str(raw))
        if parsed is None:
            raise ValueError(_("Expected a date and time such as 2026-05-01T14:30."))
        return parsed.isoformat()
    keys = question.value_keys
    chosen = [str(item) for item in (raw if isinstance(raw, list | tuple) else [raw])]
    unknown = [item for item in chosen if item not in keys]
    if unknown:
        raise ValueError(_("Not one of the choices: %(values)s.") % {"values": ", ".join(unknown)})
    if datatype == QuestionDatatype.SINGLE:
        if len(chosen) != 1:
            raise ValueError(_("Choose exactly one."))
        return chosen[0]
    return sorted(set(chosen))


def labelled_answers(case: Case) -> list[tuple[str, str]]:
    """The answers to the category's questions, labelled as the questions are, in their order."""
    questions: list[Question] = list(case.category.questions.all()) if case.category else []
    if case.service is not None:
        questions = list(case.service.request_fields.all())
    answers = dict(case.answers)
    rows = []
    for question in questions:
        if question.code not in answers:
            continue
        value = answers.pop(question.code)
        names = {
            str(item["key"]): str(item.get("name", item["key"]))
            for item in question.values
            if isinstance(item, dict) and "key" in item
        }
        values = value if isinstance(value, list) else [value]
        rows.append((question.label, ", ".join(names.get(str(v), str(v)) for v in values)))
    # Answers to questions the category no longer asks (or asked under another category).
    rows.extend((code, str(value)) for code, value in answers.items())
    return rows
