"""A street list uploaded by staff, imported in the background by the worker.

The job holds the file's text until the worker has read it, then the result:
how many streets were added, how many the municipality had already, and the
lines refused with their reason.
"""

from typing import Self

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..constants import StreetImportStatus
from .zones import Municipality, ZoneScopedQuerySet


class StreetImportQuerySet(ZoneScopedQuerySet):
    zone_path = "municipality__zone"

    def unfinished(self) -> Self:
        return self.filter(
            status__in=[StreetImportStatus.QUEUED, StreetImportStatus.RUNNING]
        )


class StreetImport(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        related_name="street_imports",
        on_delete=models.CASCADE,
    )
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    # The file's text (decoded on upload), emptied once the worker is done.
    content = models.TextField(_("content"), blank=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=StreetImportStatus.choices,
        default=StreetImportStatus.QUEUED,
    )
    total_rows = models.PositiveIntegerField(_("lines"), default=0)
    processed_rows = models.PositiveIntegerField(_("lines read"), default=0)
    created_count = models.PositiveIntegerField(_("streets added"), default=0)
    existing_count = models.PositiveIntegerField(_("already known"), default=0)
    refused_count = models.PositiveIntegerField(_("lines refused"), default=0)
    # [[line, reason], ...] in the order of the file.
    refused = models.JSONField(_("refused lines"), default=list, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # A running job whose worker died is taken again once this has passed.
    lease_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    objects = StreetImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("street import")
        verbose_name_plural = _("street imports")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="street_import_queue"),
        ]

    def __str__(self) -> str:
        return _("Street import #%(pk)s") % {"pk": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("admin:groups_streetimport_change", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (StreetImportStatus.DONE, StreetImportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == StreetImportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)
