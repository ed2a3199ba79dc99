"""A group nearing WhatsApp's limit: the warning, and its streets in two halves."""

import pytest
from django.urls import reverse

from groups.capacity import split_streets, warning_for
from groups.constants import WHATSAPP_GROUP_LIMIT
from registrations.constants import SignupStatus
from tests.factories import RegionStreetFactory, SignupFactory, StreetFactory


def test_split_is_as_even_as_the_streets_allow():
    split = split_streets({"A": 5, "B": 4, "C": 3, "D": 2, "E": 2})
    assert split.first.total + split.second.total == 16
    assert split.difference == 0
    names = {name for name, _ in split.first.streets + split.second.streets}
    assert names == {"A", "B", "C", "D", "E"}


def test_split_finds_the_best_not_the_greedy_answer():
    # Largest first into the smaller half gives 17 and 13; exact: 8+7 and 6+5+4.
    split = split_streets({"A": 8, "B": 7, "C": 6, "D": 5, "E": 4})
    assert split.difference in (0, 1)
    assert split.first.total == split.second.total == 15


def test_a_street_with_more_than_half_stays_whole():
    split = split_streets({"Lange Straat": 900, "Korte Straat": 50, "Plein": 10})
    assert split.first.streets == (("Lange Straat", 900),)
    assert split.second.total == 60


def test_streets_with_nobody_yet_go_to_the_smaller_half():
    split = split_streets({"A": 10, "B": 3, "Nieuw": 0})
    assert ("Nieuw", 0) in split.second.streets
    assert split.second.total == 3


pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded(group, settings):
    """A group with 3 + 2 + 1 people on three streets, warned from 5."""
    settings.GROUP_SIZE_WARNING = 5
    for name, count in (("Motstraat", 3), ("Terkoest", 2), ("Dorpsstraat", 1)):
        street = StreetFactory(municipality=group.municipality, name=name)
        RegionStreetFactory(region=group.region, street=street)
        for _ in range(count):
            SignupFactory(group=group, street=street, street_name=name)
    RegionStreetFactory(
        region=group.region,
        street=StreetFactory(municipality=group.municipality, name="Veldweg"),
    )
    return group


def test_no_warning_below_the_threshold(group, settings):
    settings.GROUP_SIZE_WARNING = 900
    SignupFactory(group=group)
    assert warning_for(group) is None
    assert warning_for(group, people=899) is None


def test_warning_counts_members_and_waiting_and_splits_the_region(crowded):
    SignupFactory(group=crowded, status=SignupStatus.UNCONFIRMED)
    warning = warning_for(crowded)
    assert warning.people == 6 and warning.limit == WHATSAPP_GROUP_LIMIT
    halves = {half.total for half in warning.split.halves}
    assert halves == {3}
    every = [name for half in warning.split.halves for name, _ in half.streets]
    assert sorted(every) == ["Dorpsstraat", "Motstraat", "Terkoest", "Veldweg"]


def test_the_coordinators_dashboard_shows_the_warning(
    client, crowded, coordinator_user
):
    client.force_login(coordinator_user)
    content = client.get(reverse("admin:index")).content.decode()
    assert "capacity-warning" in content
    assert "Motstraat (3)" in content and "Veldweg (0)" in content


def test_the_groups_page_shows_the_warning(client, crowded, coordinator_user):
    client.force_login(coordinator_user)
    url = reverse("admin:groups_whatsappgroup_change", args=[crowded.pk])
    content = client.get(url).content.decode()
    assert "capacity-warning" in content and "Terkoest (2)" in content


def test_a_group_far_from_the_limit_shows_no_warning(client, group, coordinator_user):
    SignupFactory(group=group)
    client.force_login(coordinator_user)
    assert "capacity-warning" not in client.get(reverse("admin:index")).content.decode()
