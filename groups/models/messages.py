"""Messages of a zone's staff to its coordinators, and who received them.

Staff write one message to the coordinators of the zone, of one municipality
or of chosen groups; ``MessageRecipient`` keeps, per coordinator, that it was
addressed to them (as the groups stood when it was sent) and when they read
it in the portal. Coordinators read only the messages addressed to them.
"""

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..constants import MessageAudience
from .coordinators import Coordinator
from .scope import AnyUser, ZoneAudited, is_active_superuser
from .whatsapp_groups import WhatsAppGroup
from .zones import Municipality, PoliceZone


class MessageQuerySet(models.QuerySet["Message"]):
    def visible_to(self, user: AnyUser) -> Self:
        """Staff see their zones' messages; a coordinator those addressed to them."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_active_superuser(user):
            return self.all()
        staff_zones = PoliceZone.staff.through.objects.filter(user=user.pk)
        addressed = MessageRecipient.objects.filter(
            coordinator__user=user.pk, coordinator__is_active=True
        )
        return self.filter(
            Q(zone__in=staff_zones.values("policezone"))
            | Q(pk__in=addressed.values("message"))
        )


class Message(ZoneAudited, models.Model):
    """One message of a zone's staff to (some of) the zone's coordinators.

    Kept as it was sent: nobody changes or deletes it in the portal. The
    body is plain text, shown escaped, never read as a template.
    """

    zone = models.ForeignKey(
        PoliceZone,
        verbose_name=_("police zone"),
        related_name="messages",
        on_delete=models.CASCADE,
    )
    audience = models.CharField(
        _("to"),
        max_length=20,
        choices=MessageAudience.choices,
        default=MessageAudience.ZONE,
    )
    # Kept when the municipality or a group is later deleted: the recipients
    # were stored when it was sent.
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        related_name="messages",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    groups = models.ManyToManyField(
        WhatsAppGroup,
        verbose_name=_("WhatsApp groups"),
        related_name="messages",
        blank=True,
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), max_length=10_000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now, editable=False)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message from the police zone")
        verbose_name_plural = _("messages from the police zone")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=MessageAudience.values),
                name="message_audience_valid",
            ),
            models.CheckConstraint(
                condition=Q(municipality__isnull=True)
                | Q(audience=MessageAudience.MUNICIPALITY),
                name="message_municipality_only_for_its_audience",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def audience_label(self) -> str:
        """Whom it went to, in words: the zone, a municipality, or n groups."""
        if self.audience == MessageAudience.MUNICIPALITY and self.municipality:
            return _("the coordinators of %(municipality)s") % {
                "municipality": self.municipality.name
            }
        if self.audience == MessageAudience.GROUPS:
            count = self.groups.count()
            return ngettext(
                "the coordinators of %(count)d group",
                "the coordinators of %(count)d groups",
                count,
            ) % {"count": count}
        return str(self.get_audience_display())


class MessageRecipientQuerySet(models.QuerySet["MessageRecipient"]):
    def visible_to(self, user: AnyUser) -> Self:
        """The zone's staff see who received and read; a coordinator only theirs."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_active_superuser(user):
            return self.all()
        staff_zones = PoliceZone.staff.through.objects.filter(user=user.pk)
        return self.filter(
            Q(message__zone__in=staff_zones.values("policezone"))
            | Q(coordinator__user=user.pk, coordinator__is_active=True)
        )

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)

    def of_user(self, user: AnyUser) -> Self:
        """The rows addressed to the user as an active coordinator."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(coordinator__user=user.pk, coordinator__is_active=True)


class MessageRecipient(ZoneAudited, models.Model):
    """That a message was addressed to a coordinator, and when they read it."""

    audit_zone_path = "message.zone_id"

    message = models.ForeignKey(
        Message,
        verbose_name=_("message"),
        related_name="recipients",
        on_delete=models.CASCADE,
    )
    coordinator = models.ForeignKey(
        Coordinator,
        verbose_name=_("coordinator"),
        related_name="messages_received",
        on_delete=models.CASCADE,
    )
    read_at = models.DateTimeField(_("read in the portal"), null=True, blank=True)

    objects = MessageRecipientQuerySet.as_manager()

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["coordinator__last_name", "coordinator__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "coordinator"],
                name="unique_recipient_per_message",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coordinator} — {self.message}"
