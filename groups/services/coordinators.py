"""Coordinators and the logins that carry the roles.

A coordinator row is created by the zone's staff (or by approving a
new-group application): ``create_coordinator`` saves it, links the login with
the same e-mail address or creates one without a password, puts it in the
coordinator role and queues an invitation with a link to set a password.
``deactivate_coordinator`` takes the row off the public table and closes the
login (unless the login also serves as police-zone staff);
``reactivate_coordinator`` opens it again. A staff member gets their role from
``add_zone_staff``. Nothing else changes a role.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user

from wabp_portal.mail import queue_mail

from ..constants import ROLE_COORDINATOR, ROLE_ZONE_STAFF
from ..models import Coordinator, PoliceZone, WhatsAppGroup

logger = logging.getLogger(__name__)


@transaction.atomic
def add_zone_staff(zone: PoliceZone, *, user: User) -> None:
    """Give a login the police-zone staff role for this zone."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=ROLE_ZONE_STAFF))
    zone.staff.add(user)
    logger.info("zone staff added user=%s zone=%s", user.pk, zone.pk)


@transaction.atomic
def link_coordinator_login(coordinator: Coordinator, *, user: User) -> Coordinator:
    """Link a coordinator to their login and give it the coordinator role."""
    other = Coordinator.objects.filter(user=user).exclude(pk=coordinator.pk)
    if other.exists():
        raise ValidationError(
            {"user": _("This login already belongs to another coordinator.")}
        )
    coordinator.user = user
    coordinator.full_clean()
    coordinator.save(update_fields=["user"])
    user.is_staff = True
    user.is_active = True
    user.save(update_fields=["is_staff", "is_active"])
    user.groups.add(Group.objects.get(name=ROLE_COORDINATOR))
    logger.info(
        "coordinator login linked coordinator=%s user=%s", coordinator.pk, user.pk
    )
    return coordinator


def login_for(coordinator: Coordinator) -> User:
    """The login with the coordinator's e-mail address, or a new one."""
    email = coordinator.email.strip().lower()
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is not None:
        if not user.is_active and _serves_as_zone_staff(user):
            # Reopening it would bring back its staff rights with it.
            raise ValidationError(
                {
                    "email": _(
                        "A closed staff login uses this e-mail address; ask an "
                        "administrator."
                    )
                }
            )
        return user
    username = email[:150]
    suffix = 1
    while User.objects.filter(username__iexact=username).exists():
        suffix += 1
        username = f"{email[: 150 - len(str(suffix)) - 1]}-{suffix}"
    user = User(
        username=username,
        email=email,
        first_name=coordinator.first_name[:150],
        last_name=coordinator.last_name[:150],
    )
    # No password until they choose one through the invitation.
    user.set_unusable_password()
    user.save()
    logger.info("login created user=%s for coordinator=%s", user.pk, coordinator.pk)
    return user


def password_link(user: User) -> str:
    """A one-time link to set a password (valid PASSWORD_RESET_TIMEOUT)."""
    return settings.SITE_URL + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def invite_coordinator(coordinator: Coordinator) -> None:
    """E-mail the coordinator a link to set their password and log in."""
    if coordinator.user is None:
        raise ValidationError(_("The coordinator has no login yet."))
    queue_mail(
        to=[coordinator.email],
        template="groups/email/coordinator_invitation",
        context={
            "coordinator": coordinator,
            "username": coordinator.user.get_username(),
            "password_url": password_link(coordinator.user),
            "admin_url": settings.SITE_URL + reverse("admin:index"),
            "groups": list(coordinator.groups.order_by("name")),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        },
        language=settings.LANGUAGE_CODE,
        zone=coordinator.zone,
    )
    logger.info("coordinator invited coordinator=%s", coordinator.pk)


@transaction.atomic
def create_coordinator(
    coordinator: Coordinator,
    *,
    groups: Iterable[WhatsAppGroup] = (),
    invite: bool = True,
) -> Coordinator:
    """Save a new coordinator, link or create their login and invite them.

    The groups must lie in the coordinator's zone.
    """
    if coordinator.pk is not None:
        raise ValueError("create_coordinator takes an unsaved coordinator")
    coordinator.email = coordinator.email.strip().lower()
    coordinator.full_clean()
    groups = list(groups)
    foreign = [
        group for group in groups if group.municipality.zone_id != coordinator.zone_id
    ]
    if foreign:
        raise ValidationError(
            {"groups": _("A coordinator only coordinates groups of their own zone.")}
        )
    coordinator.save()
    if groups:
        coordinator.groups.add(*groups)
    link_coordinator_login(coordinator, user=login_for(coordinator))
    logger.info(
        "coordinator created pk=%s zone=%s", coordinator.pk, coordinator.zone_id
    )
    if invite:
        invite_coordinator(coordinator)
    return coordinator


def _serves_as_zone_staff(user: User) -> bool:
    return user.is_superuser or user.police_zones.exists()


@transaction.atomic
def deactivate_coordinator(coordinator: Coordinator) -> Coordinator:
    """Take the coordinator off the table and close their login."""
    coordinator = Coordinator.objects.select_for_update().get(pk=coordinator.pk)
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])
    user = coordinator.user
    if user is not None:
        user.groups.remove(Group.objects.get(name=ROLE_COORDINATOR))
        if not _serves_as_zone_staff(user):
            # Closing the login ends its sessions at their next request.
            user.is_active = False
            user.save(update_fields=["is_active"])
    logger.info("coordinator deactivated pk=%s", coordinator.pk)
    return coordinator


@transaction.atomic
def reactivate_coordinator(coordinator: Coordinator) -> Coordinator:
    """Put a deactivated coordinator back, with their login open again."""
    coordinator = Coordinator.objects.select_for_update().get(pk=coordinator.pk)
    coordinator.is_active = True
    coordinator.save(update_fields=["is_active"])
    if coordinator.user is not None:
        link_coordinator_login(coordinator, user=coordinator.user)
    logger.info("coordinator reactivated pk=%s", coordinator.pk)
    return coordinator


@transaction.atomic
def reset_two_factor(coordinator: Coordinator) -> int:
    """Forget the coordinator's authenticator app (a lost or new phone).

    At their next login they link an app again, after their password; their
    sessions verified with the old app stay valid until they end.
    Returns how many devices were removed.
    """
    if coordinator.user is None:
        return 0
    removed = 0
    for device in devices_for_user(coordinator.user, confirmed=None):
        device.delete()
        removed += 1
    logger.info(
        "two-step verification reset coordinator=%s devices=%s",
        coordinator.pk,
        removed,
    )
    return removed
