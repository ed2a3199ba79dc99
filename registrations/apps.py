from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "registrations"
    verbose_name = _("Signups")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from groups import capacity as group_capacity

        from . import audit, capacity, models

        auditlog.register(models.HouseRules)
        # A signup's entries are written by ``audit`` (its decisions, named by
        # number): auditlog's own would name the resident.
        audit.connect()
        # Exports and erasures of a person's data: counts only, never the
        # address or number searched for.
        auditlog.register(models.PrivacyRequest)
        # The capacity warning of a group counts its people here.
        group_capacity.register_counter(capacity.people_by_street)
