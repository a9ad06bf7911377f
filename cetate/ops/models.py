from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCount(models.Model):
    """One counter of the `limits` cache (cetate/ops/counters.py): how many requests one client
    made in one window of one rate limit."""

    key = models.CharField(_("key"), max_length=250, primary_key=True)
    count = models.BigIntegerField(_("count"))
    # Unix time, as the cache API computes expiries; indexed for the cleanup's DELETE.
    expires = models.FloatField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
