"""A street import's life, run in the background by the import worker.

Staff upload a file (``queue_street_import``): it is decoded and its rows
read there and then, so a file that cannot be a street list is refused on
the spot with the reason; a good one becomes a ``StreetImport`` *queued*,
and the browser is sent to its page, which shows the progress and refreshes
itself until the job is over.

The worker (``manage.py run_imports``, or ``run_next_street_import`` in
tests) claims the oldest queued job in a short transaction: the row is locked
with ``select_for_update(skip_locked=True)``, so two workers never take the
same job, and it becomes *running* with a lease (``LEASE``). The rows are
checked without writing (the progress is saved as it goes, renewing the
lease), then every new street is written in one transaction with the job's
result and one audit entry: the job ends *done*, or nothing is written.
A worker that dies leaves its job *running*; when the lease has run out,
the next worker takes it again from the start. After ``MAX_ATTEMPTS`` such
starts the job ends *failed*, as does a file that turns out bad only on
reading (or a bug), with a message for staff; the log gets the error's class.

The file's text is dropped when the job ends: its result stays.
"""

import logging
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import DatabaseError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..constants import StreetImportStatus
from ..models import Municipality, StreetImport
from .streets import (
    StreetFileError,
    decode_street_file,
    plan_street_rows,
    read_street_text,
    write_street_plan,
)

logger = logging.getLogger(__name__)

# A running job is its worker's this long after its last sign of life.
LEASE = timedelta(minutes=5)
# A job whose worker died this many times is given up.
MAX_ATTEMPTS = 3
# The refused lines kept on the job (and shown), in the order of the file.
MAX_REFUSED_KEPT = 20_000


@transaction.atomic
def queue_street_import(
    municipality: Municipality, *, data: bytes, file_name: str, by: User
) -> StreetImport:
    """Read the file and queue its import; raise StreetFileError for a bad file."""
    text = decode_street_file(data)
    rows = read_street_text(text)
    job = StreetImport(
        municipality=municipality,
        file_name=file_name[:255],
        content=text,
        total_rows=len(rows),
        created_by=by,
    )
    job.full_clean()
    job.save()
    logger.info(
        "street import queued pk=%s municipality=%s rows=%s",
        job.pk,
        municipality.pk,
        len(rows),
    )
    return job


def _claimable(now) -> QuerySet[StreetImport]:
    return StreetImport.objects.filter(
        Q(status=StreetImportStatus.QUEUED)
        | Q(status=StreetImportStatus.RUNNING, lease_until__lt=now)
    )


def _give_up_abandoned(now) -> None:
    """Jobs whose worker died MAX_ATTEMPTS times: failed, not tried again."""
    abandoned = StreetImport.objects.filter(
        status=StreetImportStatus.RUNNING,
        lease_until__lt=now,
        attempts__gte=MAX_ATTEMPTS,
    )
    for pk in abandoned.values_list("pk", flat=True):
        logger.warning("street import pk=%s given up after %s starts", pk, MAX_ATTEMPTS)
    abandoned.update(
        status=StreetImportStatus.FAILED,
        error=_(
            "The import stopped %(times)s times before it was done. Nothing "
            "was imported. Try again, or ask the administrator."
        )
        % {"times": MAX_ATTEMPTS},
        content="",
        finished_at=now,
        lease_until=None,
    )


def claim_street_import() -> StreetImport | None:
    """Take the oldest waiting job for this worker alone (None: nothing waits)."""
    _give_up_abandoned(timezone.now())
    # On PostgreSQL workers skip each other's locked rows; SQLite has no row
    # locks but one writer at a time: the update takes the job only if it
    # is still claimable, and when another worker was quicker we look again.
    while True:
        with transaction.atomic():
            now = timezone.now()
            pk = (
                _claimable(now)
                .order_by("created_at", "pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)
                .first()
            )
            if pk is None:
                return None
            taken = (
                _claimable(now)
                .filter(pk=pk)
                .update(
                    status=StreetImportStatus.RUNNING,
                    lease_until=now + LEASE,
                    started_at=now,
                    processed_rows=0,
                    attempts=F("attempts") + 1,
                )
            )
            if taken:
                return StreetImport.objects.select_related(
                    "municipality", "created_by"
                ).get(pk=pk)


def _still_ours(job: StreetImport) -> QuerySet[StreetImport]:
    # Taken again by another worker (our lease ran out): its attempt is higher.
    return StreetImport.objects.filter(
        pk=job.pk, status=StreetImportStatus.RUNNING, attempts=job.attempts
    )


def _fail(job: StreetImport, message: str) -> None:
    _still_ours(job).update(
        status=StreetImportStatus.FAILED,
        error=message,
        content="",
        finished_at=timezone.now(),
        lease_until=None,
    )


def run_street_import(job: StreetImport) -> StreetImport:
    """Import a claimed job's file; return the job as it ended."""
    try:
        rows = read_street_text(job.content)
    except StreetFileError as error:
        _fail(job, str(error))
        logger.info("street import pk=%s failed: file refused", job.pk)
        return StreetImport.objects.get(pk=job.pk)

    def progress(done: int) -> None:
        _still_ours(job).update(processed_rows=done, lease_until=timezone.now() + LEASE)

    plan = plan_street_rows(job.municipality, rows, progress=progress)
    with transaction.atomic():
        if not _still_ours(job).select_for_update().exists():
            logger.warning("street import pk=%s was taken by another worker", job.pk)
            return StreetImport.objects.get(pk=job.pk)
        report = write_street_plan(
            job.municipality, plan, by=job.created_by, job_pk=job.pk
        )
        _still_ours(job).update(
            status=StreetImportStatus.DONE,
            processed_rows=len(rows),
            total_rows=len(rows),
            created_count=report.created,
            existing_count=report.existing,
            refused_count=len(report.refused),
            refused=[list(each) for each in report.refused[:MAX_REFUSED_KEPT]],
            content="",
            finished_at=timezone.now(),
            lease_until=None,
        )
    return StreetImport.objects.get(pk=job.pk)


def run_next_street_import() -> StreetImport | None:
    """One step of the worker: claim the next job and run it (None: none waits).

    A database error is raised (the job's lease runs out and it is taken
    again); any other error fails the job with a message for staff.
    """
    job = claim_street_import()
    if job is None:
        return None
    try:
        return run_street_import(job)
    except DatabaseError:
        raise
    except Exception as error:  # a bug: the job must not stay running
        logger.error("street import pk=%s failed: %s", job.pk, type(error).__name__)
        _fail(
            job,
            _(
                "The import stopped because of an error in the portal. Nothing "
                "was imported. Try again, or ask the administrator."
            ),
        )
        return StreetImport.objects.get(pk=job.pk)
