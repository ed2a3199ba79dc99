"""Versions of the house rules and the members' acceptance of them.

Staff publish a new version (``publish_house_rules``): it becomes the one
current version of the zone and the previous ones stay readable. A version
nobody accepted yet may be corrected (``correct_house_rules``: its title, text
and PDF) or, by whoever holds the permission, deleted
(``delete_house_rules``); a version someone accepted is a record of what they
agreed to and is never changed again (the admin shows it read-only). Members who
accepted an older version can be asked by e-mail to accept the current one
(``request_reacceptance``, at most once per version); the signed link in that
mail leads to a page where ``accept_house_rules`` records the new acceptance.
"""

import logging

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from groups.models import PoliceZone
from wabp_portal.db import insert_unless_conflict

from .. import notifications
from ..constants import SignupStatus
from ..models import HouseRules, ReacceptanceRequest, Signup
from .signups import HouseRulesChanged, InvalidTransition

logger = logging.getLogger(__name__)

# Who is asked to accept a new version: everyone still in a group or about
# to be.
REACCEPTING_STATUSES = (SignupStatus.PENDING, SignupStatus.APPROVED)


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
    logger.info("house rules deleted pk=%s zone=%s actor=%s", pk, zone_id, by.pk)


def members_on_older_versions(rules: HouseRules):
    return Signup.objects.filter(
        municipality__zone=rules.zone_id, status__in=REACCEPTING_STATUSES
    ).exclude(house_rules=rules)


@transaction.atomic
def request_reacceptance(rules: HouseRules, *, by: User) -> int:
    """E-mail members on an older version a link to accept this one.

    Each member is asked once per version; return how many were asked now.
    """
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
        request = ReacceptanceRequest(signup=signup, house_rules=rules)
        # The one constraint is the one ON CONFLICT decides, without a
        # failing statement.
        request.full_clean(validate_unique=False, validate_constraints=False)
        if not insert_unless_conflict(request):
            continue  # asked meanwhile by a colleague
        notifications.send_reacceptance_request(signup, rules)
        asked += 1
    logger.info(
        "house rules re-acceptance requested rules=%s count=%s actor=%s",
        rules.pk,
        asked,
        by.pk,
    )
    return asked


@transaction.atomic
def accept_house_rules(signup: Signup, *, rules: HouseRules) -> Signup:
    """Record that the resident accepted this (current) version."""
    signup = Signup.objects.select_for_update(of=("self",)).get(pk=signup.pk)
    if signup.status not in REACCEPTING_STATUSES:
        raise InvalidTransition(signup.status, "accept house rules")
    rules = HouseRules.objects.get(pk=rules.pk)
    if not rules.is_current or rules.zone_id != signup.municipality.zone_id:
        raise HouseRulesChanged
    signup.house_rules = rules
    signup.house_rules_accepted_at = timezone.now()
    signup.full_clean()
    signup.save(update_fields=["house_rules", "house_rules_accepted_at", "updated_at"])
    logger.info("house rules accepted signup=%s rules=%s", signup.pk, rules.pk)
    return signup
