from auditlog.apps import AuditlogConfig
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils.translation import gettext_lazy as _


class AuditLogConfig(AuditlogConfig):
    """django-auditlog, with its admin heading in our catalogues (it has no Dutch)."""

    verbose_name = _("Audit log")


class AdminConfig(DjangoAdminConfig):
    """Django's admin, with the project's site (two-step verification)."""

    default_site = "wabp_portal.admin_site.WabpAdminSite"

    def ready(self) -> None:
        super().ready()
        # Logs lockouts (django-axes' signal) without personal data, and
        # checks that production asks for the second factor.
        from . import checks, log_redaction, security  # noqa: F401

        log_redaction.install()


class PortalConfig(AppConfig):
    """The kernel itself: the workers' heartbeats, the mail (its outbox proxies,
    their admin and the ``mail_worker`` command)."""

    name = "wabp_portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from . import m2m_labels

        # The apps' own link tables; Django's (a user's groups) stay as they are.
        m2m_labels.install(["groups", "registrations"])
