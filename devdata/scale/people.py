"""Zone staff and coordinators: their logins, their links and their roles.

As ``add_zone_staff`` and ``link_coordinator_login`` leave them: the e-mail
address is the user name, every login is staff with an unusable password,
and a retired coordinator's login is inactive and has no role.
"""

import random

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import models

from groups.constants import ROLE_COORDINATOR, ROLE_ZONE_STAFF, NotificationMode
from groups.models import Coordinator, PoliceZone

from .context import DAY, YEAR, Context
from .plan import CoordinatorPlan, MunicipalityPlan
from .sizes import SizeError
from .words import COORDINATOR_MOBILE_PREFIXES, mobile_number
from .writers import Table

USER_FIELDS = (
    "id password last_login is_superuser username first_name last_name "
    "email is_staff is_active date_joined"
).split()
COORDINATOR_FIELDS = (
    "id zone user first_name last_name email phone listed_publicly "
    "shares_contact notification_mode is_active"
).split()

Person = tuple[str, str, str]  # first name, last name, e-mail address


def write_people(ctx: Context) -> None:
    coordinators = plan_coordinators(ctx)
    staff_count = ctx.sizes.staff_per_zone * len(ctx.zones)
    first_user = ctx.writer.reserve(User, staff_count + len(coordinators))
    first_coordinator = ctx.writer.reserve(Coordinator, len(coordinators))
    with ctx.table("users", User, USER_FIELDS) as rows:
        logins = Logins(ctx, rows, first_user)
        add_staff(ctx, logins)
        people = add_coordinators(ctx, logins, coordinators, first_coordinator)
    write_roles(ctx, coordinators, people)


def plan_coordinators(ctx: Context) -> list[CoordinatorPlan]:
    """About one per group; some coordinate two groups, some groups have two.

    Even a tiny network shows both cases once: in the first municipality
    with two groups or more.
    """
    coordinators: list[CoordinatorPlan] = []
    shown = False
    for m in ctx.municipalities:
        show = not shown and len(m.groups) >= 2
        shown = shown or show
        coordinators += plan_municipality_coordinators(ctx.rng, m, show)
    return coordinators


def plan_municipality_coordinators(
    rng: random.Random, m: MunicipalityPlan, show: bool
) -> list[CoordinatorPlan]:
    coordinators: list[CoordinatorPlan] = []
    with_one_group: list[CoordinatorPlan] = []
    for position, group in enumerate(m.groups):
        two_groups = rng.random() < 0.07 or (show and position == 1)
        if with_one_group and two_groups:
            coordinator = with_one_group.pop(rng.randrange(len(with_one_group)))
            coordinator.groups.append(group)
        else:
            coordinator = CoordinatorPlan([group], active=True)
            coordinators.append(coordinator)
            with_one_group.append(coordinator)
        if rng.random() < 0.08 or (show and position == 0):
            # A second coordinator, sometimes retired.
            active = rng.random() >= 0.25 or show
            coordinators.append(CoordinatorPlan([group], active))
    return coordinators


class Logins:
    """Rows of auth.User, with consecutive ids and one unusable password."""

    def __init__(self, ctx: Context, rows: Table, first_id: int) -> None:
        self.at = ctx.at
        self.rows = rows
        self.next_id = first_id
        self.password = make_password(None)

    def add(
        self, person: Person, joined: float, seen: float | None, active: bool = True
    ) -> int:
        """The new login's id. Like login_for(): the e-mail address is the name."""
        user_id = self.next_id
        first, last, email = person
        self.rows.add(
            (
                user_id,
                self.password,
                self.at(seen),
                False,
                email,
                first,
                last,
                email,
                True,
                active,
                self.at(joined),
            )
        )
        self.next_id += 1
        return user_id


def add_staff(ctx: Context, logins: Logins) -> None:
    rng, now = ctx.rng, ctx.now
    for zone in ctx.zones:
        for _ in range(ctx.sizes.staff_per_zone):
            first, last = ctx.person()
            tag = f"s{logins.next_id}"
            person = (first, last, ctx.mail(first, last, tag, "politie.example"))
            joined = now - rng.uniform(3.5, 4) * YEAR
            seen = now - rng.uniform(0, 14) * DAY
            zone.staff.append(logins.add(person, joined, seen))


def add_coordinators(
    ctx: Context, logins: Logins, coordinators: list[CoordinatorPlan], first_id: int
) -> list[Person]:
    """Their logins, in the order of their ids; their names for their rows."""
    rng, now = ctx.rng, ctx.now
    people: list[Person] = []
    for coordinator_id, coordinator in enumerate(coordinators, start=first_id):
        coordinator.id, coordinator.user = coordinator_id, logins.next_id
        first, last = ctx.person()
        people.append((first, last, ctx.mail(first, last, f"c{coordinator.id}")))
        joined = min(group.created for group in coordinator.groups) + DAY
        seen = None
        if coordinator.active and rng.random() < 0.8:
            seen = now - rng.uniform(0, 60) * DAY
        logins.add(people[-1], joined, seen, coordinator.active)
        if coordinator.active:
            for group in coordinator.groups:
                group.deciders.append(coordinator.user)
    return people


def write_roles(
    ctx: Context, coordinators: list[CoordinatorPlan], people: list[Person]
) -> None:
    """Staff in their zones, the coordinators, their groups and everyone's role."""
    roles = dict(Group.objects.values_list("name", "pk"))
    missing = {ROLE_COORDINATOR, ROLE_ZONE_STAFF} - set(roles)
    if missing:
        raise SizeError(f"role groups missing (run migrate): {sorted(missing)}")
    staff = [(zone.id, user) for zone in ctx.zones for user in zone.staff]
    write_links(
        ctx, "zone staff", PoliceZone.staff.through, ["policezone", "user"], staff
    )
    write_coordinators(ctx, coordinators, people)
    groups = [
        (coordinator.id, group_id)
        for coordinator in coordinators
        for group_id in coordinator_group_ids(coordinator)
    ]
    write_links(
        ctx,
        "coordinator groups",
        Coordinator.groups.through,
        ["coordinator", "whatsappgroup"],
        groups,
    )
    memberships = [(user, roles[ROLE_ZONE_STAFF]) for _, user in staff]
    memberships += [(c.user, roles[ROLE_COORDINATOR]) for c in coordinators if c.active]
    write_links(ctx, "user roles", User.groups.through, ["user", "group"], memberships)


def coordinator_group_ids(coordinator: CoordinatorPlan) -> list[int]:
    """Its neighbourhood groups, then the umbrella groups of their municipalities."""
    umbrellas = {group.municipality.umbrella for group in coordinator.groups}
    return [group.id for group in coordinator.groups] + sorted(umbrellas)


def write_links(
    ctx: Context,
    label: str,
    through: type[models.Model],
    sides: list[str],
    pairs: list[tuple[int, int]],
) -> None:
    """Rows of a many-to-many table: its own id and the ids of the two sides."""
    first_id = ctx.writer.reserve(through, len(pairs))
    with ctx.table(label, through, ["id", *sides]) as rows:
        for link_id, (one, other) in enumerate(pairs, start=first_id):
            rows.add((link_id, one, other))


def write_coordinators(
    ctx: Context, coordinators: list[CoordinatorPlan], people: list[Person]
) -> None:
    random_ = ctx.rng.random
    with ctx.table("coordinators", Coordinator, COORDINATOR_FIELDS) as rows:
        for coordinator, person in zip(coordinators, people, strict=True):
            zone = coordinator.groups[0].municipality.zone
            rows.add(
                (
                    coordinator.id,
                    zone.id,
                    coordinator.user,
                    *person,
                    mobile_number(coordinator.id, COORDINATOR_MOBILE_PREFIXES),
                    random_() < 0.7,  # listed publicly
                    random_() < 0.85,  # shares contact details
                    NotificationMode.IMMEDIATE
                    if random_() < 0.75
                    else NotificationMode.DIGEST,
                    coordinator.active,
                )
            )
