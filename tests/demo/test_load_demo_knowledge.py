"""load_demo_knowledge: the demo city's service articles, published, in demo mode only."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cetate.knowledge.models import Article, LifeEvent
from cetate.knowledge.queries import public_articles, public_version


@pytest.fixture
def demo_city(db):
    call_command("load_demo_city", stdout=StringIO())


def test_refuses_outside_demo_mode(demo_city, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="CETATE_DEMO=true"):
        call_command("load_demo_knowledge", stdout=StringIO())
    assert not Article.objects.exists()


def test_publishes_forty_articles_in_two_languages_marked_as_demo(demo_city):
    out = StringIO()
    call_command("load_demo_knowledge", stdout=out)

    articles = Article.objects.all()
    assert articles.count() >= 40
    assert public_articles().count() == articles.count()
    assert not articles.filter(is_demo=False).exists()
    for article in public_articles():
        version = article.published
        assert version.title and version.title_en and version.summary and version.summary_en
        assert version.steps and version.office and version.legal_term
        assert version.search_text
    assert LifeEvent.objects.filter(code="child-born").exists()
    birth = public_version("inregistrarea-nasterii")
    assert {event.code for event in birth.life_events.all()} == {"child-born"}
    assert "Gratuit" in birth.fees
    assert "articles published now" in out.getvalue()


def test_online_services_carry_their_fields_and_documents(demo_city):
    call_command("load_demo_knowledge", stdout=StringIO())

    online = Article.objects.filter(online=True)
    assert online.count() >= 8
    for article in online:
        assert article.request_fields.filter(required=True).exists(), article.code
        assert article.term_days
    assert online.filter(request_documents__isnull=False).distinct().count() >= 8
    permit = Article.objects.get(code="certificat-de-urbanism")
    purpose = permit.request_fields.get(code="purpose")
    assert purpose.datatype == "singlevaluelist"
    assert {value["key"] for value in purpose.values} >= {"build", "info"}
    assert permit.department.code == "planning"


def test_running_again_adds_nothing(demo_city):
    call_command("load_demo_knowledge", stdout=StringIO())
    versions = [article.published_id for article in Article.objects.order_by("pk")]

    call_command("load_demo_knowledge", stdout=StringIO())

    assert [article.published_id for article in Article.objects.order_by("pk")] == versions


def test_some_articles_are_due_for_review(demo_city):
    from cetate.knowledge.queries import stale_q

    call_command("load_demo_knowledge", stdout=StringIO())
    assert Article.objects.filter(stale_q()).exists()
    assert Article.objects.exclude(stale_q()).exists()
