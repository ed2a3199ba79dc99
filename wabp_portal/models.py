"""The kernel's models: when a background worker was last seen at work, and
the outbox's proxies (``wabp_portal.mail.models``, imported here so that
Django counts them among this app's models)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .mail.models import Mail, UndeliveredMail

__all__ = ["Heartbeat", "Mail", "UndeliveredMail"]


class Heartbeat(models.Model):
    """One row per kind of worker, rewritten by each of its rounds.

    Kept in the database rather than the cache: every app server and every
    worker reaches the same database, whereas the development cache is one
    per process. The time is the database's clock, so app servers and
    workers on hosts whose clocks differ still agree on its age.
    """

    name = models.CharField(_("name"), max_length=50)
    beaten_at = models.DateTimeField(_("last seen at work"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")
        constraints = [
            models.UniqueConstraint(fields=["name"], name="heartbeat_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
