"""Signups as residents make them: submit, confirm, withdraw (see the package)."""

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber

from groups import network_cache
from groups.models import (
    Municipality,
    Street,
    WhatsAppGroup,
    normalize_street_name,
)
from wabp_portal.db import insert_unless_conflict
from wabp_portal.signed_links import row_from_link

from .. import notifications
from ..constants import TRANSITIONS, SignupRole, SignupStatus
from ..models import HouseRules, Signup, StatusChange, WithdrawnMember

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


@dataclass(frozen=True)
class Address:
    """A resident's address as the portal knows it."""

    # The known street of that name in the municipality, if there is one.
    street: Street | None
    # The published groups whose region covers the house number.
    groups: tuple[WhatsAppGroup, ...] = ()


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
    # Where the caller already located the address (the e-loket does, to
    # suggest the group that covers it), so that it is not looked up twice.
    address: Address | None = None
    # Entered by police-zone staff for a resident who called or came to the
    # desk: the consent was given to them (``services.assisted``).
    consent_recorded_by: User | None = None
    consent_channel: str = ""
    # Confirmed by the resident signing a printed letter, not by mail.
    confirm_by_letter: bool = False


def house_number_value(house_number: str) -> int | None:
    """The number part of "12", "12A" or "12-14" (the first number)."""
    match = re.match(r"\s*(\d{1,6})", house_number or "")
    return int(match.group(1)) if match else None


def known_street(
    municipality: Municipality, street_name: str, postcode: str = ""
) -> Street | None:
    """The municipality's street of that name: the one in ``postcode``.

    A merged municipality can have a street of the same name in two of its
    postcodes (a Kerkstraat in each village), each covered by its own group:
    the postcode the resident typed tells them apart. Without one, or when
    no street of that name is in it (a typo in the postcode), the first by
    name and postcode, as the streets are listed.
    """
    key = normalize_street_name(street_name)
    if not key:
        return None
    streets = list(
        Street.objects.filter(municipality=municipality, search_name=key).order_by(
            "name", "postcode"
        )
    )
    for street in streets:
        if postcode and street.postcode == postcode:
            return street
    return streets[0] if streets else None


def locate_address(
    municipality: Municipality,
    street_name: str,
    house_number: str,
    postcode: str = "",
) -> Address:
    """The known street and the published groups that cover this address.

    The street is told apart from one of the same name by its postcode
    (``known_street``). The answer depends on the networks table alone (the
    municipality's streets, the regions' coverage, the groups published): it
    is kept with the table (``network_cache``, by municipality, street as
    searched, postcode and house number), so the next resident of the same
    address, or the same resident sending the form again, costs no query.
    Any change to the table moves its version, and the answer is looked up
    again.
    """
    number = house_number_value(house_number)
    name = hashlib.sha256(
        json.dumps(
            [municipality.pk, normalize_street_name(street_name), postcode, number]
        ).encode()
    ).hexdigest()
    return network_cache.cached_lookup(
        f"address:{name}",
        lambda: _locate_address(municipality, street_name, house_number, postcode),
    )


def _locate_address(
    municipality: Municipality, street_name: str, house_number: str, postcode: str
) -> Address:
    street = known_street(municipality, street_name, postcode)
    if street is None:
        return Address(street=None)
    groups = (
        WhatsAppGroup.objects.published()
        .covering([street.pk], house_number_value(house_number))
        .select_related("region")
    )
    return Address(street=street, groups=tuple(groups))


def _record(signup: Signup, target: str, *, by: User | None, reason: str = "") -> None:
    current = signup.status
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(current, target)
    signup.status = target
    change = StatusChange(
        signup=signup, from_status=current, to_status=target, actor=by, reason=reason
    )
    change.full_clean()
    change.save()
    logger.info(
        "signup transition pk=%s from=%s to=%s actor=%s",
        signup.pk,
        current,
        target,
        by.pk if by else None,
    )


def _existing_open_signup(request: SignupRequest) -> Signup | None:
    # A household is several people: partners often share one e-mail address
    # and one street address. The same person is the same mobile number.
    same_person = Q(phone=request.phone)
    if request.role == SignupRole.PARTICIPANT:
        scope = Q(group=request.group)
    else:
        scope = Q(role=SignupRole.COORDINATOR, municipality=request.municipality)
    return Signup.objects.open().filter(scope, same_person).first()


def _replaces(existing: Signup, signup: Signup) -> bool:
    """Whether ``signup`` replaces ``existing``, which is then deleted.

    The same person (mobile number) signing up again for the same group
    before confirming, with another e-mail address, corrects a typo: the
    first confirmation went to an address they cannot read. The unconfirmed
    signup is deleted with its mails, so every link sent to the mistyped
    address stops working, and the new one is confirmed at the right
    address. A confirmed signup is never replaced this way.
    """
    existing = Signup.objects.select_for_update().filter(pk=existing.pk).first()
    if (
        existing is None
        or existing.status != SignupStatus.UNCONFIRMED
        or existing.email == signup.email
    ):
        return False
    notifications.forget_mail_of(existing)
    existing.delete()
    return True


@transaction.atomic
def create_signup(request: SignupRequest) -> tuple[Signup, bool]:
    """Store a signup and queue the confirmation mail; return it and whether it is new.

    A second signup by the same mobile number for the same group is not
    stored: the existing one is returned and its holder is told, so the page
    the visitor sees is the same either way (no enumeration). Partners who
    share an e-mail address each sign up with their own mobile number. Before
    confirmation, a second signup with another e-mail address replaces the
    first (a mistyped address, see ``_replaces``).
    """
    zone_id = request.municipality.zone_id
    if not request.house_rules.is_current or request.house_rules.zone_id != zone_id:
        raise HouseRulesChanged
    group = request.group if request.role == SignupRole.PARTICIPANT else None
    if request.role == SignupRole.PARTICIPANT and (
        group is None or not group.is_published or group.municipality.zone_id != zone_id
    ):
        raise GroupNotOpen

    now = timezone.now()
    address = _address(request)
    signup = Signup(
        role=request.role,
        group=group,
        proposed_group_name=request.proposed_group_name if group is None else "",
        proposed_area=request.proposed_area if group is None else "",
        municipality=request.municipality,
        first_name=request.first_name,
        last_name=request.last_name,
        street_name=request.street_name,
        street=address.street,
        house_number=request.house_number,
        box=request.box,
        postcode=request.postcode,
        phone=request.phone,
        # One person, one address: "Jan@…" and "jan@…" are the same resident,
        # and the unique constraints compare addresses as stored.
        email=request.email.strip().lower(),
        language=request.language,
        house_rules=request.house_rules,
        house_rules_accepted_at=now,
        privacy_accepted_at=now,
        outside_region=group is not None
        and all(covering.pk != group.pk for covering in address.groups),
        consent_channel=request.consent_channel,
        consent_recorded_by=request.consent_recorded_by,
        confirm_by_letter=request.confirm_by_letter,
    )
    # The fields are validated here; the constraints are left to the insert,
    # which checks them all at once (validating them first costs a query
    # each). The related rows were just read, so their existence is not asked
    # again either.
    signup.full_clean(
        exclude=[
            "group",
            "street",
            "municipality",
            "house_rules",
            "consent_recorded_by",
        ],
        validate_constraints=False,
    )
    # The unique constraints on open signups (one per mobile number in a
    # group, or in a municipality for an application) find the duplicate: the
    # insert stores nothing (ON CONFLICT DO NOTHING, no error, so nothing
    # personal in the database server's log) and the signup on file is
    # looked up only then. A double-clicked submit races here too,
    # and ends the same way.
    if not insert_unless_conflict(signup):
        existing = _existing_open_signup(request)
        if existing is None:
            raise IntegrityError("a signup was refused but none conflicts with it")
        replaced = existing.pk
        if not _replaces(existing, signup):
            notifications.send_duplicate_notice(existing)
            logger.info("signup duplicate pk=%s", existing.pk)
            return existing, False
        if not insert_unless_conflict(signup):
            raise IntegrityError("a replaced signup still conflicts")
        logger.info("signup replaced pk=%s by pk=%s", replaced, signup.pk)
    change = StatusChange(
        signup=signup,
        from_status="",
        to_status=SignupStatus.UNCONFIRMED,
        # Who entered it, for a signup staff entered for a resident.
        actor=request.consent_recorded_by,
    )
    # The signup was inserted a moment ago and the actor is the logged-in
    # user: asking the database whether they exist costs a query each.
    change.full_clean(exclude=["signup", "actor"])
    change.save()
    if not signup.confirm_by_letter:
        notifications.send_confirmation_request(signup)
    logger.info("signup created pk=%s group=%s", signup.pk, signup.group_id)
    return signup, True


def _address(request: SignupRequest) -> Address:
    if request.address is not None:
        return request.address
    if request.role == SignupRole.PARTICIPANT:
        return locate_address(
            request.municipality,
            request.street_name,
            request.house_number,
            request.postcode,
        )
    return Address(
        street=known_street(request.municipality, request.street_name, request.postcode)
    )


def signup_from_link(token: str, *, salt: str, max_age: timedelta | None) -> Signup:
    """The signup a signed link mailed to its resident stands for; ``InvalidLink``
    otherwise.

    Each link is bound to the address it was mailed to
    (``notifications.address_binding``): once the resident changed their
    address, the links in the old mailbox say so (``SupersededLink``). Links
    mailed before links were bound carry no address; they work until the
    address is first changed.
    """
    return row_from_link(
        Signup.objects.select_related("municipality__zone", "group"),
        token,
        salt=salt,
        max_age=max_age,
        bind=notifications.address_binding,
        unbound=lambda signup: signup.email_changed_at is None,
        superseded_message=_(
            "This link was sent to an e-mail address this signup no longer uses. "
            "Use the link in the most recent e-mail we sent you."
        ),
    )


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
    "pending_email": "",
    "pending_email_requested_at": None,
    "proposed_area": "",
    "decision_reason": "",
}


@transaction.atomic
def withdraw_signup(signup: Signup, *, by: User | None = None) -> Signup:
    """Withdraw a signup and erase the personal data it holds.

    A member is still in the group's WhatsApp group, which only a coordinator
    can change, and a coordinator needs a name and a number to find them
    there. Those two are kept apart, in a WithdrawnMember that the group's
    coordinators (and the zone's staff) see in the admin until one of them
    marks the person removed (``mark_removed_from_whatsapp``), at most
    WITHDRAWN_MEMBER_RETENTION_DAYS; the address, e-mail and everything else
    go now. The coordinators are mailed that a member withdrew, with a link
    to that list and no name or number: a mail outlives its purpose in the
    coordinator's own mailbox, where no erasure reaches it, whereas the row
    in the portal goes as soon as the job is done.
    """
    signup = (
        Signup.objects.select_for_update(of=("self",))
        .select_related("municipality__zone", "group")
        .get(pk=signup.pk)
    )
    was_member = signup.status == SignupStatus.APPROVED
    _record(signup, SignupStatus.WITHDRAWN, by=by)
    now = timezone.now()
    if was_member:
        withdrawn = WithdrawnMember(
            signup=signup,
            group=signup.group,
            first_name=signup.first_name,
            last_name=signup.last_name,
            phone=signup.phone,
            withdrawn_at=now,
        )
        withdrawn.full_clean(exclude=["signup", "group"])
        withdrawn.save()
        notifications.notify_coordinators_of_withdrawal(signup)
    if signup.email:
        # The outbox's copies of the mails to the resident go with the rest.
        notifications.forget_mail_of(signup)
    for field, value in ERASED_FIELDS.items():
        setattr(signup, field, value)
    signup.ended_at = now
    signup.full_clean()
    signup.save()
    # Reasons typed along the way may name the person: they go too.
    signup.status_changes.update(reason="")
    return signup
