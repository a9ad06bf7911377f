"""The categories a case can be filed under, as staff and residents look for them.

Search ignores accents and case and matches the beginnings of words in the name (both
languages), the group's name and the keywords: "groapa" finds "Groapă în carosabil".
"""

from __future__ import annotations

from itertools import groupby

from cetate.directory.models import Category
from cetate.lib.text import fold


def choosable_categories() -> list[Category]:
    """Active categories (not groups), in the order of their groups."""
    categories = Category.objects.filter(is_active=True, parent__isnull=False).select_related(
        "parent"
    )
    return sorted(
        categories,
        key=lambda c: (c.parent.order if c.parent else 0, c.parent_id or 0, c.order, c.name),
    )


def grouped(categories: list[Category]) -> list[tuple[str, list[Category]]]:
    """Categories under their group's label, for an <optgroup> list."""
    return [
        (group.label if group else "", list(members))
        for group, members in groupby(categories, key=lambda c: c.parent)
    ]


def search_categories(query: str, *, limit: int = 30) -> list[Category]:
    """Categories whose words start with every word of the query, best matches first."""
    wanted = fold(query).split()
    categories = choosable_categories()
    if not wanted:
        return categories[:limit]
    found = []
    for position, category in enumerate(categories):
        own = fold(f"{category.name} {category.name_en}").split()
        around = fold(
            f"{category.parent.name if category.parent else ''} "
            f"{category.parent.name_en if category.parent else ''} {category.keywords}"
        ).split()
        if all(_starts_any(word, own + around) for word in wanted):
            # Words matched in the category's own name rank above those matched around it.
            in_own = sum(_starts_any(word, own) for word in wanted)
            found.append((-in_own, position, category))
    return [category for *_rank, category in sorted(found, key=lambda row: row[:2])][:limit]


def _starts_any(prefix: str, words: list[str]) -> bool:
    return any(word.startswith(prefix) for word in words)
