"""The privacy notice."""

from django.conf import settings
from django.views.generic import TemplateView

from groups.models import PoliceZone


class PrivacyView(TemplateView):
    template_name = "registrations/privacy.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(
            zones=PoliceZone.objects.order_by("name"),
            unconfirmed_days=settings.UNCONFIRMED_RETENTION_DAYS,
            closed_days=settings.CLOSED_RETENTION_DAYS,
            left_days=settings.LEFT_RETENTION_DAYS,
            waiting_list_notified_days=settings.WAITING_LIST_NOTIFIED_RETENTION_DAYS,
            waiting_list_max_age_days=settings.WAITING_LIST_MAX_AGE_DAYS,
        )
        return context
