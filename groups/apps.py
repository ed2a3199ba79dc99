from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "groups"
    verbose_name = _("Networks")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Every create, change and delete of the zone's table is audited.
        auditlog.register(models.PoliceZone, m2m_fields={"staff"})
        auditlog.register(models.Municipality)
        auditlog.register(models.Street, exclude_fields=["search_name"])
        auditlog.register(models.Region)
        auditlog.register(models.RegionStreet)
        auditlog.register(models.WhatsAppGroup)
        auditlog.register(models.Coordinator, m2m_fields={"groups"})
        auditlog.register(models.Meeting)
        auditlog.register(models.MeetingInvitation)
        auditlog.register(models.Download)
