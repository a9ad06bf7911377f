"""The call log in the admin, read-only: only the exchange and the dispatch centre write it."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cetate.cases.admin import ReadOnlyPersonalDataAdmin
from cetate.contacts.models import Contact
from cetate.telephony.models import Call


@admin.register(Call)
class CallAdmin(ReadOnlyPersonalDataAdmin):
    list_display = [
        "started_at",
        "direction",
        "resident_phone",
        "contact",
        "extension",
        "staff",
        "answered_at",
        "ended_at",
        "outcome",
        "settlement",
        "case",
    ]
    list_filter = ["direction", "settlement", "started_at"]
    search_fields = ["call_id", "resident_phone", "from_number", "to_number", "extension"]
    date_hierarchy = "started_at"
    list_select_related = ["contact", "staff", "case"]
    readonly_fields = tuple(field.name for field in Call._meta.fields if field.name != "id")
    fields = readonly_fields

    def contact_of(self, obj: Call) -> Contact | None:
        return obj.contact

    @admin.display(description=_("outcome"))
    def outcome(self, call: Call) -> str:
        return str(call.state.label)
