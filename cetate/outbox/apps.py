from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "cetate.outbox"
    label = "outbox"
    verbose_name = _("Mail sent by the city")

    def ready(self) -> None:
        from cetate.outbox.kinds import Kind, compose_ready, register
        from cetate.outbox.models import Purpose

        # A message rendered when it was owed; its text is a key (a sign-in link) until sent.
        register(Purpose.PORTAL, Kind(compose=compose_ready, forget_when_sent=True))
