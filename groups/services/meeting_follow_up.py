"""After a meeting: who attended, and its minutes.

Once a meeting has started, the zone's staff record per invitation whether
the coordinator attended (``record_attendance``: the ticked ones attended,
the others did not) and upload the minutes as a PDF (``save_minutes``),
optionally mailing every invited coordinator (still active) that they are
available, one mail each, with a link to their meetings page in the portal.
The minutes are stored under a random name outside the folders the web
server publishes, and served only through ``groups.views.MeetingMinutesView``
to the zone's staff and to the coordinators invited to the meeting
(``Meeting.minutes_visible_to``). A cancelled meeting has no follow-up.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wabp_portal.mail.queue import queue_mail

from ..models import Meeting, MeetingInvitation

logger = logging.getLogger(__name__)


def _meeting_to_follow_up(
    meeting: Meeting, by: AbstractBaseUser | AnonymousUser
) -> Meeting:
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("zone")
        .get(pk=meeting.pk)
    )
    if not meeting.can_be_managed_by(by):
        raise PermissionDenied
    if meeting.is_cancelled:
        raise ValidationError(
            _("This meeting was cancelled: there is no attendance or minutes.")
        )
    if not meeting.has_started:
        raise ValidationError(
            _(
                "The meeting has not started yet: attendance and minutes are "
                "recorded once it has."
            )
        )
    return meeting


@transaction.atomic
def record_attendance(
    meeting: Meeting,
    *,
    present: Iterable[int],
    by: AbstractBaseUser | AnonymousUser,
) -> int:
    """Mark the invitations in ``present`` attended and the others not; return
    how many attended."""
    meeting = _meeting_to_follow_up(meeting, by)
    present = set(present)
    invitations = MeetingInvitation.objects.filter(meeting=meeting)
    unknown = present - set(invitations.values_list("pk", flat=True))
    if unknown:
        raise ValidationError(_("Tick only coordinators invited to this meeting."))
    attended = invitations.filter(pk__in=present).update(attended=True)
    invitations.exclude(pk__in=present).update(attended=False)
    logger.info(
        "meeting attendance recorded meeting=%s attended=%s by=%s",
        meeting.pk,
        attended,
        by.pk,
    )
    return attended


@transaction.atomic
def save_minutes(
    meeting: Meeting,
    *,
    file: UploadedFile,
    by: AbstractBaseUser | AnonymousUser,
    notify: bool = False,
) -> int:
    """Store the minutes (a PDF); with ``notify`` mail the invited coordinators
    that they are available. Return how many were mailed."""
    meeting = _meeting_to_follow_up(meeting, by)
    previous = meeting.minutes.name if meeting.minutes else ""
    meeting.minutes = file
    meeting.minutes_uploaded_at = timezone.now()
    meeting.full_clean()
    meeting.save(update_fields=["minutes", "minutes_uploaded_at"])
    if previous:
        storage = meeting.minutes.storage
        # The file of the replaced minutes goes once the new ones are stored.
        transaction.on_commit(lambda: storage.delete(previous))
    told = _tell_minutes(meeting) if notify else 0
    logger.info(
        "meeting minutes saved meeting=%s told=%s by=%s", meeting.pk, told, by.pk
    )
    return told


def _tell_minutes(meeting: Meeting) -> int:
    url = settings.SITE_URL + reverse("my-meetings")
    told = 0
    invitations = (
        MeetingInvitation.objects.to_tell()
        .filter(meeting=meeting)
        .select_related("coordinator")
        .order_by("pk")
    )
    for invitation in invitations:
        queue_mail(
            to=[invitation.coordinator.email],
            template="groups/email/meeting_minutes",
            context={
                "coordinator": invitation.coordinator,
                "meeting": meeting,
                "meetings_url": url,
            },
            language=settings.LANGUAGE_CODE,
            zone=meeting.zone,
        )
        told += 1
    return told
