"""Digests and reminders for coordinators, run daily from cron."""

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from groups.constants import NotificationMode
from groups.models import (
    Coordinator,
)
from wabp_portal.db import insert_unless_conflict

from .. import notifications
from ..constants import ReminderKind
from ..models import Reminder, Signup

logger = logging.getLogger(__name__)


def send_coordinator_reminders(*, now: datetime | None = None) -> int:
    """Send today's digests and reminders; return how many mails were queued.

    At most one mail of each kind per coordinator per day (a unique
    constraint on Reminder), so running the command twice sends nothing more.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    pending_before = now - timedelta(days=settings.REMINDER_PENDING_DAYS)
    not_added_before = now - timedelta(days=settings.REMINDER_NOT_ADDED_DAYS)
    sent = 0
    coordinators = Coordinator.objects.active().filter(user__isnull=False)
    for coordinator in coordinators.select_related("zone"):
        groups = coordinator.groups.filter(is_active=True)
        signups = Signup.objects.filter(group__in=groups)
        checks = [
            (
                ReminderKind.PENDING,
                signups.pending().filter(confirmed_at__lt=pending_before),
            ),
            (
                ReminderKind.NOT_ADDED,
                signups.members().filter(
                    added_to_whatsapp_at__isnull=True, decided_at__lt=not_added_before
                ),
            ),
        ]
        if coordinator.notification_mode == NotificationMode.DIGEST:
            checks.insert(
                0,
                (
                    ReminderKind.DIGEST,
                    signups.pending().filter(confirmed_at__gte=now - timedelta(days=1)),
                ),
            )
        for kind, queryset in checks:
            rows = list(
                queryset.values("group__name")
                .annotate(count=Count("pk"), oldest=Min("confirmed_at"))
                .order_by("group__name")
            )
            if rows and _send_reminder(coordinator, kind, today, rows=rows):
                sent += 1
    logger.info("coordinator reminders queued=%s", sent)
    return sent


@transaction.atomic
def _send_reminder(coordinator: Coordinator, kind: str, day: date, *, rows) -> bool:
    """Record today's reminder and queue its mail, both or neither.

    False when it was sent already today (by an earlier or a parallel run:
    the unique constraint on Reminder decides, without a failing statement).
    """
    reminder = Reminder(coordinator=coordinator, kind=kind, day=day)
    reminder.full_clean(validate_unique=False, validate_constraints=False)
    if not insert_unless_conflict(reminder):
        return False
    notifications.send_coordinator_summary(coordinator, f"reminder_{kind}", rows=rows)
    return True
