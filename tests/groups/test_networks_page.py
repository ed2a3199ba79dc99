from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import (
    CoordinatorFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db


def _published_groups(count: int, municipality) -> None:
    for _ in range(count):
        group = WhatsAppGroupFactory(municipality=municipality)
        CoordinatorFactory(zone=municipality.zone, groups=[group], listed_publicly=True)


def test_networks_page_lists_group_region_and_listed_coordinator(client):
    municipality = MunicipalityFactory(name="Alken")
    group = WhatsAppGroupFactory(municipality=municipality, name="WABP Terkoest")
    CoordinatorFactory(
        zone=municipality.zone,
        groups=[group],
        first_name="Marc",
        last_name="Colemont",
        listed_publicly=True,
    )

    response = client.get(reverse("groups:home"))

    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "WABP Terkoest" in content
    assert group.region.name in content
    assert "Marc Colemont" in content
    assert municipality.zone.email in content


def test_networks_page_is_dutch_by_default(client):
    response = client.get(reverse("groups:home"))

    assert '<html lang="nl">' in response.content.decode()
    assert "Samen tegen inbraken met WhatsApp" in response.content.decode()
    assert "bel altijd eerst de politie op 101" in response.content.decode().lower()


def test_networks_page_speaks_english_when_asked(client):
    response = client.get(reverse("groups:home"), HTTP_ACCEPT_LANGUAGE="en")

    assert "Together against burglary with WhatsApp" in response.content.decode()


def test_coordinator_who_did_not_consent_is_not_listed(client):
    municipality = MunicipalityFactory()
    group = WhatsAppGroupFactory(municipality=municipality, name="WABP Kolmen")
    CoordinatorFactory(
        zone=municipality.zone,
        groups=[group],
        first_name="Verborgen",
        last_name="Persoon",
        listed_publicly=False,
        phone="+32470111222",
    )

    content = client.get(reverse("groups:home")).content.decode()

    assert "WABP Kolmen" in content
    assert "Verborgen" not in content
    assert "470" not in content


def test_hidden_and_inactive_groups_and_umbrella_groups_are_not_listed(client):
    municipality = MunicipalityFactory()
    WhatsAppGroupFactory(municipality=municipality, name="Zichtbaar")
    WhatsAppGroupFactory(municipality=municipality, name="Verborgen", is_public=False)
    WhatsAppGroupFactory(municipality=municipality, name="Gestopt", is_active=False)
    WhatsAppGroupFactory(
        municipality=municipality, name="Koepel", kind="umbrella", region=None
    )

    content = client.get(reverse("groups:home")).content.decode()

    assert "Zichtbaar" in content
    for hidden in ("Verborgen", "Gestopt", "Koepel"):
        assert hidden not in content


def test_invite_links_never_appear_on_the_public_page(client):
    group = WhatsAppGroupFactory(
        invite_link="https://chat.whatsapp.com/SECRETabc123456"
    )

    content = client.get(reverse("groups:home")).content.decode()

    assert group.name in content
    assert "SECRETabc123456" not in content


def test_groups_follow_the_display_order(client):
    municipality = MunicipalityFactory()
    WhatsAppGroupFactory(municipality=municipality, name="Tweede", display_order=2)
    WhatsAppGroupFactory(municipality=municipality, name="Eerste", display_order=1)

    content = client.get(reverse("groups:home")).content.decode()

    assert content.index("Eerste") < content.index("Tweede")


@pytest.mark.parametrize("group_count", [1, 25])
def test_networks_page_query_count_does_not_grow_with_groups(
    client, django_assert_num_queries, group_count
):
    municipality = MunicipalityFactory()
    _published_groups(group_count, municipality)

    # municipalities, groups, their listed coordinators
    with django_assert_num_queries(3):
        response = client.get(reverse("groups:home"))

    assert response.content.decode().count("<tr>") == group_count + 1


def test_several_municipalities_each_get_a_page(client):
    zone = PoliceZoneFactory()
    alken = MunicipalityFactory(zone=zone, name="Alken", slug="alken")
    borgloon = MunicipalityFactory(zone=zone, name="Borgloon", slug="borgloon")
    WhatsAppGroupFactory(municipality=alken, name="WABP Alken-Centrum")
    WhatsAppGroupFactory(municipality=borgloon, name="WABP Borgloon-Centrum")

    home = client.get(reverse("groups:home")).content.decode()
    page = client.get(alken.get_absolute_url()).content.decode()

    assert alken.get_absolute_url() in home
    assert borgloon.get_absolute_url() in home
    assert "WABP Alken-Centrum" in page
    assert "WABP Borgloon-Centrum" not in page


def test_unknown_municipality_is_a_friendly_404(client):
    response = client.get(reverse("groups:municipality", kwargs={"slug": "nergens"}))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Pagina niet gevonden" in response.content.decode()
