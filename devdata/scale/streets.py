"""The street register of each municipality: Flemish names, searchable."""

import random

from groups.models import Street, normalize_street_name

from .context import Context
from .plan import MunicipalityPlan
from .sizes import SizeError, apportion
from .words import STREET_ENDING_WEIGHTS, STREET_ENDINGS, STREET_PREFIXES, STREET_STEMS

STREET_FIELDS = ["id", "municipality", "name", "postcode", "search_name"]


def write_streets(ctx: Context) -> None:
    per_municipality = apportion(
        ctx.sizes.streets, [m.weight for m in ctx.municipalities], 1
    )
    next_id = ctx.writer.reserve(Street, ctx.sizes.streets)
    search_names: dict[str, str] = {}  # names recur across municipalities
    with ctx.table("streets", Street, STREET_FIELDS) as rows:
        for m, count in zip(ctx.municipalities, per_municipality, strict=True):
            for name, postcode in street_names(ctx.rng, m, count):
                search_name = search_names.get(name) or search_names.setdefault(
                    name, normalize_street_name(name)
                )
                m.streets.append((next_id, name, postcode))
                rows.add((next_id, m.id, name, postcode, search_name))
                next_id += 1


def street_names(
    rng: random.Random, m: MunicipalityPlan, count: int
) -> list[tuple[str, str]]:
    """Distinct (name, postcode): a name may recur in another part of town."""
    names: dict[tuple[str, str], None] = {}  # a set that keeps the drawing order
    for _ in range(50 * count + 1000):
        if len(names) == count:
            break
        postcode = street_postcode(rng, m)
        names[(street_name(rng), postcode)] = None
    if len(names) < count:
        raise SizeError(f"cannot name {count} distinct streets in one municipality")
    return list(names)


def street_postcode(rng: random.Random, m: MunicipalityPlan) -> str:
    """Mostly the municipality's first postcode, else one of its others."""
    if len(m.postcodes) > 1 and rng.random() < 0.4:
        return rng.choice(m.postcodes[1:])
    return m.postcodes[0]


def street_name(rng: random.Random) -> str:
    stem = rng.choice(STREET_STEMS)
    name = stem + rng.choices(STREET_ENDINGS, STREET_ENDING_WEIGHTS)[0]
    if " " not in stem and "-" not in stem and rng.random() < 0.15:
        name = f"{rng.choice(STREET_PREFIXES)} {name}"
    return name
