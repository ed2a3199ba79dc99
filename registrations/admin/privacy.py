"""The record of access and erasure requests (the page itself is in ``views``)."""

from django.contrib import admin

from groups.admin import RecordAdminMixin, ScopedAdmin

from ..models import PrivacyRequest


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(RecordAdminMixin, ScopedAdmin):
    """Exports and erasures of a person's data, read-only: the record is kept as is.

    They are made on the privacy page (``admin/privacy/``), never here.
    """

    list_display = [
        "__str__",
        "handled_at",
        "kind",
        "zone",
        "handled_by",
        "signup_count",
        "mail_count",
        "coordinator_count",
        "login_count",
        "waiting_list_count",
    ]
    list_filter = ["kind"]
    fields = readonly_fields = [
        "kind",
        "zone",
        "handled_by",
        "handled_at",
        "signup_count",
        "mail_count",
        "coordinator_count",
        "login_count",
        "waiting_list_count",
    ]
    list_select_related = ["zone", "handled_by"]
    actions = None
