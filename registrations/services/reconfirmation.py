"""The yearly question "do you still live here?" and the list of members to remove.

    member ──(a year after the approval, or after the last answer)──▶ asked
    asked ──"yes, I still live here"──▶ answered (asked again a year later)
    asked ──"no, I moved"──▶ answered; membership ends (left); on the list
    asked ──(no answer in RECONFIRMATION_ANSWER_DAYS)──▶ on the list

``send_reconfirmations`` (a daily command) asks the members who are due, one
question open at a time (a unique constraint: running twice, or twice at
once, asks once), each in its own transaction with its mail, so a run killed
half-way leaves no question without its mail and the next run asks the rest.
The mail holds a signed link, bound to the member's address, to a page with
the two answers; the answer is recorded on the page's POST
(``answer_reconfirmation``), never on opening the link, which mail scanners
do.

The list of members to remove (``MemberToRemove``) is what the coordinators
of a group must still do in WhatsApp, with why: the member moved, did not
answer in time, or did not accept new house rules by their deadline
(``services.house_rules``). The coordinators get one mail per group and run,
naming no one (``put_on_removal_list``). A coordinator settles a row
(``settle_member_to_remove``): a membership still running ends (removed, with
the reason), and the row goes. A member who answers or accepts after all
leaves the list by themselves.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from wabp_portal.db import insert_unless_conflict
from wabp_portal.signed_links import row_from_link

from .. import notifications
from ..constants import (
    ReconfirmationAnswer,
    RemovalReason,
    SignupRole,
    SignupStatus,
)
from ..models import MemberToRemove, Reconfirmation, Signup
from .decisions import end_membership
from .removal_list import put_on_removal_list
from .signups import InvalidTransition, _record

logger = logging.getLogger(__name__)


class AlreadyAnswered(Exception):
    """The question was answered before (by this link or another)."""

    def __init__(self, question: Reconfirmation) -> None:
        super().__init__(f"reconfirmation {question.pk} already answered")
        self.question = question


# --- asking -------------------------------------------------------------------


def due_for_reconfirmation(now: datetime) -> QuerySet[Signup]:
    """Members to ask now: approved a year ago, with no answer within the year.

    And with no question open: one waits for its answer or for the
    coordinators.
    """
    since = now - timedelta(days=settings.RECONFIRMATION_INTERVAL_DAYS)
    recent_or_open = Reconfirmation.objects.filter(signup=OuterRef("pk")).filter(
        Q(answered_at__isnull=True) | Q(answered_at__gt=since)
    )
    return (
        Signup.objects.members()
        .filter(
            role=SignupRole.PARTICIPANT,
            group__isnull=False,
            decided_at__lte=since,
            erased_at__isnull=True,
        )
        .exclude(email="")
        .filter(~Exists(recent_or_open))
    )


def ask_due_members(*, now: datetime | None = None) -> int:
    """Ask every member who is due; return how many were asked now."""
    now = now or timezone.now()
    asked = 0
    pks = list(due_for_reconfirmation(now).order_by("pk").values_list("pk", flat=True))
    for pk in pks:
        asked += _ask(pk, now=now)
    logger.info("reconfirmations asked count=%s", asked)
    return asked


@transaction.atomic
def _ask(signup_pk: int, *, now: datetime) -> bool:
    # Another run holding the row is asking it: skip, do not wait.
    signup = (
        due_for_reconfirmation(now)
        .select_for_update(of=("self",), skip_locked=True)
        .select_related("municipality__zone", "group")
        .filter(pk=signup_pk)
        .first()
    )
    if signup is None:
        return False  # answered, ended or asked meanwhile
    question = Reconfirmation(signup=signup, asked_at=now)
    # The one constraint left is the one ON CONFLICT decides.
    question.full_clean(validate_unique=False, validate_constraints=False)
    if not insert_unless_conflict(question):
        return False
    notifications.send_reconfirmation_request(question)
    logger.info("reconfirmation asked signup=%s question=%s", signup.pk, question.pk)
    return True


# --- answering ------------------------------------------------------------------


def reconfirmation_from_link(token: str) -> Reconfirmation:
    """The question a link in a member's mail stands for; ``InvalidLink`` otherwise.

    Bound to the address it was mailed to: once the member changed it, the
    link in the old mailbox is dead.
    """
    return row_from_link(
        Reconfirmation.objects.select_related(
            "signup__municipality__zone", "signup__group"
        ),
        token,
        salt=notifications.RECONFIRM_SALT,
        bind=lambda question: notifications.address_binding(question.signup),
        superseded_message=_(
            "This link was sent to an e-mail address this signup no longer uses. "
            "Use the link in the most recent e-mail we sent you."
        ),
    )


@transaction.atomic
def answer_reconfirmation(question: Reconfirmation, *, answer: str) -> Reconfirmation:
    """Record the member's answer; "moved" ends the membership at once.

    Refused for a question answered before (``AlreadyAnswered``) and for a
    membership that ended meanwhile (``InvalidTransition``).
    """
    if answer not in ReconfirmationAnswer.values:
        raise ValueError(f"not an answer: {answer}")
    # The signup first, as every other service locks it, then the question.
    signup = (
        Signup.objects.select_for_update(of=("self",))
        .select_related("municipality__zone", "group")
        .get(pk=question.signup_id)
    )
    question = Reconfirmation.objects.select_for_update().get(pk=question.pk)
    if question.answered_at is not None:
        raise AlreadyAnswered(question)
    if signup.status != SignupStatus.APPROVED:
        raise InvalidTransition(signup.status, "answer the yearly question")
    now = timezone.now()
    question.signup = signup
    question.answer = answer
    question.answered_at = now
    question.full_clean()
    question.save(update_fields=["answer", "answered_at"])
    # Whatever list the member was on for not answering, they answered now.
    MemberToRemove.objects.filter(
        signup=signup, reason=RemovalReason.NO_ANSWER
    ).delete()
    if answer == ReconfirmationAnswer.MOVED:
        _leave_after_moving(signup, now=now)
    logger.info("reconfirmation answered question=%s answer=%s", question.pk, answer)
    return question


def _leave_after_moving(signup: Signup, *, now: datetime) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        reason = str(_("Answered the yearly question: moved away."))
    _record(signup, SignupStatus.LEFT, by=None, reason=reason)
    signup.ended_at = now
    signup.decision_reason = reason
    signup.full_clean()
    signup.save()
    notifications.send_decision(signup, "member_moved")
    # Still in the WhatsApp group, which only a coordinator can change.
    notice = MemberToRemove(
        signup=signup, group=signup.group, reason=RemovalReason.MOVED
    )
    notice.full_clean(validate_unique=False, validate_constraints=False)
    MemberToRemove.objects.filter(signup=signup).exclude(
        reason=RemovalReason.MOVED
    ).delete()
    if insert_unless_conflict(notice):
        notifications.notify_coordinators_of_members_to_remove(signup.group, count=1)


# --- no answer: the coordinators are told -----------------------------------------


def unanswered_too_long(now: datetime) -> QuerySet[Reconfirmation]:
    before = now - timedelta(days=settings.RECONFIRMATION_ANSWER_DAYS)
    return Reconfirmation.objects.unanswered().filter(
        coordinator_told_at__isnull=True,
        asked_at__lte=before,
        signup__status=SignupStatus.APPROVED,
        signup__group__isnull=False,
    )


def tell_of_unanswered(*, now: datetime | None = None) -> int:
    """Put members who did not answer in time on their coordinators' list."""
    now = now or timezone.now()
    told = put_on_removal_list(
        unanswered_too_long(now), reason=RemovalReason.NO_ANSWER, now=now
    )
    logger.info("reconfirmations unanswered, coordinators told count=%s", told)
    return told


# --- the coordinator settles it -----------------------------------------------------


@transaction.atomic
def settle_member_to_remove(notice: MemberToRemove, *, by: User) -> bool:
    """The coordinator removed the member from WhatsApp: end it, take them off.

    A membership still running ends (removed, the reason being the row's);
    every row of the member goes. Returns False when a colleague did it first.
    """
    notice = (
        MemberToRemove.objects.select_for_update(of=("self",))
        .select_related("signup")
        .filter(pk=notice.pk)
        .first()
    )
    if notice is None:
        return False
    if not (
        by.has_perm("registrations.change_membertoremove")
        and MemberToRemove.objects.visible_to(by).filter(pk=notice.pk).exists()
    ):
        raise PermissionDenied
    signup = notice.signup
    if signup.status == SignupStatus.APPROVED:
        with translation.override(settings.LANGUAGE_CODE):
            reason = str(RemovalReason(notice.reason).label)
        end_membership(signup, by=by, status=SignupStatus.REMOVED, reason=reason)
    MemberToRemove.objects.filter(signup=signup).delete()
    logger.info(
        "member to remove settled signup=%s reason=%s actor=%s",
        signup.pk,
        notice.reason,
        by.pk,
    )
    return True
