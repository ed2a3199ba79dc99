"""``visible_to(user)``: who sees which rows of the network table."""

import pytest

from groups.models import (
    Coordinator,
    Download,
    Meeting,
    Municipality,
    PoliceZone,
    Region,
    Street,
    WhatsAppGroup,
)

pytestmark = pytest.mark.django_db

# How each model reaches its police zone.
ZONE_PATH = {
    PoliceZone: "pk",
    Municipality: "zone",
    Street: "municipality__zone",
    Region: "municipality__zone",
    WhatsAppGroup: "municipality__zone",
    Coordinator: "zone",
    Meeting: "zone",
    Download: "zone",
}
MODELS = list(ZONE_PATH)
ROLELESS = ["inactive_superuser", "inactive_staff_a", "no_role", "anonymous"]
COORDINATORS = ["coordinator_a1", "coordinator_a2_a3"]


def visible(model, user) -> set:
    rows = list(model.objects.visible_to(user))
    assert len(rows) == len(set(rows)), "a row is listed twice"
    return set(rows)


def rows_of_zone(model, zone) -> set:
    rows = set(model.objects.filter(**{ZONE_PATH[model]: zone.pk}))
    assert rows, f"the network has no {model.__name__} in {zone}"
    return rows


@pytest.mark.parametrize("model", MODELS)
def test_superuser_sees_rows_of_every_zone(network, model):
    seen = visible(model, network.users["superuser"])

    assert seen == set(model.objects.all())
    assert rows_of_zone(model, network.zone_a) <= seen
    assert rows_of_zone(model, network.zone_b) <= seen


@pytest.mark.parametrize("model", MODELS)
def test_zone_staff_sees_all_rows_of_own_zone_and_none_of_another(network, model):
    seen = visible(model, network.users["staff_a"])

    assert seen == rows_of_zone(model, network.zone_a)
    assert not seen & rows_of_zone(model, network.zone_b)


@pytest.mark.parametrize("viewer", ROLELESS)
@pytest.mark.parametrize("model", MODELS)
def test_user_without_active_role_sees_nothing(network, model, viewer):
    assert visible(model, network.users[viewer]) == set()


@pytest.mark.parametrize(
    "viewer, groups",
    [
        ("coordinator_a1", ["group_a1"]),
        ("coordinator_a2_a3", ["group_a2", "group_a3"]),
    ],
)
def test_coordinator_sees_only_the_groups_they_coordinate(network, viewer, groups):
    seen = visible(WhatsAppGroup, network.users[viewer])

    assert seen == {getattr(network, name) for name in groups}


@pytest.mark.parametrize("viewer", COORDINATORS)
def test_coordinator_sees_only_own_coordinator_row(network, viewer):
    user = network.users[viewer]

    assert visible(Coordinator, user) == {user.coordinator}


@pytest.mark.parametrize("viewer", COORDINATORS)
def test_coordinator_sees_own_zone_and_its_meetings(network, viewer):
    user = network.users[viewer]

    assert visible(PoliceZone, user) == {network.zone_a}
    assert visible(Meeting, user) == rows_of_zone(Meeting, network.zone_a)


@pytest.mark.parametrize("viewer", COORDINATORS)
@pytest.mark.parametrize("model", [Municipality, Street, Region, Download])
def test_coordinator_does_not_see_the_zone_table(network, model, viewer):
    assert visible(model, network.users[viewer]) == set()


def test_coordinator_of_other_zone_does_not_see_zone_a(network):
    user = network.coordinator_b1.user

    assert visible(WhatsAppGroup, user) == {network.group_b1}
    assert visible(PoliceZone, user) == {network.zone_b}
    assert not visible(Meeting, user) & rows_of_zone(Meeting, network.zone_a)


@pytest.mark.parametrize("model", [PoliceZone, WhatsAppGroup, Meeting])
def test_retired_coordinator_no_longer_sees_zone_groups_or_meetings(network, model):
    network.coordinator_a1.is_active = False
    network.coordinator_a1.save()

    assert visible(model, network.users["coordinator_a1"]) == set()


def test_zone_staff_who_also_coordinates_sees_each_group_once(network):
    user = network.users["staff_a"]
    network.coordinator_a2.user = user
    network.coordinator_a2.save()

    assert visible(WhatsAppGroup, user) == rows_of_zone(WhatsAppGroup, network.zone_a)
    assert visible(PoliceZone, user) == {network.zone_a}
