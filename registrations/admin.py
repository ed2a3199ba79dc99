from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from groups.admin import ScopedAdmin

from .models import HouseRules, Signup, StatusChange


@admin.register(HouseRules)
class HouseRulesAdmin(ScopedAdmin):
    list_display = ["title", "version", "zone", "is_current", "published_at"]
    list_filter = ["zone", "is_current"]

    def get_readonly_fields(self, request, obj=None):
        # A version someone accepted is a record of what they agreed to.
        if obj is not None and obj.signups.exists():
            return ["zone", "version", "title", "body", "pdf"]
        return []


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Signup)
class SignupAdmin(ScopedAdmin):
    """Signups change only through the services (actions), never by form."""

    list_display = [
        "full_name",
        "group",
        "role",
        "status",
        "outside_region",
        "created_at",
    ]
    list_select_related = ["group"]
    list_filter = ["status", "role", "outside_region", "group"]
    search_fields = ["first_name", "last_name", "email", "phone", "street_name"]
    date_hierarchy = "created_at"
    inlines = [StatusChangeInline]
    fieldsets = [
        (None, {"fields": ["status", "role", "group", "outside_region"]}),
        (
            _("New group"),
            {"fields": ["proposed_group_name", "proposed_area"]},
        ),
        (
            _("Resident"),
            {
                "fields": [
                    "first_name",
                    "last_name",
                    "street_name",
                    "house_number",
                    "box",
                    "postcode",
                    "municipality",
                    "phone",
                    "email",
                    "language",
                ]
            },
        ),
        (
            _("Consent"),
            {
                "fields": [
                    "house_rules",
                    "house_rules_accepted_at",
                    "privacy_accepted_at",
                ]
            },
        ),
        (
            _("Decision"),
            {
                "fields": [
                    "created_at",
                    "confirmed_at",
                    "decided_at",
                    "decided_by",
                    "decision_reason",
                    "added_to_whatsapp_at",
                    "ended_at",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj: Signup) -> str:
        return str(obj)
