"""Journeys of issue 22 in a real browser, at phone width, with axe.

- Two police zones take signups: the e-loket without a municipality asks
  for one, then shows that zone's house rules (never the first zone's).
- Partners who share one mailbox each sign up with their own mobile and
  confirm their own signup from their own mail.
- An application for a new group at an address a group already covers:
  the form asks whether to join that group instead; the applicant joins it.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from post_office.models import Email

from groups.models import Municipality
from registrations.constants import SignupRole, SignupStatus
from registrations.models import Signup
from tests.e2e.axe import violations
from tests.e2e.conftest import PHONE, browser_page
from tests.e2e.wording import dutch
from tests.factories import HouseRulesFactory, MunicipalityFactory, PoliceZoneFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def link_in(mail: Email, route: str) -> str:
    match = re.search(rf"https?://\S+/{route}/\S+/", mail.message)
    assert match, f"no /{route}/ link in the mail"
    return match.group(0)


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


def test_partners_sharing_a_mailbox_each_sign_up_and_confirm(
    browser, live_server, demo_data
):
    """One e-mail address, two people: each their own mobile, signup and mail."""
    mailbox = "fam.janssens@example.org"
    found: list[str] = []
    with browser_page(browser, PHONE) as page:
        page: Page
        for first_name, phone in (("Mira", "0471 23 45 67"), ("Jef", "0472 76 54 32")):
            page.goto(live_server.url + reverse("groups:finder"))
            page.get_by_label(dutch("Street")).fill("beukenl")
            page.get_by_label(dutch("House number")).fill("12")
            page.get_by_role("button", name=dutch("Search")).click()
            page.get_by_role(
                "button", name="Inschrijven bij WABP Terkoest Zuid"
            ).click()
            page.get_by_label(dutch("First name")).fill(first_name)
            page.get_by_label(dutch("Last name")).fill("Janssens")
            page.get_by_label(dutch("Mobile number")).fill(phone)
            page.get_by_label(dutch("E-mail address")).fill(mailbox)
            page.locator("#id_accept_house_rules").check()
            page.locator("#id_accept_privacy").check()
            page.get_by_role("button", name=dutch("Send my signup")).click()
            expect(page).to_have_url(
                live_server.url + reverse("registrations:signup-sent")
            )

        signups = {s.first_name: s for s in Signup.objects.filter(email=mailbox)}
        assert set(signups) == {"Mira", "Jef"}
        for name, signup in signups.items():
            [mail] = [
                mail
                for mail in Email.objects.filter(to__contains=mailbox)
                if name in mail.message
            ]
            page.goto(link_in(mail, "aanmelden/bevestigen"))
            found += violations(page)
            page.get_by_role("button", name=dutch("Confirm my signup")).click()
            expect(page.locator("h1")).to_be_visible()
            signup.refresh_from_db()
            assert signup.status == SignupStatus.PENDING, name
    assert found == []
