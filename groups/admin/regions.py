"""Regions and the streets they cover."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import Region, RegionStreet
from .base import ScopedAdmin, ScopedInline, ServiceWritesMixin


class RegionStreetInline(ScopedInline):
    model = RegionStreet
    extra = 1
    autocomplete_fields = ["street"]
    verbose_name = _("street")
    verbose_name_plural = _("streets of the region")


@admin.register(Region)
class RegionAdmin(ServiceWritesMixin, ScopedAdmin):
    list_display = ["name", "municipality", "street_count"]
    list_select_related = ["municipality"]
    list_filter = [("municipality", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "streets__name"]
    inlines = [RegionStreetInline]
    save_service = staticmethod(services.save_region)
    delete_service = staticmethod(services.delete_regions)
    inline_services = {
        RegionStreet: (services.save_region_street, services.delete_region_streets)
    }

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(street_count=Count("coverage", distinct=True))
            # Aggregates drop Meta.ordering; autocomplete pages need an order.
            .order_by(*Region._meta.ordering)
        )

    @admin.display(description=_("streets"), ordering="street_count")
    def street_count(self, obj: Region) -> int:
        return obj.street_count
