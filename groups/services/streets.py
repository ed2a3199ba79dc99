"""A municipality's streets: kept one by one in the admin, or imported.

``save_street`` and ``delete_streets`` are the admin's. The public networks
table shows the streets each group covers, and the finder answers from every
street (a street it knows without a group, the streets spelt close to a
typo), so adding, renaming or deleting a street, by hand or imported, moves
the table's cache to a new version (``network_cache.invalidate``).

Staff upload the street list as the Flemish address register exports it
(Adressenregister / Basisregisters Vlaanderen, CRAB's "straatnamen", BOSA's
BeST address file): a CSV with at least a street-name and a postcode column.
The encoding is recognised (UTF-8 with or without byte-order mark, UTF-16
with or without one, otherwise Windows-1252) and so is the separator (";",
"," or a tab, whichever the first line holds most of). Other columns are
ignored. A whole file that cannot be a street list is refused with a
message that names the problem (``StreetFileError``).

Importing is idempotent: a street the municipality has already is counted,
not created again. A row that cannot be a street of the municipality is
refused with its line number and the reason, naming the field; the other
rows are added. The rows are checked first without writing
(``plan_street_rows``), then written in one transaction (``write_street_plan``:
one bulk insert and one audit entry on the municipality for the whole import),
so an import that stops half-way leaves nothing behind. A large file is
imported in the background (``street_imports``); ``import_streets_csv`` does
the same inline (the management command, the demo loader).
"""

import csv
import io
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .. import network_cache
from ..models import Municipality, Street, normalize_street_name

logger = logging.getLogger(__name__)

# Column headings the register and common spreadsheets use, compared after
# normalize_street_name (so case, spaces, underscores and accents do not
# matter): CRAB's and the address register's "straatnaam", the street-name
# registry extract's "STRAATNM", BOSA's BeST "streetname_nl".
NAME_COLUMNS = (
    "straatnaam",
    "straatnm",
    "straatnaamnl",
    "straat",
    "streetname",
    "streetnamenl",
    "nomderue",
)
POSTCODE_COLUMNS = (
    "postcode",
    "postcodes",
    "postcodenl",
    "postalcode",
    "zip",
    "codepostal",
)
DELIMITERS = (";", ",", "\t")

MAX_ROWS = 20_000
# The street rows are written in batches of this many (one INSERT each).
BATCH_SIZE = 1000
# How often the check of the rows reports its progress (rows).
PROGRESS_EVERY = 1000


@dataclass
class StreetImportReport:
    created: int = 0
    existing: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.existing + len(self.refused)


@dataclass
class StreetPlan:
    """The rows of a file checked, nothing written yet."""

    new: list[tuple[int, Street]] = field(default_factory=list)
    existing: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)


class StreetFileError(ValueError):
    """The file as a whole cannot be read as a street list."""


# Spreadsheet and document formats people upload instead of a CSV.
_NOT_CSV = (
    (b"PK\x03\x04", "spreadsheet"),
    (b"\xd0\xcf\x11\xe0", "spreadsheet"),
    (b"%PDF", "pdf"),
)


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or '-be' when every other byte of the start is a zero byte."""
    sample = data[:2000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > len(odd) * 0.4 and even.count(0) < len(even) * 0.05:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.4 and odd.count(0) < len(odd) * 0.05:
        return "utf-16-be"
    return None


def decode_street_file(data: bytes) -> str:
    """The file's text, whatever of the usual encodings it is in.

    Raise StreetFileError naming the problem: empty, a spreadsheet or PDF
    rather than a CSV, UTF-16 that is broken, not text at all.
    """
    for magic, kind in _NOT_CSV:
        if data.startswith(magic):
            if kind == "pdf":
                raise StreetFileError(_("The file is a PDF document, not a CSV file."))
            raise StreetFileError(
                _(
                    "The file is a spreadsheet (Excel or LibreOffice), not a CSV "
                    "file. Open it and save it as “CSV” first."
                )
            )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        encoding = _utf16_without_bom(data)
    if encoding and encoding.startswith("utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            raise StreetFileError(
                _(
                    "The file looks like UTF-16 but is damaged (at byte "
                    "%(at)s). Save it again as CSV in UTF-8."
                )
                % {"at": error.start}
            ) from error
    else:
        try:
            text = data.decode(encoding or "utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as error:
                raise StreetFileError(
                    _("The file is not a text (CSV) file.")
                ) from error
    text = text.removeprefix("\ufeff")
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
        raise StreetFileError(_("The file is not a text (CSV) file."))
    if not text.strip():
        raise StreetFileError(_("The file is empty."))
    return text


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    keys = [normalize_street_name(heading) for heading in header]
    for name in names:
        if name in keys:
            return keys.index(name)
    return None


def _cell(row: list[str], at: int) -> str:
    return row[at].strip() if at < len(row) else ""


def _delimiter(first_line: str) -> str:
    """The separator the first line holds most of (";" when none or a tie)."""
    return max(DELIMITERS, key=first_line.count)


def read_street_text(text: str) -> list[tuple[int, str, str]]:
    """The (line, name, postcode) rows of the file's text; raise StreetFileError."""
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = _delimiter(first_line)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):
            header = next(reader)
    except (StopIteration, csv.Error) as error:
        raise StreetFileError(_("The file is empty.")) from error
    name_at = _column(header, NAME_COLUMNS)
    postcode_at = _column(header, POSTCODE_COLUMNS)
    if name_at is None or postcode_at is None:
        raise StreetFileError(_missing_columns(header, name_at, postcode_at))
    rows = []
    line = reader.line_num
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(rows) >= MAX_ROWS:
                raise StreetFileError(
                    _(
                        "The file has more than %(max)s streets (line %(line)s). "
                        "Split it into smaller files."
                    )
                    % {"max": MAX_ROWS, "line": line}
                )
            rows.append((line, _cell(row, name_at), _cell(row, postcode_at)))
    except csv.Error as error:
        raise StreetFileError(
            _("Line %(line)s is not valid CSV (a quote that is never closed?).")
            % {"line": line + 1}
        ) from error
    return rows


def _missing_columns(header: list[str], name_at, postcode_at) -> str:
    headings = [heading.strip() for heading in header if heading.strip()]
    if len(headings) <= 1:
        return _(
            "The first line holds only one column. The first line must name "
            "the columns, among them “straatnaam” and “postcode”, separated by "
            "a semicolon, a comma or a tab."
        )
    if name_at is None and postcode_at is None:
        missing = _("“straatnaam” and “postcode”")
    elif name_at is None:
        missing = _("“straatnaam”")
    else:
        missing = _("“postcode”")
    return _(
        "The first line must name the columns, among them %(missing)s. It names: "
        "%(found)s."
    ) % {"missing": missing, "found": ", ".join(headings[:10])[:300]}


def read_street_rows(data: bytes) -> list[tuple[int, str, str]]:
    """The (line, name, postcode) rows of the file; raise StreetFileError."""
    return read_street_text(decode_street_file(data))


def _reason(error: ValidationError) -> str:
    """The refusal of a row, each message after the field it is about."""
    parts = []
    for name, messages in error.message_dict.items():
        try:
            label = capfirst(Street._meta.get_field(name).verbose_name)
        except Exception:  # NON_FIELD_ERRORS and the like: no label
            label = ""
        text = " ".join(messages)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)


def plan_street_rows(
    municipality: Municipality,
    rows: list[tuple[int, str, str]],
    *,
    progress: Callable[[int], None] | None = None,
) -> StreetPlan:
    """Check each row against the municipality's streets; write nothing."""
    plan = StreetPlan()
    known = {
        (name.lower(), postcode)
        for name, postcode in municipality.streets.values_list("name", "postcode")
    }
    for done, (line, raw_name, postcode) in enumerate(rows, start=1):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
        name = " ".join(raw_name.split())
        key = (name.lower(), postcode)
        if key in known:
            plan.existing += 1
            continue
        street = Street(municipality=municipality, name=name, postcode=postcode)
        try:
            # The municipality is ours and uniqueness is the set above: no
            # query a row.
            street.full_clean(
                exclude=["municipality"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            plan.refused.append((line, _reason(error)))
            continue
        known.add(key)
        plan.new.append((line, street))
    return plan


@transaction.atomic
def write_street_plan(
    municipality: Municipality,
    plan: StreetPlan,
    *,
    by: User | None = None,
    job_pk: int | None = None,
) -> StreetImportReport:
    """Add the plan's new streets in bulk, with one audit entry for the import.

    The municipality is locked, so two imports of it run one after the other;
    a street added since the plan was made is counted as known.
    """
    Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
    known = {
        (name.lower(), postcode)
        for name, postcode in municipality.streets.values_list("name", "postcode")
    }
    before = len(known)
    new = [street for _line, street in plan.new]
    fresh = [
        street for street in new if (street.name.lower(), street.postcode) not in known
    ]
    # ON CONFLICT DO NOTHING: a street saved by hand in the admin meanwhile
    # (exactly the same name) is not an error.
    Street.objects.bulk_create(fresh, batch_size=BATCH_SIZE, ignore_conflicts=True)
    after = municipality.streets.count()
    created = after - before
    if created:
        network_cache.invalidate()
    report = StreetImportReport(
        created=created,
        existing=plan.existing + len(new) - created,
        refused=list(plan.refused),
    )
    LogEntry.objects.log_create(
        municipality,
        action=LogEntry.Action.UPDATE,
        changes={"streets": [str(before), str(after)]},
        force_log=True,
        actor=by,
        additional_data={
            "zone": municipality.zone_id,
            "street_import": job_pk,
            "added": report.created,
            "unchanged": report.existing,
            "refused": len(report.refused),
        },
    )
    logger.info(
        "streets imported municipality=%s job=%s created=%s existing=%s refused=%s",
        municipality.pk,
        job_pk,
        report.created,
        report.existing,
        len(report.refused),
    )
    return report


@transaction.atomic
def save_street(street: Street) -> Street:
    """Save a new or changed street (its search key is derived on the way)."""
    street.full_clean()
    street.save()
    network_cache.invalidate()
    logger.info("street saved pk=%s municipality=%s", street.pk, street.municipality_id)
    return street


@transaction.atomic
def delete_streets(streets: QuerySet[Street]) -> int:
    """Delete these streets and the regions' coverage of them; return rows deleted."""
    deleted, _by_model = streets.delete()
    network_cache.invalidate()
    logger.info("streets deleted rows=%s", deleted)
    return deleted


@transaction.atomic
def import_street(municipality: Municipality, *, name: str, postcode: str) -> Street:
    """Return the street, creating it if the municipality does not have it yet."""
    name = " ".join(name.split())
    # "MOTSTRAAT" is the street the municipality knows as "Motstraat".
    street = Street.objects.filter(
        municipality=municipality, name__iexact=name, postcode=postcode
    ).first()
    if street is None:
        street = Street(municipality=municipality, name=name, postcode=postcode)
        street.full_clean()
        street.save()
        network_cache.invalidate()
        logger.info("street created pk=%s municipality=%s", street.pk, municipality.pk)
    return street


@transaction.atomic
def import_streets_csv(
    municipality: Municipality, data: bytes, *, by: User | None = None
) -> StreetImportReport:
    """Import the streets of a CSV file inline; return what was created and refused.

    For the management command and the demo: staff's uploads go through the
    worker (``street_imports.queue_street_import``).
    """
    started = time.monotonic()
    plan = plan_street_rows(municipality, read_street_rows(data))
    report = write_street_plan(municipality, plan, by=by)
    logger.info(
        "street file imported municipality=%s in %.1f s",
        municipality.pk,
        time.monotonic() - started,
    )
    return report
