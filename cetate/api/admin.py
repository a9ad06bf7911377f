"""REST API tokens in the admin: created here or by `manage.py api_token`, shown once, never
readable afterwards."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cetate.accounts.models import User
from cetate.api.models import ApiToken
from cetate.api.tokens import DEFAULT_LIFETIME, MAX_LIFETIME_DAYS, new_raw_token, revoke


class NewTokenForm(forms.ModelForm[ApiToken]):
    """A new token: whose, what for, and for how many days."""

    lifetime_days = forms.IntegerField(
        label=_("valid for (days)"),
        min_value=1,
        max_value=MAX_LIFETIME_DAYS,
        initial=DEFAULT_LIFETIME.days,
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name"]

    def save(self, commit: bool = True) -> ApiToken:
        token = super().save(commit=False)
        token.expires_at = timezone.now() + timedelta(days=self.cleaned_data["lifetime_days"])
        if commit:
            token.save()
        return token


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    add_form = NewTokenForm
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "state"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    # A plain list of the active staff: few, and Django's autocomplete widget is not accessible.
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke_tokens"]

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(is_active=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(
        self, request: HttpRequest, obj: ApiToken | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[ApiToken]]:
        if obj is None:
            kwargs["form"] = self.add_form
            kwargs["fields"] = ["user", "name", "lifetime_days"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> list[str]:
        # Once issued, a token keeps its user and its expiry: another need, another token.
        if obj is not None:
            return ["user", "expires_at", *self.readonly_fields]
        return []

    @admin.display(description=_("state"))
    def state(self, token: ApiToken) -> str:
        if token.revoked_at is not None:
            return str(_("revoked"))
        if not token.is_usable_at(timezone.now()):
            return str(_("expired"))
        return str(_("active"))

    def save_model(
        self, request: HttpRequest, obj: ApiToken, form: forms.ModelForm[Any], change: bool
    ) -> None:
        if not change:
            raw = new_raw_token()
            obj.set_token(raw)
            messages.warning(
                request,
                _("The token %(name)s is %(token)s — copy it now: it is not shown again.")
                % {"name": obj.name, "token": raw},
            )
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        # Revoked tokens stay, as a record of who could call the API until when.
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = revoke(queryset)
        self.message_user(request, _("Tokens revoked: %(count)d.") % {"count": count})
