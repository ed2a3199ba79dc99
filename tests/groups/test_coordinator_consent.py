"""A coordinator's phone and e-mail reach colleagues only when they chose so.

``Coordinator.shares_contact`` is off until the coordinator (or an explicit
field or column) turns it on: staff adding a coordinator, an import and an
approved application leave it off. The umbrella page (``/coordinatoren/``)
shows colleagues' contact details through one QuerySet method
(``with_shared_contact``), never by a decision in the template.
"""

import importlib
from http import HTTPStatus

import pytest
import tablib
from django.db import connection
from django.db.migrations import AlterField
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import Coordinator
from groups.resources import CoordinatorResource
from groups.services import create_coordinator, link_coordinator_login
from tests.factories import (
    CoordinatorFactory,
    MunicipalityFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

UMBRELLA = reverse("groups:umbrella")


# --- creating a coordinator ---------------------------------------------------


def test_a_new_coordinator_does_not_share_by_default():
    assert Coordinator().shares_contact is False


def test_the_migration_only_changes_the_default_so_existing_rows_keep_theirs():
    migration = importlib.import_module(
        "groups.migrations.0006_coordinators_share_contact_only_by_choice"
    ).Migration

    [operation] = migration.operations
    assert isinstance(operation, AlterField)
    assert operation.name == "shares_contact"
    # A new default and nothing else: no RunPython or RunSQL touches the rows.
    assert operation.field.default is False


@pytest.mark.parametrize(("given", "expected"), [({}, False), ({"shares": True}, True)])
def test_create_coordinator_leaves_sharing_as_the_row_says(
    zone_staff, group, given, expected
):
    coordinator = Coordinator(
        zone=group.municipality.zone,
        first_name="Dominic",
        last_name="Hermans",
        email="dominic.hermans@example.be",
        phone="+32470123456",
    )
    if given:
        coordinator.shares_contact = given["shares"]

    create_coordinator(coordinator, by=zone_staff, groups=[group])

    coordinator.refresh_from_db()
    assert coordinator.shares_contact is expected


def test_the_admin_add_form_leaves_the_box_unticked(client, zone_staff, group):
    client.force_login(zone_staff)

    form = client.get(reverse("admin:groups_coordinator_add")).context["adminform"]
    response = client.post(
        reverse("admin:groups_coordinator_add"),
        {
            "zone": group.municipality.zone_id,
            "first_name": "Dominic",
            "last_name": "Hermans",
            "email": "dominic.hermans@example.be",
            "phone": "0470 12 34 56",
            "groups": [group.pk],
            "notification_mode": "immediate",
            "is_active": "on",
        },
    )

    assert form.form.initial.get("shares_contact", False) is False
    assert response.status_code == HTTPStatus.FOUND
    assert Coordinator.objects.get().shares_contact is False


def import_rows(user, rows: list[dict]):
    headers = list(rows[0])
    data = tablib.Dataset(*[[row[h] for h in headers] for row in rows], headers=headers)
    result = CoordinatorResource(user=user).import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    return result


def imported_row(zone, group, **extra) -> dict:
    return {
        "zone": zone.name,
        "first_name": "Dominic",
        "last_name": "Hermans",
        "email": "dominic.hermans@example.be",
        "phone": "0470 12 34 56",
        "groups": group.name,
        "listed_publicly": "1",
        "is_active": "1",
        **extra,
    }


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, False),  # no column: nobody said so
        ({"shares_contact": ""}, False),
        ({"shares_contact": "0"}, False),
        ({"shares_contact": "1"}, True),
    ],
)
def test_an_import_shares_only_when_the_column_says_so(
    zone_staff, zone, group, extra, expected
):
    import_rows(zone_staff, [imported_row(zone, group, **extra)])

    assert Coordinator.objects.get().shares_contact is expected


def test_an_import_without_the_column_keeps_an_existing_choice(zone_staff, zone, group):
    CoordinatorFactory(
        zone=zone,
        groups=[group],
        email="dominic.hermans@example.be",
        shares_contact=True,
    )

    import_rows(zone_staff, [imported_row(zone, group, phone="0470 99 88 77")])

    coordinator = Coordinator.objects.get()
    assert coordinator.phone.as_e164 == "+32470998877"
    assert coordinator.shares_contact is True


# --- the umbrella page --------------------------------------------------------


@pytest.fixture
def colleagues(group):
    """Me, a colleague who shares, one who does not, one retired, one elsewhere."""
    zone = group.municipality.zone
    neighbour = WhatsAppGroupFactory(municipality=group.municipality)
    me = CoordinatorFactory(zone=zone, groups=[group], shares_contact=True)
    link_coordinator_login(me, user=UserFactory())
    return {
        "me": me,
        "sharing": CoordinatorFactory(
            zone=zone, groups=[neighbour], shares_contact=True
        ),
        "private": CoordinatorFactory(zone=zone, groups=[neighbour]),
        "retired": CoordinatorFactory(
            zone=zone, groups=[neighbour], shares_contact=True, is_active=False
        ),
        "elsewhere": CoordinatorFactory(
            zone=zone,
            groups=[WhatsAppGroupFactory(municipality=MunicipalityFactory(zone=zone))],
            shares_contact=True,
        ),
    }


def test_colleagues_are_the_active_coordinators_of_my_municipalities(colleagues):
    found = Coordinator.objects.colleagues_of(colleagues["me"])

    assert set(found) == {colleagues["sharing"], colleagues["private"]}


def test_only_a_colleague_who_chose_to_share_comes_with_phone_and_email(colleagues):
    rows = {
        row.pk: row
        for row in Coordinator.objects.colleagues_of(
            colleagues["me"]
        ).with_shared_contact()
    }

    sharing = rows[colleagues["sharing"].pk]
    private = rows[colleagues["private"].pk]
    assert sharing.shared_email == colleagues["sharing"].email
    assert sharing.shared_phone == colleagues["sharing"].phone
    assert (private.shared_email, private.shared_phone) == (None, None)
    # The fields themselves are not read: a template cannot show them.
    assert {"phone", "email"} <= private.get_deferred_fields()


def test_umbrella_page_shows_contact_details_only_of_those_who_share(
    client, colleagues
):
    client.force_login(colleagues["me"].user)

    response = client.get(UMBRELLA)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    sharing, private = colleagues["sharing"], colleagues["private"]
    assert sharing.last_name in page and private.last_name in page
    assert sharing.email in page
    assert f"tel:{sharing.phone.as_e164}" in page
    assert sharing.phone.as_international in page
    assert private.email not in page
    assert private.phone.as_international not in page
    assert private.phone.as_e164 not in page
    assert "Deelt geen contactgegevens" in page
    for stranger in (colleagues["retired"], colleagues["elsewhere"]):
        assert stranger.last_name not in page


def test_umbrella_page_loads_no_contact_details_row_by_row(
    client, colleagues, django_assert_num_queries
):
    """The deferred phone and e-mail are never fetched one colleague at a time."""
    client.force_login(colleagues["me"].user)
    client.get(UMBRELLA)  # the session and the permissions are cached now
    with CaptureQueriesContext(connection) as two:
        client.get(UMBRELLA)
    for each in range(5):
        CoordinatorFactory(
            zone=colleagues["me"].zone,
            groups=list(colleagues["sharing"].groups.all()),
            shares_contact=bool(each % 2),
        )

    with django_assert_num_queries(len(two)):
        response = client.get(UMBRELLA)

    assert len(response.context["colleagues"]) == 7
