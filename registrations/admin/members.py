"""Members of the coordinator's groups, their exports and the record of those."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from groups.admin import RecordAdminMixin, ScopedAdminMixin, ScopedRelatedFilter

from .. import exports, services
from ..constants import ExportKind, SignupStatus
from ..models import ExportRecord, Member, Signup
from .signups import BaseSignupAdmin


@admin.register(Member)
class MemberAdmin(BaseSignupAdmin):
    """Members of the coordinator's groups: mark added, end, export."""

    status = SignupStatus.APPROVED
    list_display = [
        "full_name",
        "phone_link",
        "whatsapp_added",
        "group",
        "address",
        "email",
        "decided_at",
    ]
    list_filter = [
        ("group", ScopedRelatedFilter),
        ("added_to_whatsapp_at", admin.EmptyFieldListFilter),
    ]
    ordering = ["group__name", "last_name", "first_name"]
    actions = [
        "mark_added_selected",
        "export_csv",
        "export_vcard",
        "mark_left_selected",
        "mark_removed_selected",
    ]

    def get_urls(self):
        return [
            path(
                "<int:pk>/added/",
                self.admin_site.admin_view(self.added_view),
                name="registrations_member_added",
            ),
            *super().get_urls(),
        ]

    def added_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """One tap: the coordinator added this member to the WhatsApp group."""
        if request.method != "POST":
            return redirect("admin:registrations_member_change", pk)
        member = self._own(request, pk)
        self._run(
            request,
            Signup.objects.filter(pk=member.pk),
            services.mark_added,
            _("%(count)d member(s) marked as added."),
        )
        # Back to the list as it was filtered (our own path, only its query).
        changelist = reverse("admin:registrations_member_changelist")
        query = request.GET.urlencode()
        return redirect(f"{changelist}?{query}" if query else changelist)

    @admin.display(description=_("Added to WhatsApp"), ordering="added_to_whatsapp_at")
    def whatsapp_added(self, obj: Member) -> str:
        if obj.added_to_whatsapp_at:
            return formats.date_format(
                timezone.localtime(obj.added_to_whatsapp_at), "SHORT_DATE_FORMAT"
            )
        # A button of the list's own form (which carries the CSRF token).
        return format_html(
            '<button type="submit" class="button" formaction="{}" '
            'formnovalidate>{}<span class="visually-hidden">: {}</span></button>',
            reverse("admin:registrations_member_added", args=[obj.pk]),
            _("Added to WhatsApp"),
            obj.full_name,
        )

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
