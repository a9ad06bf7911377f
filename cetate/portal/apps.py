from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "cetate.portal"
    label = "portal"
    verbose_name = _("Citizen portal")

    def ready(self) -> None:
        from cetate.portal.following import connect

        connect()
