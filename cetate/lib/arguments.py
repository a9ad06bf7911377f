"""Argument types shared by management commands."""

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
