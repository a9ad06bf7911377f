from dataclasses import dataclass

import pytest

from cetate.accounts.models import User
from cetate.accounts.roles import Role
from cetate.knowledge import services
from cetate.knowledge.models import Article
from cetate.test import City, make_user


@dataclass
class Editors:
    technical: User
    lighting: User


@pytest.fixture
def editors(city: City) -> Editors:
    return Editors(
        technical=make_user("redactor", Role.EDITOR, departments=(city.technical,)),
        lighting=make_user("redactor-iluminat", Role.EDITOR, departments=(city.lighting,)),
    )


def draft_article(city: City, editor: User, code: str = "spargere", **content: str) -> Article:
    texts = {
        "title": "Autorizație de spargere a trotuarului",
        "title_en": "Permit to dig up a pavement",
        "summary": "Pentru racorduri prin trotuar.",
        "steps": "1. Depuneți cererea.\n2. Plătiți taxa.",
        **content,
    }
    return services.create_article(
        actor=editor, code=code, department=city.technical, content=texts
    )


@pytest.fixture
def published(city: City, editors: Editors) -> Article:
    article = draft_article(city, editors.technical)
    services.publish(actor=editors.technical, article=article)
    article.refresh_from_db()
    return article
