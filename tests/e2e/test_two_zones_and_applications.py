"""Two journeys of issue 22 in a real browser, at phone width, with axe.

- Two police zones take signups: the e-loket without a municipality asks
  for one, then shows that zone's house rules (never the first zone's).
- An application for a new group at an address a group already covers:
  the form asks whether to join that group instead; the applicant joins it.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from groups.models import Municipality
from registrations.constants import SignupRole
from registrations.models import Signup
from tests.e2e.axe import violations
from tests.e2e.conftest import PHONE, browser_page
from tests.e2e.wording import dutch
from tests.factories import HouseRulesFactory, MunicipalityFactory, PoliceZoneFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_zones_the_eloket_asks_the_municipality_first(
    browser, live_server, demo_data
):
    other = PoliceZoneFactory(name="PZ Andere Zone")
    MunicipalityFactory(zone=other, name="Bree", postcodes="3960")
    HouseRulesFactory(zone=other, title="Huisregels van de andere zone")
    alken = Municipality.objects.get(name="Alken")
    found: list[str] = []
    with browser_page(browser, PHONE) as page:
        page: Page
        page.goto(live_server.url + reverse("registrations:signup"))
        chooser = page.get_by_label(dutch("Municipality"))
        expect(chooser).to_be_visible()
        found += violations(page)

        chooser.select_option(label="Alken")
        page.get_by_role("button", name=dutch("Continue")).click()

        expect(page.locator("#id_first_name")).to_be_visible()
        assert f"gemeente={alken.pk}" in page.url
        assert "Huisregels van de andere zone" not in page.content()
        found += violations(page)
    assert found == []


def test_an_applicant_where_a_group_exists_joins_it_instead(
    browser, live_server, demo_data
):
    email = "nora.claes@example.org"
    found: list[str] = []
    with browser_page(browser, PHONE) as page:
        page: Page
        page.goto(
            live_server.url + reverse("registrations:signup") + "?rol=coordinator"
        )
        page.get_by_label(dutch("First name")).fill("Nora")
        page.get_by_label(dutch("Last name")).fill("Claes")
        page.locator("#id_street_name").fill("Beukenlaan")
        page.locator("#id_house_number").fill("12")
        page.get_by_label(dutch("Mobile number")).fill("0471 98 76 54")
        page.get_by_label(dutch("E-mail address")).fill(email)
        page.locator("#id_proposed_group_name").fill("WABP Beukenlaan")
        page.locator("#id_proposed_area").fill("De Beukenlaan")
        page.locator("#id_accept_house_rules").check()
        page.locator("#id_accept_privacy").check()
        page.get_by_role("button", name=dutch("Send my signup")).click()

        question = page.locator("#group-suggestion")
        expect(question).to_be_visible()
        expect(question).to_be_focused()
        assert dutch("Your address already has a group") in question.inner_text()
        assert not Signup.objects.filter(email=email).exists()
        found += violations(page)

        question.get_by_role("button").first.click()
        expect(page).to_have_url(live_server.url + reverse("registrations:signup-sent"))

    signup = Signup.objects.get(email=email)
    assert signup.role == SignupRole.PARTICIPANT
    assert signup.group is not None
    assert found == []
