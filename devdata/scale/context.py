"""What every kind of data is made with: one run's random stream, its clock,
its writer and log, and the network planned so far."""

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from .plan import GroupPlan, MunicipalityPlan, ZonePlan
from .sizes import Sizes
from .words import FIRST_NAMES, LAST_NAMES, MAIL_DOMAINS, local_part
from .writers import Table, Writer

DAY = 86_400.0
YEAR = 365 * DAY

Log = Callable[[str], None]


@dataclass
class Report:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.rows.values())


class Context:
    """One run: every kind of data draws from its ``rng``, in a fixed order."""

    def __init__(self, sizes: Sizes, *, seed: int, writer: Writer, log: Log) -> None:
        self.sizes = sizes
        self.rng = random.Random(seed)  # nosec B311: made-up data, nothing secret
        self.writer = writer
        self.log = log
        self.now = float(int(timezone.now().timestamp()))
        self.at = writer.timestamp
        self.report = Report()
        self.zones: list[ZonePlan] = []
        self.municipalities: list[MunicipalityPlan] = []
        self.groups: list[GroupPlan] = []

    @contextmanager
    def table(
        self, label: str, model: type[models.Model], fields: list[str]
    ) -> Iterator[Table]:
        """Rows of one table, counted in the report and logged with their time."""
        started = time.monotonic()
        table = Table(self.writer, model, fields)
        yield table
        table.flush()
        self.report.rows[label] = self.report.rows.get(label, 0) + table.count
        seconds = time.monotonic() - started
        copying = getattr(self.writer, "copy_seconds", {}).get(model)
        of_which = "" if copying is None else f" (COPY {copying:.1f} s)"
        self.log(f"{label:<24} {table.count:>10,} rows {seconds:7.1f} s{of_which}")

    @staticmethod
    def since(started: float) -> str:
        return f"{time.monotonic() - started:7.1f} s"

    def person(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def mail(self, first: str, last: str, tag: str, domain: str = "") -> str:
        domain = domain or self.rng.choice(MAIL_DOMAINS)
        return f"{local_part(first)}.{local_part(last)}.{tag}@{domain}"
