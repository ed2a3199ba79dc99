"""Meetings (overleg) of a zone's coordinators and their invitations."""

import secrets
from datetime import datetime
from typing import Self

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..constants import MEETING_DEFAULT_DURATION, MEETING_DEFAULT_TITLE, MeetingResponse
from .coordinators import Coordinator
from .scope import AnyUser, ZoneAudited, is_active_superuser
from .zones import PoliceZone

# Minutes are a few pages of PDF; a scan of many pages stays under this.
MINUTES_MAX_BYTES = 10 * 1024 * 1024


def minutes_path(meeting: "Meeting", filename: str) -> str:
    """A name nobody guesses: minutes are served only through a scoped view
    (``groups.views.MeetingMinutesView``), never from a public media URL."""
    return f"meeting-minutes/{secrets.token_urlsafe(16)}.pdf"


def validate_minutes_file(file) -> None:
    """A PDF (by its first bytes, not only its name) of at most MINUTES_MAX_BYTES."""
    if file.size > MINUTES_MAX_BYTES:
        raise ValidationError(
            _("The minutes may be at most %(size)s MB; this file is larger.")
            % {"size": MINUTES_MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    if not str(getattr(file, "name", "")).lower().endswith(".pdf"):
        return  # FileExtensionValidator says so, once.
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    start = file.read(5)
    file.seek(position)
    if start != b"%PDF-":
        raise ValidationError(
            _("This file is not a PDF. Save the minutes as PDF and upload that."),
            code="not_pdf",
        )


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user: AnyUser) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_active_superuser(user):
            return self.all()
        return self.filter(zone__in=PoliceZone.objects.visible_to(user).values("pk"))


class Meeting(ZoneAudited, models.Model):
    """A meeting (overleg) of the coordinators of a zone."""

    zone = models.ForeignKey(
        PoliceZone,
        verbose_name=_("police zone"),
        related_name="meetings",
        on_delete=models.CASCADE,
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty for the usual title."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(
        _("ends at"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a meeting of two hours."),
    )
    location = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    # RFC 5545's SEQUENCE: raised by every change calendars must follow, so a
    # calendar that holds an older version of the event replaces it.
    sequence = models.PositiveIntegerField(_("version"), default=0, editable=False)
    # Cancelled, not deleted: the invitations stay, and so does the UID the
    # CANCEL needs.
    cancelled_at = models.DateTimeField(
        _("cancelled at"), null=True, blank=True, editable=False
    )
    minutes = models.FileField(
        _("minutes"),
        upload_to=minutes_path,
        blank=True,
        validators=[
            FileExtensionValidator(
                ["pdf"],
                message=_(
                    "This file is not a PDF. Save the minutes as PDF and upload that."
                ),
            ),
            validate_minutes_file,
        ],
        help_text=_("A PDF of at most 10 MB."),
    )
    minutes_uploaded_at = models.DateTimeField(
        _("minutes uploaded"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone} — {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(
                {"ends_at": _("The meeting must end after it starts.")}
            )

    @property
    def display_title(self) -> str:
        return self.title or str(MEETING_DEFAULT_TITLE)

    @property
    def end(self) -> datetime:
        return self.ends_at or self.starts_at + MEETING_DEFAULT_DURATION

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def minutes_visible_to(self, user: AnyUser) -> bool:
        """The zone's staff, and the coordinators invited to it (while active)."""
        if not user.is_authenticated or not user.is_active:
            return False
        if self.can_be_managed_by(user):
            return True
        return MeetingInvitation.objects.filter(
            meeting=self, coordinator__user=user.pk, coordinator__is_active=True
        ).exists()

    def can_be_managed_by(self, user: AnyUser) -> bool:
        """Superusers and the zone's own staff invite to it; nobody else."""
        if not user.is_authenticated or not user.is_active:
            return False
        if user.is_superuser:
            return True
        return PoliceZone.staff.through.objects.filter(
            policezone=self.zone_id, user=user.pk
        ).exists()


class MeetingInvitationQuerySet(models.QuerySet["MeetingInvitation"]):
    def visible_to(self, user: AnyUser) -> Self:
        """The zone's staff see every invitation; a coordinator only their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_active_superuser(user):
            return self.all()
        staff_zones = PoliceZone.objects.filter(staff=user).values("pk")
        return self.filter(
            Q(meeting__zone__in=staff_zones)
            | Q(coordinator__user=user, coordinator__is_active=True)
        )

    def to_tell(self) -> Self:
        """The invitations whose coordinator still is one: they hear of changes.

        A coordinator who stopped is told nothing more about the meeting; their
        invitation lapsed with their role.
        """
        return self.filter(coordinator__is_active=True)


class MeetingInvitation(ZoneAudited, models.Model):
    """A coordinator invited to a meeting, and their answer (blank: none yet)."""

    audit_zone_path = "meeting.zone_id"

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        related_name="invitations",
        on_delete=models.CASCADE,
    )
    coordinator = models.ForeignKey(
        Coordinator,
        verbose_name=_("coordinator"),
        related_name="meeting_invitations",
        on_delete=models.CASCADE,
    )
    response = models.CharField(
        _("answer"),
        max_length=3,
        choices=MeetingResponse.choices,
        blank=True,
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # Recorded by staff once the meeting started; blank: not recorded.
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    # The meeting's ``sequence`` this coordinator was last mailed: behind it,
    # their calendar holds an older version and "invite all" sends the update.
    sequence_sent = models.PositiveIntegerField(
        _("version sent"), default=0, editable=False
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    objects = MeetingInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting invitation")
        verbose_name_plural = _("meeting invitations")
        ordering = ["coordinator__last_name", "coordinator__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "coordinator"],
                name="unique_invitation_per_meeting_coordinator",
                violation_error_message=_(
                    "This coordinator is already invited to the meeting."
                ),
            ),
            models.CheckConstraint(
                condition=Q(response="") | Q(response__in=MeetingResponse.values),
                name="meeting_invitation_response_valid",
            ),
            models.CheckConstraint(
                condition=Q(response="", responded_at__isnull=True)
                | (~Q(response="") & Q(responded_at__isnull=False)),
                name="meeting_invitation_answer_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coordinator} — {self.meeting}"

    def clean(self) -> None:
        if (
            self.meeting_id
            and self.coordinator_id
            and self.meeting.zone_id != self.coordinator.zone_id
        ):
            raise ValidationError(
                {"coordinator": _("The coordinator belongs to another zone.")}
            )
