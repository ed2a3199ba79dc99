"""Residents change their own details: e-mail address and mobile number.

From the page every mail to a resident links to (``my_signup_link``), once
the signup is confirmed and until it ends (``Signup.details_changeable``)::

    change_phone ───────────▶ phone changed (resident told; a member's
                                 coordinators told to check WhatsApp)
    request_email_change ───▶ pending_email set, a link mailed to it
        apply_email_change ─▶ email = pending_email (both addresses told;
                                 every link mailed to the old one stops working)

A new address is used only once someone shows it is theirs by opening the
link mailed to it; until then the signup keeps the address it has. A later
request makes the earlier link dead (``email_change_binding``). Withdrawing
goes through ``withdraw_signup``, as from the withdrawal link.
"""

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber

from groups.models import Municipality, WhatsAppGroup
from wabp_portal.signed_links import row_from_link

from .. import notifications
from ..constants import SignupRole
from ..models import Signup
from .signups import confirmation_max_age

logger = logging.getLogger(__name__)


class DetailsNotChangeable(Exception):
    """The signup is not confirmed yet, or has ended."""


class PhoneTaken(Exception):
    """Another open signup of the same group already has this mobile number."""


class EmailChangeSuperseded(Exception):
    """The address a link confirms is no longer the one waiting (used, replaced)."""


def signup_from_email_change_link(token: str) -> Signup:
    """The signup whose pending address a link confirms; ``InvalidLink`` otherwise.

    Valid as long as a confirmation link (48 hours), and only for the request
    it was mailed for: used, or replaced by a later request, it says so
    (``SupersededLink``).
    """
    return row_from_link(
        Signup.objects.select_related("municipality__zone", "group"),
        token,
        salt=notifications.EMAIL_CHANGE_SALT,
        max_age=confirmation_max_age(),
        bind=notifications.email_change_binding,
        superseded_message=_(
            "This link was used already, or you asked for another change "
            "after it. Use the link in the most recent e-mail we sent you."
        ),
    )


def _locked(signup: Signup) -> Signup:
    signup = (
        Signup.objects.select_for_update(of=("self",))
        .select_related("municipality__zone", "group")
        .get(pk=signup.pk)
    )
    if not signup.details_changeable:
        raise DetailsNotChangeable
    return signup


def _same_person_elsewhere(signup: Signup, phone: PhoneNumber) -> bool:
    """Whether an open signup of the same group (or application of the same
    municipality) already has ``phone``: the unique constraints' scopes.

    The group's (or municipality's) row is locked first (FOR UPDATE), so
    that two residents giving themselves the same number at once are told in
    turn: the second sees the first's change once it is committed. The lock
    also waits for a signup being stored for the group at that moment (its
    insert holds a key-share lock on the group's row), so the check sees it.
    """
    if signup.role == SignupRole.PARTICIPANT:
        WhatsAppGroup.objects.select_for_update().filter(pk=signup.group_id).first()
        scope = Q(group=signup.group_id)
    else:
        Municipality.objects.select_for_update().filter(
            pk=signup.municipality_id
        ).first()
        scope = Q(role=SignupRole.COORDINATOR, municipality=signup.municipality_id)
    return (
        Signup.objects.open().filter(scope, phone=phone).exclude(pk=signup.pk).exists()
    )


@transaction.atomic
def change_phone(signup: Signup, *, phone: PhoneNumber) -> Signup:
    """Give the signup another mobile number; the same one changes nothing.

    Refused (``PhoneTaken``) when another open signup of the group has the
    number: one person, one place in a group. The check is a locked read
    (``_same_person_elsewhere``), not a failed update: the database server
    would log the number.
    """
    signup = _locked(signup)
    if signup.phone == phone:
        return signup
    if _same_person_elsewhere(signup, phone):
        raise PhoneTaken
    signup.phone = phone
    signup.full_clean(exclude=["group", "street", "municipality", "house_rules"])
    signup.save(update_fields=["phone", "updated_at"])
    notifications.send_phone_changed(signup)
    logger.info("signup phone changed pk=%s", signup.pk)
    return signup


def _normalised(email: str) -> str:
    # One person, one address: "Jan@…" and "jan@…" are the same resident.
    return email.strip().lower()


@transaction.atomic
def request_email_change(signup: Signup, *, email: str) -> Signup:
    """Mail a link to ``email``; the signup uses it once the link is opened.

    The address stays pending (``pending_email``) until then; a request for
    the address the signup already has withdraws a pending one. Each request
    makes the link of the one before it dead.
    """
    signup = _locked(signup)
    email = _normalised(email)
    if email == signup.email:
        signup.pending_email = ""
        signup.pending_email_requested_at = None
    else:
        signup.pending_email = email
        signup.pending_email_requested_at = timezone.now()
    signup.full_clean(exclude=["group", "street", "municipality", "house_rules"])
    signup.save(
        update_fields=["pending_email", "pending_email_requested_at", "updated_at"]
    )
    if signup.pending_email:
        notifications.send_email_change_request(signup)
        logger.info("signup email change requested pk=%s", signup.pk)
    return signup


@transaction.atomic
def apply_email_change(signup: Signup, *, email: str) -> Signup:
    """Use the new address ``email``, which its link has just shown to be theirs.

    ``email`` is the pending address the link was made for: if another
    request came in between (or this one was used), nothing changes
    (``EmailChangeSuperseded``). Both addresses are told; every link mailed
    to the old one stops working (they are bound to the address).
    """
    signup = _locked(signup)
    email = _normalised(email)
    if not signup.pending_email or signup.pending_email != email:
        raise EmailChangeSuperseded
    previous = signup.email
    signup.email = email
    signup.pending_email = ""
    signup.pending_email_requested_at = None
    signup.email_changed_at = timezone.now()
    signup.full_clean(exclude=["group", "street", "municipality", "house_rules"])
    signup.save(
        update_fields=[
            "email",
            "pending_email",
            "pending_email_requested_at",
            "email_changed_at",
            "updated_at",
        ]
    )
    notifications.send_email_changed(signup, previous=previous)
    logger.info("signup email changed pk=%s", signup.pk)
    return signup
