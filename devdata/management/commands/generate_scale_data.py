"""Fill the database with a made-up network of a chosen size, for load tests."""

from dataclasses import replace

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from devdata.scale.generator import generate
from devdata.scale.sizes import DEFAULT_SEED, SIZES, SizeError
from groups.models import Municipality

COUNTS = ("zones", "municipalities", "groups", "streets", "signups")


class Command(BaseCommand):
    help = (
        "Generate synthetic police zones, municipalities, streets, regions, "
        "WhatsApp groups, coordinators and staff (with logins), house rules and "
        "signups in every status, in bulk (COPY on PostgreSQL). Sizes: national "
        "(200 zones, 600 municipalities, 20,000 groups, 150,000 streets, "
        "1,500,000 signups), small (10,000 signups) and tiny (400, for tests). "
        "Everything is written in one transaction. The command refuses to run on "
        "a database that already holds municipalities; with --force it adds a "
        "second network alongside, with municipality, zone and user names and "
        "postcodes that do not clash with those already there. All names, "
        "addresses and numbers are made up; e-mail addresses use example "
        "domains; logins have unusable passwords. On PostgreSQL a table that "
        "gets 50,000 rows or more has its secondary indexes dropped for the load "
        "and built again at the end (it is locked until the commit), and when "
        "the database user may set session_replication_role (a superuser), "
        "foreign keys are checked once over the new rows instead of row by row."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=list(SIZES), default="small")
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"the same seed makes the same data (default {DEFAULT_SEED})",
        )
        for name in COUNTS:
            parser.add_argument(
                f"--{name}",
                type=int,
                metavar="N",
                help=f"number of {name} instead of the size's",
            )
        parser.add_argument(
            "--force",
            action="store_true",
            help="add to a database that already holds municipalities",
        )

    def handle(self, *args, size: str, seed: int, force: bool, **options) -> None:
        sizes = replace(
            SIZES[size],
            **{name: options[name] for name in COUNTS if options[name] is not None},
        )
        if Municipality.objects.exists() and not force:
            raise CommandError(
                "The database already holds municipalities; use --force to add "
                "the generated network alongside them."
            )
        database = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
        self.stdout.write(
            f"Generating size {size} (seed {seed}) into {database}: "
            f"{sizes.zones:,} zones, {sizes.municipalities:,} municipalities, "
            f"{sizes.groups:,} groups, {sizes.streets:,} streets, "
            f"{sizes.signups:,} signups"
        )
        try:
            report = generate(sizes, seed=seed, log=self.stdout.write)
        except SizeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {report.total:,} rows in {report.seconds:.1f} s "
                f"({report.rows['signups']:,} signups)."
            )
        )
