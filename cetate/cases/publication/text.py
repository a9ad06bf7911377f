"""The words of a case as the public may read them: contact data masked, addresses cut to the
street.

Masking is deliberately broad. Any run of digits with at least PHONE_DIGITS digits (spaces,
dots, dashes, slashes and brackets between them allowed) is masked: a Romanian phone number
has 10 digits (9 after +40), a CNP 13, while dates (dd.mm.yyyy: 8 digits) and amounts have
fewer. Emails are masked whole, and so is every word of the reporter's name. What a house,
block, staircase, floor or flat number follows ("nr. 24", "bl. A2") is masked too: the public
learns no address finer than the street.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

PHONE_DIGITS = 9
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A digit, then digits and the separators people write in numbers, ending on a digit.
_NUMBER = re.compile(r"\+?\(?\d(?:[\d.()/-]| (?=[\d(]))*\d")
# What comes after the street in a Romanian address: the number, block, staircase, floor,
# flat (written out or shortened, with or without a dot).
_BEYOND_STREET = re.compile(
    r"(?:^|[\s,;])(?:nr|numar|număr|numarul|numărul|no|bl|bloc|blocul|sc|scara|scară|ap|apt|"
    r"apartament|apartamentul|et|etaj|etajul|cam|camera)\b\.?",
    re.IGNORECASE,
)
# A house number at the end: 3, 3A, 3-5, 3/2, 12 bis. Four digits are kept: they are years in
# street names ("1 Decembrie 1918").
_HOUSE_NUMBER = re.compile(
    r"[\s,]+(?:\d{1,3}|\d{5,})(?:\s?[a-zA-Z])?(?:\s?[-/]\s?\d+[a-zA-Z]?)*(?:\s+bis)?\s*$",
    re.IGNORECASE,
)
# The same words followed by what they number, anywhere in a text: "nr. 24", "bl. A2", "ap 14".
_ADDRESS_PART = re.compile(
    r"(?<!\w)(nr|numar|număr|numarul|numărul|bl|bloc|blocul|sc|scara|scară|ap|apt|apartament"
    r"|apartamentul|et|etaj|etajul)(\.?\s*)(\d+[a-zA-Z]?(?:[-/][0-9a-zA-Z]+)*|[a-zA-Z]\d*)(?!\w)",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[^\W\d_]")
# Words of a name too short to mask without masking ordinary words.
MIN_NAME_WORD = 3


def hidden() -> str:
    return _("[hidden]")


def masked(text: str, *, names: Iterable[str] = ()) -> str:
    """`text` with emails, phone-number- and CNP-shaped digits, house, block and flat numbers
    and the given names masked."""
    text = _EMAIL.sub(hidden(), text)
    text = _ADDRESS_PART.sub(lambda match: f"{match[1]}{match[2]}{hidden()}", text)
    text = _NUMBER.sub(_mask_number, text)
    words = sorted(
        {word for name in names for word in re.findall(r"[^\W\d_][\w'-]*", name)},
        key=len,
        reverse=True,
    )
    for word in words:
        if len(word) >= MIN_NAME_WORD:
            text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", hidden(), text, flags=re.IGNORECASE)
    return text


def _mask_number(match: re.Match[str]) -> str:
    digits = sum(char.isdigit() for char in match.group())
    return hidden() if digits >= PHONE_DIGITS else match.group()


def street_only(address: str) -> str:
    """The street of `address`, without house number, block, staircase, floor or flat:
    "Str. Cloșca nr. 3, bl. A2, ap. 14" → "Str. Cloșca"; empty when no street is left."""
    street = re.split(r"[,;\n]", address, maxsplit=1)[0]
    beyond = _BEYOND_STREET.search(street)
    if beyond is not None:
        street = street[: beyond.start()]
    previous = None
    while previous != street:
        previous = street
        street = _HOUSE_NUMBER.sub("", street)
    street = " ".join(street.split()).strip(" .-/")
    return street if _LETTER.search(street) else ""
