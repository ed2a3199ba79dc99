"""The coordinator table as a spreadsheet: export and import.

``groups.resources`` (django-import-export) and the admin's import and export
pages for groups and coordinators. Staff export their own zone only, without
the private invite links; importing the export again changes nothing; a file
with one bad row writes nothing and says which row and why; coordinators have
neither page.
"""

from http import HTTPStatus

import pytest
import tablib
from django.contrib import admin
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from post_office.models import Email

from groups.models import Coordinator, Region, WhatsAppGroup
from groups.resources import CoordinatorResource, RegionWidget, WhatsAppGroupResource
from groups.services import link_coordinator_login
from tests.factories import (
    CoordinatorFactory,
    MunicipalityFactory,
    UmbrellaGroupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

GROUP_COLUMNS = [
    "municipality",
    "region",
    "name",
    "kind",
    "description",
    "is_public",
    "is_active",
    "display_order",
]
COORDINATOR_COLUMNS = [
    "zone",
    "first_name",
    "last_name",
    "email",
    "phone",
    "groups",
    "listed_publicly",
    "shares_contact",
    "is_active",
]


@pytest.fixture
def table(zone, group):
    """Zone A's table (two groups, an umbrella, two coordinators) and zone B's."""
    municipality = group.municipality
    second = WhatsAppGroupFactory(
        municipality=municipality, description="Motstraat en omgeving"
    )
    UmbrellaGroupFactory(municipality=municipality)
    CoordinatorFactory(
        zone=zone, groups=[group, second], listed_publicly=True, phone="+32470112233"
    )
    CoordinatorFactory(zone=zone, groups=[second], phone="")
    foreign_group = WhatsAppGroupFactory()
    CoordinatorFactory(zone=foreign_group.municipality.zone, groups=[foreign_group])
    return foreign_group


def csv_of(*rows: list, headers: list[str]) -> bytes:
    data = tablib.Dataset(*rows, headers=headers)
    return data.csv.encode()


def snapshot() -> dict:
    """Everything an import could write."""
    return {
        "groups": sorted(
            WhatsAppGroup.objects.values_list(
                "pk", "name", "region_id", "description", "is_public", "is_active"
            )
        ),
        "regions": sorted(Region.objects.values_list("pk", "name")),
        "coordinators": sorted(
            Coordinator.objects.values_list("pk", "email", "phone", "is_active")
        ),
        "memberships": sorted(
            Coordinator.groups.through.objects.values_list(
                "coordinator_id", "whatsappgroup_id"
            )
        ),
        "users": User.objects.count(),
        "mails": Email.objects.count(),
    }


# --- the resources ------------------------------------------------------------


def test_group_export_holds_only_the_users_zone(zone_staff, group, table):
    data = WhatsAppGroupResource(user=zone_staff).export()

    assert data.headers == GROUP_COLUMNS
    names = data["name"]
    assert group.name in names
    assert table.name not in names
    assert len(names) == 3


def test_coordinator_export_holds_only_the_users_zone(zone_staff, zone, table):
    data = CoordinatorResource(user=zone_staff).export()

    assert data.headers == COORDINATOR_COLUMNS
    assert set(data["zone"]) == {zone.name}
    assert len(data) == 2


def test_superuser_exports_every_zone(group, table):
    superuser = UserFactory(is_superuser=True, is_staff=True)

    data = WhatsAppGroupResource(user=superuser).export()

    assert {group.name, table.name} <= set(data["name"])


def test_export_carries_no_invite_link_and_no_login(zone_staff, group, table):
    groups = WhatsAppGroupResource(user=zone_staff).export()
    coordinators = CoordinatorResource(user=zone_staff).export()

    assert "chat.whatsapp.com" not in groups.csv + coordinators.csv
    assert group.invite_link not in groups.csv
    assert not {"invite_link", "user", "password"} & set(
        groups.headers + coordinators.headers
    )


def test_coordinator_export_names_groups_and_the_phone_internationally(
    zone_staff, group, table
):
    data = CoordinatorResource(user=zone_staff).export()

    listed = next(row for row in data.dict if row["listed_publicly"] == "1")
    # Behind an apostrophe: a spreadsheet runs a cell that starts with "+".
    assert listed["phone"] == "'+32 470 11 22 33"
    assert set(listed["groups"].split(";")) == {
        g.name for g in Coordinator.objects.get(phone="+32470112233").groups.all()
    }


@pytest.mark.parametrize("resource", [WhatsAppGroupResource, CoordinatorResource])
def test_csv_export_imports_again_without_a_change(zone_staff, table, resource):
    exported = resource(user=zone_staff).export().csv
    before = snapshot()

    result = resource(user=zone_staff).import_data(
        tablib.Dataset().load(exported, format="csv"), dry_run=False
    )

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == len(result.rows)
    assert result.totals["new"] == result.totals["update"] == 0
    assert snapshot() == before


def test_xlsx_export_of_coordinators_imports_again_without_a_change(zone_staff, table):
    exported = CoordinatorResource(user=zone_staff).export().xlsx
    before = snapshot()

    result = CoordinatorResource(user=zone_staff).import_data(
        tablib.Dataset().load(exported, format="xlsx"), dry_run=False
    )

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 2
    assert snapshot() == before


def test_xlsx_export_of_groups_imports_again_without_a_change(zone_staff, table):
    exported = WhatsAppGroupResource(user=zone_staff).export().xlsx
    before = snapshot()

    result = WhatsAppGroupResource(user=zone_staff).import_data(
        tablib.Dataset().load(exported, format="xlsx"), dry_run=False
    )

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 3
    assert snapshot() == before


def test_importing_a_changed_group_row_updates_it(zone_staff, group):
    row = [group.municipality.name, group.region.name, group.name, ""]
    row += ["Nieuwe omschrijving", "0", "1", "5"]

    result = WhatsAppGroupResource(user=zone_staff).import_data(
        tablib.Dataset(row, headers=GROUP_COLUMNS), dry_run=False
    )

    assert result.totals["update"] == 1
    group.refresh_from_db()
    assert group.description == "Nieuwe omschrijving"
    assert not group.is_public
    assert group.display_order == 5
    assert group.invite_link  # a column it does not have is left alone


# --- the admin pages ----------------------------------------------------------


def model_admin(model):
    return admin.site._registry[model]


def format_index(model, title: str) -> str:
    titles = [each().get_title() for each in model_admin(model).get_import_formats()]
    return str(titles.index(title))


def export_via_admin(client, model, title: str):
    resource = model_admin(model).resource_classes[0]
    columns = GROUP_COLUMNS if model is WhatsAppGroup else COORDINATOR_COLUMNS
    titles = [each().get_title() for each in model_admin(model).get_export_formats()]
    data = {"format": str(titles.index(title)), "resource": "0"}
    data.update({f"{resource.__name__.lower()}_{column}": "on" for column in columns})
    return client.post(reverse(f"admin:groups_{model._meta.model_name}_export"), data)


def preview_import(client, model, content: bytes, title: str = "csv"):
    """The first step: upload, dry run, preview (and a confirm form if valid)."""
    return client.post(
        reverse(f"admin:groups_{model._meta.model_name}_import"),
        {
            "resource": "0",
            "format": format_index(model, title),
            "import_file": SimpleUploadedFile(f"tabel.{title}", content),
        },
    )


def confirm_import(client, model, preview):
    """The second step: what the confirm form of the preview would post."""
    form = preview.context["confirm_form"]
    return client.post(
        reverse(f"admin:groups_{model._meta.model_name}_process_import"),
        {name: form.initial[name] for name in form.fields},
        follow=True,
    )


def import_via_admin(client, model, content: bytes, title: str = "csv"):
    preview = preview_import(client, model, content, title)
    assert preview.status_code == HTTPStatus.OK
    assert preview.context.get("confirm_form") is not None, preview.context["result"]
    return confirm_import(client, model, preview)


def messages_of(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def test_zone_staff_see_the_export_and_import_pages(client, zone_staff):
    client.force_login(zone_staff)

    for name in ("whatsappgroup", "coordinator"):
        for page in ("export", "import"):
            response = client.get(reverse(f"admin:groups_{name}_{page}"))
            assert response.status_code == HTTPStatus.OK, (name, page)


def test_changelist_offers_import_and_export_to_zone_staff(client, zone_staff):
    client.force_login(zone_staff)

    response = client.get(reverse("admin:groups_coordinator_changelist"))

    content = response.content.decode()
    assert reverse("admin:groups_coordinator_import") in content
    assert reverse("admin:groups_coordinator_export") in content


@pytest.mark.parametrize("model", [WhatsAppGroup, Coordinator])
def test_admin_csv_export_holds_only_the_zone(client, zone_staff, table, model):
    client.force_login(zone_staff)

    response = export_via_admin(client, model, "csv")

    assert response.status_code == HTTPStatus.OK
    assert "attachment" in response["Content-Disposition"]
    content = response.content.decode()
    assert table.name not in content
    assert table.municipality.zone.name not in content
    assert "chat.whatsapp.com" not in content


@pytest.mark.parametrize("model", [WhatsAppGroup, Coordinator])
def test_admin_csv_round_trip_changes_nothing(client, zone_staff, table, model):
    client.force_login(zone_staff)
    exported = export_via_admin(client, model, "csv").content
    before = snapshot()

    response = import_via_admin(client, model, exported)

    assert response.status_code == HTTPStatus.OK
    assert snapshot() == before
    rows = 3 if model is WhatsAppGroup else 2
    assert f"0 nieuw, 0 gewijzigd, 0 verwijderd en {rows} overgeslagen" in messages_of(
        response
    )


def test_admin_xlsx_round_trip_of_coordinators_changes_nothing(
    client, zone_staff, table
):
    client.force_login(zone_staff)
    exported = export_via_admin(client, Coordinator, "xlsx").content
    before = snapshot()

    response = import_via_admin(client, Coordinator, exported, "xlsx")

    assert snapshot() == before
    assert "0 nieuw, 0 gewijzigd, 0 verwijderd en 2 overgeslagen" in messages_of(
        response
    )


def test_admin_xlsx_round_trip_of_groups_changes_nothing(client, zone_staff, table):
    client.force_login(zone_staff)
    exported = export_via_admin(client, WhatsAppGroup, "xlsx").content
    before = snapshot()

    response = import_via_admin(client, WhatsAppGroup, exported, "xlsx")

    assert snapshot() == before
    assert "0 nieuw, 0 gewijzigd, 0 verwijderd en 3 overgeslagen" in messages_of(
        response
    )


def new_coordinator_row(zone, group, **overrides) -> list:
    values = {
        "zone": zone.name,
        "first_name": "Dominic",
        "last_name": "Hermans",
        "email": "Dominic.Hermans@Example.be",
        "phone": "0470 12 34 56",
        "groups": group.name,
        "listed_publicly": "1",
        "shares_contact": "1",
        "is_active": "1",
    }
    values.update(overrides)
    return [values[column] for column in COORDINATOR_COLUMNS]


def test_importing_a_new_coordinator_creates_the_login_and_invites(
    client, zone_staff, zone, group
):
    client.force_login(zone_staff)
    content = csv_of(new_coordinator_row(zone, group), headers=COORDINATOR_COLUMNS)

    response = import_via_admin(client, Coordinator, content)

    assert "1 nieuw" in messages_of(response)
    coordinator = Coordinator.objects.get(email="dominic.hermans@example.be")
    assert list(coordinator.groups.all()) == [group]
    assert coordinator.phone.as_e164 == "+32470123456"
    assert coordinator.user.email == "dominic.hermans@example.be"
    assert coordinator.user.groups.filter(name="coordinator").exists()
    [mail] = Email.objects.all()
    assert mail.to == ["dominic.hermans@example.be"]
    assert "/wachtwoord/" in mail.message


def test_the_preview_writes_nothing_and_sends_nothing(client, zone_staff, zone, group):
    client.force_login(zone_staff)
    content = csv_of(new_coordinator_row(zone, group), headers=COORDINATOR_COLUMNS)
    before = snapshot()

    preview = preview_import(client, Coordinator, content)

    assert preview.context["confirm_form"] is not None
    assert snapshot() == before


def test_importing_a_row_that_switches_a_coordinator_off_closes_the_login(
    client, zone_staff, zone, group
):
    coordinator = link_coordinator_login(
        CoordinatorFactory(zone=zone, groups=[group], email="jan@example.be"),
        user=UserFactory(),
    )
    client.force_login(zone_staff)
    row = new_coordinator_row(
        zone,
        group,
        email="jan@example.be",
        first_name=coordinator.first_name,
        last_name=coordinator.last_name,
        phone=coordinator.phone.as_e164,
        is_active="0",
    )

    import_via_admin(client, Coordinator, csv_of(row, headers=COORDINATOR_COLUMNS))

    coordinator.refresh_from_db()
    assert not coordinator.is_active
    assert not coordinator.user.is_active


def test_a_group_row_with_a_new_region_creates_the_region_there(
    client, zone_staff, group
):
    client.force_login(zone_staff)
    municipality = group.municipality
    row = [municipality.name, "Terkoest", "WABP Terkoest", "", "", "0", "1", "3"]

    preview = preview_import(client, WhatsAppGroup, csv_of(row, headers=GROUP_COLUMNS))
    assert not Region.objects.filter(name="Terkoest").exists()
    confirm_import(client, WhatsAppGroup, preview)

    created = WhatsAppGroup.objects.get(name="WABP Terkoest")
    assert created.region.name == "Terkoest"
    assert created.region.municipality == municipality
    assert created.municipality == municipality
    assert created.kind == "neighbourhood"
    assert not created.is_public
    assert created.invite_link == ""


def test_reading_a_row_with_a_new_region_writes_nothing(zone_staff, group):
    widget = RegionWidget()
    widget.user = zone_staff

    region = widget.clean("Terkoest", row={"municipality": group.municipality.name})

    assert region.pk is None
    assert (region.municipality, region.name) == (group.municipality, "Terkoest")
    assert not Region.objects.filter(name="Terkoest").exists()


def test_a_group_row_whose_new_region_is_invalid_is_refused_on_that_column(
    zone_staff, group
):
    name = "x" * 201
    row = [group.municipality.name, name, "WABP Lang", "", "", "0", "1", "0"]

    result = WhatsAppGroupResource(user=zone_staff).import_data(
        tablib.Dataset(row, headers=GROUP_COLUMNS), dry_run=False
    )

    [invalid] = result.invalid_rows
    assert list(invalid.error_dict) == ["region"]
    assert not Region.objects.filter(name=name).exists()
    assert not WhatsAppGroup.objects.filter(name="WABP Lang").exists()


def test_a_group_row_with_a_known_region_links_it(client, zone_staff, group):
    client.force_login(zone_staff)
    row = [group.municipality.name, group.region.name, "WABP Tweede", ""]
    row += ["", "1", "1", "0"]

    import_via_admin(client, WhatsAppGroup, csv_of(row, headers=GROUP_COLUMNS))

    assert WhatsAppGroup.objects.get(name="WABP Tweede").region == group.region
    assert Region.objects.filter(municipality=group.municipality).count() == 1


def assert_refused(preview, *words: str) -> None:
    """The preview shows the problem and offers no way to go on."""
    assert preview.status_code == HTTPStatus.OK
    assert preview.context.get("confirm_form") is None
    result = preview.context["result"]
    assert result.has_errors() or result.has_validation_errors()
    content = preview.content.decode()
    for word in words:
        assert word in content, word


def test_a_group_row_of_another_zones_municipality_is_refused(
    client, zone_staff, group, table
):
    client.force_login(zone_staff)
    good = [group.municipality.name, "Terkoest", "WABP Terkoest", ""]
    good += ["", "1", "1", "0"]
    foreign = [table.municipality.name, "Elders", "WABP Elders", ""]
    foreign += ["", "1", "1", "0"]
    before = snapshot()

    preview = preview_import(
        client, WhatsAppGroup, csv_of(good, foreign, headers=GROUP_COLUMNS)
    )

    assert_refused(preview, table.municipality.name, "is geen gemeente van je zone")
    assert snapshot() == before


def test_a_group_row_of_an_unknown_municipality_is_refused(client, zone_staff, group):
    client.force_login(zone_staff)
    good = [group.municipality.name, "Terkoest", "WABP Terkoest", ""]
    good += ["", "1", "1", "0"]
    unknown = ["Atlantis", "Zeebodem", "WABP Atlantis", "", "", "1", "1", "0"]
    before = snapshot()

    preview = preview_import(
        client, WhatsAppGroup, csv_of(good, unknown, headers=GROUP_COLUMNS)
    )

    assert_refused(preview, "Atlantis", "is geen gemeente van je zone")
    assert snapshot() == before


def test_a_coordinator_row_of_another_zone_is_refused(
    client, zone_staff, zone, group, table
):
    client.force_login(zone_staff)
    good = new_coordinator_row(zone, group)
    foreign = new_coordinator_row(
        table.municipality.zone, table, email="elders@example.be"
    )
    before = snapshot()

    preview = preview_import(
        client, Coordinator, csv_of(good, foreign, headers=COORDINATOR_COLUMNS)
    )

    assert_refused(preview, "is geen politiezone die jij beheert")
    assert snapshot() == before


def test_a_coordinator_row_with_unknown_groups_is_refused(
    client, zone_staff, zone, group, table
):
    client.force_login(zone_staff)
    good = new_coordinator_row(zone, group)
    unknown = new_coordinator_row(
        zone,
        group,
        email="jan@example.be",
        groups=f"{group.name}; WABP Nergens; {table.name}",
    )
    before = snapshot()

    preview = preview_import(
        client, Coordinator, csv_of(good, unknown, headers=COORDINATOR_COLUMNS)
    )

    assert_refused(preview, "Onbekende groep in je zone", "WABP Nergens", table.name)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("column", "value"),
    [("email", "geen-adres"), ("phone", "12"), ("phone", "+32 11 12 34 56 78 90")],
)
def test_a_coordinator_row_with_invalid_contact_details_is_refused(
    client, zone_staff, zone, group, column, value
):
    client.force_login(zone_staff)
    good = new_coordinator_row(zone, group)
    bad = new_coordinator_row(zone, group, **{"email": "jan@example.be", column: value})
    before = snapshot()

    preview = preview_import(
        client, Coordinator, csv_of(good, bad, headers=COORDINATOR_COLUMNS)
    )

    assert_refused(preview, value)
    result = preview.context["result"]
    [invalid] = result.invalid_rows
    assert invalid.number == 2
    assert column in invalid.error_dict
    assert snapshot() == before


def test_a_file_without_the_columns_is_refused(client, zone_staff):
    client.force_login(zone_staff)
    content = csv_of(["Alken", "x"], headers=["gemeente", "naam"])
    before = snapshot()

    preview = preview_import(client, WhatsAppGroup, content)

    assert preview.status_code == HTTPStatus.OK
    assert preview.context.get("confirm_form") is None
    assert snapshot() == before


# --- who may -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["whatsappgroup", "coordinator"])
@pytest.mark.parametrize("page", ["export", "import", "process_import"])
def test_coordinator_has_neither_import_nor_export(
    client, coordinator_user, name, page
):
    client.force_login(coordinator_user)

    response = client.post(reverse(f"admin:groups_{name}_{page}"), {})

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_coordinator_changelist_offers_no_import_or_export(client, coordinator_user):
    client.force_login(coordinator_user)

    response = client.get(reverse("admin:groups_coordinator_changelist"))

    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert reverse("admin:groups_coordinator_import") not in content
    assert reverse("admin:groups_coordinator_export") not in content


def test_coordinator_cannot_import_through_the_export_of_a_colleague(
    client, coordinator_user, zone, group
):
    """Even a file a zone's staff member prepared does not import for them."""
    client.force_login(coordinator_user)
    content = csv_of(new_coordinator_row(zone, group), headers=COORDINATOR_COLUMNS)
    before = snapshot()

    response = preview_import(client, Coordinator, content)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert snapshot() == before


def test_superuser_imports_into_any_zone(client, group, table):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    row = [table.municipality.name, "Elders", "WABP Elders", ""]
    row += ["", "1", "1", "0"]

    import_via_admin(client, WhatsAppGroup, csv_of(row, headers=GROUP_COLUMNS))

    assert WhatsAppGroup.objects.get(name="WABP Elders").municipality == (
        table.municipality
    )


def test_municipality_name_shared_by_two_zones_is_that_of_the_users_zone(
    client, zone_staff, zone, group
):
    twin = MunicipalityFactory(name=group.municipality.name, slug="tweeling")
    client.force_login(zone_staff)
    row = [group.municipality.name, "Terkoest", "WABP Terkoest", ""]
    row += ["", "1", "1", "0"]

    import_via_admin(client, WhatsAppGroup, csv_of(row, headers=GROUP_COLUMNS))

    created = WhatsAppGroup.objects.get(name="WABP Terkoest")
    assert created.municipality == group.municipality
    assert not twin.whatsapp_groups.exists()
