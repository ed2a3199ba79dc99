"""The PostgreSQL writer: COPY of CSV chunks, as a bulk load is done.

The csv module formats whole chunks in C. An empty field is NULL in CSV, so
the columns that cannot be NULL (the text ones) read it as an empty string
(FORCE_NOT_NULL); None is only ever given for nullable columns.

A table that gets ``BIG_LOAD`` rows or more loses its secondary indexes for
the load; they are built again from their own definitions at the end (a
unique one checks its rows then). If the database user may, foreign keys are
not checked row by row (``session_replication_role = replica``, as
``pg_restore --disable-triggers`` does) but once at the end, over the new
rows, with one anti-join per key. All of it in the one transaction.

Table and column names in the SQL here come from the models, quoted; values
are parameters.
"""

import csv
import io
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    IntegrityError,
    models,
    transaction,
)

from .writers import Table, Writer

# The indexes of a table that no constraint needs (not the primary key, not
# a unique constraint's), by name, with the statement that builds each.
DROPPABLE_INDEXES = """
    SELECT i.relname, pg_get_indexdef(i.oid)
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
    WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
      AND NOT EXISTS (
        SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid
      )
    ORDER BY i.relname
"""
BYTES_PER_READ = 1 << 20  # what COPY reads from the buffer at a time


class CopyWriter(Writer):
    """Loads with COPY; drops and rebuilds big tables' indexes; checks keys once."""

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

    def quote(self, name: str) -> str:
        return self.connection.ops.quote_name(name)

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
        for name, definition in self.execute(DROPPABLE_INDEXES, [model._meta.db_table]):
            self.execute(f"DROP INDEX {self.quote(name)}")
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

    def flush(self, table: Table) -> None:
        quote = self.quote
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
                BYTES_PER_READ,
            )
        spent = time.monotonic() - started
        self.copy_seconds[table.model] = self.copy_seconds.get(table.model, 0) + spent

    def finish(self) -> None:
        self.build_indexes()
        super().finish()
        for model in self.next_ids:
            self.execute(f"ANALYZE {self.quote(model._meta.db_table)}")
        if self.checks_keys:  # with statistics, these are hash anti-joins
            self.check_keys()

    def check_keys(self) -> None:
        """What the foreign-key triggers would have checked, for the new rows."""
        for model, first in self.first_ids.items():
            for key in model._meta.concrete_fields:
                if key.is_relation:
                    self.check_key(model, key, first)

    def check_key(
        self, model: type[models.Model], key: models.Field, first: int
    ) -> None:
        """Every row from id ``first`` on points to a row of the key's table."""
        quote = self.quote
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        column, target = quote(key.column), key.target_field
        orphans = self.execute(
            f"SELECT c.{pk} FROM {table} c WHERE c.{pk} >= %s "  # nosec B608
            f"AND c.{column} IS NOT NULL AND NOT EXISTS (SELECT 1 "
            f"FROM {quote(target.model._meta.db_table)} p "
            f"WHERE p.{quote(target.column)} = c.{column}) LIMIT 1",
            [first],
        )
        if orphans:
            raise IntegrityError(
                f"{model._meta.label}.{key.name} of row {orphans[0][0]} "
                "points to no row"
            )
