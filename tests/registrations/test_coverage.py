"""The coverage and overlaps page of police-zone staff, on a known data set.

Zone A has Alken (groups Noord and Zuid, an unpublished group Stil, streets
claimed in the ways two groups can and cannot overlap, a number in both
groups, a full group) and Bilzen (one group). Zone B has Hasselt, with a
street without a group, a number also in zone A and a resident waiting,
which zone A's staff must never see.
"""

import csv
import io
from dataclasses import dataclass
from http import HTTPStatus

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.constants import NumberParity
from groups.models import Municipality, Street, WhatsAppGroup
from groups.services import add_zone_staff, link_coordinator_login
from registrations.constants import SignupStatus
from registrations.coverage import municipalities_for, zone_coverage
from tests.factories import (
    CoordinatorFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    RegionStreetFactory,
    SignupFactory,
    StreetFactory,
    UserFactory,
    WaitingListEntryFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

ALL, EVEN, ODD = NumberParity.ALL, NumberParity.EVEN, NumberParity.ODD
SHARED_PHONE = "+32470999001"
FOREIGN_PHONE = "+32470999002"
NOW = timezone.now()


@dataclass
class Known:
    alken: Municipality
    bilzen: Municipality
    hasselt: Municipality
    noord: WhatsAppGroup
    zuid: WhatsAppGroup
    centrum: WhatsAppGroup
    elders: WhatsAppGroup
    staff_a: User
    staff_b: User


def cover(group, street, parity=ALL, start=None, end=None) -> None:
    RegionStreetFactory(
        region=group.region,
        street=street,
        parity=parity,
        number_from=start,
        number_to=end,
    )


@pytest.fixture
def known(zone, zone_staff, settings) -> Known:
    settings.GROUP_SIZE_WARNING = 3
    alken = MunicipalityFactory(zone=zone, name="Alken", slug="alken")
    bilzen = MunicipalityFactory(zone=zone, name="Bilzen", slug="bilzen")
    noord = WhatsAppGroupFactory(municipality=alken, name="WABP Noord")
    zuid = WhatsAppGroupFactory(municipality=alken, name="WABP Zuid")
    stil = WhatsAppGroupFactory(municipality=alken, name="WABP Stil", is_public=False)
    centrum = WhatsAppGroupFactory(municipality=bilzen, name="WABP Centrum")
    streets = {
        name: StreetFactory(municipality=alken, name=name)
        for name in (
            "Beekstraat",
            "Bosstraat",
            "Kerkstraat",
            "Lindenlaan",
            "Motstraat",
            "Stationsstraat",
            "Verborgenstraat",
        )
    }
    cover(noord, streets["Motstraat"], EVEN, 1, 99)  # even and odd: no overlap
    cover(zuid, streets["Motstraat"], ODD)
    cover(noord, streets["Kerkstraat"])  # whole street and 10–20: overlap
    cover(zuid, streets["Kerkstraat"], ALL, 10, 20)
    cover(noord, streets["Stationsstraat"], ALL, 1, 50)  # ranges that meet
    cover(zuid, streets["Stationsstraat"], ALL, 51, 100)
    cover(noord, streets["Beekstraat"], ODD)  # odd side and 1–5: overlap 1–5
    cover(zuid, streets["Beekstraat"], ALL, 1, 5)
    # Only an unpublished group: a resident finds no group.
    cover(stil, streets["Verborgenstraat"])
    # Bosstraat and Lindenlaan: no region at all.
    StreetFactory(municipality=bilzen, name="Bilzerstraat")

    # One number in Noord (a member) and Zuid (waiting), and a withdrawn
    # signup in Centrum that does not count.
    SignupFactory(
        group=noord, status=SignupStatus.APPROVED, decided_at=NOW, phone=SHARED_PHONE
    )
    SignupFactory(group=zuid, status=SignupStatus.PENDING, phone=SHARED_PHONE)
    SignupFactory(group=centrum, status=SignupStatus.WITHDRAWN, phone=SHARED_PHONE)
    # Zuid: three people with the shared number's, at the warning size.
    SignupFactory(group=zuid, status=SignupStatus.APPROVED, decided_at=NOW)
    SignupFactory(group=zuid, status=SignupStatus.APPROVED, decided_at=NOW)
    # A number in Noord and in zone B's group.
    SignupFactory(group=noord, status=SignupStatus.PENDING, phone=FOREIGN_PHONE)
    for _ in range(3):
        WaitingListEntryFactory(street=streets["Bosstraat"])
    WaitingListEntryFactory(street=streets["Lindenlaan"])
    WaitingListEntryFactory(street=streets["Lindenlaan"], confirmed_at=None)

    zone_b = PoliceZoneFactory()
    hasselt = MunicipalityFactory(zone=zone_b, name="Hasselt", slug="hasselt")
    elders = WhatsAppGroupFactory(municipality=hasselt, name="WABP Elders")
    geheim = StreetFactory(municipality=hasselt, name="Geheimstraat")
    SignupFactory(
        group=elders, status=SignupStatus.APPROVED, decided_at=NOW, phone=FOREIGN_PHONE
    )
    for _ in range(3):
        SignupFactory(group=elders, status=SignupStatus.APPROVED, decided_at=NOW)
    WaitingListEntryFactory(street=geheim)
    staff_b = UserFactory()
    add_zone_staff(zone_b, user=staff_b)
    return Known(
        alken, bilzen, hasselt, noord, zuid, centrum, elders, zone_staff, staff_b
    )


def figures(user, municipality=None):
    return zone_coverage(user, municipalities_for(user, municipality))


def test_streets_without_a_published_group_per_municipality(known):
    coverage = figures(known.staff_a)

    alken, bilzen = coverage.municipalities
    assert (alken.name, alken.streets, alken.without_group) == ("Alken", 7, 3)
    assert (bilzen.streets, bilzen.without_group) == (1, 1)
    without = Street.objects.filter(municipality=known.alken).without_group()
    assert {street.name for street in without} == {
        "Bosstraat",
        "Lindenlaan",
        "Verborgenstraat",
    }


def test_only_shared_house_numbers_are_claimed_twice(known):
    coverage = figures(known.staff_a)

    claimed = {
        each.street.name: (each.overlap.regions, each.overlap.numbers)
        for each in coverage.claimed_twice
    }
    assert set(claimed) == {"Kerkstraat", "Beekstraat"}
    assert claimed["Kerkstraat"][0] == ("WABP Noord", "WABP Zuid")
    assert "10" in claimed["Kerkstraat"][1] and "20" in claimed["Kerkstraat"][1]
    assert coverage.municipalities[0].claimed_twice == 2


def test_a_number_in_two_groups_counts_once_and_only_within_the_zone(known):
    coverage = figures(known.staff_a)

    assert len(coverage.shared_phones) == 1
    (shared,) = coverage.shared_phones
    assert shared.phone.as_e164 == SHARED_PHONE
    assert [name for _pk, name, _m in shared.groups] == ["WABP Noord", "WABP Zuid"]
    assert coverage.totals["shared_phones"] == 1

    superuser = UserFactory(is_superuser=True, is_staff=True)
    everything = figures(superuser)
    assert {each.phone.as_e164 for each in everything.shared_phones} == {
        SHARED_PHONE,
        FOREIGN_PHONE,
    }


def test_groups_near_the_limit_count_members_and_waiting(known):
    coverage = figures(known.staff_a)

    assert [(group.name, group.people) for group in coverage.near_limit] == [
        ("WABP Zuid", 3)
    ]
    assert coverage.municipalities[0].near_limit == 1


def test_residents_waiting_per_municipality(known):
    coverage = figures(known.staff_a)

    assert coverage.municipalities[0].waiting == 4  # the unconfirmed one not
    assert coverage.totals["waiting"] == 4


def test_staff_see_only_their_zone(known):
    coverage = figures(known.staff_a)
    other = figures(known.staff_b)

    assert [each.name for each in coverage.municipalities] == ["Alken", "Bilzen"]
    assert [each.name for each in other.municipalities] == ["Hasselt"]
    assert other.totals["without_group"] == 1
    assert other.totals["waiting"] == 1
    assert other.shared_phones == []
    assert [group.name for group in other.near_limit] == ["WABP Elders"]


# The page


@pytest.fixture
def url() -> str:
    return reverse("coverage")


def test_staff_open_the_page_with_every_list(client, known, url):
    client.force_login(known.staff_a)

    response = client.get(url)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    for text in (
        "Bosstraat",
        "Verborgenstraat",
        "Kerkstraat",
        "0470 99 90 01",
        "WABP Zuid",
        "Lindenlaan",
    ):
        assert text in page, text
    for secret in ("Hasselt", "Geheimstraat", "WABP Elders", "0470 99 90 02"):
        assert secret not in page, secret
    # Without a group, claimed twice, numbers, full groups, waiting.
    assert page.count('role="img"') == 5


def test_one_municipality(client, known, url):
    client.force_login(known.staff_a)

    response = client.get(url, {"gemeente": "bilzen"})

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Bilzerstraat" in page
    assert "Bosstraat" not in page


@pytest.mark.parametrize("slug", ["hasselt", "onbekend", "'; drop table", "x" * 500])
def test_another_zones_or_unknown_municipality_is_not_found(client, known, url, slug):
    client.force_login(known.staff_a)

    assert client.get(url, {"gemeente": slug}).status_code == HTTPStatus.NOT_FOUND
    assert (
        client.get(url, {"gemeente": slug, "csv": "nummers"}).status_code
        == HTTPStatus.NOT_FOUND
    )


@pytest.mark.parametrize("page", ["2", "-1", "abc", "99999999999999999999", ""])
def test_any_page_number_shows_a_page(client, known, url, page):
    client.force_login(known.staff_a)

    response = client.get(url, {"straten": page, "overlap": page})

    assert response.status_code == HTTPStatus.OK


def test_unknown_download_is_not_found(client, known, url):
    client.force_login(known.staff_a)

    assert client.get(url, {"csv": "alles"}).status_code == HTTPStatus.NOT_FOUND


def test_coordinator_is_refused(client, known, url):
    user = UserFactory(is_staff=True)
    link_coordinator_login(
        CoordinatorFactory(zone=known.alken.zone, groups=[known.noord]), user=user
    )
    client.force_login(user)

    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    assert client.get(url, {"csv": "nummers"}).status_code == HTTPStatus.FORBIDDEN


def test_anonymous_is_sent_to_the_login(client, url):
    response = client.get(url, {"csv": "nummers"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:login"))


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_downloads_hold_the_whole_list_of_the_zone(client, known, url):
    client.force_login(known.staff_a)

    streets = client.get(url, {"csv": "straten"})
    phones = client.get(url, {"csv": "nummers"})
    waiting = client.get(url, {"csv": "wachtlijst"})
    claimed = client.get(url, {"csv": "overlap"})
    groups = client.get(url, {"csv": "groepen"})

    assert streets["Content-Type"].startswith("text/csv")
    assert "no-store" in streets["Cache-Control"]
    assert 'filename="dekking-straten.csv"' in streets["Content-Disposition"]
    assert [row[1] for row in read_csv(streets)[1:]] == [
        "Bosstraat",
        "Lindenlaan",
        "Verborgenstraat",
        "Bilzerstraat",
    ]
    assert read_csv(phones)[1][:2] == ["0470 99 90 01", "WABP Noord · WABP Zuid"]
    assert len(read_csv(phones)) == 2
    assert read_csv(waiting)[1] == ["Alken", "Bosstraat", "3"]
    assert {row[1] for row in read_csv(claimed)[1:]} == {"Kerkstraat", "Beekstraat"}
    assert read_csv(groups)[1][0] == "WABP Zuid"
    for response in (streets, phones, waiting, claimed, groups):
        assert "Geheimstraat" not in response.content.decode()
        assert "0470 99 90 02" not in response.content.decode()


def test_a_formula_in_a_street_name_is_text_in_the_download(client, known, url):
    StreetFactory(municipality=known.alken, name='=HYPERLINK("https://x.example")')
    client.force_login(known.staff_a)

    rows = read_csv(client.get(url, {"csv": "straten"}))

    assert '\'=HYPERLINK("https://x.example")' in [row[1] for row in rows]


def test_labels_are_escaped(client, known, url):
    known.zuid.name = "<script>alert(1)</script>"
    known.zuid.save()
    client.force_login(known.staff_a)

    page = client.get(url).content.decode()

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_statistics_show_counts_and_link_here_instead_of_every_street(
    client, known, url
):
    client.force_login(known.staff_a)

    page = client.get(reverse("statistics")).content.decode()

    assert url in page
    assert "Bosstraat" not in page
    assert "Kerkstraat" not in page


def test_admin_index_links_here_for_staff_only(client, known, url):
    client.force_login(known.staff_a)
    assert url in client.get(reverse("admin:index")).content.decode()
    coordinator = UserFactory(is_staff=True)
    link_coordinator_login(
        CoordinatorFactory(zone=known.alken.zone, groups=[known.noord]),
        user=coordinator,
    )
    client.force_login(coordinator)
    assert url not in client.get(reverse("admin:index")).content.decode()


def grow(zone, groups: int) -> None:
    municipality = MunicipalityFactory(zone=zone)
    for index in range(groups):
        group = WhatsAppGroupFactory(municipality=municipality)
        RegionStreetFactory(region=group.region)
        StreetFactory(municipality=municipality)
        shared = f"+32471{index:06d}"
        SignupFactory(
            group=group, status=SignupStatus.APPROVED, decided_at=NOW, phone=shared
        )
        other = WhatsAppGroupFactory(municipality=municipality)
        SignupFactory(group=other, status=SignupStatus.PENDING, phone=shared)
        WaitingListEntryFactory(street=StreetFactory(municipality=municipality))


def test_page_queries_do_not_grow(
    client, zone, zone_staff, url, django_assert_max_num_queries
):
    client.force_login(zone_staff)
    grow(zone, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == HTTPStatus.OK
    grow(zone, 10)
    MunicipalityFactory(zone=zone)

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)

    # Session (read, and its activity time written: 3), user, role,
    # municipalities, permissions (2); the counts: municipalities, streets,
    # groups' regions, claims, numbers, full groups, waiting, and the scopes
    # of groups and signups (2 each); the streets' page, the waiting list's
    # count and page, and its chart.
    assert len(small.captured_queries) <= 24
    assert response.context["totals"]["shared_phones"] == 12


def test_twenty_thousand_streets_without_a_group_stay_a_light_page(
    client, zone, zone_staff, url
):
    municipality = MunicipalityFactory(zone=zone, name="Grootgemeente")
    Street.objects.bulk_create(
        Street(
            municipality=municipality,
            name=f"Lange Nieuwe Straatnaam {number:05d}",
            search_name=f"langenieuwestraatnaam{number:05d}",
            postcode=municipality.postcode_list[0],
        )
        for number in range(20_000)
    )
    client.force_login(zone_staff)

    response = client.get(url)
    statistics = client.get(reverse("statistics"))

    assert response.status_code == HTTPStatus.OK
    assert response.context["totals"]["without_group"] == 20_000
    assert len(response.content) < 200_000
    assert statistics.status_code == HTTPStatus.OK
    assert len(statistics.content) < 200_000
    assert "Lange Nieuwe Straatnaam 19999" not in statistics.content.decode()
    last = client.get(url, {"straten": "800"}).content.decode()
    assert "Lange Nieuwe Straatnaam 19999" in last  # every street has its page
    download = client.get(url, {"csv": "straten"})
    assert len(read_csv(download)) == 20_001
