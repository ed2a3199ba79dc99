"""Documents a zone offers residents: a presentation, a form."""

from typing import Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from .scope import ZoneAudited
from .zones import PoliceZone, ZoneScopedQuerySet


class DownloadQuerySet(ZoneScopedQuerySet):
    zone_path = "zone"

    def published(self) -> Self:
        return self.filter(is_public=True)


class Download(ZoneAudited, models.Model):
    """A document residents can download: a presentation, a form."""

    zone = models.ForeignKey(
        PoliceZone,
        verbose_name=_("police zone"),
        related_name="downloads",
        on_delete=models.CASCADE,
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="downloads/")
    is_public = models.BooleanField(_("shown publicly"), default=True)
    display_order = models.PositiveIntegerField(_("order"), default=0)

    objects = DownloadQuerySet.as_manager()

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        ordering = ["zone", "display_order", "title"]

    def __str__(self) -> str:
        return self.title
