"""A made-up network of national size, written in bulk, for load tests.

``generate(sizes, seed=..., log=...)`` adds to the default database: police
zones with two staff logins each and their house rules (one current version,
sometimes an older one), municipalities with Belgian postcodes and Flemish
street names, regions covering most streets (a few split by side of the
street or by house number, some streets covered by nobody), one
neighbourhood group per region and one umbrella group per municipality,
coordinators with their logins, and signups in every status with the
timestamps their life would have left. Each signup has one StatusChange: the
step that brought it to its status.

Rows are what the services would have left (the roles of ``add_zone_staff``
and ``link_coordinator_login``, the blanked fields of a withdrawal or an
erasure by the retention purge), but written in bulk: COPY on PostgreSQL,
``bulk_create`` elsewhere. Neither sends signals, so the audit log gets no
entries and the public networks cache is invalidated at the end. Ids follow
the highest id in each table; the sequences are reset afterwards.

Everything is drawn from ``random.Random(seed)``: the same seed and sizes
give the same rows, with timestamps counted back from the time of the run.
Names, e-mail addresses (example domains) and phone numbers are synthetic.
"""

import csv
import io
import random
import time
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import accumulate
from math import log, sqrt

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.management.color import no_style
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    IntegrityError,
    connections,
    models,
    transaction,
)
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from groups import network_cache
from groups.constants import (
    ROLE_COORDINATOR,
    ROLE_ZONE_STAFF,
    GroupKind,
    NotificationMode,
    NumberParity,
)
from groups.models import (
    Coordinator,
    Municipality,
    PoliceZone,
    Region,
    RegionStreet,
    Street,
    WhatsAppGroup,
    normalize_street_name,
)
from registrations.constants import SignupRole, SignupStatus
from registrations.models import HouseRules, Signup, StatusChange


@dataclass(frozen=True)
class Sizes:
    zones: int
    municipalities: int
    groups: int  # neighbourhood groups; each municipality also gets an umbrella
    streets: int
    signups: int
    staff_per_zone: int = 2

    def problems(self) -> list[str]:
        found = []
        if self.zones < 1:
            found.append("at least one zone")
        if self.municipalities < self.zones:
            found.append("at least one municipality per zone")
        if self.groups < self.municipalities:
            found.append("at least one group per municipality")
        if self.streets < self.groups:
            found.append("at least one street per group")
        if self.signups < 0 or self.staff_per_zone < 0:
            found.append("no negative counts")
        return found


SIZES = {
    "national": Sizes(200, 600, 20_000, 150_000, 1_500_000),
    "small": Sizes(6, 18, 130, 1_000, 10_000),
    "tiny": Sizes(2, 3, 12, 120, 400),
}
DEFAULT_SEED = 2026

DAY = 86_400.0
YEAR = 365 * DAY
HISTORY = 3 * YEAR  # signups are spread over the last three years

# (role, status) of a signup and its share in percent.
SIGNUP_MIX = [
    (SignupRole.PARTICIPANT, SignupStatus.UNCONFIRMED, 3.0),
    (SignupRole.PARTICIPANT, SignupStatus.PENDING, 5.0),
    (SignupRole.PARTICIPANT, SignupStatus.APPROVED, 70.0),
    (SignupRole.PARTICIPANT, SignupStatus.REJECTED, 5.0),
    (SignupRole.PARTICIPANT, SignupStatus.LEFT, 8.0),
    (SignupRole.PARTICIPANT, SignupStatus.REMOVED, 2.0),
    (SignupRole.PARTICIPANT, SignupStatus.WITHDRAWN, 3.0),
    # Applications to found a group: 0.5% in all.
    (SignupRole.COORDINATOR, SignupStatus.UNCONFIRMED, 0.05),
    (SignupRole.COORDINATOR, SignupStatus.PENDING, 0.2),
    (SignupRole.COORDINATOR, SignupStatus.APPROVED, 0.1),
    (SignupRole.COORDINATOR, SignupStatus.REJECTED, 0.1),
    (SignupRole.COORDINATOR, SignupStatus.WITHDRAWN, 0.05),
]

FIRST_NAMES = (
    "An Anke Arne Bart Bram Dirk Eline Els Emma Evi Fien Geert Griet Hanne "
    "Hilde Ilse Inge Jan Jef Jonas Julie Karen Katrien Koen Kristof Lander Lars "
    "Leen Lien Lisa Lotte Luc Maarten Marc Marie Marleen Nele Peter Pieter "
    "Ruben Sander Sara Seppe Sofie Stijn Thomas Tom Veerle Wim Wout"
).split()
LAST_NAMES = [
    *"Aerts Bogaerts Claes Claessens Coenen Cools Daems Geerts Goossens Hendrickx "
    "Hermans Jacobs Janssens Lambrechts Leemans Lenaerts Maes Martens Mertens "
    "Michiels Pauwels Peeters Segers Smets Stevens Thijs Vandenberghe Verhoeven "
    "Vermeulen Verstraeten Vos Willems Wouters Wuyts".split(),
    "De Clercq",
    "De Smet",
    "Van Damme",
    "Van den Broeck",
    "Van Dyck",
]

MUNICIPALITY_STEMS = (
    "Beek Berg Bos Brug Dender Demer Dijle Durme Eike Ever Gaver Geet Groen "
    "Haver Heide Herk Hoog Hout Kapel Kerk Klein Koe Laar Lede Lin Loo Mark "
    "Meer Melle Moer Mol Nete Noord Oost Oude Ravel Rode Rupel Schel Stok Ter "
    "Vel Vlier Wael Wals West Wijn Zand Zuid Zwal"
).split()
MUNICIPALITY_ENDINGS = (
    "aken beek bergen brugge dal dijk donk dorp dries egem eren gem heide hem "
    "hout hoven ingen kerke laar lo ode rode tergem veld zele"
).split()
STREET_STEMS = (
    "Akker Appel Bakkers Beek Beuk Berken Boomgaard Bos Broek Brouwerij Brug "
    "Dijk Donk Dorps Dries Eik Esdoorn Gemeente Haver Hazel Heide Hoeve Hof "
    "Hop Hulst Kamp Kanaal Kapel Kasteel Kastanje Kerk Kersen Kievit Klooster "
    "Kluis Koren Kouter Kruis Leeuwerik Lelie Linde Markt Meer Merel Molen "
    "Noord Notelaar Ooievaar Oost Pastorij Peren Populier Post Reiger Rogge "
    "Rozen School Sint-Anna Sint-Jan Sint-Jozef Sint-Martinus Sluis Smis Spoor "
    "Stations Steen Tarwe Tram Tulpen Vaart Veld Ven Vink Vlas Vlinder Water "
    "Weide West Wilgen Zand Zonne Zuid Zwaluw"
).split() + ["Rode Kruis", "Lange Akker", "Hoge Weide"]
STREET_ENDINGS = ("straat", "laan", "weg", "steenweg", "plein", "dreef")
STREET_ENDING_WEIGHTS = (50, 12, 16, 4, 6, 12)
STREET_PREFIXES = ("Oude", "Nieuwe", "Grote", "Kleine", "Hoge", "Lage")
AREA_ENDINGS = "akker berg broek dal dries heide hoek hof kouter veld ven wijk".split()
FLANDERS_AREA_CODES = "11 13 14 15 16 50 51 52 53 54 55 56 57 58 59 89".split()
# Belgian mobile ranges: signups draw from these, coordinators from their own.
SIGNUP_MOBILE_PREFIXES = [str(p) for p in (*range(470, 480), *range(483, 500))]
COORDINATOR_MOBILE_PREFIXES = ["460", "455", "456"]
MAIL_DOMAINS = ("example.org", "example.net", "example.com")
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

REJECT_REASONS = [
    "Het adres ligt buiten het werkgebied van deze groep.",
    "Dubbele aanmelding: u bent al lid van de groep.",
    "We konden u niet bereiken om uw adres na te gaan.",
]
REMOVE_REASONS = [
    "Herhaaldelijk berichten die niets met buurtpreventie te maken hebben.",
    "Houdt zich niet aan het huishoudelijk reglement.",
    "Verhuisd uit de wijk.",
]
APPLICATION_REJECT_REASONS = [
    "Er bestaat al een groep voor deze straten; u kunt daar lid worden.",
    "Het voorgestelde gebied is te klein voor een eigen groep.",
]
HOUSE_RULES_BODY = (
    "Bel bij een verdachte situatie eerst 101; meld het daarna in de groep.\n\n"
    "Deel geen foto's of namen van personen.\n\n"
    "Blijf beleefd en houd de berichten bij buurtpreventie.\n\n"
    "De coördinator mag leden verwijderen die zich niet aan deze regels houden."
)


def apportion(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split ``total`` in proportion to ``weights``, each at least ``minimum``."""
    rest = total - minimum * len(weights)
    if rest < 0:
        raise ValueError("total below the minimum")
    whole = sum(weights)
    exact = [rest * weight / whole for weight in weights]
    counts = [int(share) for share in exact]
    by_remainder = sorted(
        range(len(weights)), key=lambda i: counts[i] - exact[i]
    )  # largest remainder first
    for i in by_remainder[: rest - sum(counts)]:
        counts[i] += 1
    return [minimum + count for count in counts]


def mobile_number(counter: int, prefixes: Sequence[str]) -> str:
    """A Belgian mobile number in E.164, distinct for a million per prefix."""
    counter %= len(prefixes) * 1_000_000
    return f"+32{prefixes[counter // 1_000_000]}{counter % 1_000_000:06d}"


def _local_part(name: str) -> str:
    return slugify(name).replace("-", "")


# --- writers ----------------------------------------------------------------


class _Table:
    """Rows of one table, written in chunks by the writer."""

    def __init__(self, writer: "Writer", model: type[models.Model], fields: list[str]):
        self.writer = writer
        self.model = model
        self.fields = [model._meta.get_field(name) for name in fields]
        self.rows: list[tuple] = []
        self.count = 0

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.writer.chunk_size:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.writer.flush(self)
            self.count += len(self.rows)
            self.rows = []


class Writer:
    """Writes rows with ``bulk_create``; ids follow the table's highest id."""

    chunk_size = 5_000

    def __init__(self, alias: str = DEFAULT_DB_ALIAS) -> None:
        self.alias = alias
        self.connection = connections[alias]
        self.first_ids: dict[type[models.Model], int] = {}
        self.next_ids: dict[type[models.Model], int] = {}

    def reserve(self, model: type[models.Model], count: int) -> int:
        """The first of ``count`` fresh ids of ``model``."""
        if model not in self.next_ids:
            highest = model._base_manager.using(self.alias).aggregate(top=Max("pk"))
            self.next_ids[model] = self.first_ids[model] = (highest["top"] or 0) + 1
        first = self.next_ids[model]
        self.next_ids[model] += count
        return first

    def timestamp(self, moment: float | None) -> datetime | None:
        """A value for a DateTimeField, in whole seconds."""
        return None if moment is None else datetime.fromtimestamp(int(moment), UTC)

    def flush(self, table: _Table) -> None:
        names = [f.attname for f in table.fields]
        table.model._base_manager.using(self.alias).bulk_create(
            [table.model(**dict(zip(names, row, strict=True))) for row in table.rows]
        )

    @contextmanager
    def session(self) -> Iterator[None]:
        """Timestamps are written as given: auto_now(_add) would overwrite them."""
        patched = [
            (f, f.auto_now, f.auto_now_add)
            for model in (WhatsAppGroup, HouseRules, Signup, StatusChange)
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add)
        ]
        for f, _, _ in patched:
            f.auto_now = f.auto_now_add = False
        try:
            yield
        finally:
            for f, auto_now, auto_now_add in patched:
                f.auto_now, f.auto_now_add = auto_now, auto_now_add

    def finish(self) -> None:
        with self.connection.cursor() as cursor:
            for sql in self.connection.ops.sequence_reset_sql(
                no_style(), list(self.next_ids)
            ):
                cursor.execute(sql)


class CopyWriter(Writer):
    """PostgreSQL: COPY of CSV chunks, as a bulk load is done.

    The csv module formats whole chunks in C. An empty field is NULL in CSV,
    so the columns that cannot be NULL (the text ones) read it as an empty
    string (FORCE_NOT_NULL); None is only ever given for nullable columns.

    A table that gets ``BIG_LOAD`` rows or more loses its secondary indexes
    for the load; they are built again from their own definitions at the end
    (a unique one checks its rows then). If the database user may, foreign
    keys are not checked row by row (``session_replication_role = replica``,
    as ``pg_restore --disable-triggers`` does) but once at the end, over the
    new rows, with one anti-join per key. All of it in the one transaction.
    """

    chunk_size = 50_000
    BIG_LOAD = 50_000

    def __init__(self, alias: str = DEFAULT_DB_ALIAS) -> None:
        super().__init__(alias)
        self.copy_seconds: dict[type[models.Model], float] = {}
        self.dropped_indexes: list[tuple[type[models.Model], str, str]] = []
        self.checks_keys = False
        # Millions of timestamps: text from a day's date and a time of day is
        # several times faster than formatting datetimes.
        self.dates: dict[int, str] = {}
        self.times = [
            f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+00" for s in range(86_400)
        ]

    def timestamp(self, moment: float | None) -> str | None:  # type: ignore[override]
        if moment is None:
            return None
        day, second = divmod(int(moment), 86_400)
        date = self.dates.get(day)
        if date is None:
            date = datetime.fromtimestamp(day * 86_400, UTC).strftime("%Y-%m-%d ")
            self.dates[day] = date
        return date + self.times[second]

    def execute(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    @contextmanager
    def session(self) -> Iterator[None]:
        # The settings make statements time out after seconds; a COPY of a
        # chunk into a big indexed table, or an index build, takes longer.
        self.execute("SET LOCAL statement_timeout = 0")
        self.execute("SET LOCAL maintenance_work_mem = '256MB'")
        try:
            with transaction.atomic(using=self.alias):
                self.execute("SET LOCAL session_replication_role = replica")
            self.checks_keys = True
        except DatabaseError:  # not a superuser: the keys are checked at commit
            self.checks_keys = False
        yield
        if self.checks_keys:  # the rest of an enclosing transaction checks keys
            self.execute("SET LOCAL session_replication_role = DEFAULT")

    def reserve(self, model: type[models.Model], count: int) -> int:
        if count >= self.BIG_LOAD and model not in self.next_ids:
            self.drop_indexes(model)
        return super().reserve(model, count)

    def drop_indexes(self, model: type[models.Model]) -> None:
        """Drop the indexes no constraint needs; remember how to build them."""
        indexes = self.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid
              )
            ORDER BY i.relname
            """,
            [model._meta.db_table],
        )
        for name, definition in indexes:
            self.execute(f"DROP INDEX {self.connection.ops.quote_name(name)}")
            self.dropped_indexes.append((model, name, definition))

    def build_indexes(self) -> None:
        """As they were: a model's constraint as its migration made it."""
        for model, name, definition in self.dropped_indexes:
            constraints = {c.name: c for c in model._meta.constraints}
            if name in constraints:
                # Read back from the catalogue, a partial index's condition
                # would come out spelt differently; the same SQL would not.
                with self.connection.schema_editor() as editor:
                    editor.add_constraint(model, constraints[name])
            else:
                self.execute(definition)

    def flush(self, table: _Table) -> None:
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in table.fields)
        not_null = ", ".join(quote(f.column) for f in table.fields if not f.null)
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(table.rows)
        buffer.seek(0)
        started = time.monotonic()
        with self.connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {quote(table.model._meta.db_table)} ({columns}) FROM STDIN "
                f"WITH (FORMAT csv, FORCE_NOT_NULL ({not_null}))",
                buffer,
                1 << 20,  # bytes read from the buffer at a time
            )
        spent = time.monotonic() - started
        self.copy_seconds[table.model] = self.copy_seconds.get(table.model, 0) + spent

    def finish(self) -> None:
        self.build_indexes()
        super().finish()
        for model in self.next_ids:
            self.execute(
                f"ANALYZE {self.connection.ops.quote_name(model._meta.db_table)}"
            )
        if self.checks_keys:  # with statistics, these are hash anti-joins
            self.check_keys()

    def check_keys(self) -> None:
        """What the foreign-key triggers would have checked, for the new rows."""
        quote = self.connection.ops.quote_name
        for model, first in self.first_ids.items():
            table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
            for f in model._meta.concrete_fields:
                if not f.is_relation:
                    continue
                target = f.target_field
                # Table and column names come from the models, quoted.
                orphans = self.execute(
                    f"SELECT c.{pk} FROM {table} c WHERE c.{pk} >= %s "  # nosec B608
                    f"AND c.{quote(f.column)} IS NOT NULL AND NOT EXISTS (SELECT 1 "
                    f"FROM {quote(target.model._meta.db_table)} p "
                    f"WHERE p.{quote(target.column)} = c.{quote(f.column)}) LIMIT 1",
                    [first],
                )
                if orphans:
                    raise IntegrityError(
                        f"{model._meta.label}.{f.name} of row {orphans[0][0]} "
                        "points to no row"
                    )


def writer_for(alias: str = DEFAULT_DB_ALIAS) -> Writer:
    if connections[alias].vendor == "postgresql":
        return CopyWriter(alias)
    return Writer(alias)


# --- the plan ---------------------------------------------------------------

ZONE_FIELDS = ["id", "name", "contact_name", "email", "phone", "website"]
HOUSE_RULES_FIELDS = "id zone version title body pdf is_current published_at".split()
MUNICIPALITY_FIELDS = ["id", "zone", "name", "slug", "postcodes"]
STREET_FIELDS = ["id", "municipality", "name", "postcode", "search_name"]
REGION_FIELDS = ["id", "municipality", "name", "description"]
GROUP_FIELDS = (
    "id municipality region kind name description invite_link "
    "send_invite_link is_public is_active display_order created_at"
).split()
COVERAGE_FIELDS = ["id", "region", "street", "parity", "number_from", "number_to"]
USER_FIELDS = (
    "id password last_login is_superuser username first_name last_name "
    "email is_staff is_active date_joined"
).split()
COORDINATOR_FIELDS = (
    "id zone user first_name last_name email phone listed_publicly "
    "shares_contact notification_mode is_active"
).split()
SIGNUP_FIELDS = (
    "id role status group proposed_group_name proposed_area first_name "
    "last_name street_name street house_number box postcode municipality "
    "phone email language house_rules house_rules_accepted_at "
    "privacy_accepted_at outside_region created_at updated_at confirmed_at "
    "decided_at decided_by decision_reason added_to_whatsapp_at ended_at "
    "erased_at"
).split()
STATUS_CHANGE_FIELDS = "id signup from_status to_status actor reason created_at".split()
PROGRESS_EVERY = 250_000


class SizeError(ValueError):
    """The sizes ask for more than the name lists can make distinct."""


@dataclass
class _Zone:
    id: int
    name: str
    staff: list[int] = field(default_factory=list)
    rules: list[tuple[float, int]] = field(default_factory=list)  # (published, id)

    def rules_at(self, moment: float) -> int:
        """The house rules that were current at this moment (the oldest before)."""
        current = self.rules[0][1]
        for published, rules_id in self.rules:
            if published <= moment:
                current = rules_id
        return current


@dataclass
class _Municipality:
    id: int
    zone: _Zone
    name: str
    postcodes: list[str]
    weight: float
    streets: list[tuple[int, str, str]] = field(default_factory=list)  # id, name, pc
    uncovered: list[int] = field(default_factory=list)  # indices into streets
    groups: list["_Group"] = field(default_factory=list)
    umbrella: int = 0


@dataclass
class _Group:
    id: int
    municipality: _Municipality
    region: int
    name: str
    created: float
    published: bool
    # (index into the municipality's streets, parity, from, to)
    coverage: list[tuple[int, str, int | None, int | None]] = field(
        default_factory=list
    )
    deciders: list[int] = field(default_factory=list)  # its coordinators' logins

    def covers(self, street_id: int, number: int) -> bool:
        """RegionStreet.covers over the group's region, for one street."""
        streets = self.municipality.streets
        for index, parity, low, high in self.coverage:
            if streets[index][0] != street_id:
                continue
            if parity == EVEN and number % 2:
                continue
            if parity == ODD and not number % 2:
                continue
            if (low is None or low <= number) and (high is None or number <= high):
                return True
        return False


@dataclass
class _Coordinator:
    groups: list[_Group]
    active: bool
    id: int = 0
    user: int = 0


Log = Callable[[str], None]


@dataclass
class Report:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.rows.values())


class Generator:
    """Plans the network in memory (small) and streams the signups (large)."""

    def __init__(self, sizes: Sizes, *, seed: int, writer: Writer, log: Log) -> None:
        self.sizes = sizes
        self.rng = random.Random(seed)  # nosec B311: made-up data, nothing secret
        self.writer = writer
        self.log = log
        self.now = float(int(timezone.now().timestamp()))
        self.report = Report()
        self.password = make_password(None)  # one unusable password for all
        self.zones: list[_Zone] = []
        self.municipalities: list[_Municipality] = []
        self.groups: list[_Group] = []
        self.at = writer.timestamp
        # Ended signups older than this were erased by the retention purge.
        self.erase_after = {
            status: getattr(settings, setting) * DAY
            for status, setting in (
                (REJECTED, "CLOSED_RETENTION_DAYS"),
                (WITHDRAWN, "CLOSED_RETENTION_DAYS"),
                (LEFT, "LEFT_RETENTION_DAYS"),
                (REMOVED, "LEFT_RETENTION_DAYS"),
            )
        }

    @contextmanager
    def table(
        self, label: str, model: type[models.Model], fields: list[str]
    ) -> Iterator[_Table]:
        started = time.monotonic()
        table = _Table(self.writer, model, fields)
        yield table
        table.flush()
        self.report.rows[label] = self.report.rows.get(label, 0) + table.count
        seconds = time.monotonic() - started
        copying = getattr(self.writer, "copy_seconds", {}).get(model)
        of_which = "" if copying is None else f" (COPY {copying:.1f} s)"
        self.log(f"{label:<24} {table.count:>10,} rows {seconds:7.1f} s{of_which}")

    def run(self) -> Report:
        with self.writer.session():
            self.make_zones()
            self.make_municipalities()
            self.make_streets()
            self.make_groups()
            self.make_people()
            self.make_signups()
            finishing = time.monotonic()
            self.writer.finish()
            self.log(f"{'indexes, keys, ANALYZE':<24} {'':>15} {self.since(finishing)}")
        network_cache.invalidate()
        return self.report

    @staticmethod
    def since(started: float) -> str:
        return f"{time.monotonic() - started:7.1f} s"

    def person(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def mail(self, first: str, last: str, tag: str, domain: str = "") -> str:
        domain = domain or self.rng.choice(MAIL_DOMAINS)
        return f"{_local_part(first)}.{_local_part(last)}.{tag}@{domain}"

    # --- zones and municipalities -------------------------------------------

    def municipality_names(self, count: int) -> list[str]:
        """Distinct names, none the database knows (by name or address)."""
        taken = {
            name.lower() for name in Municipality.objects.values_list("name", flat=True)
        }
        taken |= set(Municipality.objects.values_list("slug", flat=True))
        stems = sorted(
            {s + e for s in MUNICIPALITY_STEMS for e in MUNICIPALITY_ENDINGS}
        )
        self.rng.shuffle(stems)
        chosen: list[str] = []
        number = 1
        while len(chosen) < count:
            for stem in stems:
                name = stem if number == 1 else f"{stem} {number}"
                if name.lower() in taken or slugify(name) in taken:
                    continue
                taken |= {name.lower(), slugify(name)}
                chosen.append(name)
                if len(chosen) == count:
                    break
            number += 1
        return chosen

    def postcode_lists(self, counts: list[int]) -> list[list[str]]:
        """Consecutive free codes for all municipalities of a zone, as in Belgium."""
        used = self.used_postcodes
        free = [str(code) for code in range(1000, 10_000) if str(code) not in used]
        if len(free) < sum(counts):  # Belgium is full: codes are shared then
            free = [str(code) for code in range(1000, 10_000)]
        start = self.rng.randrange(len(free))
        codes = [free[(start + i) % len(free)] for i in range(sum(counts))]
        self.used_postcodes |= set(codes)
        lists, at = [], 0
        for count in counts:
            lists.append(codes[at : at + count])
            at += count
        return lists

    def make_zones(self) -> None:
        rng, sizes = self.rng, self.sizes
        self.used_postcodes: set[str] = set()
        for row in Municipality.objects.values_list("postcodes", flat=True):
            self.used_postcodes |= {code.strip() for code in row.split(",")}
        names = self.municipality_names(sizes.municipalities)
        per_zone = apportion(
            sizes.municipalities, [rng.uniform(0.5, 1.5) for _ in range(sizes.zones)], 1
        )
        taken = set(PoliceZone.objects.values_list("name", flat=True))
        first_zone = self.writer.reserve(PoliceZone, sizes.zones)
        first_municipality = self.writer.reserve(Municipality, sizes.municipalities)
        at = 0
        with self.table("police zones", PoliceZone, ZONE_FIELDS) as rows:
            for number, count in enumerate(per_zone):
                name = f"PZ {names[at]}"  # after its first municipality
                while name in taken:
                    name += " bis"
                zone = _Zone(first_zone + number, name)
                self.zones.append(zone)
                slug = slugify(name)
                rows.add(
                    (
                        zone.id,
                        name,
                        " ".join(self.person()),
                        f"wijkwerking@{slug}.politie.example",
                        f"+32{rng.choice(FLANDERS_AREA_CODES)}"
                        f"{rng.randrange(200_000, 1_000_000)}",
                        f"https://{slug}.politie.example",
                    )
                )
                sizes_ = [rng.choice((1, 1, 1, 2, 2, 3, 4)) for _ in range(count)]
                for offset, codes in enumerate(self.postcode_lists(sizes_)):
                    self.municipalities.append(
                        _Municipality(
                            first_municipality + at + offset,
                            zone,
                            names[at + offset],
                            codes,
                            rng.uniform(0.4, 1.6),
                        )
                    )
                at += count
        versions = [2 if rng.random() < 0.5 else 1 for _ in self.zones]
        next_id = self.writer.reserve(HouseRules, sum(versions))
        with self.table("house rules", HouseRules, HOUSE_RULES_FIELDS) as rows:
            for zone, count in zip(self.zones, versions, strict=True):
                # The first version came with the portal; a newer one since.
                published = [self.now - 4 * YEAR, self.now - rng.uniform(60, 700) * DAY]
                for version in range(1, count + 1):
                    zone.rules.append((published[version - 1], next_id))
                    rows.add(
                        (
                            next_id,
                            zone.id,
                            version,
                            f"Huishoudelijk reglement WABP {zone.name}",
                            HOUSE_RULES_BODY,
                            "",
                            version == count,
                            self.at(published[version - 1]),
                        )
                    )
                    next_id += 1

    def make_municipalities(self) -> None:
        with self.table("municipalities", Municipality, MUNICIPALITY_FIELDS) as rows:
            for m in self.municipalities:
                postcodes = ", ".join(m.postcodes)
                rows.add((m.id, m.zone.id, m.name, slugify(m.name), postcodes))

    # --- streets, regions, groups, coverage ---------------------------------

    def street_name(self) -> str:
        rng = self.rng
        stem = rng.choice(STREET_STEMS)
        name = stem + rng.choices(STREET_ENDINGS, STREET_ENDING_WEIGHTS)[0]
        if " " not in stem and "-" not in stem and rng.random() < 0.15:
            name = f"{rng.choice(STREET_PREFIXES)} {name}"
        return name

    def street_names(self, m: _Municipality, count: int) -> list[tuple[str, str]]:
        """Distinct (name, postcode): a name may recur in another part of town."""
        rng = self.rng
        seen: set[tuple[str, str]] = set()
        names: list[tuple[str, str]] = []
        for _ in range(50 * count + 1000):
            if len(names) == count:
                break
            postcode = m.postcodes[0]
            if len(m.postcodes) > 1 and rng.random() < 0.4:
                postcode = rng.choice(m.postcodes[1:])
            key = (self.street_name(), postcode)
            if key not in seen:
                seen.add(key)
                names.append(key)
        if len(names) < count:
            raise SizeError(f"cannot name {count} distinct streets in one municipality")
        return names

    def make_streets(self) -> None:
        per_municipality = apportion(
            self.sizes.streets, [m.weight for m in self.municipalities], 1
        )
        next_id = self.writer.reserve(Street, self.sizes.streets)
        keys: dict[str, str] = {}
        with self.table("streets", Street, STREET_FIELDS) as rows:
            for m, count in zip(self.municipalities, per_municipality, strict=True):
                for name, postcode in self.street_names(m, count):
                    key = keys.get(name) or keys.setdefault(
                        name, normalize_street_name(name)
                    )
                    m.streets.append((next_id, name, postcode))
                    rows.add((next_id, m.id, name, postcode, key))
                    next_id += 1

    def region_names(self, m: _Municipality, count: int) -> list[str]:
        rng = self.rng
        stems = [stem for stem in STREET_STEMS if " " not in stem and "-" not in stem]
        names: list[str] = []
        seen: set[str] = set()
        while len(names) < count:
            if rng.random() < 0.25 and m.streets:
                name = f"{rng.choice(m.streets)[1]} en omgeving"
            else:
                name = rng.choice(stems) + rng.choice(AREA_ENDINGS)
            while name in seen:
                name = f"{name.rsplit(' ', 1)[0] if name[-1].isdigit() else name} "
                name += str(rng.randrange(2, 100))
            seen.add(name)
            names.append(name)
        return names

    def make_groups(self) -> None:
        rng, sizes = self.rng, self.sizes
        per_municipality = apportion(
            sizes.groups, [m.weight for m in self.municipalities], 1
        )
        next_region = self.writer.reserve(Region, sizes.groups)
        next_group = self.writer.reserve(
            WhatsAppGroup, sizes.groups + len(per_municipality)
        )
        groups_table = self.table("whatsapp groups", WhatsAppGroup, GROUP_FIELDS)
        with (
            self.table("regions", Region, REGION_FIELDS) as regions,
            groups_table as groups,
        ):
            for m, count in zip(self.municipalities, per_municipality, strict=True):
                founded = self.now - rng.uniform(3.5, 4) * YEAR
                m.umbrella = next_group
                groups.add(
                    (
                        next_group,
                        m.id,
                        None,
                        GroupKind.UMBRELLA,
                        f"WABP {m.name} coördinatoren",
                        "De groep van de coördinatoren van de gemeente.",
                        self.invite_link(),
                        True,
                        False,
                        True,
                        0,
                        self.at(founded),
                    )
                )
                next_group += 1
                for order, name in enumerate(self.region_names(m, count), start=1):
                    regions.add((next_region, m.id, name, ""))
                    group = self.group_row(m, next_group, next_region, name, order)
                    groups.add(group)
                    next_group += 1
                    next_region += 1
        self.make_coverage()

    def invite_link(self) -> str:
        code = "".join(self.rng.choices(ALNUM, k=22))
        return f"https://chat.whatsapp.com/{code}"

    def group_row(
        self, m: _Municipality, group_id: int, region_id: int, name: str, order: int
    ) -> tuple:
        rng = self.rng
        if rng.random() < 0.7:  # most groups started when the portal did
            created = self.now - rng.uniform(3.5, 4) * YEAR
        else:
            created = self.now - rng.uniform(90 * DAY, 3.5 * YEAR)
        chance = rng.random()
        is_public = chance >= 0.03  # a few hidden by staff
        is_active = not 0.03 <= chance < 0.05  # a few stopped
        link = self.invite_link() if rng.random() < 0.97 else ""
        group = _Group(
            group_id, m, region_id, f"WABP {name}", created, is_public and is_active
        )
        m.groups.append(group)
        self.groups.append(group)
        return (
            group_id,
            m.id,
            region_id,
            GroupKind.NEIGHBOURHOOD,
            group.name,
            f"Buurtpreventie in {name}." if rng.random() < 0.5 else "",
            link,
            bool(link) and rng.random() < 0.85,
            is_public,
            is_active,
            order,
            self.at(created),
        )

    def make_coverage(self) -> None:
        """Most streets in one region; a few split by side or number; some in none."""
        rng = self.rng
        for m in self.municipalities:
            indices = list(range(len(m.streets)))
            rng.shuffle(indices)
            groups = m.groups
            covered = max(min(len(indices), len(groups)), round(len(indices) * 0.86))
            m.uncovered = indices[covered:]
            shares = apportion(
                covered,
                [rng.lognormvariate(0, 0.5) for _ in groups],
                1 if covered >= len(groups) else 0,
            )
            at = 0
            for position, (group, share) in enumerate(zip(groups, shares, strict=True)):
                other = groups[(position + 1) % len(groups)]
                for index in indices[at : at + share]:
                    chance = rng.random()
                    if other is group or chance >= 0.09:
                        group.coverage.append((index, ALL, None, None))
                        continue
                    middle = rng.randrange(10, 80)
                    if chance < 0.04:  # one side of the street each
                        group.coverage.append((index, EVEN, None, None))
                        other.coverage.append((index, ODD, None, None))
                    elif chance < 0.07:  # low numbers and high numbers
                        group.coverage.append((index, ALL, 1, middle))
                        other.coverage.append((index, ALL, middle + 1, None))
                    else:  # only the first stretch; the rest is not covered
                        group.coverage.append((index, ALL, 1, middle))
                at += share
        count = sum(len(group.coverage) for group in self.groups)
        next_id = self.writer.reserve(RegionStreet, count)
        with self.table("region streets", RegionStreet, COVERAGE_FIELDS) as rows:
            for group in self.groups:
                streets = group.municipality.streets
                for index, parity, low, high in group.coverage:
                    rows.add(
                        (next_id, group.region, streets[index][0], parity, low, high)
                    )
                    next_id += 1

    # --- staff and coordinators ---------------------------------------------

    def plan_coordinators(self) -> list[_Coordinator]:
        """About one per group; some coordinate two groups, some groups have two."""
        rng = self.rng
        coordinators: list[_Coordinator] = []
        shown = False  # even a tiny network shows both cases once
        for m in self.municipalities:
            show = not shown and len(m.groups) >= 2
            shown = shown or show
            with_one_group: list[_Coordinator] = []
            for position, group in enumerate(m.groups):
                two_groups = rng.random() < 0.07 or (show and position == 1)
                if with_one_group and two_groups:
                    coordinator = with_one_group.pop(rng.randrange(len(with_one_group)))
                    coordinator.groups.append(group)
                else:
                    coordinator = _Coordinator([group], active=True)
                    coordinators.append(coordinator)
                    with_one_group.append(coordinator)
                if rng.random() < 0.08 or (show and position == 0):
                    # A second coordinator, sometimes retired.
                    active = rng.random() >= 0.25 or show
                    coordinators.append(_Coordinator([group], active))
        return coordinators

    def make_people(self) -> None:
        rng = self.rng
        coordinators = self.plan_coordinators()
        staff_count = self.sizes.staff_per_zone * len(self.zones)
        next_user = self.writer.reserve(User, staff_count + len(coordinators))
        next_coordinator = self.writer.reserve(Coordinator, len(coordinators))
        people: list[tuple[str, str, str]] = []
        with self.table("users", User, USER_FIELDS) as users:
            for zone in self.zones:
                for _ in range(self.sizes.staff_per_zone):
                    first, last = self.person()
                    email = self.mail(first, last, f"s{next_user}", "politie.example")
                    joined = self.now - rng.uniform(3.5, 4) * YEAR
                    seen = self.now - rng.uniform(0, 14) * DAY
                    users.add(
                        self.user_row(next_user, first, last, email, joined, seen)
                    )
                    zone.staff.append(next_user)
                    next_user += 1
            for coordinator in coordinators:
                coordinator.id, coordinator.user = next_coordinator, next_user
                first, last = self.person()
                email = self.mail(first, last, f"c{coordinator.id}")
                people.append((first, last, email))
                joined = min(group.created for group in coordinator.groups) + DAY
                seen = None
                if coordinator.active and rng.random() < 0.8:
                    seen = self.now - rng.uniform(0, 60) * DAY
                users.add(
                    self.user_row(
                        next_user, first, last, email, joined, seen, coordinator.active
                    )
                )
                if coordinator.active:
                    for group in coordinator.groups:
                        group.deciders.append(next_user)
                next_user += 1
                next_coordinator += 1
        self.write_roles(coordinators, people)

    def user_row(self, user_id, first, last, email, joined, seen, active=True) -> tuple:
        # Like login_for(): the e-mail address is the user name.
        return (
            user_id,
            self.password,
            self.at(seen),
            False,
            email,
            first,
            last,
            email,
            True,
            active,
            self.at(joined),
        )

    def write_roles(
        self, coordinators: list[_Coordinator], people: list[tuple[str, str, str]]
    ) -> None:
        rng = self.rng
        roles = dict(Group.objects.values_list("name", "pk"))
        missing = {ROLE_COORDINATOR, ROLE_ZONE_STAFF} - set(roles)
        if missing:
            raise SizeError(f"role groups missing (run migrate): {sorted(missing)}")
        staff_through = PoliceZone.staff.through
        staff_links = [(zone.id, user) for zone in self.zones for user in zone.staff]
        next_id = self.writer.reserve(staff_through, len(staff_links))
        fields = ["id", "policezone", "user"]
        with self.table("zone staff", staff_through, fields) as rows:
            for zone_id, user_id in staff_links:
                rows.add((next_id, zone_id, user_id))
                next_id += 1
        with self.table("coordinators", Coordinator, COORDINATOR_FIELDS) as rows:
            for coordinator, person in zip(coordinators, people, strict=True):
                zone = coordinator.groups[0].municipality.zone
                rows.add(
                    (
                        coordinator.id,
                        zone.id,
                        coordinator.user,
                        *person,
                        mobile_number(coordinator.id, COORDINATOR_MOBILE_PREFIXES),
                        rng.random() < 0.7,
                        rng.random() < 0.85,
                        NotificationMode.IMMEDIATE
                        if rng.random() < 0.75
                        else NotificationMode.DIGEST,
                        coordinator.active,
                    )
                )
        links = []
        for coordinator in coordinators:
            umbrellas = {group.municipality.umbrella for group in coordinator.groups}
            for group_id in [g.id for g in coordinator.groups] + sorted(umbrellas):
                links.append((coordinator.id, group_id))
        through = Coordinator.groups.through
        next_id = self.writer.reserve(through, len(links))
        fields = ["id", "coordinator", "whatsappgroup"]
        with self.table("coordinator groups", through, fields) as rows:
            for coordinator_id, group_id in links:
                rows.add((next_id, coordinator_id, group_id))
                next_id += 1
        memberships = [(user, roles[ROLE_ZONE_STAFF]) for _, user in staff_links]
        memberships += [
            (c.user, roles[ROLE_COORDINATOR]) for c in coordinators if c.active
        ]
        through = User.groups.through
        next_id = self.writer.reserve(through, len(memberships))
        with self.table("user roles", through, ["id", "user", "group"]) as rows:
            for user_id, role_id in memberships:
                rows.add((next_id, user_id, role_id))
                next_id += 1

    # --- signups --------------------------------------------------------------

    def make_signups(self) -> None:
        """Drawn in two passes: kind, group and submission time; then in time order.

        Ids then grow with ``created_at``, as they do in a real table.
        """
        rng, n = self.rng, self.sizes.signups
        started = time.monotonic()
        counts = apportion(
            n, [share for _, _, share in SIGNUP_MIX], 1 if n >= 200 else 0
        )
        kinds = bytearray()
        for kind, count in enumerate(counts):
            kinds += bytes([kind]) * count
        rng.shuffle(kinds)
        weights = [rng.lognormvariate(0, 0.5) for _ in self.groups]
        everywhere = self.picker(range(len(self.groups)), weights)
        published = [i for i, group in enumerate(self.groups) if group.published]
        open_ones = (
            self.picker(published, [weights[i] for i in published])
            if published
            else everywhere
        )
        created = array("d", bytes(8 * n))
        group_of = array("l", bytes(array("l").itemsize * n))
        groups, submitted = self.groups, self.submitted
        for i in range(n):
            role, status = KINDS[kinds[i]]
            index = (open_ones if status in (UNCONFIRMED, PENDING) else everywhere)()
            group_of[i] = index
            created[i] = submitted(role, status, groups[index])
        order = sorted(range(n), key=created.__getitem__)
        first_signup = self.writer.reserve(Signup, n)
        first_change = self.writer.reserve(StatusChange, n)
        self.log(f"{'signups planned':<24} {n:>10,} rows {self.since(started)}")
        changes_table = self.table("status changes", StatusChange, STATUS_CHANGE_FIELDS)
        with (
            self.table("signups", Signup, SIGNUP_FIELDS) as signups,
            changes_table as changes,
        ):
            make, add_signup, add_change = self.signup, signups.add, changes.add
            for position, i in enumerate(order):
                signup, change = make(
                    first_signup + position, kinds[i], groups[group_of[i]], created[i]
                )
                add_signup(signup)
                add_change((first_change + position, *change))
                if (position + 1) % PROGRESS_EVERY == 0:
                    self.log(
                        f"  signups {position + 1:>10,} / {n:,} {self.since(started)}"
                    )

    def picker(self, items: Sequence[int], weights: list[float]) -> Callable[[], int]:
        cumulative = list(accumulate(weights))
        total, random_ = cumulative[-1], self.rng.random
        return lambda: items[bisect_right(cumulative, random_() * total)]

    def submitted(self, role: str, status: str, group: _Group) -> float:
        """When the form was sent: recent for open ones, over three years for others."""
        random_, now = self.rng.random, self.now
        if status == UNCONFIRMED:  # the link is valid for two days
            return now - 600 - random_() * 45 * 3600
        if status == PENDING:
            return now - 7200 - 60 * DAY * random_() ** 2
        if role == COORDINATOR and status == APPROVED:
            return group.created - (3 + 17 * random_()) * DAY  # it founded the group
        youngest = 7 * DAY if status in (LEFT, REMOVED) else 2 * DAY
        span = max(0.0, min(HISTORY, now - group.created - DAY) - youngest)
        # Denser towards now: the network grows.
        return now - youngest - span * (1 - sqrt(random_()))

    def decider(self, group: _Group, *, staff_only: bool = False) -> int | None:
        """A coordinator of the group mostly, or staff of the zone."""
        random_ = self.rng.random
        deciders = group.deciders
        if deciders and not staff_only and random_() < 0.9:
            return deciders[int(random_() * len(deciders))]
        staff = group.municipality.zone.staff
        return staff[int(random_() * len(staff))] if staff else None

    def address(
        self, group: _Group, applying: bool
    ) -> tuple[str, int | None, int, str, str]:
        """(street name as typed, street id, number, house number, postcode)."""
        random_ = self.rng.random
        m = group.municipality
        chance = random_()
        number = 1 + int(random_() * 150)
        if chance < 0.015:  # a new street the register does not know yet
            stem = STREET_STEMS[int(random_() * len(STREET_STEMS))]
            return f"Residentie {stem}hof", None, number, str(number), m.postcodes[0]
        coverage = group.coverage
        if applying and m.uncovered:
            index = m.uncovered[int(random_() * len(m.uncovered))]
        elif chance < 0.085 or not coverage or applying:
            index = int(random_() * len(m.streets))
        else:
            index, parity, low, high = coverage[int(random_() * len(coverage))]
            low = low or 1
            high = high or low + 120
            number = low + int(random_() * (high - low + 1))
            if (parity == EVEN and number % 2) or (parity == ODD and not number % 2):
                number += 1 if number < high else -1
        street_id, name, postcode = m.streets[index]
        if random_() < 0.05:  # typed short; the finder and known_street cope
            name = name.replace("steenweg", " stwg.").replace("straat", "str.")
        house = f"{number}A" if random_() < 0.03 else str(number)
        return name, street_id, number, house, postcode

    def signup(self, signup_id: int, kind: int, group: _Group, created: float):
        """One signup row and the StatusChange of its latest step (without id).

        The hot loop of the generator: plain strings, ``random()`` only.
        """
        random_, now, at = self.rng.random, self.now, self.at
        role, status = KINDS[kind]
        applying = role == COORDINATOR
        m = group.municipality
        first = FIRST_NAMES[int(random_() * len(FIRST_NAMES))]
        last = LAST_NAMES[int(random_() * len(LAST_NAMES))]
        street_name, street, number, house, postcode = self.address(group, applying)
        outside = not applying and (street is None or not group.covers(street, number))
        confirmed = decided = added = ended = erased = decided_by = actor = None
        reason = ""
        previous = status
        if status == WITHDRAWN:
            chance = random_()
            if chance < 0.1:
                previous = UNCONFIRMED
            elif chance < 0.45 or applying:
                previous = PENDING
            else:
                previous = APPROVED
        if previous != UNCONFIRMED:
            delay = 60 - log(1 - random_()) * 5400  # mostly within hours
            confirmed = min(created + delay, now - 60)
        if previous in DECIDED:
            days = DECISION_DAYS[int(random_() * len(DECISION_DAYS))]
            decided = min(confirmed + days * DAY + 300 + random_() * 36_000, now - 60)
            if applying and status == APPROVED:
                decided = max(group.created, confirmed)
            decided_by = actor = self.decider(group, staff_only=applying)
            if previous != REJECTED and not applying and random_() < 0.92:
                added = min(decided + random_() * DAY, now)
        step, from_status = created, ""
        if status == PENDING:
            step, from_status = confirmed, UNCONFIRMED
        elif status == APPROVED or status == REJECTED:
            step, from_status = decided, PENDING
            if status == REJECTED:
                ended = decided
                reasons = APPLICATION_REJECT_REASONS if applying else REJECT_REASONS
                reason = reasons[int(random_() * len(reasons))]
        elif status == LEFT or status == REMOVED:
            since = added or decided
            ended = since + (now - 60 - since) * random_()
            step, from_status = ended, APPROVED
            actor = self.decider(group)
            if status == REMOVED:
                reason = REMOVE_REASONS[int(random_() * len(REMOVE_REASONS))]
        elif status == WITHDRAWN:
            since = added or decided or confirmed or created
            if previous == APPROVED:
                ended = since + (now - 30 - since) * random_()
            else:
                window = 40 * 3600 if previous == UNCONFIRMED else 10 * DAY
                ended = min(since + 60 + random_() * window, now - 30)
            step, from_status, actor = ended, previous, None
        if ended is not None and ended < now - self.erase_after[status]:
            erased = min(ended + self.erase_after[status] + random_() * DAY, now)
        blank = status == WITHDRAWN or erased is not None
        proposed_name = proposed_area = ""
        if applying:
            if status == APPROVED:
                proposed_name = group.name
            else:
                area = street_name.split(" ")[-1] if street is None else street_name
                proposed_name = f"WABP {area}"
            proposed_area = f"{street_name} en de straten errond"
        box = phone = email = ""
        if blank:
            first = last = street_name = house = postcode = reason = proposed_area = ""
            street = None
        else:
            if random_() < 0.04:
                box = BOXES[int(random_() * len(BOXES))]
            phone = mobile_number(signup_id, SIGNUP_MOBILE_PREFIXES)
            domain = MAIL_DOMAINS[signup_id % len(MAIL_DOMAINS)]
            email = f"{LOCAL_PARTS[first]}.{LOCAL_PARTS[last]}.{signup_id}@{domain}"
        updated = max(
            moment
            for moment in (created, confirmed, decided, added, ended, erased)
            if moment is not None
        )
        submitted = at(created)
        row = (
            signup_id,
            role,
            status,
            group.id if not applying or status == APPROVED else None,
            proposed_name,
            proposed_area,
            first,
            last,
            street_name,
            street,
            house,
            box,
            postcode,
            m.id,
            phone,
            email,
            "nl" if random_() < 0.93 else "en",
            m.zone.rules_at(created),
            submitted,
            submitted,
            outside,
            submitted,
            at(updated),
            at(confirmed),
            at(decided),
            decided_by,
            reason,
            at(added),
            at(ended),
            at(erased),
        )
        return row, (signup_id, from_status, status, actor, reason, at(step))


# Plain strings in the hot loop: enum members are slower to look up and compare.
UNCONFIRMED, PENDING, APPROVED, REJECTED, LEFT, REMOVED, WITHDRAWN = (
    str(status.value)
    for status in (
        SignupStatus.UNCONFIRMED,
        SignupStatus.PENDING,
        SignupStatus.APPROVED,
        SignupStatus.REJECTED,
        SignupStatus.LEFT,
        SignupStatus.REMOVED,
        SignupStatus.WITHDRAWN,
    )
)
COORDINATOR = str(SignupRole.COORDINATOR.value)
ALL, EVEN, ODD = (str(parity.value) for parity in NumberParity)
KINDS = [(str(role.value), str(status.value)) for role, status, _ in SIGNUP_MIX]
DECIDED = (APPROVED, REJECTED, LEFT, REMOVED)
DECISION_DAYS = (0, 0, 1, 1, 1, 2, 3, 5, 8, 13)
BOXES = ("1", "2", "3", "A", "B", "0.1", "1.2")
LOCAL_PARTS = {name: _local_part(name) for name in (*FIRST_NAMES, *LAST_NAMES)}


def generate(
    sizes: Sizes,
    *,
    seed: int = DEFAULT_SEED,
    log: Log = print,
    alias: str = DEFAULT_DB_ALIAS,
) -> Report:
    """Write the whole made-up network in one transaction; return the counts."""
    problems = sizes.problems()
    if problems:
        raise SizeError("the sizes need " + ", ".join(problems))
    writer = writer_for(alias)
    started = time.monotonic()
    with transaction.atomic(using=alias):
        report = Generator(sizes, seed=seed, writer=writer, log=log).run()
        committing = time.monotonic()
    log(f"{'commit':<24} {'':>15} {time.monotonic() - committing:7.1f} s")
    report.seconds = time.monotonic() - started
    return report
