"""One run of the generator: every kind of data in turn, in one transaction."""

import time

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from groups import network_cache

from .context import Context, Log, Report
from .people import write_people
from .postgresql import CopyWriter
from .regions import write_groups
from .signups import write_signups
from .sizes import DEFAULT_SEED, SizeError, Sizes
from .streets import write_streets
from .writers import Writer
from .zones import write_municipalities, write_zones

# In this order: each kind draws on the ones before it.
STEPS = (
    write_zones,
    write_municipalities,
    write_streets,
    write_groups,
    write_people,
    write_signups,
)


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
        report = run(Context(sizes, seed=seed, writer=writer, log=log))
        committing = time.monotonic()
    log(f"{'commit':<24} {'':>15} {time.monotonic() - committing:7.1f} s")
    report.seconds = time.monotonic() - started
    return report


def writer_for(alias: str = DEFAULT_DB_ALIAS) -> Writer:
    if connections[alias].vendor == "postgresql":
        return CopyWriter(alias)
    return Writer(alias)


def run(ctx: Context) -> Report:
    with ctx.writer.session():
        for step in STEPS:
            step(ctx)
        finishing = time.monotonic()
        ctx.writer.finish()
        ctx.log(f"{'indexes, keys, ANALYZE':<24} {'':>15} {ctx.since(finishing)}")
    network_cache.invalidate()
    return ctx.report
