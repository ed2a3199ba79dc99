"""Two police zones on one portal: a public page never picks one for the visitor.

The zone (and so its house rules and downloads) comes from the group or the
municipality the visitor came from; when nothing names one and several zones
take signups, the page asks for the municipality. Before, the alphabetically
first zone was taken, and a resident of the other zone could not sign up
("the rules changed while you filled in the form").
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from groups.models import Municipality
from groups.services import save_municipality
from registrations.models import Signup
from tests.eloket import SENT_URL, SIGNUP_URL, eloket_form
from tests.factories import (
    DownloadFactory,
    HouseRulesFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    RegionStreetFactory,
    StreetFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

RULES_URL = reverse("registrations:house-rules")


@pytest.fixture
def zones():
    """Zone "A Eerste" (alphabetically first) and zone "B Tweede", each open."""
    made = {}
    for letter, name, town in (("a", "A Eerste", "Alken"), ("b", "B Tweede", "Bree")):
        zone = PoliceZoneFactory(name=f"PZ {name}")
        municipality = MunicipalityFactory(zone=zone, name=town, postcodes="3570")
        group = WhatsAppGroupFactory(municipality=municipality, name=f"WABP {town}")
        street = StreetFactory(municipality=municipality, name="Motstraat")
        RegionStreetFactory(region=group.region, street=street)
        rules = HouseRulesFactory(zone=zone, title=f"Huisregels {name}")
        DownloadFactory(zone=zone, title=f"Affiche {name}")
        made[letter] = (zone, municipality, group, rules)
    return made


def test_the_signup_form_without_a_municipality_asks_for_one(client, zones):
    page = client.get(SIGNUP_URL)

    assert page.status_code == HTTPStatus.OK
    assert page.templates[0].name == "registrations/choose_municipality.html"
    choices = list(page.context["municipalities"])
    assert {m.name for m in choices} == {"Alken", "Bree"}
    assert "Huisregels" not in page.content.decode()


def test_a_resident_of_the_second_zone_signs_up_for_their_group(client, zones):
    _zone, municipality, group, rules = zones["b"]

    form = client.get(SIGNUP_URL, {"gemeente": municipality.pk})
    assert form.context["house_rules"] == rules

    response = client.post(SIGNUP_URL, eloket_form(group, rules))

    assert response["Location"] == SENT_URL
    assert Signup.objects.get().group == group


def test_a_link_to_a_group_of_the_second_zone_shows_that_zones_rules(client, zones):
    _zone, _municipality, group, rules = zones["b"]

    form = client.get(SIGNUP_URL, {"groep": group.pk})

    assert form.context["house_rules"] == rules


def test_the_coordinator_application_keeps_its_role_through_the_question(client, zones):
    page = client.get(SIGNUP_URL, {"rol": "coordinator"})

    assert page.context["keep"] == {"rol": "coordinator"}
    assert 'name="rol" value="coordinator"' in page.content.decode()


def test_one_zone_taking_signups_needs_no_question(client, zones):
    zones["a"][3].delete()

    page = client.get(SIGNUP_URL)

    assert page.context["house_rules"] == zones["b"][3]


def test_the_house_rules_page_asks_and_then_shows_the_zones_own(client, zones):
    _zone, municipality, _group, rules = zones["b"]

    asked = client.get(RULES_URL)
    assert asked.templates[0].name == "registrations/choose_municipality.html"

    page = client.get(RULES_URL, {"gemeente": municipality.pk})
    assert page.context["house_rules"] == rules
    assert [d.title for d in page.context["downloads"]] == ["Affiche B Tweede"]

    by_zone = client.get(RULES_URL, {"zone": zones["a"][0].pk})
    assert by_zone.context["house_rules"] == zones["a"][3]


@pytest.mark.parametrize(
    "query", [{"gemeente": "999999"}, {"gemeente": "abc"}, {"zone": "x"}]
)
def test_a_made_up_municipality_or_zone_is_asked_again_not_an_error(
    client, zones, query
):
    page = client.get(RULES_URL, query)

    assert page.status_code in (HTTPStatus.OK, HTTPStatus.NOT_FOUND)
    assert "Huisregels A Eerste" not in page.content.decode()


def test_no_zone_with_house_rules_closes_the_signup_without_asking(client, zones):
    for _zone, _municipality, _group, rules in zones.values():
        rules.delete()

    page = client.get(SIGNUP_URL)

    assert page.templates[0].name == "registrations/signup_closed.html"
    assert client.get(RULES_URL).status_code == HTTPStatus.NOT_FOUND


def test_the_choice_lists_only_municipalities_of_zones_taking_signups(client, zones):
    closed = PoliceZoneFactory(name="PZ Zonder regels")
    MunicipalityFactory(zone=closed, name="Dilsen")

    page = client.get(SIGNUP_URL)

    names = {m.name for m in page.context["municipalities"]}
    assert "Dilsen" not in names
    assert Municipality.objects.filter(name="Dilsen").exists()


@pytest.mark.parametrize("url", [SIGNUP_URL, RULES_URL])
def test_the_question_is_kept_for_the_next_visitor_until_the_table_changes(
    client, zones, django_assert_num_queries, url
):
    """A country's 600 municipalities take tens of milliseconds to list: the
    question is the same for every visitor without cookies, so the page cache
    answers the next one (no query), and the table's next change shows."""
    first = client.get(url)
    assert first.templates[0].name == "registrations/choose_municipality.html"

    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]

    _zone, bree, _group, _rules = zones["b"]
    bree.name = "Bree-Beek"
    save_municipality(bree)
    changed = client.get(url).content.decode()
    assert "Bree-Beek" in changed


def test_the_question_with_a_cookie_or_a_query_is_asked_afresh(client, zones):
    client.get(SIGNUP_URL)  # kept for visitors without cookies

    coordinator = client.get(SIGNUP_URL, {"rol": "coordinator"})
    assert 'name="rol" value="coordinator"' in coordinator.content.decode()
    client.cookies["sessionid"] = "whatever"
    with_cookie = client.get(SIGNUP_URL)
    assert with_cookie.templates, "rendered by the view, not from the cache"
