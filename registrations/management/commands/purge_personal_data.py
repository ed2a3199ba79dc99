"""Erase personal data kept long enough. Meant for cron, once a day; safe to rerun.

The periods are settings (UNCONFIRMED_RETENTION_DAYS, CLOSED_RETENTION_DAYS,
LEFT_RETENTION_DAYS, WITHDRAWN_MEMBER_RETENTION_DAYS, MAIL_RETENTION_DAYS,
LOGIN_RECORD_RETENTION_DAYS); see
``registrations.services.retention``. The output holds counts only.
"""

from django.core.management.base import BaseCommand

from registrations.services.privacy import purge_personal_data


class Command(BaseCommand):
    help = (
        "Delete unconfirmed signups, erase rejected, withdrawn and ended ones, "
        "forget withdrawn members no coordinator marked removed, and delete old "
        "mail, sessions and login records, after their periods."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be purged, change nothing.",
        )

    def handle(self, *args, dry_run: bool, **options) -> None:
        report = purge_personal_data(dry_run=dry_run)
        width = max(len(name) for name in report.as_dict())
        for name, count in report.as_dict().items():
            self.stdout.write(f"{name.replace('_', ' '):<{width}}  {count}")
        verb = "would be purged" if dry_run else "purged"
        self.stdout.write(f"{report.total} row(s) {verb}.")
