"""Police zones, their house rules, and the municipalities each one covers."""

import itertools
import random
from collections.abc import Iterator

from django.utils.text import slugify

from groups.models import Municipality, PoliceZone
from registrations.models import HouseRules

from .context import DAY, YEAR, Context
from .plan import MunicipalityPlan, ZonePlan
from .sizes import apportion
from .words import (
    FLANDERS_AREA_CODES,
    HOUSE_RULES_BODY,
    MUNICIPALITY_ENDINGS,
    MUNICIPALITY_STEMS,
)

ZONE_FIELDS = ["id", "name", "contact_name", "email", "phone", "website"]
HOUSE_RULES_FIELDS = "id zone version title body pdf is_current published_at".split()
MUNICIPALITY_FIELDS = ["id", "zone", "name", "slug", "postcodes"]
# How many postcodes a municipality has: mostly one, a few up to four.
POSTCODE_COUNTS = (1, 1, 1, 2, 2, 3, 4)


def write_zones(ctx: Context) -> None:
    """The zones, each named after its first municipality, and their house rules.

    The municipalities are planned here (a zone's come in one run of
    postcodes) and written by ``write_municipalities``.
    """
    rng, sizes = ctx.rng, ctx.sizes
    postcodes = Postcodes(rng)
    names = municipality_names(rng, sizes.municipalities)
    per_zone = apportion(
        sizes.municipalities, [rng.uniform(0.5, 1.5) for _ in range(sizes.zones)], 1
    )
    taken = set(PoliceZone.objects.values_list("name", flat=True))
    first_zone = ctx.writer.reserve(PoliceZone, sizes.zones)
    first_municipality = ctx.writer.reserve(Municipality, sizes.municipalities)
    at = 0
    with ctx.table("police zones", PoliceZone, ZONE_FIELDS) as rows:
        for number, count in enumerate(per_zone):
            zone = ZonePlan(first_zone + number, zone_name(names[at], taken))
            ctx.zones.append(zone)
            rows.add(zone_row(ctx, zone))
            own = names[at : at + count]
            plan_municipalities(ctx, zone, first_municipality + at, own, postcodes)
            at += count
    write_house_rules(ctx)


def zone_name(first_municipality: str, taken: set[str]) -> str:
    name = f"PZ {first_municipality}"
    while name in taken:
        name += " bis"
    return name


def zone_row(ctx: Context, zone: ZonePlan) -> tuple:
    rng = ctx.rng
    slug = slugify(zone.name)
    return (
        zone.id,
        zone.name,
        " ".join(ctx.person()),
        f"wijkwerking@{slug}.politie.example",
        f"+32{rng.choice(FLANDERS_AREA_CODES)}{rng.randrange(200_000, 1_000_000)}",
        f"https://{slug}.politie.example",
    )


def municipality_names(rng: random.Random, count: int) -> list[str]:
    """Distinct names, none the database knows (by name or address)."""
    taken = {
        name.lower() for name in Municipality.objects.values_list("name", flat=True)
    }
    taken |= set(Municipality.objects.values_list("slug", flat=True))
    stems = sorted({s + e for s in MUNICIPALITY_STEMS for e in MUNICIPALITY_ENDINGS})
    rng.shuffle(stems)
    chosen: list[str] = []
    for name in _numbered(stems):
        if len(chosen) == count:
            break
        if name.lower() in taken or slugify(name) in taken:
            continue
        taken |= {name.lower(), slugify(name)}
        chosen.append(name)
    return chosen


def _numbered(stems: list[str]) -> Iterator[str]:
    """Every stem, then every stem with 2 after it, then with 3, and so on."""
    yield from stems
    for number in itertools.count(2):
        for stem in stems:
            yield f"{stem} {number}"


class Postcodes:
    """Belgian postcodes (1000 to 9999) handed out in runs, unused ones first."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        for row in Municipality.objects.values_list("postcodes", flat=True):
            self.used |= {code.strip() for code in row.split(",")}

    def lists(self, counts: list[int]) -> list[list[str]]:
        """Consecutive free codes for all municipalities of a zone, as in Belgium."""
        free = [str(code) for code in range(1000, 10_000) if str(code) not in self.used]
        if len(free) < sum(counts):  # Belgium is full: codes are shared then
            free = [str(code) for code in range(1000, 10_000)]
        start = self.rng.randrange(len(free))
        codes = [free[(start + i) % len(free)] for i in range(sum(counts))]
        self.used |= set(codes)
        lists, at = [], 0
        for count in counts:
            lists.append(codes[at : at + count])
            at += count
        return lists


def plan_municipalities(
    ctx: Context, zone: ZonePlan, first_id: int, names: list[str], postcodes: Postcodes
) -> None:
    rng = ctx.rng
    counts = [rng.choice(POSTCODE_COUNTS) for _ in names]
    for offset, codes in enumerate(postcodes.lists(counts)):
        weight = rng.uniform(0.4, 1.6)  # of its share of streets and groups
        plan = MunicipalityPlan(first_id + offset, zone, names[offset], codes, weight)
        ctx.municipalities.append(plan)


def write_house_rules(ctx: Context) -> None:
    """One version per zone, or two: the first came with the portal, a newer since."""
    rng, now = ctx.rng, ctx.now
    versions = [2 if rng.random() < 0.5 else 1 for _ in ctx.zones]
    next_id = ctx.writer.reserve(HouseRules, sum(versions))
    with ctx.table("house rules", HouseRules, HOUSE_RULES_FIELDS) as rows:
        for zone, count in zip(ctx.zones, versions, strict=True):
            published = [now - 4 * YEAR, now - rng.uniform(60, 700) * DAY]
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
                        ctx.at(published[version - 1]),
                    )
                )
                next_id += 1


def write_municipalities(ctx: Context) -> None:
    with ctx.table("municipalities", Municipality, MUNICIPALITY_FIELDS) as rows:
        for m in ctx.municipalities:
            postcodes = ", ".join(m.postcodes)
            rows.add((m.id, m.zone.id, m.name, slugify(m.name), postcodes))
