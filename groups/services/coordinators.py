"""Coordinators and the logins that carry the roles.

A coordinator row is created by the zone's staff (or by approving a
new-group application): ``create_coordinator`` saves it, links the login with
the same e-mail address when the staff member may manage that login (see
``logins``) or creates one without a password, puts it in the coordinator
role and queues an invitation with a link to set a password.
``update_coordinator`` saves later changes; a new e-mail address moves the
login's address with it only under the same rule.
``deactivate_coordinator`` takes the row off the public table and closes the
login (unless the login also serves as police-zone staff);
``reactivate_coordinator`` opens it again. A staff member gets their role
(and the admin: ``is_staff``) from ``add_zone_staff`` and loses it from
``remove_zone_staff`` (unless still staff of another zone);
``change_zone_staff``, the police-zone page's, is a superuser's only.
Nothing else changes a role.

Which groups a coordinator coordinates is set from the coordinator's side
(``set_coordinator_groups``: a group added there is led) or the group's
(``change_coordinators_of_group``, with each one's role: lead or deputy),
always within the coordinator's zone. A lead hands a group over in
``handover``. Coordinators and their groups make the
public networks table: every change to them moves its cache to a new version.

Every function that acts on a login takes ``by``, the person acting, and
refuses (``PermissionDenied``) when their scope does not cover every role
the login holds: that is how staff of one zone could otherwise take over a
superuser's or another zone's login (link it by e-mail, re-address it, send
it a password link, reset its second factor).
"""

import logging
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user

from wabp_portal.mail.queue import queue_mail

from .. import network_cache
from ..constants import ROLE_COORDINATOR, ROLE_ZONE_STAFF, CoordinatorRole
from ..models import Coordinator, GroupCoordinator, PoliceZone, WhatsAppGroup
from .logins import holds_staff_role, may_manage_login

logger = logging.getLogger(__name__)


def _save_login(user: User, *, update_fields: list[str] | None = None) -> None:
    # The username is made from the e-mail address (``login_for``), which may
    # hold characters Django's username rule does not allow (an apostrophe):
    # it is unique by construction, so that rule alone is not asked of it.
    user.full_clean(exclude=["username"])
    user.save(update_fields=update_fields)


def _check_groups_in_zone(
    coordinator: Coordinator, groups: Iterable[WhatsAppGroup]
) -> None:
    foreign = [
        group for group in groups if group.municipality.zone_id != coordinator.zone_id
    ]
    if foreign:
        raise ValidationError(
            {"groups": _("A coordinator only coordinates groups of their own zone.")}
        )


@transaction.atomic
def add_zone_staff(zone: PoliceZone, *, user: User) -> None:
    """Give a login the police-zone staff role for this zone."""
    user.is_staff = True
    _save_login(user, update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=ROLE_ZONE_STAFF))
    zone.staff.add(user)
    logger.info("zone staff added user=%s zone=%s", user.pk, zone.pk)


@transaction.atomic
def remove_zone_staff(zone: PoliceZone, *, user: User) -> None:
    """Take a login off this zone's staff.

    The staff role goes when the login is staff of no other zone; the admin
    is closed to it (``is_staff``) when it serves nothing else either (no
    coordinator, no superuser, no other role or permission).
    """
    zone.staff.remove(user)
    if user.police_zones.exists():
        logger.info("zone staff removed user=%s zone=%s", user.pk, zone.pk)
        return
    user.groups.remove(Group.objects.get(name=ROLE_ZONE_STAFF))
    if user.is_staff and not (
        user.is_superuser
        or Coordinator.objects.filter(user=user, is_active=True).exists()
        or user.groups.exists()
        or user.user_permissions.exists()
    ):
        user.is_staff = False
        _save_login(user, update_fields=["is_staff"])
    logger.info("zone staff removed user=%s zone=%s role gone", user.pk, zone.pk)


@transaction.atomic
def change_zone_staff(zone: PoliceZone, *, staff: Iterable[User], by: User) -> None:
    """Make these logins the zone's staff: each gets the staff flag and role.

    Making a login staff hands it every signup of the zone, so only a
    superuser may; staff of a zone never choose their colleagues (nor add
    an arbitrary login to their zone).
    """
    if not (by.is_authenticated and by.is_active and by.is_superuser):
        logger.warning("zone staff change refused zone=%s actor=%s", zone.pk, by.pk)
        raise PermissionDenied
    wanted = {user.pk: user for user in staff}
    current = {user.pk: user for user in zone.staff.all()}
    for pk, user in wanted.items():
        if pk not in current:
            add_zone_staff(zone, user=user)
    for pk, user in current.items():
        if pk not in wanted:
            remove_zone_staff(zone, user=user)


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
    _save_login(user, update_fields=["is_staff", "is_active"])
    user.groups.add(Group.objects.get(name=ROLE_COORDINATOR))
    logger.info(
        "coordinator login linked coordinator=%s user=%s", coordinator.pk, user.pk
    )
    return coordinator


def login_for(coordinator: Coordinator, *, by: User) -> User:
    """The login with the coordinator's e-mail address, or a new one.

    An existing login is linked only when it is free (no coordinator yet),
    holds no staff role and ``by`` may manage it (``check_email_for_login``).
    """
    email = coordinator.email.strip().lower()
    check_email_for_login(email, by=by)
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is not None:
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
    _save_login(user)
    logger.info("login created user=%s for coordinator=%s", user.pk, coordinator.pk)
    return user


def check_email_for_login(email: str, *, by: User) -> None:
    """Refuse an address whose login ``by`` may not take for a coordinator.

    Linking a login by its address hands it to whoever next receives its
    invitation: a login that is another coordinator's, holds a staff role or
    lies outside ``by``'s scope is never linked this way.
    """
    for user in User.objects.filter(email__iexact=email.strip()):
        if (
            Coordinator.objects.filter(user=user).exists()
            or holds_staff_role(user)
            or not may_manage_login(by, user)
        ):
            raise ValidationError(
                {
                    "email": _(
                        "This e-mail address belongs to a login that already "
                        "has another role. Ask an administrator to link it."
                    )
                }
            )


def password_link(user: User) -> str:
    """A one-time link to set a password (valid PASSWORD_RESET_TIMEOUT)."""
    return settings.SITE_URL + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def require_may_manage(by: User, login: User) -> None:
    """Refuse when ``by``'s scope does not cover every role of ``login``."""
    if not may_manage_login(by, login):
        logger.warning("login action refused user=%s actor=%s", login.pk, by.pk)
        raise PermissionDenied


def invite_coordinator(coordinator: Coordinator, *, by: User) -> None:
    """E-mail the coordinator a link to set their password and log in.

    The link goes to the address the login has, never to one just typed
    into the coordinator's row.
    """
    if coordinator.user is None:
        raise ValidationError(_("The coordinator has no login yet."))
    require_may_manage(by, coordinator.user)
    queue_invitation(coordinator)


def queue_invitation(coordinator: Coordinator) -> None:
    """Queue the invitation to set a password, to the login's own address.

    For callers that have already established that the login may receive
    it: ``invite_coordinator`` by the actor's scope, ``accept_handover`` for
    a login it has just made for the address that accepted.
    """
    if not coordinator.user.email:
        raise ValidationError(_("The coordinator's login has no e-mail address."))
    queue_mail(
        to=[coordinator.user.email],
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
    by: User,
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
    _check_groups_in_zone(coordinator, groups)
    coordinator.save()
    if groups:
        coordinator.groups.add(*groups)
    link_coordinator_login(coordinator, user=login_for(coordinator, by=by))
    network_cache.invalidate()
    logger.info(
        "coordinator created pk=%s zone=%s", coordinator.pk, coordinator.zone_id
    )
    if invite:
        invite_coordinator(coordinator, by=by)
    return coordinator


@transaction.atomic
def update_coordinator(
    coordinator: Coordinator,
    *,
    changed: Iterable[str],
    by: User,
    groups: Iterable[WhatsAppGroup] | None = None,
) -> Coordinator:
    """Save changes to a coordinator's row made by ``by`` (staff, or themselves).

    A new e-mail address becomes the login's too when ``by`` may manage the
    login; otherwise the login keeps its own, and so do its invitations.
    Switching ``is_active`` deactivates or reactivates the coordinator.
    ``groups``, when given, become the coordinator's groups.
    """
    changed = set(changed)
    coordinator.email = coordinator.email.strip().lower()
    coordinator.full_clean()
    if groups is not None:
        groups = list(groups)
        _check_groups_in_zone(coordinator, groups)
    before = (
        Coordinator.objects.filter(pk=coordinator.pk)
        .values("is_active", "email")
        .first()
    ) or {"is_active": False, "email": coordinator.email}
    was_active = before["is_active"]
    # Compared with the row as stored, not only the form's list of changes:
    # the table import changes an address without naming it.
    if before["email"].lower() != coordinator.email:
        changed.add("email")
    coordinator.save()
    if groups is not None:
        coordinator.groups.set(groups)
    user = coordinator.user
    if "user" in changed and user is not None:
        link_coordinator_login(coordinator, user=user)
    if (
        "email" in changed
        and user is not None
        and user.email.lower() != coordinator.email
        and may_manage_login(by, user)
    ):
        _readdress_login(user, email=coordinator.email)
        logger.info("login re-addressed user=%s actor=%s", user.pk, by.pk)
    if was_active and not coordinator.is_active:
        deactivate_coordinator(coordinator, by=by)
    elif coordinator.is_active and not was_active:
        reactivate_coordinator(coordinator, by=by)
    network_cache.invalidate()
    logger.info("coordinator changed pk=%s actor=%s", coordinator.pk, by.pk)
    return coordinator


def _readdress_login(user: User, *, email: str) -> None:
    """Give the login its new address, and its user name with it.

    A login the portal made is named after its address (``login_for``): it
    follows the address unless another login already has that name. Logins
    named otherwise (the demo's first.last) keep their name; either name or
    address logs in (``wabp_portal.auth.EmailOrUsernameBackend``).
    """
    fields = ["email"]
    if (
        user.username.lower() == user.email.lower()
        and not User.objects.filter(username__iexact=email[:150])
        .exclude(pk=user.pk)
        .exists()
    ):
        user.username = email[:150]
        fields.append("username")
    user.email = email
    _save_login(user, update_fields=fields)


@transaction.atomic
def set_coordinator_groups(
    coordinator: Coordinator, *, groups: Iterable[WhatsAppGroup]
) -> Coordinator:
    """Make these the coordinator's groups (all of their own zone)."""
    groups = list(groups)
    _check_groups_in_zone(coordinator, groups)
    coordinator.groups.set(groups)
    network_cache.invalidate()
    logger.info(
        "coordinator groups set coordinator=%s groups=%s",
        coordinator.pk,
        sorted(group.pk for group in groups),
    )
    return coordinator


@transaction.atomic
def change_coordinators_of_group(
    group: WhatsAppGroup,
    *,
    add: Iterable[Coordinator] = (),
    remove: Iterable[Coordinator] = (),
    roles: Mapping[int, str] | None = None,
) -> WhatsAppGroup:
    """Add coordinators to the group and take others off it.

    ``roles`` gives the role of an added coordinator by primary key (lead
    when absent); a coordinator both removed and added keeps the group in
    their new role. Written from each coordinator's side: the audit log
    records a coordinator's groups there. A coordinator of another zone is
    refused.
    """
    add, remove = list(add), list(remove)
    roles = roles or {}
    for coordinator in add:
        _check_groups_in_zone(coordinator, [group])
        role = roles.get(coordinator.pk, CoordinatorRole.LEAD)
        GroupCoordinator(
            coordinator=coordinator, whatsappgroup=group, role=role
        ).clean_fields(exclude=["coordinator", "whatsappgroup"])
    for coordinator in remove:
        coordinator.groups.remove(group)
    for coordinator in add:
        coordinator.groups.add(
            group,
            through_defaults={"role": roles.get(coordinator.pk, CoordinatorRole.LEAD)},
        )
    network_cache.invalidate()
    logger.info(
        "group coordinators changed group=%s added=%s removed=%s",
        group.pk,
        [coordinator.pk for coordinator in add],
        [coordinator.pk for coordinator in remove],
    )
    return group


@transaction.atomic
def delete_coordinators(coordinators: QuerySet[Coordinator]) -> int:
    """Delete these coordinators' rows (their logins stay); return rows deleted."""
    deleted, _by_model = coordinators.delete()
    network_cache.invalidate()
    logger.info("coordinators deleted rows=%s", deleted)
    return deleted


def _serves_as_zone_staff(user: User) -> bool:
    return user.is_superuser or user.police_zones.exists()


@transaction.atomic
def deactivate_coordinator(coordinator: Coordinator, *, by: User) -> Coordinator:
    """Take the coordinator off the table and close their login.

    The login is closed only when it serves nothing else and ``by`` may
    manage it.
    """
    coordinator = Coordinator.objects.select_for_update().get(pk=coordinator.pk)
    coordinator.is_active = False
    coordinator.full_clean()
    coordinator.save(update_fields=["is_active"])
    user = coordinator.user
    if user is not None:
        user.groups.remove(Group.objects.get(name=ROLE_COORDINATOR))
        if not _serves_as_zone_staff(user) and may_manage_login(by, user):
            # Closing the login ends its sessions at their next request.
            user.is_active = False
            _save_login(user, update_fields=["is_active"])
    network_cache.invalidate()
    logger.info("coordinator deactivated pk=%s", coordinator.pk)
    return coordinator


@transaction.atomic
def reactivate_coordinator(coordinator: Coordinator, *, by: User) -> Coordinator:
    """Put a deactivated coordinator back, with their login open again.

    Reopening a login is for someone who may manage it: staff of another
    zone could otherwise bring back a closed login's other roles.
    """
    coordinator = Coordinator.objects.select_for_update().get(pk=coordinator.pk)
    user = coordinator.user
    manageable = user is None or may_manage_login(by, user)
    if not manageable and not user.is_active:
        raise ValidationError(
            _(
                "This coordinator's login also serves another role; ask an "
                "administrator to reactivate it."
            )
        )
    coordinator.is_active = True
    coordinator.full_clean()
    coordinator.save(update_fields=["is_active"])
    if manageable and user is not None:
        link_coordinator_login(coordinator, user=user)
    elif user is not None:
        # An open login of other roles gets its coordinator role back, and
        # nothing else: it is not ours to reopen or change.
        user.groups.add(Group.objects.get(name=ROLE_COORDINATOR))
    network_cache.invalidate()
    logger.info("coordinator reactivated pk=%s", coordinator.pk)
    return coordinator


@transaction.atomic
def reset_two_factor(coordinator: Coordinator, *, by: User) -> int:
    """Forget the coordinator's authenticator app (a lost or new phone).

    At their next login they link an app again, after their password; their
    sessions verified with the old app stay valid until they end.
    Returns how many devices were removed.
    """
    if coordinator.user is None:
        return 0
    require_may_manage(by, coordinator.user)
    removed = 0
    for device in devices_for_user(coordinator.user, confirmed=None):
        device.delete()
        removed += 1
    logger.info(
        "two-step verification reset coordinator=%s devices=%s actor=%s",
        coordinator.pk,
        removed,
        by.pk,
    )
    return removed
