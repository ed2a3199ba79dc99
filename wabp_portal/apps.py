from auditlog.apps import AuditlogConfig
from django.utils.translation import gettext_lazy as _


class AuditLogConfig(AuditlogConfig):
    """django-auditlog, with its admin heading in our catalogues (it has no Dutch)."""

    verbose_name = _("Audit log")
