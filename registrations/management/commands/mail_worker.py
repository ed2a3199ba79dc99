"""Send the queued mail of the outbox, once or in a loop.

The outbox is django-post-office's: mails are stored with the change that
causes them and sent here, with retries (POST_OFFICE["MAX_RETRIES"]). Run one
worker in production (a systemd service or a container), or this command with
--once from cron.
"""

import logging
import signal
import time

from django.core.management.base import BaseCommand
from post_office.mail import send_queued

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Send queued e-mails from the outbox."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Send what is queued now, then stop."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=5.0,
            help="Seconds between two rounds in a loop (default 5).",
        )

    def handle(self, *args, once: bool, interval: float, **options) -> None:
        self.running = True
        signal.signal(signal.SIGTERM, self.stop)
        while True:
            sent, failed, requeued = send_queued(processes=1, log_level=1)
            if sent or failed or requeued:
                logger.info(
                    "mail worker sent=%s failed=%s requeued=%s", sent, failed, requeued
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
