"""Text normalisation: what people write, kept clean; and for search, what a resident types
should find what the city wrote."""

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


# Line breaks that word processors write as vertical tab or form feed (a line or page break).
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
# Characters nobody writes: the C0 controls but tab, line feed and carriage return; DEL; the C1
# controls; lone surrogates (only broken input holds them) and the two non-characters XML
# excludes. One of them makes an XML document unreadable; PostgreSQL refuses NUL.
_UNWRITTEN = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def plain_text(text: str) -> str:
    """`text` as a person wrote it: without control characters (tabs and line breaks kept, a
    vertical tab or form feed turned into a line break), letters in their composed form (NFC:
    "s" + comma below becomes "ș"), so that it is stored, searched and shown alike."""
    return unicodedata.normalize("NFC", _UNWRITTEN.sub("", text.translate(_BREAKS)))
