"""The mail worker's loop: it lives through every error but a kill.

``manage.py mail_worker`` runs it. Each round sends what is due, one mail at
a time (``wabp_portal.mail.outbox``), then writes the heartbeat ``/healthz``
reports. A round that fails, whatever the reason (the database cut off or
restarted, SQLite's "database is locked", a bug), is logged and tried again
after a pause that starts at ``FIRST_PAUSE`` and doubles up to
``LONGEST_PAUSE``; the database connections are closed first, so the next
round opens fresh ones. The log names the error's class and where it was
raised, never its text: a database error quotes the values of the statement
that failed.

Only a kill stops it: SIGTERM (a deploy, ``systemctl stop``) ends it after
the mail in hand, SIGKILL at once. A mail that was sent but not yet marked
sent when the process died goes out once more when its lease runs out
(``MAIL_LEASE_SECONDS``): delivery is at least once.
"""

import logging
import time
import traceback
from collections.abc import Callable

from django import db
from post_office.connections import connections as mail_connections

from . import outbox

logger = logging.getLogger(__name__)

# The pause after the first failed round, doubling after each next one.
FIRST_PAUSE = 1.0
LONGEST_PAUSE = 60.0
# During a long run of mails, the heartbeat is written this often (seconds).
BEAT_EVERY = 10.0
# Sleep in slices this long, so a SIGTERM stops the worker at once.
SLICE = 0.2


class RoundFailed(Exception):
    """A round failed; the message names the error's class, nothing more."""


def pause_after(failures: int) -> float:
    """The pause after ``failures`` failed rounds in a row: doubling, capped."""
    return min(FIRST_PAUSE * 2 ** max(failures - 1, 0), LONGEST_PAUSE)


def describe(error: BaseException) -> str:
    """The error's class and the line that raised it: no values, no text."""
    name = type(error).__name__
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return name
    last = frames[-1]
    return f"{name} at {last.filename}:{last.lineno} in {last.name}"


class MailWorker:
    def __init__(
        self,
        *,
        interval: float = 5.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = interval
        self.running = True
        # Failed rounds in a row.
        self.failures = 0
        # Mails the server accepted that could not be marked sent yet.
        self.unmarked: set[int] = set()
        self._sleep = sleep
        self._clock = clock
        self._last_beat = clock()

    def stop(self, *_signal) -> None:
        """Stop after the mail in hand (a SIGTERM handler)."""
        self.running = False

    def run(self, *, once: bool = False) -> None:
        """Send rounds until stopped; with ``once``, one round (errors raise)."""
        while self.running:
            try:
                result = self.round()
            except Exception as error:  # whatever it is, the worker carries on
                self.failures += 1
                pause = pause_after(self.failures)
                _close_database_connections()
                logger.error(
                    "mail worker: round failed (%s), %s in a row; next try in %.0f s",
                    describe(error),
                    self.failures,
                    pause,
                )
                if once:
                    raise RoundFailed(type(error).__name__) from None
                self.wait(pause)
                continue
            if self.failures:
                logger.info(
                    "mail worker: working again after %s failed rounds", self.failures
                )
                self.failures = 0
            if result.claimed:
                logger.info(
                    "mail worker sent=%s requeued=%s failed=%s",
                    result.sent,
                    result.requeued,
                    result.failed,
                )
            if once:
                return
            self.wait(self.interval)

    def round(self) -> outbox.Round:
        """Mark what is owed, send what is due, then write the heartbeat."""
        _refresh_database_connections()
        if self.unmarked:
            outbox.mark_sent(self.unmarked)
            logger.info("mail worker: marked sent at last: %s", sorted(self.unmarked))
            self.unmarked.clear()
        total = outbox.Round()
        try:
            while self.running:
                try:
                    result = outbox.send_next()
                except outbox.NotMarked as error:
                    self.unmarked.add(error.pk)
                    raise
                total.add(result)
                if self._clock() - self._last_beat >= BEAT_EVERY:
                    self.beat()
                if not result.claimed or result.unreachable:
                    break
        finally:
            mail_connections.close()
        self.beat()
        return total

    def beat(self) -> None:
        outbox.beat()
        self._last_beat = self._clock()

    def wait(self, seconds: float) -> None:
        """Sleep ``seconds`` in short slices, ending early when stopped."""
        deadline = self._clock() + seconds
        while self.running:
            left = deadline - self._clock()
            if left <= 0:
                return
            self._sleep(min(SLICE, left))


def _refresh_database_connections() -> None:
    """As before a request: drop a kept connection that broke or is too old.

    So a connection that died while the worker slept (a database restart) is
    replaced before it is used, and CONN_MAX_AGE holds here as well.
    """
    for connection in db.connections.all(initialized_only=True):
        if not connection.in_atomic_block:  # see below
            connection.close_if_unusable_or_obsolete()


def _close_database_connections() -> None:
    """Close every database connection: the next round opens fresh ones.

    A connection inside a transaction is left alone: the worker itself never
    holds one between rounds, a test that runs it inside its own does.
    """
    for connection in db.connections.all(initialized_only=True):
        if connection.in_atomic_block:
            continue
        try:
            connection.close()
        except Exception:  # already broken: it is gone either way
            logger.info("mail worker: closing a broken database connection failed")
