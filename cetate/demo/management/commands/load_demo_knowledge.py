"""Load the demo city's knowledge base: its service articles, published (demo mode only)."""

from __future__ import annotations

from typing import Any, cast

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.demo.knowledge import load_demo_knowledge
from cetate.demo.mode import DemoDataError
from cetate.lib.commands import TranslatedCommand


class Command(TranslatedCommand):
    help = cast(
        str,
        gettext_lazy(
            "Publish the demo city's service articles, in Romanian and English, after "
            "load_demo_city (demo mode only; running it again adds only missing articles)."
        ),
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_demo_knowledge()
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "Demo knowledge base: %(created)d articles published now; %(articles)d demo "
                "articles in all, %(online)d of them requested online; %(events)d life events."
            )
            % {
                "created": report.created,
                "articles": report.articles,
                "online": report.online,
                "events": report.life_events,
            }
        )
