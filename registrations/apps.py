from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "registrations"
    verbose_name = _("Signups")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import audit, models

        auditlog.register(models.HouseRules)
        # Decisions on a signup are audited, but not the resident's details:
        # those are erased on withdrawal and must not survive in the log.
        auditlog.register(
            models.Signup,
            include_fields=[
                "status",
                "role",
                "group",
                "house_rules",
                "decided_at",
                "decided_by",
                "added_to_whatsapp_at",
                "ended_at",
                "erased_at",
            ],
        )
        # Exports and erasures of a person's data: counts only, never the
        # address or number searched for.
        auditlog.register(models.PrivacyRequest)
        audit.connect()
