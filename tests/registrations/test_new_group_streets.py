"""A new group is findable the day it is published.

Approving a new-group application asks for the group's streets (whole, a
side, a range of numbers) from the municipality's known streets; with at
least one, the group is published at once and the finder finds it for an
address in its streets (the networks page too, through its cache). Without,
it is founded hidden and staff are told. A hidden group whose region covers
no street cannot be published; a published one without streets is flagged
on its page, in the group list and on the dashboard.
"""

import re
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from groups import services as group_services
from groups.constants import NumberParity
from groups.models import RegionStreet, WhatsAppGroup
from registrations.constants import SignupStatus
from registrations.models import Signup
from registrations.services import approve_application
from tests.factories import (
    ApplicationFactory,
    MunicipalityFactory,
    RegionStreetFactory,
    StreetFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

FINDER_URL = "/zoek-je-groep/"


@pytest.fixture
def municipality(zone):
    return MunicipalityFactory(zone=zone, name="Alken", postcodes="3570")


@pytest.fixture
def terkoest(municipality):
    return StreetFactory(municipality=municipality, name="Terkoest")


@pytest.fixture
def kapelstraat(municipality):
    return StreetFactory(municipality=municipality, name="Kapelstraat")


@pytest.fixture
def application(municipality) -> Signup:
    return ApplicationFactory(
        municipality=municipality,
        email="griet.vanhoudt@example.be",
        proposed_group_name="WABP Terkoest",
        proposed_area="Terkoest",
    )


def found(client, street: str, number: int | None = None) -> set[str]:
    params = {"straat": street}
    if number is not None:
        params["nummer"] = number
    response = client.post(FINDER_URL, params)
    assert response.status_code == HTTPStatus.OK
    match = re.search(
        r'<section aria-labelledby="results-heading".*?</section>',
        response.content.decode(),
        re.S,
    )
    results = match.group(0) if match else ""
    return set(re.findall(r'<h3 class="h5 card-title">(.*?)</h3>', results))


def approve_url(signup) -> str:
    return reverse("admin:registrations_groupapplication_approve", args=[signup.pk])


def street_rows(*rows) -> dict:
    data = {"streets-TOTAL_FORMS": str(len(rows)), "streets-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"streets-{index}-{key}"] = "" if value is None else value
    return data


def messages_of(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


# --- the service ---------------------------------------------------------------


def test_approving_with_streets_publishes_and_the_finder_finds_it(
    client, zone_staff, application, terkoest, kapelstraat
):
    assert found(client, "Terkoest", 12) == set()  # "no group" before

    group = approve_application(
        application,
        by=zone_staff,
        group_name="WABP Terkoest",
        region_name="Terkoest",
        streets=[
            RegionStreet(street=terkoest),
            RegionStreet(
                street=kapelstraat,
                parity=NumberParity.EVEN,
                number_from=2,
                number_to=40,
            ),
        ],
        publish=True,
    )

    assert group.is_public
    assert group in WhatsAppGroup.objects.published()
    assert found(client, "Terkoest", 12) == {"WABP Terkoest"}
    assert found(client, "Kapelstraat", 10) == {"WABP Terkoest"}
    assert found(client, "Kapelstraat", 11) == set()  # odd side: not theirs
    assert found(client, "Kapelstraat", 42) == set()  # past the range


def test_the_networks_page_shows_the_new_group_at_once(
    client, zone_staff, application, terkoest
):
    page = reverse("groups:municipality", args=[application.municipality.slug])
    assert "WABP Terkoest" not in client.get(page).content.decode()  # now cached

    approve_application(
        application,
        by=zone_staff,
        group_name="WABP Terkoest",
        region_name="Terkoest",
        streets=[RegionStreet(street=terkoest)],
        publish=True,
    )

    assert "WABP Terkoest" in client.get(page).content.decode()


def test_approving_without_streets_founds_a_hidden_group(
    client, zone_staff, application, terkoest
):
    group = approve_application(
        application,
        by=zone_staff,
        group_name="WABP Terkoest",
        region_name="Terkoest",
        publish=True,
    )

    assert not group.is_public
    assert found(client, "Terkoest") == set()


def test_approving_in_an_existing_region_with_streets_may_publish(
    zone_staff, application, municipality
):
    covered = RegionStreetFactory(region__municipality=municipality)

    group = approve_application(
        application,
        by=zone_staff,
        group_name="WABP Terkoest",
        region=covered.region,
        publish=True,
    )

    assert group.is_public


def test_a_street_of_another_municipality_refuses_the_whole_approval(
    zone_staff, application, zone
):
    elsewhere = StreetFactory(municipality=MunicipalityFactory(zone=zone))

    with pytest.raises(ValidationError):
        approve_application(
            application,
            by=zone_staff,
            group_name="WABP Terkoest",
            region_name="Terkoest",
            streets=[RegionStreet(street=elsewhere)],
            publish=True,
        )

    application.refresh_from_db()
    assert application.status == SignupStatus.PENDING
    assert not WhatsAppGroup.objects.filter(name="WABP Terkoest").exists()


# --- the approval page --------------------------------------------------------


def test_the_approval_page_asks_for_streets(client, zone_staff, application):
    client.force_login(zone_staff)

    response = client.get(approve_url(application))

    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert 'name="streets-0-street"' in content
    assert 'name="streets-0-parity"' in content
    assert 'name="publish"' in content


def test_approval_page_with_streets_publishes(
    client, zone_staff, application, terkoest
):
    client.force_login(zone_staff)

    response = client.post(
        approve_url(application),
        {
            "group_name": "WABP Terkoest",
            "region_name": "Terkoest",
            "publish": "on",
            **street_rows(
                {"street": terkoest.pk, "parity": "odd", "number_from": 1},
                {"street": "", "parity": "all"},  # left empty: ignored
            ),
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    group = WhatsAppGroup.objects.get(name="WABP Terkoest")
    assert group.is_public
    [coverage] = group.region.coverage.all()
    assert (coverage.street, coverage.parity, coverage.number_from) == (
        terkoest,
        NumberParity.ODD,
        1,
    )
    assert "Terkoest" in messages_of(response)
    client.logout()
    assert found(client, "Terkoest", 13) == {"WABP Terkoest"}


def test_approval_page_without_streets_founds_hidden_and_warns(
    client, zone_staff, application
):
    client.force_login(zone_staff)

    response = client.post(
        approve_url(application),
        {
            "group_name": "WABP Terkoest",
            "region_name": "Terkoest",
            "publish": "on",
            **street_rows({"street": "", "parity": "all"}),
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    group = WhatsAppGroup.objects.get(name="WABP Terkoest")
    assert not group.is_public
    text = messages_of(response)
    assert "covers no street" in text or "geen straten" in text
    assert reverse("admin:groups_region_change", args=[group.region_id]) in text


def test_approval_page_refuses_a_street_of_another_municipality(
    client, zone_staff, application, zone
):
    elsewhere = StreetFactory(municipality=MunicipalityFactory(zone=zone))
    client.force_login(zone_staff)

    response = client.post(
        approve_url(application),
        {
            "group_name": "WABP Terkoest",
            "region_name": "Terkoest",
            "publish": "on",
            **street_rows({"street": elsewhere.pk, "parity": "all"}),
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["streets"].forms[0].errors["street"]
    application.refresh_from_db()
    assert application.status == SignupStatus.PENDING


def test_approval_page_refuses_numbers_in_the_wrong_order(
    client, zone_staff, application, terkoest
):
    client.force_login(zone_staff)

    response = client.post(
        approve_url(application),
        {
            "group_name": "WABP Terkoest",
            "region_name": "Terkoest",
            **street_rows(
                {
                    "street": terkoest.pk,
                    "parity": "all",
                    "number_from": 40,
                    "number_to": 2,
                },
                {"street": "", "parity": "all", "number_from": 3},
            ),
        },
    )

    assert response.status_code == HTTPStatus.OK
    forms = response.context["streets"].forms
    assert forms[0].errors["number_to"]
    assert forms[1].errors["street"]
    assert not WhatsAppGroup.objects.filter(name="WABP Terkoest").exists()


def test_approval_page_handles_garbage_rows_without_a_500(
    client, zone_staff, application
):
    client.force_login(zone_staff)

    response = client.post(
        approve_url(application),
        {
            "group_name": "WABP Terkoest",
            "region_name": "Terkoest",
            "streets-TOTAL_FORMS": "abc",
            "streets-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == HTTPStatus.OK
    application.refresh_from_db()
    assert application.status == SignupStatus.PENDING


# --- publishing later, and the warnings ---------------------------------------


def test_publishing_a_hidden_group_without_streets_is_refused(municipality):
    group = WhatsAppGroupFactory(municipality=municipality, is_public=False)
    group.is_public = True

    with pytest.raises(ValidationError) as error:
        group_services.save_whatsapp_group(group)

    assert "is_public" in error.value.message_dict
    group.refresh_from_db()
    assert not group.is_public


def test_publishing_a_hidden_group_with_streets_is_allowed(municipality):
    group = WhatsAppGroupFactory(municipality=municipality, is_public=False)
    RegionStreetFactory(region=group.region)
    group.is_public = True

    group_services.save_whatsapp_group(group)

    group.refresh_from_db()
    assert group.is_public


def change_data(group: WhatsAppGroup, **changes) -> dict:
    data = {
        "municipality": group.municipality_id,
        "region": group.region_id,
        "kind": group.kind,
        "name": group.name,
        "description": group.description,
        "invite_link": group.invite_link,
        "send_invite_link": "on",
        "display_order": group.display_order,
        "is_active": "on",
        "coordinator_links-TOTAL_FORMS": "0",
        "coordinator_links-INITIAL_FORMS": "0",
    }
    if group.is_public:
        data["is_public"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_staff_publishing_a_group_without_streets_get_a_clear_message(
    client, zone_staff, municipality
):
    group = WhatsAppGroupFactory(municipality=municipality, is_public=False)
    client.force_login(zone_staff)
    url = reverse("admin:groups_whatsappgroup_change", args=[group.pk])
    inline_prefix = client.get(url).context["inline_admin_formsets"][0].formset.prefix

    response = client.post(
        url,
        change_data(
            group,
            is_public="on",
            **{
                f"{inline_prefix}-TOTAL_FORMS": "0",
                f"{inline_prefix}-INITIAL_FORMS": "0",
            },
        ),
    )

    assert response.status_code == HTTPStatus.OK
    assert "is_public" in response.context["adminform"].form.errors
    group.refresh_from_db()
    assert not group.is_public


def test_a_published_group_without_streets_is_flagged_on_its_page(
    client, zone_staff, municipality
):
    group = WhatsAppGroupFactory(municipality=municipality)
    client.force_login(zone_staff)

    response = client.get(reverse("admin:groups_whatsappgroup_change", args=[group.pk]))

    assert response.context["no_street_warning"]
    assert reverse("admin:groups_region_change", args=[group.region_id]) in (
        response.content.decode()
    )


def test_the_group_list_filters_groups_without_streets(
    client, zone_staff, municipality
):
    bare = WhatsAppGroupFactory(municipality=municipality)
    covered = WhatsAppGroupFactory(municipality=municipality)
    RegionStreetFactory(region=covered.region)
    client.force_login(zone_staff)

    response = client.get(
        reverse("admin:groups_whatsappgroup_changelist") + "?straten=geen"
    )

    assert response.status_code == HTTPStatus.OK
    assert list(response.context["cl"].result_list) == [bare]


def test_the_dashboard_counts_published_groups_without_streets(
    client, zone_staff, municipality
):
    WhatsAppGroupFactory(municipality=municipality)  # published, no street
    WhatsAppGroupFactory(municipality=municipality, is_public=False)
    covered = WhatsAppGroupFactory(municipality=municipality)
    RegionStreetFactory(region=covered.region)
    WhatsAppGroupFactory()  # another zone's
    client.force_login(zone_staff)

    response = client.get(reverse("admin:index"))

    content = response.content.decode()
    assert "?straten=geen" in content
    assert re.search(r"\b1 (published group|gepubliceerde groep)", content)
