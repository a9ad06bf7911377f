"""A service of the catalogue residents can request online, as the tests of the portal and the
API use it."""

from cetate.accounts.models import User
from cetate.directory.models import QuestionDatatype
from cetate.knowledge import services
from cetate.knowledge.models import Article, LifeEvent, RequiredAttachment, ServiceField
from cetate.test import City
from tests.knowledge.conftest import draft_article


def online_service(city: City, editor: User) -> Article:
    """A published service of the technical department that can be requested online, within
    15 days, with two questions and two documents (one of them optional)."""
    article = draft_article(city, editor, code="spargere", title="Autorizație de spargere")
    event = LifeEvent.objects.create(code="construiesc", name="Construiesc o casă")
    article.draft.life_events.add(event)
    services.publish(actor=editor, article=article)
    Article.objects.filter(pk=article.pk).update(online=True, term_days=15)
    ServiceField.objects.create(
        article=article,
        code="street",
        question="Strada",
        question_en="Street",
        datatype=QuestionDatatype.STRING,
        required=True,
    )
    ServiceField.objects.create(
        article=article,
        code="length",
        question="Lungimea (m)",
        question_en="Length (m)",
        datatype=QuestionDatatype.NUMBER,
    )
    RequiredAttachment.objects.create(
        article=article, code="plan", name="Plan de situație", name_en="Site plan"
    )
    RequiredAttachment.objects.create(
        article=article, code="aviz", name="Aviz de la operator", required=False
    )
    article.refresh_from_db()
    return article
