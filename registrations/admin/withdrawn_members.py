"""Members who withdrew, until a coordinator removed them from WhatsApp."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groups.admin import ScopedAdmin, ScopedRelatedFilter

from .. import services
from ..models import WithdrawnMember
from . import confirm
from .members import remind_to_reset_invite_links


@admin.register(WithdrawnMember)
class WithdrawnMemberAdmin(ScopedAdmin):
    """Members who withdrew: whom the coordinators remove from the WhatsApp group.

    The only place their name and number are still shown; marking them
    removed deletes the row (``services.mark_removed_from_whatsapp``), and so
    does the retention purge after WITHDRAWN_MEMBER_RETENTION_DAYS.
    """

    list_display = ["full_name", "phone_display", "group", "withdrawn_at", "was_added"]
    list_filter = [("group", ScopedRelatedFilter)]
    list_select_related = ["group", "signup"]
    ordering = ["withdrawn_at", "pk"]
    actions = ["mark_removed_selected"]
    fields = readonly_fields = [
        "first_name",
        "last_name",
        "phone_display",
        "group",
        "withdrawn_at",
        "was_added",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Only by marking the person removed, so that it is said why.
        return False

    def save_model(self, request, obj, form, change) -> None:
        # Every field is read-only: the row changes only by being marked removed.
        pass

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request,
            {
                "retention_days": settings.WITHDRAWN_MEMBER_RETENTION_DAYS,
                **(extra_context or {}),
            },
        )

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj: WithdrawnMember) -> str:
        return obj.full_name

    @admin.display(description=_("mobile number"), ordering="phone")
    def phone_display(self, obj: WithdrawnMember) -> str:
        return obj.phone.as_international if obj.phone else "—"

    @admin.display(description=_("was marked as added"), boolean=True)
    def was_added(self, obj: WithdrawnMember) -> bool:
        return obj.signup.added_to_whatsapp_at is not None

    @admin.action(
        description=_("Mark as removed from the WhatsApp group"),
        permissions=["change"],
    )
    def mark_removed_selected(self, request, queryset):
        page = confirm.ask(
            self,
            request,
            queryset,
            action="mark_removed_selected",
            title=_("Mark as removed from the WhatsApp group"),
            intro=_(
                "Their names and numbers are erased: do this once you removed "
                "them from the WhatsApp group."
            ),
            submit=_("Mark as removed and erase"),
        )
        if page is not None:
            return page
        done = 0
        groups = set()
        for withdrawn in queryset.select_related("group"):
            try:
                removed = services.mark_removed_from_whatsapp(
                    withdrawn, by=request.user
                )
            except PermissionDenied:
                continue
            if removed:
                done += 1
                if withdrawn.group_id:
                    groups.add(withdrawn.group)
        self.message_user(
            request,
            ngettext(
                "%(count)d person marked as removed; their name and number "
                "were erased.",
                "%(count)d people marked as removed; their names and numbers "
                "were erased.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )
        remind_to_reset_invite_links(self, request, groups)
        return None
