"""Run the street imports staff uploaded, once or in a loop.

Each job is claimed with a ``skip_locked`` lock and a lease
(``groups.services.street_imports``), so several workers may run at once
and a job whose worker died is taken again. The loop lives through every
error but a kill: a failed round is logged (the error's class and where,
never its text) and tried again after a pause that doubles up to a minute.
Run one in production (``deploy/systemd/wabp-import-worker.service``,
restarted whenever it stops), or this command with --once from cron, which
then exits with status 1 when its round fails.
"""

import logging
import signal
import time

from django import db
from django.core.management.base import BaseCommand, CommandError

from groups.services import run_next_street_import
from wabp_portal.mail.worker import describe, pause_after

logger = logging.getLogger("groups.import_worker")

# Sleep in slices this long, so a SIGTERM stops the worker at once.
SLICE = 0.2


class Command(BaseCommand):
    help = "Run the queued street imports."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run the imports waiting now, then stop.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=2.0,
            help="Seconds between two looks at the queue (default 2).",
        )

    def handle(self, *args, once: bool, interval: float, **options) -> None:
        self.running = True
        # SIGTERM (a deploy) stops after the import in hand.
        signal.signal(signal.SIGTERM, self.stop)
        failures = 0
        while self.running:
            try:
                _refresh_database_connections()
                job = run_next_street_import()
            except Exception as error:  # whatever it is, the worker carries on
                failures += 1
                pause = pause_after(failures)
                _close_database_connections()
                logger.error(
                    "import worker: round failed (%s), %s in a row; next try in %.0f s",
                    describe(error),
                    failures,
                    pause,
                )
                if once:
                    raise CommandError(
                        f"the import round failed: {type(error).__name__}"
                    ) from None
                self.wait(pause)
                continue
            failures = 0
            if job is not None:
                logger.info("import worker: job %s %s", job.pk, job.status)
                continue
            if once:
                return
            self.wait(interval)

    def stop(self, *_signal) -> None:
        self.running = False

    def wait(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.running and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(SLICE, left))


def _refresh_database_connections() -> None:
    """As before a request: drop a kept connection that broke or is too old.

    A connection inside a transaction (a test running the command in its
    own) is left alone, as the mail worker does.
    """
    for connection in db.connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


def _close_database_connections() -> None:
    """Close every database connection: the next round opens fresh ones."""
    for connection in db.connections.all(initialized_only=True):
        if connection.in_atomic_block:
            continue
        try:
            connection.close()
        except Exception:  # already broken: it is gone either way
            logger.info("import worker: closing a broken database connection failed")
