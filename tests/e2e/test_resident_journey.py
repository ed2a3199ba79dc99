"""A resident on a phone finds their group, signs up and confirms by e-mail."""

import re
from urllib.parse import urlsplit

import pytest
from post_office.models import Email

from registrations.constants import SignupStatus
from registrations.models import Signup

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_resident_finds_group_signs_up_and_confirms(page, live_server, demo_data):
    page.goto(live_server.url + "/zoek-je-groep/")
    page.get_by_label("Straat").fill("beukenl")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_role("button", name="Zoeken").click()

    page.get_by_role("button", name="Inschrijven bij WABP Terkoest Zuid").click()

    # The search and the button posted: no address in a URL.
    assert urlsplit(page.url)[2:] == ("/aanmelden/vanuit-zoeker/", "", "")

    assert page.get_by_label("Naam groep").input_value() != ""
    assert page.get_by_label("Straat").input_value() == "Beukenlaan"
    assert page.get_by_label("Postcode").input_value() == "3570"
    page.get_by_label("Voornaam").fill("Mira")
    page.get_by_label("Achternaam").fill("Janssens")
    page.get_by_label("Gsm-nummer").fill("0471 23 45 67")
    page.get_by_label("E-mailadres").fill("mira.janssens@example.org")
    page.locator("#id_accept_house_rules").check()
    page.locator("#id_accept_privacy").check()
    page.get_by_role("button", name="Verstuur mijn inschrijving").click()

    page.get_by_role("heading", name="Bijna klaar: bekijk je e-mail").wait_for()
    signup = Signup.objects.get(email="mira.janssens@example.org")
    assert signup.status == SignupStatus.UNCONFIRMED
    assert signup.group.name == "WABP Terkoest Zuid"
    assert signup.phone.as_e164 == "+32471234567"

    mail = Email.objects.filter(to__contains="mira.janssens@example.org").get()
    link = re.search(r"https?://\S+/aanmelden/bevestigen/\S+/", mail.message)
    assert link is not None
    page.goto(link.group(0))
    page.get_by_role("button", name="Mijn inschrijving bevestigen").click()

    page.get_by_role("heading", name="Bedankt, je inschrijving is bevestigd").wait_for()
    signup.refresh_from_db()
    assert signup.status == SignupStatus.PENDING


def test_signup_without_consent_shows_the_error_at_the_checkbox(
    page, live_server, demo_data
):
    page.goto(live_server.url + "/aanmelden/")
    page.get_by_label("Naam groep").select_option(label="WABP Kolmen (Kolmen)")
    page.get_by_label("Voornaam").fill("Jan")
    page.get_by_label("Achternaam").fill("Peeters")
    page.get_by_label("Straat").fill("Kolmenstraat")
    page.get_by_label("Huisnummer").fill("3")
    page.get_by_label("Gsm-nummer").fill("0472 11 22 33")
    page.get_by_label("E-mailadres").fill("jan.peeters@example.org")
    page.locator("#id_accept_privacy").check()
    page.get_by_role("button", name="Verstuur mijn inschrijving").click()

    checkbox = page.locator("#id_accept_house_rules")
    checkbox.wait_for()
    error = page.locator("#div_id_accept_house_rules")
    assert "akkoord gaat met het huishoudelijk reglement" in error.inner_text()
    assert checkbox.get_attribute("aria-invalid") == "true"
    assert not Signup.objects.filter(email="jan.peeters@example.org").exists()
