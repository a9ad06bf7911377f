"""Subscriptions are edited here; the delivery log is read here and can be sent again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cetate.cases.choices import EventKind
from cetate.webhooks.models import Delivery, Subscription
from cetate.webhooks.sending import retry_now


class SubscriptionForm(forms.ModelForm[Subscription]):
    url = forms.URLField(
        label=_("address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the events are posted, http:// or https://."),
    )
    event_kinds = forms.MultipleChoiceField(
        label=_("events"),
        choices=EventKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The kinds of case event to send; none chosen sends every kind."),
    )

    class Meta:
        model = Subscription
        fields = ["name", "url", "event_kinds", "active"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin[Subscription]):
    form = SubscriptionForm
    list_display = ["name", "url", "kinds", "active", "created"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    readonly_fields = ["secret", "created"]

    @admin.display(description=_("events"))
    def kinds(self, subscription: Subscription) -> str:
        if not subscription.event_kinds:
            return str(_("all"))
        labels = dict(EventKind.choices)
        return ", ".join(str(labels.get(kind, kind)) for kind in subscription.event_kinds)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    list_display = [
        "id",
        "subscription",
        "event",
        "status",
        "attempts",
        "last_response_code",
        "next_attempt_at",
        "delivered_at",
        "created",
    ]
    list_filter = ["status", "subscription"]
    list_select_related = ["subscription", "event__case"]
    show_full_result_count = False
    readonly_fields = (
        "subscription",
        "event",
        "status",
        "attempts",
        "next_attempt_at",
        "last_response_code",
        "last_error",
        "delivered_at",
        "created",
        "payload",
    )
    fields = readonly_fields
    actions = ["send_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("webhooks.change_delivery")

    @admin.action(description=_("Retry now"), permissions=["retry"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = retry_now(list(queryset))
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery will be sent again now.",
                "%(count)d deliveries will be sent again now.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
