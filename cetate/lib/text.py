"""Text normalisation for search: what a resident types should find what the city wrote."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, without diacritics (ș, ş, ț, ţ, ă, â, î…), punctuation turned to spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NON_WORD.sub(" ", bare).split())


def words(text: str) -> list[str]:
    return fold(text).split()
