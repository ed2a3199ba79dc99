"""Signups that police-zone staff enter for a resident (assisted signup).

A resident who calls the police zone or comes to the desk signs up through a
member of staff: staff fill in the e-loket's form for them
(``enter_signup``), and the consent is recorded as given to that member of
staff (``consent_recorded_by``), how (``consent_channel``: phone or desk),
when and to which house-rules version. From there one of two ways:

    by mail    the resident gets the usual confirmation mail and the signup
               goes on as any other (``confirm_signup`` from the link);
    by letter  no mail: staff print a letter with what was recorded, the
               house-rules version and the signup's reference. The resident
               signs it (at the desk, or returns it by post) and staff record
               that (``confirm_signed_letter``): the signup waits for a
               decision. A resident without an e-mail address always takes
               this way; the portal never mails them.

Until the letter is signed the signup is unconfirmed and the retention purge
deletes it after LETTER_CONFIRMATION_DAYS (instead of
UNCONFIRMED_RETENTION_DAYS: a letter by post takes longer than a mail). Staff
are not rate-limited; only staff of the group's zone (and superusers) enter.
"""

import logging
from dataclasses import replace

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import PoliceZone

from .. import notifications
from ..constants import ConsentChannel, SignupStatus
from ..models import Signup
from .signups import InvalidTransition, SignupRequest, _record, create_signup

logger = logging.getLogger(__name__)


def may_enter_for(user: User, zone_id: int) -> bool:
    """Superusers and the zone's own active staff enter signups for its residents."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return PoliceZone.staff.through.objects.filter(
        policezone=zone_id, user=user.pk
    ).exists()


@transaction.atomic
def enter_signup(request: SignupRequest, *, by: User) -> tuple[Signup, bool]:
    """Store a signup staff entered for a resident; return it and whether it is new.

    ``request`` carries ``consent_channel`` and, for a letter, an e-mail
    address that may be blank. A duplicate (the same mobile number in the
    same group) is not stored, as on the e-loket.
    """
    if not may_enter_for(by, request.municipality.zone_id):
        raise PermissionDenied
    if request.consent_channel not in ConsentChannel.values:
        raise ValidationError(
            {"consent_channel": _("Choose how the resident gave their consent.")}
        )
    if not request.email and not request.confirm_by_letter:
        raise ValidationError(
            {
                "email": _(
                    "Without an e-mail address the resident confirms with a "
                    "letter: choose the letter."
                )
            }
        )
    signup, created = create_signup(replace(request, consent_recorded_by=by))
    if created:
        logger.info(
            "signup entered by staff pk=%s channel=%s letter=%s by=%s",
            signup.pk,
            signup.consent_channel,
            signup.confirm_by_letter,
            by.pk,
        )
    return signup, created


@transaction.atomic
def confirm_signed_letter(signup: Signup, *, by: User) -> Signup:
    """The resident signed the letter: the signup waits for a decision."""
    signup = (
        Signup.objects.select_for_update(of=("self",))
        .select_related("municipality__zone", "group")
        .get(pk=signup.pk)
    )
    if not may_enter_for(by, signup.municipality.zone_id):
        raise PermissionDenied
    if not signup.confirm_by_letter:
        raise ValidationError(_("This signup is confirmed by mail, not with a letter."))
    if signup.status != SignupStatus.UNCONFIRMED:
        raise InvalidTransition(signup.status, SignupStatus.PENDING)
    _record(signup, SignupStatus.PENDING, by=by)
    now = timezone.now()
    signup.confirmed_at = now
    signup.letter_signed_at = now
    signup.full_clean()
    signup.save(
        update_fields=["status", "confirmed_at", "letter_signed_at", "updated_at"]
    )
    notifications.notify_coordinators_of_new_signup(signup)
    logger.info("signup letter signed pk=%s by=%s", signup.pk, by.pk)
    return signup
