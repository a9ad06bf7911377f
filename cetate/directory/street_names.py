"""How Romanian street names are written: type words, abbreviations, number ranges.

Shared by the street import (to split and key what the post office published) and the
gazetteer search (to read what a resident types).
"""

from __future__ import annotations

import re

from cetate.lib.text import fold

# Folded spellings of a street type, abbreviations included, and the one word that stands for
# the type in search keys. "dr" is left out on purpose: it also abbreviates "doctor".
TYPE_ALIASES: dict[str, str] = {
    alias: canonical
    for canonical, aliases in {
        "strada": ("strada", "str"),
        "bulevard": ("bulevard", "bulevardul", "bulevardului", "bd", "bdul", "blvd"),
        "piata": ("piata", "pta"),
        "piateta": ("piateta", "piatetei"),
        "cale": ("cale", "calea", "caii", "cal"),
        "alee": ("alee", "aleea", "al", "aleii"),
        "sosea": ("sosea", "soseaua", "sos", "soselei"),
        "splai": ("splai", "splaiul", "spl"),
        "intrare": ("intrare", "intrarea", "intr"),
        "fundatura": ("fundatura", "fundaturii", "fnd"),
        "pasaj": ("pasaj", "pasajul"),
        "drum": ("drum", "drumul"),
        "cartier": ("cartier", "cartierul"),
    }.items()
    for alias in aliases
}

# Titles in street names, as people shorten them: "dr ratiu" is "Rațiu Ion, doctor".
TITLE_ABBREVIATIONS: dict[str, frozenset[str]] = {
    "dr": frozenset({"doctor"}),
    "prof": frozenset({"profesor"}),
    "acad": frozenset({"academician"}),
    "mitr": frozenset({"mitropolit"}),
    "gen": frozenset({"general"}),
    "ing": frozenset({"inginer"}),
    "av": frozenset({"aviator"}),
    "col": frozenset({"colonel"}),
    "cpt": frozenset({"capitan"}),
    "lt": frozenset({"locotenent"}),
    "sf": frozenset({"sfantul", "sfanta", "sfintii", "sfintilor"}),
}

# Hyphenated abbreviations fold into two words ("b-dul" → "b dul"): join them back.
_SPLIT_ABBREVIATIONS = re.compile(r"\b(?:b dul|bd ul|p ta)\b")

# Where the house numbers or blocks start in "Alecsandri Vasile nr. 1-51C; 4-68" or
# "Transilvaniei bl.16, 17": a "nr"/"bl" word with a dot, or followed by a digit.
_RANGE_START = re.compile(r"(?:^|\s)(?=(?:nr|bl|bloc|blocuri)(?:\.|\s+\d))", re.IGNORECASE)


# A house number as people write one: digits, a letter or "bis" after them, or a range.
_HOUSE_NUMBER = re.compile(r"(?<!\w)\d+(?:\s*[-/]\s*\d+)?(?:\s?bis|[a-zA-Z])?(?![\w])")


def canonical_type(street_type: str) -> str:
    """The search word of a street type: "Bulevardul", "B-dul" and "bd." all give "bulevard"."""
    folded = query_text(street_type)
    return TYPE_ALIASES.get(folded, folded)


def query_text(text: str) -> str:
    """Folded text with hyphenated abbreviations ("b-dul", "p-ța") made single words."""
    return _SPLIT_ABBREVIATIONS.sub(lambda match: match.group(0).replace(" ", ""), fold(text))


def split_street_and_range(text: str) -> tuple[str, str]:
    """("1 Decembrie 1918", "bl. A2") from "1 Decembrie 1918 bl. A2"; the range keeps its
    marker and its spelling, so that writing name and range back gives the original text."""
    text = " ".join(text.split())
    match = _RANGE_START.search(text)
    if match is None:
        return text, ""
    return text[: match.start()].strip(), text[match.end() :].strip()


def house_numbers(text: str) -> list[str]:
    """The words of `text` that may be house numbers, as typed: "12", "12A", "12-14", "5bis"."""
    return _HOUSE_NUMBER.findall(text)


def join_street_and_range(name: str, number_range: str) -> str:
    return f"{name} {number_range}".strip()


def split_leading_type(text: str) -> tuple[str, str]:
    """("Strada", "Mihai Viteazul") from "Strada Mihai Viteazul"; ("", text) without a type."""
    first, _, rest = " ".join(text.split()).partition(" ")
    if rest and query_text(first) in TYPE_ALIASES:
        return first, rest
    return "", text.strip()


def search_key(street_type: str, name: str) -> str:
    """Folded name words and the type's search word, sorted: one key per street, whatever the
    spelling, accents or word order ("Brătianu Ion" and "Ion Bratianu" share it)."""
    type_words = [canonical_type(street_type)] if street_type.strip() else []
    return " ".join(sorted(fold(name).split() + type_words))[:300]
