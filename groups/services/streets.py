"""A municipality's streets: kept one by one in the admin, or imported.

``save_street`` and ``delete_streets`` are the admin's. The public networks
table shows the streets each group covers, so renaming or deleting a street
moves its cache to a new version (``network_cache.invalidate``); a new
street is covered by no region yet, so creating one (by hand or imported)
leaves the cache alone.

Staff upload the street list as the Flemish address register
(Adressenregister / Basisregisters Vlaanderen) exports it: a CSV with at least
a street-name and a postcode column, separated by ";" or ",", in UTF-8 or
Windows-1252. Other columns are ignored. Importing is idempotent: a street the
municipality has already is counted, not created again. A row that cannot be
a street of the municipality is refused with its line number and the reason;
the other rows are imported.
"""

import csv
import io
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .. import network_cache
from ..models import Municipality, Street, normalize_street_name

logger = logging.getLogger(__name__)

# Column headings the register and common spreadsheets use, compared after
# normalize_street_name (so case, spaces and accents do not matter).
NAME_COLUMNS = ("straatnaam", "straatnm", "straatnaamnl", "straat", "streetname")
POSTCODE_COLUMNS = ("postcode", "postcodes", "postcodenl", "postalcode", "zip")

MAX_ROWS = 20_000


@dataclass
class StreetImportReport:
    created: int = 0
    existing: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.existing + len(self.refused)


class StreetFileError(ValueError):
    """The file as a whole cannot be read as a street list."""


def _text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StreetFileError(_("The file is not a text (CSV) file."))


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    keys = [normalize_street_name(heading) for heading in header]
    for name in names:
        if name in keys:
            return keys.index(name)
    return None


def _cell(row: list[str], at: int) -> str:
    return row[at].strip() if at < len(row) else ""


def read_street_rows(data: bytes) -> list[tuple[int, str, str]]:
    """The (line, name, postcode) rows of the file; raise StreetFileError."""
    text = _text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        raise StreetFileError(_("The file is empty.")) from error
    name_at = _column(header, NAME_COLUMNS)
    postcode_at = _column(header, POSTCODE_COLUMNS)
    if name_at is None or postcode_at is None:
        raise StreetFileError(
            _(
                "The first line must name the columns, among them "
                "“straatnaam” and “postcode”."
            )
        )
    rows = []
    try:
        for line, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(rows) >= MAX_ROWS:
                raise StreetFileError(
                    _("The file has more than %(max)s streets.") % {"max": MAX_ROWS}
                )
            rows.append((line, _cell(row, name_at), _cell(row, postcode_at)))
    except csv.Error as error:
        raise StreetFileError(_("The file is not a valid CSV file.")) from error
    return rows


@transaction.atomic
def save_street(street: Street) -> Street:
    """Save a new or changed street (its search key is derived on the way)."""
    renamed = street.pk is not None
    street.full_clean()
    street.save()
    if renamed:
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
        logger.info("street created pk=%s municipality=%s", street.pk, municipality.pk)
    return street


@transaction.atomic
def import_streets_csv(municipality: Municipality, data: bytes) -> StreetImportReport:
    """Import the streets of a CSV file; return what was created and refused."""
    report = StreetImportReport()
    known = {
        (name.lower(), postcode)
        for name, postcode in municipality.streets.values_list("name", "postcode")
    }
    for line, raw_name, postcode in read_street_rows(data):
        name = " ".join(raw_name.split())
        if (name.lower(), postcode) in known:
            report.existing += 1
            continue
        try:
            with transaction.atomic():
                import_street(municipality, name=name, postcode=postcode)
        except ValidationError as error:
            report.refused.append((line, " ".join(error.messages)))
            continue
        known.add((name.lower(), postcode))
        report.created += 1
    logger.info(
        "streets imported municipality=%s created=%s existing=%s refused=%s",
        municipality.pk,
        report.created,
        report.existing,
        len(report.refused),
    )
    return report
