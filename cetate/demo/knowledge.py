"""The demo city's knowledge base: about forty service articles of Alba Iulia, in Romanian and
English, written for the demo (cetate/demo/data/knowledge, its README says how).

Each article is created and published through the knowledge services, as an editor would,
published on the day its file says it was last reviewed, and marked `is_demo`. Life events
are created as needed; the online services get their request fields and documents. Running it
again adds only the articles that are missing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cetate.cases.deadlines import CITY_TZ
from cetate.demo.mode import DemoDataError, require_demo_mode
from cetate.directory.models import Department
from cetate.knowledge import services
from cetate.knowledge.models import (
    CONTENT_FIELDS,
    Article,
    ArticleDraft,
    LifeEvent,
    RequiredAttachment,
    ServiceField,
)
from cetate.lib import clock

DATA = Path(__file__).resolve().parent / "data" / "knowledge"
# The texts a department's articles share unless they name their own.
DEPARTMENT_DEFAULTS = ("office", "office_en", "hours", "hours_en", "phone")


@dataclass(frozen=True)
class DemoKnowledgeReport:
    created: int
    articles: int
    online: int
    life_events: int


def read_demo_files(folder: Path = DATA) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The articles of every file, and the shared life events and department defaults."""
    articles: list[dict[str, Any]] = []
    shared: dict[str, Any] = {"life_event": [], "department": {}}
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as file:
            data = tomllib.load(file)
        articles += data.get("article", [])
        shared["life_event"] += data.get("life_event", [])
        shared["department"].update(data.get("department", {}))
    return articles, shared


def load_demo_knowledge(folder: Path = DATA) -> DemoKnowledgeReport:
    require_demo_mode()
    articles, shared = read_demo_files(folder)
    departments = {department.code: department for department in Department.objects.all()}
    missing = sorted({entry["department"] for entry in articles} - set(departments))
    if missing:
        raise DemoDataError(
            _("Load the demo city first: its departments %(codes)s are missing.")
            % {"codes": ", ".join(missing)}
        )
    with transaction.atomic():
        events = _life_events(shared["life_event"])
        existing = set(Article.objects.values_list("code", flat=True))
        new = [entry for entry in articles if entry["code"] not in existing]
        created = {
            entry["code"]: _draft(entry, departments, shared["department"], events) for entry in new
        }
        by_code = {article.code: article for article in Article.objects.all()}
        for entry in new:
            article = created[entry["code"]]
            related = [by_code[code] for code in entry.get("related", []) if code in by_code]
            ArticleDraft.objects.get(article=article).related.set(related)
            reviewed = date.fromisoformat(entry.get("reviewed", f"{clock.now().date()}"))
            with clock.replaying_at(datetime.combine(reviewed, time(10), tzinfo=CITY_TZ)):
                services.publish(actor=None, article=article)
    demo = Article.objects.filter(is_demo=True)
    return DemoKnowledgeReport(
        created=len(new),
        articles=demo.count(),
        online=demo.filter(online=True).count(),
        life_events=LifeEvent.objects.count(),
    )


def _life_events(entries: list[dict[str, Any]]) -> dict[str, LifeEvent]:
    events = {}
    for order, entry in enumerate(entries):
        event, _created = LifeEvent.objects.get_or_create(
            code=entry["code"],
            defaults={"name": entry["name"], "name_en": entry.get("name_en", ""), "order": order},
        )
        events[event.code] = event
    return events


def _draft(
    entry: dict[str, Any],
    departments: dict[str, Department],
    defaults: dict[str, dict[str, str]],
    events: dict[str, LifeEvent],
) -> Article:
    department = departments[entry["department"]]
    shared = defaults.get(department.code, {})
    content = {name: shared[name] for name in DEPARTMENT_DEFAULTS if name in shared}
    content |= {name: str(entry[name]).strip() for name in CONTENT_FIELDS if name in entry}
    article = services.create_article(
        actor=None,
        code=entry["code"],
        department=department,
        content=content,
        online=bool(entry.get("online", False)),
        term_days=entry.get("term_days"),
        is_demo=True,
    )
    draft = ArticleDraft.objects.get(article=article)
    draft.life_events.set([events[code] for code in entry.get("life_events", [])])
    for order, field in enumerate(entry.get("fields", [])):
        ServiceField.objects.create(
            article=article,
            code=field["code"],
            question=field["question"],
            question_en=field.get("question_en", ""),
            description=field.get("description", ""),
            datatype=field.get("datatype", "string"),
            required=bool(field.get("required", False)),
            values=field.get("values", []),
            order=order,
        )
    for order, document in enumerate(entry.get("request_documents", [])):
        RequiredAttachment.objects.create(
            article=article,
            code=document["code"],
            name=document["name"],
            name_en=document.get("name_en", ""),
            required=bool(document.get("required", True)),
            order=order,
        )
    return article
