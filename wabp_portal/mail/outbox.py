"""Send the mail outbox: every mail at least once, a duplicate as rarely as can be.

django-post-office keeps the outbox (``wabp_portal.mail.queue`` queues into
it), but its own ``send_queued`` reads the queue without locking it, so two
workers would send the same mail twice, and it retries at a fixed interval.
Here:

- a worker **claims one mail at a time** in a short transaction: the row is
  locked with ``select_for_update(skip_locked=True)``, so a second worker
  skips it rather than waiting, and its ``scheduled_time`` moves
  ``MAIL_LEASE_SECONDS`` ahead (the lease), so no other worker takes it while
  it is being sent;
- a mail the server accepted is marked sent straight away, in a statement of
  its own. A worker killed between the two leaves that one mail, and only it,
  to be sent again when its lease runs out: delivery is at least once, and a
  repeat carries the mail's own ``Message-ID`` (stored at queue time), so a
  mail program can recognise it. A worker that loses the database between the
  two keeps the mail's number and marks it as soon as the database is back
  (``NotMarked``, ``mark_sent``);
- each mail's outcome is written as soon as it is known: sent, or retried
  after ``MAIL_RETRY_BASE_SECONDS`` doubling at each failure (at most
  ``MAIL_RETRY_MAX_SECONDS``), or given up after ``MAIL_MAX_ATTEMPTS``
  attempts or a permanent refusal. Given-up mails are listed for staff
  (``wabp_portal.mail.models.UndeliveredMail``) and counted by ``/healthz``;
- a mail queued to be rendered later (``queue.render_queued``) is rendered
  once claimed, and its text stored before it is sent, so a repeat sends the
  same text. One that cannot be rendered (what it was about is gone, or a
  template is broken) is given up at once, never sent half-made, and logged
  by number and error class only;
- when the mail server cannot be reached at all, the round stops at that
  mail and leaves the rest untouched: an outage costs one attempt a round;
- every worker round ends with a heartbeat (``beat``), which ``/healthz``
  reports: a worker that died or cannot work is noticed within a minute.

The loop around all this, which survives every error, is ``wabp_portal.mail.worker``.
"""

import logging
import smtplib
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Now
from django.utils import timezone
from post_office.connections import connections
from post_office.models import STATUS, Email, Log
from post_office.settings import get_message_id_fqdn

from ..db import insert_unless_conflict
from ..models import Heartbeat
from . import queue

logger = logging.getLogger(__name__)

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


def lease() -> timedelta:
    """How long a claimed mail is left to its worker before another may take it."""
    return timedelta(seconds=settings.MAIL_LEASE_SECONDS)


def claim() -> Email | None:
    """Take the next due mail for this worker alone (None: nothing is due)."""
    # On PostgreSQL, workers claiming at the same moment lock different rows
    # (skip_locked) and never wait for each other. SQLite has no row locks,
    # but runs one write at a time: the update below only takes the row if it
    # is still due, and when another worker was quicker we look again.
    while True:
        with transaction.atomic():
            pk = (
                due()
                .order_by("-priority", "pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)
                .first()
            )
            if pk is None:
                return None
            now = timezone.now()
            taken = (
                due()
                .filter(pk=pk)
                .update(scheduled_time=now + lease(), last_updated=now)
            )
            if not taken:
                continue
            email = (
                Email.objects.select_related("template")
                .prefetch_related("attachments")
                .get(pk=pk)
            )
            if not email.message_id:
                # Queued without one (before Message-IDs were stored): it gets
                # its Message-ID now, so that a repeat carries the same.
                email.message_id = make_msgid(domain=get_message_id_fqdn())
                Email.objects.filter(pk=pk).update(message_id=email.message_id)
        return email


class NotMarked(Exception):
    """The server accepted a mail, then the database failed to record it."""

    def __init__(self, pk: int) -> None:
        super().__init__(pk)
        self.pk = pk


def mark_sent(pks: Iterable[int]) -> None:
    Email.objects.filter(pk__in=list(pks)).update(
        status=STATUS.sent, last_updated=timezone.now()
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


def send_next() -> Round:
    """Claim the next due mail and send it; ``claimed`` is 0 when none was due.

    Raises ``NotMarked`` when the mail went out but could not be marked sent,
    and the database's own error when it fails anywhere else. The caller
    closes the mail server's connection (``connections.close()``) when done.
    """
    email = claim()
    if email is None:
        return Round()
    result = Round(claimed=1)
    if queue.is_unrendered(email):
        try:
            render(email)
        except DatabaseError:
            raise
        except Exception as error:  # whatever broke, this mail is not sent
            _give_up_unrendered(email, error, result)
            return result
    try:
        email.dispatch(commit=False, disconnect_after_delivery=False)
    except Exception as error:  # any failure is recorded and retried
        _record_failure(email, error, result)
        result.unreachable = isinstance(error, UNREACHABLE)
        return result
    try:
        mark_sent([email.pk])
    except DatabaseError as error:
        raise NotMarked(email.pk) from error
    result.sent = 1
    return result


def render(email: Email) -> None:
    """Render a deferred mail and store its text (the lease keeps it ours)."""
    queue.render_queued(email)
    Email.objects.filter(pk=email.pk).update(
        subject=email.subject,
        message=email.message,
        html_message=email.html_message,
        context=None,
        last_updated=timezone.now(),
    )


def _give_up_unrendered(email: Email, error: Exception, result: Round) -> None:
    # The error's class only: its text may quote what the mail would say.
    logger.warning("mail %s not rendered, given up: %s", email.pk, type(error).__name__)
    result.failed += 1
    Email.objects.filter(pk=email.pk).update(
        status=STATUS.failed,
        number_of_retries=(email.number_of_retries or 0) + 1,
        scheduled_time=None,
        last_updated=timezone.now(),
    )
    Log.objects.create(
        email=email,
        status=STATUS.failed,
        message="not rendered",
        exception_type=type(error).__name__,
    )


def send_all() -> Round:
    """Send, one mail at a time, until nothing is due (or the server is gone)."""
    total = Round()
    try:
        while True:
            result = send_next()
            total.add(result)
            if not result.claimed or result.unreachable:
                return total
    finally:
        connections.close()


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


# The heartbeat of the mail workers: one row, rewritten by every worker round.
HEARTBEAT = "mail_worker"


def beat() -> None:
    """Record that a mail worker has just finished a round (database clock)."""
    if not Heartbeat.objects.filter(name=HEARTBEAT).update(beaten_at=Now()):
        insert_unless_conflict(Heartbeat(name=HEARTBEAT, beaten_at=Now()))


def heartbeat_age() -> timedelta | None:
    """How long ago a mail worker last finished a round (None: never)."""
    row = (
        Heartbeat.objects.filter(name=HEARTBEAT)
        .annotate(now=Now())
        .values_list("beaten_at", "now")
        .first()
    )
    if row is None:
        return None
    beaten_at, now = row
    return max(now - beaten_at, timedelta(0))
