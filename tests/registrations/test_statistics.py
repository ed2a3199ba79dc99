"""The statistics and coverage page of police-zone staff, on a known data set.

Zone A has Alken (groups Noord and Zuid, streets claimed in every way two
regions can and cannot overlap) and Bilzen (one group, nothing happening).
Zone B has Hasselt, which zone A's staff must never see.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from groups.constants import NumberParity
from groups.models import Municipality, PoliceZone, Region, Street, WhatsAppGroup
from groups.services import add_zone_staff, link_coordinator_login
from registrations.charts import Bar, Series, bar_chart, nice_ticks
from registrations.constants import SignupRole, SignupStatus
from registrations.models import Signup
from registrations.statistics import shared_numbers, zone_statistics
from tests.factories import (
    CoordinatorFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    RegionFactory,
    RegionStreetFactory,
    SignupFactory,
    StreetFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = datetime(2026, 3, 15, 12, 0, tzinfo=BRUSSELS)
DAY = timedelta(days=1)
ALL, EVEN, ODD = NumberParity.ALL, NumberParity.EVEN, NumberParity.ODD


@dataclass
class KnownNetwork:
    alken: Municipality
    bilzen: Municipality
    hasselt: Municipality
    noord: WhatsAppGroup
    zuid: WhatsAppGroup
    centrum: WhatsAppGroup
    elders: WhatsAppGroup
    staff_a: User
    staff_b: User


def signup(group, *, status, created, confirmed=None, decided=None, **kwargs):
    """A signup of ``group`` submitted at ``created`` (auto_now_add is overridden)."""
    made = SignupFactory(
        group=group,
        municipality=kwargs.pop("municipality", None) or group.municipality,
        status=status,
        confirmed_at=confirmed,
        decided_at=decided,
        **kwargs,
    )
    Signup.objects.filter(pk=made.pk).update(created_at=created)
    return made


def decided_after(group, days: float, *, status=SignupStatus.APPROVED, created):
    confirmed = created + timedelta(hours=1)
    return signup(
        group,
        status=status,
        created=created,
        confirmed=confirmed,
        decided=confirmed + days * DAY,
    )


def cover(region: Region, street: Street, parity=ALL, start=None, end=None) -> None:
    RegionStreetFactory(
        region=region, street=street, parity=parity, number_from=start, number_to=end
    )


@pytest.fixture
def known(zone, zone_staff) -> KnownNetwork:
    alken = MunicipalityFactory(zone=zone, name="Alken", slug="alken")
    bilzen = MunicipalityFactory(zone=zone, name="Bilzen", slug="bilzen")
    noord_region = RegionFactory(municipality=alken, name="Noord")
    zuid_region = RegionFactory(municipality=alken, name="Zuid")
    noord = WhatsAppGroupFactory(
        municipality=alken, region=noord_region, name="WABP Noord", display_order=1
    )
    zuid = WhatsAppGroupFactory(
        municipality=alken, region=zuid_region, name="WABP Zuid", display_order=2
    )
    centrum = WhatsAppGroupFactory(municipality=bilzen, name="WABP Centrum")

    # Noord: decisions after 1, 2 and 10 days (median 2), one pending exactly
    # 14 days (not stale yet), one a second longer (stale), one unconfirmed.
    decided_after(noord, 1, created=datetime(2026, 1, 5, tzinfo=BRUSSELS))
    decided_after(noord, 2, created=datetime(2026, 1, 20, tzinfo=BRUSSELS))
    decided_after(noord, 10, created=datetime(2026, 3, 1, tzinfo=BRUSSELS))
    signup(
        noord,
        status=SignupStatus.PENDING,
        created=NOW - 15 * DAY,
        confirmed=NOW - 14 * DAY,
    )
    signup(
        noord,
        status=SignupStatus.PENDING,
        created=NOW - 15 * DAY,
        confirmed=NOW - 14 * DAY - timedelta(seconds=1),
    )
    signup(noord, status=SignupStatus.UNCONFIRMED, created=NOW - DAY)
    # Zuid: a member after 5 days, a rejection after 3 (median 4), one stale.
    # Submitted at 00:30 on 1 April in Brussels, still 31 March in UTC: April.
    decided_after(zuid, 5, created=datetime(2025, 4, 1, 0, 30, tzinfo=BRUSSELS))
    decided_after(
        zuid,
        3,
        status=SignupStatus.REJECTED,
        created=datetime(2025, 3, 31, 23, 30, tzinfo=BRUSSELS),  # before the year
    )
    signup(
        zuid,
        status=SignupStatus.PENDING,
        created=NOW - 21 * DAY,
        confirmed=NOW - 20 * DAY,
    )
    # An application to found a new group: Alken's, but no group's.
    signup(
        None,
        municipality=alken,
        role=SignupRole.COORDINATOR,
        proposed_group_name="WABP Oost",
        status=SignupStatus.PENDING,
        created=NOW - 31 * DAY,
        confirmed=NOW - 30 * DAY,
    )

    streets = {
        name: StreetFactory(municipality=alken, name=name)
        for name in (
            "Beekstraat",
            "Bosstraat",
            "Dorpsstraat",
            "Kerkstraat",
            "Lindenlaan",
            "Molenweg",
            "Motstraat",
            "Stationsstraat",
        )
    }
    # Even 1–99 and the odd side: no number in common.
    cover(noord_region, streets["Motstraat"], EVEN, 1, 99)
    cover(zuid_region, streets["Motstraat"], ODD)
    # The whole street and 10–20: overlap on 10–20.
    cover(noord_region, streets["Kerkstraat"])
    cover(zuid_region, streets["Kerkstraat"], ALL, 10, 20)
    # 1–50 and 51–100 meet without sharing a number.
    cover(noord_region, streets["Stationsstraat"], ALL, 1, 50)
    cover(zuid_region, streets["Stationsstraat"], ALL, 51, 100)
    # Even 2–10 and number 3 alone: the only shared number is odd.
    cover(noord_region, streets["Dorpsstraat"], EVEN, 2, 10)
    cover(zuid_region, streets["Dorpsstraat"], ALL, 3, 3)
    # The odd side and 1–5: overlap on the odd numbers 1–5.
    cover(noord_region, streets["Beekstraat"], ODD)
    cover(zuid_region, streets["Beekstraat"], ALL, 1, 5)
    # One region twice on a street is not an overlap between regions.
    cover(noord_region, streets["Molenweg"])
    cover(noord_region, streets["Molenweg"], EVEN, 2, 8)

    zone_b = PoliceZoneFactory()
    hasselt = MunicipalityFactory(zone=zone_b, name="Hasselt", slug="hasselt")
    elders = WhatsAppGroupFactory(municipality=hasselt, name="WABP Elders")
    for day in range(5):
        decided_after(elders, 7, created=NOW - (40 + day) * DAY)
    StreetFactory(municipality=hasselt, name="Geheimstraat")
    staff_b = UserFactory()
    add_zone_staff(zone_b, user=staff_b)

    return KnownNetwork(
        alken=alken,
        bilzen=bilzen,
        hasselt=hasselt,
        noord=noord,
        zuid=zuid,
        centrum=centrum,
        elders=elders,
        staff_a=zone_staff,
        staff_b=staff_b,
    )


def by_name(items) -> dict:
    return {item.name: item for item in items}


def test_members_pending_and_stale_per_group_and_municipality(known):
    stats = zone_statistics(known.staff_a, now=NOW)

    alken, bilzen = stats.municipalities
    assert (alken.name, bilzen.name) == ("Alken", "Bilzen")
    groups = by_name(alken.groups)
    assert list(groups) == ["WABP Noord", "WABP Zuid"]
    noord, zuid = groups["WABP Noord"], groups["WABP Zuid"]
    assert (noord.members, noord.pending, noord.stale_pending) == (3, 2, 1)
    assert (zuid.members, zuid.pending, zuid.stale_pending) == (1, 1, 1)
    # The application for a new group counts for Alken, not for a group.
    assert (alken.members, alken.pending, alken.stale_pending) == (4, 4, 3)
    assert alken.applications_stale == 1
    [centrum] = bilzen.groups
    assert (centrum.members, centrum.pending, centrum.median_days) == (0, 0, None)
    assert (stats.members, stats.pending, stats.stale_pending) == (4, 4, 3)


def test_median_days_from_confirmation_to_decision(known):
    stats = zone_statistics(known.staff_a, now=NOW)

    alken = stats.municipalities[0]
    groups = by_name(alken.groups)
    assert groups["WABP Noord"].median_days == 2  # after 1, 2 and 10 days
    assert groups["WABP Zuid"].median_days == 4  # after 3 and 5 days
    assert alken.median_days == 3  # 1, 2, 3, 5, 10
    assert stats.municipalities[1].median_days is None
    assert stats.median_days == 3


def test_signups_per_month_in_brussels_time_with_empty_months(known):
    stats = zone_statistics(known.staff_a, now=NOW)

    months = {each.month.isoformat(): each.count for each in stats.months}
    assert list(months)[0] == "2025-04-01"
    assert list(months)[-1] == "2026-03-01"
    assert len(months) == 12
    assert months == {
        "2025-04-01": 1,  # 00:30 on 1 April in Brussels; 31 March in UTC
        "2025-05-01": 0,
        "2025-06-01": 0,
        "2025-07-01": 0,
        "2025-08-01": 0,
        "2025-09-01": 0,
        "2025-10-01": 0,
        "2025-11-01": 0,
        "2025-12-01": 0,
        "2026-01-01": 2,
        "2026-02-01": 4,  # three pending, one application
        "2026-03-01": 2,  # one decided, one unconfirmed
    }
    noord, zuid = stats.municipalities[0].groups
    assert [each.count for each in noord.months][-3:] == [2, 2, 2]
    assert [each.count for each in zuid.months][:2] == [1, 0]
    assert stats.signups_in_period == 9


def test_uncovered_streets_per_municipality(known):
    stats = zone_statistics(known.staff_a, now=NOW)

    alken, bilzen = stats.coverage
    assert [street.name for street in alken.uncovered] == ["Bosstraat", "Lindenlaan"]
    assert alken.street_count == 8
    assert (bilzen.street_count, bilzen.uncovered) == (0, ())
    assert stats.uncovered_count == 2


def test_overlaps_only_where_house_numbers_are_shared(known):
    stats = zone_statistics(known.staff_a, now=NOW)

    with translation.override("en"):
        found = {
            (each.street.name, each.regions, each.parity, each.start, each.end): (
                each.numbers
            )
            for each in stats.coverage[0].overlaps
        }
    assert found == {
        ("Beekstraat", ("Noord", "Zuid"), ODD, 1, 5): "odd numbers 1–5",
        ("Kerkstraat", ("Noord", "Zuid"), ALL, 10, 20): "all numbers 10–20",
    }
    assert stats.overlap_count == 2


@pytest.mark.parametrize(
    ("first", "second", "shared"),
    [
        ((EVEN, 1, 99), (ODD, None, None), None),
        ((ALL, None, None), (ALL, 10, 20), (ALL, 10, 20)),
        ((ALL, None, None), (EVEN, 10, 20), (EVEN, 10, 20)),
        ((ALL, 1, 50), (ALL, 51, 100), None),
        ((ALL, 1, 50), (ALL, 50, 100), (ALL, 50, 50)),
        ((EVEN, 2, 10), (ALL, 3, 3), None),
        ((ODD, None, None), (ALL, 1, 6), (ODD, 1, 5)),
        ((EVEN, None, None), (EVEN, 7, None), (EVEN, 8, None)),
        ((ODD, 1, 9), (ODD, 11, None), None),
        ((EVEN, None, None), (ALL, None, 1), None),
        ((ALL, None, None), (ALL, None, None), (ALL, 1, None)),
    ],
)
def test_shared_house_numbers_of_two_ranges(first, second, shared):
    def row(parity, start, end) -> dict:
        return {"parity": parity, "number_from": start, "number_to": end}

    assert shared_numbers(row(*first), row(*second)) == shared
    assert shared_numbers(row(*second), row(*first)) == shared


def test_groups_at_the_warning_size_are_near_the_limit(known, settings):
    settings.GROUP_SIZE_WARNING = 3

    stats = zone_statistics(known.staff_a, now=NOW)

    [near] = stats.near_limit
    assert (near.name, near.members, near.places_left) == ("WABP Noord", 3, 1021)
    assert stats.group_limit == 1024


def test_stale_signups_are_listed_per_group(known):
    stats = zone_statistics(known.staff_a, now=NOW)

    assert [(g.name, g.stale_pending) for g in stats.stale_groups] == [
        ("WABP Noord", 1),
        ("WABP Zuid", 1),
    ]


def test_exactly_fourteen_days_is_not_yet_stale(known):
    a_second_earlier = zone_statistics(known.staff_a, now=NOW - timedelta(seconds=1))
    a_second_later = zone_statistics(known.staff_a, now=NOW + timedelta(seconds=1))

    assert a_second_earlier.municipalities[0].groups[0].stale_pending == 0
    assert a_second_later.municipalities[0].groups[0].stale_pending == 2


def test_zone_staff_see_only_their_zone(known):
    stats_a = zone_statistics(known.staff_a, now=NOW)
    stats_b = zone_statistics(known.staff_b, now=NOW)

    assert [each.name for each in stats_a.municipalities] == ["Alken", "Bilzen"]
    assert "WABP Elders" not in by_name(stats_a.groups)
    assert [each.name for each in stats_b.municipalities] == ["Hasselt"]
    assert stats_b.members == 5
    assert [street.name for street in stats_b.coverage[0].uncovered] == ["Geheimstraat"]


def test_superuser_sees_every_zone(known):
    superuser = UserFactory(is_superuser=True, is_staff=True)

    stats = zone_statistics(superuser, now=NOW)

    assert [each.name for each in stats.municipalities] == [
        "Alken",
        "Bilzen",
        "Hasselt",
    ]
    assert stats.members == 9
    assert stats.uncovered_count == 3


def test_one_municipality(known):
    stats = zone_statistics(known.staff_a, municipality=known.alken, now=NOW)

    assert [each.name for each in stats.municipalities] == ["Alken"]
    assert [each.name for each in stats.coverage] == ["Alken"]


def test_another_zones_municipality_gives_nothing(known):
    stats = zone_statistics(known.staff_a, municipality=known.hasselt, now=NOW)

    assert stats.municipalities == ()
    assert stats.members == 0
    assert sum(each.count for each in stats.months) == 0


def grow(zone: PoliceZone, groups: int) -> None:
    """``groups`` more groups in new municipalities, with signups and streets."""
    for number in range(groups):
        group = WhatsAppGroupFactory(municipality=MunicipalityFactory(zone=zone))
        decided_after(group, number + 1, created=NOW - 3 * DAY)
        signup(
            group,
            status=SignupStatus.PENDING,
            created=NOW - 30 * DAY,
            confirmed=NOW - 29 * DAY,
        )
        cover(group.region, StreetFactory(municipality=group.municipality))
        StreetFactory(municipality=group.municipality)


def count_queries(user: User) -> int:
    with CaptureQueriesContext(connection) as context:
        zone_statistics(user, now=NOW)
    return len(context.captured_queries)


def test_queries_do_not_grow_with_groups(
    zone, zone_staff, django_assert_max_num_queries
):
    grow(zone, 2)
    # 7, 2 each for the scopes of signups and groups (visible_to names the
    # user's municipalities and groups by id), the waiting list's count and
    # the answers to the yearly question
    with django_assert_max_num_queries(13):
        small = zone_statistics(zone_staff, now=NOW)
    small_count = count_queries(zone_staff)
    grow(zone, 8)

    with django_assert_max_num_queries(13):
        large = zone_statistics(zone_staff, now=NOW)

    assert count_queries(zone_staff) == small_count
    assert (len(small.groups), len(large.groups)) == (2, 10)
    assert large.members == 10


# The page


@pytest.fixture
def statistics_url() -> str:
    return reverse("statistics")


def test_zone_staff_open_the_page_with_the_figures(client, known, statistics_url):
    with time_machine.travel(NOW, tick=False):
        client.force_login(known.staff_a)
        response = client.get(statistics_url)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    stats = response.context["stats"]
    assert stats.members == 4
    assert stats.stale_pending == 3
    for text in ("WABP Noord", "WABP Zuid", "WABP Centrum"):
        assert text in page
    # Coverage as counts, the streets on the coverage page (issue 24: a
    # zone's 19,000 uncovered streets made this page 1.9 MB).
    for street in ("Bosstraat", "Lindenlaan", "Kerkstraat", "Beekstraat"):
        assert street not in page
    assert reverse("coverage") in page
    assert "WABP Elders" not in page
    assert "Geheimstraat" not in page
    assert page.count('role="img"') == 4  # municipalities, Alken, Bilzen, months
    assert "<table" in page


def test_staff_filter_one_municipality(client, known, statistics_url):
    client.force_login(known.staff_a)

    response = client.get(statistics_url, {"gemeente": "bilzen"})

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "WABP Centrum" in page
    assert "WABP Noord" not in page


@pytest.mark.parametrize("slug", ["hasselt", "onbekend", "'; drop table", "x" * 500])
def test_unknown_or_foreign_municipality_is_not_found(
    client, known, statistics_url, slug
):
    client.force_login(known.staff_a)

    response = client.get(statistics_url, {"gemeente": slug})

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_coordinator_is_refused(client, known, statistics_url):
    user = UserFactory()
    link_coordinator_login(
        CoordinatorFactory(zone=known.alken.zone, groups=[known.noord]), user=user
    )
    client.force_login(user)

    response = client.get(statistics_url)

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_anonymous_is_sent_to_the_admin_login(client, statistics_url):
    response = client.get(statistics_url)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:login"))
    assert "next=" in response["Location"]


def test_superuser_sees_every_zone_on_the_page(client, known, statistics_url):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get(statistics_url)

    assert response.status_code == HTTPStatus.OK
    assert "WABP Elders" in response.content.decode()


def test_admin_index_links_to_the_page_for_zone_staff_only(client, known):
    client.force_login(known.staff_a)
    staff_index = client.get(reverse("admin:index")).content.decode()
    coordinator = UserFactory()
    link_coordinator_login(
        CoordinatorFactory(zone=known.alken.zone, groups=[known.noord]),
        user=coordinator,
    )
    client.force_login(coordinator)
    coordinator_index = client.get(reverse("admin:index")).content.decode()

    assert reverse("statistics") in staff_index
    assert reverse("statistics") not in coordinator_index


def test_page_queries_do_not_grow_with_groups(
    client, zone, zone_staff, statistics_url, django_assert_max_num_queries
):
    client.force_login(zone_staff)
    grow(zone, 2)
    with CaptureQueriesContext(connection) as small:
        client.get(statistics_url)
    grow(zone, 8)

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(statistics_url)

    # Session (read, and its activity time written on a first request), user,
    # role, municipalities, the figures' seven, the scopes of signups and
    # groups (2 each), the waiting list's count, the answers to the yearly
    # question, permissions.
    assert len(small.captured_queries) <= 22

    assert len(response.context["stats"].groups) == 10


def test_labels_are_escaped_in_the_charts_and_the_page(client, known, statistics_url):
    known.noord.name = "<script>alert(1)</script>"
    known.noord.save()
    client.force_login(known.staff_a)

    page = client.get(statistics_url).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_bar_chart_escapes_labels_and_is_an_accessible_image():
    chart = bar_chart(
        chart_id="test",
        title='Groups & "members"',
        description="<b>bold</b>",
        series=[Series("Members", "members"), Series("Waiting", "pending")],
        bars=[Bar("<script>x</script>", (12, 3)), Bar("Noord", (0, 0))],
    )

    assert "<script>" not in chart
    assert "&lt;script&gt;x&lt;/script&gt;" in chart
    assert "<b>" not in chart
    assert 'role="img"' in chart
    assert 'aria-labelledby="test-title test-desc"' in chart
    assert '<title id="test-title">Groups &amp; &quot;members&quot;</title>' in chart
    assert chart.count("<rect") == 2 + 4  # the legend and a bar per value


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (4, [0, 1, 2, 3, 4]),
        (7, [0, 2, 4, 6, 8]),
        (23, [0, 5, 10, 15, 20, 25]),
        (900, [0, 200, 400, 600, 800, 1000]),
    ],
)
def test_axis_ticks_are_round_numbers(maximum, ticks):
    assert nice_ticks(maximum) == ticks
