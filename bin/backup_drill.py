"""Backup drill: dump the database, restore the dump, compare the two.

Takes the database from DATABASE_URL (PostgreSQL only), dumps it with
``pg_dump --format=custom``, restores the dump with ``pg_restore --no-owner
--exit-on-error`` into a scratch database on the same server (the source's
name + ``_drill`` unless ``--scratch`` says otherwise), then compares the list
of tables of every non-system schema and each table's exact row count, and
with ``--sequences`` the sequences' last values. It prints table names and
counts only, never a row, and drops the scratch database at the end unless
``--keep-scratch``. The dump holds every row: it is written readable by its
owner only (0600), in a temporary directory only they can open (0700) unless
``--output`` names where to keep it.

Exit status: 0 when the restore matches, 1 on any difference or failure,
2 when it refuses to start (no DATABASE_URL, not PostgreSQL, a scratch name
that is the source or a database the drill did not create).

    DATABASE_URL=postgres://wabp@127.0.0.1:5432/wabp python bin/backup_drill.py
"""

import argparse
import os
import shutil
import subprocess  # nosec B404
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg2
from psycopg2 import sql
from psycopg2.extensions import ISOLATION_LEVEL_REPEATABLE_READ, make_dsn

SUFFIX = "_drill"
UNUSED = "unused"  # a sequence that has handed out no value yet
# PostgreSQL cuts longer names silently, so "x_drill" could become "x".
MAX_NAME_BYTES = 63
# Set on the scratch database when the drill creates it: the drill drops an
# existing database of that name only if it carries this mark, so a mistyped
# --scratch can never drop a real database.
MARK = "Scratch database of bin/backup_drill.py; safe to drop."
# Keys of Django's DATABASES OPTIONS that are not libpq connection parameters.
DJANGO_ONLY_OPTIONS = {"isolation_level", "assume_role", "server_side_binding", "pool"}
# The dump holds personal data: for its owner's eyes only.
PRIVATE_FILE = 0o600
PRIVATE_UMASK = 0o077

TABLES = sql.SQL(
    """
    SELECT n.nspname, c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r'
      AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
    ORDER BY 1, 2
    """
)
# pg_sequences.last_value is the last value handed out, NULL if none yet.
SEQUENCES = sql.SQL(
    """
    SELECT schemaname, sequencename, last_value FROM pg_sequences
    WHERE schemaname !~ '^pg_' AND schemaname <> 'information_schema'
    ORDER BY 1, 2
    """
)


class Refused(Exception):
    """The drill will not start (exit status 2)."""


class Failed(Exception):
    """A step of the drill failed (exit status 1)."""


@dataclass(frozen=True)
class Database:
    name: str
    host: str
    port: str
    user: str
    password: str
    options: dict[str, str]

    def conninfo(self, name: str | None = None) -> str:
        """A libpq connection string without the password (it goes in PGPASSWORD)."""
        params = {"dbname": name or self.name, "host": self.host, "port": self.port}
        params.update(user=self.user, **self.options)
        return make_dsn(**{key: value for key, value in params.items() if value})

    def connect(self, name: str | None = None):
        return psycopg2.connect(self.conninfo(name), password=self.password or None)

    def where(self) -> str:
        return f"{self.name} on {self.host or 'the local socket'}:{self.port or 5432}"


@dataclass(frozen=True)
class Row:
    name: str
    source: int | str | None  # None: missing on that side
    restored: int | str | None
    ok: bool


def source_database(url: str | None) -> Database:
    if not url:
        raise Refused("DATABASE_URL is not set; point it at the PostgreSQL database.")
    try:
        config = dj_database_url.parse(url)
    except ValueError as error:
        raise Refused(f"DATABASE_URL is not a database URL: {error}") from None
    # postgres://, postgresql://, pgsql:// and postgis:// all end up here.
    if not config["ENGINE"].endswith(("postgresql", "postgis")):
        raise Refused(
            f"DATABASE_URL points at {config['ENGINE'].rsplit('.', 1)[-1]}, "
            "not PostgreSQL: the drill needs pg_dump and pg_restore."
        )
    if not config["NAME"]:
        raise Refused("DATABASE_URL names no database.")
    options = {
        key: str(value)
        for key, value in config.get("OPTIONS", {}).items()
        if key not in DJANGO_ONLY_OPTIONS
    }
    return Database(
        name=config["NAME"],
        host=config["HOST"] or "",
        port=str(config["PORT"] or ""),
        user=config["USER"] or "",
        password=config["PASSWORD"] or "",
        options=options,
    )


def scratch_name(source: str, requested: str | None) -> str:
    if requested is None:
        # Cut the source's name, not the suffix, to stay within PostgreSQL's limit.
        stem = source.encode()[: MAX_NAME_BYTES - len(SUFFIX)]
        requested = stem.decode(errors="ignore") + SUFFIX
    if len(requested.encode()) > MAX_NAME_BYTES:
        raise Refused(f"--scratch is longer than {MAX_NAME_BYTES} bytes.")
    if requested == source:
        raise Refused("The scratch database cannot be the source database.")
    return requested


def count_rows(cursor) -> dict[str, int]:
    """Exact row count of every table of every non-system schema."""
    cursor.execute(TABLES)
    counts = {}
    for schema, table in cursor.fetchall():
        cursor.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, table))
        )
        counts[f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


def sequence_values(cursor) -> dict[str, int | str]:
    cursor.execute(SEQUENCES)
    return {
        f"{schema}.{name}": UNUSED if value is None else value
        for schema, name, value in cursor.fetchall()
    }


def compare(source: dict[str, int], restored: dict[str, int]) -> list[Row]:
    """One row per table on either side; a table missing on one side differs."""
    return [
        Row(
            name,
            source.get(name),
            restored.get(name),
            name in source and name in restored and source[name] == restored[name],
        )
        for name in sorted(source.keys() | restored.keys())
    ]


def compare_sequences(
    before: dict[str, int | str],
    after: dict[str, int | str],
    restored: dict[str, int | str],
) -> list[Row]:
    """Sequences are not transactional: pg_dump reads each one's value when it
    gets there, outside the snapshot. On a live site the restored value lies
    between the source's value before the dump and after it (the source column
    then shows both); on a quiet one all three are equal.
    """
    rows = []
    for name in sorted(before.keys() | after.keys() | restored.keys()):
        low, high, value = before.get(name), after.get(name), restored.get(name)
        if None in (low, high, value):
            ok = False
        elif value in (low, high):
            ok = True
        else:
            ok = all(isinstance(each, int) for each in (low, high, value)) and (
                min(low, high) <= value <= max(low, high)
            )
        shown = high if low == high or low is None else f"{low}..{high}"
        rows.append(Row(name, shown, value, ok))
    return rows


def print_rows(rows: list[Row], title: str) -> None:
    width = max([len(title), *(len(row.name) for row in rows)])
    print(f"{title:<{width}}  {'source':>10}  {'restored':>10}")
    for row in rows:
        source = "-" if row.source is None else row.source
        restored = "-" if row.restored is None else row.restored
        verdict = "OK" if row.ok else "DIFF"
        print(f"{row.name:<{width}}  {source:>10}  {restored:>10}  {verdict}")


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            break
        value /= 1024
    return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit} ({size} bytes)"


def private_file(path: Path) -> None:
    """Create ``path`` empty, readable and writable by its owner only (0600).

    The dump holds every resident's name, address, phone number and e-mail:
    pg_dump writes into this file and keeps its mode, where a file of its own
    would be world-readable under the usual umask. A file already there (an
    earlier ``--output``) is emptied and narrowed to 0600 as well.
    """
    try:
        descriptor = os.open(
            path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, PRIVATE_FILE
        )
    except OSError as error:
        raise Failed(f"Cannot create the dump file {path}: {error}") from None
    try:
        os.fchmod(descriptor, PRIVATE_FILE)
    finally:
        os.close(descriptor)


def run_tool(program: str, arguments: list[str], database: Database) -> None:
    path = shutil.which(program)
    if path is None:
        raise Failed(f"{program} is not installed (apt-get install postgresql-client).")
    env = dict(os.environ, PGPASSWORD=database.password)
    if not database.password:
        env.pop("PGPASSWORD")
    # Accepted bandit findings B404 and B603: a list of arguments, no shell, the
    # program's absolute path from which(); the only values from outside are the
    # operator's own DATABASE_URL and options, each passed as one argument.
    result = subprocess.run(  # nosec B603
        [path, "--no-password", *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        # Whatever file a tool creates is its owner's only.
        umask=PRIVATE_UMASK,
    )
    if result.returncode:
        # DETAIL and CONTEXT lines (and the command) can quote a row's values.
        lines = [
            line
            for line in result.stderr.splitlines()
            if not line.lstrip().startswith(("DETAIL:", "CONTEXT:", "Command was:"))
        ]
        raise Failed(
            f"{program} failed (exit {result.returncode}):\n" + "\n".join(lines)
        )


def is_marked(cursor, name: str) -> bool | None:
    """None if there is no database ``name``; else whether the drill made it."""
    cursor.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
        "WHERE datname = %s",
        [name],
    )
    found = cursor.fetchone()
    return None if found is None else found[0] == MARK


@contextmanager
def scratch_database(admin, source: Database, name: str, keep: bool) -> Iterator[None]:
    """Create the empty scratch database like the source; drop it afterwards."""
    with admin.cursor() as cursor:
        marked = is_marked(cursor, name)
        if marked is False:
            raise Refused(
                f"A database {name} exists that the drill did not create; "
                "drop it yourself or choose another --scratch."
            )
        if marked:
            print(f"Dropping the scratch database {name} left by an earlier drill.")
            cursor.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
        cursor.execute(
            "SELECT pg_encoding_to_char(encoding), datcollate, datctype "
            "FROM pg_database WHERE datname = %s",
            [source.name],
        )
        encoding, collate, ctype = cursor.fetchone()
        # template0: nothing added to template1 can clash with the restore.
        cursor.execute(
            sql.SQL(
                "CREATE DATABASE {} TEMPLATE template0 ENCODING {} "
                "LC_COLLATE {} LC_CTYPE {}"
            ).format(
                sql.Identifier(name),
                sql.Literal(encoding),
                sql.Literal(collate),
                sql.Literal(ctype),
            )
        )
        cursor.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(MARK)
            )
        )
    try:
        yield
    finally:
        if keep:
            print(f"Kept the scratch database {name} (--keep-scratch).")
        else:
            with admin.cursor() as cursor:
                cursor.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))


def drill(args: argparse.Namespace) -> int:
    source = source_database(os.environ.get("DATABASE_URL"))
    scratch = scratch_name(source.name, args.scratch)
    started = time.monotonic()
    print(f"Source: {source.where()}; scratch database: {scratch}")
    # mkdtemp makes the directory 0700: nobody else can even list it.
    with tempfile.TemporaryDirectory(prefix="backup-drill-") as directory:
        dump = (
            Path(args.output).resolve()
            if args.output
            else Path(directory) / "drill.dump"
        )
        try:
            admin = source.connect()
        except psycopg2.Error as error:
            raise Failed(f"Cannot connect to {source.where()}: {error}") from None
        admin.autocommit = True  # CREATE and DROP DATABASE refuse a transaction
        try:
            with scratch_database(admin, source, scratch, args.keep_scratch):
                return restore_and_compare(args, source, scratch, dump, started)
        finally:
            admin.close()


def restore_and_compare(
    args: argparse.Namespace,
    source: Database,
    scratch: str,
    dump: Path,
    started: float,
) -> int:
    # A live site keeps writing while the drill runs, so counting the source
    # after pg_dump would compare two different moments. Instead one REPEATABLE
    # READ transaction fixes a snapshot, exports it (pg_export_snapshot) and stays
    # open while pg_dump runs with --snapshot: the dump and the source counts see
    # exactly the same rows, and the comparison is exact however busy the site
    # is. Counting first also takes each table's ACCESS SHARE lock, held until
    # the end, so no ALTER or TRUNCATE can slip in before pg_dump locks them too.
    snapshot_holder = source.connect()
    try:
        snapshot_holder.set_session(
            isolation_level=ISOLATION_LEVEL_REPEATABLE_READ, readonly=True
        )
        with snapshot_holder.cursor() as cursor:
            # An idle-in-transaction limit would end the snapshot mid-dump.
            cursor.execute("SET LOCAL idle_in_transaction_session_timeout = 0")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            source_counts = count_rows(cursor)
            sequences_before = sequence_values(cursor) if args.sequences else {}
            private_file(dump)
            dump_started = time.monotonic()
            run_tool(
                "pg_dump",
                [
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                    f"--dbname={source.conninfo()}",
                ],
                source,
            )
            dump_seconds = time.monotonic() - dump_started
            sequences_after = sequence_values(cursor) if args.sequences else {}
        snapshot_holder.rollback()
    finally:
        snapshot_holder.close()

    restore_started = time.monotonic()
    run_tool(
        "pg_restore",
        [
            "--no-owner",
            "--exit-on-error",
            f"--dbname={source.conninfo(scratch)}",
            str(dump),
        ],
        source,
    )
    restore_seconds = time.monotonic() - restore_started
    restored = source.connect(scratch)
    try:
        with restored.cursor() as cursor:
            rows = compare(source_counts, count_rows(cursor))
            sequences = (
                compare_sequences(
                    sequences_before, sequences_after, sequence_values(cursor)
                )
                if args.sequences
                else []
            )
    finally:
        restored.close()

    print()
    print_rows(rows, "table")
    if sequences:
        print()
        print_rows(sequences, "sequence")
    print()
    differ = [row for row in rows + sequences if not row.ok]
    total = sum(source_counts.values())
    compared = f"{len(rows)} tables, {total} rows"
    if sequences:
        compared += f", {len(sequences)} sequences"
    if differ:
        print(f"DIFF: {len(differ)} of {compared} differ in the restore.")
    else:
        print(f"OK: {compared}, identical in the restore.")
    size = dump.stat().st_size
    kept = f" kept in {dump}" if args.output else ""
    print(f"Dump: {human_size(size)}{kept}")
    print(
        f"Time: pg_dump {dump_seconds:.1f} s, pg_restore {restore_seconds:.1f} s, "
        f"drill in all {time.monotonic() - started:.1f} s"
    )
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Dump the DATABASE_URL database with pg_dump, restore it into "
        "a scratch database and compare the row counts table by table."
    )
    parser.add_argument(
        "--scratch",
        metavar="NAME",
        help=f"scratch database to restore into (default: the source's name + "
        f"{SUFFIX}); dropped first if an earlier drill left it",
    )
    parser.add_argument(
        "--output",
        "--keep",
        metavar="PATH",
        help="write the dump to PATH (mode 0600) and keep it (default: a temporary "
        "file)",
    )
    parser.add_argument(
        "--keep-scratch",
        action="store_true",
        help="do not drop the scratch database at the end",
    )
    parser.add_argument(
        "--sequences",
        action="store_true",
        help="also compare the sequences' last values",
    )
    args = parser.parse_args(argv)
    try:
        return drill(args)
    except Refused as error:
        print(f"backup drill refused: {error}", file=sys.stderr)
        return 2
    except (Failed, psycopg2.Error) as error:
        print(f"backup drill FAILED: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
