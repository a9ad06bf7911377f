from typing import Any, cast

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cetate.demo.mode import DemoDataError
from cetate.demo.users import DEMO_PASSWORD, ensure_demo_users
from cetate.lib.commands import TranslatedCommand


class Command(TranslatedCommand):
    # Lazy: the language is chosen after the command module is imported.
    help = cast(
        str,
        gettext_lazy(
            "Create one demo account per staff role and print their credentials (demo mode only)."
        ),
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            staff = ensure_demo_users()
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        rows = [(_("username"), _("password"), _("role"), _("department"))]
        rows += [(a.username, DEMO_PASSWORD, a.role, a.department) for a in staff.accounts]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[3]]).rstrip())
        self.stdout.write(_("Sign in at %(url)s") % {"url": f"{settings.SITE_URL}/login/"})
        self.stdout.write(
            _(
                "In demo mode these accounts sign in with their password alone; outside it, "
                "administrators, supervisors and the data protection officer set up two-factor "
                "sign-in."
            )
        )
