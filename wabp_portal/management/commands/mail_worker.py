"""Send the queued mail of the outbox, once or in a loop.

The outbox is django-post-office's; ``wabp_portal.mail.outbox`` sends it,
one mail at a time: a mail is claimed with a ``skip_locked`` lock and a
short lease, so several workers may run at once without sending a mail
twice, and failures are retried with a growing delay. The loop
(``wabp_portal.mail.worker``) lives through every error but a kill, and
writes the heartbeat ``/healthz`` reports. Run one or more workers in
production (a systemd service or a container, restarted if it ever exits),
or this command with --once from cron, which then exits with status 1 when
its round fails.
"""

import signal

from django.core.management.base import BaseCommand, CommandError

from wabp_portal.mail.worker import MailWorker, RoundFailed


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

    def handle(self, *args, once: bool, interval: float, **options) -> None:
        worker = MailWorker(interval=interval)
        # SIGTERM (a deploy, Ctrl-C under `make run`) stops after the mail in hand.
        signal.signal(signal.SIGTERM, worker.stop)
        try:
            worker.run(once=once)
        except RoundFailed as error:
            raise CommandError(f"the mail round failed: {error}") from None
