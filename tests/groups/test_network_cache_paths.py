"""Every write path that changes the public networks table moves its version.

No signal does it (``groups.network_cache``): the services that change a
police zone, municipality, region, WhatsApp group, coordinator or a
coordinator's groups call ``invalidate()``, which moves the version at once
and again when the transaction commits. So the admin, the table import, the
approval of a new-group application and the demo loader, which write through
them (or invalidate themselves), move it too. The table shows the streets
each group covers: a region's coverage, a renamed or deleted street move it
as well; so does a new street, by hand or imported, which the finder answers
from (groups/finder.py). The house rules page is kept with the table: its
house rules and downloads move it too. Meetings are not in the table: they
leave it alone.
"""

from collections.abc import Callable
from contextlib import contextmanager
from http import HTTPStatus
from io import StringIO

import pytest
import tablib
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from groups import network_cache, services
from groups.models import (
    Coordinator,
    Download,
    Municipality,
    PoliceZone,
    Region,
    RegionStreet,
    Street,
    WhatsAppGroup,
)
from groups.network_cache import VERSION_KEY
from groups.resources import CoordinatorResource, WhatsAppGroupResource
from registrations.services import approve_application, publish_house_rules
from tests.admin_forms import form_data
from tests.factories import (
    ApplicationFactory,
    CoordinatorFactory,
    DownloadFactory,
    HouseRulesFactory,
    MeetingFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    RegionFactory,
    RegionStreetFactory,
    StreetFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def moves_the_version(django_capture_on_commit_callbacks):
    """Around a write: the version moved at once, and again when it committed."""

    @contextmanager
    def check():
        before = network_cache._read_version()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            yield
        at_once = cache.get(VERSION_KEY)
        assert at_once != before, "the version did not move at once"
        for callback in callbacks:
            callback()
        assert cache.get(VERSION_KEY) != at_once, "the version did not move at commit"

    return check


@pytest.fixture
def leaves_the_version(django_capture_on_commit_callbacks):
    @contextmanager
    def check():
        before = network_cache._read_version()
        with django_capture_on_commit_callbacks(execute=True):
            yield
        assert cache.get(VERSION_KEY) == before

    return check


def _coordinator(group, **fields) -> Coordinator:
    return CoordinatorFactory(zone=group.municipality.zone, groups=[group], **fields)


def _new_coordinator(group, by) -> None:
    services.create_coordinator(
        Coordinator(
            zone=group.municipality.zone,
            first_name="Griet",
            last_name="Vanhoudt",
            email="griet@example.be",
        ),
        by=by,
        groups=[group],
    )


def _update_coordinator(group, by) -> None:
    coordinator = _coordinator(group)
    coordinator.listed_publicly = True
    services.update_coordinator(coordinator, changed=["listed_publicly"], by=by)


def _renamed_group(group, by) -> None:
    group.name = "WABP Hernoemd"
    services.save_whatsapp_group(group)


def _renamed_region(group, by) -> None:
    group.region.name = "Nieuwe wijk"
    services.save_region(group.region)


def _renamed_municipality(group, by) -> None:
    group.municipality.name = "Nieuwe gemeente"
    services.save_municipality(group.municipality)


def _renamed_street(group, by) -> None:
    street = StreetFactory(municipality=group.municipality, name="Kapelstraat")
    RegionStreetFactory(region=group.region, street=street)
    street.name = "Kapellekensstraat"
    services.save_street(street)


def _zone_contact(group, by) -> None:
    zone = group.municipality.zone
    zone.contact_name = "Inspecteur Peeters"
    services.save_police_zone(zone)


SERVICE_PATHS: dict[str, Callable] = {
    "save_police_zone": _zone_contact,
    "delete_police_zones": lambda group, by: services.delete_police_zones(
        PoliceZone.objects.filter(pk=PoliceZoneFactory().pk)
    ),
    "save_municipality": _renamed_municipality,
    "delete_municipalities": lambda group, by: services.delete_municipalities(
        Municipality.objects.filter(pk=MunicipalityFactory().pk)
    ),
    "save_region": _renamed_region,
    "delete_regions": lambda group, by: services.delete_regions(
        Region.objects.filter(pk=RegionFactory().pk)
    ),
    "save_whatsapp_group": _renamed_group,
    "delete_whatsapp_groups": lambda group, by: services.delete_whatsapp_groups(
        WhatsAppGroup.objects.filter(pk=group.pk)
    ),
    "create_coordinator": _new_coordinator,
    "update_coordinator": _update_coordinator,
    "deactivate_coordinator": lambda group, by: services.deactivate_coordinator(
        _coordinator(group), by=by
    ),
    "reactivate_coordinator": lambda group, by: services.reactivate_coordinator(
        _coordinator(group, is_active=False), by=by
    ),
    "set_coordinator_groups": lambda group, by: services.set_coordinator_groups(
        CoordinatorFactory(zone=group.municipality.zone), groups=[group]
    ),
    "change_coordinators_of_group": (
        lambda group, by: services.change_coordinators_of_group(
            group, add=[CoordinatorFactory(zone=group.municipality.zone)]
        )
    ),
    "delete_coordinators": lambda group, by: services.delete_coordinators(
        Coordinator.objects.filter(pk=_coordinator(group).pk)
    ),
    "save_region_street": lambda group, by: services.save_region_street(
        RegionStreet(
            region=group.region,
            street=StreetFactory(municipality=group.municipality),
        )
    ),
    "delete_region_streets": lambda group, by: services.delete_region_streets(
        RegionStreet.objects.filter(
            pk=RegionStreetFactory(
                region=group.region,
                street=StreetFactory(municipality=group.municipality),
            ).pk
        )
    ),
    "save_street (renamed)": _renamed_street,
    # The finder answers from every street, covered or not.
    "save_street (new)": lambda group, by: services.save_street(
        Street(
            municipality=group.municipality,
            name="Kapelstraat",
            postcode=group.municipality.postcode_list[0],
        )
    ),
    "import_street (new)": lambda group, by: services.import_street(
        group.municipality,
        name="Kapelstraat",
        postcode=group.municipality.postcode_list[0],
    ),
    "delete_streets": lambda group, by: services.delete_streets(
        Street.objects.filter(pk=StreetFactory(municipality=group.municipality).pk)
    ),
    # The public house rules page lists the zone's downloads and shows its
    # current house rules: it is kept with the table (groups.page_cache).
    "save_download": lambda group, by: services.save_download(
        DownloadFactory.build(zone=group.municipality.zone)
    ),
    "delete_downloads": lambda group, by: services.delete_downloads(
        Download.objects.filter(pk=DownloadFactory(zone=group.municipality.zone).pk)
    ),
    "publish_house_rules": lambda group, by: publish_house_rules(
        HouseRulesFactory.build(zone=group.municipality.zone, version=0), by=by
    ),
    "approve_application": lambda group, by: approve_application(
        ApplicationFactory(municipality=group.municipality),
        by=by,
        group_name="WABP Terkoest",
        region_name="Terkoest",
    ),
}


@pytest.mark.parametrize("path", list(SERVICE_PATHS))
def test_a_service_that_changes_the_table_moves_the_version(
    moves_the_version, group, zone_staff, path
):
    with moves_the_version():
        SERVICE_PATHS[path](group, zone_staff)


OUTSIDE_THE_TABLE: dict[str, Callable] = {
    "save_meeting": lambda group: services.save_meeting(
        MeetingFactory.build(zone=group.municipality.zone)
    ),
}


@pytest.mark.parametrize("path", list(OUTSIDE_THE_TABLE))
def test_a_change_outside_the_table_leaves_the_version(leaves_the_version, group, path):
    with leaves_the_version():
        OUTSIDE_THE_TABLE[path](group)


def test_the_import_streets_command_moves_the_version(
    moves_the_version, group, tmp_path
):
    postcode = group.municipality.postcode_list[0]
    csv = tmp_path / "straten.csv"
    csv.write_text(f"straatnaam;postcode\nKapelstraat;{postcode}\n", encoding="utf-8")

    with moves_the_version():
        call_command(
            "import_streets", group.municipality.slug, str(csv), stdout=StringIO()
        )

    assert group.municipality.streets.filter(name="Kapelstraat").exists()


# --- the admin ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["policezone", "municipality", "region", "whatsappgroup", "coordinator"]
)
def test_saving_in_the_admin_moves_the_version(client, moves_the_version, group, name):
    obj = {
        "policezone": group.municipality.zone,
        "municipality": group.municipality,
        "region": group.region,
        "whatsappgroup": group,
        "coordinator": _coordinator(group),
    }[name]
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse(f"admin:groups_{name}_change", args=[obj.pk])
    data = form_data(client.get(url))

    with moves_the_version():
        response = client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND


def test_deleting_in_the_admin_moves_the_version(client, moves_the_version):
    group = WhatsAppGroupFactory()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    with moves_the_version():
        client.post(
            reverse("admin:groups_whatsappgroup_delete", args=[group.pk]),
            {"post": "yes"},
        )

    assert not WhatsAppGroup.objects.filter(pk=group.pk).exists()


def test_linking_a_coordinator_in_the_group_admin_moves_the_version(
    client, moves_the_version, zone_staff, group
):
    coordinator = CoordinatorFactory(zone=group.municipality.zone)
    client.force_login(zone_staff)
    url = reverse("admin:groups_whatsappgroup_change", args=[group.pk])
    data = form_data(client.get(url))
    prefix = next(key for key in data if key.endswith("-TOTAL_FORMS"))
    prefix = prefix.removesuffix("-TOTAL_FORMS")
    data[f"{prefix}-TOTAL_FORMS"] = "1"
    data[f"{prefix}-0-coordinator"] = str(coordinator.pk)

    with moves_the_version():
        response = client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND
    assert list(group.coordinators.all()) == [coordinator]


# --- the coordinator table import ---------------------------------------------


def test_importing_group_rows_moves_the_version(moves_the_version, zone_staff, group):
    row = [group.municipality.name, "Nieuwe wijk", "WABP Nieuw", "", "", "1", "1", "0"]
    headers = ["municipality", "region", "name", "kind", "description"]
    headers += ["is_public", "is_active", "display_order"]

    with moves_the_version():
        result = WhatsAppGroupResource(user=zone_staff).import_data(
            tablib.Dataset(row, headers=headers), dry_run=False
        )

    assert not result.has_errors() and not result.has_validation_errors()
    assert WhatsAppGroup.objects.get(name="WABP Nieuw").region.name == "Nieuwe wijk"


def test_importing_coordinator_rows_moves_the_version(
    moves_the_version, zone_staff, group
):
    coordinator = _coordinator(group, listed_publicly=False)
    row = [group.municipality.zone.name, coordinator.first_name]
    row += [coordinator.last_name, coordinator.email, coordinator.phone.as_e164]
    row += [group.name, "1", "0", "1"]
    headers = ["zone", "first_name", "last_name", "email", "phone", "groups"]
    headers += ["listed_publicly", "shares_contact", "is_active"]

    with moves_the_version():
        result = CoordinatorResource(user=zone_staff).import_data(
            tablib.Dataset(row, headers=headers), dry_run=False
        )

    assert not result.has_errors() and not result.has_validation_errors()
    coordinator.refresh_from_db()
    assert coordinator.listed_publicly


# --- development data ---------------------------------------------------------


def test_loading_the_demo_data_moves_the_version(moves_the_version):
    with moves_the_version():
        call_command("load_demo", verbosity=0)

    assert WhatsAppGroup.objects.exists()
