"""Searching the knowledge base: what residents and dispatchers type, without diacritics,
misspelt or in another form of the word, finds the service they mean; drafts are never found;
a search that finds nothing is counted for editors. Runs on SQLite and on PostgreSQL."""

import pytest
from django.urls import reverse

from cetate.knowledge import services
from cetate.knowledge.models import Article, UnansweredSearch
from cetate.knowledge.search import search_articles
from cetate.test import City
from tests.knowledge.conftest import Editors

ARTICLES = {
    "certificat-urbanism": {
        "title": "Certificat de urbanism",
        "title_en": "Urban planning certificate",
        "keywords": "construire, teren, casă",
        "summary": "Îl cereți înainte de a construi sau de a vinde un teren.",
        "steps": "1. Depuneți cererea la ghișeu.\n2. Plătiți taxa de eliberare.",
    },
    "prelungire-autorizatie": {
        "title": "Prelungirea autorizației de construire sau a certificatului de urbanism",
        "title_en": "Extending a building permit or an urban planning certificate",
        "summary": "Cereți prelungirea cu cel puțin 15 zile înainte să expire.",
    },
    "certificat-nastere": {
        "title": "Certificat de naștere",
        "title_en": "Birth certificate",
        "summary": "Eliberarea certificatului de naștere pentru un copil nou-născut.",
        "documents": "- actul de identitate al părinților",
    },
    "taxa-salubrizare": {
        "title": "Taxă de salubrizare",
        "title_en": "Waste collection fee",
        "summary": "Plata taxei anuale pentru ridicarea gunoiului menajer.",
    },
    "sesizari": {
        "title": "Sesizări și reclamații",
        "title_en": "Reports and complaints",
        "summary": "Cum trimiteți o sesizare despre o problemă din oraș.",
    },
    "parcare-rezidentiala": {
        "title": "Abonament de parcare rezidențială",
        "title_en": "Residential parking permit",
        "keywords": "mașină, loc de parcare",
        "summary": "Un loc de parcare lângă bloc, pe an.",
    },
}

# What is typed → the article that must come first.
QUERIES = [
    ("taxa", "taxa-salubrizare"),  # no diacritics
    ("TAXĂ", "taxa-salubrizare"),
    ("sesizari", "sesizari"),
    ("sesizarea", "sesizari"),  # another inflection
    ("certificatul de urbanism", "certificat-urbanism"),  # several words, inflected
    ("urbanizm", "certificat-urbanism"),  # a typo
    ("certficat nastere", "certificat-nastere"),  # a typo and a missing diacritic
    ("certificatului de naștere", "certificat-nastere"),
    ("nasterea", "certificat-nastere"),
    ("parcarea", "parcare-rezidentiala"),
    ("abonamentul parcare", "parcare-rezidentiala"),
    ("gunoi", "taxa-salubrizare"),  # a word of the summary
    ("salubrizarea", "taxa-salubrizare"),
    ("masina", "parcare-rezidentiala"),  # a keyword
    ("parking", "parcare-rezidentiala"),  # English
    ("birth certificate", "certificat-nastere"),
    ("complaint", "sesizari"),
    ("urbanism teren casa", "certificat-urbanism"),
]


@pytest.fixture
def catalogue(city: City, editors: Editors) -> dict[str, Article]:
    articles = {}
    for code, content in ARTICLES.items():
        article = services.create_article(
            actor=editors.technical, code=code, department=city.technical, content=content
        )
        services.publish(actor=editors.technical, article=article)
        articles[code] = article
    return articles


@pytest.mark.parametrize(("typed", "expected"), QUERIES)
def test_what_is_typed_finds_its_article_first(catalogue, typed, expected):
    found = search_articles(typed)

    assert found, f"nothing found for {typed!r}"
    assert found[0].code == expected
    assert found[0].published is not None and found[0].published.title


def test_several_words_prefer_the_articles_holding_all_of_them(catalogue):
    codes = [article.code for article in search_articles("certificat urbanism")]

    assert codes[0] == "certificat-urbanism"
    assert "certificat-nastere" in codes[1:]


def test_the_most_specific_title_holding_every_word_comes_first(catalogue):
    codes = [article.code for article in search_articles("certificatul de urbanism")]

    assert codes[:2] == ["certificat-urbanism", "prelungire-autorizatie"]


def test_a_word_of_the_title_ranks_above_the_same_word_in_the_body(catalogue):
    codes = [article.code for article in search_articles("taxa")]

    # "Taxă de salubrizare" names it; the urban planning certificate only mentions a fee.
    assert codes == ["taxa-salubrizare", "certificat-urbanism"]


def test_drafts_and_unpublished_changes_are_never_found(city, editors, catalogue):
    services.create_article(
        actor=editors.technical,
        code="desfiintare",
        department=city.technical,
        content={"title": "Autorizație de desființare", "summary": "Demolarea unei clădiri."},
    )
    services.save_draft(
        actor=editors.technical,
        article=catalogue["sesizari"],
        content={"summary": "Text nou despre petiții, încă nepublicat."},
    )

    assert search_articles("desfiintare") == []
    assert search_articles("demolare") == []
    assert search_articles("petitii") == []


def test_a_new_version_is_found_by_its_new_words_only(editors, catalogue):
    article = catalogue["sesizari"]
    services.save_draft(
        actor=editors.technical,
        article=article,
        content={"summary": "Cum trimiteți o petiție primăriei."},
    )
    services.publish(actor=editors.technical, article=article)

    assert [found.code for found in search_articles("petitie")] == ["sesizari"]
    assert search_articles("problema oras") == []
    assert search_articles("petitie")[0].published.number == 2


def test_a_search_with_no_result_is_counted_for_editors(catalogue):
    assert search_articles("Pașaport   electronic") == []
    assert search_articles("pasaport electronic!") == []
    assert search_articles("pasaport electronic", language="en") == []
    search_articles("taxa")

    counted = {(row.query, row.language): row.count for row in UnansweredSearch.objects.all()}
    assert counted == {("pasaport electronic", "ro"): 2, ("pasaport electronic", "en"): 1}


def test_an_empty_or_punctuation_only_search_finds_nothing_and_counts_nothing(catalogue):
    assert search_articles("") == []
    assert search_articles(" ?! ") == []
    assert not UnansweredSearch.objects.exists()


def test_the_limit_is_kept(catalogue):
    assert len(search_articles("certificat", limit=1)) == 1


def test_a_resident_searches_the_portal_and_reaches_the_service_page(client, catalogue):
    page = client.get("/servicii/cauta/", {"q": "certificatul de nastere"})
    html = page.content.decode()

    assert page.status_code == 200
    assert html.index("Certificat de naștere") < html.index("Certificat de urbanism")
    assert 'href="/servicii/certificat-nastere/"' in html
    assert "Eliberarea certificatului de naștere" in html


def test_the_english_address_searches_alike(client, catalogue):
    page = client.get("/services/search/", {"q": "parcare"}, HTTP_ACCEPT_LANGUAGE="en")

    assert 'href="/servicii/parcare-rezidentiala/"' in page.content.decode()
    assert "Residential parking permit" in page.content.decode()


def test_a_search_without_results_says_so_and_is_counted(client, catalogue):
    page = client.get("/servicii/cauta/", {"q": "pașaport"})

    assert "0 servicii" in page.content.decode() or "0 services" in page.content.decode()
    assert UnansweredSearch.objects.get().query == "pasaport"


def test_the_public_search_is_rate_limited(client, catalogue):
    statuses = [client.get("/servicii/cauta/", {"q": "taxa"}).status_code for _ in range(61)]

    assert statuses == [200] * 60 + [429]


def test_the_dispatcher_reads_the_best_article_beside_the_results(client, city, catalogue):
    client.force_login(city.dispatcher)

    page = client.get(reverse("console:knowledge_search"), {"q": "taxa salubrizare"})
    html = page.content.decode()

    assert page.status_code == 200
    assert "<h1>Taxă de salubrizare</h1>" in html
    assert "Plata taxei anuale" in html


def test_the_dispatcher_opens_another_result(client, city, catalogue):
    client.force_login(city.clerk)

    page = client.get(
        reverse("console:knowledge_search"), {"q": "certificat", "open": "certificat-nastere"}
    )

    assert "<h1>Certificat de naștere</h1>" in page.content.decode()


@pytest.mark.parametrize("who", ["officer", "dpo"])
def test_the_dispatchers_search_is_for_those_answering_residents(client, city, who):
    client.force_login(getattr(city, who))

    assert client.get(reverse("console:knowledge_search"), {"q": "taxa"}).status_code == 403


def test_editors_see_the_searches_with_no_result(client, city, editors, catalogue):
    search_articles("pasaport")
    search_articles("pașapoarte electronice")
    search_articles("pasaport")
    client.force_login(editors.technical)

    list_page = client.get(reverse("console:knowledge")).content.decode()
    page = client.get(reverse("console:knowledge_unanswered")).content.decode()

    assert reverse("console:knowledge_unanswered") in list_page
    assert page.index("pasaport") < page.index("pasapoarte electronice")
    assert "<td>2</td>" in page


def test_the_searches_with_no_result_are_for_editors(client, city):
    client.force_login(city.dispatcher)

    assert client.get(reverse("console:knowledge_unanswered")).status_code == 403
