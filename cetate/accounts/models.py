from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A member of city hall staff."""

    phone_extension = models.CharField(
        _("phone extension"), max_length=20, blank=True, db_index=True
    )
    language = models.CharField(_("language"), max_length=8, default="ro")
    # Set only by the demo loader (cetate/demo/users.py), and honoured only in demo mode: the
    # printed demo accounts sign in with their password alone (cetate/accounts/second_factor.py).
    demo_password_only = models.BooleanField(
        _("demo account, password alone"),
        default=False,
        editable=False,
        help_text=_(
            "A demo account whose password is printed for visitors: in demo mode it signs in "
            "without a second factor. Ignored outside demo mode."
        ),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def department_ids(self, *, heads_only: bool = False) -> set[int]:
        memberships = self.memberships.all()
        if heads_only:
            memberships = memberships.filter(is_head=True)
        return set(memberships.values_list("department_id", flat=True))


class DepartmentMembership(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="memberships"
    )
    department = models.ForeignKey(
        "directory.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    is_head = models.BooleanField(_("head of department"), default=False)

    class Meta:
        verbose_name = _("department membership")
        verbose_name_plural = _("department memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "department"], name="one_membership_per_dept")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.department}"
