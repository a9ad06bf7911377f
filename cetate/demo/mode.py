"""Demo data carries known passwords and invented residents: it is loaded in demo mode only."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _


class DemoDataError(Exception):
    """Demo data cannot be loaded here; the message says why."""


def require_demo_mode() -> None:
    if not settings.DEMO_MODE:
        raise DemoDataError(
            _("Demo data is loaded only in demo mode: run the command with CETATE_DEMO=true.")
        )
