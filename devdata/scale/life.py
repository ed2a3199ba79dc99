"""A signup's life up to its status: confirmed, decided, added to the group,
ended, and erased by the retention purge once its period is over.

Each step is drawn only if the signup took it, in a fixed order, so that the
same seed makes the same lives.
"""

from collections.abc import Callable
from math import log

from django.conf import settings

from registrations.constants import SignupStatus

from .context import DAY
from .plan import GroupPlan
from .words import APPLICATION_REJECT_REASONS, REJECT_REASONS, REMOVE_REASONS

# Plain strings in the hot loop: enum members are slower to look up and compare.
UNCONFIRMED, PENDING, APPROVED, REJECTED, LEFT, REMOVED, WITHDRAWN = (
    str(status.value)
    for status in (
        SignupStatus.UNCONFIRMED,
        SignupStatus.PENDING,
        SignupStatus.APPROVED,
        SignupStatus.REJECTED,
        SignupStatus.LEFT,
        SignupStatus.REMOVED,
        SignupStatus.WITHDRAWN,
    )
)
DECIDED = (APPROVED, REJECTED, LEFT, REMOVED)
DECISION_DAYS = (0, 0, 1, 1, 1, 2, 3, 5, 8, 13)


class Life:
    """The steps of one signup's life, in seconds; None for a step not taken.

    ``step`` and ``from_status`` are those of its last status change, ``actor``
    who took it.
    """

    __slots__ = (
        "created",
        "confirmed",
        "decided",
        "decided_by",
        "added",
        "ended",
        "erased",
        "reason",
        "step",
        "from_status",
        "actor",
    )

    def __init__(self, created: float) -> None:
        self.created = self.step = created
        self.confirmed = self.decided = self.added = self.ended = self.erased = None
        self.decided_by = self.actor = None
        self.reason = self.from_status = ""

    def last_moment(self) -> float:
        return max(
            moment
            for moment in (
                self.created,
                self.confirmed,
                self.decided,
                self.added,
                self.ended,
                self.erased,
            )
            if moment is not None
        )


class Lives:
    """Draws lives from the run's random stream, as of the run's ``now``."""

    def __init__(self, random_: Callable[[], float], now: float) -> None:
        self.random = random_
        self.now = now
        # Ended signups older than this were erased by the retention purge.
        self.erase_after = {
            status: getattr(settings, setting) * DAY
            for status, setting in (
                (REJECTED, "CLOSED_RETENTION_DAYS"),
                (WITHDRAWN, "CLOSED_RETENTION_DAYS"),
                (LEFT, "LEFT_RETENTION_DAYS"),
                (REMOVED, "LEFT_RETENTION_DAYS"),
            )
        }

    def draw(
        self, status: str, applying: bool, group: GroupPlan, created: float
    ) -> Life:
        """Each step up to its status: confirmed, decided, added, ended, erased."""
        life = Life(created)
        previous = self.previous(status, applying)
        if previous != UNCONFIRMED:
            delay = 60 - log(1 - self.random()) * 5400  # mostly within hours
            life.confirmed = min(created + delay, self.now - 60)
        if previous in DECIDED:
            self.decide(life, group, previous, status, applying)
        self.last_step(life, group, previous, status, applying)
        if life.ended is not None and life.ended < self.now - self.erase_after[status]:
            erased = life.ended + self.erase_after[status] + self.random() * DAY
            life.erased = min(erased, self.now)
        return life

    def previous(self, status: str, applying: bool) -> str:
        """The status a withdrawn signup was withdrawn from; any other's own."""
        if status != WITHDRAWN:
            return status
        chance = self.random()
        if chance < 0.1:
            return UNCONFIRMED
        if chance < 0.45 or applying:
            return PENDING
        return APPROVED

    def decide(
        self, life: Life, group: GroupPlan, previous: str, status: str, applying: bool
    ) -> None:
        """Decided within days, mostly by a coordinator; most are added soon."""
        random_, now = self.random, self.now
        days = DECISION_DAYS[int(random_() * len(DECISION_DAYS))]
        life.decided = min(
            life.confirmed + days * DAY + 300 + random_() * 36_000, now - 60
        )
        if applying and status == APPROVED:  # the group was founded on approval
            life.decided = max(group.created, life.confirmed)
        life.decided_by = life.actor = self.decider(group, staff_only=applying)
        if previous != REJECTED and not applying and random_() < 0.92:
            life.added = min(life.decided + random_() * DAY, now)

    def last_step(
        self, life: Life, group: GroupPlan, previous: str, status: str, applying: bool
    ) -> None:
        """The step that brought the signup to its status: when, from what, by whom."""
        if status == PENDING:
            life.step, life.from_status = life.confirmed, UNCONFIRMED
        elif status == APPROVED:
            life.step, life.from_status = life.decided, PENDING
        elif status == REJECTED:
            life.step, life.from_status = life.decided, PENDING
            life.ended = life.decided
            reasons = APPLICATION_REJECT_REASONS if applying else REJECT_REASONS
            life.reason = reasons[int(self.random() * len(reasons))]
        elif status == LEFT or status == REMOVED:
            self.leave(life, group, status)
        elif status == WITHDRAWN:
            self.withdraw(life, previous)

    def leave(self, life: Life, group: GroupPlan, status: str) -> None:
        """Left the group, or removed from it (with a reason), since being added."""
        random_ = self.random
        since = life.added or life.decided
        life.ended = since + (self.now - 60 - since) * random_()
        life.step, life.from_status = life.ended, APPROVED
        life.actor = self.decider(group)
        if status == REMOVED:
            life.reason = REMOVE_REASONS[int(random_() * len(REMOVE_REASONS))]

    def withdraw(self, life: Life, previous: str) -> None:
        """Withdrawn by the resident: soon if still open, any time once a member."""
        since = life.added or life.decided or life.confirmed or life.created
        if previous == APPROVED:
            life.ended = since + (self.now - 30 - since) * self.random()
        else:
            window = 40 * 3600 if previous == UNCONFIRMED else 10 * DAY
            life.ended = min(since + 60 + self.random() * window, self.now - 30)
        life.step, life.from_status, life.actor = life.ended, previous, None

    def decider(self, group: GroupPlan, *, staff_only: bool = False) -> int | None:
        """A coordinator of the group mostly, or staff of the zone."""
        random_ = self.random
        deciders = group.deciders
        if deciders and not staff_only and random_() < 0.9:
            return deciders[int(random_() * len(deciders))]
        staff = group.municipality.zone.staff
        return staff[int(random_() * len(staff))] if staff else None
