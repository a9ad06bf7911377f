"""The city's directory: who acts (departments, external organisations), on what (categories),
where (areas and streets) and when (extra non-working days).

All of it is data, edited in the admin and imported/exported by management commands.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cetate.cases.choices import Kind, Outcome, RefusalGround
from cetate.cases.workflow import Status
from cetate.lib.geo import GeometryError, parse_polygon
from cetate.lib.i18n import pick_language


class LocalizedName(models.Model):
    name = models.CharField(_("name (Romanian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick_language(self.name, {"en": self.name_en})


class Department(LocalizedName):
    class Kind(models.TextChoices):
        INTERNAL = "internal", _("city hall department")
        EXTERNAL = "external", _("external organisation")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.INTERNAL)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    # The head who signs the department's answers beside the head of the institution.
    head_name = models.CharField(_("head's name (signs answers)"), max_length=200, blank=True)
    head_title = models.CharField(
        _("head's title"), max_length=200, blank=True, help_text=_("e.g. Director executiv")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments and external organisations")
        ordering = ["kind", "name"]

    @property
    def is_external(self) -> bool:
        return self.kind == self.Kind.EXTERNAL


RETENTION_YEARS_LIMITS = [MinValueValidator(1), MaxValueValidator(100)]


class FileCode(LocalizedName):
    """An entry of the city hall's archival nomenclature (nomenclatorul arhivistic): the file
    cases of some categories are kept in, and for how long (Law 16/1996 on the National
    Archives). Its term counts from 1 January of the year after a case is closed."""

    code = models.CharField(
        _("indicative"),
        max_length=30,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")],
        help_text=_("The file's indicative in the nomenclature, e.g. II-4."),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("kept for (years)"), validators=RETENTION_YEARS_LIMITS
    )
    kept_by_law = models.BooleanField(
        _("kept by law"),
        default=True,
        help_text=_(
            "The law requires keeping these files for their whole term: a request to erase "
            "a resident's data waits for its end (GDPR art. 17 (3) (b))."
        ),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("file code of the archival nomenclature")
        verbose_name_plural = _("archival nomenclature")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class LegalBasis(LocalizedName):
    """A legal basis an answer may state for its outcome, chosen by the officer from the
    list for the case's kind and outcome (e.g. a refusal of public information: one of the
    exemptions of Law 544/2001 art. 12). `name` is the sentence the answer letter prints."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    citation = models.CharField(
        _("citation"), max_length=200, help_text=_("e.g. Law 544/2001, art. 12 (1) (d)")
    )
    kind = models.CharField(
        _("kind of case"),
        max_length=12,
        choices=Kind,
        blank=True,
        help_text=_("Empty: every kind of petition."),
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome)
    refusal_ground = models.CharField(
        _("ground of refusal"),
        max_length=12,
        choices=RefusalGround,
        blank=True,
        help_text=_("For refusals of public information: how the yearly report counts it."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases of answers")
        ordering = ["outcome", "order", "code"]


class ServiceTargetUnit(models.TextChoices):
    HOURS = "h", _("hours")
    WORKING_DAYS = "d", _("working days")


class WhenNotResolved(models.TextChoices):
    REOPEN = "reopen", _("reopen the case")
    FLAG = "flag", _("flag it for the supervisor")


SENSITIVE_AND_PUBLIC = _("A sensitive category is never public: untick one of the two.")


class PublicLocation(models.TextChoices):
    """Where the public sees a case of the category (cetate/cases/publication)."""

    EXACT = "exact", _("exact (things in the street: a pothole, a lamp, a fallen tree)")
    ROUNDED = "rounded", _("rounded to about 50 m (anything that may point at a home)")


class PublicText(models.TextChoices):
    """What the public reads of a case of the category (cetate/cases/publication)."""

    NONE = "none", _("no text")
    MASKED = "masked", _("the resident's description, phone numbers, emails and CNPs masked")
    SUMMARY = "summary", _("only a summary published by staff")


class Category(LocalizedName):
    """A two-level tree: groups (no parent) hold the categories residents choose."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="categories",
    )
    service_target = models.PositiveIntegerField(_("service target"), null=True, blank=True)
    service_target_unit = models.CharField(
        _("service target unit"),
        max_length=1,
        choices=ServiceTargetUnit,
        default=ServiceTargetUnit.WORKING_DAYS,
    )
    anonymous_allowed = models.BooleanField(_("anonymous reports allowed"), default=False)
    public_map = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "Reports of problems in this category are shown on the public map and list, in "
            "Open311 and to webhooks, as the next settings say."
        ),
    )
    public_location = models.CharField(
        _("public location"),
        max_length=8,
        choices=PublicLocation,
        default=PublicLocation.ROUNDED,
    )
    public_text = models.CharField(
        _("public text"), max_length=8, choices=PublicText, default=PublicText.NONE
    )
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("Cases of a sensitive category are never public."),
    )
    outside_city_allowed = models.BooleanField(
        _("locations outside the city allowed"), default=False
    )
    when_not_resolved = models.CharField(
        _("when the resident says the problem is not solved"),
        max_length=8,
        choices=WhenNotResolved,
        default=WhenNotResolved.REOPEN,
    )
    file_code = models.ForeignKey(
        FileCode,
        verbose_name=_("file code"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="categories",
        help_text=_("Empty: the group's file code, else the installation's retention."),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("kept for (years)"),
        null=True,
        blank=True,
        validators=RETENTION_YEARS_LIMITS,
        help_text=_("Empty: as long as its file code says."),
    )
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(public_map=True, sensitive=True),
                name="category_sensitive_never_public",
                violation_error_message=SENSITIVE_AND_PUBLIC,
            )
        ]

    def clean(self) -> None:
        if self.parent_id is not None and self.parent and self.parent.parent_id is not None:
            raise ValidationError({"parent": _("Categories have two levels: pick a group.")})
        if self.public_map and self.sensitive:
            raise ValidationError({"public_map": SENSITIVE_AND_PUBLIC})

    @property
    def is_group(self) -> bool:
        return self.parent_id is None

    @property
    def full_label(self) -> str:
        return f"{self.parent.label} › {self.label}" if self.parent else self.label


class QuestionDatatype(models.TextChoices):
    """Open311 GeoReport v2 attribute datatypes."""

    STRING = "string", _("short text")
    NUMBER = "number", _("number")
    DATETIME = "datetime", _("date and time")
    TEXT = "text", _("long text")
    SINGLE = "singlevaluelist", _("one choice from a list")
    MULTI = "multivaluelist", _("several choices from a list")


class Attribute(models.Model):
    """A question asked of a resident in the Open311 attribute shape: a category's extra
    question, an online service's field."""

    code = models.SlugField(_("code"), max_length=60)
    question = models.CharField(_("question (Romanian)"), max_length=300)
    question_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    description = models.TextField(_("help text"), blank=True)
    datatype = models.CharField(
        _("answer type"), max_length=16, choices=QuestionDatatype, default=QuestionDatatype.STRING
    )
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    values = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_('For lists: [{"key": "k1", "name": "Shown name"}, …]'),
    )

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick_language(self.question, {"en": self.question_en})

    @property
    def value_keys(self) -> set[str]:
        items = [item for item in self.values if isinstance(item, dict) and "key" in item]
        return {str(item["key"]) for item in items}

    def clean(self) -> None:
        is_list = self.datatype in {QuestionDatatype.SINGLE, QuestionDatatype.MULTI}
        if is_list and not self.value_keys:
            raise ValidationError({"values": _("A list question needs at least one choice.")})


class CategoryQuestion(Attribute):
    """An extra question of a category (an Open311 attribute)."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="questions"
    )

    class Meta(Attribute.Meta):
        verbose_name = _("extra question")
        verbose_name_plural = _("extra questions")
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="question_code_per_category")
        ]


class TemplatePurpose(models.TextChoices):
    """What a model answer is for: a message on the way (an acknowledgement, a request for
    information, a notice), or the answer itself, with the outcome it states."""

    MESSAGE = "message", _("a message or notice, not the answer")
    ANSWER = "answer", _("the answer, whatever its outcome")
    GRANTED = "granted", _("the answer: granted")
    PARTLY_GRANTED = "partly_granted", _("the answer: partly granted")
    REFUSED = "refused", _("the answer: refused")


# The purposes that answer a case, and the outcome each states ("" for any outcome).
ANSWER_PURPOSES: dict[str, str] = {
    TemplatePurpose.ANSWER: "",
    TemplatePurpose.GRANTED: Outcome.GRANTED,
    TemplatePurpose.PARTLY_GRANTED: Outcome.PARTLY_GRANTED,
    TemplatePurpose.REFUSED: Outcome.REFUSED,
}


ANSWERING_STATUSES = (Status.RESOLVED, Status.CLOSED)


def purpose_from_status(status: str) -> str:
    """The purpose of a template marked only by its status: an answer for a case resolved
    or closed, a message otherwise."""
    if status in ANSWERING_STATUSES:
        return TemplatePurpose.ANSWER
    return TemplatePurpose.MESSAGE


class ResponseTemplate(models.Model):
    """A model answer officers start from; placeholders are filled from the case."""

    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="response_templates",
        help_text=_("Empty: offered for every category."),
    )
    status = models.CharField(
        _("for status"),
        max_length=20,
        blank=True,
        choices=Status,
        help_text=_("The status the answer leads to or is written in; empty: every status."),
    )
    purpose = models.CharField(
        _("for"),
        max_length=16,
        choices=TemplatePurpose,
        blank=True,
        help_text=_(
            "An acknowledgement or a request for information is a message; only answers are "
            "offered when a case is resolved, those for one outcome only when it is chosen. "
            "Empty: an answer if its status is resolved or closed, a message otherwise."
        ),
    )
    language = models.CharField(_("language"), max_length=8, default="ro")
    body = models.TextField(
        _("text"),
        help_text=_(
            "Placeholders: {number}, {date}, {category}, {address}, {officer}, {deadline}, "
            "{resident}."
        ),
    )

    class Meta:
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def serves(self) -> str:
        """What the template is for, its status deciding when no purpose is chosen."""
        return self.purpose or purpose_from_status(self.status)

    def render(self, values: dict[str, Any]) -> str:
        """The text with its known placeholders filled; unknown ones and stray braces stay."""
        return _PLACEHOLDER.sub(lambda match: str(values.get(match[1], match[0])), self.body)


# Only plain names: str.format would also let a template reach attributes of the values.
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class Area(models.Model):
    """A polygon of the city: the municipality boundary, a neighbourhood, a district."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        NEIGHBOURHOOD = "neighbourhood", _("neighbourhood")
        DISTRICT = "district", _("district")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.NEIGHBOURHOOD)
    geometry = models.JSONField(_("geometry (GeoJSON)"))
    # The bounding box lets the database discard most areas before shapely is asked.
    min_lon = models.FloatField(editable=False, default=0)
    min_lat = models.FloatField(editable=False, default=0)
    max_lon = models.FloatField(editable=False, default=0)
    max_lat = models.FloatField(editable=False, default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = parse_polygon(self.geometry).bounds
        super().save(*args, **kwargs)

    def clean(self) -> None:
        try:
            parse_polygon(self.geometry)
        except GeometryError as error:
            raise ValidationError({"geometry": str(error)}) from error


class RoutingRule(models.Model):
    """Within an area, a category goes to another department than its default one."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="routing_rules"
    )
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["category", "area"], name="one_rule_per_category_area")
        ]

    def __str__(self) -> str:
        return f"{self.category} @ {self.area} → {self.department}"


class Street(models.Model):
    """A street of the gazetteer; one row per postal-code range of a street."""

    street_type = models.CharField(_("type"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=200)
    number_range = models.CharField(_("numbers"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    # Folded (lower case, no diacritics, words sorted) so that search ignores accents and order.
    search_key = models.CharField(max_length=300, db_index=True, editable=False)
    geometry = models.JSONField(_("geometry (GeoJSON)"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["name", "number_range"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.street_type} {self.name}".strip()


class NonWorkingDay(models.Model):
    """A day off granted by the government on top of the legal public holidays."""

    date = models.DateField(_("date"), unique=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("extra non-working day")
        verbose_name_plural = _("extra non-working days")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}".strip()
