"""List filters in the coordinator's words, where Django's say "Empty"."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class AddedToWhatsAppFilter(admin.SimpleListFilter):
    """Members already added to the WhatsApp group, or not yet.

    Django's ``EmptyFieldListFilter`` on the date would offer "Empty" and
    "Not empty"; a coordinator asks "who still has to be added?".
    """

    title = _("added to WhatsApp")
    parameter_name = "added"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("no", _("Not added yet")), ("yes", _("Added"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "no":
            return queryset.filter(added_to_whatsapp_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(added_to_whatsapp_at__isnull=False)
        return queryset
