"""The WhatsApp groups of a municipality, and which addresses each covers."""

from collections.abc import Iterable
from typing import Self

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..constants import CoordinatorRole, GroupKind
from .regions import Region, RegionStreet
from .scope import AnyUser, ZoneAudited, is_active_superuser
from .zones import Municipality

invite_link_validator = RegexValidator(
    r"^https://chat\.whatsapp\.com/(invite/)?[A-Za-z0-9]{10,40}$",
    _("Enter a WhatsApp group invite link (https://chat.whatsapp.com/…)."),
)


class WhatsAppGroupQuerySet(models.QuerySet["WhatsAppGroup"]):
    def visible_to(self, user: AnyUser) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_active_superuser(user):
            return self.all()
        # The user's municipalities and groups by id (two small queries): an
        # OR of subqueries reads every group of the country, an OR of id
        # lists uses the indexes; no joins, so no duplicate rows either.
        municipalities = list(
            Municipality.objects.filter(zone__staff=user).values_list("pk", flat=True)
        )
        own_groups = list(
            WhatsAppGroup.objects.coordinated_by(user).values_list("pk", flat=True)
        )
        return self.filter(Q(municipality__in=municipalities) | Q(pk__in=own_groups))

    def coordinated_by(self, user: AnyUser) -> Self:
        if not user.is_authenticated:
            return self.none()
        return self.filter(coordinators__user=user, coordinators__is_active=True)

    def led_by(self, user: AnyUser) -> Self:
        """Groups the user leads (not only deputises) as an active coordinator."""
        if not user.is_authenticated:
            return self.none()
        # One filter(): the three conditions hold for the same link row.
        return self.filter(
            coordinator_links__coordinator__user=user,
            coordinator_links__coordinator__is_active=True,
            coordinator_links__role=CoordinatorRole.LEAD,
        )

    def neighbourhood(self) -> Self:
        return self.filter(kind=GroupKind.NEIGHBOURHOOD)

    def covering(self, street_ids: Iterable[int], number: int | None) -> Self:
        """Groups whose region covers this house number in one of these streets.

        A correlated EXISTS rather than a join: no DISTINCT, and PostgreSQL
        plans it in a fraction of the time (this runs on every look-up and
        every signup).
        """
        coverage = (
            RegionStreet.objects.filter(street__in=list(street_ids))
            .covering(number)
            .filter(region=models.OuterRef("region_id"))
        )
        return self.filter(models.Exists(coverage))

    def nearest_first(
        self, *, street_ids: Iterable[int] = (), postcodes: Iterable[str] = ()
    ) -> Self:
        """These groups, those covering one of these streets first, then those
        covering streets of these postcodes, then the others in the table's
        order: what "nearby" can mean without coordinates."""
        same_street = RegionStreet.objects.filter(
            region=models.OuterRef("region_id"), street__in=list(street_ids)
        )
        same_postcode = RegionStreet.objects.filter(
            region=models.OuterRef("region_id"), street__postcode__in=list(postcodes)
        )
        return self.annotate(
            on_street=models.Exists(same_street),
            in_postcode=models.Exists(same_postcode),
        ).order_by(
            models.F("on_street").desc(),
            models.F("in_postcode").desc(),
            "municipality__name",
            "display_order",
            "name",
        )

    def published(self) -> Self:
        """Groups residents may see and join."""
        return self.neighbourhood().filter(is_active=True, is_public=True)


class WhatsAppGroup(ZoneAudited, models.Model):
    audit_zone_path = "municipality.zone_id"

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        related_name="whatsapp_groups",
        on_delete=models.PROTECT,
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        related_name="whatsapp_groups",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=GroupKind.choices,
        default=GroupKind.NEIGHBOURHOOD,
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    invite_link = models.URLField(
        _("WhatsApp invite link"),
        blank=True,
        validators=[invite_link_validator],
        help_text=_("Private: only sent to approved members, never shown publicly."),
    )
    send_invite_link = models.BooleanField(
        _("send the invite link on approval"),
        default=True,
        help_text=_("Approved members receive the invite link in their e-mail."),
    )
    is_public = models.BooleanField(
        _("shown in the public table"),
        default=True,
    )
    is_active = models.BooleanField(_("active"), default=True)
    display_order = models.PositiveIntegerField(_("order in the table"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = WhatsAppGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("WhatsApp group")
        verbose_name_plural = _("WhatsApp groups")
        ordering = ["municipality__name", "display_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="unique_group_name_per_municipality",
                violation_error_message=_(
                    "The municipality already has a group of this name."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind=GroupKind.UMBRELLA) | Q(region__isnull=False),
                name="neighbourhood_group_has_region",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=GroupKind.values),
                name="whatsapp_group_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        """Whether residents may see and join it (as ``published()`` selects)."""
        return (
            self.kind == GroupKind.NEIGHBOURHOOD and self.is_active and self.is_public
        )

    def clean(self) -> None:
        # The region itself, not its id: a table import names a new region,
        # saved only with the group (services.save_whatsapp_group).
        if self.kind == GroupKind.NEIGHBOURHOOD and self.region is None:
            raise ValidationError(
                {"region": _("A neighbourhood group covers a region.")}
            )
        if (
            self.region is not None
            and self.municipality_id
            and self.region.municipality_id != self.municipality_id
        ):
            raise ValidationError(
                {"region": _("The region lies in another municipality.")}
            )
