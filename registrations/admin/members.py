"""Members of the coordinator's groups, their exports and the record of those."""

from django.contrib import admin
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from groups.admin import RecordAdminMixin, ScopedAdminMixin, ScopedRelatedFilter

from .. import exports, services
from ..constants import ExportKind, SignupStatus
from ..models import ExportRecord, Member
from .filters import AddedToWhatsAppFilter
from .signups import BaseSignupAdmin


@admin.register(Member)
class MemberAdmin(BaseSignupAdmin):
    """Members of the coordinator's groups: mark added, end, export."""

    status = SignupStatus.APPROVED
    list_display = [
        "full_name",
        "phone_link",
        "added_to_whatsapp_at",
        "group",
        "address",
        "email",
        "decided_at",
    ]
    list_filter = [
        ("group", ScopedRelatedFilter),
        AddedToWhatsAppFilter,
    ]
    ordering = ["group__name", "last_name", "first_name"]
    actions = [
        "mark_added_selected",
        "export_csv",
        "export_vcard",
        "mark_left_selected",
        "mark_removed_selected",
    ]

    @admin.action(description=_("Mark as added to the WhatsApp group"))
    def mark_added_selected(self, request, queryset) -> None:
        self._run(
            request,
            queryset,
            services.mark_added,
            _("%(count)d member(s) marked as added."),
        )

    @admin.action(description=_("Mark as left the group"))
    def mark_left_selected(self, request, queryset) -> None:
        self._run(
            request,
            queryset,
            services.end_membership,
            _("%(count)d member(s) marked as left."),
            status=SignupStatus.LEFT,
        )

    @admin.action(description=_("Remove from the group…"))
    def mark_removed_selected(self, request, queryset):
        return self._ask_reason(
            request,
            queryset,
            action="mark_removed_selected",
            title=_("Remove members"),
            service=services.end_membership,
            success=_("%(count)d member(s) removed; they were e-mailed."),
            status=SignupStatus.REMOVED,
        )

    @admin.action(description=_("Export as spreadsheet (CSV)"))
    def export_csv(self, request, queryset) -> HttpResponse:
        return self._export(
            request, queryset, ExportKind.CSV, exports.members_csv, "text/csv"
        )

    @admin.action(description=_("Export as phone contacts (vCard)"))
    def export_vcard(self, request, queryset) -> HttpResponse:
        return self._export(
            request, queryset, ExportKind.VCARD, exports.members_vcard, "text/vcard"
        )

    def _export(self, request, queryset, kind, render, content_type) -> HttpResponse:
        """The selected members as a download, recorded as an export."""
        members = list(queryset.select_related("group", "municipality"))
        services.record_export(members, by=request.user, kind=kind)
        response = HttpResponse(
            render(members), content_type=f"{content_type}; charset=utf-8"
        )
        filename = "leden.csv" if kind == ExportKind.CSV else "leden.vcf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


@admin.register(ExportRecord)
class ExportRecordAdmin(RecordAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Who exported whose data: the caller's scope (``ExportRecord.visible_to``)."""

    list_display = ["created_at", "user", "kind", "count"]
    # "user" may be empty, so the admin's automatic select_related() skips it.
    list_select_related = ["user"]
    list_filter = ["kind"]
    readonly_fields = ["created_at", "user", "kind", "count", "groups"]
