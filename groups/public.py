"""What the public pages read: the published groups, and the finder's look-ups.

Every list of groups a resident sees comes from ``published_groups()``: the
groups with their listed coordinators and the streets (or number ranges) they
cover, in a fixed number of queries however many groups there are.

The finder (``lookup_address``) never sends a covered resident away because
of a typo: a street text that matches no street is answered with the streets
spelt close to it ("Did you mean Motstraat?"); an address no group covers is
answered with the groups nearby in its municipality, before the offer to
start a new group. A postcode alone (``lookup_postcode``) shows the groups of
its municipality.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, QuerySet

from .models import (
    GroupCoordinator,
    Municipality,
    RegionStreet,
    Street,
    WhatsAppGroup,
    normalize_street_name,
)

# A street name found in more municipalities than this (a "Kerkstraat" in a
# country) is asked about: which one, by postcode; a few are all shown.
FINDER_MUNICIPALITIES = 3
# Groups nearby offered when none covers the address; the municipality's page
# lists them all.
NEARBY_GROUPS = 5


def published_groups() -> QuerySet[WhatsAppGroup]:
    """Groups of the public table, with their listed coordinators and the
    streets their region covers (``group.region.public_coverage``), in four
    queries."""
    coverage = (
        RegionStreet.objects.select_related("street")
        .only("region", "parity", "number_from", "number_to", "street__name")
        .order_by("street__name", F("number_from").asc(nulls_first=True), "parity")
    )
    return (
        WhatsAppGroup.objects.published()
        .select_related("region", "municipality")
        .prefetch_related(
            # The leads only: deputies help, the table names who leads.
            Prefetch(
                "coordinator_links",
                queryset=GroupCoordinator.objects.leads()
                .filter(coordinator__is_active=True, coordinator__listed_publicly=True)
                .select_related("coordinator")
                .only(
                    "whatsappgroup",
                    "coordinator__first_name",
                    "coordinator__last_name",
                )
                .order_by("coordinator__last_name", "coordinator__first_name"),
                to_attr="listed_leads",
            ),
            Prefetch("region__coverage", queryset=coverage, to_attr="public_coverage"),
        )
        .order_by("municipality__name", "display_order", "name")
    )


def _mark_address_coverage(
    groups: Iterable[WhatsAppGroup], street_ids: set[int]
) -> None:
    """Give each group the parts of these streets it covers
    (``group.address_coverage``), to show its number ranges."""
    for group in groups:
        group.address_coverage = [
            part
            for part in group.region.public_coverage
            if part.street_id in street_ids
        ]


@dataclass
class AddressLookup:
    """What the finder found for a street text and a house number."""

    streets: list[Street] = field(default_factory=list)
    chosen: list[Street] = field(default_factory=list)
    groups: list[WhatsAppGroup] = field(default_factory=list)
    # The name is in many municipalities: the list may not hold them all, so
    # the page asks for the postcode as well.
    ask_postcode: bool = False
    # No street matched: the streets spelt close to what was typed.
    suggestions: list[Street] = field(default_factory=list)
    # No group covers the address: the other groups of its municipality,
    # those on the same street or in the same postcode first.
    nearby: list[WhatsAppGroup] = field(default_factory=list)
    more_nearby: bool = False
    municipalities: list[Municipality] = field(default_factory=list)

    @property
    def ambiguous(self) -> bool:
        return not self.chosen and len(self.streets) > 1


def lookup_address(text: str, number: int | None, postcode: str = "") -> AddressLookup:
    streets = Street.objects.matching(text).select_related("municipality")
    if postcode:
        streets = streets.filter(postcode=postcode)
    streets = list(streets.order_by("name", "postcode")[:20])
    key = normalize_street_name(text)
    exact = [street for street in streets if street.search_name == key]
    ask_postcode = (
        len({street.municipality_id for street in exact}) > FINDER_MUNICIPALITIES
    )
    if ask_postcode:
        exact = []
        streets = [street for street in streets if street.search_name == key]
    chosen = exact or (streets if len(streets) == 1 else [])
    lookup = AddressLookup(streets=streets, chosen=chosen, ask_postcode=ask_postcode)
    chosen_ids = {street.pk for street in chosen}
    if chosen:
        lookup.groups = list(published_groups().covering(chosen_ids, number))
        _mark_address_coverage(lookup.groups, chosen_ids)
    if lookup.groups or lookup.ambiguous:
        return lookup
    if not streets:
        lookup.suggestions = close_streets(text, postcode)
    if chosen:
        municipality_ids = {street.municipality_id for street in chosen}
        lookup.municipalities = sorted(
            {street.municipality for street in chosen}, key=lambda m: m.name
        )
        postcodes = {street.postcode for street in chosen}
    elif postcode:
        lookup.municipalities = municipalities_of_postcode(postcode)
        municipality_ids = {m.pk for m in lookup.municipalities}
        postcodes = {postcode}
    else:
        return lookup
    nearby = groups_nearby(municipality_ids, street_ids=chosen_ids, postcodes=postcodes)
    lookup.nearby = nearby[:NEARBY_GROUPS]
    lookup.more_nearby = len(nearby) > NEARBY_GROUPS
    _mark_address_coverage(lookup.nearby, chosen_ids)
    return lookup


def close_streets(text: str, postcode: str = "") -> list[Street]:
    """The streets spelt close to ``text``: in the postcode given, if any
    there, else anywhere (the postcode may be the typo)."""
    streets = Street.objects.select_related("municipality")
    if postcode:
        found = streets.filter(postcode=postcode).close_to(text)
        if found:
            return found
    return streets.close_to(text)


def groups_nearby(
    municipality_ids: Iterable[int],
    *,
    street_ids: Iterable[int] = (),
    postcodes: Iterable[str] = (),
) -> list[WhatsAppGroup]:
    """The published groups of these municipalities, nearest first
    (``nearest_first``): one more than NEARBY_GROUPS, so the page can tell
    there are more."""
    return list(
        published_groups()
        .filter(municipality__in=list(municipality_ids))
        .nearest_first(street_ids=street_ids, postcodes=postcodes)[: NEARBY_GROUPS + 1]
    )


def municipalities_of_postcode(postcode: str) -> list[Municipality]:
    return list(Municipality.objects.with_postcode(postcode).order_by("name"))


@dataclass
class PostcodeLookup:
    """What the finder found for a postcode alone."""

    postcode: str
    # Each with its published groups (``municipality.published_groups``),
    # those covering streets of the postcode first.
    municipalities: list[Municipality] = field(default_factory=list)


def lookup_postcode(postcode: str) -> PostcodeLookup:
    lookup = PostcodeLookup(postcode=postcode)
    lookup.municipalities = municipalities_of_postcode(postcode)
    if not lookup.municipalities:
        return lookup
    groups = list(
        published_groups()
        .filter(municipality__in=lookup.municipalities)
        .nearest_first(postcodes=[postcode])
    )
    for municipality in lookup.municipalities:
        municipality.published_groups = [
            group for group in groups if group.municipality_id == municipality.pk
        ]
    return lookup
