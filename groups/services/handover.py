"""Handing a group over to a successor.

The life of a ``Handover``:

- ``offer_handover``: a lead coordinator of the group names a successor,
  one of the group's deputies or a new person (name, e-mail, phone). The
  successor is mailed a signed link, bound to their address, valid
  ``HANDOVER_VALID_DAYS`` days. A new offer for the group replaces an open
  one.
- ``accept_handover``: the successor opens the link and accepts with one
  POST. In one transaction the successor becomes the group's lead (their
  coordinator row is made in the zone when they are new, with a login of
  their own and an invitation to choose a password), the predecessor stays
  on as deputy or stops coordinating the group, the public table moves to a
  new version, and the predecessor and the zone's staff are told by mail.
  New-signup mails follow the group's coordinators, so they go to the
  successor from then on.
- ``cancel_handover``: the lead who offered it, or the zone's staff,
  withdraw an open offer. An accepted, cancelled or expired handover is
  closed: its link says so and changes nothing.

A predecessor who keeps no neighbourhood group is deactivated: off the
public table, coordinator role gone, and their login closed unless it also
serves another role (police-zone staff, superuser, permissions of its own).
That login is their own and they chose to hand over: it is closed by their
choice, so the rule that only a broader scope may close a login does not
stand in the way.

Logins follow the round-1 rules (``logins``): the successor's address is
checked with ``check_email_for_login`` in the predecessor's scope, so an
address with a login of another role (staff, superuser, another zone's
coordinator) is refused and never linked; a new login is made for the
address that proved itself by accepting, and only that one is sent an
invitation.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wabp_portal.mail.queue import queue_mail
from wabp_portal.signed_links import row_from_link, signed_url

from .. import network_cache
from ..constants import (
    HANDOVER_VALID_DAYS,
    ROLE_COORDINATOR,
    CoordinatorRole,
    GroupKind,
)
from ..models import Coordinator, GroupCoordinator, Handover, WhatsAppGroup
from .coordinators import (
    _save_login,
    check_email_for_login,
    link_coordinator_login,
    login_for,
    queue_invitation,
)
from .logins import holds_staff_role

logger = logging.getLogger(__name__)

SALT = "groups.handover"
VALID_FOR = timedelta(days=HANDOVER_VALID_DAYS)

REFUSED_ADDRESS = _(
    "The group cannot be handed over to this e-mail address here. Ask the "
    "police zone to do it."
)


def handover_link(handover: Handover) -> str:
    """The successor's page, signed and bound to the address it is mailed to."""
    return signed_url("groups:handover", handover.pk, salt=SALT, bind=handover.email)


def handover_from_link(token: str) -> Handover:
    """The handover a link stands for; ``InvalidLink`` otherwise."""
    return row_from_link(
        Handover.objects.select_related(
            "group__municipality__zone", "group__region", "from_coordinator"
        ),
        token,
        salt=SALT,
        max_age=VALID_FOR,
        gone_message=_("This handover no longer exists."),
        bind=lambda handover: handover.email,
        superseded_message=_("This link is no longer valid."),
    )


def closed_reason(handover: Handover) -> str | None:
    """Why the handover can no longer be accepted, or None while it can."""
    if handover.accepted_at is not None:
        return _("This handover has already been accepted.")
    if handover.cancelled_at is not None:
        return _("This handover was cancelled.")
    if handover.is_expired():
        return _("This handover has expired.")
    return None


def _lead_link(group: WhatsAppGroup, user: User) -> GroupCoordinator | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return (
        GroupCoordinator.objects.select_related("coordinator")
        .filter(
            whatsappgroup=group,
            coordinator__user=user,
            coordinator__is_active=True,
            role=CoordinatorRole.LEAD,
        )
        .first()
    )


def deputies_of(group: WhatsAppGroup) -> list[Coordinator]:
    """The group's active deputies: whom a lead may pick as successor."""
    return list(
        Coordinator.objects.active().filter(
            group_links__whatsappgroup=group,
            group_links__role=CoordinatorRole.DEPUTY,
        )
    )


def _zone_coordinator(group: WhatsAppGroup, email: str) -> Coordinator | None:
    return Coordinator.objects.filter(
        zone_id=group.municipality.zone_id, email__iexact=email
    ).first()


def _check_successor(
    group: WhatsAppGroup, *, email: str, existing: Coordinator | None, by: User
) -> None:
    """Refuse a successor whose row or login this handover may not take."""
    if existing is not None:
        if not existing.is_active:
            # A former coordinator comes back through the zone's staff, who
            # may reopen their login; a colleague may not.
            raise ValidationError({"email": REFUSED_ADDRESS})
        if existing.user is not None:
            return  # their own login, as it is: nothing is linked or sent
    try:
        check_email_for_login(email, by=by)
    except ValidationError as error:
        raise ValidationError({"email": REFUSED_ADDRESS}) from error


@transaction.atomic
def offer_handover(
    group: WhatsAppGroup,
    *,
    by: User,
    successor: Coordinator | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    stays_as_deputy: bool = False,
) -> Handover:
    """Offer the group to ``successor`` (a deputy) or to a new person.

    Only an active lead of the group may offer it (``PermissionDenied``
    otherwise). The successor is mailed a link to accept.
    """
    group = WhatsAppGroup.objects.select_for_update().get(pk=group.pk)
    link = _lead_link(group, by)
    if link is None or group.kind != GroupKind.NEIGHBOURHOOD:
        logger.warning("handover refused group=%s actor=%s", group.pk, by.pk)
        raise PermissionDenied
    predecessor = link.coordinator
    if successor is not None:
        if successor.pk not in {deputy.pk for deputy in deputies_of(group)}:
            raise ValidationError(
                {"successor": _("Choose one of the group's deputy coordinators.")}
            )
        first_name, last_name = successor.first_name, successor.last_name
        email, phone = successor.email, successor.phone
        existing = successor
    else:
        email = email.strip().lower()
        existing = _zone_coordinator(group, email) if email else None
    handover = Handover(
        group=group,
        from_coordinator=predecessor,
        successor=existing,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        phone=phone or "",
        stays_as_deputy=stays_as_deputy,
        expires_at=timezone.now() + VALID_FOR,
    )
    handover.full_clean(exclude=["group", "from_coordinator", "successor"])
    if email == predecessor.email.lower():
        raise ValidationError(
            {"email": _("You cannot hand the group over to yourself.")}
        )
    if existing is not None and existing.group_links.filter(
        whatsappgroup=group, role=CoordinatorRole.LEAD
    ):
        raise ValidationError(
            {"email": _("This person already coordinates the group.")}
        )
    _check_successor(group, email=email, existing=existing, by=by)
    # A new offer replaces an open one (expired or not): one link works.
    Handover.objects.filter(group=group).open().update(cancelled_at=timezone.now())
    handover.save()
    queue_mail(
        to=[handover.email],
        template="groups/email/handover_offer",
        context={
            "handover": handover,
            "group": group,
            "predecessor": predecessor,
            "url": handover_link(handover),
            "valid_days": HANDOVER_VALID_DAYS,
        },
        language=settings.LANGUAGE_CODE,
        zone=group.municipality.zone,
    )
    logger.info(
        "handover offered pk=%s group=%s from=%s existing=%s",
        handover.pk,
        group.pk,
        predecessor.pk,
        existing.pk if existing else None,
    )
    return handover


@transaction.atomic
def cancel_handover(handover: Handover, *, by: User) -> Handover:
    """Withdraw an open offer: the lead who made it, or the zone's staff."""
    handover = (
        Handover.objects.select_for_update(of=("self",))
        .select_related("from_coordinator", "group__municipality")
        .get(pk=handover.pk)
    )
    if not Handover.objects.visible_to(by).filter(pk=handover.pk).exists():
        raise PermissionDenied
    if not handover.is_open:
        raise ValidationError(closed_reason(handover))
    handover.cancelled_at = timezone.now()
    handover.save(update_fields=["cancelled_at"])
    logger.info("handover cancelled pk=%s actor=%s", handover.pk, by.pk)
    return handover


def _new_successor(handover: Handover, *, listed_publicly: bool) -> Coordinator:
    coordinator = Coordinator(
        zone=handover.group.municipality.zone,
        first_name=handover.first_name,
        last_name=handover.last_name,
        email=handover.email,
        phone=handover.phone,
        listed_publicly=listed_publicly,
    )
    coordinator.full_clean()
    coordinator.save()
    return coordinator


def _step_down(predecessor: Coordinator, group: WhatsAppGroup, *, deputy: bool):
    """The predecessor keeps the group as deputy, or leaves it (and, with no
    neighbourhood group left, stops as coordinator)."""
    links = GroupCoordinator.objects.filter(coordinator=predecessor)
    if deputy:
        link = links.get(whatsappgroup=group)
        link.role = CoordinatorRole.DEPUTY
        link.save(update_fields=["role"])
        return
    predecessor.groups.remove(group)
    if links.filter(whatsappgroup__kind=GroupKind.NEIGHBOURHOOD).exists():
        return
    predecessor.is_active = False
    predecessor.full_clean()
    predecessor.save(update_fields=["is_active"])
    user = predecessor.user
    if user is None:
        return
    user.groups.remove(Group.objects.get(name=ROLE_COORDINATOR))
    if not holds_staff_role(user):
        # Their own login, closed by their own choice (module docstring).
        user.is_active = False
        _save_login(user, update_fields=["is_active"])
    logger.info("coordinator stepped down pk=%s", predecessor.pk)


def _staff_addresses(group: WhatsAppGroup) -> list[str]:
    zone = group.municipality.zone
    staff = sorted(
        set(
            zone.staff.filter(is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    return staff or [zone.email]


@transaction.atomic
def accept_handover(handover: Handover, *, listed_publicly: bool = False) -> Handover:
    """The successor accepts: the group is theirs (module docstring).

    ``listed_publicly`` is a new successor's consent to be named in the
    public table; an existing coordinator keeps their own choice.
    Raises ``ValidationError`` with the reason when the handover is closed
    or can no longer be made as offered.
    """
    handover = (
        Handover.objects.select_for_update(of=("self",))
        .select_related("group__municipality__zone", "from_coordinator__user")
        .get(pk=handover.pk)
    )
    reason = closed_reason(handover)
    if reason:
        raise ValidationError(reason)
    group = WhatsAppGroup.objects.select_for_update().get(pk=handover.group_id)
    predecessor = handover.from_coordinator
    by = predecessor.user
    if by is None or _lead_link(group, by) is None:
        raise ValidationError(
            _(
                "The group's coordinators have changed since this offer. Ask "
                "the coordinator to hand the group over again."
            )
        )
    successor = handover.successor or _zone_coordinator(group, handover.email)
    _check_successor(group, email=handover.email, existing=successor, by=by)
    invite = False
    if successor is None:
        successor = _new_successor(handover, listed_publicly=listed_publicly)
    if successor.user is None:
        link_coordinator_login(successor, user=login_for(successor, by=by))
        invite = True
    GroupCoordinator.objects.update_or_create(
        coordinator=successor,
        whatsappgroup=group,
        defaults={"role": CoordinatorRole.LEAD},
    )
    # The umbrella groups of the municipality the predecessor was in.
    for umbrella in predecessor.groups.filter(
        kind=GroupKind.UMBRELLA, municipality=group.municipality
    ):
        successor.groups.add(umbrella)
    _step_down(predecessor, group, deputy=handover.stays_as_deputy)
    handover.successor = successor
    handover.accepted_at = timezone.now()
    handover.save(update_fields=["successor", "accepted_at"])
    network_cache.invalidate()
    if invite:
        queue_invitation(successor)
    context = {
        "handover": handover,
        "group": group,
        "predecessor": predecessor,
        "successor": successor,
        "admin_url": settings.SITE_URL + reverse("admin:index"),
    }
    queue_mail(
        to=[predecessor.email],
        template="groups/email/handover_accepted",
        context=context,
        language=settings.LANGUAGE_CODE,
        zone=group.municipality.zone,
    )
    queue_mail(
        to=_staff_addresses(group),
        template="groups/email/handover_staff",
        context=context,
        language=settings.LANGUAGE_CODE,
        zone=group.municipality.zone,
    )
    logger.info(
        "handover accepted pk=%s group=%s from=%s to=%s new_login=%s",
        handover.pk,
        group.pk,
        predecessor.pk,
        successor.pk,
        invite,
    )
    return handover
