"""Members to remove from WhatsApp: moved, no answer, or house rules not accepted."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groups.admin import ScopedAdmin, ScopedRelatedFilter

from .. import services
from ..models import MemberToRemove
from . import confirm
from .members import ending_intro, remind_to_reset_invite_links


@admin.register(MemberToRemove)
class MemberToRemoveAdmin(ScopedAdmin):
    """Whom the coordinators must still remove from their WhatsApp group, and why.

    Filled by the daily ``send_reconfirmations``; the mail it sends names no
    one. Marking a row done ends a membership still running (removed, with
    the reason) and takes the member off the list
    (``services.settle_member_to_remove``).
    """

    list_display = [
        "full_name",
        "phone_link",
        "group",
        "reason",
        "created_at",
        "still_member",
    ]
    list_filter = [("group", ScopedRelatedFilter), "reason"]
    list_select_related = ["group", "signup"]
    ordering = ["created_at", "pk"]
    actions = ["settle_selected"]
    fields = readonly_fields = [
        "full_name",
        "phone_link",
        "group",
        "reason",
        "created_at",
        "still_member",
    ]

    def get_queryset(self, request):
        # An erased signup has no name to show: the list is of people.
        return super().get_queryset(request).filter(signup__erased_at__isnull=True)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Only by marking the person removed, so that the membership ends too.
        return False

    def save_model(self, request, obj, form, change) -> None:
        # Every field is read-only: a row changes only by being settled.
        pass

    @admin.display(description=_("name"), ordering="signup__last_name")
    def full_name(self, obj: MemberToRemove) -> str:
        return obj.signup.full_name

    @admin.display(description=_("mobile number"), ordering="signup__phone")
    def phone_link(self, obj: MemberToRemove) -> str:
        signup = obj.signup
        if not signup.phone:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener" title="{}">{}</a>',
            signup.whatsapp_url,
            _("Open a WhatsApp chat"),
            signup.phone.as_international,
        )

    @admin.display(description=_("membership still running"), boolean=True)
    def still_member(self, obj: MemberToRemove) -> bool:
        return obj.signup.is_open

    @admin.action(
        description=_("Removed from the WhatsApp group: end their membership"),
        permissions=["change"],
    )
    def settle_selected(self, request, queryset):
        # Ending memberships always asks first, with the count and the names.
        page = confirm.ask(
            self,
            request,
            queryset,
            action="settle_selected",
            title=_("Removed from the WhatsApp group: end their membership"),
            intro=ending_intro(),
            submit=_("End their membership"),
            always=True,
        )
        if page is not None:
            return page
        done = 0
        groups = set()
        for notice in queryset.select_related("group"):
            try:
                if services.settle_member_to_remove(notice, by=request.user):
                    done += 1
                    groups.add(notice.group)
            except PermissionDenied:
                continue
        self.message_user(
            request,
            ngettext(
                "%(count)d person marked as removed from the WhatsApp group.",
                "%(count)d people marked as removed from the WhatsApp group.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )
        remind_to_reset_invite_links(self, request, groups)
        return None
