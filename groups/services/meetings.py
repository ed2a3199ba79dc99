"""Meetings (overleg) of a zone's coordinators and their invitations.

The zone's staff create a meeting in the admin and then invite:
``invite_coordinators`` gives every active coordinator of the zone who has no
invitation yet a MeetingInvitation and queues them an e-mail with the meeting
as a calendar file (``meeting_ics``) and a signed link to the answer page.
Running it again after coordinators joined invites only them (and sends the
latest version to an invited coordinator whose calendar holds an older one);
once the meeting has started nobody is invited any more.

An invitation starts unanswered (blank response). The link from the e-mail
opens a page (``invitation_from_link``) that only shows the meeting: mail
scanners follow links, so the answer is recorded by the POST of one of the
page's two buttons, through ``respond_to_invitation``. The coordinator may
change their answer until the meeting starts; from then on it stays as it is.
Staff read the answers on the meeting in the admin.

A change that calendars must follow (title, time, place, agenda) raises the
meeting's ``sequence`` in ``save_meeting``, which mails every invited active
coordinator an update: the same UID, the higher SEQUENCE, and what changed.
When the time or the place changed the answers given so far are cleared and
the mail asks again; a new title or agenda keeps them. ``cancel_meeting``
marks the meeting cancelled (it is kept, with its invitations) and mails a
CANCEL; from then on nobody answers. ``delete_meetings`` sends that CANCEL
first for a meeting still to come that had invitations.

Every calendar file is METHOD:PUBLISH (RFC 5546 section 3.2.1): the answer is
given on the portal, and REQUEST would make mail programs show accept and
decline buttons whose replies land, unread, in the zone's mailbox. A client
that holds the event replaces it with the one of the higher SEQUENCE. The
cancellation is METHOD:CANCEL with STATUS:CANCELLED (section 3.2.5).
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from wabp_portal.mail.queue import queue_mail
from wabp_portal.signed_links import row_from_link, signed_url

from ..constants import MeetingResponse
from ..models import Coordinator, Meeting, MeetingInvitation

logger = logging.getLogger(__name__)

RESPONSE_SALT = "groups.meeting.invitation.respond"
ICS_FILENAME = "overleg.ics"

# The words the links carry (``?antwoord=ja``): public URLs are Dutch.
ANSWER_WORDS = {MeetingResponse.YES: "ja", MeetingResponse.NO: "nee"}


def answer_from_word(word: str | None) -> MeetingResponse | None:
    """The answer a link or form word (``ja``/``nee``) stands for, if any."""
    for answer, each in ANSWER_WORDS.items():
        if word == each:
            return answer
    return None


def response_link(invitation: MeetingInvitation) -> str:
    """The invitation's answer page (opening it answers nothing)."""
    return signed_url("groups:meeting-response", invitation.pk, salt=RESPONSE_SALT)


def invitation_from_link(token: str) -> MeetingInvitation:
    """The invitation a signed link stands for; ``InvalidLink`` otherwise.

    The link stays valid as long as the invitation exists: the meeting's start
    is what ends the time to answer.
    """
    return row_from_link(
        MeetingInvitation.objects.select_related("meeting__zone", "coordinator"),
        token,
        salt=RESPONSE_SALT,
        gone_message=_("This invitation no longer exists."),
    )


def _uid(meeting: Meeting) -> str:
    # One UID per meeting: a calendar that imports a later file for the same
    # meeting updates the event instead of adding a second one.
    host = urlsplit(settings.SITE_URL).hostname or "wabp-portal"
    return f"meeting-{meeting.pk}@{host}"


def meeting_ics(meeting: Meeting) -> bytes:
    """The meeting as an iCalendar file that any agenda can import.

    A cancelled meeting gives the CANCEL of the same event.
    """
    # The portal's time zone (Europe/Brussels), in which staff typed the times.
    local = timezone.get_default_timezone()
    start = timezone.localtime(meeting.starts_at, local)
    end = timezone.localtime(meeting.end, local)
    organizer = icalendar.vCalAddress(f"mailto:{meeting.zone.email}")
    organizer.params["CN"] = meeting.zone.name
    cancelled = meeting.is_cancelled
    event = icalendar.Event.new(
        uid=_uid(meeting),
        sequence=meeting.sequence,
        status=icalendar.STATUS.CANCELLED if cancelled else icalendar.STATUS.CONFIRMED,
        start=start,
        end=end,
        summary=meeting.display_title,
        location=meeting.location,
        description=meeting.agenda or None,
        organizer=organizer,
    )
    calendar = icalendar.Calendar.new(
        prodid="-//WABP portal//Meetings//NL",
        method=ics_method(meeting),
        uid=_uid(meeting),
        subcomponents=[event],
    )
    # Only the rules around the meeting, not every change since 1970.
    calendar.add_missing_timezones(
        first_date=start.date() - timedelta(days=366),
        last_date=end.date() + timedelta(days=366),
    )
    return calendar.to_ical()


def ics_method(meeting: Meeting) -> str:
    """PUBLISH, or CANCEL once the meeting is cancelled (see the docstring)."""
    return "CANCEL" if meeting.is_cancelled else "PUBLISH"


def _queue_meeting_mail(
    invitation: MeetingInvitation,
    ics: bytes,
    *,
    template: str,
    context: dict | None = None,
) -> None:
    meeting = invitation.meeting
    queue_mail(
        to=[invitation.coordinator.email],
        template=f"groups/email/{template}",
        context={
            "coordinator": invitation.coordinator,
            "invitation": invitation,
            "meeting": meeting,
            "answer_url": response_link(invitation),
            "ics_filename": ICS_FILENAME,
            **(context or {}),
        },
        language=settings.LANGUAGE_CODE,
        zone=meeting.zone,
        attachments={
            ICS_FILENAME: {
                "file": ContentFile(ics),
                # iMIP (RFC 6047): the method on the part too, for the mail
                # programs that act on it.
                "mimetype": f"text/calendar; method={ics_method(meeting)}",
            }
        },
    )
    invitation.sequence_sent = meeting.sequence


def _current_ics(meeting: Meeting) -> bytes:
    # In the language of the mail it goes with, whoever clicked.
    with translation.override(settings.LANGUAGE_CODE):
        return meeting_ics(meeting)


@dataclass(frozen=True)
class Invited:
    """What ``invite_coordinators`` did: new invitations, updates caught up."""

    invited: int
    updated: int


def _locked_meeting(meeting: Meeting) -> Meeting:
    # The lock makes a second click (or a second member of staff) wait.
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("zone")
        .get(pk=meeting.pk)
    )


@transaction.atomic
def invite_coordinators(
    meeting: Meeting, *, by: AbstractBaseUser | AnonymousUser
) -> Invited:
    """Invite the zone's active coordinators not invited yet.

    An invited active coordinator whose last mail carried an older version of
    the meeting (they were inactive when it changed) gets the update now.
    """
    meeting = _locked_meeting(meeting)
    if not meeting.can_be_managed_by(by):
        raise PermissionDenied
    if meeting.is_cancelled:
        raise ValidationError(
            _("This meeting is cancelled: nobody can be invited any more.")
        )
    if meeting.has_started:
        raise ValidationError(
            _("This meeting has already started: nobody can be invited any more.")
        )
    coordinators = (
        Coordinator.objects.active()
        .filter(zone=meeting.zone_id)
        .exclude(meeting_invitations__meeting=meeting)
        .order_by("pk")
    )
    ics = _current_ics(meeting)
    invited = 0
    for coordinator in coordinators:
        invitation = MeetingInvitation(
            meeting=meeting, coordinator=coordinator, sequence_sent=meeting.sequence
        )
        invitation.full_clean()
        invitation.save()
        _queue_meeting_mail(invitation, ics, template="meeting_invitation")
        invited += 1
    behind = _invitations_to_tell(meeting).filter(sequence_sent__lt=meeting.sequence)
    updated = _send_update(meeting, behind, ics=ics, changes=Changes())
    logger.info(
        "meeting invitations sent meeting=%s invited=%s updated=%s by=%s",
        meeting.pk,
        invited,
        updated,
        by.pk,
    )
    return Invited(invited=invited, updated=updated)


@transaction.atomic
def respond_to_invitation(
    invitation: MeetingInvitation, *, answer: str
) -> MeetingInvitation:
    """Record the coordinator's answer; it may change until the meeting starts."""
    invitation = (
        MeetingInvitation.objects.select_for_update(of=("self",))
        .select_related("meeting__zone", "coordinator")
        .get(pk=invitation.pk)
    )
    if answer not in MeetingResponse.values:
        raise ValidationError({"response": _("Choose whether you will come or not.")})
    if invitation.meeting.is_cancelled:
        raise ValidationError(
            _("This meeting is cancelled: there is nothing to answer any more.")
        )
    if invitation.meeting.has_started:
        raise ValidationError(
            _("The meeting has already started: the answers can no longer change.")
        )
    if not invitation.coordinator.is_active:
        raise ValidationError(
            _("You are no longer a coordinator, so this invitation has lapsed.")
        )
    invitation.response = answer
    invitation.responded_at = timezone.now()
    invitation.full_clean()
    invitation.save(update_fields=["response", "responded_at"])
    logger.info(
        "meeting invitation answered invitation=%s meeting=%s response=%s",
        invitation.pk,
        invitation.meeting_id,
        answer,
    )
    return invitation


@dataclass(frozen=True)
class Changes:
    """What changed in a meeting that its invited coordinators must know."""

    title: bool = False
    time: bool = False
    place: bool = False
    agenda: bool = False
    # The time or place moved so that an earlier "yes" or "no" may no longer
    # hold: a later start or end, another day, another place.
    asks_again: bool = False

    def __bool__(self) -> bool:
        return self.title or self.time or self.place or self.agenda


def _changes(before: Meeting, after: Meeting) -> Changes:
    time = before.starts_at != after.starts_at or before.end != after.end
    place = before.location != after.location
    return Changes(
        title=before.display_title != after.display_title,
        time=time,
        place=place,
        agenda=before.agenda != after.agenda,
        # An end moved earlier keeps everyone's answer; any other move of the
        # time, or another place, asks again.
        asks_again=place
        or before.starts_at != after.starts_at
        or after.end > before.end,
    )


@dataclass(frozen=True)
class MeetingSaved:
    """What ``save_meeting`` did; ``told`` coordinators got the update."""

    meeting: Meeting
    changes: Changes
    told: int = 0
    answers_cleared: int = 0


def _invitations_to_tell(meeting: Meeting):
    return (
        MeetingInvitation.objects.to_tell()
        .filter(meeting=meeting)
        .select_related("coordinator", "meeting__zone")
        .order_by("pk")
    )


def _send_update(
    meeting: Meeting,
    invitations,
    *,
    ics: bytes,
    changes: Changes,
    before: Meeting | None = None,
) -> int:
    count = 0
    for invitation in invitations:
        invitation.meeting = meeting
        _queue_meeting_mail(
            invitation,
            ics,
            template="meeting_update",
            context={"before": before, "changes": changes},
        )
        invitation.save(update_fields=["sequence_sent"])
        count += 1
    return count


def _clear_answers(meeting: Meeting) -> int:
    # Row by row, for the audit log: the answers are few.
    answered = meeting.invitations.select_for_update().exclude(response="")
    count = 0
    for invitation in answered:
        invitation.response = ""
        invitation.responded_at = None
        invitation.save(update_fields=["response", "responded_at"])
        count += 1
    return count


@transaction.atomic
def save_meeting(meeting: Meeting) -> MeetingSaved:
    """Save a new or changed meeting; tell those invited what changed.

    A change of title, time, place or agenda raises the SEQUENCE and, before
    the meeting starts, mails the update to every invited active coordinator.
    A change of time or place clears the answers, and the mail asks again.
    """
    if meeting.pk is None:
        meeting.full_clean()
        meeting.save()
        logger.info("meeting saved pk=%s zone=%s", meeting.pk, meeting.zone_id)
        return MeetingSaved(meeting=meeting, changes=Changes())
    before = _locked_meeting(meeting)
    if before.is_cancelled:
        raise ValidationError(_("This meeting is cancelled: it can no longer change."))
    if before.zone_id != meeting.zone_id and before.invitations.exists():
        raise ValidationError(
            {"zone": _("The coordinators of the zone are invited: it cannot change.")}
        )
    # What the form cannot set stays as the database has it.
    meeting.sequence = before.sequence
    meeting.cancelled_at = before.cancelled_at
    changes = _changes(before, meeting)
    if changes:
        meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    told = cleared = 0
    if changes and not meeting.has_started:
        if changes.asks_again:
            cleared = _clear_answers(meeting)
        told = _send_update(
            meeting,
            _invitations_to_tell(meeting),
            ics=_current_ics(meeting),
            changes=changes,
            before=before,
        )
    logger.info(
        "meeting saved pk=%s zone=%s sequence=%s told=%s answers_cleared=%s",
        meeting.pk,
        meeting.zone_id,
        meeting.sequence,
        told,
        cleared,
    )
    return MeetingSaved(
        meeting=meeting, changes=changes, told=told, answers_cleared=cleared
    )


def _send_cancel(meeting: Meeting) -> int:
    ics = _current_ics(meeting)
    count = 0
    for invitation in _invitations_to_tell(meeting):
        invitation.meeting = meeting
        _queue_meeting_mail(invitation, ics, template="meeting_cancelled")
        invitation.save(update_fields=["sequence_sent"])
        count += 1
    return count


def _mark_cancelled(meeting: Meeting) -> None:
    meeting.cancelled_at = timezone.now()
    meeting.sequence += 1
    meeting.full_clean()
    meeting.save(update_fields=["cancelled_at", "sequence"])


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, by: AbstractBaseUser | AnonymousUser) -> int:
    """Cancel the meeting and mail the CANCEL to those invited; return how many.

    The meeting and its invitations are kept: the page of an invitation says
    the meeting is cancelled, and nobody answers any more.
    """
    meeting = _locked_meeting(meeting)
    if not meeting.can_be_managed_by(by):
        raise PermissionDenied
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is already cancelled."))
    if meeting.has_started:
        raise ValidationError(
            _("This meeting has already started: it can no longer be cancelled.")
        )
    _mark_cancelled(meeting)
    told = _send_cancel(meeting)
    logger.info(
        "meeting cancelled meeting=%s sequence=%s told=%s by=%s",
        meeting.pk,
        meeting.sequence,
        told,
        by.pk,
    )
    return told


@dataclass(frozen=True)
class MeetingsDeleted:
    rows: int
    told: int


@transaction.atomic
def delete_meetings(meetings: QuerySet[Meeting]) -> MeetingsDeleted:
    """Delete these meetings with their invitations.

    A meeting still to come that had invitations is cancelled first, so the
    coordinators' calendars drop it: the CANCEL is queued before the rows go.
    """
    told = 0
    locked = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("zone")
        .filter(pk__in=meetings.values("pk"))
        .order_by("pk")
    )
    for meeting in locked:
        if (
            not meeting.is_cancelled
            and not meeting.has_started
            and meeting.invitations.exists()
        ):
            _mark_cancelled(meeting)
            told += _send_cancel(meeting)
    rows, _by_model = Meeting.objects.filter(
        pk__in=[meeting.pk for meeting in locked]
    ).delete()
    logger.info("meetings deleted rows=%s told=%s", rows, told)
    return MeetingsDeleted(rows=rows, told=told)
