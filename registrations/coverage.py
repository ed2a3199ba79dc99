"""Coverage and overlaps: where the networks leave residents out or count twice.

For the municipalities a person may see (``visible_to``: staff their zones',
superusers all), optionally one of them, per police zone and municipality:

- **streets without a group**: known streets where a resident finds no
  group: no region of a published group covers any of their numbers
  (``Street.objects.without_group()``);
- **claimed by two groups**: house numbers of a street that the regions of
  two published groups both cover, so the finder shows two groups. Ranges
  overlap only if they share a number (``statistics.shared_numbers``): the
  even side and the odd side do not; the whole street and 10–20 do;
- **one mobile number in several groups**: a number with a waiting or
  approved signup in two groups or more (a resident who moved, or one phone
  for a household). Counted only over the groups the person may see: staff
  of zone A never learn that a number is also in zone B;
- **groups near the limit**: members and waiting signups together at
  ``GROUP_SIZE_WARNING`` or more (``groups.capacity``); WhatsApp caps a
  group at ``WHATSAPP_GROUP_LIMIT``;
- **waiting for a group**: residents on the waiting list per street
  (``WaitingListEntry.objects.demand()``).

The counts come from the database in a fixed number of queries, whatever the
number of streets or groups; the long lists (streets, the waiting list) are
querysets that the page cuts into pages and the download writes whole.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import phonenumbers
from django.conf import settings
from django.db.models import Count, F, Q

from groups.constants import WHATSAPP_GROUP_LIMIT
from groups.models import (
    AnyUser,
    Municipality,
    RegionStreet,
    Street,
    WhatsAppGroup,
)

from .constants import SignupStatus
from .models import Signup, WaitingListEntry
from .statistics import Overlap, StreetRef, shared_numbers

# Signups that hold a place in a group: waiting for a decision or approved.
PLACE_STATUSES = (SignupStatus.PENDING, SignupStatus.APPROVED)


@dataclass
class MunicipalityCounts:
    pk: int
    name: str
    slug: str
    zone_pk: int
    zone: str
    streets: int = 0
    without_group: int = 0
    claimed_twice: int = 0  # streets with at least one overlap
    shared_phones: int = 0
    near_limit: int = 0
    waiting: int = 0  # residents on the waiting list


FIGURES = (
    "streets",
    "without_group",
    "claimed_twice",
    "shared_phones",
    "near_limit",
    "waiting",
)


@dataclass
class ZoneCounts:
    pk: int
    name: str
    municipalities: list[MunicipalityCounts] = field(default_factory=list)

    def total(self, figure: str) -> int:
        return sum(getattr(each, figure) for each in self.municipalities)

    @property
    def totals(self) -> dict[str, int]:
        return {figure: self.total(figure) for figure in FIGURES}


@dataclass(frozen=True)
class ClaimedTwice:
    """House numbers of a street that the regions of two groups both cover."""

    municipality_pk: int
    municipality: str
    overlap: Overlap  # its ``regions`` name the groups of each region

    @property
    def street(self) -> StreetRef:
        return self.overlap.street


@dataclass(frozen=True)
class SharedPhone:
    """One mobile number with a place in several groups (no names)."""

    phone: object  # a phonenumbers.PhoneNumber
    groups: tuple[tuple[int, str, str], ...]  # (pk, name, municipality)

    @property
    def readable(self) -> str:
        """As dialled from Belgium, no leading "+" (``exports.readable_phone``)."""
        return phonenumbers.format_out_of_country_calling_number(self.phone, "BE")


@dataclass(frozen=True)
class GroupLoad:
    pk: int
    name: str
    municipality: str
    members: int
    pending: int

    @property
    def people(self) -> int:
        return self.members + self.pending

    @property
    def places_left(self) -> int:
        return max(0, WHATSAPP_GROUP_LIMIT - self.people)


@dataclass
class Coverage:
    zones: list[ZoneCounts]
    claimed_twice: list[ClaimedTwice]
    shared_phones: list[SharedPhone]
    near_limit: list[GroupLoad]
    size_warning: int
    group_limit: int

    @property
    def municipalities(self) -> list[MunicipalityCounts]:
        return [each for zone in self.zones for each in zone.municipalities]

    def total(self, figure: str) -> int:
        return sum(zone.total(figure) for zone in self.zones)

    @property
    def totals(self) -> dict[str, int]:
        return {figure: self.total(figure) for figure in FIGURES}


def municipalities_for(
    user: AnyUser, municipality: Municipality | None = None
) -> list[int]:
    rows = Municipality.objects.visible_to(user)
    if municipality is not None:
        rows = rows.filter(pk=municipality.pk)
    return list(rows.values_list("pk", flat=True))


def streets_without_group(user: AnyUser, municipality_pks: list[int]):
    """The streets without a group, by municipality and name (a queryset)."""
    return (
        Street.objects.visible_to(user)
        .filter(municipality_id__in=municipality_pks)
        .without_group()
        .order_by("municipality__name", "name", "postcode", "pk")
        .values("pk", "name", "postcode", "municipality__name")
    )


def waiting_demand(user: AnyUser, municipality_pks: list[int]):
    """Residents waiting for a group per street, most first (a queryset)."""
    return (
        WaitingListEntry.objects.visible_to(user)
        .filter(municipality_id__in=municipality_pks)
        .demand()
    )


def zone_coverage(user: AnyUser, municipality_pks: list[int]) -> Coverage:
    """The counts and the short lists for these (already scoped) municipalities."""
    rows = (
        Municipality.objects.visible_to(user)
        .filter(pk__in=municipality_pks)
        .order_by("zone__name", "zone_id", "name")
        .values("pk", "name", "slug", "zone_id", "zone__name")
    )
    zones: dict[int, ZoneCounts] = {}
    counts: dict[int, MunicipalityCounts] = {}
    for row in rows:
        zone = zones.setdefault(
            row["zone_id"], ZoneCounts(row["zone_id"], row["zone__name"])
        )
        counts[row["pk"]] = MunicipalityCounts(
            pk=row["pk"],
            name=row["name"],
            slug=row["slug"],
            zone_pk=row["zone_id"],
            zone=row["zone__name"],
        )
        zone.municipalities.append(counts[row["pk"]])
    pks = list(counts)
    coverage = Coverage(
        zones=list(zones.values()),
        claimed_twice=[],
        shared_phones=[],
        near_limit=[],
        size_warning=settings.GROUP_SIZE_WARNING,
        group_limit=WHATSAPP_GROUP_LIMIT,
    )
    if not pks:
        return coverage

    streets = Street.objects.visible_to(user).filter(municipality_id__in=pks)
    for municipality_id, total, uncovered in _street_counts(streets):
        counts[municipality_id].streets = total
        counts[municipality_id].without_group = uncovered

    groups = WhatsAppGroup.objects.visible_to(user).filter(municipality_id__in=pks)
    coverage.claimed_twice = _claimed_twice(streets, groups, counts)
    for municipality_id, street_pks in _streets_by_municipality(
        coverage.claimed_twice
    ).items():
        counts[municipality_id].claimed_twice = len(street_pks)

    signups = Signup.objects.visible_to(user).filter(municipality_id__in=pks)
    coverage.shared_phones = _shared_phones(signups, counts)

    coverage.near_limit = _near_limit(groups, counts)

    waiting = (
        WaitingListEntry.objects.visible_to(user)
        .waiting()
        .filter(municipality_id__in=pks)
        .order_by()
        .values("municipality_id")
        .annotate(residents=Count("pk"))
    )
    for row in waiting:
        counts[row["municipality_id"]].waiting = row["residents"]
    return coverage


def _street_counts(streets) -> list[tuple[int, int, int]]:
    """(municipality, known streets, streets without a group), in one query."""
    uncovered = streets.without_group().values("pk")
    rows = (
        streets.order_by()
        .values("municipality_id")
        .annotate(
            total=Count("pk"),
            uncovered=Count("pk", filter=Q(pk__in=uncovered)),
        )
    )
    return [(row["municipality_id"], row["total"], row["uncovered"]) for row in rows]


def _claimed_twice(streets, groups, counts) -> list[ClaimedTwice]:
    published = groups.published()
    group_names: dict[int, list[str]] = defaultdict(list)
    for region_id, name in published.order_by("name").values_list("region_id", "name"):
        group_names[region_id].append(name)
    claims = RegionStreet.objects.filter(
        street__in=streets, region__in=published.values("region")
    )
    # Only the streets that two regions claim are loaded, not every covered one.
    streets_twice = (
        claims.order_by()
        .values("street_id")
        .annotate(regions=Count("region_id", distinct=True))
        .filter(regions__gte=2)
        .values("street_id")
    )
    rows = (
        claims.filter(street_id__in=streets_twice)
        .order_by("street__municipality__name", "street__name", "street_id", "pk")
        .values(
            "street_id",
            "street__name",
            "street__postcode",
            "street__municipality_id",
            "region_id",
            "parity",
            "number_from",
            "number_to",
        )
    )
    by_street: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_street[row["street_id"]].append(row)
    result = []
    for street_rows in by_street.values():
        first_row = street_rows[0]
        street = StreetRef(
            first_row["street_id"],
            first_row["street__name"],
            first_row["street__postcode"],
        )
        municipality = counts[first_row["street__municipality_id"]]
        seen = set()
        for index, first in enumerate(street_rows):
            for second in street_rows[index + 1 :]:
                if first["region_id"] == second["region_id"]:
                    continue
                shared = shared_numbers(first, second)
                if shared is None:
                    continue
                sides = tuple(
                    sorted(
                        " / ".join(group_names[row["region_id"]])
                        for row in (first, second)
                    )
                )
                overlap = Overlap(street, sides, *shared)
                if overlap not in seen:
                    seen.add(overlap)
                    result.append(
                        ClaimedTwice(municipality.pk, municipality.name, overlap)
                    )
    return result


def _streets_by_municipality(claimed: list[ClaimedTwice]) -> dict[int, set[int]]:
    streets: dict[int, set[int]] = defaultdict(set)
    for each in claimed:
        streets[each.municipality_pk].add(each.street.pk)
    return streets


def _shared_phones(signups, counts) -> list[SharedPhone]:
    with_place = (
        signups.filter(status__in=PLACE_STATUSES, group__isnull=False)
        .exclude(phone="")
        .order_by()
    )
    shared = (
        with_place.values("phone")
        .annotate(groups=Count("group_id", distinct=True))
        .filter(groups__gte=2)
        .values("phone")
    )
    rows = (
        with_place.filter(phone__in=shared)
        .order_by("phone", "group__name", "group_id")
        .values_list(
            "phone", "group_id", "group__name", "municipality_id", "municipality__name"
        )
        .distinct()
    )
    groups: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    municipalities: dict[str, set[int]] = defaultdict(set)
    phones = {}
    for phone, group_id, group_name, municipality_id, municipality_name in rows:
        key = str(phone)
        phones[key] = phone
        groups[key].append((group_id, group_name, municipality_name))
        municipalities[key].add(municipality_id)
    result = []
    for key, phone in phones.items():
        for municipality_id in municipalities[key]:
            counts[municipality_id].shared_phones += 1
        result.append(SharedPhone(phone, tuple(groups[key])))
    return result


def _near_limit(groups, counts) -> list[GroupLoad]:
    rows = (
        groups.neighbourhood()
        .filter(is_active=True)
        .annotate(
            members=Count("signups", filter=Q(signups__status=SignupStatus.APPROVED)),
            pending=Count("signups", filter=Q(signups__status=SignupStatus.PENDING)),
        )
        .annotate(people=F("members") + F("pending"))
        .filter(people__gte=settings.GROUP_SIZE_WARNING)
        .order_by("-people", "name")
        .values("pk", "name", "municipality_id", "members", "pending")
    )
    result = []
    for row in rows:
        municipality = counts[row["municipality_id"]]
        municipality.near_limit += 1
        result.append(
            GroupLoad(
                pk=row["pk"],
                name=row["name"],
                municipality=municipality.name,
                members=row["members"],
                pending=row["pending"],
            )
        )
    return result
