"""Decisions on signups by coordinators and police-zone staff."""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Coordinator, Region, RegionStreet, WhatsAppGroup
from groups.services import (
    change_coordinators_of_group,
    create_coordinator,
    invite_coordinator,
    link_coordinator_login,
    login_for,
    reactivate_coordinator,
    save_region,
    save_region_street,
    save_whatsapp_group,
)

from .. import audit, notifications
from ..constants import SignupRole, SignupStatus
from ..models import ExportRecord, Signup, StatusChange, WithdrawnMember
from .house_rules import ask_at_approval
from .signups import InvalidTransition, _record, house_number_value, known_street

logger = logging.getLogger(__name__)


def _locked_for_decision(signup: Signup, by: User) -> Signup:
    """Lock the row; two people deciding at once make one decision."""
    locked = (
        Signup.objects.select_for_update(of=("self",))
        .select_related("municipality__zone", "group")
        .get(pk=signup.pk)
    )
    if not locked.can_be_decided_by(by):
        raise PermissionDenied
    return locked


@transaction.atomic
def approve_signup(signup: Signup, *, by: User) -> Signup:
    """Accept a participant; the mail carries the invite link if the group shares it."""
    signup = _locked_for_decision(signup, by)
    if signup.role != SignupRole.PARTICIPANT:
        raise InvalidTransition(signup.status, SignupStatus.APPROVED)
    _record(signup, SignupStatus.APPROVED, by=by)
    signup.decided_at = timezone.now()
    signup.decided_by = by
    signup.full_clean()
    signup.save()
    # Accepted an older version of the house rules: asked now, in this mail.
    accept_url = ask_at_approval(signup)
    notifications.send_decision(
        signup, "signup_approved", accept_house_rules_url=accept_url
    )
    return signup


@transaction.atomic
def reject_signup(signup: Signup, *, by: User, reason: str) -> Signup:
    """Turn a signup down with a reason, which the resident is told politely."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"decision_reason": _("Give a reason.")})
    signup = _locked_for_decision(signup, by)
    _record(signup, SignupStatus.REJECTED, by=by, reason=reason)
    signup.decided_at = timezone.now()
    signup.decided_by = by
    signup.decision_reason = reason
    signup.ended_at = signup.decided_at
    signup.full_clean()
    signup.save()
    notifications.send_decision(signup, "signup_rejected")
    return signup


@transaction.atomic
def mark_added(signup: Signup, *, by: User) -> Signup:
    """The coordinator added the member to the WhatsApp group."""
    signup = _locked_for_decision(signup, by)
    if signup.status != SignupStatus.APPROVED or signup.added_to_whatsapp_at:
        raise InvalidTransition(signup.status, "added")
    signup.added_to_whatsapp_at = timezone.now()
    signup.full_clean()
    signup.save(update_fields=["added_to_whatsapp_at", "updated_at"])
    logger.info("signup added to whatsapp pk=%s actor=%s", signup.pk, by.pk)
    return signup


@transaction.atomic
def mark_removed_from_whatsapp(withdrawn: WithdrawnMember, *, by: User) -> bool:
    """A coordinator removed a withdrawn member from the WhatsApp group.

    The name and number were kept only for this (see ``withdraw_signup``):
    they go now. Returns False when a colleague marked it first.
    """
    locked = WithdrawnMember.objects.select_for_update(of=("self",)).filter(
        pk=withdrawn.pk
    )
    withdrawn = locked.select_related("signup").first()
    if withdrawn is None:
        return False
    if not (
        by.has_perm("registrations.change_withdrawnmember")
        and WithdrawnMember.objects.visible_to(by).filter(pk=withdrawn.pk).exists()
    ):
        raise PermissionDenied
    withdrawn.delete()
    # The withdrawal has its entry; this is the coordinator's.
    audit.log_removed_from_whatsapp(withdrawn.signup, by=by)
    logger.info(
        "withdrawn member removed from whatsapp signup=%s actor=%s",
        withdrawn.signup_id,
        by.pk,
    )
    return True


def undo_window() -> timedelta:
    """How long an ended membership can be undone (MEMBERSHIP_UNDO_HOURS)."""
    return timedelta(hours=max(settings.MEMBERSHIP_UNDO_HOURS, 0))


# The end-of-membership mail waits a little past the undo window, so that an
# undo in its last second still finds the mail unsent.
MAIL_HOLD_MARGIN = timedelta(minutes=10)


def undo_deadline(signup: Signup) -> datetime | None:
    """Until when this ended membership can be undone (None: it cannot)."""
    if (
        signup.status not in (SignupStatus.LEFT, SignupStatus.REMOVED)
        or signup.ended_at is None
        or signup.erased_at is not None
    ):
        return None
    return signup.ended_at + undo_window()


def ended_recently(signups: QuerySet[Signup], *, now=None) -> QuerySet[Signup]:
    """Those of ``signups`` whose end of membership can still be undone."""
    now = now or timezone.now()
    return signups.filter(
        status__in=[SignupStatus.LEFT, SignupStatus.REMOVED],
        erased_at__isnull=True,
        ended_at__gt=now - undo_window(),
    )


@transaction.atomic
def end_membership(
    signup: Signup, *, by: User, status: str, reason: str = ""
) -> Signup:
    """A member left (LEFT) or was removed (REMOVED, with a reason).

    It can be undone for MEMBERSHIP_UNDO_HOURS (``restore_membership``): the
    member's mail is queued now but held until then, so that an end undone
    never reached them.
    """
    if status not in (SignupStatus.LEFT, SignupStatus.REMOVED):
        raise ValueError(f"not an end of membership: {status}")
    reason = reason.strip()
    if status == SignupStatus.REMOVED and not reason:
        raise ValidationError({"decision_reason": _("Give a reason.")})
    signup = _locked_for_decision(signup, by)
    _record(signup, status, by=by, reason=reason)
    signup.ended_at = timezone.now()
    signup.decision_reason = reason
    signup.full_clean()
    signup.save()
    notifications.send_membership_end(
        signup,
        "member_removed" if status == SignupStatus.REMOVED else "member_left",
        send_after=signup.ended_at + undo_window() + MAIL_HOLD_MARGIN,
    )
    return signup


@transaction.atomic
def restore_membership(signup: Signup, *, by: User) -> Signup:
    """Undo an end of membership: the member is back, as if it never ended.

    Only within MEMBERSHIP_UNDO_HOURS of the end, while the data is kept, by
    someone who may decide the signup. The held mail to the member is
    cancelled; the step is recorded like every other.
    """
    signup = _locked_for_decision(signup, by)
    deadline = undo_deadline(signup)
    if deadline is None:
        raise InvalidTransition(signup.status, SignupStatus.APPROVED)
    if timezone.now() >= deadline:
        raise ValidationError(
            _("This can no longer be undone: the membership ended too long ago.")
        )
    if (
        Signup.objects.open()
        .filter(group=signup.group_id, phone=signup.phone)
        .exclude(pk=signup.pk)
        .exists()
    ):
        raise ValidationError(
            _("This resident has signed up for the group again meanwhile.")
        )
    change = StatusChange(
        signup=signup,
        from_status=signup.status,
        to_status=SignupStatus.APPROVED,
        actor=by,
        reason=_("End of membership undone."),
    )
    signup.status = SignupStatus.APPROVED
    signup.ended_at = None
    signup.decision_reason = ""
    signup.full_clean()
    change.full_clean()
    signup.save()
    change.save()
    cancelled = notifications.cancel_held_membership_mail(signup)
    logger.info(
        "membership restored pk=%s from=%s mails_cancelled=%s actor=%s",
        signup.pk,
        change.from_status,
        cancelled,
        by.pk,
    )
    return signup


@transaction.atomic
def record_export(signups: list[Signup], *, by: User, kind: str) -> ExportRecord:
    """Keep who exported how many members of which groups, and when.

    The audit log gets one entry for the export, naming no one.
    """
    record = ExportRecord(user=by, kind=kind, count=len(signups))
    record.full_clean()
    record.save()
    record.groups.set({signup.group_id for signup in signups if signup.group_id})
    audit.log_export(record, signups, by=by)
    logger.info(
        "members exported record=%s kind=%s count=%s actor=%s",
        record.pk,
        kind,
        len(signups),
        by.pk,
    )
    return record


def _locked_for_staff(signup: Signup, by: User) -> Signup:
    """Lock the row for a decision only the zone's staff may take."""
    signup = _locked_for_decision(signup, by)
    if not (
        by.is_superuser or signup.municipality.zone.staff.filter(pk=by.pk).exists()
    ):
        raise PermissionDenied
    return signup


@transaction.atomic
def approve_application(
    signup: Signup,
    *,
    by: User,
    group_name: str,
    region: Region | None = None,
    region_name: str = "",
    streets: Iterable[RegionStreet] = (),
    publish: bool = False,
) -> WhatsAppGroup:
    """Found the group a resident applied to coordinate, in one step.

    Creates the group, links an existing region of the municipality or
    creates one, adds ``streets`` (unsaved coverage rows: a street of the
    municipality, whole or by number range) to that region, creates the
    coordinator with their login (or adds the group to the coordinator the
    zone already has with that e-mail address) and invites them; the
    applicant is told.

    With ``publish`` the group is shown in the public table and found by the
    finder at once, but only when its region covers at least one street:
    a group without streets is never found, so it is founded hidden
    (``group.is_public`` tells the caller which happened). A street refused
    (another municipality's, a range twice) refuses the whole approval.
    """
    signup = _locked_for_staff(signup, by)
    if signup.role != SignupRole.COORDINATOR:
        raise InvalidTransition(signup.status, SignupStatus.APPROVED)
    _record(signup, SignupStatus.APPROVED, by=by)
    municipality = signup.municipality
    if region is None:
        region_name = " ".join(region_name.split())
        if not region_name:
            raise ValidationError({"region_name": _("Name the region or choose one.")})
        region = Region.objects.filter(
            municipality=municipality, name__iexact=region_name
        ).first() or Region(
            municipality=municipality,
            name=region_name,
            description=signup.proposed_area,
        )
        if region.pk is None:
            region = save_region(region)
    elif region.municipality_id != municipality.pk:
        raise ValidationError({"region": _("The region lies in another municipality.")})
    for coverage in streets:
        coverage.region = region
        try:
            save_region_street(coverage)
        except ValidationError as error:
            raise ValidationError(
                _("%(street)s: %(problem)s")
                % {"street": coverage.street.name, "problem": " ".join(error.messages)}
            ) from error
    group = WhatsAppGroup(
        municipality=municipality,
        region=region,
        name=" ".join(group_name.split()),
        description=signup.proposed_area,
        is_public=publish and region.coverage.exists(),
    )
    save_whatsapp_group(group)
    coordinator = Coordinator.objects.filter(
        zone=municipality.zone, email__iexact=signup.email
    ).first()
    if coordinator is None:
        create_coordinator(
            Coordinator(
                zone=municipality.zone,
                first_name=signup.first_name,
                last_name=signup.last_name,
                email=signup.email,
                phone=signup.phone,
                # Whether colleagues see their phone and e-mail is theirs to
                # choose ("My details"); applying is no consent to that.
                shares_contact=False,
            ),
            by=by,
            groups=[group],
        )
    else:
        change_coordinators_of_group(group, add=[coordinator])
        if not coordinator.is_active:
            coordinator = reactivate_coordinator(coordinator, by=by)
        if coordinator.user is None:
            link_coordinator_login(coordinator, user=login_for(coordinator, by=by))
            invite_coordinator(coordinator, by=by)
    signup.group = group
    signup.decided_at = timezone.now()
    signup.decided_by = by
    signup.full_clean()
    signup.save()
    notifications.send_decision(signup, "application_approved")
    logger.info(
        "application approved pk=%s group=%s public=%s actor=%s",
        signup.pk,
        group.pk,
        group.is_public,
        by.pk,
    )
    return group


@transaction.atomic
def move_signup(signup: Signup, *, by: User, to: WhatsAppGroup) -> Signup:
    """Move a pending signup to the group that really covers the resident.

    The new group must be an active neighbourhood group of the same zone; the
    resident is told, and so are the new group's coordinators.
    """
    signup = _locked_for_decision(signup, by)
    if signup.role != SignupRole.PARTICIPANT or signup.status != SignupStatus.PENDING:
        raise InvalidTransition(signup.status, SignupStatus.PENDING)
    target = (
        WhatsAppGroup.objects.neighbourhood()
        .filter(
            pk=to.pk,
            is_active=True,
            municipality__zone=signup.municipality.zone_id,
        )
        .select_related("municipality")
        .first()
    )
    if target is None:
        raise ValidationError(
            {"group": _("Choose an active group of the same police zone.")}
        )
    if target.pk == signup.group_id:
        raise ValidationError({"group": _("The signup is already for this group.")})
    if (
        Signup.objects.open()
        .filter(group=target)
        .filter(Q(email__iexact=signup.email) | Q(phone=signup.phone))
        .exists()
    ):
        raise ValidationError(
            {"group": _("This resident has already signed up for that group.")}
        )
    previous = signup.group
    # The municipality stays the resident's: it is part of their address.
    signup.group = target
    signup.outside_region = not _address_covered(signup, target)
    change = StatusChange(
        signup=signup,
        from_status=signup.status,
        to_status=signup.status,
        actor=by,
        reason=_("Moved from %(old)s to %(new)s.")
        % {"old": previous.name if previous else "—", "new": target.name},
    )
    signup.full_clean()
    change.full_clean()
    signup.save()
    change.save()
    notifications.send_decision(signup, "signup_moved", previous_group=previous)
    notifications.notify_coordinators_of_new_signup(signup)
    logger.info(
        "signup moved pk=%s from=%s to=%s actor=%s",
        signup.pk,
        previous.pk if previous else None,
        target.pk,
        by.pk,
    )
    return signup


def _address_covered(signup: Signup, group: WhatsAppGroup) -> bool:
    street = signup.street or known_street(
        signup.municipality, signup.street_name, signup.postcode
    )
    if street is None:
        return False
    return (
        WhatsAppGroup.objects.filter(pk=group.pk)
        .covering([street.pk], house_number_value(signup.house_number))
        .exists()
    )
