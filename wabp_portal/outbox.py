"""Send the mail outbox: each mail once, whatever runs at the same time.

django-post-office keeps the outbox (``wabp_portal.mail`` queues into it), but
its own ``send_queued`` reads the queue without locking it, so two workers
would send the same mail twice, and it retries at a fixed interval. Here:

- a worker **claims** a batch in a short transaction: the rows are locked with
  ``select_for_update(skip_locked=True)``, so a second worker skips them
  rather than waiting, and their ``scheduled_time`` moves ``LEASE`` ahead,
  so no other worker takes them while they are being sent. A worker that dies
  mid-batch leaves its mails to be retried when the lease runs out;
- each mail's outcome is written as soon as it is known: sent, or retried
  after ``MAIL_RETRY_BASE_SECONDS`` doubling at each failure (at most
  ``MAIL_RETRY_MAX_SECONDS``), or given up after ``MAIL_MAX_ATTEMPTS``
  attempts or a permanent refusal. Given-up mails are listed for staff
  (``registrations.UndeliveredMail``) and counted by ``/healthz``;
- when the mail server cannot be reached at all, the round stops at the first
  mail and puts the rest back untouched: an outage costs one attempt a round.
"""

import logging
import secrets
import smtplib
import socket
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from post_office.connections import connections
from post_office.models import STATUS, Email, Log

logger = logging.getLogger(__name__)

# How long a claimed mail is left to its worker before another may take it.
LEASE = timedelta(minutes=15)
UNSENT = (STATUS.queued, STATUS.requeued)
# The mail server is not there: no point trying the rest of the batch now.
UNREACHABLE = (
    ConnectionError,
    socket.timeout,
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
)


@dataclass
class Round:
    """What one round of the worker did."""

    sent: int = 0
    requeued: int = 0
    failed: int = 0
    claimed: int = 0
    # The mail server could not be reached: the rest waits for the next round.
    unreachable: bool = False

    def add(self, other: "Round") -> None:
        self.sent += other.sent
        self.requeued += other.requeued
        self.failed += other.failed
        self.claimed += other.claimed
        self.unreachable = other.unreachable


def unsent() -> QuerySet[Email]:
    """Mails still to be sent, due or not."""
    return Email.objects.filter(status__in=UNSENT)


def due() -> QuerySet[Email]:
    now = timezone.now()
    return unsent().filter(
        Q(scheduled_time__isnull=True) | Q(scheduled_time__lte=now),
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
    )


def claim(size: int) -> list[Email]:
    """Take up to ``size`` due mails for this worker alone."""
    # On PostgreSQL, workers claiming at the same moment lock different rows
    # (skip_locked) and never wait for each other. SQLite has no row locks,
    # but runs one write at a time, and the update below only takes rows that
    # are still due; the lease time of this claim, random to the microsecond,
    # then tells which rows this worker got.
    jitter = timedelta(microseconds=secrets.randbelow(10**6))
    lease_until = timezone.now() + LEASE + jitter
    with transaction.atomic():
        pks = list(
            due()
            .order_by("-priority", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:size]
        )
        if not pks:
            return []
        due().filter(pk__in=pks).update(
            scheduled_time=lease_until, last_updated=timezone.now()
        )
    return list(
        Email.objects.filter(pk__in=pks, scheduled_time=lease_until)
        .select_related("template")
        .prefetch_related("attachments")
        .order_by("-priority", "pk")
    )


def retry_delay(attempt: int) -> timedelta:
    """The wait after the ``attempt``-th failure: doubling, up to a maximum."""
    seconds = settings.MAIL_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0)
    return timedelta(seconds=min(seconds, settings.MAIL_RETRY_MAX_SECONDS))


def is_permanent(error: Exception) -> bool:
    """The server refused every recipient for good (5xx): retrying cannot help."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _message in error.recipients.values()
    )


def send_round(size: int = 50) -> Round:
    """Claim a batch and send it; return what happened."""
    emails = claim(size)
    result = Round(claimed=len(emails))
    try:
        for index, email in enumerate(emails):
            try:
                email.dispatch(commit=False, disconnect_after_delivery=False)
            except Exception as error:  # any failure is recorded and retried
                _record_failure(email, error, result)
                if isinstance(error, UNREACHABLE):
                    result.unreachable = True
                    _put_back(emails[index + 1 :], after=retry_delay(1))
                    break
            else:
                Email.objects.filter(pk=email.pk).update(
                    status=STATUS.sent, last_updated=timezone.now()
                )
                result.sent += 1
    finally:
        connections.close()
    return result


def send_all(size: int = 50) -> Round:
    """Send rounds until nothing due is left (or the mail server is gone)."""
    total = Round()
    while True:
        result = send_round(size)
        total.add(result)
        if result.claimed < size or result.unreachable:
            return total


def _record_failure(email: Email, error: Exception, result: Round) -> None:
    attempt = (email.number_of_retries or 0) + 1
    now = timezone.now()
    if is_permanent(error) or attempt >= settings.MAIL_MAX_ATTEMPTS:
        status, scheduled_time = STATUS.failed, None
        result.failed += 1
        logger.warning(
            "mail %s given up after %s attempts: %s",
            email.pk,
            attempt,
            type(error).__name__,
        )
    else:
        status, scheduled_time = STATUS.requeued, now + retry_delay(attempt)
        result.requeued += 1
        logger.info(
            "mail %s not sent (attempt %s), retried in %s: %s",
            email.pk,
            attempt,
            retry_delay(attempt),
            type(error).__name__,
        )
    Email.objects.filter(pk=email.pk).update(
        status=status,
        number_of_retries=attempt,
        scheduled_time=scheduled_time,
        last_updated=now,
    )
    Log.objects.create(
        email=email,
        status=STATUS.failed,
        message=str(error)[:1000],
        exception_type=type(error).__name__,
    )


def _put_back(emails: list[Email], *, after: timedelta) -> None:
    """Release claimed mails that were not tried, without counting an attempt."""
    if emails:
        Email.objects.filter(pk__in=[email.pk for email in emails]).update(
            scheduled_time=timezone.now() + after, last_updated=timezone.now()
        )


def send_again(emails: QuerySet[Email]) -> int:
    """Queue given-up mails once more, with a fresh count of attempts."""
    return emails.filter(status=STATUS.failed).update(
        status=STATUS.queued,
        number_of_retries=0,
        scheduled_time=None,
        last_updated=timezone.now(),
    )


def oldest_unsent_age() -> timedelta | None:
    """How long the oldest mail not yet sent has been waiting (None: none)."""
    oldest = unsent().order_by("created").values_list("created", flat=True).first()
    return timezone.now() - oldest if oldest else None
