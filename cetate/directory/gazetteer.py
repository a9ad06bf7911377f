"""Finding a street from what a resident or dispatcher types, or from a point on the map.

Search ignores accents, word order and case ("bratianu ion" finds "Piața Ion I.C. Brătianu"),
accepts the beginning of a word ("mihai vit"), one wrong letter in a word of four letters or
more and two in a word of seven or more. A street type word ("str", "bd", "piata", "calea"…)
raises streets of that type and is otherwise ignored; alone, it lists the streets of that
type. House numbers, "nr", "bl" and the city's own name are ignored unless a street's name
holds them; "dr", "prof", "sf"… stand for the titles they shorten; `find_address` also takes
the house number apart from the name. The database narrows the streets by pieces of the
folded words; ranking happens here, on one row per street. The portal and the console both
ask `find_address`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from typing import Any

import shapely
from django.conf import settings
from django.db.models import Q
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from cetate.directory.models import Street
from cetate.directory.street_names import (
    TITLE_ABBREVIATIONS,
    TYPE_ALIASES,
    canonical_type,
    house_numbers,
    query_text,
)
from cetate.lib.text import fold

METRES_PER_DEGREE = 111_320.0
FILLER_WORDS = frozenset(
    {"nr", "numar", "numarul", "bis", "bl", "bloc", "blocul", "sc", "scara", "ap", "et", "etaj"}
    | {"municipiul", "mun", "oras", "orasul", "judetul", "jud", "romania"}
)
# Scores: an exact word beats the beginning of a word, which beats a typo; the right type
# counts no more than a word with two wrong letters.
EXACT, PREFIX, TYPO_1, TYPO_2, TYPE = 3.0, 2.0, 1.5, 1.0, 1.0
MAX_PIECES = 40
# A number of these years in an address names the street ("Revoluției 1989"), not a house.
FIRST_YEAR, LAST_YEAR = 1800, 2100


@dataclass(frozen=True)
class StreetMatch:
    """A street of the gazetteer, its postal rows gathered."""

    display_name: str  # "Strada Mihai Viteazu"
    street_type: str  # "Strada"
    name: str  # "Mihai Viteazu"
    postal_codes: tuple[str, ...]  # distinct, in the gazetteer's order
    number_ranges: tuple[str, ...]  # "nr. 1-9; 2-8", … (empty: the whole street)
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class AddressMatch:
    """What an address typed names: the streets it may be on, best first, and the house
    number typed apart from the street's name ("12" of "Mihai Viteazu 12")."""

    streets: list[StreetMatch]
    number: str

    @property
    def street(self) -> StreetMatch | None:
        return self.streets[0] if self.streets else None

    def address_on(self, street: StreetMatch) -> str:
        """The address on `street`: "Strada Mihai Viteazu 12"."""
        return f"{street.display_name} {self.number}".strip()


@dataclass(frozen=True)
class _Token:
    text: str
    type_word: str | None  # the canonical type when the token is a street type word
    ignorable: bool  # a house number, "nr", the city's name: dropped unless a name holds it


def search_streets(query: str, *, limit: int = 10) -> list[StreetMatch]:
    """The streets best matching the query, best first, one result per street."""
    tokens = _tokens(query)
    if not tokens or limit <= 0:
        return []
    ranked: list[list[Mapping[str, Any]]] = []
    for condition in _prefilters(tokens):
        ranked = _ranked(tokens, _rows(condition))
        if ranked:
            break
    return [_match(street_rows) for street_rows in ranked[:limit]]


def find_address(text: str, *, limit: int = 5) -> AddressMatch:
    """The streets an address may be on and its house number: the last number typed that is
    not a word of the best street's name ("1 Decembrie 1918 nr. 5" is number 5) nor a year
    that names one ("Revoluției 1989", as people write what the post office lists as
    "Revolutiei")."""
    streets = search_streets(text, limit=limit)
    name_words = set(fold(streets[0].name).split()) if streets else set()
    numbers = [
        number
        for number in house_numbers(text)
        if fold(number) not in name_words and not _is_year(number)
    ]
    return AddressMatch(streets=streets, number=numbers[-1] if numbers else "")


def _is_year(number: str) -> bool:
    return number.isdigit() and len(number) == 4 and FIRST_YEAR <= int(number) <= LAST_YEAR


def _ranked(
    tokens: list[_Token], rows: Iterable[Mapping[str, Any]]
) -> list[list[Mapping[str, Any]]]:
    """The matching streets (each as its rows), best first."""
    streets: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        streets.setdefault(row["search_key"], []).append(row)
    scored: list[tuple[float, str, list[Mapping[str, Any]]]] = []
    for street_rows in streets.values():
        first = street_rows[0]
        score = _score(tokens, canonical_type(first["street_type"]), fold(first["name"]).split())
        if score is not None:
            scored.append((score, _display_name(first), street_rows))
    scored.sort(key=lambda item: (-item[0], fold(item[1]), item[1]))
    return [street_rows for _score_, _name, street_rows in scored]


def nearest_street(
    latitude: float, longitude: float, *, within_m: float | None = None
) -> StreetMatch | None:
    """The street whose geometry passes closest to the point (None when no street has a
    geometry, or none passes within `within_m` metres)."""
    located = Street.objects.filter(geometry__isnull=False).values_list("search_key", "geometry")
    # Degrees of longitude shrink towards the poles: scale them so that distances are even.
    scale = math.cos(math.radians(latitude))
    here = Point(longitude * scale, latitude)
    best: tuple[float, str] | None = None
    for key, geometry in located:
        distance = _scaled(geometry, scale).distance(here)
        if best is None or distance < best[0]:
            best = (distance, key)
    if best is None or (within_m is not None and best[0] * METRES_PER_DEGREE > within_m):
        return None
    return _match(list(_rows(Q(search_key=best[1]))))


def _scaled(geometry: Any, scale: float) -> BaseGeometry:
    return shapely.transform(shape(geometry), lambda coordinates: coordinates * [scale, 1.0])


def _tokens(query: str) -> list[_Token]:
    city_words = set(fold(settings.CITY_NAME).split())
    tokens = []
    for word in query_text(query).split():
        ignorable = (
            word in FILLER_WORDS
            or word in TITLE_ABBREVIATIONS
            or word in city_words
            or any(char.isdigit() for char in word)
        )
        tokens.append(_Token(word, TYPE_ALIASES.get(word), ignorable))
    # Longer words first: they say more, so they pick their street word before short ones.
    return sorted(tokens, key=lambda token: -len(token.text))


def _prefilters(tokens: list[_Token]) -> list[Q]:
    """Conditions on the search key, narrowest first: every word of the query has a piece
    (three letters) in the key; then, as a typo in a short word can spoil all its pieces, some
    word has. A query of type words only asks for the streets of those types."""
    words = [token for token in tokens if token.type_word is None]
    significant = [token for token in words if not token.ignorable]
    any_word = set().union(*(_pieces(token) for token in words))
    conditions: list[Q] = []
    if significant:
        conditions.append(reduce(and_, (_any_of(_pieces(token)) for token in significant)))
    if any_word and not (len(significant) == 1 and any_word == _pieces(significant[0])):
        conditions.append(_any_of(any_word))
    if not words:
        conditions.append(_any_of({token.type_word for token in tokens if token.type_word}))
    return conditions


def _pieces(token: _Token) -> set[str]:
    text = token.text
    pieces = {text} if len(text) <= 3 else {text[i : i + 3] for i in range(len(text) - 2)}
    return pieces | TITLE_ABBREVIATIONS.get(text, frozenset())


def _any_of(pieces: set[str]) -> Q:
    picked = sorted(pieces)[:MAX_PIECES]
    return reduce(or_, (Q(search_key__contains=piece) for piece in picked))


def _rows(condition: Q) -> Iterable[Mapping[str, Any]]:
    return (
        Street.objects.filter(condition)
        .order_by("id")
        .values(
            "search_key",
            "street_type",
            "name",
            "number_range",
            "postal_code",
            "latitude",
            "longitude",
        )
    )


def _score(tokens: list[_Token], street_type: str, name_words: list[str]) -> float | None:
    """How well the query names the street, or None when some word of it matches nothing."""
    free = list(name_words)
    total = 0.0
    matched = False
    for token in tokens:
        word_score, word = _best_word(token, free)
        if word is not None:
            free.remove(word)
            total += word_score
            matched = True
        elif token.type_word is not None and token.type_word == street_type:
            total += TYPE
            matched = True
        elif not (token.ignorable or token.type_word is not None):
            return None
    if not matched:
        return None
    # Of two streets matching as well, the one whose name the query covers more wins.
    return total + (len(name_words) - len(free)) / max(len(name_words), 1)


def _best_word(token: _Token, words: list[str]) -> tuple[float, str | None]:
    best: tuple[float, str | None] = (0.0, None)
    for word in words:
        score = _word_score(token, word)
        if score > best[0]:
            best = (score, word)
    return best


def _word_score(token: _Token, word: str) -> float:
    text = token.text
    if text == word or word in TITLE_ABBREVIATIONS.get(text, ()):
        return EXACT
    # Type words, numbers and fillers must be a name's own word: "str" is not "Stroe".
    if token.type_word is not None or token.ignorable:
        return 0.0
    if word.startswith(text):
        return PREFIX + len(text) / len(word) / 2
    allowed = 2 if len(text) >= 7 else 1 if len(text) >= 4 else 0
    if allowed and abs(len(text) - len(word)) <= allowed:
        distance = edit_distance(text, word, limit=allowed)
        if distance <= allowed:
            return TYPO_1 if distance == 1 else TYPO_2
    return 0.0


def edit_distance(a: str, b: str, *, limit: int) -> int:
    """Letters to insert, delete, change or swap with a neighbour to turn a into b; any value
    above `limit` is reported as limit + 1, as soon as it is certain."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def _display_name(row: Mapping[str, Any]) -> str:
    return f"{row['street_type']} {row['name']}".strip()


def _match(rows: list[Mapping[str, Any]]) -> StreetMatch:
    first = rows[0]
    located = next((row for row in rows if row["latitude"] is not None), None)
    return StreetMatch(
        display_name=_display_name(first),
        street_type=first["street_type"],
        name=first["name"],
        postal_codes=tuple(dict.fromkeys(row["postal_code"] for row in rows if row["postal_code"])),
        number_ranges=tuple(row["number_range"] for row in rows if row["number_range"]),
        latitude=located["latitude"] if located else None,
        longitude=located["longitude"] if located else None,
    )
