from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from cetate.accounts.models import DepartmentMembership, User
from cetate.accounts.second_factor import remove_devices

# A device's secret must never be readable in the admin: devices are listed on their user,
# set up by the user themselves, and reset with the action below.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


class MembershipInline(admin.TabularInline[DepartmentMembership, User]):
    model = DepartmentMembership
    extra = 0
    autocomplete_fields = ["department"]


class DeviceInline(admin.TabularInline[TOTPDevice, User]):
    model = TOTPDevice
    verbose_name = _("authenticator app")
    verbose_name_plural = _("two-factor sign-in")
    fields = readonly_fields = ("name", "confirmed", "created_at", "last_used_at")
    extra = 0
    max_num = 0
    can_delete = False


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "first_name", "last_name", "email", "is_active"]
    list_filter = ["groups", "is_active", "memberships__department", "demo_password_only"]
    inlines = [MembershipInline, DeviceInline]
    readonly_fields = ["demo_password_only"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Cetate"), {"fields": ("phone_extension", "language", "demo_password_only")}),
    )
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset two-factor sign-in (lost phone)"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        reset = 0
        for user in queryset:
            if remove_devices(user):
                reset += 1
                # Kept in the user's history in the admin: who reset it, and when.
                self.log_change(
                    request,
                    user,
                    str(_("Two-factor sign-in reset: set up again at the next sign-in.")),
                )
        self.message_user(
            request,
            _("Two-factor sign-in reset for %(count)d staff members.") % {"count": reset},
        )
