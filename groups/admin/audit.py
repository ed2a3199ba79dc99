"""The audit log (django-auditlog), read-only, each zone's staff their own."""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.http import HttpRequest

from wabp_portal.paginator import CappedCountPaginator

from ..models import PoliceZone
from .base import RecordAdminMixin

admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditLogAdmin(RecordAdminMixin, LogEntryAdmin):
    """Who created, changed, deleted or opened what, and when.

    Append-only: nobody adds, changes or deletes an entry here, not even a
    superuser, whatever permissions a role holds. Entries without a zone
    (role changes of a login, an export across zones) are for superusers.
    """

    paginator = CappedCountPaginator
    show_full_result_count = False
    # Without django-auditlog's "Correlation ID" column: a request id that
    # means nothing to staff, under a heading the package leaves in English.
    list_display = ["created", "resource_url", "action", "msg_short", "user_url"]

    def get_queryset(self, request: HttpRequest):
        entries = super().get_queryset(request)
        if request.user.is_superuser:
            return entries
        # Each entry carries its zone (ZoneAudited.get_additional_data).
        zones = list(
            PoliceZone.objects.filter(staff=request.user).values_list("pk", flat=True)
        )
        return entries.filter(additional_data__zone__in=zones)
