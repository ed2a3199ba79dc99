"""Regions of a municipality and the streets (or parts of streets) they cover."""

from typing import Self

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..constants import NumberParity
from .scope import ZoneAudited
from .zones import Municipality, Street, ZoneScopedQuerySet

# For each side of the street: (no range, a range, from a number on).
NUMBERS_TEXTS = {
    NumberParity.ALL: (
        _("whole street"),
        _("numbers %(start)s–%(end)s"),
        _("numbers from %(start)s"),
    ),
    NumberParity.EVEN: (
        _("even numbers"),
        _("even numbers %(start)s–%(end)s"),
        _("even numbers from %(start)s"),
    ),
    NumberParity.ODD: (
        _("odd numbers"),
        _("odd numbers %(start)s–%(end)s"),
        _("odd numbers from %(start)s"),
    ),
}


class RegionQuerySet(ZoneScopedQuerySet):
    zone_path = "municipality__zone"


class Region(ZoneAudited, models.Model):
    audit_zone_path = "municipality.zone_id"

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        related_name="regions",
        on_delete=models.PROTECT,
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    streets = models.ManyToManyField(
        Street,
        verbose_name=_("streets"),
        through="RegionStreet",
        related_name="regions",
        blank=True,
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="unique_region_name_per_municipality",
                violation_error_message=_(
                    "The municipality already has a region of this name."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RegionStreetQuerySet(models.QuerySet["RegionStreet"]):
    def covering(self, number: int | None) -> Self:
        """Coverage rows that include this house number (or any, if unknown)."""
        if number is None:
            return self.all()
        parity = NumberParity.EVEN if number % 2 == 0 else NumberParity.ODD
        return self.filter(
            Q(parity=NumberParity.ALL) | Q(parity=parity),
            Q(number_from__isnull=True) | Q(number_from__lte=number),
            Q(number_to__isnull=True) | Q(number_to__gte=number),
        )


class RegionStreet(ZoneAudited, models.Model):
    """A street, or part of one, that a region covers."""

    audit_zone_path = "region.municipality.zone_id"

    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        related_name="coverage",
        on_delete=models.CASCADE,
    )
    street = models.ForeignKey(
        Street,
        verbose_name=_("street"),
        related_name="coverage",
        on_delete=models.CASCADE,
    )
    parity = models.CharField(
        _("house numbers"),
        max_length=4,
        choices=NumberParity.choices,
        default=NumberParity.ALL,
    )
    number_from = models.PositiveIntegerField(
        _("from number"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    number_to = models.PositiveIntegerField(
        _("to number"), null=True, blank=True, validators=[MinValueValidator(1)]
    )

    objects = RegionStreetQuerySet.as_manager()

    class Meta:
        verbose_name = _("street of a region")
        verbose_name_plural = _("streets of the region")
        ordering = ["street__name", "number_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number_from__isnull=True)
                | Q(number_to__isnull=True)
                | Q(number_from__lte=models.F("number_to")),
                name="region_street_range_in_order",
            ),
            models.CheckConstraint(
                condition=Q(parity__in=NumberParity.values),
                name="region_street_parity_valid",
            ),
            models.UniqueConstraint(
                fields=["region", "street", "parity", "number_from", "number_to"],
                name="unique_region_street_range",
                violation_error_message=_("The region already covers this range."),
            ),
            # NULLs are distinct in a unique index: the whole street needs its own.
            models.UniqueConstraint(
                fields=["region", "street", "parity"],
                condition=Q(number_from__isnull=True, number_to__isnull=True),
                name="unique_whole_street_per_region",
                violation_error_message=_("The region already covers this street."),
            ),
        ]

    def __str__(self) -> str:
        if self.number_from is None and self.number_to is None:
            numbers = self.get_parity_display()
        else:
            numbers = _("%(parity)s %(start)s–%(end)s") % {
                "parity": self.get_parity_display(),
                "start": self.number_from or 1,
                "end": self.number_to or "…",
            }
        return f"{self.street.name} ({numbers})"

    def clean(self) -> None:
        if (
            self.number_from is not None
            and self.number_to is not None
            and self.number_from > self.number_to
        ):
            raise ValidationError(
                {"number_to": _("The last number must not be lower than the first.")}
            )
        if self.region_id and self.street_id:
            if self.region.municipality_id != self.street.municipality_id:
                raise ValidationError(
                    {"street": _("The street lies in another municipality.")}
                )

    @property
    def is_whole_street(self) -> bool:
        return (
            self.parity == NumberParity.ALL
            and self.number_from is None
            and self.number_to is None
        )

    @property
    def numbers_text(self) -> str:
        """The house numbers covered, as the public pages say it.

        "numbers 1–49", "odd numbers from 51", "even numbers"; "whole
        street" for all of it.
        """
        texts = NUMBERS_TEXTS[self.parity]
        if self.number_from is None and self.number_to is None:
            return str(texts[0])
        if self.number_to is None:
            return texts[2] % {"start": self.number_from}
        return texts[1] % {"start": self.number_from or 1, "end": self.number_to}

    def covers(self, number: int | None) -> bool:
        if number is None:
            return True
        if self.parity == NumberParity.EVEN and number % 2:
            return False
        if self.parity == NumberParity.ODD and not number % 2:
            return False
        if self.number_from is not None and number < self.number_from:
            return False
        return self.number_to is None or number <= self.number_to
