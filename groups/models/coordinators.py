"""The coordinators of a zone's WhatsApp groups, and handing a group over.

A coordinator coordinates groups of their zone, each as its lead (named in
the public table) or as a deputy (``GroupCoordinator.role``). Both decide
the group's signups and get its mails, each as their own
``notification_mode`` says. A lead hands a group to a successor with a
``Handover`` the successor accepts through a mailed link
(``services.handover``).
"""

from datetime import datetime
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from ..constants import CoordinatorRole, NotificationMode
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
        through="GroupCoordinator",
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


class GroupCoordinatorQuerySet(models.QuerySet["GroupCoordinator"]):
    def leads(self) -> Self:
        return self.filter(role=CoordinatorRole.LEAD)

    def deputies(self) -> Self:
        return self.filter(role=CoordinatorRole.DEPUTY)


class GroupCoordinator(ZoneAudited, models.Model):
    """That a coordinator coordinates a group, and as what.

    The table Django made for ``Coordinator.groups`` before roles existed,
    kept with its rows and column names (migration 0010).
    """

    audit_zone_path = "coordinator.zone_id"

    coordinator = models.ForeignKey(
        Coordinator,
        verbose_name=_("coordinator"),
        related_name="group_links",
        on_delete=models.CASCADE,
    )
    whatsappgroup = models.ForeignKey(
        WhatsAppGroup,
        verbose_name=_("WhatsApp group"),
        related_name="coordinator_links",
        on_delete=models.CASCADE,
    )
    role = models.CharField(
        _("role"),
        max_length=10,
        choices=CoordinatorRole.choices,
        default=CoordinatorRole.LEAD,
        help_text=_(
            "The coordinator is named in the public table; a deputy helps "
            "decide the signups and is not named there."
        ),
    )

    objects = GroupCoordinatorQuerySet.as_manager()

    class Meta:
        db_table = "groups_coordinator_groups"
        verbose_name = _("coordinator of a group")
        verbose_name_plural = _("coordinators of a group")
        # The unique index Django made with the table; kept as it is.
        unique_together = [("coordinator", "whatsappgroup")]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=CoordinatorRole.values),
                name="group_coordinator_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coordinator} ({self.get_role_display()})"


class HandoverQuerySet(models.QuerySet["Handover"]):
    def visible_to(self, user: AnyUser) -> Self:
        """Superusers all; zone staff their zones'; a coordinator their own offers."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_active_superuser(user):
            return self.all()
        staff_zones = PoliceZone.objects.filter(staff=user).values("pk")
        return self.filter(
            Q(group__municipality__zone__in=staff_zones)
            | Q(from_coordinator__user=user)
        )

    def open(self) -> Self:
        """Neither accepted nor cancelled (an expired one is still open)."""
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True)


class Handover(ZoneAudited, models.Model):
    """A lead's offer to hand their group to a successor, until accepted.

    The successor is an existing coordinator of the zone (``successor``, one
    of the group's deputies) or a new person (the name, e-mail and phone
    typed here; their coordinator row is made when they accept).
    """

    audit_zone_path = "group.municipality.zone_id"

    group = models.ForeignKey(
        WhatsAppGroup,
        verbose_name=_("WhatsApp group"),
        related_name="handovers",
        on_delete=models.CASCADE,
    )
    from_coordinator = models.ForeignKey(
        Coordinator,
        verbose_name=_("handed over by"),
        related_name="handovers_offered",
        on_delete=models.CASCADE,
    )
    successor = models.ForeignKey(
        Coordinator,
        verbose_name=_("successor"),
        related_name="handovers_received",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"))
    phone = PhoneNumberField(_("mobile number"), blank=True)
    stays_as_deputy = models.BooleanField(
        _("I stay on as deputy coordinator"),
        default=False,
        help_text=_(
            "Without this, the group is no longer yours once your successor accepts."
        ),
    )
    created_at = models.DateTimeField(_("offered"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = HandoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="one_open_handover_per_group",
                violation_error_message=_(
                    "This group already has a handover waiting for an answer."
                ),
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(cancelled_at__isnull=True),
                name="handover_accepted_or_cancelled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} → {self.successor_name}"

    @property
    def successor_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None
