from django.contrib import admin

from cetate.contacts.models import Contact, PersonalDataView


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin[Contact]):
    list_display = ["name", "kind", "email", "phone", "preferred_channel", "merged_into"]
    list_filter = ["kind", "preferred_channel", "is_demo"]
    search_fields = ["name", "email", "phone"]
    # Contacts are joined on the case card, by staff who checked who the resident is, so that
    # each case records it.
    readonly_fields = ["merged_into"]


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(admin.ModelAdmin[PersonalDataView]):
    list_display = ["at", "user", "contact", "what"]
    list_filter = ["user"]
    date_hierarchy = "at"

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
