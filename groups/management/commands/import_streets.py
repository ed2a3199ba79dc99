"""Import a municipality's street list (CSV from the Flemish address register)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from groups.models import Municipality
from groups.services import StreetFileError, import_streets_csv


class Command(BaseCommand):
    help = "Import the streets of a municipality from a CSV file, idempotently."

    def add_arguments(self, parser) -> None:
        parser.add_argument("municipality", help="the municipality's slug, e.g. alken")
        parser.add_argument("file", type=Path, help="the CSV file")

    def handle(self, *args, municipality: str, file: Path, **options) -> None:
        place = Municipality.objects.filter(slug=municipality).first()
        if place is None:
            raise CommandError(f"no municipality with slug {municipality!r}")
        try:
            report = import_streets_csv(place, file.read_bytes())
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from error
        except StreetFileError as error:
            raise CommandError(str(error)) from error
        for line, reason in report.refused:
            self.stderr.write(f"line {line}: {reason}")
        self.stdout.write(
            f"{report.created} created, {report.existing} already known, "
            f"{len(report.refused)} refused"
        )
