"""The network as planned in memory: small enough to hold whole, and what the
signups are drawn from. The rows are written as it is planned; these keep
only what later kinds of data need (ids, names, who decides, what is covered).
"""

from dataclasses import dataclass, field

from groups.constants import NumberParity

# Plain strings: the signups' hot loop compares them for every address.
ALL, EVEN, ODD = (str(parity.value) for parity in NumberParity)


def wrong_side(parity: str, number: int) -> bool:
    """Whether a house number lies on the side of the street ``parity`` leaves out."""
    return (parity == EVEN and number % 2 == 1) or (parity == ODD and number % 2 == 0)


@dataclass
class ZonePlan:
    id: int
    name: str
    staff: list[int] = field(default_factory=list)
    rules: list[tuple[float, int]] = field(default_factory=list)  # (published, id)

    def rules_at(self, moment: float) -> int:
        """The house rules that were current at this moment (the oldest before)."""
        current = self.rules[0][1]
        for published, rules_id in self.rules:
            if published <= moment:
                current = rules_id
        return current


@dataclass
class MunicipalityPlan:
    id: int
    zone: ZonePlan
    name: str
    postcodes: list[str]
    weight: float
    streets: list[tuple[int, str, str]] = field(default_factory=list)  # id, name, pc
    uncovered: list[int] = field(default_factory=list)  # indices into streets
    groups: list["GroupPlan"] = field(default_factory=list)
    umbrella: int = 0


# A stretch of street a group covers: (index into the municipality's streets,
# parity, first number, last number); no number is no limit.
Stretch = tuple[int, str, int | None, int | None]


@dataclass
class GroupPlan:
    id: int
    municipality: MunicipalityPlan
    region: int
    name: str
    created: float
    published: bool
    coverage: list[Stretch] = field(default_factory=list)
    deciders: list[int] = field(default_factory=list)  # its coordinators' logins

    def covers(self, street_id: int, number: int) -> bool:
        """RegionStreet.covers over the group's region, for one street."""
        streets = self.municipality.streets
        for index, parity, low, high in self.coverage:
            if (
                streets[index][0] == street_id
                and not wrong_side(parity, number)
                and (low is None or low <= number)
                and (high is None or number <= high)
            ):
                return True
        return False


@dataclass
class CoordinatorPlan:
    groups: list[GroupPlan]
    active: bool
    id: int = 0
    user: int = 0
