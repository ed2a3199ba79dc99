"""Figures for police-zone staff: how the networks grow and where they fall short.

Everything is computed for the municipalities a person may see
(``visible_to``), optionally one of them. Per municipality and per
neighbourhood group:

- **members**: approved signups;
- **pending**: confirmed signups waiting for a decision;
- **waiting too long**: pending signups whose e-mail was confirmed more than
  ``STALE_PENDING_DAYS`` days ago, the threshold of the coordinators'
  reminders (exactly that many days is not yet too long);
- **median days to a decision**: from the e-mail confirmation to the approval
  or rejection, over every signup that has both. The median rather than the
  mean, so one forgotten signup does not hide a group that usually decides
  within a day. It is computed in Python from the two timestamps, so SQLite
  and PostgreSQL agree;
- **signups per month**: every submitted signup, by the month (Brussels time)
  it was submitted, for the current month and the eleven before it, months
  without signups included.

A municipality's figures count all its signups, including applications to
found a new group, which belong to no group yet: they can exceed the sum of
its groups.

The yearly question "do you still live here?", per municipality and group,
over the questions asked in the last RECONFIRMATION_INTERVAL_DAYS:

- **still living here** and **moved**: the answers;
- **no answer**: asked more than RECONFIRMATION_ANSWER_DAYS ago and not
  answered (the coordinators were told to remove them);
- **waiting for an answer**: asked more recently.

Coverage, per municipality:

- **uncovered streets**: known streets of the municipality that no region
  covers, not even in part;
- **overlaps**: a street where two regions claim the same house numbers.
  Ranges overlap only if they share a number: the even numbers 1–99 and the
  odd numbers do not; the whole street and 10–20 do. Each pair of regions is
  listed with the numbers they share;
- **groups near the limit**: groups with at least ``GROUP_SIZE_WARNING``
  members; WhatsApp caps a group at ``WHATSAPP_GROUP_LIMIT``;
- **waiting for a group**: residents on the waiting list (confirmed, not yet
  told of a group), whose street no group covers; the admin's waiting list
  shows them per street.

The number of queries does not grow with the number of municipalities,
groups or streets: counts are aggregated in the database, and the decision
times and coverage rows are loaded once and combined in Python.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import combinations
from statistics import median

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from groups.constants import WHATSAPP_GROUP_LIMIT, NumberParity
from groups.models import (
    AnyUser,
    Municipality,
    RegionStreet,
    Street,
    WhatsAppGroup,
)

from .constants import ReconfirmationAnswer, SignupStatus
from .models import Reconfirmation, Signup, WaitingListEntry

MONTHS_SHOWN = 12
SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class MonthCount:
    month: date  # the first day of the month
    count: int


@dataclass(frozen=True)
class GroupFigures:
    pk: int
    name: str
    municipality: str
    region: str
    is_active: bool
    members: int
    pending: int
    stale_pending: int
    median_days: float | None
    months: tuple[MonthCount, ...]
    near_limit: bool

    @property
    def places_left(self) -> int:
        return WHATSAPP_GROUP_LIMIT - self.members

    @property
    def signups_in_period(self) -> int:
        return sum(month.count for month in self.months)


@dataclass(frozen=True)
class MunicipalityFigures:
    pk: int
    name: str
    slug: str
    groups: tuple[GroupFigures, ...]
    members: int
    pending: int
    stale_pending: int
    median_days: float | None
    months: tuple[MonthCount, ...]

    @property
    def signups_in_period(self) -> int:
        return sum(month.count for month in self.months)

    @property
    def applications_stale(self) -> int:
        """Stale pending signups outside any group: applications for a new one."""
        return self.stale_pending - sum(group.stale_pending for group in self.groups)


@dataclass(frozen=True)
class StreetRef:
    pk: int
    name: str
    postcode: str

    def __str__(self) -> str:
        return f"{self.name}, {self.postcode}"


@dataclass(frozen=True)
class Overlap:
    """House numbers of a street that two regions both claim."""

    street: StreetRef
    regions: tuple[str, str]
    parity: str
    start: int
    end: int | None  # None: to the end of the street

    @property
    def numbers(self) -> str:
        parity = NumberParity(self.parity).label
        if self.start <= _first_number(self.parity) and self.end is None:
            return str(parity)
        return gettext("%(parity)s %(start)s–%(end)s") % {
            "parity": parity,
            "start": self.start,
            "end": "…" if self.end is None else self.end,
        }


@dataclass(frozen=True)
class MunicipalityCoverage:
    pk: int
    name: str
    street_count: int
    uncovered: tuple[StreetRef, ...]
    overlaps: tuple[Overlap, ...]

    @property
    def overlapping_streets(self) -> int:
        return len({overlap.street for overlap in self.overlaps})


@dataclass(frozen=True)
class ReconfirmationCounts:
    """Answers to the yearly question of one group, or one municipality's total."""

    name: str
    municipality: str
    is_total: bool
    still_here: int
    moved: int
    no_answer: int
    waiting: int

    @property
    def asked(self) -> int:
        return self.still_here + self.moved + self.no_answer + self.waiting


@dataclass(frozen=True)
class Statistics:
    municipalities: tuple[MunicipalityFigures, ...]
    coverage: tuple[MunicipalityCoverage, ...]
    months: tuple[MonthCount, ...]
    median_days: float | None
    size_warning: int
    group_limit: int
    stale_days: int
    waiting_list: int = 0
    reconfirmations: tuple[ReconfirmationCounts, ...] = ()
    reconfirmation_days: int = 0
    answer_days: int = 0

    @property
    def groups(self) -> list[GroupFigures]:
        return [group for each in self.municipalities for group in each.groups]

    @property
    def members(self) -> int:
        return sum(each.members for each in self.municipalities)

    @property
    def pending(self) -> int:
        return sum(each.pending for each in self.municipalities)

    @property
    def stale_pending(self) -> int:
        return sum(each.stale_pending for each in self.municipalities)

    @property
    def signups_in_period(self) -> int:
        return sum(month.count for month in self.months)

    @property
    def near_limit(self) -> list[GroupFigures]:
        groups = [group for group in self.groups if group.near_limit]
        return sorted(groups, key=lambda group: (-group.members, group.name))

    @property
    def stale_groups(self) -> list[GroupFigures]:
        groups = [group for group in self.groups if group.stale_pending]
        return sorted(groups, key=lambda group: (-group.stale_pending, group.name))

    @property
    def uncovered_count(self) -> int:
        return sum(len(each.uncovered) for each in self.coverage)

    @property
    def overlap_count(self) -> int:
        """Streets with at least one overlap (not pairs of regions)."""
        return sum(each.overlapping_streets for each in self.coverage)


def zone_statistics(
    user: AnyUser,
    *,
    municipality: Municipality | None = None,
    now: datetime | None = None,
) -> Statistics:
    """The figures of the municipalities ``user`` may see, or of one of them."""
    now = now or timezone.now()
    municipalities = Municipality.objects.visible_to(user)
    if municipality is not None:
        municipalities = municipalities.filter(pk=municipality.pk)
    municipality_rows = list(
        municipalities.order_by("name").values("pk", "name", "slug")
    )
    # Months are those of the portal's time zone, whatever the active one.
    local = timezone.get_default_timezone()
    months = _last_months(timezone.localtime(now, local).date())
    if not municipality_rows:
        return Statistics(
            municipalities=(),
            coverage=(),
            months=tuple(MonthCount(month, 0) for month in months),
            median_days=None,
            size_warning=settings.GROUP_SIZE_WARNING,
            group_limit=WHATSAPP_GROUP_LIMIT,
            stale_days=settings.STALE_PENDING_DAYS,
        )
    pks = [row["pk"] for row in municipality_rows]
    signups = Signup.objects.visible_to(user).filter(municipality_id__in=pks)

    counts = _signup_counts(signups, now=now)
    durations = _decision_days(signups)
    per_month = _signups_per_month(signups, since=months[0])
    groups = _group_figures(
        WhatsAppGroup.objects.visible_to(user).filter(municipality_id__in=pks),
        counts=counts,
        durations=durations,
        per_month=per_month,
        months=months,
    )

    figures = []
    for row in municipality_rows:
        key = ("municipality", row["pk"])
        total = counts.get(key, {})
        figures.append(
            MunicipalityFigures(
                pk=row["pk"],
                name=row["name"],
                slug=row["slug"],
                groups=tuple(groups.get(row["pk"], ())),
                members=total.get("members", 0),
                pending=total.get("pending", 0),
                stale_pending=total.get("stale", 0),
                median_days=_median(durations.get(key, [])),
                months=_month_counts(per_month.get(key, {}), months),
            )
        )
    return Statistics(
        municipalities=tuple(figures),
        coverage=tuple(_coverage(user, municipality_rows)),
        months=_month_counts(per_month.get(("all", None), {}), months),
        median_days=_median(durations.get(("all", None), [])),
        size_warning=settings.GROUP_SIZE_WARNING,
        group_limit=WHATSAPP_GROUP_LIMIT,
        stale_days=settings.STALE_PENDING_DAYS,
        waiting_list=WaitingListEntry.objects.visible_to(user)
        .waiting()
        .filter(municipality_id__in=pks)
        .count(),
        reconfirmations=_reconfirmation_counts(signups, municipality_rows, now=now),
        reconfirmation_days=settings.RECONFIRMATION_INTERVAL_DAYS,
        answer_days=settings.RECONFIRMATION_ANSWER_DAYS,
    )


def _reconfirmation_counts(
    signups, municipality_rows: list[dict], *, now: datetime
) -> tuple[ReconfirmationCounts, ...]:
    """Per municipality with questions asked: its groups, then its total."""
    since = now - timedelta(days=settings.RECONFIRMATION_INTERVAL_DAYS)
    late = now - timedelta(days=settings.RECONFIRMATION_ANSWER_DAYS)
    unanswered = Q(answered_at__isnull=True)
    rows = (
        Reconfirmation.objects.filter(
            signup__in=signups.values("pk"), asked_at__gt=since
        )
        .order_by()
        .values("signup__municipality_id", "signup__group_id", "signup__group__name")
        .annotate(
            still_here=Count("pk", filter=Q(answer=ReconfirmationAnswer.STILL_HERE)),
            moved=Count("pk", filter=Q(answer=ReconfirmationAnswer.MOVED)),
            no_answer=Count("pk", filter=unanswered & Q(asked_at__lte=late)),
            waiting=Count("pk", filter=unanswered & Q(asked_at__gt=late)),
        )
    )
    figures = ("still_here", "moved", "no_answer", "waiting")
    by_municipality: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_municipality[row["signup__municipality_id"]].append(row)
    result = []
    for municipality in municipality_rows:
        groups = sorted(
            by_municipality.get(municipality["pk"], []),
            key=lambda row: row["signup__group__name"] or "",
        )
        if not groups:
            continue
        for row in groups:
            result.append(
                ReconfirmationCounts(
                    name=row["signup__group__name"] or "",
                    municipality=municipality["name"],
                    is_total=False,
                    **{figure: row[figure] for figure in figures},
                )
            )
        result.append(
            ReconfirmationCounts(
                name=municipality["name"],
                municipality=municipality["name"],
                is_total=True,
                **{figure: sum(row[figure] for row in groups) for figure in figures},
            )
        )
    return tuple(result)


def _keys(municipality_id: int, group_id: int | None) -> list[tuple]:
    """Every total a signup row counts towards."""
    keys = [("all", None), ("municipality", municipality_id)]
    if group_id is not None:
        keys.append(("group", group_id))
    return keys


def _signup_counts(signups, *, now: datetime) -> dict[tuple, dict[str, int]]:
    stale_before = now - timedelta(days=settings.STALE_PENDING_DAYS)
    rows = (
        signups.order_by()
        .values("municipality_id", "group_id")
        .annotate(
            members=Count("pk", filter=Q(status=SignupStatus.APPROVED)),
            pending=Count("pk", filter=Q(status=SignupStatus.PENDING)),
            stale=Count(
                "pk",
                filter=Q(status=SignupStatus.PENDING, confirmed_at__lt=stale_before),
            ),
        )
    )
    counts: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        for key in _keys(row["municipality_id"], row["group_id"]):
            for figure in ("members", "pending", "stale"):
                counts[key][figure] += row[figure]
    return counts


def _decision_days(signups) -> dict[tuple, list[float]]:
    rows = (
        signups.filter(confirmed_at__isnull=False, decided_at__isnull=False)
        .order_by()
        .values_list("municipality_id", "group_id", "confirmed_at", "decided_at")
    )
    durations: dict[tuple, list[float]] = defaultdict(list)
    for municipality_id, group_id, confirmed_at, decided_at in rows:
        days = (decided_at - confirmed_at).total_seconds() / SECONDS_PER_DAY
        for key in _keys(municipality_id, group_id):
            durations[key].append(days)
    return durations


def _signups_per_month(signups, *, since: date) -> dict[tuple, dict[date, int]]:
    local = timezone.get_default_timezone()
    rows = (
        signups.filter(created_at__gte=datetime.combine(since, time.min, tzinfo=local))
        .order_by()
        .annotate(month=TruncMonth("created_at", tzinfo=local))
        .values("municipality_id", "group_id", "month")
        .annotate(count=Count("pk"))
    )
    per_month: dict[tuple, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        month = timezone.localtime(row["month"], local).date()
        for key in _keys(row["municipality_id"], row["group_id"]):
            per_month[key][month] += row["count"]
    return per_month


def _group_figures(
    groups, *, counts, durations, per_month, months
) -> dict[int, list[GroupFigures]]:
    rows = (
        groups.neighbourhood()
        .order_by("display_order", "name")
        .values(
            "pk",
            "name",
            "municipality_id",
            "municipality__name",
            "region__name",
            "is_active",
        )
    )
    by_municipality: dict[int, list[GroupFigures]] = defaultdict(list)
    for row in rows:
        key = ("group", row["pk"])
        total = counts.get(key, {})
        members = total.get("members", 0)
        by_municipality[row["municipality_id"]].append(
            GroupFigures(
                pk=row["pk"],
                name=row["name"],
                municipality=row["municipality__name"],
                region=row["region__name"] or "",
                is_active=row["is_active"],
                members=members,
                pending=total.get("pending", 0),
                stale_pending=total.get("stale", 0),
                median_days=_median(durations.get(key, [])),
                months=_month_counts(per_month.get(key, {}), months),
                near_limit=members >= settings.GROUP_SIZE_WARNING,
            )
        )
    return by_municipality


def _coverage(
    user: AnyUser, municipality_rows: list[dict]
) -> list[MunicipalityCoverage]:
    pks = [row["pk"] for row in municipality_rows]
    streets = Street.objects.visible_to(user).filter(municipality_id__in=pks)
    street_rows = list(
        streets.order_by("name", "postcode").values(
            "pk", "name", "postcode", "municipality_id"
        )
    )
    claims: dict[int, list[dict]] = defaultdict(list)
    coverage_rows = (
        RegionStreet.objects.filter(street__in=streets)
        .order_by("region__name", "pk")
        .values(
            "street_id",
            "region_id",
            "region__name",
            "parity",
            "number_from",
            "number_to",
        )
    )
    for row in coverage_rows:
        claims[row["street_id"]].append(row)

    uncovered: dict[int, list[StreetRef]] = defaultdict(list)
    overlaps: dict[int, list[Overlap]] = defaultdict(list)
    street_count: dict[int, int] = defaultdict(int)
    for row in street_rows:
        street = StreetRef(row["pk"], row["name"], row["postcode"])
        street_count[row["municipality_id"]] += 1
        if not claims[street.pk]:
            uncovered[row["municipality_id"]].append(street)
        overlaps[row["municipality_id"]].extend(_overlaps(street, claims[street.pk]))
    return [
        MunicipalityCoverage(
            pk=row["pk"],
            name=row["name"],
            street_count=street_count[row["pk"]],
            uncovered=tuple(uncovered[row["pk"]]),
            overlaps=tuple(overlaps[row["pk"]]),
        )
        for row in municipality_rows
    ]


def _overlaps(street: StreetRef, claims: list[dict]) -> Iterable[Overlap]:
    """Each pair of regions and the house numbers both claim, once."""
    seen = set()
    for first, second in combinations(claims, 2):
        if first["region_id"] == second["region_id"]:
            continue
        shared = shared_numbers(first, second)
        if shared is None:
            continue
        regions = tuple(sorted((first["region__name"], second["region__name"])))
        overlap = Overlap(street, regions, *shared)
        if overlap not in seen:
            seen.add(overlap)
            yield overlap


def shared_numbers(first: dict, second: dict) -> tuple[str, int, int | None] | None:
    """The house numbers two coverage rows of one street have in common.

    Each row is a parity (all, even, odd) and a range from–to, either end
    open. Returns (parity, first number, last number or None for open), with
    the ends on numbers of that parity, or None if no number is shared.
    """
    parities = {first["parity"], second["parity"]} - {NumberParity.ALL}
    if len(parities) > 1:
        return None
    parity = parities.pop() if parities else NumberParity.ALL
    start = max(first["number_from"] or 1, second["number_from"] or 1)
    ends = [row["number_to"] for row in (first, second) if row["number_to"]]
    end = min(ends) if ends else None
    if not _has_parity(start, parity):
        start += 1
    if end is not None:
        if not _has_parity(end, parity):
            end -= 1
        if start > end:
            return None
    return parity, start, end


def _has_parity(number: int, parity: str) -> bool:
    if parity == NumberParity.EVEN:
        return number % 2 == 0
    if parity == NumberParity.ODD:
        return number % 2 == 1
    return True


def _first_number(parity: str) -> int:
    return 2 if parity == NumberParity.EVEN else 1


def _median(values: list[float]) -> float | None:
    return median(values) if values else None


def _last_months(today: date) -> list[date]:
    """The first days of the current month and the ones before it, oldest first."""
    months = []
    year, month = today.year, today.month
    for _ in range(MONTHS_SHOWN):
        months.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def _month_counts(
    counts: dict[date, int], months: list[date]
) -> tuple[MonthCount, ...]:
    return tuple(MonthCount(month, counts.get(month, 0)) for month in months)
