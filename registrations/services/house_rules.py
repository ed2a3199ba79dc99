"""Versions of the house rules and the members' acceptance of them.

Staff publish a new version (``publish_house_rules``): it becomes the one
current version of the zone and the previous ones stay readable. A version
nobody accepted yet may be corrected (``correct_house_rules``: its title, text
and PDF) or, by whoever holds the permission, deleted
(``delete_house_rules``); a version someone accepted is a record of what they
agreed to and is never changed again (the admin shows it read-only). Members who
accepted an older version can be asked by e-mail to accept the current one
(``request_reacceptance``, at most once per version) by a deadline; the signed
link in that mail leads to a page where ``accept_house_rules`` records the new
acceptance. Only members are mailed: a signup still waiting for a decision is
asked when it is approved (``ask_at_approval``: the approval mail carries the
link). The daily ``send_reconfirmations`` reminds members some days before the
deadline (``remind_reacceptance``) and, after it, puts those who did not
accept on their coordinators' list of members to remove
(``tell_of_overdue_reacceptance``, see ``services.reconfirmation``).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from groups import network_cache
from groups.models import PoliceZone
from wabp_portal.db import insert_unless_conflict

from .. import notifications
from ..constants import RemovalReason, SignupRole, SignupStatus
from ..models import HouseRules, MemberToRemove, ReacceptanceRequest, Signup
from .removal_list import put_on_removal_list
from .signups import HouseRulesChanged, InvalidTransition

logger = logging.getLogger(__name__)

# Who is mailed to accept a new version: the members. A signup still waiting
# for a decision is asked when it is approved (``ask_at_approval``).
REACCEPTING_STATUSES = (SignupStatus.APPROVED,)
# Who may accept the current version through a link: also a signup waiting
# for a decision (it may hold a link mailed before it was decided).
ACCEPTING_STATUSES = (SignupStatus.PENDING, SignupStatus.APPROVED)


def _require_staff(zone: PoliceZone, by: User) -> None:
    if not (by.is_active and (by.is_superuser or zone.staff.filter(pk=by.pk).exists())):
        raise PermissionDenied


@transaction.atomic
def publish_house_rules(rules: HouseRules, *, by: User) -> HouseRules:
    """Save a new version (title, text, PDF) as the zone's current house rules."""
    if rules.pk is not None:
        raise ValueError("publish_house_rules takes an unsaved version")
    zone = rules.zone
    _require_staff(zone, by)
    # Lock the zone's versions so two publications get two numbers.
    versions = HouseRules.objects.select_for_update().filter(zone=zone)
    latest = max((v.version for v in versions), default=0)
    rules.version = latest + 1
    rules.is_current = False
    rules.full_clean()
    versions.filter(is_current=True).update(is_current=False)
    rules.is_current = True
    rules.save()
    # The public house rules page shows the current version.
    network_cache.invalidate()
    logger.info(
        "house rules published pk=%s zone=%s version=%s actor=%s",
        rules.pk,
        zone.pk,
        rules.version,
        by.pk,
    )
    return rules


@transaction.atomic
def correct_house_rules(
    rules: HouseRules, *, by: User, title: str, body: str, pdf: FieldFile | str
) -> HouseRules:
    """Correct a version nobody accepted yet: its title, text or PDF.

    The version number, the zone and whether it is current stay as they are.
    A version someone accepted is refused (PermissionDenied) unless nothing
    changes: what a member agreed to is never rewritten.
    """
    # Locked: a resident accepting it meanwhile waits for this, or this for them.
    rules = HouseRules.objects.select_for_update().get(pk=rules.pk)
    _require_staff(rules.zone, by)
    changed = [
        name
        for name, value in (("title", title), ("body", body), ("pdf", pdf))
        if getattr(rules, name) != value
    ]
    if not changed:
        return rules
    if rules.signups.exists():
        raise PermissionDenied
    rules.title, rules.body, rules.pdf = title, body, pdf
    rules.full_clean()
    rules.save(update_fields=changed)
    network_cache.invalidate()
    logger.info(
        "house rules corrected pk=%s zone=%s fields=%s actor=%s",
        rules.pk,
        rules.zone_id,
        ",".join(changed),
        by.pk,
    )
    return rules


@transaction.atomic
def delete_house_rules(rules: HouseRules, *, by: User) -> None:
    """Delete a version nobody accepted (one published by mistake).

    Only for whoever holds the permission to delete house rules (an
    administrator; the zones' staff do not) within their scope.
    """
    rules = HouseRules.objects.select_for_update().get(pk=rules.pk)
    _require_staff(rules.zone, by)
    if not by.has_perm("registrations.delete_houserules") or rules.signups.exists():
        raise PermissionDenied
    pk, zone_id = rules.pk, rules.zone_id
    rules.delete()
    network_cache.invalidate()
    logger.info("house rules deleted pk=%s zone=%s actor=%s", pk, zone_id, by.pk)


def members_on_older_versions(rules: HouseRules):
    return Signup.objects.filter(
        municipality__zone=rules.zone_id, status__in=REACCEPTING_STATUSES
    ).exclude(house_rules=rules)


def reacceptance_deadline(days: int | None = None, *, now: datetime | None = None):
    days = settings.REACCEPTANCE_DEADLINE_DAYS if days is None else days
    if days < 1:
        raise ValueError("a deadline lies at least a day ahead")
    return (now or timezone.now()) + timedelta(days=days)


@transaction.atomic
def request_reacceptance(
    rules: HouseRules, *, by: User, deadline_days: int | None = None
) -> int:
    """E-mail members on an older version a link to accept this one by a deadline.

    The deadline lies ``deadline_days`` (by default REACCEPTANCE_DEADLINE_DAYS)
    ahead. Each member is asked once per version; return how many were asked
    now. Signups still waiting for a decision are not mailed: they are asked
    when approved.
    """
    deadline = reacceptance_deadline(deadline_days)
    # The caller's copy may be stale: a colleague may have published since.
    rules = HouseRules.objects.select_for_update().get(pk=rules.pk)
    _require_staff(rules.zone, by)
    if not rules.is_current:
        raise HouseRulesChanged
    asked = 0
    signups = members_on_older_versions(rules).exclude(
        reacceptance_requests__house_rules=rules
    )
    for signup in signups.select_related("municipality__zone", "group"):
        if _insert_request(signup, rules, deadline=deadline):
            notifications.send_reacceptance_request(signup, rules, deadline=deadline)
            asked += 1
    logger.info(
        "house rules re-acceptance requested rules=%s count=%s actor=%s",
        rules.pk,
        asked,
        by.pk,
    )
    return asked


def _insert_request(signup: Signup, rules: HouseRules, *, deadline) -> bool:
    request = ReacceptanceRequest(signup=signup, house_rules=rules, deadline=deadline)
    # The one constraint is the one ON CONFLICT decides, without a failing
    # statement; False when a colleague asked meanwhile.
    request.full_clean(validate_unique=False, validate_constraints=False)
    return insert_unless_conflict(request)


def ask_at_approval(signup: Signup) -> str:
    """Within the approval: ask a signup that accepted an older version.

    Returns the link to accept the current version (for the approval mail),
    or "" when the signup accepted it already. The request gets the default
    deadline from now.
    """
    rules = (
        HouseRules.objects.current().filter(zone=signup.municipality.zone_id).first()
    )
    if rules is None or signup.house_rules_id == rules.pk:
        return ""
    _insert_request(signup, rules, deadline=reacceptance_deadline())
    logger.info("house rules asked at approval signup=%s rules=%s", signup.pk, rules.pk)
    return notifications.reacceptance_link(signup)


def _open_requests() -> QuerySet[ReacceptanceRequest]:
    """Requests for a current version a member has not accepted yet."""
    return (
        ReacceptanceRequest.objects.filter(
            deadline__isnull=False,
            house_rules__is_current=True,
            signup__status=SignupStatus.APPROVED,
        )
        .exclude(signup__house_rules=F("house_rules"))
        .exclude(signup__email="")
    )


def remind_reacceptance(*, now: datetime | None = None) -> int:
    """Remind members REACCEPTANCE_REMINDER_DAYS before their deadline, once."""
    now = now or timezone.now()
    soon = now + timedelta(days=settings.REACCEPTANCE_REMINDER_DAYS)
    due = _open_requests().filter(
        reminded_at__isnull=True, deadline__gt=now, deadline__lte=soon
    )
    reminded = 0
    for pk in list(due.order_by("pk").values_list("pk", flat=True)):
        reminded += _remind(due, pk, now=now)
    logger.info("house rules reminders count=%s", reminded)
    return reminded


@transaction.atomic
def _remind(due: QuerySet, pk: int, *, now: datetime) -> bool:
    request = (
        due.select_for_update(of=("self",), skip_locked=True)
        .select_related("signup__municipality__zone", "signup__group", "house_rules")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        return False  # reminded by another run, or accepted meanwhile
    request.reminded_at = now
    request.save(update_fields=["reminded_at"])
    notifications.send_reacceptance_reminder(
        request.signup, request.house_rules, deadline=request.deadline
    )
    return True


def tell_of_overdue_reacceptance(*, now: datetime | None = None) -> int:
    """After the deadline: the members who did not accept go on the list."""
    now = now or timezone.now()
    overdue = _open_requests().filter(
        deadline__lte=now,
        coordinator_told_at__isnull=True,
        signup__role=SignupRole.PARTICIPANT,
        signup__group__isnull=False,
    )
    told = put_on_removal_list(overdue, reason=RemovalReason.HOUSE_RULES, now=now)
    logger.info("house rules overdue, coordinators told count=%s", told)
    return told


@transaction.atomic
def accept_house_rules(signup: Signup, *, rules: HouseRules) -> Signup:
    """Record that the resident accepted this (current) version."""
    signup = Signup.objects.select_for_update(of=("self",)).get(pk=signup.pk)
    if signup.status not in ACCEPTING_STATUSES:
        raise InvalidTransition(signup.status, "accept house rules")
    rules = HouseRules.objects.get(pk=rules.pk)
    if not rules.is_current or rules.zone_id != signup.municipality.zone_id:
        raise HouseRulesChanged
    signup.house_rules = rules
    signup.house_rules_accepted_at = timezone.now()
    signup.full_clean()
    signup.save(update_fields=["house_rules", "house_rules_accepted_at", "updated_at"])
    # Accepted after the deadline: no longer one to remove.
    MemberToRemove.objects.filter(
        signup=signup, reason=RemovalReason.HOUSE_RULES
    ).delete()
    logger.info("house rules accepted signup=%s rules=%s", signup.pk, rules.pk)
    return signup
