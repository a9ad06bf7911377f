"""Template filters of the service articles: a field in the page's language, and Markdown
rendered and sanitised (cetate/knowledge/rendering.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from cetate.knowledge.rendering import render_markdown

register = template.Library()


@register.filter
def article_text(content: Any, name: str) -> str:
    """`{{ version|article_text:"steps" }}`: the field in the active language, Romanian where
    the English text is missing."""
    return str(content.text(name))


@register.filter
def markdown(source: str) -> SafeString:
    """`{{ text|markdown }}`: Markdown as sanitised HTML."""
    return render_markdown(source or "")
