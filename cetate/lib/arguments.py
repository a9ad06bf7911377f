"""Arguments from outside: those of management commands, and record ids in addresses."""

import argparse

from django.utils.translation import gettext as _


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("must be a whole number")) from None
    if number < 1:
        raise argparse.ArgumentTypeError(_("must be at least 1"))
    return number


# The largest id a database's 64-bit key holds.
LARGEST_ID = 2**63 - 1


def record_id(value: str) -> int | None:
    """The record id a query parameter such as ?call=12 names, or None when it names none
    (not a whole number, or beyond any key), so that a typo is an unknown record, not an error."""
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= LARGEST_ID else None
