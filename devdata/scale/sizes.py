"""How much to make: the named sizes, and a total shared out by weight."""

from collections.abc import Sequence
from dataclasses import dataclass


class SizeError(ValueError):
    """The sizes ask for more than the name lists can make distinct."""


@dataclass(frozen=True)
class Sizes:
    zones: int
    municipalities: int
    groups: int  # neighbourhood groups; each municipality also gets an umbrella
    streets: int
    signups: int
    staff_per_zone: int = 2

    def problems(self) -> list[str]:
        needs = [
            (self.zones >= 1, "at least one zone"),
            (self.municipalities >= self.zones, "at least one municipality per zone"),
            (self.groups >= self.municipalities, "at least one group per municipality"),
            (self.streets >= self.groups, "at least one street per group"),
            (self.signups >= 0 and self.staff_per_zone >= 0, "no negative counts"),
        ]
        return [need for met, need in needs if not met]


SIZES = {
    "national": Sizes(200, 600, 20_000, 150_000, 1_500_000),
    "small": Sizes(6, 18, 130, 1_000, 10_000),
    "tiny": Sizes(2, 3, 12, 120, 400),
}
DEFAULT_SEED = 2026


def apportion(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split ``total`` in proportion to ``weights``, each at least ``minimum``."""
    rest = total - minimum * len(weights)
    if rest < 0:
        raise ValueError("total below the minimum")
    whole = sum(weights)
    exact = [rest * weight / whole for weight in weights]
    counts = [int(share) for share in exact]
    by_remainder = sorted(
        range(len(weights)), key=lambda i: counts[i] - exact[i]
    )  # largest remainder first
    for i in by_remainder[: rest - sum(counts)]:
        counts[i] += 1
    return [minimum + count for count in counts]
