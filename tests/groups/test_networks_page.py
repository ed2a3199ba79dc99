import html
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from groups import services
from groups.constants import NumberParity
from groups.models import WhatsAppGroup
from tests.factories import (
    CoordinatorFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    RegionStreetFactory,
    StreetFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db


def _published_groups(count: int, municipality) -> None:
    """Groups with a listed coordinator each, and two streets."""
    for _ in range(count):
        group = WhatsAppGroupFactory(municipality=municipality)
        CoordinatorFactory(zone=municipality.zone, groups=[group], listed_publicly=True)
        for _ in range(2):
            RegionStreetFactory(
                region=group.region, street=StreetFactory(municipality=municipality)
            )


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

    # the number of published groups, municipalities, groups, their listed
    # coordinators, their streets; then nothing, as long as the table does
    # not change
    with django_assert_num_queries(5):
        response = client.get(reverse("groups:home"))
    with django_assert_num_queries(0):
        cached = client.get(reverse("groups:home"))

    assert response.content.decode().count("<tr>") == group_count + 1
    assert response.content.decode().count("<li>Straat ") == 2 * group_count
    table = response.content.decode().partition('id="networks-heading"')[2]
    assert table
    assert cached.content.decode().partition('id="networks-heading"')[2] == table


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


def test_a_changed_group_shows_at_once_although_the_table_is_cached(client):
    group = WhatsAppGroupFactory(name="WABP Oud")
    page = group.municipality.get_absolute_url()
    assert "WABP Oud" in client.get(reverse("groups:home")).content.decode()
    assert "WABP Oud" in client.get(page).content.decode()

    group.name = "WABP Nieuw"
    services.save_whatsapp_group(group)

    for url in (reverse("groups:home"), page):
        content = client.get(url).content.decode()
        assert "WABP Nieuw" in content
        assert "WABP Oud" not in content


def test_coordinator_changes_show_at_once(client, admin_user):
    group = WhatsAppGroupFactory()
    coordinator = CoordinatorFactory(
        zone=group.municipality.zone,
        first_name="Marc",
        last_name="Colemont",
        listed_publicly=True,
    )
    assert "Marc Colemont" not in client.get(reverse("groups:home")).content.decode()

    services.set_coordinator_groups(coordinator, groups=[group])
    assert "Marc Colemont" in client.get(reverse("groups:home")).content.decode()

    coordinator.listed_publicly = False
    services.update_coordinator(coordinator, changed=["listed_publicly"], by=admin_user)
    assert "Marc Colemont" not in client.get(reverse("groups:home")).content.decode()


def test_a_deleted_group_and_a_renamed_region_show_at_once(client):
    group = WhatsAppGroupFactory(name="WABP Weg")
    other = WhatsAppGroupFactory(municipality=group.municipality)
    client.get(reverse("groups:home"))

    services.delete_whatsapp_groups(WhatsAppGroup.objects.filter(pk=group.pk))
    other.region.name = "Nieuwe wijk"
    services.save_region(other.region)

    content = client.get(reverse("groups:home")).content.decode()
    assert "WABP Weg" not in content
    assert "Nieuwe wijk" in content


def test_each_language_has_its_own_cached_table(client):
    WhatsAppGroupFactory()
    dutch = client.get(reverse("groups:home")).content.decode()
    english = client.get(
        reverse("groups:home"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "Huidige netwerken" in dutch
    assert "Current networks" in english
    assert "Current networks" not in dutch


def test_the_pages_work_without_their_cache(client, monkeypatch):
    from django.core.cache import cache

    def unavailable(*args, **kwargs):
        raise ConnectionError("the cache does not answer")

    group = WhatsAppGroupFactory(name="WABP Zonder cache")
    monkeypatch.setattr(cache, "get", unavailable)
    monkeypatch.setattr(cache, "set", unavailable)

    for url in (reverse("groups:home"), group.municipality.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        assert "WABP Zonder cache" in response.content.decode()


def test_a_national_table_is_an_index_of_municipalities_on_the_home_page(
    client, settings, django_assert_max_num_queries
):
    settings.HOME_TABLE_GROUPS = 2
    zone = PoliceZoneFactory()
    alken = MunicipalityFactory(zone=zone, name="Alken")
    borgloon = MunicipalityFactory(zone=zone, name="Borgloon")
    MunicipalityFactory(zone=zone, name="Cras-Avernas")
    WhatsAppGroupFactory(municipality=alken, name="WABP Alken-Centrum")
    WhatsAppGroupFactory(municipality=alken, name="WABP Terkoest")
    WhatsAppGroupFactory(municipality=alken, name="WABP Verborgen", is_public=False)
    WhatsAppGroupFactory(municipality=borgloon, name="WABP Borgloon-Centrum")

    with django_assert_max_num_queries(2):
        home = client.get(reverse("groups:home")).content.decode()

    assert "<table" not in home
    assert "WABP Alken-Centrum" not in home
    assert f'href="{alken.get_absolute_url()}">Alken</a>' in home
    assert "(2 groepen)" in home
    assert "(1 groep)" in home
    assert "(0 groepen)" in home
    assert reverse("groups:finder") in home
    page = client.get(alken.get_absolute_url()).content.decode()
    assert "WABP Alken-Centrum" in page
    assert "WABP Verborgen" not in page


def _streets_of(content: str, group_name: str) -> list[str]:
    """The streets a group's row lists in its folded list, as read."""
    row = re.search(
        rf"<tr>(?:(?!</tr>).)*{re.escape(group_name)}(?:(?!</tr>).)*</tr>",
        content,
        re.S,
    )
    assert row, group_name
    details = re.search(r'<details class="group-streets">(.*?)</details>', row[0], re.S)
    if details is None:
        return []
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", "", item)).split())
        for item in re.findall(r"<li>(.*?)</li>", details[1], re.S)
    ]


def test_each_row_lists_the_streets_and_number_ranges_of_its_group(client):
    municipality = MunicipalityFactory(name="Alken")
    mot = StreetFactory(municipality=municipality, name="Motstraat")
    dok = StreetFactory(municipality=municipality, name="Doktoorstraat")
    low = WhatsAppGroupFactory(municipality=municipality, name="WABP Laag")
    high = WhatsAppGroupFactory(municipality=municipality, name="WABP Hoog")
    RegionStreetFactory(region=low.region, street=mot, number_to=49)
    RegionStreetFactory(region=low.region, street=dok, parity=NumberParity.EVEN)
    RegionStreetFactory(region=high.region, street=mot, number_from=50)
    RegionStreetFactory(
        region=high.region,
        street=dok,
        parity=NumberParity.ODD,
        number_from=1,
        number_to=99,
    )
    WhatsAppGroupFactory(municipality=municipality, name="WABP Zonder straten")

    for url in (reverse("groups:home"), municipality.get_absolute_url()):
        content = client.get(url).content.decode()
        assert _streets_of(content, "WABP Laag") == [
            "Doktoorstraat (even huisnummers)",
            "Motstraat (huisnummers 1–49)",
        ]
        assert _streets_of(content, "WABP Hoog") == [
            "Doktoorstraat (oneven huisnummers 1–99)",
            "Motstraat (huisnummers vanaf 50)",
        ]
        assert _streets_of(content, "WABP Zonder straten") == []
        # Folded away, with a name that says whose streets they are.
        assert (
            '<summary>Straten<span class="visually-hidden"> van WABP Laag</span>'
            "</summary>" in content
        )


def test_a_whole_street_is_listed_by_its_name_alone(client):
    group = WhatsAppGroupFactory(name="WABP Kolmen")
    street = StreetFactory(municipality=group.municipality, name="Kolmenstraat")
    RegionStreetFactory(region=group.region, street=street)

    content = client.get(reverse("groups:home")).content.decode()

    assert _streets_of(content, "WABP Kolmen") == ["Kolmenstraat"]


def test_a_changed_street_of_a_group_shows_at_once(client):
    group = WhatsAppGroupFactory(name="WABP Kolmen")
    street = StreetFactory(municipality=group.municipality, name="Kolmenstraat")
    coverage = RegionStreetFactory(region=group.region, street=street)
    assert _streets_of(client.get("/").content.decode(), "WABP Kolmen") == [
        "Kolmenstraat"
    ]

    coverage.number_from = 10
    services.save_region_street(coverage)
    assert _streets_of(client.get("/").content.decode(), "WABP Kolmen") == [
        "Kolmenstraat (huisnummers vanaf 10)"
    ]

    street.name = "Kolmenweg"
    services.save_street(street)
    assert _streets_of(client.get("/").content.decode(), "WABP Kolmen") == [
        "Kolmenweg (huisnummers vanaf 10)"
    ]

    services.delete_region_streets(group.region.coverage.all())
    assert _streets_of(client.get("/").content.decode(), "WABP Kolmen") == []
