"""Meetings (overleg) of a zone's coordinators and their invitations.

The zone's staff create a meeting in the admin and then invite:
``invite_coordinators`` gives every active coordinator of the zone who has no
invitation yet a MeetingInvitation and queues them an e-mail with the meeting
as a calendar file (``meeting_ics``) and two signed links, "I will come" and
"I cannot come". Running it again after coordinators joined invites only
them; once the meeting has started nobody is invited any more.

An invitation starts unanswered (blank response). A link from the e-mail
opens a page (``invitation_from_link``) that only shows the meeting: mail
scanners follow links, so the answer is recorded by the POST of that page,
through ``respond_to_invitation``. The coordinator may change their answer
until the meeting starts; from then on it stays as it is. Staff read the
answers on the meeting in the admin.
"""

import logging
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


def response_link(
    invitation: MeetingInvitation, *, answer: MeetingResponse | None = None
) -> str:
    """The invitation's page; with an answer, that answer is preselected."""
    url = signed_url("groups:meeting-response", invitation.pk, salt=RESPONSE_SALT)
    if answer is not None:
        url += f"?antwoord={ANSWER_WORDS[answer]}"
    return url


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
    """The meeting as an iCalendar file that any agenda can import."""
    # The portal's time zone (Europe/Brussels), in which staff typed the times.
    local = timezone.get_default_timezone()
    start = timezone.localtime(meeting.starts_at, local)
    end = timezone.localtime(meeting.end, local)
    organizer = icalendar.vCalAddress(f"mailto:{meeting.zone.email}")
    organizer.params["CN"] = meeting.zone.name
    event = icalendar.Event.new(
        uid=_uid(meeting),
        start=start,
        end=end,
        summary=meeting.display_title,
        location=meeting.location,
        description=meeting.agenda or None,
        organizer=organizer,
    )
    # PUBLISH, not REQUEST: the answer is given through the portal's links,
    # not by a reply from the mail program that nobody would read.
    calendar = icalendar.Calendar.new(
        prodid="-//WABP portal//Meetings//NL",
        method="PUBLISH",
        uid=_uid(meeting),
        subcomponents=[event],
    )
    # Only the rules around the meeting, not every change since 1970.
    calendar.add_missing_timezones(
        first_date=start.date() - timedelta(days=366),
        last_date=end.date() + timedelta(days=366),
    )
    return calendar.to_ical()


def _queue_invitation_mail(invitation: MeetingInvitation, ics: bytes) -> None:
    meeting = invitation.meeting
    queue_mail(
        to=[invitation.coordinator.email],
        template="groups/email/meeting_invitation",
        context={
            "coordinator": invitation.coordinator,
            "meeting": meeting,
            "yes_url": response_link(invitation, answer=MeetingResponse.YES),
            "no_url": response_link(invitation, answer=MeetingResponse.NO),
            "ics_filename": ICS_FILENAME,
        },
        language=settings.LANGUAGE_CODE,
        zone=meeting.zone,
        attachments={
            ICS_FILENAME: {"file": ContentFile(ics), "mimetype": "text/calendar"}
        },
    )


@transaction.atomic
def invite_coordinators(
    meeting: Meeting, *, by: AbstractBaseUser | AnonymousUser
) -> int:
    """Invite the zone's active coordinators not invited yet; return how many."""
    # The lock makes a second click wait and then find everyone invited.
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("zone")
        .get(pk=meeting.pk)
    )
    if not meeting.can_be_managed_by(by):
        raise PermissionDenied
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
    # In the language of the mail it goes with, whoever clicked.
    with translation.override(settings.LANGUAGE_CODE):
        ics = meeting_ics(meeting)
    count = 0
    for coordinator in coordinators:
        invitation = MeetingInvitation(meeting=meeting, coordinator=coordinator)
        invitation.full_clean()
        invitation.save()
        _queue_invitation_mail(invitation, ics)
        count += 1
    logger.info(
        "meeting invitations sent meeting=%s count=%s by=%s", meeting.pk, count, by.pk
    )
    return count


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


@transaction.atomic
def save_meeting(meeting: Meeting) -> Meeting:
    """Save a new or changed meeting (staff create it, then invite)."""
    meeting.full_clean()
    meeting.save()
    logger.info("meeting saved pk=%s zone=%s", meeting.pk, meeting.zone_id)
    return meeting


@transaction.atomic
def delete_meetings(meetings: QuerySet[Meeting]) -> int:
    """Delete these meetings with their invitations; return rows deleted."""
    deleted, _by_model = meetings.delete()
    logger.info("meetings deleted rows=%s", deleted)
    return deleted
