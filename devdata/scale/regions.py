"""Regions, their WhatsApp groups, and the streets each region covers.

Each municipality gets one umbrella group (its coordinators') and one
neighbourhood group per region. Most streets lie in one region; a few are
split by side of the street or by house number; some are covered by nobody.
"""

import random

from groups.constants import GroupKind
from groups.models import Region, RegionStreet, WhatsAppGroup

from .context import DAY, YEAR, Context
from .plan import ALL, EVEN, ODD, GroupPlan, MunicipalityPlan
from .sizes import apportion
from .words import ALNUM, AREA_ENDINGS, STREET_STEMS

REGION_FIELDS = ["id", "municipality", "name", "description"]
GROUP_FIELDS = (
    "id municipality region kind name description invite_link "
    "send_invite_link is_public is_active display_order created_at"
).split()
COVERAGE_FIELDS = ["id", "region", "street", "parity", "number_from", "number_to"]
# Streets that lie in some region; the rest is covered by nobody.
COVERED_SHARE = 0.86


def write_groups(ctx: Context) -> None:
    """Per municipality its umbrella group, then its regions and their groups."""
    per_municipality = apportion(
        ctx.sizes.groups, [m.weight for m in ctx.municipalities], 1
    )
    next_region = ctx.writer.reserve(Region, ctx.sizes.groups)
    next_group = ctx.writer.reserve(
        WhatsAppGroup, ctx.sizes.groups + len(per_municipality)
    )
    groups_table = ctx.table("whatsapp groups", WhatsAppGroup, GROUP_FIELDS)
    with (
        ctx.table("regions", Region, REGION_FIELDS) as regions,
        groups_table as groups,
    ):
        for m, count in zip(ctx.municipalities, per_municipality, strict=True):
            m.umbrella = next_group
            groups.add(umbrella_row(ctx, m))
            next_group += 1
            for order, name in enumerate(region_names(ctx.rng, m, count), start=1):
                regions.add((next_region, m.id, name, ""))
                groups.add(group_row(ctx, m, next_group, next_region, name, order))
                next_group += 1
                next_region += 1
    write_coverage(ctx)


def umbrella_row(ctx: Context, m: MunicipalityPlan) -> tuple:
    founded = ctx.now - ctx.rng.uniform(3.5, 4) * YEAR
    return (
        m.umbrella,
        m.id,
        None,
        GroupKind.UMBRELLA,
        f"WABP {m.name} coördinatoren",
        "De groep van de coördinatoren van de gemeente.",
        invite_link(ctx.rng),
        True,
        False,
        True,
        0,
        ctx.at(founded),
    )


def group_row(
    ctx: Context,
    m: MunicipalityPlan,
    group_id: int,
    region_id: int,
    name: str,
    order: int,
) -> tuple:
    """A neighbourhood group's row; the group joins the plan."""
    rng = ctx.rng
    if rng.random() < 0.7:  # most groups started when the portal did
        created = ctx.now - rng.uniform(3.5, 4) * YEAR
    else:
        created = ctx.now - rng.uniform(90 * DAY, 3.5 * YEAR)
    chance = rng.random()
    is_public = chance >= 0.03  # a few hidden by staff
    is_active = not 0.03 <= chance < 0.05  # a few stopped
    link = invite_link(rng) if rng.random() < 0.97 else ""
    group = GroupPlan(
        group_id, m, region_id, f"WABP {name}", created, is_public and is_active
    )
    m.groups.append(group)
    ctx.groups.append(group)
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
        ctx.at(created),
    )


def invite_link(rng: random.Random) -> str:
    code = "".join(rng.choices(ALNUM, k=22))
    return f"https://chat.whatsapp.com/{code}"


def region_names(rng: random.Random, m: MunicipalityPlan, count: int) -> list[str]:
    """Distinct names: after an area or one of the municipality's streets."""
    stems = [stem for stem in STREET_STEMS if " " not in stem and "-" not in stem]
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        if rng.random() < 0.25 and m.streets:
            name = f"{rng.choice(m.streets)[1]} en omgeving"
        else:
            name = rng.choice(stems) + rng.choice(AREA_ENDINGS)
        name = _unseen(rng, name, seen)
        seen.add(name)
        names.append(name)
    return names


def _unseen(rng: random.Random, name: str, seen: set[str]) -> str:
    """The name, or the name with a number after it (another one if need be)."""
    while name in seen:
        name = f"{name.rsplit(' ', 1)[0] if name[-1].isdigit() else name} "
        name += str(rng.randrange(2, 100))
    return name


def write_coverage(ctx: Context) -> None:
    for m in ctx.municipalities:
        plan_coverage(ctx.rng, m)
    count = sum(len(group.coverage) for group in ctx.groups)
    next_id = ctx.writer.reserve(RegionStreet, count)
    with ctx.table("region streets", RegionStreet, COVERAGE_FIELDS) as rows:
        for group in ctx.groups:
            streets = group.municipality.streets
            for index, parity, low, high in group.coverage:
                rows.add((next_id, group.region, streets[index][0], parity, low, high))
                next_id += 1


def plan_coverage(rng: random.Random, m: MunicipalityPlan) -> None:
    """The municipality's streets shared out over its groups, a few split."""
    indices = list(range(len(m.streets)))
    rng.shuffle(indices)
    groups = m.groups
    covered = max(min(len(indices), len(groups)), round(len(indices) * COVERED_SHARE))
    m.uncovered = indices[covered:]
    shares = apportion(
        covered,
        [rng.lognormvariate(0, 0.5) for _ in groups],
        1 if covered >= len(groups) else 0,
    )
    at = 0
    for position, (group, share) in enumerate(zip(groups, shares, strict=True)):
        other = groups[(position + 1) % len(groups)]  # the neighbour it shares with
        for index in indices[at : at + share]:
            cover_street(rng, index, group, other)
        at += share


def cover_street(
    rng: random.Random, index: int, group: GroupPlan, other: GroupPlan
) -> None:
    """Mostly the whole street for ``group``; sometimes split with ``other``."""
    chance = rng.random()
    if other is group or chance >= 0.09:
        group.coverage.append((index, ALL, None, None))
        return
    middle = rng.randrange(10, 80)
    if chance < 0.04:  # one side of the street each
        group.coverage.append((index, EVEN, None, None))
        other.coverage.append((index, ODD, None, None))
    elif chance < 0.07:  # low numbers and high numbers
        group.coverage.append((index, ALL, 1, middle))
        other.coverage.append((index, ALL, middle + 1, None))
    else:  # only the first stretch; the rest is not covered
        group.coverage.append((index, ALL, 1, middle))
