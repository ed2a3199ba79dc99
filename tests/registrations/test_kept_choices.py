"""The e-loket's drop-down lists, kept with the networks table.

A country has 600 municipalities: the e-loket's list of them, and the list
of a municipality's groups, are read and labelled once per version of the
table and language (``registrations.forms.offer_kept_choices`` and
``kept_published_groups``) and written by the quick drop-down list
(``wabp_portal.forms.QuickSelect``). The group a resident chose is checked
against the same kept groups: the form they opened has read them for their
signup. What is chosen is still one of the queryset's rows; a change to the
table shows in the next form; a form that narrows its list (staff's, to
their zone) never gets the kept one.
"""

import pickle
import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups import network_cache
from groups.models import WhatsAppGroup
from groups.services import save_municipality, save_whatsapp_group
from registrations.forms import PublishedGroups
from registrations.models import HouseRules, Signup
from tests.eloket import SENT_URL, SIGNUP_URL, eloket_form
from tests.factories import (
    HouseRulesFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

ASSISTED_URL = "/admin/inschrijving-invoeren/"


def options(response, name: str) -> list[str]:
    """The labels of the drop-down list ``name`` on the page, in order."""
    page = response.content.decode()
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no list {name!r} on the page"
    return re.findall(r"<option [^>]*>([^<]*)</option>", select[1])


@pytest.fixture
def towns(zone):
    """Two zones taking signups: Alken and Bree in this one, Zonhoven elsewhere."""
    HouseRulesFactory(zone=zone)
    alken = MunicipalityFactory(zone=zone, name="Alken", postcodes="3570")
    bree = MunicipalityFactory(zone=zone, name="Bree", postcodes="3960")
    other_zone = PoliceZoneFactory(name="PZ Elders")
    HouseRulesFactory(zone=other_zone)
    zonhoven = MunicipalityFactory(zone=other_zone, name="Zonhoven", postcodes="3520")
    WhatsAppGroupFactory(municipality=alken, name="WABP Kerkveld")
    WhatsAppGroupFactory(municipality=alken, name="WABP Dorp")
    WhatsAppGroupFactory(municipality=bree, name="WABP Bree-Centrum")
    return alken, bree, zonhoven


def form_of(client, municipality):
    response = client.get(SIGNUP_URL, {"gemeente": municipality.pk})
    assert response.status_code == HTTPStatus.OK
    return response


def test_the_form_lists_every_municipality_and_the_groups_of_the_chosen_one(
    client, towns
):
    alken, _bree, _zonhoven = towns

    response = form_of(client, alken)

    assert options(response, "municipality")[-3:] == ["Alken", "Bree", "Zonhoven"]
    groups = options(response, "group")
    assert groups[0] == "Kies je groep"
    assert [label.split(" (")[0] for label in groups[1:]] == [
        "WABP Dorp",
        "WABP Kerkveld",
    ]
    assert not any("Bree-Centrum" in label for label in groups)
    page = response.content.decode()
    assert f'<option value="{alken.pk}" selected>Alken</option>' in page


def test_the_next_form_reads_neither_list_from_the_database(client, towns):
    alken, _bree, _zonhoven = towns
    first = form_of(client, alken)

    with CaptureQueriesContext(connection) as queries:
        again = form_of(client, alken)

    assert options(again, "municipality") == options(first, "municipality")
    assert options(again, "group") == options(first, "group")
    assert not [
        query["sql"]
        for query in queries.captured_queries
        if 'FROM "groups_municipality"' in query["sql"]
        or 'FROM "groups_whatsappgroup"' in query["sql"]
    ]


def test_a_renamed_municipality_and_a_new_group_show_in_the_next_form(client, towns):
    alken, bree, _zonhoven = towns
    form_of(client, alken)

    bree.name = "Bree-Beek"
    save_municipality(bree)
    save_whatsapp_group(
        WhatsAppGroupFactory.build(
            municipality=alken, region=alken.regions.first(), name="WABP Nieuwbouw"
        )
    )
    response = form_of(client, alken)

    assert "Bree-Beek" in options(response, "municipality")
    assert "Bree" not in options(response, "municipality")
    assert any("WABP Nieuwbouw" in label for label in options(response, "group"))


def test_a_group_of_another_municipality_is_refused_whatever_the_kept_list(
    client, towns
):
    alken, bree, _zonhoven = towns
    form_of(client, alken)
    other = bree.whatsapp_groups.get()

    response = client.post(
        SIGNUP_URL, {"municipality": alken.pk, "group": other.pk, "role": "participant"}
    )

    assert response.status_code == HTTPStatus.OK
    assert "group" in response.context["form"].errors


def test_staff_see_only_their_zones_municipalities_after_the_eloket_kept_all(
    client, towns, zone_staff
):
    alken, _bree, _zonhoven = towns
    form_of(client, alken)  # the e-loket kept the list of every municipality

    client.force_login(zone_staff)
    response = client.get(ASSISTED_URL)

    assert response.status_code == HTTPStatus.OK
    listed = options(response, "municipality")
    assert "Zonhoven" not in listed
    assert {"Alken", "Bree"} <= set(listed)


def test_a_number_that_names_no_municipality_leaves_nothing_in_the_cache(
    client, towns, monkeypatch
):
    kept = []
    keep = network_cache.keep
    monkeypatch.setattr(
        network_cache,
        "keep",
        lambda key, value, **kwargs: (kept.append(key), keep(key, value, **kwargs)),
    )

    for number in (987654321, 987654322):
        client.get(SIGNUP_URL, {"gemeente": number})

    assert not [key for key in kept if "98765432" in key]


def test_the_group_chosen_is_checked_against_the_groups_the_form_read(client, towns):
    alken, _bree, _zonhoven = towns
    group = alken.whatsapp_groups.get(name="WABP Dorp")
    rules = HouseRules.objects.current().get(zone=alken.zone)
    form_of(client, alken)

    with CaptureQueriesContext(connection) as queries:
        response = client.post(SIGNUP_URL, eloket_form(group, rules))

    assert response["Location"] == SENT_URL
    assert Signup.objects.get().group == group
    assert not [
        query["sql"]
        for query in queries.captured_queries
        if 'FROM "groups_whatsappgroup"' in query["sql"]
    ]


def test_a_group_closed_after_the_form_was_shown_is_refused(client, towns):
    alken, _bree, _zonhoven = towns
    group = alken.whatsapp_groups.get(name="WABP Dorp")
    rules = HouseRules.objects.current().get(zone=alken.zone)
    form_of(client, alken)
    group.is_public = False
    save_whatsapp_group(group)

    response = client.post(SIGNUP_URL, eloket_form(group, rules))

    assert response.status_code == HTTPStatus.OK
    assert "group" in response.context["form"].errors
    assert not Signup.objects.exists()
    offered = options(response, "group")
    assert any("WABP Kerkveld" in label for label in offered)
    assert not any("WABP Dorp" in label for label in offered)


def test_kept_groups_come_back_as_the_rows_they_were(towns):
    """Kept as values (quick to read back), made instances again as
    Django makes them from a query: the same values, region and
    municipality, and saved rows (``_state.adding`` False)."""
    alken, _bree, _zonhoven = towns
    groups = list(
        WhatsAppGroup.objects.published()
        .filter(municipality=alken)
        .select_related("region", "municipality")
        .order_by("display_order", "name")
    )
    kept = pickle.loads(
        pickle.dumps(PublishedGroups.of(groups, label=lambda group: group.name))
    )

    assert kept.choices == tuple((group.pk, group.name) for group in groups)
    for group in groups:
        again = kept.get(group.pk)
        assert again == group
        assert again._state.adding is False
        assert [getattr(again, f.attname) for f in WhatsAppGroup._meta.fields] == [
            getattr(group, f.attname) for f in WhatsAppGroup._meta.fields
        ]
        assert (again.region.pk, again.region.name) == (
            group.region.pk,
            group.region.name,
        )
        assert again.municipality.zone_id == alken.zone_id
    assert kept.get(987654321) is None
