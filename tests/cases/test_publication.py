"""The publication policy: its rule on one case and its SQL twin agree, its masking and street
cutting, and a category cannot be both sensitive and public."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cetate.cases import publication, services
from cetate.cases.choices import Kind
from cetate.cases.models import Case, Event
from cetate.cases.publication import masked, public_view, street_only
from cetate.directory.models import Category
from tests.publication.seeding import SETTINGS, STATUSES, bring_to, configure


@pytest.fixture
def register(city):
    """Cases of every kind in every reachable status, in a category of each setting, some
    without a place; each with a published summary."""
    categories = {}
    for number, setting in enumerate(SETTINGS):
        category = Category.objects.create(
            code=f"roads.s{number}", name=setting, parent=city.pothole.parent
        )
        categories[setting] = configure(category, setting)
    for kind in Kind:
        for status in STATUSES:
            for category in categories.values():
                case = city.report(kind=kind, category=category, latitude=46.0712347)
                services.publish_summary(case_id=case.pk, actor=city.dispatcher, text="Rezumat")
                if kind == Kind.INQUIRY and status not in {"new", "cancelled"}:
                    continue
                if kind == Kind.INFORMATION and status in {"in_progress", "resolved", "closed"}:
                    continue
                bring_to(city, case, status)
        city.report(
            kind=kind,
            category=categories["public, exact, description masked"],
            latitude=None,
            longitude=None,
            address="Str. Cloșca 3",
        )
    return categories


def _the_rule_and_its_sql_twin_select_the_same_cases(register):
    cases = Case.objects.select_related("category", "reporter")
    by_rule = {case.pk for case in cases if publication.is_public(case)}
    assert by_rule == set(publication.public_cases().values_list("pk", flat=True))
    shown = Case.objects.filter(pk__in=by_rule)
    assert set(shown.values_list("kind", flat=True)) == {Kind.REPORT}
    assert set(shown.values_list("status", flat=True)) == set(STATUSES) & set(
        publication.PUBLIC_STATUSES
    )
    assert {case.category.code for case in shown} == {"roads.s0", "roads.s1", "roads.s2"}


def _the_public_point_is_the_same_in_python_and_in_sql(register):
    exact = publication.exact_category_ids(register.values())
    rows = publication.public_cases().annotate(
        lat=publication.public_coordinate("latitude", exact),
        lon=publication.public_coordinate("longitude", exact),
    )
    assert rows.exists()
    for case in rows.select_related("category"):
        view = public_view(case)
        assert view is not None
        assert (view.latitude, view.longitude) == (round(case.lat, 6), round(case.lon, 6))
        assert view.exact == (case.category.code == "roads.s0")
        if not view.exact and case.latitude == 46.0712347:
            assert view.latitude == 46.071


def test_the_rule_and_its_sql_twin_agree_on_cases_points_and_updates(register):
    """One register of every kind, status and setting (it takes seconds to build)."""
    _the_rule_and_its_sql_twin_select_the_same_cases(register)
    _the_public_point_is_the_same_in_python_and_in_sql(register)
    _the_public_updates_are_the_same_in_python_and_in_sql(register)


def _the_public_updates_are_the_same_in_python_and_in_sql(register):
    events = Event.objects.select_related("case__category", "case__reporter")
    by_rule = {e.pk for e in events if publication.public_update(e, e.case) is not None}
    query = publication.public_updates_q(Category.objects.all())
    assert by_rule == set(Event.objects.filter(query).values_list("pk", flat=True))
    summaries = Event.objects.filter(pk__in=by_rule, kind="summary_published")
    assert {e.case.category.code for e in summaries.select_related("case__category")} == {
        "roads.s2"
    }


def test_the_text_follows_the_category(city):
    case = city.report(description="Groapă; Ion Popescu, 0744 123 456", address="Str. Cloșca 3")
    services.publish_summary(case_id=case.pk, actor=city.dispatcher, text="Groapă pe carosabil.")
    case.refresh_from_db()
    texts = {}
    for setting in (
        "public, exact, description masked",
        "public, rounded, no text",
        "public, rounded, summary",
    ):
        configure(city.pothole, setting)
        view = public_view(Case.objects.select_related("category", "reporter").get(pk=case.pk))
        assert view is not None and view.address == "Str. Cloșca"
        texts[setting] = view.text
    assert texts == {
        "public, exact, description masked": "Groapă; [hidden] [hidden], [hidden]",
        "public, rounded, no text": "",
        "public, rounded, summary": "Groapă pe carosabil.",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sunați la 0744 123 456.", "Sunați la [hidden]."),
        ("Tel: +40 744-123-456 sau (0258) 811.111", "Tel: [hidden] sau [hidden]"),
        ("Scrieți la ion.popescu@example.org!", "Scrieți la [hidden]!"),
        ("CNP 1850101012345", "CNP [hidden]"),
        (
            "Din 12.03.2026, în fața nr. 14, 3 stâlpi",
            "Din 12.03.2026, în fața nr. [hidden], 3 stâlpi",
        ),
        (
            "Str. Traian nr.24, bl A2, ap. 14/B",
            "Str. Traian nr.[hidden], bl [hidden], ap. [hidden]",
        ),
        ("Un nr. mare de gropi, etaj superior", "Un nr. mare de gropi, etaj superior"),
        ("Ion Popescu și Popescu Ion", "[hidden] [hidden] și [hidden] [hidden]"),
    ],
)
def test_contact_data_is_masked(text, expected):
    assert masked(text, names=["Ion Popescu"]) == expected


@pytest.mark.parametrize(
    ("address", "street"),
    [
        ("Str. Cloșca 3", "Str. Cloșca"),
        ("Strada Mihai Viteazul nr. 12, bl. A3, sc. B, ap. 14", "Strada Mihai Viteazul"),
        ("Calea Moților 101A", "Calea Moților"),
        ("Bd. 1 Decembrie 1918 20", "Bd. 1 Decembrie 1918"),
        ("Str. 1 Mai 5-7", "Str. 1 Mai"),
        ("Aleea Nucului bl 5 ap 3", "Aleea Nucului"),
        ("Piața Iuliu Maniu", "Piața Iuliu Maniu"),
        ("nr. 12", ""),
    ],
)
def test_addresses_are_cut_to_the_street(address, street):
    assert street_only(address) == street


def test_a_sensitive_category_is_never_public(city):
    city.noise.sensitive = True
    city.noise.public_map = True
    with pytest.raises(ValidationError) as refused:
        city.noise.full_clean()
    assert "public_map" in refused.value.message_dict
    # The database refuses it too, whatever wrote it.
    with pytest.raises(IntegrityError), transaction.atomic():
        city.noise.save()
