"""Messages of a zone's staff to its coordinators: the police's channel to
reach groups without sitting in them.

Staff write one message (``send_message``) to every active coordinator of the
zone, of one municipality, or of chosen groups (leads and deputies alike).
The message is stored with a ``MessageRecipient`` per coordinator, as the
groups stood at that moment, and each coordinator gets a mail of their own:
nobody sees another coordinator's address. The admin first shows how many
coordinators will receive it (``recipients_for``). A sent message is kept as
it was; nobody changes or deletes it in the portal.

Coordinators read the messages addressed to them in the portal; opening one
records when they read it (``mark_read``), so staff see who read it and the
coordinator's dashboard counts the new ones.
"""

import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wabp_portal.mail.queue import queue_mail

from ..constants import MessageAudience
from ..models import (
    Coordinator,
    GroupCoordinator,
    Message,
    MessageRecipient,
    Municipality,
    PoliceZone,
    WhatsAppGroup,
)

logger = logging.getLogger(__name__)

AnyUser = AbstractBaseUser | AnonymousUser


def may_write_to(zone: PoliceZone, user: AnyUser) -> bool:
    """Superusers and the zone's own staff write to its coordinators."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return PoliceZone.staff.through.objects.filter(
        policezone=zone.pk, user=user.pk
    ).exists()


def recipients_for(
    zone: PoliceZone,
    *,
    municipality: Municipality | None = None,
    groups: list[WhatsAppGroup] | QuerySet[WhatsAppGroup] | None = None,
) -> QuerySet[Coordinator]:
    """The active coordinators a message to this audience goes to, now.

    A coordinator of a group is its lead or one of its deputies; a
    coordinator of several of the groups is counted once.
    """
    coordinators = Coordinator.objects.active().filter(zone=zone.pk)
    if groups:
        links = GroupCoordinator.objects.filter(
            whatsappgroup__in=[group.pk for group in groups]
        )
        coordinators = coordinators.filter(pk__in=links.values("coordinator"))
    elif municipality is not None:
        links = GroupCoordinator.objects.filter(
            whatsappgroup__municipality=municipality.pk
        )
        coordinators = coordinators.filter(pk__in=links.values("coordinator"))
    return coordinators.order_by("pk")


def _check_audience(
    zone: PoliceZone,
    municipality: Municipality | None,
    groups: list[WhatsAppGroup],
) -> None:
    if municipality is not None and groups:
        raise ValidationError(
            _("Choose a municipality or groups, not both."), code="both"
        )
    if municipality is not None and municipality.zone_id != zone.pk:
        raise ValidationError(
            {"municipality": _("This municipality belongs to another zone.")}
        )
    if groups:
        pks = {group.pk for group in groups}
        in_zone = WhatsAppGroup.objects.filter(
            pk__in=pks, municipality__zone=zone.pk
        ).count()
        if in_zone != len(pks):
            raise ValidationError(
                {"groups": _("One of the groups belongs to another zone.")}
            )


def message_url(message: Message) -> str:
    return settings.SITE_URL + reverse("admin:groups_message_change", args=[message.pk])


@transaction.atomic
def send_message(
    zone: PoliceZone,
    *,
    by: AnyUser,
    subject: str,
    body: str,
    municipality: Municipality | None = None,
    groups: list[WhatsAppGroup] | QuerySet[WhatsAppGroup] | None = None,
) -> Message:
    """Store the message and queue a mail to each coordinator it addresses."""
    if not may_write_to(zone, by):
        raise PermissionDenied
    groups = list(groups or [])
    _check_audience(zone, municipality, groups)
    if groups:
        audience = MessageAudience.GROUPS
    elif municipality is not None:
        audience = MessageAudience.MUNICIPALITY
    else:
        audience = MessageAudience.ZONE
    coordinators = list(recipients_for(zone, municipality=municipality, groups=groups))
    if not coordinators:
        raise ValidationError(
            _(
                "Nobody would receive this message: no active coordinator "
                "coordinates a group there."
            ),
            code="nobody",
        )
    message = Message(
        zone=zone,
        audience=audience,
        municipality=municipality,
        subject=subject.strip(),
        body=body.strip(),
        sent_by=by,
        sent_at=timezone.now(),
    )
    message.full_clean()
    message.save()
    if groups:
        message.groups.set(groups)
    url = message_url(message)
    for coordinator in coordinators:
        # No full_clean(): both rows were just read or written, and it would
        # read each coordinator again; the unique constraint holds in the table.
        MessageRecipient.objects.create(message=message, coordinator=coordinator)
        # One mail per coordinator: none sees another's address.
        queue_mail(
            to=[coordinator.email],
            template="groups/email/zone_message",
            context={
                "message": message,
                "coordinator": coordinator,
                "message_url": url,
            },
            language=settings.LANGUAGE_CODE,
            zone=zone,
        )
    logger.info(
        "zone message sent message=%s zone=%s audience=%s recipients=%s by=%s",
        message.pk,
        zone.pk,
        audience,
        len(coordinators),
        by.pk,
    )
    return message


@transaction.atomic
def mark_read(message: Message, *, by: AnyUser) -> MessageRecipient | None:
    """Record that the coordinator ``by`` read the message, the first time.

    None when the message was not addressed to them (staff reading it).
    """
    rows = MessageRecipient.objects.of_user(by).filter(message=message.pk)
    recipient = rows.unread().select_for_update(of=("self",)).first()
    if recipient is None:
        return rows.first()
    recipient.read_at = timezone.now()
    recipient.save(update_fields=["read_at"])
    logger.info("zone message read message=%s recipient=%s", message.pk, recipient.pk)
    return recipient
