"""Deputy coordinators: they decide signups and get the mails, the table
names the lead; the link table became a model without losing a row."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from groups import services
from groups.constants import CoordinatorRole
from groups.models import GroupCoordinator, WhatsAppGroup
from registrations.models import Signup
from registrations.notifications import coordinator_addresses
from tests.admin_forms import form_data
from tests.factories import CoordinatorFactory, SignupFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deputy(group, zone):
    coordinator = CoordinatorFactory(zone=zone, listed_publicly=True)
    services.link_coordinator_login(coordinator, user=UserFactory())
    services.change_coordinators_of_group(
        group, add=[coordinator], roles={coordinator.pk: CoordinatorRole.DEPUTY}
    )
    return coordinator


def test_a_deputy_sees_and_may_decide_the_groups_signups(group, deputy):
    signup = SignupFactory(group=group)
    assert list(WhatsAppGroup.objects.coordinated_by(deputy.user)) == [group]
    assert list(Signup.objects.visible_to(deputy.user)) == [signup]


def test_a_deputy_does_not_lead(group, deputy, coordinator_user):
    assert not WhatsAppGroup.objects.led_by(deputy.user).exists()
    assert list(WhatsAppGroup.objects.led_by(coordinator_user)) == [group]


def test_a_deputy_gets_the_new_signup_mails(group, deputy, coordinator_user):
    signup = SignupFactory(group=group)
    assert deputy.email in coordinator_addresses(signup)


def test_the_public_table_names_the_lead_not_the_deputy(client, group, deputy):
    lead = CoordinatorFactory(zone=deputy.zone, listed_publicly=True, groups=[group])
    content = client.get(reverse("groups:home")).content.decode()
    assert lead.full_name in content
    assert deputy.full_name not in content


def test_changing_a_role_keeps_the_link(group, deputy):
    services.change_coordinators_of_group(
        group, add=[deputy], remove=[deputy], roles={deputy.pk: CoordinatorRole.LEAD}
    )
    link = GroupCoordinator.objects.get(coordinator=deputy, whatsappgroup=group)
    assert link.role == CoordinatorRole.LEAD


def test_staff_make_a_coordinator_deputy_on_the_groups_page(
    client, group, zone, zone_staff
):
    coordinator = CoordinatorFactory(zone=zone, groups=[group])
    link = GroupCoordinator.objects.get(coordinator=coordinator)
    client.force_login(zone_staff)
    url = reverse("admin:groups_whatsappgroup_change", args=[group.pk])
    page = client.get(url)
    data = form_data(page)
    (key,) = [key for key in data if key.endswith("-0-role")]
    data[key] = CoordinatorRole.DEPUTY
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    link = GroupCoordinator.objects.get(coordinator=coordinator)
    assert link.role == CoordinatorRole.DEPUTY


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_every_link_as_lead():
    executor = MigrationExecutor(connection)
    executor.migrate([("groups", "0010_meeting_sequence_and_cancel")])
    apps = executor.loader.project_state(
        [("groups", "0010_meeting_sequence_and_cancel")]
    ).apps
    zone = apps.get_model("groups", "PoliceZone").objects.create(
        name="PZ Test", email="pz@example.be"
    )
    municipality = apps.get_model("groups", "Municipality").objects.create(
        name="Alken", slug="alken", postcodes="3570", zone=zone
    )
    region = apps.get_model("groups", "Region").objects.create(
        name="Terkoest", municipality=municipality
    )
    group = apps.get_model("groups", "WhatsAppGroup").objects.create(
        name="WABP Terkoest", municipality=municipality, region=region
    )
    coordinator = apps.get_model("groups", "Coordinator").objects.create(
        zone=zone, first_name="Dominic", last_name="Hermans", email="d@example.be"
    )
    coordinator.groups.add(group)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    link = GroupCoordinator.objects.get()
    assert (link.coordinator_id, link.whatsappgroup_id) == (coordinator.pk, group.pk)
    assert link.role == CoordinatorRole.LEAD
