from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "groups"
    verbose_name = _("Networks")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.contrib.auth.models import User

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
        auditlog.register(models.Message, m2m_fields={"groups"})
        auditlog.register(models.MessageRecipient)
        # Role changes of a login: its flags and its role groups (and any
        # permission given to it directly). Never its password, e-mail or
        # names; the entry names the login by its username, as the actor
        # column does, and carries no zone, so only superusers read it.
        auditlog.register(
            User,
            include_fields=["is_active", "is_staff", "is_superuser"],
            m2m_fields={"groups", "user_permissions"},
        )
        # Linking, confirming and resetting an authenticator app (two-step
        # login) is a change to how a login is protected: kept the same way.
        from django_otp.plugins.otp_totp.models import TOTPDevice

        auditlog.register(TOTPDevice, include_fields=["user", "name", "confirmed"])
