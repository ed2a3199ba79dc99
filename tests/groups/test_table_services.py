"""Every change to the network table goes through a service.

Each service validates (``full_clean``) before it saves, so invalid data is
refused with nothing changed; the admin's add, change and delete pages, its
delete action and its inlines call the services (their log lines say so).
"""

import logging
from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext

from groups import services
from groups.constants import GroupKind
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
from tests.admin_forms import form_data
from tests.factories import (
    CoordinatorFactory,
    DownloadFactory,
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


def _row(obj) -> dict:
    return type(obj).objects.filter(pk=obj.pk).values().get()


def _break_zone(zone):
    zone.email = "geen-adres"


def _break_municipality(municipality):
    municipality.postcodes = "35 70"


def _break_street(street):
    street.postcode = "9999"  # not one of the municipality's


def _break_region(region):
    region.name = ""


def _break_coverage(coverage):
    coverage.number_from, coverage.number_to = 10, 2


def _break_group(group):
    group.region = None  # a neighbourhood group covers a region


def _break_meeting(meeting):
    meeting.ends_at = meeting.starts_at - timedelta(hours=1)


def _break_download(download):
    download.title = ""


REFUSALS = [
    (PoliceZoneFactory, _break_zone, services.save_police_zone),
    (MunicipalityFactory, _break_municipality, services.save_municipality),
    (StreetFactory, _break_street, services.save_street),
    (RegionFactory, _break_region, services.save_region),
    (RegionStreetFactory, _break_coverage, services.save_region_street),
    (WhatsAppGroupFactory, _break_group, services.save_whatsapp_group),
    (MeetingFactory, _break_meeting, services.save_meeting),
    (DownloadFactory, _break_download, services.save_download),
]


@pytest.mark.parametrize(
    ("factory", "break_it", "save"),
    REFUSALS,
    ids=[save.__name__ for _factory, _break, save in REFUSALS],
)
def test_a_save_service_refuses_invalid_data_and_changes_nothing(
    factory, break_it, save
):
    obj = factory()
    before = _row(obj)
    version = cache.get(VERSION_KEY)
    break_it(obj)

    with pytest.raises(ValidationError):
        save(obj)

    assert _row(obj) == before
    assert cache.get(VERSION_KEY) == version


def test_save_police_zone_creates_nothing_from_invalid_data():
    with pytest.raises(ValidationError):
        services.save_police_zone(PoliceZone(name="PZ Nieuw", email="geen-adres"))

    assert not PoliceZone.objects.filter(name="PZ Nieuw").exists()


def test_save_municipality_creates_nothing_from_invalid_data(zone):
    municipality = Municipality(
        zone=zone, name="Nergens", slug="nergens", postcodes="1"
    )

    with pytest.raises(ValidationError):
        services.save_municipality(municipality)

    assert not Municipality.objects.filter(slug="nergens").exists()


def test_save_street_derives_the_search_key():
    municipality = MunicipalityFactory(postcodes="3570")
    street = services.save_street(
        Street(municipality=municipality, name="Oude Stwg.", postcode="3570")
    )

    assert Street.objects.get(pk=street.pk).search_name == "oudesteenweg"


def test_save_whatsapp_group_saves_a_new_region_with_the_group():
    municipality = MunicipalityFactory()
    group = WhatsAppGroup(
        municipality=municipality,
        region=Region(municipality=municipality, name="Nieuwe wijk"),
        name="WABP Nieuwe wijk",
    )

    services.save_whatsapp_group(group)

    group.refresh_from_db()
    assert group.region.name == "Nieuwe wijk"
    assert group.region.municipality == municipality


def test_save_whatsapp_group_with_a_refused_new_region_saves_neither():
    municipality = MunicipalityFactory()
    group = WhatsAppGroup(
        municipality=municipality,
        region=Region(municipality=municipality, name="x" * 201),
        name="WABP Te lang",
    )

    with pytest.raises(ValidationError):
        services.save_whatsapp_group(group)

    assert not Region.objects.filter(municipality=municipality).exists()
    assert not WhatsAppGroup.objects.filter(name="WABP Te lang").exists()


def test_set_coordinator_groups_refuses_a_group_of_another_zone(group):
    coordinator = CoordinatorFactory(zone=group.municipality.zone, groups=[group])
    foreign = WhatsAppGroupFactory()

    with pytest.raises(ValidationError):
        services.set_coordinator_groups(coordinator, groups=[group, foreign])

    assert list(coordinator.groups.all()) == [group]


def test_set_coordinator_groups_sets_them(group):
    other = WhatsAppGroupFactory(municipality=group.municipality)
    coordinator = CoordinatorFactory(zone=group.municipality.zone, groups=[group])

    services.set_coordinator_groups(coordinator, groups=[other])

    assert list(coordinator.groups.all()) == [other]


def test_change_coordinators_of_group_refuses_a_coordinator_of_another_zone(group):
    own = CoordinatorFactory(zone=group.municipality.zone)
    foreign = CoordinatorFactory()

    with pytest.raises(ValidationError):
        services.change_coordinators_of_group(group, add=[own, foreign])

    assert not group.coordinators.exists()


def test_change_coordinators_of_group_adds_and_removes(group):
    leaving = CoordinatorFactory(zone=group.municipality.zone, groups=[group])
    joining = CoordinatorFactory(zone=group.municipality.zone)

    services.change_coordinators_of_group(group, add=[joining], remove=[leaving])

    assert list(group.coordinators.all()) == [joining]


def test_update_coordinator_refuses_groups_of_another_zone(group, admin_user):
    coordinator = CoordinatorFactory(zone=group.municipality.zone, groups=[group])
    before = _row(coordinator)
    coordinator.first_name = "Nieuw"

    with pytest.raises(ValidationError):
        services.update_coordinator(
            coordinator,
            changed=["first_name", "groups"],
            by=admin_user,
            groups=[WhatsAppGroupFactory()],
        )

    assert _row(coordinator) == before
    assert list(coordinator.groups.all()) == [group]


# --- full_clean where coordinators.py saved without it ------------------------


@pytest.mark.parametrize(
    "change", [services.deactivate_coordinator, services.reactivate_coordinator]
)
def test_de_and_reactivating_refuse_a_coordinator_row_that_is_not_valid(
    group, admin_user, change
):
    coordinator = CoordinatorFactory(zone=group.municipality.zone, groups=[group])
    active = change is services.reactivate_coordinator
    Coordinator.objects.filter(pk=coordinator.pk).update(
        email="kapot", is_active=not active
    )

    with pytest.raises(ValidationError):
        change(coordinator, by=admin_user)

    assert Coordinator.objects.get(pk=coordinator.pk).is_active is not active


def test_add_zone_staff_refuses_a_login_that_is_not_valid(zone):
    user = UserFactory(is_staff=False)
    type(user).objects.filter(pk=user.pk).update(email="kapot")
    user.refresh_from_db()

    with pytest.raises(ValidationError):
        services.add_zone_staff(zone, user=user)

    user.refresh_from_db()
    assert not user.is_staff
    assert not zone.staff.exists()


def test_a_login_is_made_for_an_address_with_an_apostrophe(group, admin_user):
    coordinator = services.create_coordinator(
        Coordinator(
            zone=group.municipality.zone,
            first_name="Seán",
            last_name="O'Brien",
            email="sean.o'brien@example.be",
        ),
        by=admin_user,
        invite=False,
    )

    assert coordinator.user.username == "sean.o'brien@example.be"


# --- the admin writes through the services -----------------------------------


def _superuser(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))


def _logged(caplog, module: str, text: str) -> bool:
    return any(
        record.name == f"groups.services.{module}" and text in record.getMessage()
        for record in caplog.records
    )


ADMINS = [
    ("policezone", PoliceZoneFactory, "zones", "police zone"),
    ("municipality", MunicipalityFactory, "zones", "municipality"),
    ("street", StreetFactory, "streets", "street"),
    ("region", RegionFactory, "regions", "region"),
    ("whatsappgroup", WhatsAppGroupFactory, "whatsapp_groups", "whatsapp group"),
    ("meeting", MeetingFactory, "meetings", "meeting"),
    ("download", DownloadFactory, "downloads", "download"),
]
ADMIN_IDS = [name for name, *_rest in ADMINS]


@pytest.mark.parametrize(("name", "factory", "module", "noun"), ADMINS, ids=ADMIN_IDS)
def test_the_admin_change_form_saves_through_the_service(
    client, caplog, name, factory, module, noun
):
    obj = factory()
    _superuser(client)
    url = reverse(f"admin:groups_{name}_change", args=[obj.pk])
    data = form_data(client.get(url))
    if name == "download":
        data.pop("file", None)  # the stored file stays

    with caplog.at_level(logging.INFO):
        response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert _logged(caplog, module, f"{noun} saved pk={obj.pk}")


@pytest.mark.parametrize(("name", "factory", "module", "noun"), ADMINS, ids=ADMIN_IDS)
def test_the_admin_delete_page_deletes_through_the_service(
    client, caplog, name, factory, module, noun
):
    obj = factory()
    _superuser(client)

    with caplog.at_level(logging.INFO):
        response = client.post(
            reverse(f"admin:groups_{name}_delete", args=[obj.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()
    assert _logged(caplog, module, "deleted rows=")


@pytest.mark.parametrize(("name", "factory", "module", "noun"), ADMINS, ids=ADMIN_IDS)
def test_the_admin_delete_action_deletes_through_the_service(
    client, caplog, name, factory, module, noun
):
    first, second = factory(), factory()
    _superuser(client)

    with caplog.at_level(logging.INFO):
        response = client.post(
            reverse(f"admin:groups_{name}_changelist"),
            {
                "action": "delete_selected",
                ACTION_CHECKBOX_NAME: [first.pk, second.pk],
                "post": "yes",
            },
        )

    assert response.status_code == 302
    assert not type(first).objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert _logged(caplog, module, "deleted rows=")


def test_the_coordinator_admin_deletes_through_the_service(client, caplog, group):
    coordinator = CoordinatorFactory(zone=group.municipality.zone, groups=[group])
    _superuser(client)

    with caplog.at_level(logging.INFO):
        client.post(
            reverse("admin:groups_coordinator_delete", args=[coordinator.pk]),
            {"post": "yes"},
        )

    assert not Coordinator.objects.filter(pk=coordinator.pk).exists()
    assert _logged(caplog, "coordinators", "coordinators deleted rows=")


def test_the_coordinator_admin_saves_the_groups_through_the_service(
    client, caplog, zone_staff, group
):
    other = WhatsAppGroupFactory(municipality=group.municipality)
    coordinator = CoordinatorFactory(zone=group.municipality.zone, groups=[group])
    client.force_login(zone_staff)
    url = reverse("admin:groups_coordinator_change", args=[coordinator.pk])
    data = form_data(client.get(url))
    data["groups"] = [str(other.pk)]

    with caplog.at_level(logging.INFO):
        response = client.post(url, data)

    assert response.status_code == 302
    assert list(coordinator.groups.all()) == [other]
    assert _logged(caplog, "coordinators", f"coordinator changed pk={coordinator.pk}")


def test_the_region_inline_saves_its_streets_through_the_service(client, caplog):
    region = RegionFactory()
    street = StreetFactory(municipality=region.municipality)
    leaving = RegionStreetFactory(region=region)
    _superuser(client)
    url = reverse("admin:groups_region_change", args=[region.pk])
    data = form_data(client.get(url))
    data["coverage-0-DELETE"] = "on"
    data["coverage-1-street"] = str(street.pk)
    data["coverage-1-parity"] = "all"

    with caplog.at_level(logging.INFO):
        response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert list(region.coverage.values_list("street", flat=True)) == [street.pk]
    assert not RegionStreet.objects.filter(pk=leaving.pk).exists()
    assert _logged(caplog, "regions", "region street saved")
    assert _logged(caplog, "regions", "region streets deleted rows=1")


def test_the_group_inline_links_coordinators_through_the_service(
    client, caplog, zone_staff, group
):
    leaving = CoordinatorFactory(zone=group.municipality.zone, groups=[group])
    joining = CoordinatorFactory(zone=group.municipality.zone)
    client.force_login(zone_staff)
    url = reverse("admin:groups_whatsappgroup_change", args=[group.pk])
    data = form_data(client.get(url))
    prefix = next(key for key in data if key.endswith("-TOTAL_FORMS"))[
        : -len("-TOTAL_FORMS")
    ]
    data[f"{prefix}-0-coordinator"] = str(joining.pk)

    with caplog.at_level(logging.INFO):
        response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert list(group.coordinators.all()) == [joining]
    assert leaving.groups.count() == 0
    assert _logged(
        caplog, "coordinators", f"group coordinators changed group={group.pk}"
    )


def test_the_group_inline_refuses_a_coordinator_of_another_zone(client, group):
    foreign = CoordinatorFactory()
    _superuser(client)
    url = reverse("admin:groups_whatsappgroup_change", args=[group.pk])
    data = form_data(client.get(url))
    prefix = next(key for key in data if key.endswith("-TOTAL_FORMS"))[
        : -len("-TOTAL_FORMS")
    ]
    data[f"{prefix}-TOTAL_FORMS"] = "1"
    data[f"{prefix}-0-coordinator"] = str(foreign.pk)

    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert [str(error) for error in errors[0]["coordinator"]] == [
        gettext("A coordinator only coordinates groups of their own zone.")
    ]
    assert not group.coordinators.exists()


def test_the_zone_admin_saves_the_staff_through_the_service(client, caplog, zone):
    staff = UserFactory(is_staff=True)
    _superuser(client)
    url = reverse("admin:groups_policezone_change", args=[zone.pk])
    data = form_data(client.get(url))
    data["staff"] = [str(staff.pk)]

    with caplog.at_level(logging.INFO):
        response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert list(zone.staff.all()) == [staff]
    assert _logged(caplog, "zones", f"police zone saved pk={zone.pk}")


def test_the_download_list_saves_its_order_through_the_service(client, caplog):
    download = DownloadFactory(display_order=1)
    _superuser(client)

    with caplog.at_level(logging.INFO):
        response = client.post(
            reverse("admin:groups_download_changelist"),
            {
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "1",
                "form-0-id": str(download.pk),
                "form-0-is_public": "on",
                "form-0-display_order": "5",
                "_save": "Save",
            },
        )

    assert response.status_code == 302
    assert Download.objects.get(pk=download.pk).display_order == 5
    assert _logged(caplog, "downloads", f"download saved pk={download.pk}")


def test_an_umbrella_group_needs_no_region():
    municipality = MunicipalityFactory()
    group = services.save_whatsapp_group(
        WhatsAppGroup(municipality=municipality, kind=GroupKind.UMBRELLA, name="Koepel")
    )

    assert group.pk is not None
