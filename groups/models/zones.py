"""Police zones, their municipalities and the municipalities' streets.

``ZoneScopedQuerySet`` is the scope of every row that belongs to one zone:
its staff see it, nobody else.
"""

import re
import unicodedata
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from .scope import AnyUser, ZoneAudited, is_active_superuser

postcode_validator = RegexValidator(
    r"^[1-9][0-9]{3}$", _("Enter a Belgian postcode of four digits.")
)
postcode_list_validator = RegexValidator(
    r"^[1-9][0-9]{3}(,\s*[1-9][0-9]{3})*$",
    _("Enter one or more postcodes of four digits, separated by commas."),
)

# Abbreviations residents type for the common Flemish street-name endings.
_STREET_ABBREVIATIONS = (
    (r"\bstr\b\.?", "straat"),
    (r"\bstwg\b\.?", "steenweg"),
    (r"\bstw\b\.?", "steenweg"),
    (r"\bln\b\.?", "laan"),
    (r"\bpl\b\.?", "plein"),
    (r"\bsteenw\b\.?", "steenweg"),
)


def normalize_street_name(value: str) -> str:
    """Return the search key of a street name.

    Case, accents, punctuation and spacing are dropped and the usual
    abbreviations written out, so "Oude Stwg." and "oude steenweg" meet, and
    so do "Motstr" and "Motstraat" (the abbreviation may be glued to the name).
    """
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    text = text.lower()
    text = re.sub(r"(?<=[a-z])(str|stwg|stw|ln|pl)\b\.?", r" \1", text)
    for pattern, replacement in _STREET_ABBREVIATIONS:
        text = re.sub(pattern, replacement, text)
    text = re.sub(r"[^a-z0-9]+", "", text)
    return text


class ZoneScopedQuerySet(models.QuerySet):
    """Rows that belong to one police zone: its staff see them, nobody else.

    ``zone_path`` is the lookup from the model to its PoliceZone.
    """

    zone_path = "zone"

    def visible_to(self, user: AnyUser) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_active_superuser(user):
            return self.all()
        staff_of = PoliceZone.staff.through.objects.filter(user=user)
        return self.filter(**{f"{self.zone_path}__in": staff_of.values("policezone")})


class PoliceZoneQuerySet(models.QuerySet["PoliceZone"]):
    def visible_to(self, user: AnyUser) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_active_superuser(user):
            return self.all()
        # Coordinators belong to a zone, so their module imports this one.
        from .coordinators import Coordinator

        staff_of = PoliceZone.staff.through.objects.filter(user=user)
        coordinator_of = Coordinator.objects.filter(user=user, is_active=True)
        return self.filter(
            Q(pk__in=staff_of.values("policezone"))
            | Q(pk__in=coordinator_of.values("zone"))
        )


class PoliceZone(ZoneAudited, models.Model):
    audit_zone_path = "pk"

    name = models.CharField(_("name"), max_length=150, unique=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"))
    phone = PhoneNumberField(_("phone number"), blank=True)
    website = models.URLField(_("website"), blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        related_name="police_zones",
        blank=True,
        help_text=_("Accounts of the police-zone staff who keep this zone's table."),
    )

    objects = PoliceZoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("police zone")
        verbose_name_plural = _("police zones")
        ordering = ["name"]
        constraints = [
            # The address signs the zone's mail and receives residents'
            # replies: two zones with one address would read each other's.
            # (Which zone may see a mail is decided by its id, never by this.)
            models.UniqueConstraint(
                Lower("email"),
                name="unique_police_zone_email",
                violation_error_message=_(
                    "Another police zone already uses this e-mail address."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(ZoneScopedQuerySet):
    zone_path = "zone"


class Municipality(ZoneAudited, models.Model):
    zone = models.ForeignKey(
        PoliceZone,
        verbose_name=_("police zone"),
        related_name="municipalities",
        on_delete=models.PROTECT,
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("address in the site"), unique=True)
    postcodes = models.CharField(
        _("postcodes"),
        max_length=100,
        validators=[postcode_list_validator],
        help_text=_("Separated by commas, for example: 3570"),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "name"],
                name="unique_municipality_name_per_zone",
                violation_error_message=_(
                    "The zone already has a municipality of this name."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:municipality", kwargs={"slug": self.slug})

    @property
    def postcode_list(self) -> list[str]:
        return [code.strip() for code in self.postcodes.split(",") if code.strip()]


class StreetQuerySet(ZoneScopedQuerySet):
    zone_path = "municipality__zone"

    def matching(self, text: str) -> Self:
        """Streets whose name contains what the resident typed, however written."""
        key = normalize_street_name(text)
        if not key:
            return self.none()
        return self.filter(search_name__contains=key)


class Street(ZoneAudited, models.Model):
    audit_zone_path = "municipality.zone_id"

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        related_name="streets",
        on_delete=models.CASCADE,
    )
    name = models.CharField(_("street name"), max_length=150)
    postcode = models.CharField(
        _("postcode"), max_length=4, validators=[postcode_validator]
    )
    search_name = models.CharField(
        _("search key"), max_length=150, editable=False, db_index=True
    )

    objects = StreetQuerySet.as_manager()

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["name", "postcode"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name", "postcode"],
                name="unique_street_per_municipality_postcode",
                violation_error_message=_(
                    "This street already exists in the municipality."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.postcode}"

    def clean(self) -> None:
        # The search key is derived, kept here so every validated write has it.
        self.search_name = normalize_street_name(self.name)
        if self.municipality_id and self.postcode:
            if self.postcode not in self.municipality.postcode_list:
                raise ValidationError(
                    {
                        "postcode": _(
                            "This postcode does not belong to the municipality."
                        )
                    }
                )
