"""Daily digests and reminders for coordinators. Meant for cron; safe to rerun."""

from django.core.management.base import BaseCommand

from registrations.services import send_coordinator_reminders


class Command(BaseCommand):
    help = "E-mail coordinators their daily digest and reminders."

    def handle(self, *args, **options) -> None:
        sent = send_coordinator_reminders()
        self.stdout.write(f"{sent} reminder(s) queued.")
