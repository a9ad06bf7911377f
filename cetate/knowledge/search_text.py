"""The text of a published version the knowledge search reads: its titles, keywords,
summaries and bodies in both languages, folded (lower case, no diacritics, no punctuation), in
one column. Written when a version is published (`services.publish`); a search index (full-text
on PostgreSQL, FTS5 on SQLite) is built from this column and the fields it names."""

from __future__ import annotations

from collections.abc import Mapping

from cetate.knowledge.models import SEARCHED_FIELDS
from cetate.lib.text import fold


def search_text_of(content: Mapping[str, str]) -> str:
    """The folded text of an article's fields, most telling first."""
    return "\n".join(fold(content.get(name, "")) for name in SEARCHED_FIELDS if content.get(name))
