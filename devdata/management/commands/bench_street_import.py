"""Time a country-sized street import on the configured database.

Generates a street list of ``--rows`` lines (20,000 by default) in the
register's layout, queues it for a scratch municipality and runs the job as
the worker does; prints how long reading, queueing and the import took.
Everything happens in one transaction that is rolled back: the database is
left as it was. Run it against PostgreSQL:
``DATABASE_URL=postgres://… python manage.py bench_street_import``.
"""

import time

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from groups.constants import StreetImportStatus
from groups.models import Municipality, PoliceZone, StreetImport
from groups.services import street_imports as jobs


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the import of a country-sized street list (rolled back)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rows", type=int, default=20_000)

    def handle(self, *args, rows: int, **options) -> None:
        lines = ["straatnaamid;straatnaam;gemeentenaam;postcode"]
        lines += [f"{n};Benchstraat {n:06d};Bench;3570" for n in range(rows)]
        data = "\r\n".join(lines).encode("cp1252")
        try:
            with transaction.atomic():
                self.run(data, rows)
                raise Rollback
        except Rollback:
            pass

    def run(self, data: bytes, rows: int) -> None:
        zone = PoliceZone.objects.create(
            name="Bench zone (rolled back)", email="bench@example.invalid"
        )
        place = Municipality.objects.create(
            zone=zone, name="Bench", slug="bench-rolled-back", postcodes="3570"
        )
        user = User.objects.create(username="bench-rolled-back")
        started = time.monotonic()
        job = jobs.queue_street_import(place, data=data, file_name="b.csv", by=user)
        queued = time.monotonic()
        StreetImport.objects.filter(pk=job.pk).update(
            status=StreetImportStatus.RUNNING,
            attempts=1,
            lease_until=timezone.now() + jobs.LEASE,
        )
        job.refresh_from_db()
        job = jobs.run_street_import(job)
        done = time.monotonic()
        self.stdout.write(
            f"{connection.vendor}: {rows} lines, upload (decode and read) "
            f"{queued - started:.2f} s, import {done - queued:.2f} s; "
            f"{job.created_count} added, {job.status}"
        )
