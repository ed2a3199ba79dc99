"""Signups in every status, each with the status change of its last step.

Drawn in two passes: kind, group and submission time first; then, in time
order, each signup's life (confirmed, decided, added to the group, ended,
erased by the retention purge) and its row. Ids so grow with ``created_at``,
as they do in a real table. The second pass is the generator's hot loop: it
runs a million and a half times at national size, so it works with plain
strings and ``random()`` only.
"""

import time
from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate
from math import sqrt

from registrations.constants import SignupRole, SignupStatus
from registrations.models import Signup, StatusChange

from .context import DAY, YEAR, Context
from .life import (
    APPROVED,
    LEFT,
    PENDING,
    REMOVED,
    UNCONFIRMED,
    WITHDRAWN,
    Lives,
)
from .plan import GroupPlan, wrong_side
from .sizes import apportion
from .words import (
    BOXES,
    FIRST_NAMES,
    LAST_NAMES,
    LOCAL_PARTS,
    MAIL_DOMAINS,
    SIGNUP_MOBILE_PREFIXES,
    STREET_STEMS,
    mobile_number,
)

# (role, status) of a signup and its share in percent.
SIGNUP_MIX = [
    (SignupRole.PARTICIPANT, SignupStatus.UNCONFIRMED, 3.0),
    (SignupRole.PARTICIPANT, SignupStatus.PENDING, 5.0),
    (SignupRole.PARTICIPANT, SignupStatus.APPROVED, 70.0),
    (SignupRole.PARTICIPANT, SignupStatus.REJECTED, 5.0),
    (SignupRole.PARTICIPANT, SignupStatus.LEFT, 8.0),
    (SignupRole.PARTICIPANT, SignupStatus.REMOVED, 2.0),
    (SignupRole.PARTICIPANT, SignupStatus.WITHDRAWN, 3.0),
    # Applications to found a group: 0.5% in all.
    (SignupRole.COORDINATOR, SignupStatus.UNCONFIRMED, 0.05),
    (SignupRole.COORDINATOR, SignupStatus.PENDING, 0.2),
    (SignupRole.COORDINATOR, SignupStatus.APPROVED, 0.1),
    (SignupRole.COORDINATOR, SignupStatus.REJECTED, 0.1),
    (SignupRole.COORDINATOR, SignupStatus.WITHDRAWN, 0.05),
]
HISTORY = 3 * YEAR  # signups are spread over the last three years
PROGRESS_EVERY = 250_000

SIGNUP_FIELDS = (
    "id role status group proposed_group_name proposed_area first_name "
    "last_name street_name street house_number box postcode municipality "
    "phone email language house_rules house_rules_accepted_at "
    "privacy_accepted_at outside_region created_at updated_at confirmed_at "
    "decided_at decided_by decision_reason added_to_whatsapp_at ended_at "
    "erased_at"
).split()
STATUS_CHANGE_FIELDS = "id signup from_status to_status actor reason created_at".split()

COORDINATOR = str(SignupRole.COORDINATOR.value)
KINDS = [(str(role.value), str(status.value)) for role, status, _ in SIGNUP_MIX]


def signup_language(draw: float) -> str:
    """Mostly Dutch, as in a Flemish zone; a few residents read French or English."""
    if draw < 0.93:
        return "nl"
    return "fr" if draw < 0.965 else "en"


def write_signups(ctx: Context) -> None:
    Signups(ctx).write()


class Signups:
    """The two passes over the signups, and each signup's row."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.random = ctx.rng.random
        self.now = ctx.now
        self.at = ctx.at
        self.lives = Lives(self.random, self.now)

    def write(self) -> None:
        ctx, n = self.ctx, self.ctx.sizes.signups
        started = time.monotonic()
        kinds = self.kinds(n)
        group_of, created = self.submissions(kinds)
        order = sorted(range(n), key=created.__getitem__)
        first_signup = ctx.writer.reserve(Signup, n)
        first_change = ctx.writer.reserve(StatusChange, n)
        ctx.log(f"{'signups planned':<24} {n:>10,} rows {ctx.since(started)}")
        changes_table = ctx.table("status changes", StatusChange, STATUS_CHANGE_FIELDS)
        with (
            ctx.table("signups", Signup, SIGNUP_FIELDS) as signups,
            changes_table as changes,
        ):
            make, add_signup, add_change = self.signup, signups.add, changes.add
            groups = ctx.groups
            for position, i in enumerate(order):
                signup, change = make(
                    first_signup + position, kinds[i], groups[group_of[i]], created[i]
                )
                add_signup(signup)
                add_change((first_change + position, *change))
                if (position + 1) % PROGRESS_EVERY == 0:
                    ctx.log(
                        f"  signups {position + 1:>10,} / {n:,} {ctx.since(started)}"
                    )

    # --- first pass: kind, group and submission time ------------------------

    def kinds(self, n: int) -> bytearray:
        """Indices into KINDS in the shares of SIGNUP_MIX, shuffled."""
        counts = apportion(
            n, [share for _, _, share in SIGNUP_MIX], 1 if n >= 200 else 0
        )
        kinds = bytearray()
        for kind, count in enumerate(counts):
            kinds += bytes([kind]) * count
        self.ctx.rng.shuffle(kinds)
        return kinds

    def submissions(self, kinds: bytearray) -> tuple[array, array]:
        """Each signup's group (an index into the plan's) and submission time.

        Open signups go to published groups; some groups draw more than others.
        """
        n, groups = len(kinds), self.ctx.groups
        weights = [self.ctx.rng.lognormvariate(0, 0.5) for _ in groups]
        everywhere = self.picker(range(len(groups)), weights)
        published = [i for i, group in enumerate(groups) if group.published]
        open_ones = (
            self.picker(published, [weights[i] for i in published])
            if published
            else everywhere
        )
        created = array("d", bytes(8 * n))
        group_of = array("l", bytes(array("l").itemsize * n))
        submitted = self.submitted
        for i in range(n):
            role, status = KINDS[kinds[i]]
            index = (open_ones if status in (UNCONFIRMED, PENDING) else everywhere)()
            group_of[i] = index
            created[i] = submitted(role, status, groups[index])
        return group_of, created

    def picker(self, items: Sequence[int], weights: list[float]) -> Callable[[], int]:
        cumulative = list(accumulate(weights))
        total, random_ = cumulative[-1], self.random
        return lambda: items[bisect_right(cumulative, random_() * total)]

    def submitted(self, role: str, status: str, group: GroupPlan) -> float:
        """When the form was sent: recent for open ones, over three years for others."""
        random_, now = self.random, self.now
        if status == UNCONFIRMED:  # the link is valid for two days
            return now - 600 - random_() * 45 * 3600
        if status == PENDING:
            return now - 7200 - 60 * DAY * random_() ** 2
        if role == COORDINATOR and status == APPROVED:
            return group.created - (3 + 17 * random_()) * DAY  # it founded the group
        youngest = 7 * DAY if status in (LEFT, REMOVED) else 2 * DAY
        span = max(0.0, min(HISTORY, now - group.created - DAY) - youngest)
        # Denser towards now: the network grows.
        return now - youngest - span * (1 - sqrt(random_()))

    # --- second pass: one signup, its life and its row ----------------------

    def signup(self, signup_id: int, kind: int, group: GroupPlan, created: float):
        """One signup row and the StatusChange of its latest step (without id)."""
        random_, at = self.random, self.at
        role, status = KINDS[kind]
        applying = role == COORDINATOR
        m = group.municipality
        first = FIRST_NAMES[int(random_() * len(FIRST_NAMES))]
        last = LAST_NAMES[int(random_() * len(LAST_NAMES))]
        street_name, street, number, house, postcode = self.address(group, applying)
        outside = not applying and (street is None or not group.covers(street, number))
        life = self.lives.draw(status, applying, group, created)
        proposed_name, proposed_area = proposal(
            group, status, applying, street_name, street
        )
        if status == WITHDRAWN or life.erased is not None:
            # What a withdrawal or the retention purge leaves of a signup.
            first = last = street_name = house = postcode = proposed_area = ""
            reason = box = phone = email = ""
            street = None
        else:
            reason = life.reason
            box, phone, email = self.contact(signup_id, first, last)
        submitted = at(created)
        row = (
            signup_id,
            role,
            status,
            group.id if not applying or status == APPROVED else None,
            proposed_name,
            proposed_area,
            first,
            last,
            street_name,
            street,
            house,
            box,
            postcode,
            m.id,
            phone,
            email,
            signup_language(random_()),
            m.zone.rules_at(created),
            submitted,
            submitted,
            outside,
            submitted,
            at(life.last_moment()),
            at(life.confirmed),
            at(life.decided),
            life.decided_by,
            reason,
            at(life.added),
            at(life.ended),
            at(life.erased),
        )
        return row, (
            signup_id,
            life.from_status,
            status,
            life.actor,
            reason,
            at(life.step),
        )

    def address(
        self, group: GroupPlan, applying: bool
    ) -> tuple[str, int | None, int, str, str]:
        """(street name as typed, street id, number, house number, postcode)."""
        random_ = self.random
        m = group.municipality
        chance = random_()
        number = 1 + int(random_() * 150)
        if chance < 0.015:  # a new street the register does not know yet
            stem = STREET_STEMS[int(random_() * len(STREET_STEMS))]
            return f"Residentie {stem}hof", None, number, str(number), m.postcodes[0]
        index, number = self.street_and_number(group, applying, chance, number)
        street_id, name, postcode = m.streets[index]
        if random_() < 0.05:  # typed short; the finder and known_street cope
            name = name.replace("steenweg", " stwg.").replace("straat", "str.")
        house = f"{number}A" if random_() < 0.03 else str(number)
        return name, street_id, number, house, postcode

    def street_and_number(
        self, group: GroupPlan, applying: bool, chance: float, number: int
    ) -> tuple[int, int]:
        """Which of the municipality's streets (an index), and the house number."""
        random_ = self.random
        m = group.municipality
        if applying and m.uncovered:  # a new group where nobody covers the street
            return m.uncovered[int(random_() * len(m.uncovered))], number
        if chance < 0.085 or not group.coverage or applying:  # anywhere in town
            return int(random_() * len(m.streets)), number
        index, parity, low, high = group.coverage[int(random_() * len(group.coverage))]
        low = low or 1
        high = high or low + 120
        number = low + int(random_() * (high - low + 1))
        if wrong_side(parity, number):
            number += 1 if number < high else -1
        return index, number

    def contact(self, signup_id: int, first: str, last: str) -> tuple[str, str, str]:
        """(box, phone, e-mail address): distinct per signup."""
        random_ = self.random
        box = BOXES[int(random_() * len(BOXES))] if random_() < 0.04 else ""
        phone = mobile_number(signup_id, SIGNUP_MOBILE_PREFIXES)
        domain = MAIL_DOMAINS[signup_id % len(MAIL_DOMAINS)]
        email = f"{LOCAL_PARTS[first]}.{LOCAL_PARTS[last]}.{signup_id}@{domain}"
        return box, phone, email


def proposal(
    group: GroupPlan, status: str, applying: bool, street_name: str, street: int | None
) -> tuple[str, str]:
    """An application's proposed group name and area; nothing for a resident's."""
    if not applying:
        return "", ""
    if status == APPROVED:
        name = group.name
    else:
        area = street_name.split(" ")[-1] if street is None else street_name
        name = f"WABP {area}"
    return name, f"{street_name} en de straten errond"
