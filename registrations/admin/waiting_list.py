"""The waiting list for a group: where residents wait for one, for the zone's staff.

Read-only: residents join, confirm and leave through their own links, the
command tells them of a group, and the retention purge or an erasure request
deletes them. The list shows the demand per street first; an entry's e-mail
address (and house number) only to the staff of the entry's own zone, so a
superuser who is not staff of that zone sees where, not who.
"""

from django.contrib import admin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from groups.admin import RecordAdminMixin, ScopedAdmin, ScopedRelatedFilter
from groups.models import PoliceZone

from ..models import WaitingListEntry

# Streets shown in the demand table above the list, most residents first.
DEMAND_ROWS = 50


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("unconfirmed", _("e-mail not yet confirmed")),
            ("waiting", _("waiting for a group")),
            ("notified", _("told of a group")),
        ]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() == "unconfirmed":
            return queryset.unconfirmed()
        if self.value() == "waiting":
            return queryset.waiting()
        if self.value() == "notified":
            return queryset.notified()
        return queryset


@admin.register(WaitingListEntry)
class WaitingListEntryAdmin(RecordAdminMixin, ScopedAdmin):
    list_display = [
        "__str__",
        "street_name",
        "number_shown",
        "municipality",
        "email_shown",
        "state",
        "created_at",
    ]
    list_filter = [StateFilter, ("municipality", ScopedRelatedFilter)]
    # The street only: nobody looks an address up here (the privacy page
    # does that, and records it).
    search_fields = ["street_name"]
    list_select_related = ["municipality"]
    ordering = ["-created_at", "-pk"]
    actions = None
    fields = readonly_fields = [
        "municipality",
        "street_name",
        "street",
        "number_shown",
        "email_shown",
        "language",
        "state",
        "created_at",
        "confirmed_at",
        "notified_at",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Whether the user is staff of the entry's zone: only they read the
        # resident's e-mail address and house number.
        own_zone = PoliceZone.staff.through.objects.filter(
            user=request.user.pk, policezone=OuterRef("municipality__zone")
        )
        return super().get_queryset(request).annotate(own_zone=Exists(own_zone))

    def changelist_view(self, request, extra_context=None):
        entries = WaitingListEntry.objects.visible_to(request.user)
        return super().changelist_view(
            request,
            {
                "demand": list(entries.demand()[:DEMAND_ROWS]),
                "waiting_total": entries.waiting().count(),
                **(extra_context or {}),
            },
        )

    @admin.display(description=_("house number"))
    def number_shown(self, obj: WaitingListEntry) -> str:
        return (obj.house_number if obj.own_zone else "") or "—"

    @admin.display(description=_("e-mail address"))
    def email_shown(self, obj: WaitingListEntry) -> str:
        return obj.email if obj.own_zone else "—"

    @admin.display(description=_("state"))
    def state(self, obj: WaitingListEntry) -> str:
        if obj.notified_at is not None:
            return _("told of a group")
        if obj.confirmed_at is None:
            return _("e-mail not yet confirmed")
        return _("waiting for a group")
