"""How full a WhatsApp group is, and how its streets would split it in two.

WhatsApp caps a group at ``WHATSAPP_GROUP_LIMIT`` members. A group whose
members and waiting signups together reach ``settings.GROUP_SIZE_WARNING``
is near it: its coordinators (dashboard) and the group's page warn, with the
streets of its region split into two halves of about equal numbers of
people, a start for a second group (``split_streets``).

Who is in a group is the ``registrations`` app's to know, and ``groups``
never imports it: ``registrations`` registers a counter when it starts
(``register_counter``), which gives a group's people (members and waiting)
per street name. Without one, no warning is shown.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings

from .constants import WHATSAPP_GROUP_LIMIT
from .models import RegionStreet, WhatsAppGroup

Counter = Callable[[WhatsAppGroup], Mapping[str, int]]
_counter: Counter | None = None


def register_counter(counter: Counter | None) -> None:
    """Set what counts a group's people per street (None: no warnings)."""
    global _counter
    _counter = counter


@dataclass(frozen=True)
class Half:
    streets: tuple[tuple[str, int], ...]  # (street name, people), by name

    @property
    def total(self) -> int:
        return sum(count for _name, count in self.streets)


@dataclass(frozen=True)
class StreetSplit:
    first: Half
    second: Half

    @property
    def halves(self) -> tuple[Half, Half]:
        return (self.first, self.second)

    @property
    def difference(self) -> int:
        return abs(self.first.total - self.second.total)


def split_streets(counts: Mapping[str, int]) -> StreetSplit:
    """Two halves of the streets, their people as nearly equal as can be.

    Exact (a subset sum over the people, at most about a thousand): the
    first half holds the largest total not above half of all. Streets with
    nobody yet go to the half with fewer people. A street is never cut in
    two: a street with more than half of the people is a half on its own.
    """
    people = sorted(
        ((name, count) for name, count in counts.items() if count > 0),
        key=lambda item: (-item[1], item[0]),
    )
    empty = sorted(name for name, count in counts.items() if count <= 0)
    total = sum(count for _name, count in people)
    # For each reachable sum: the street that first reached it, and the sum
    # before it (reached by earlier streets only, so no street counts twice).
    reached: dict[int, tuple[int, int]] = {0: (-1, 0)}
    for index, (_name, count) in enumerate(people):
        for before in list(reached):
            after = before + count
            if after <= total // 2 and after not in reached:
                reached[after] = (index, before)
    best = max(reached)
    chosen: set[int] = set()
    while best:
        index, best = reached[best]
        chosen.add(index)
    first = [people[index] for index in sorted(chosen)]
    second = [street for index, street in enumerate(people) if index not in chosen]
    # The larger half first, so "first" reads as "these streets stay".
    if sum(c for _n, c in first) < sum(c for _n, c in second):
        first, second = second, first
    second += [(name, 0) for name in empty]
    return StreetSplit(
        first=Half(tuple(sorted(first))), second=Half(tuple(sorted(second)))
    )


@dataclass(frozen=True)
class CapacityWarning:
    people: int  # members and waiting signups
    limit: int
    split: StreetSplit | None  # None when the region has fewer than two streets

    @property
    def places_left(self) -> int:
        return max(0, self.limit - self.people)


def is_near_limit(people: int) -> bool:
    return people >= settings.GROUP_SIZE_WARNING


def warning_for(
    group: WhatsAppGroup, *, people: int | None = None
) -> CapacityWarning | None:
    """The warning for a group near the limit, or None.

    ``people`` (members and waiting), when the caller has counted them,
    spares the count per street for a group far from the limit.
    """
    if _counter is None or (people is not None and not is_near_limit(people)):
        return None
    counts = dict(_counter(group))
    people = sum(counts.values())
    if not is_near_limit(people):
        return None
    if group.region_id is not None:
        names = RegionStreet.objects.filter(region=group.region_id).values_list(
            "street__name", flat=True
        )
        for name in names:
            counts.setdefault(name, 0)
    split = split_streets(counts) if len(counts) > 1 else None
    return CapacityWarning(people=people, limit=WHATSAPP_GROUP_LIMIT, split=split)
