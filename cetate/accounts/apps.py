from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cetate.accounts"
    label = "accounts"
    verbose_name = _("Staff and roles")

    def ready(self) -> None:
        # The role groups after migrate; the start of a staff session's idle clock at sign-in.
        from cetate.accounts import signals, staff_sessions  # noqa: F401
