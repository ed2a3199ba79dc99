"""Send the queued mail of the outbox, once or in a loop.

The outbox is django-post-office's; ``wabp_portal.outbox`` sends it: rows are
claimed with ``skip_locked`` locks, so several workers may run at once without
sending a mail twice, and failures are retried with a growing delay. Run one
or more workers in production (a systemd service or a container), or this
command with --once from cron.
"""

import logging
import signal
import time

from django.core.management.base import BaseCommand

from wabp_portal import outbox

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Send queued e-mails from the outbox."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Send what is due now, then stop."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=5.0,
            help="Seconds between two rounds in a loop (default 5).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=50,
            help="Mails claimed at a time (default 50).",
        )

    def handle(
        self, *args, once: bool, interval: float, batch_size: int, **options
    ) -> None:
        self.running = True
        signal.signal(signal.SIGTERM, self.stop)
        while True:
            result = outbox.send_all(batch_size)
            if result.claimed:
                logger.info(
                    "mail worker sent=%s requeued=%s failed=%s",
                    result.sent,
                    result.requeued,
                    result.failed,
                )
            if once:
                return
            # Sleep in short slices so a SIGTERM (deploy, Ctrl-C) stops at once.
            deadline = time.monotonic() + interval
            while self.running and time.monotonic() < deadline:
                time.sleep(0.2)
            if not self.running:
                return

    def stop(self, signum, frame) -> None:
        self.running = False
