"""Signups as residents make them: submit, confirm, withdraw (see the package)."""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber

from groups.models import (
    Municipality,
    Street,
    WhatsAppGroup,
    normalize_street_name,
)

from .. import notifications
from ..constants import TRANSITIONS, SignupRole, SignupStatus
from ..models import HouseRules, Signup, StatusChange

logger = logging.getLogger(__name__)


def confirmation_max_age() -> timedelta:
    return timedelta(hours=settings.SIGNUP_CONFIRMATION_HOURS)


class InvalidTransition(Exception):
    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"signup cannot go from {current} to {target}")
        self.current = current
        self.target = target


class HouseRulesChanged(Exception):
    """The version the resident read is no longer the current one."""


class GroupNotOpen(Exception):
    """The chosen group is hidden, inactive or of another police zone."""


class InvalidLink(Exception):
    """A signed link that was tampered with or has expired."""


@dataclass(frozen=True)
class SignupRequest:
    """What a resident typed in the e-loket form, already validated."""

    role: str
    municipality: Municipality
    first_name: str
    last_name: str
    street_name: str
    house_number: str
    postcode: str
    phone: PhoneNumber
    email: str
    house_rules: HouseRules
    language: str
    group: WhatsAppGroup | None = None
    box: str = ""
    proposed_group_name: str = ""
    proposed_area: str = ""


def house_number_value(house_number: str) -> int | None:
    """The number part of "12", "12A" or "12-14" (the first number)."""
    match = re.match(r"\s*(\d{1,6})", house_number or "")
    return int(match.group(1)) if match else None


def known_street(municipality: Municipality, street_name: str) -> Street | None:
    key = normalize_street_name(street_name)
    if not key:
        return None
    return Street.objects.filter(municipality=municipality, search_name=key).first()


def _record(signup: Signup, target: str, *, by: User | None, reason: str = "") -> None:
    current = signup.status
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(current, target)
    signup.status = target
    StatusChange.objects.create(
        signup=signup, from_status=current, to_status=target, actor=by, reason=reason
    )
    logger.info(
        "signup transition pk=%s from=%s to=%s actor=%s",
        signup.pk,
        current,
        target,
        by.pk if by else None,
    )


def _existing_open_signup(request: SignupRequest) -> Signup | None:
    same_person = Q(email__iexact=request.email) | Q(phone=request.phone)
    if request.role == SignupRole.PARTICIPANT:
        scope = Q(group=request.group)
    else:
        scope = Q(role=SignupRole.COORDINATOR, municipality=request.municipality)
    return Signup.objects.open().filter(scope, same_person).first()


@transaction.atomic
def create_signup(request: SignupRequest) -> tuple[Signup, bool]:
    """Store a signup and queue the confirmation mail; return it and whether it is new.

    A second signup by the same phone number or e-mail for the same group is
    not stored: the existing one is returned and its holder is told, so the
    page the visitor sees is the same either way (no enumeration).
    """
    zone = request.municipality.zone
    if not request.house_rules.is_current or request.house_rules.zone_id != zone.pk:
        raise HouseRulesChanged
    if request.role == SignupRole.PARTICIPANT:
        group = request.group
        if (
            group is None
            or not WhatsAppGroup.objects.published()
            .filter(pk=group.pk, municipality__zone=zone)
            .exists()
        ):
            raise GroupNotOpen

    existing = _existing_open_signup(request)
    if existing is not None:
        notifications.send_duplicate_notice(existing)
        logger.info("signup duplicate pk=%s", existing.pk)
        return existing, False

    now = timezone.now()
    street = known_street(request.municipality, request.street_name)
    signup = Signup(
        role=request.role,
        group=request.group if request.role == SignupRole.PARTICIPANT else None,
        proposed_group_name=request.proposed_group_name
        if request.role == SignupRole.COORDINATOR
        else "",
        proposed_area=request.proposed_area
        if request.role == SignupRole.COORDINATOR
        else "",
        municipality=request.municipality,
        first_name=request.first_name,
        last_name=request.last_name,
        street_name=request.street_name,
        street=street,
        house_number=request.house_number,
        box=request.box,
        postcode=request.postcode,
        phone=request.phone,
        email=request.email,
        language=request.language,
        house_rules=request.house_rules,
        house_rules_accepted_at=now,
        privacy_accepted_at=now,
        outside_region=_outside_region(request, street),
    )
    try:
        # A double-clicked submit races here: the unique constraints on open
        # signups (enforced by the insert) let one through, the other becomes
        # a duplicate. The fields are validated here; the constraints are
        # left to the insert, which checks them all at once: validating them
        # first costs a query each, ten for every signup. The related rows
        # were just read from the database, so their existence is not asked
        # again either.
        signup.full_clean(
            exclude=["group", "street", "municipality", "house_rules"],
            validate_constraints=False,
        )
        with transaction.atomic():
            signup.save()
    except (IntegrityError, ValidationError):
        existing = _existing_open_signup(request)
        if existing is None:
            raise
        return existing, False
    StatusChange.objects.create(
        signup=signup, from_status="", to_status=SignupStatus.UNCONFIRMED
    )
    notifications.send_confirmation_request(signup)
    logger.info("signup created pk=%s group=%s", signup.pk, signup.group_id)
    return signup, True


def _outside_region(request: SignupRequest, street: Street | None) -> bool:
    if request.role != SignupRole.PARTICIPANT or request.group is None:
        return False
    if street is None:
        return True
    number = house_number_value(request.house_number)
    return not (
        WhatsAppGroup.objects.filter(pk=request.group.pk)
        .covering(Street.objects.filter(pk=street.pk), number)
        .exists()
    )


def signup_from_link(token: str, *, salt: str, max_age: timedelta | None) -> Signup:
    try:
        pk = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise InvalidLink(_("This link has expired.")) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvalidLink(_("This link is not valid.")) from error
    if not isinstance(pk, int):
        raise InvalidLink(_("This link is not valid."))
    signup = (
        Signup.objects.select_related("municipality__zone", "group")
        .filter(pk=pk)
        .first()
    )
    if signup is None:
        raise InvalidLink(_("This link is not valid."))
    return signup


@transaction.atomic
def confirm_signup(signup: Signup) -> Signup:
    """The resident confirmed their e-mail: the signup waits for a decision."""
    signup = (
        Signup.objects.select_for_update(of=("self",))
        .select_related("municipality__zone", "group")
        .get(pk=signup.pk)
    )
    _record(signup, SignupStatus.PENDING, by=None)
    signup.confirmed_at = timezone.now()
    signup.full_clean()
    signup.save(update_fields=["status", "confirmed_at", "updated_at"])
    notifications.notify_coordinators_of_new_signup(signup)
    return signup


# What is kept of a withdrawn signup: enough for statistics, nothing personal.
ERASED_FIELDS = {
    "first_name": "",
    "last_name": "",
    "street_name": "",
    "street": None,
    "house_number": "",
    "box": "",
    "postcode": "",
    "phone": "",
    "email": "",
    "proposed_area": "",
    "decision_reason": "",
}


@transaction.atomic
def withdraw_signup(signup: Signup, *, by: User | None = None) -> Signup:
    """Withdraw a signup and erase the personal data it holds.

    A member's coordinators are told to remove them from the WhatsApp group;
    that notice is the one copy of the name left, in the outbox until the
    mail purge removes sent mail.
    """
    signup = (
        Signup.objects.select_for_update(of=("self",))
        .select_related("municipality__zone", "group")
        .get(pk=signup.pk)
    )
    was_member = signup.status == SignupStatus.APPROVED
    name, phone = (
        signup.full_name,
        (signup.phone.as_international if signup.phone else ""),
    )
    _record(signup, SignupStatus.WITHDRAWN, by=by)
    if was_member:
        notifications.notify_coordinators_of_withdrawal(signup, name=name, phone=phone)
    if signup.email:
        # The outbox's copies of the mails to the resident go with the rest.
        notifications.forget_mail_to(signup.email)
    for field, value in ERASED_FIELDS.items():
        setattr(signup, field, value)
    signup.ended_at = timezone.now()
    signup.full_clean()
    signup.save()
    # Reasons typed along the way may name the person: they go too.
    signup.status_changes.update(reason="")
    return signup
