from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cetate.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from cetate.cases import signals  # noqa: F401  (installs the default mail templates)
        from cetate.cases.outgoing import register_kinds

        register_kinds()
