from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.views.generic import TemplateView

from .models import Coordinator, Municipality, WhatsAppGroup


def published_groups() -> QuerySet[WhatsAppGroup]:
    """Groups of the public table, with their listed coordinators, in three queries."""
    return (
        WhatsAppGroup.objects.published()
        .select_related("region", "municipality")
        .prefetch_related(
            Prefetch(
                "coordinators",
                queryset=Coordinator.objects.listed().only("first_name", "last_name"),
                to_attr="listed_coordinators",
            )
        )
        .order_by("municipality__name", "display_order", "name")
    )


class NetworkListView(TemplateView):
    """The public page: what buurtpreventie is and the current networks."""

    template_name = "groups/network_list.html"

    def get_municipalities(self) -> QuerySet[Municipality]:
        return Municipality.objects.select_related("zone").order_by("name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        municipalities = list(self.get_municipalities())
        groups = list(
            published_groups().filter(municipality__in=[m.pk for m in municipalities])
        )
        for municipality in municipalities:
            municipality.published_groups = [
                group for group in groups if group.municipality_id == municipality.pk
            ]
        zones = {m.zone_id: m.zone for m in municipalities}
        context.update(
            municipalities=municipalities,
            zones=sorted(zones.values(), key=lambda zone: zone.name),
        )
        return context


class MunicipalityDetailView(NetworkListView):
    template_name = "groups/municipality_detail.html"

    def get_municipalities(self) -> QuerySet[Municipality]:
        return super().get_municipalities().filter(slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context["municipalities"]:
            raise Http404
        context["municipality"] = context["municipalities"][0]
        return context
