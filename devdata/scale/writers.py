"""Rows to the database: in chunks, with ids that follow the table's highest.

``Writer`` uses ``bulk_create`` (SQLite in development and tests);
``postgresql.CopyWriter`` loads with COPY. Either is used the same way: ids
reserved first, rows added to a ``Table``, ``finish`` at the end.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Max

from groups.models import WhatsAppGroup
from registrations.models import HouseRules, Signup, StatusChange

# The models whose rows carry the timestamps of a made-up past.
TIMESTAMPED = (WhatsAppGroup, HouseRules, Signup, StatusChange)


class Table:
    """Rows of one table, written in chunks by the writer."""

    def __init__(self, writer: "Writer", model: type[models.Model], fields: list[str]):
        self.writer = writer
        self.model = model
        self.fields = [model._meta.get_field(name) for name in fields]
        # The columns the generator does not name get their model default: a
        # field added later ("" for a new text field) needs no change here,
        # and COPY, which knows no Django default, writes it too.
        unnamed = [
            f
            for f in model._meta.concrete_fields
            if f not in self.fields and not f.primary_key and not f.null
        ]
        for f in unnamed:
            if (f.has_default() and callable(f.default)) or f.get_default() is None:
                raise ValueError(
                    f"{model.__name__}.{f.name} has no fixed default: "
                    "the generator must give it a value"
                )
        self.defaults = tuple(f.get_default() for f in unnamed)
        self.fields += unnamed
        self.rows: list[tuple] = []
        self.count = 0

    def add(self, row: tuple) -> None:
        if self.defaults:
            row = (*row, *self.defaults)
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

    def flush(self, table: Table) -> None:
        names = [f.attname for f in table.fields]
        table.model._base_manager.using(self.alias).bulk_create(
            [table.model(**dict(zip(names, row, strict=True))) for row in table.rows]
        )

    @contextmanager
    def session(self) -> Iterator[None]:
        """Timestamps are written as given: auto_now(_add) would overwrite them."""
        patched = [
            (f, f.auto_now, f.auto_now_add)
            for model in TIMESTAMPED
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
