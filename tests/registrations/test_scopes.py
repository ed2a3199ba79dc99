"""``visible_to(user)`` of house rules, signups and exports."""

import pytest

from registrations.constants import ExportKind, SignupStatus
from registrations.models import ExportRecord, HouseRules, Signup

pytestmark = pytest.mark.django_db

ROLELESS = ["inactive_superuser", "inactive_staff_a", "no_role", "anonymous"]


def visible(model, user) -> set:
    rows = list(model.objects.visible_to(user))
    assert len(rows) == len(set(rows)), "a row is listed twice"
    return set(rows)


@pytest.mark.parametrize("model", [HouseRules, Signup])
def test_superuser_sees_rows_of_every_zone(network, model):
    seen = visible(model, network.users["superuser"])

    assert seen == set(model.objects.all())
    assert {
        row.zone if model is HouseRules else row.municipality.zone for row in seen
    } == {
        network.zone_a,
        network.zone_b,
    }


def test_zone_staff_sees_every_house_rules_version_of_own_zone_only(network):
    seen = visible(HouseRules, network.users["staff_a"])

    assert seen == set(HouseRules.objects.filter(zone=network.zone_a))
    assert len(seen) == 2


def test_zone_staff_sees_all_signups_of_own_zone_including_unconfirmed(network):
    seen = visible(Signup, network.users["staff_a"])

    assert seen == network.signups(network.group_a1, network.group_a2, network.group_a3)
    assert SignupStatus.UNCONFIRMED in {signup.status for signup in seen}


def test_zone_staff_does_not_see_signups_of_another_zone(network):
    seen = visible(Signup, network.users["staff_a"])

    assert not seen & network.signups(network.group_b1)


@pytest.mark.parametrize("viewer", ROLELESS)
@pytest.mark.parametrize("model", [HouseRules, Signup])
def test_user_without_active_role_sees_nothing(network, model, viewer):
    assert visible(model, network.users[viewer]) == set()


@pytest.mark.parametrize("viewer", ["coordinator_a1", "coordinator_a2_a3"])
def test_coordinator_does_not_see_house_rules_in_the_admin(network, viewer):
    assert visible(HouseRules, network.users[viewer]) == set()


def test_coordinator_sees_confirmed_signups_of_own_group(network):
    seen = visible(Signup, network.users["coordinator_a1"])

    assert seen == network.signups(network.group_a1, exclude=[SignupStatus.UNCONFIRMED])
    assert {signup.status for signup in seen} == {
        SignupStatus.PENDING,
        SignupStatus.APPROVED,
        SignupStatus.REJECTED,
    }


def test_coordinator_does_not_see_unconfirmed_signups_of_own_group(network):
    unconfirmed = Signup.objects.get(
        group=network.group_a1, status=SignupStatus.UNCONFIRMED
    )

    assert unconfirmed not in visible(Signup, network.users["coordinator_a1"])


def test_coordinator_does_not_see_signups_of_other_group_in_same_municipality(
    network,
):
    assert network.group_a2.municipality == network.group_a1.municipality

    seen = visible(Signup, network.users["coordinator_a1"])

    assert not seen & network.signups(network.group_a2)


def test_coordinator_of_two_groups_sees_confirmed_signups_of_both(network):
    seen = visible(Signup, network.users["coordinator_a2_a3"])

    assert seen == network.signups(
        network.group_a2, network.group_a3, exclude=[SignupStatus.UNCONFIRMED]
    )


def test_retired_coordinator_no_longer_sees_signups(network):
    network.coordinator_a1.is_active = False
    network.coordinator_a1.save()

    assert visible(Signup, network.users["coordinator_a1"]) == set()


def test_zone_staff_who_also_coordinates_sees_each_signup_once(network):
    user = network.users["staff_a"]
    network.coordinator_a2.user = user
    network.coordinator_a2.save()

    seen = visible(Signup, user)

    assert seen == network.signups(network.group_a1, network.group_a2, network.group_a3)


def test_signup_scope_is_three_small_queries(network, django_assert_num_queries):
    """The user's municipalities and groups by id, then the signups themselves."""
    user = network.users["coordinator_a2_a3"]

    with django_assert_num_queries(3):
        list(Signup.objects.visible_to(user))


# --- ExportRecord -------------------------------------------------------------


@pytest.fixture
def exports(network) -> dict[str, ExportRecord]:
    """An export of A1, one of A2 and A3 together, one of B1, one of nobody."""
    made = {}
    for name, groups in {
        "a1": [network.group_a1],
        "a2_a3": [network.group_a2, network.group_a3],
        "b1": [network.group_b1],
        "nobody": [],
    }.items():
        record = ExportRecord.objects.create(
            user=network.users["superuser"], kind=ExportKind.CSV, count=len(groups)
        )
        record.groups.set(groups)
        made[name] = record
    return made


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("superuser", {"a1", "a2_a3", "b1", "nobody"}),
        ("staff_a", {"a1", "a2_a3"}),
        ("coordinator_a1", {"a1"}),
        ("coordinator_a2_a3", {"a2_a3"}),
        *[(viewer, set()) for viewer in ROLELESS],
    ],
)
def test_an_export_is_seen_by_whoever_sees_one_of_its_groups(
    network, exports, viewer, expected
):
    seen = visible(ExportRecord, network.users[viewer])

    assert seen == {exports[name] for name in expected}
