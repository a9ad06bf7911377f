"""The portal's own mail: sign-in links, confirmations, and updates to a case's followers.

Rendered in the request, owed in the outbox and sent by the worker: a mail server that is down
or slow never holds up a page, and the message goes when it is back.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from cetate.outbox.posting import post_message


def absolute(url_name: str, *args: Any) -> str:
    return settings.SITE_URL + reverse(url_name, args=args)


def mail_language(language: str | None) -> str:
    """`language` when the site speaks it, else the site's default (Romanian)."""
    code = (language or "").split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def send(
    *,
    to: str,
    language: str | None,
    subject: Promise,
    template: str,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> None:
    """Owe `template` rendered with `context` in `language`; `subject` is a lazy translation,
    formatted with `context`."""
    with translation.override(mail_language(language)):
        body, title = compose(subject=subject, template=template, context=context)
    post_message(to=to, subject=title, body=body, headers=headers)


def compose(*, subject: Promise, template: str, context: dict[str, Any]) -> tuple[str, str]:
    """The body and the one-line subject of a portal mail, in the active language."""
    body = render_to_string(template, {**context, "city_name": settings.CITY_NAME})
    title = str(subject) % context
    return body, " ".join(title.split())
