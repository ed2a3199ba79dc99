from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import (
    Coordinator,
    Download,
    Meeting,
    Municipality,
    PoliceZone,
    Region,
    RegionStreet,
    Street,
    WhatsAppGroup,
    is_zone_staff,
)

admin.site.site_header = _("WABP portal")
admin.site.site_title = _("WABP portal")
admin.site.index_title = _("Neighbourhood watch networks")


class ScopedAdminMixin:
    """Every list, form choice and autocomplete goes through ``visible_to``.

    Objects outside the user's scope are simply not in the queryset, so the
    admin answers a hand-typed URL to one of them like a missing object.
    """

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).visible_to(request.user)

    def _scoped(self, db_field, request: HttpRequest, kwargs: dict) -> dict:
        manager = db_field.related_model._default_manager
        if "queryset" not in kwargs and hasattr(manager, "visible_to"):
            kwargs["queryset"] = manager.visible_to(request.user)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **self._scoped(db_field, request, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **self._scoped(db_field, request, kwargs)
        )


class ScopedAdmin(ScopedAdminMixin, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ScopedInline(ScopedAdminMixin, admin.TabularInline):
    def get_queryset(self, request: HttpRequest):
        # Inline rows are already limited by their scoped parent.
        return admin.TabularInline.get_queryset(self, request)


@admin.register(PoliceZone)
class PoliceZoneAdmin(ScopedAdmin):
    list_display = ["name", "contact_name", "email"]
    search_fields = ["name"]
    filter_horizontal = ["staff"]

    def get_readonly_fields(self, request, obj=None):
        # Staff keep their zone's contact block; who is staff is the admin's call.
        if request.user.is_superuser:
            return []
        return ["name", "staff"]


@admin.register(Municipality)
class MunicipalityAdmin(ScopedAdmin):
    list_display = ["name", "postcodes", "zone"]
    list_select_related = ["zone"]
    search_fields = ["name", "postcodes"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Street)
class StreetAdmin(ScopedAdmin):
    list_display = ["name", "postcode", "municipality"]
    list_select_related = ["municipality"]
    list_filter = [("municipality", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "search_name", "postcode"]


class RegionStreetInline(ScopedInline):
    model = RegionStreet
    extra = 1
    autocomplete_fields = ["street"]
    verbose_name = _("street")
    verbose_name_plural = _("streets of the region")


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ["name", "municipality", "street_count"]
    list_select_related = ["municipality"]
    list_filter = [("municipality", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "streets__name"]
    inlines = [RegionStreetInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(street_count=Count("coverage", distinct=True))
        )

    @admin.display(description=_("streets"), ordering="street_count")
    def street_count(self, obj: Region) -> int:
        return obj.street_count


class CoordinatorInline(ScopedInline):
    model = Coordinator.groups.through
    extra = 0
    autocomplete_fields = ["coordinator"]
    verbose_name = _("coordinator")
    verbose_name_plural = _("coordinators")

    # Who coordinates a group is the zone's to decide, never a coordinator's.
    def has_add_permission(self, request, obj=None) -> bool:
        return is_zone_staff(request.user) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_zone_staff(request.user) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_zone_staff(request.user) and super().has_delete_permission(
            request, obj
        )


@admin.register(WhatsAppGroup)
class WhatsAppGroupAdmin(ScopedAdmin):
    list_display = [
        "name",
        "region",
        "municipality",
        "kind",
        "is_public",
        "is_active",
        "display_order",
    ]
    list_select_related = ["region", "municipality"]
    list_filter = [
        ("municipality", admin.RelatedOnlyFieldListFilter),
        "kind",
        "is_public",
        "is_active",
    ]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region"]
    inlines = [CoordinatorInline]
    # What a coordinator may keep of their own group; the rest is the zone's.
    coordinator_editable = {"description", "invite_link", "send_invite_link"}

    def get_readonly_fields(self, request, obj=None):
        if is_zone_staff(request.user):
            return []
        return [
            field.name
            for field in WhatsAppGroup._meta.get_fields()
            if field.concrete
            and field.editable
            and not field.auto_created
            and field.name not in self.coordinator_editable
        ]


@admin.register(Coordinator)
class CoordinatorAdmin(ScopedAdmin):
    list_display = ["full_name", "email", "phone", "listed_publicly", "is_active"]
    list_filter = [
        ("zone", admin.RelatedOnlyFieldListFilter),
        "is_active",
        "listed_publicly",
        ("groups", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["first_name", "last_name", "email"]
    filter_horizontal = ["groups"]
    autocomplete_fields = ["user"]

    # What a coordinator may change on their own row: how they are reached and
    # shown. Their groups (assignment), zone and login are the zone's to keep.
    self_editable = {
        "phone",
        "listed_publicly",
        "shares_contact",
        "notification_mode",
    }

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        if is_zone_staff(request.user):
            # Logins are linked through the invitation, not picked from a
            # list of every account in the portal.
            return ["user"]
        return [
            field.name
            for field in Coordinator._meta.get_fields()
            if field.concrete
            and not field.auto_created
            and field.name not in self.self_editable
        ]

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj: Coordinator) -> str:
        return obj.full_name


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin):
    list_display = ["starts_at", "location", "zone"]
    list_filter = [("zone", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "starts_at"


@admin.register(Download)
class DownloadAdmin(ScopedAdmin):
    list_display = ["title", "zone", "is_public", "display_order"]
    list_editable = ["is_public", "display_order"]
    list_filter = [("zone", admin.RelatedOnlyFieldListFilter)]
