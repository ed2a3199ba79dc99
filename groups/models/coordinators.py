"""The coordinators of a zone's WhatsApp groups."""

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from ..constants import NotificationMode
from .scope import AnyUser, ZoneAudited, is_active_superuser
from .whatsapp_groups import WhatsAppGroup
from .zones import Municipality, PoliceZone


class CoordinatorQuerySet(models.QuerySet["Coordinator"]):
    def visible_to(self, user: AnyUser) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_active_superuser(user):
            return self.all()
        staff_zones = PoliceZone.objects.filter(staff=user).values("pk")
        return self.filter(Q(zone__in=staff_zones) | Q(user=user))

    def active(self) -> Self:
        return self.filter(is_active=True)

    def listed(self) -> Self:
        """Coordinators who agreed to appear in the public table."""
        return self.active().filter(listed_publicly=True)

    def colleagues_of(self, coordinator: "Coordinator") -> Self:
        """The other active coordinators of the coordinator's municipalities.

        The umbrella network: who coordinates a group in a municipality where
        ``coordinator`` coordinates one. Their names and groups, not yet
        their contact details (see ``with_shared_contact``).
        """
        municipalities = Municipality.objects.filter(
            whatsapp_groups__coordinators=coordinator
        )
        return (
            self.active()
            .filter(groups__municipality__in=municipalities)
            .exclude(pk=coordinator.pk)
            .distinct()
        )

    def with_shared_contact(self) -> Self:
        """Each coordinator's phone and e-mail as they chose to share them.

        Consent is given, never assumed: ``shared_phone`` and ``shared_email``
        hold the coordinator's number and address only when they ticked
        ``shares_contact``, and are None otherwise. The fields themselves are
        not read, so a page built on this cannot show what was not shared.
        """
        shares = Q(shares_contact=True)
        return self.defer("phone", "email").annotate(
            shared_phone=models.Case(
                models.When(shares, then=models.F("phone")),
                default=models.Value(None),
                output_field=PhoneNumberField(),
            ),
            shared_email=models.Case(
                models.When(shares, then=models.F("email")),
                default=models.Value(None),
                output_field=models.EmailField(),
            ),
        )


class Coordinator(ZoneAudited, models.Model):
    zone = models.ForeignKey(
        PoliceZone,
        verbose_name=_("police zone"),
        related_name="coordinators",
        on_delete=models.PROTECT,
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        related_name="coordinator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"))
    phone = PhoneNumberField(_("mobile number"), blank=True)
    groups = models.ManyToManyField(
        WhatsAppGroup,
        verbose_name=_("WhatsApp groups"),
        related_name="coordinators",
        blank=True,
    )
    listed_publicly = models.BooleanField(
        _("agrees to appear in the public table"),
        default=False,
        help_text=_("Only the name is shown, next to the region and the group."),
    )
    # Off until the coordinator ticks it (DESIGN: consent is given, never
    # assumed): staff, an application or an import never decide it for them.
    shares_contact = models.BooleanField(
        _("shares phone and e-mail with other coordinators"),
        default=False,
    )
    notification_mode = models.CharField(
        _("new signups by e-mail"),
        max_length=20,
        choices=NotificationMode.choices,
        default=NotificationMode.IMMEDIATE,
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = CoordinatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "email"],
                name="unique_coordinator_email_per_zone",
                violation_error_message=_(
                    "A coordinator with this e-mail address already exists in the zone."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
