"""The resident's pages: the e-loket, the links in the mails, rules and privacy."""

import html
import math
import re
from datetime import timedelta
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from post_office.models import Email

from groups.models import Street, WhatsAppGroup
from groups.services import add_zone_staff, save_municipality
from registrations.constants import SignupRole, SignupStatus
from registrations.forms import SignupForm
from registrations.models import HouseRules, Signup
from registrations.notifications import confirmation_link, withdrawal_link
from registrations.services import publish_house_rules
from tests.eloket import SENT_URL, SIGNUP_URL, eloket_form
from tests.factories import (
    CoordinatorFactory,
    HouseRulesFactory,
    RegionStreetFactory,
    SignupFactory,
    StreetFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def field_error(response, name: str) -> str:
    """The error shown right under the field ``name`` (empty when none)."""
    match = re.search(
        rf'<div id="id_{name}_error" class="invalid-feedback">(.*?)</div>',
        response.content.decode(),
        re.S,
    )
    if not match:
        return ""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def hidden_value(response, name: str) -> str:
    match = re.search(
        rf'<input type="hidden" name="{name}" value="([^"]*)"',
        response.content.decode(),
    )
    assert match, f"no hidden {name} field"
    return match.group(1)


def path_of(url: str) -> str:
    return urlsplit(url).path


def mail_link(mail: Email, route: str) -> str:
    match = re.search(rf"https?://\S+?(/{route}/\S+?/)\s", mail.message)
    assert match, f"no /{route}/ link in the mail"
    return match.group(1)


@pytest.fixture
def unconfirmed(open_group) -> Signup:
    return SignupFactory(
        group=open_group, status=SignupStatus.UNCONFIRMED, confirmed_at=None
    )


# The form: GET


def test_signup_page_shows_the_form_in_dutch(client, open_group, rules):
    response = client.get(SIGNUP_URL)

    assert response.status_code == HTTPStatus.OK
    page = text(response)
    assert '<html lang="nl">' in page
    assert "<h1>Inschrijven voor de buurtpreventie</h1>" in page
    assert 'value="Verstuur mijn inschrijving"' in page
    assert hidden_value(response, "house_rules") == str(rules.pk)
    assert open_group.name in page
    assert rules.body.split("\n\n")[0] in page


def test_signup_page_speaks_english_when_the_browser_asks(client, open_group):
    response = client.get(SIGNUP_URL, HTTP_ACCEPT_LANGUAGE="en")

    page = text(response)
    assert '<html lang="en">' in page
    assert "Sign up for the neighbourhood watch" in page
    assert 'value="Send my signup"' in page
    assert "Verstuur mijn inschrijving" not in page


FROM_FINDER_URL = "/aanmelden/vanuit-zoeker/"


def test_signup_page_preselects_the_group_from_the_finder(open_group):
    """The finder posts group, street and number: none of them is in a URL."""
    other = WhatsAppGroupFactory(municipality=open_group.municipality)
    # No CSRF token: the finder's results page carries no cookie.
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        FROM_FINDER_URL,
        {"groep": open_group.pk, "straat": "Motstraat", "nummer": "12"},
    )

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert re.search(rf'<option value="{open_group.pk}"\s+selected>', page)
    assert not re.search(rf'<option value="{other.pk}"\s+selected>', page)
    assert 'name="street_name" value="Motstraat"' in page
    assert 'name="house_number" value="12"' in page
    # A fresh form, sent to the e-loket's own address with its token.
    assert 'class="invalid-feedback"' not in page
    assert f'<form method="post" action="{SIGNUP_URL}" class="signup-form"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert not Signup.objects.exists()


def test_signup_from_the_finder_preselects_the_coordinator_role(client, open_group):
    response = client.post(
        FROM_FINDER_URL, {"rol": "coordinator", "straat": "Nergensdreef"}
    )

    page = response.content.decode()
    assert re.search(r'<input type="radio"[^>]*value="coordinator"[^>]*checked', page)
    assert 'name="street_name" value="Nergensdreef"' in page


def test_signup_from_the_finder_does_not_count_as_a_signup(
    client, settings, open_group, rules
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": (1, 3600)}
    for _ in range(3):
        client.post(FROM_FINDER_URL, {"groep": open_group.pk, "straat": "Motstraat"})

    response = client.post(SIGNUP_URL, eloket_form(open_group, rules))

    assert response.status_code == HTTPStatus.FOUND


def test_signup_from_the_finder_reloaded_is_the_empty_form(client, open_group):
    response = client.get(FROM_FINDER_URL, {"straat": "Motstraat"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == SIGNUP_URL


def test_signup_page_reads_no_address_from_its_url(client, open_group):
    """A link may choose the group; an address in it is not taken over."""
    response = client.get(
        SIGNUP_URL,
        {"groep": open_group.pk, "straat": "Motstraat", "nummer": "12"},
    )

    page = response.content.decode()
    assert re.search(rf'<option value="{open_group.pk}"\s+selected>', page)
    assert 'name="street_name" value=' not in page
    assert 'name="house_number" value=' not in page


def test_signup_page_preselects_the_coordinator_role(client, open_group):
    response = client.get(SIGNUP_URL, {"rol": "coordinator"})

    assert re.search(
        r'<input type="radio"[^>]*value="coordinator"[^>]*checked',
        response.content.decode(),
    )


def test_signup_page_without_house_rules_is_closed(client, group):
    response = client.get(SIGNUP_URL)

    assert response.status_code == HTTPStatus.OK
    assert "Inschrijven is nog niet mogelijk" in text(response)
    assert 'name="first_name"' not in text(response)


def test_signup_post_without_house_rules_stores_nothing(client, group, rules):
    data = eloket_form(group, rules)
    rules.delete()

    response = client.post(SIGNUP_URL, data)

    assert "Inschrijven is nog niet mogelijk" in text(response)
    assert not Signup.objects.exists()


# The form: POST


def test_valid_signup_is_stored_and_confirmation_mailed(client, open_group, rules):
    response = client.post(SIGNUP_URL, eloket_form(open_group, rules))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == SENT_URL
    signup = Signup.objects.get()
    assert signup.status == SignupStatus.UNCONFIRMED
    assert signup.group == open_group
    assert signup.phone.as_e164 == "+32470551234"
    assert signup.language == "nl"
    assert signup.outside_region is False
    [mail] = Email.objects.all()
    assert mail.to == ["griet.vanhoudt@example.be"]
    assert "/aanmelden/bevestigen/" in mail.message


def test_a_signup_is_stored_in_a_fixed_number_of_queries(
    client, open_group, rules, django_assert_max_num_queries
):
    # The zone and its house rules, the group, the municipality, the street,
    # the groups covering the address; the signup with its audit-log entry,
    # its first status change and its mail, and the transaction around them.
    # The duplicate check is the unique constraints': no query of its own.
    with django_assert_max_num_queries(15):
        response = client.post(SIGNUP_URL, eloket_form(open_group, rules))

    assert response["Location"] == SENT_URL
    assert Signup.objects.count() == 1


def test_a_second_signup_of_the_same_person_is_found_by_the_constraints(
    client, open_group, rules
):
    client.post(SIGNUP_URL, eloket_form(open_group, rules))

    response = client.post(
        SIGNUP_URL, eloket_form(open_group, rules, first_name="Iemand")
    )

    # The same page either way: nobody learns who is signed up.
    assert response["Location"] == SENT_URL
    assert Signup.objects.count() == 1
    confirmation, notice = Email.objects.order_by("pk")
    assert notice.to == confirmation.to == ["griet.vanhoudt@example.be"]
    assert notice.subject == "Je bent al ingeschreven"


def test_english_visitor_is_mailed_in_english(client, open_group, rules):
    client.post(SIGNUP_URL, eloket_form(open_group, rules), HTTP_ACCEPT_LANGUAGE="en")

    assert Signup.objects.get().language == "en"
    assert Email.objects.get().subject == (
        "Confirm your signup for the neighbourhood watch"
    )


def test_sent_page_tells_to_check_the_mail(client):
    response = client.get(SENT_URL)

    assert response.status_code == HTTPStatus.OK
    assert "Bijna klaar: bekijk je e-mail" in text(response)


def test_signup_text_is_cleaned_of_control_characters(client, open_group, rules):
    client.post(
        SIGNUP_URL,
        eloket_form(
            open_group,
            rules,
            first_name="  Griet\u200b\x07  Marie ",
            last_name="Van  Houdt\x1b",
            house_number="12 a",
        ),
    )

    signup = Signup.objects.get()
    assert signup.first_name == "Griet Marie"
    assert signup.last_name == "Van Houdt"
    assert signup.house_number == "12A"


def application(open_group, rules, **overrides) -> dict:
    return eloket_form(
        open_group,
        rules,
        **{
            "role": SignupRole.COORDINATOR,
            "group": None,
            "proposed_group_name": "WABP Kerkveld",
            "proposed_area": "Kerkveld\nDorpsstraat",
            "street_name": "Nergensdreef",
            **overrides,
        },
    )


APPLICATION_SENT_URL = SENT_URL + "?rol=coordinator"


def test_coordinator_application_is_stored_without_group(client, open_group, rules):
    response = client.post(SIGNUP_URL, application(open_group, rules))

    assert response["Location"] == APPLICATION_SENT_URL
    signup = Signup.objects.get()
    assert signup.role == SignupRole.COORDINATOR
    assert signup.group is None
    assert signup.proposed_area == "Kerkveld\nDorpsstraat"


def test_an_application_where_a_group_exists_asks_whether_to_join_it(
    client, open_group, rules
):
    form = application(open_group, rules, street_name="Motstraat")

    asked = client.post(SIGNUP_URL, form)

    assert asked.status_code == HTTPStatus.OK
    assert asked.context["covering_groups"] == [open_group]
    assert not Signup.objects.exists()
    page = text(asked)
    with translation.override("nl"):
        assert gettext("Your address already has a group") in page
        assert gettext("Join %(name)s instead") % {"name": open_group.name} in page

    # Sent again as it is: the applicant wants a new group all the same.
    again = client.post(SIGNUP_URL, {**form, "keep_group": "on"})
    assert again["Location"] == APPLICATION_SENT_URL
    assert Signup.objects.get().role == SignupRole.COORDINATOR


def test_an_applicant_who_joins_the_existing_group_signs_up_as_a_participant(
    client, open_group, rules
):
    form = application(open_group, rules, street_name="Motstraat")

    response = client.post(
        SIGNUP_URL, {**form, "keep_group": "on", "switch_group": open_group.pk}
    )

    assert response["Location"] == SENT_URL
    signup = Signup.objects.get()
    assert signup.role == SignupRole.PARTICIPANT
    assert signup.group == open_group
    assert signup.proposed_group_name == signup.proposed_area == ""


def test_the_pages_and_mail_of_an_applicant_speak_to_an_applicant(
    client, open_group, rules
):
    client.post(SIGNUP_URL, application(open_group, rules))

    sent = text(client.get(APPLICATION_SENT_URL))
    mail = Email.objects.get()
    applicant_step = (
        "The police zone then sees your application for a new group and contacts you."
    )
    participant_step = (
        "The coordinator then sees your signup and adds you to the WhatsApp group,"
        " or sends you the invite link."
    )
    applicant_mail = "Only after you confirm will the police zone see your application."
    participant_mail = "Only after you confirm will the coordinator see your signup."
    with translation.override("nl"):
        assert gettext(applicant_step) in sent
        assert gettext(participant_step) not in sent
        assert gettext(applicant_mail) in mail.message
        assert gettext(participant_mail) not in mail.message


def test_coordinator_application_needs_a_name_and_an_area(client, open_group, rules):
    response = client.post(
        SIGNUP_URL,
        eloket_form(open_group, rules, role=SignupRole.COORDINATOR, group=None),
    )

    assert response.status_code == HTTPStatus.OK
    assert field_error(response, "proposed_group_name") == (
        "Geef de nieuwe groep een naam."
    )
    assert field_error(response, "proposed_area")
    assert not Signup.objects.exists()


def test_participant_must_choose_a_group(client, open_group, rules):
    response = client.post(SIGNUP_URL, eloket_form(open_group, rules, group=None))

    assert field_error(response, "group") == "Kies de groep waarbij je wil aansluiten."
    assert not Signup.objects.exists()


def test_missing_consent_is_shown_next_to_the_checkbox(client, open_group, rules):
    response = client.post(
        SIGNUP_URL, eloket_form(open_group, rules, accept_house_rules=None)
    )

    assert response.status_code == HTTPStatus.OK
    assert field_error(response, "accept_house_rules") == (
        "Je kan je enkel inschrijven als je akkoord gaat met het huishoudelijk "
        "reglement en de gedragsregels."
    )
    assert field_error(response, "accept_privacy") == ""
    assert "Controleer het formulier" in text(response)
    assert not Signup.objects.exists()
    assert not Email.objects.exists()


def test_missing_privacy_consent_is_refused(client, open_group, rules):
    response = client.post(
        SIGNUP_URL, eloket_form(open_group, rules, accept_privacy="")
    )

    assert field_error(response, "accept_privacy") == (
        "Bevestig dat je de privacyverklaring gelezen hebt."
    )
    assert not Signup.objects.exists()


def autofocused(response) -> list[str]:
    """The names of the fields the browser puts the cursor in on load."""
    tags = re.findall(r"<(?:input|select|textarea)\b[^>]*>", response.content.decode())
    return [
        re.search(r'name="([^"]+)"', tag).group(1)
        for tag in tags
        if re.search(r"\sautofocus\b", tag)
    ]


def test_refused_submit_puts_the_cursor_in_the_first_field_in_error(
    client, open_group, rules
):
    response = client.post(
        SIGNUP_URL,
        eloket_form(open_group, rules, phone="012", accept_house_rules=None),
    )

    assert field_error(response, "phone") != ""
    assert field_error(response, "accept_house_rules") != ""
    assert autofocused(response) == ["phone"]


def test_no_field_is_focused_before_a_submit(client, open_group):
    response = client.get(SIGNUP_URL)

    assert autofocused(response) == []


def test_an_error_added_after_validation_moves_the_cursor(open_group, rules):
    form = SignupForm(data=eloket_form(open_group, rules), current_rules=rules)
    assert form.is_valid()

    form.add_error("email", "taken")
    assert form.fields["email"].widget.attrs.get("autofocus") is True
    form.add_error("first_name", "odd")
    assert form.fields["first_name"].widget.attrs.get("autofocus") is True
    assert "autofocus" not in form.fields["email"].widget.attrs


def test_landline_number_is_refused_in_dutch(client, open_group, rules):
    response = client.post(
        SIGNUP_URL, eloket_form(open_group, rules, phone="011 12 34 56")
    )

    assert response.status_code == HTTPStatus.OK
    assert field_error(response, "phone").startswith("Dit is geen gsm-nummer.")
    assert not Signup.objects.exists()


@pytest.mark.parametrize("phone", ["0470 12 34", "hallo", "+32 470 12 34 56 78 90"])
def test_invalid_phone_number_is_refused(client, open_group, rules, phone):
    response = client.post(SIGNUP_URL, eloket_form(open_group, rules, phone=phone))

    assert field_error(response, "phone")
    assert not Signup.objects.exists()


def test_postcode_of_another_municipality_is_refused(client, open_group, rules):
    municipality = open_group.municipality
    codes = ", ".join(municipality.postcode_list)

    response = client.post(SIGNUP_URL, eloket_form(open_group, rules, postcode="9999"))

    assert field_error(response, "postcode") == (
        f"9999 is geen postcode van {municipality.name}. "
        f"De postcodes van {municipality.name} zijn {codes}."
    )
    assert not Signup.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nl",
            "3570 is geen postcode van Tongeren-Borgloon. De postcodes van "
            "Tongeren-Borgloon zijn 3700, 3840.",
        ),
        (
            "en",
            "3570 is not a postcode of Tongeren-Borgloon. The postcodes of "
            "Tongeren-Borgloon are 3700, 3840.",
        ),
        (
            "fr",
            "Le code postal 3570 n’appartient pas à Tongeren-Borgloon. "
            "Tongeren-Borgloon : codes postaux 3700, 3840.",  # no-break space folded
        ),
    ],
)
def test_postcode_is_checked_against_the_official_list(
    client, open_group, rules, language, expected
):
    # Borgloon, a municipality of Statbel's list since the merger of 2025.
    municipality = open_group.municipality
    municipality.nis_code = "73111"
    save_municipality(municipality)
    client.cookies["django_language"] = language

    response = client.post(SIGNUP_URL, eloket_form(open_group, rules, postcode="3570"))
    accepted = client.post(SIGNUP_URL, eloket_form(open_group, rules, postcode="3840"))

    assert response.status_code == HTTPStatus.OK
    assert field_error(response, "postcode") == expected
    assert accepted.status_code == HTTPStatus.FOUND
    assert Signup.objects.get().postcode == "3840"


@pytest.mark.parametrize("number", ["0", "twaalf", "12-14", "123456"])
def test_invalid_house_number_is_refused(client, open_group, rules, number):
    response = client.post(
        SIGNUP_URL, eloket_form(open_group, rules, house_number=number)
    )

    assert field_error(response, "house_number")
    assert not Signup.objects.exists()


def test_hidden_group_is_refused(client, open_group, rules):
    open_group.is_public = False
    open_group.save()

    response = client.post(SIGNUP_URL, eloket_form(open_group, rules))

    assert response.status_code == HTTPStatus.OK
    assert field_error(response, "group")
    assert not Signup.objects.exists()


def test_changed_house_rules_are_asked_again(client, open_group, rules):
    shown = hidden_value(client.get(SIGNUP_URL), "house_rules")
    # Staff publish a new version meanwhile (as the admin does: the service
    # also renews what the e-loket keeps of the current rules).
    staff = UserFactory()
    add_zone_staff(rules.zone, user=staff)
    new_rules = publish_house_rules(
        HouseRulesFactory.build(zone=rules.zone, version=0, body="Nieuwe regel."),
        by=staff,
    )

    response = client.post(
        SIGNUP_URL, eloket_form(open_group, rules, house_rules=shown)
    )

    assert response.status_code == HTTPStatus.OK
    assert (
        "Het huishoudelijk reglement is gewijzigd terwijl je het formulier invulde."
        in field_error(response, "accept_house_rules")
    )
    assert hidden_value(response, "house_rules") == str(new_rules.pk)
    assert not re.search(
        r'name="accept_house_rules"[^>]*checked', response.content.decode()
    )
    assert "Nieuwe regel." in text(response)
    assert not Signup.objects.exists()

    client.post(SIGNUP_URL, eloket_form(open_group, rules, house_rules=new_rules.pk))

    assert Signup.objects.get().house_rules == new_rules


@pytest.fixture
def other_group(open_group) -> WhatsAppGroup:
    """A second group of the municipality, covering the Kerkstraat."""
    other = WhatsAppGroupFactory(
        municipality=open_group.municipality, name="WABP Kerkveld"
    )
    RegionStreetFactory(
        region=other.region,
        street=StreetFactory(municipality=other.municipality, name="Kerkstraat"),
    )
    return other


def test_address_of_another_group_gets_a_suggestion_first(
    client, open_group, other_group, rules
):
    response = client.post(
        SIGNUP_URL, eloket_form(open_group, rules, street_name="kerkstr.")
    )

    assert response.status_code == HTTPStatus.OK
    page = text(response)
    assert "Je adres hoort bij een andere groep" in page
    assert f'name="switch_group" value="{other_group.pk}"' in page
    assert "Schrijf me in bij WABP Kerkveld" in page
    assert hidden_value(response, "keep_group") == "on"
    assert not Signup.objects.exists()
    assert not Email.objects.exists()


def test_resident_can_switch_to_the_suggested_group(
    client, open_group, other_group, rules
):
    response = client.post(
        SIGNUP_URL,
        eloket_form(
            open_group,
            rules,
            street_name="Kerkstraat",
            switch_group=other_group.pk,
            keep_group="on",
        ),
    )

    assert response["Location"] == SENT_URL
    signup = Signup.objects.get()
    assert signup.group == other_group
    assert signup.outside_region is False


def test_resident_can_keep_the_chosen_group(client, open_group, other_group, rules):
    first = client.post(
        SIGNUP_URL, eloket_form(open_group, rules, street_name="Kerkstraat")
    )

    response = client.post(
        SIGNUP_URL,
        eloket_form(
            open_group,
            rules,
            street_name="Kerkstraat",
            keep_group=hidden_value(first, "keep_group"),
        ),
    )

    assert response["Location"] == SENT_URL
    signup = Signup.objects.get()
    assert signup.group == open_group
    assert signup.outside_region is True


@pytest.fixture
def kerkstraat_in_each_village(open_group, other_group) -> tuple:
    """A Kerkstraat in each of the municipality's two postcodes: the other
    group covers the first postcode's, ``open_group`` the second's."""
    municipality = open_group.municipality
    first, second = municipality.postcode_list[:2]
    assert Street.objects.get(name="Kerkstraat").postcode == first
    RegionStreetFactory(
        region=open_group.region,
        street=StreetFactory(
            municipality=municipality, name="Kerkstraat", postcode=second
        ),
    )
    return first, second


def test_a_street_name_in_two_postcodes_is_told_apart_by_the_postcode(
    client, open_group, other_group, rules, kerkstraat_in_each_village
):
    """A merged municipality's two Kerkstraten: each resident goes straight to
    the group of their own, and the second resident is not answered from
    what was kept for the first address."""
    first, second = kerkstraat_in_each_village
    for group, postcode, phone in (
        (open_group, second, "0470 00 00 01"),
        (other_group, first, "0470 00 00 02"),
    ):
        response = client.post(
            SIGNUP_URL,
            eloket_form(
                group,
                rules,
                street_name="Kerkstraat",
                postcode=postcode,
                phone=phone,
            ),
        )

        assert response["Location"] == SENT_URL
        signup = Signup.objects.get(group=group)
        assert (signup.street.name, signup.street.postcode) == ("Kerkstraat", postcode)
        assert signup.outside_region is False


def test_a_postcode_with_no_street_of_that_name_takes_the_first(
    client, open_group, other_group, rules, kerkstraat_in_each_village
):
    """A typo in the postcode (one the municipality has no Kerkstraat in)
    locates the street as before: the first of that name."""
    first, _second = kerkstraat_in_each_village
    other_postcode = next(
        code
        for code in ("9999", "9998")
        if code not in open_group.municipality.postcode_list
    )
    open_group.municipality.postcodes = ",".join(
        [*open_group.municipality.postcode_list, other_postcode]
    )
    open_group.municipality.save()

    response = client.post(
        SIGNUP_URL,
        eloket_form(
            other_group, rules, street_name="Kerkstraat", postcode=other_postcode
        ),
    )

    assert response["Location"] == SENT_URL
    assert Signup.objects.get().street.postcode == first


def test_unknown_street_is_stored_without_suggestion(client, open_group, rules):
    response = client.post(
        SIGNUP_URL, eloket_form(open_group, rules, street_name="Nergensdreef")
    )

    assert response["Location"] == SENT_URL
    assert Signup.objects.get().outside_region is True


def test_honeypot_gets_the_same_redirect_and_stores_nothing(client, open_group, rules):
    response = client.post(
        SIGNUP_URL, eloket_form(open_group, rules, website="https://spam.example")
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == SENT_URL
    assert not Signup.objects.exists()
    assert not Email.objects.exists()


def test_honeypot_field_is_hidden_from_people(client, open_group):
    page = client.get(SIGNUP_URL).content.decode()

    assert re.search(r'class="hp-field"\s+aria-hidden="true"', page)
    assert re.search(r'name="website"[^>]*tabindex="-1"', page)


def test_too_many_signups_get_the_429_page_and_store_nothing(
    client, settings, open_group, rules
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": (2, 3600)}
    client.post(SIGNUP_URL, eloket_form(open_group, rules))
    client.post(SIGNUP_URL, eloket_form(open_group, rules, phone="0472 11 22 33"))

    response = client.post(
        SIGNUP_URL,
        eloket_form(open_group, rules, phone="0471 11 22 33", email="buur@example.be"),
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Te veel pogingen" in text(response)
    assert Signup.objects.count() == 2
    assert not Signup.objects.filter(email="buur@example.be").exists()
    # The page says how long to wait, in minutes; programs read Retry-After.
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 3600
    minutes = math.ceil(wait / 60)
    assert response.context["minutes"] == minutes
    with translation.override("nl"):
        expected = ngettext(
            "Please try again in %(minutes)s minute.",
            "Please try again in %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}
    assert expected in text(response)
    # Reading the form is not counted.
    assert client.get(SIGNUP_URL).status_code == HTTPStatus.OK


def test_a_form_sent_back_with_an_error_does_not_count_as_a_signup(
    client, settings, open_group, rules
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": (1, 3600)}
    for phone in ("hallo", "12", "0471"):
        refused = client.post(SIGNUP_URL, eloket_form(open_group, rules, phone=phone))
        assert refused.status_code == HTTPStatus.OK

    response = client.post(SIGNUP_URL, eloket_form(open_group, rules))

    assert response["Location"] == SENT_URL
    assert Signup.objects.count() == 1


def test_a_script_sending_forms_is_stopped_whether_they_are_valid_or_not(
    client, settings, open_group, rules
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup-form": (3, 600)}
    for _ in range(3):
        client.post(SIGNUP_URL, eloket_form(open_group, rules, phone="hallo"))

    response = client.post(SIGNUP_URL, eloket_form(open_group, rules))

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert not Signup.objects.exists()


def test_a_room_on_one_wifi_can_sign_up_with_the_default_limits(
    client, open_group, rules
):
    # An information evening: 25 neighbours on one connection, a few typos.
    for number in range(25):
        phone = f"0471 20 {number:02d} 00"
        client.post(SIGNUP_URL, eloket_form(open_group, rules, phone="hallo"))
        response = client.post(SIGNUP_URL, eloket_form(open_group, rules, phone=phone))
        assert response["Location"] == SENT_URL, number

    assert Signup.objects.count() == 25


def test_rate_limit_is_per_client_address(client, settings, open_group, rules):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": (1, 3600)}
    client.post(SIGNUP_URL, eloket_form(open_group, rules))

    response = client.post(
        SIGNUP_URL,
        eloket_form(open_group, rules, phone="0471 11 22 33", email="buur@example.be"),
        REMOTE_ADDR="198.51.100.20",
    )

    assert response["Location"] == SENT_URL
    assert Signup.objects.count() == 2


def test_duplicate_signup_looks_exactly_like_a_new_one(client, open_group, rules):
    new = client.post(SIGNUP_URL, eloket_form(open_group, rules))

    duplicate = client.post(
        SIGNUP_URL, eloket_form(open_group, rules, first_name="Iemand")
    )

    assert (duplicate.status_code, duplicate["Location"], duplicate.content) == (
        new.status_code,
        new["Location"],
        new.content,
    )
    assert Signup.objects.count() == 1
    assert Signup.objects.get().first_name == "Griet"


# The confirmation link


def test_confirmation_link_from_the_mail_confirms_the_signup(client, open_group, rules):
    CoordinatorFactory(
        zone=open_group.municipality.zone, groups=[open_group], email="c@example.be"
    )
    client.post(SIGNUP_URL, eloket_form(open_group, rules))
    link = mail_link(Email.objects.get(), "aanmelden/bevestigen")

    asked = client.get(link)
    response = client.post(link)

    assert asked.status_code == HTTPStatus.OK
    assert "Bevestig je inschrijving" in text(asked)
    assert response.status_code == HTTPStatus.OK
    assert "Bedankt, je inschrijving is bevestigd" in text(response)
    signup = Signup.objects.get()
    assert signup.status == SignupStatus.PENDING
    assert signup.confirmed_at is not None
    assert Email.objects.filter(to="c@example.be").count() == 1


def test_opening_the_confirmation_link_confirms_nothing_until_asked(
    client, unconfirmed
):
    """Mail scanners and link previews open every link in a mail."""
    response = client.get(path_of(confirmation_link(unconfirmed)))

    assert response.status_code == HTTPStatus.OK
    assert "Bevestig je inschrijving" in text(response)
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == SignupStatus.UNCONFIRMED
    assert not Email.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_second_use_of_confirmation_link_changes_nothing(client, unconfirmed, method):
    link = path_of(confirmation_link(unconfirmed))
    client.post(link)
    unconfirmed.refresh_from_db()
    confirmed_at = unconfirmed.confirmed_at
    changes, mails = unconfirmed.status_changes.count(), Email.objects.count()

    response = getattr(client, method)(link)

    assert response.status_code == HTTPStatus.OK
    assert "Je inschrijving was al bevestigd" in text(response)
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == SignupStatus.PENDING
    assert unconfirmed.confirmed_at == confirmed_at
    assert unconfirmed.status_changes.count() == changes
    assert Email.objects.count() == mails


def test_expired_confirmation_link_is_refused(client, unconfirmed):
    link = path_of(confirmation_link(unconfirmed))

    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        response = client.post(link)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Deze link is verlopen." in text(response)
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == SignupStatus.UNCONFIRMED


@pytest.mark.parametrize(
    "token", ["garbage", "MQ:1tXyZa:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "é"]
)
def test_garbage_confirmation_link_is_refused(client, unconfirmed, token):
    response = client.post(reverse("registrations:signup-confirm", args=[token]))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Deze link is niet geldig." in text(response)
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == SignupStatus.UNCONFIRMED


def test_withdraw_link_cannot_confirm(client, unconfirmed):
    token = withdrawal_link(unconfirmed).rstrip("/").split("/")[-1]

    response = client.post(reverse("registrations:signup-confirm", args=[token]))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == SignupStatus.UNCONFIRMED


def test_confirmation_link_of_a_withdrawn_signup_is_refused(client, unconfirmed):
    link = path_of(confirmation_link(unconfirmed))
    client.post(path_of(withdrawal_link(unconfirmed)))

    opened, sent = client.get(link), client.post(link)

    for response in (opened, sent):
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "Deze inschrijving werd ingetrokken." in text(response)
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == SignupStatus.WITHDRAWN


# The withdrawal link


def test_withdraw_link_asks_first_and_changes_nothing(client, unconfirmed):
    response = client.get(path_of(withdrawal_link(unconfirmed)))

    assert response.status_code == HTTPStatus.OK
    page = text(response)
    assert re.search(r'<form method="post"[^>]*>', page)
    assert "Schrijf me uit en wis mijn gegevens" in page
    assert unconfirmed.group.name in page
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == SignupStatus.UNCONFIRMED
    assert unconfirmed.first_name


def test_withdraw_post_erases_the_signup(client, unconfirmed):
    email = unconfirmed.email

    response = client.post(path_of(withdrawal_link(unconfirmed)))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/aanmelden/uitgeschreven/"
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == SignupStatus.WITHDRAWN
    assert (unconfirmed.first_name, unconfirmed.email, str(unconfirmed.phone)) == (
        "",
        "",
        "",
    )
    assert not Signup.objects.filter(email=email).exists()


def test_withdraw_link_from_the_confirmation_mail_works(client, open_group, rules):
    client.post(SIGNUP_URL, eloket_form(open_group, rules))
    link = mail_link(Email.objects.get(), "aanmelden/uitschrijven")

    response = client.post(link, follow=True)

    assert "Je bent uitgeschreven" in text(response)
    assert Signup.objects.get().status == SignupStatus.WITHDRAWN


def test_withdraw_link_keeps_working_after_48_hours(client, unconfirmed):
    link = path_of(withdrawal_link(unconfirmed))

    with time_machine.travel(timezone.now() + timedelta(days=60)):
        response = client.post(link)

    assert response.status_code == HTTPStatus.FOUND
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == SignupStatus.WITHDRAWN


def test_withdraw_link_of_a_withdrawn_signup_shows_the_withdrawn_page(
    client, unconfirmed
):
    link = path_of(withdrawal_link(unconfirmed))
    client.post(link)

    response = client.get(link)

    assert response.status_code == HTTPStatus.OK
    assert "Je bent uitgeschreven" in text(response)


def test_withdraw_after_membership_ended_erases_the_details(client, open_group):
    left = SignupFactory(
        group=open_group,
        status=SignupStatus.LEFT,
        decided_at=timezone.now(),
        first_name="Griet",
    )

    response = client.post(path_of(withdrawal_link(left)), follow=True)

    assert "Je gegevens zijn gewist." in text(response)
    left.refresh_from_db()
    assert left.status == SignupStatus.WITHDRAWN
    assert left.first_name == ""


@pytest.mark.parametrize("method", ["get", "post"])
def test_invalid_withdraw_link_is_refused(client, unconfirmed, method):
    url = reverse("registrations:signup-withdraw", args=["niet-geldig"])

    response = getattr(client, method)(url)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Deze link is niet geldig." in text(response)
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == SignupStatus.UNCONFIRMED


def test_withdrawn_page(client):
    response = client.get(reverse("registrations:signup-withdrawn"))

    assert response.status_code == HTTPStatus.OK
    assert "Je gegevens zijn gewist" in text(response)


# House rules and privacy


def test_house_rules_page_shows_the_current_version(client, rules):
    older = HouseRulesFactory(zone=rules.zone, version=1, is_current=False)

    response = client.get(reverse("registrations:house-rules"))

    assert response.status_code == HTTPStatus.OK
    page = text(response)
    assert "<p>Wees beleefd in de groep.</p>" in page
    assert "<p>Deel geen foto's van verdachten.</p>" in page
    assert "Dit is een vroegere versie." not in page
    assert f'href="/huishoudelijk-reglement/versie/{older.pk}/"' in page


def test_an_older_house_rules_version_stays_readable(client, rules):
    older = HouseRulesFactory(zone=rules.zone, version=1, is_current=False, body="Oud.")

    response = client.get(reverse("registrations:house-rules-version", args=[older.pk]))

    assert response.status_code == HTTPStatus.OK
    page = text(response)
    assert "<p>Oud.</p>" in page
    assert "Dit is een vroegere versie." in page
    assert "Wees beleefd in de groep." not in page


def test_unknown_house_rules_version_is_not_found(client, rules):
    response = client.get(
        reverse("registrations:house-rules-version", args=[rules.pk + 1000])
    )

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_house_rules_page_without_rules_is_not_found(client, db):
    assert HouseRules.objects.count() == 0

    response = client.get(reverse("registrations:house-rules"))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_privacy_page_names_the_zone_and_the_retention(client, zone, settings):
    settings.UNCONFIRMED_RETENTION_DAYS = 7

    response = client.get(reverse("registrations:privacy"))

    assert response.status_code == HTTPStatus.OK
    page = text(response)
    assert "<h1>Privacyverklaring</h1>" in page
    assert zone.email in page
    assert "Een inschrijving die je niet bevestigde: 7 dagen." in page


def test_link_pages_show_no_personal_data(client, unconfirmed):
    personal = [unconfirmed.first_name, unconfirmed.last_name, unconfirmed.email]

    withdraw = text(client.get(path_of(withdrawal_link(unconfirmed))))
    confirmed = text(client.get(path_of(confirmation_link(unconfirmed))))

    # As whole words: a generated name such as "Ann" is also the start of
    # a word on the page ("Annuleren").
    for value in personal:
        word = re.compile(rf"(?<!\w){re.escape(value)}(?!\w)")
        assert not word.search(withdraw)
        assert not word.search(confirmed)


# Bugs found while writing these tests


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("get", {"gemeente": "²"}),
        ("get", {"groep": "²"}),
        ("post", {"municipality": "²"}),
    ],
)
def test_superscript_digit_in_id_is_refused_not_a_server_error(
    client, open_group, rules, method, params
):
    WhatsAppGroupFactory()  # a second municipality: no default to fall back on
    client.raise_request_exception = False

    response = getattr(client, method)(SIGNUP_URL, params)

    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("number", ["12\tA", "12\u00a0A", "12\x1fA"])
def test_house_number_is_stored_without_odd_whitespace(
    client, open_group, rules, number
):
    client.post(SIGNUP_URL, eloket_form(open_group, rules, house_number=number))

    assert list(Signup.objects.values_list("house_number", flat=True)) in ([], ["12A"])


@pytest.mark.parametrize("typed", ["Anne\u00a0Marie", "Anne\tMarie"])
def test_whitespace_between_words_becomes_a_space(client, open_group, rules, typed):
    client.post(SIGNUP_URL, eloket_form(open_group, rules, first_name=typed))

    assert Signup.objects.get().first_name == "Anne Marie"


def test_withdraw_link_of_a_closed_signup_does_not_claim_erasure(client, open_group):
    rejected = SignupFactory(
        group=open_group,
        status=SignupStatus.REJECTED,
        decided_at=timezone.now(),
        first_name="Griet",
    )

    page = text(client.post(path_of(withdrawal_link(rejected)), follow=True))

    rejected.refresh_from_db()
    assert rejected.first_name == "" or "Je gegevens zijn gewist" not in page


def test_house_rules_link_in_the_form_opens_the_rules_of_the_residents_zone(
    client, open_group, rules
):
    rules.zone.name = "PZ Zuid"
    rules.zone.save()
    other = WhatsAppGroupFactory(municipality__zone__name="PZ Aarde")
    HouseRulesFactory(zone=other.municipality.zone, body="Regels van PZ Aarde.")

    form = client.get(SIGNUP_URL, {"gemeente": open_group.municipality_id})
    assert "Wees beleefd in de groep." in text(form)  # the summary is right
    href = re.search(
        r'<label for="id_accept_house_rules"[^>]*>.*?<a href="([^"]+)"',
        form.content.decode(),
        re.S,
    ).group(1)

    assert "Wees beleefd in de groep." in text(client.get(href))


@pytest.fixture
def national(settings, open_group):
    """More published groups than the form lists: only a municipality's are."""
    settings.HOME_TABLE_GROUPS = 1
    other = WhatsAppGroupFactory(
        municipality__zone=open_group.municipality.zone, name="WABP Elders"
    )
    neighbour = WhatsAppGroupFactory(
        municipality=open_group.municipality, name="WABP Buren"
    )
    return open_group, neighbour, other


def group_options(content: str) -> set[str]:
    select = content.partition('name="group"')[2].partition("</select>")[0]
    return set(re.findall(r'<option value="(\d+)"', select))


def test_with_national_data_the_form_first_asks_for_the_municipality(client, national):
    content = client.get(SIGNUP_URL).content.decode()

    assert "Kies eerst je gemeente" in content
    assert 'name="gemeente"' in content
    assert group_options(content) == set()


def test_with_national_data_the_form_offers_the_groups_of_the_municipality(
    client, national
):
    chosen, neighbour, other = national

    by_municipality = client.get(SIGNUP_URL, {"gemeente": chosen.municipality_id})
    by_group = client.get(SIGNUP_URL, {"groep": chosen.pk})

    for response in (by_municipality, by_group):
        content = response.content.decode()
        assert group_options(content) == {str(chosen.pk), str(neighbour.pk)}
        assert "Kies eerst je gemeente" not in content


def test_with_national_data_a_group_of_another_municipality_is_refused(
    client, national, rules
):
    chosen, _neighbour, other = national

    response = client.post(SIGNUP_URL, eloket_form(chosen, rules, group=other.pk))

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].has_error("group")
    assert group_options(response.content.decode()) == {
        str(chosen.pk),
        str(_neighbour.pk),
    }
    assert not Signup.objects.exists()


def test_with_national_data_a_signup_goes_through(client, national, rules):
    chosen, _neighbour, _other = national

    response = client.post(SIGNUP_URL, eloket_form(chosen, rules))

    assert response.status_code == HTTPStatus.FOUND
    assert Signup.objects.get().group == chosen


@pytest.mark.parametrize(
    ("sent", "shown"), [("3571", "3571"), ("35 70", ""), ("<b>", ""), ("", "")]
)
def test_the_finder_carries_the_streets_postcode_into_the_form(
    client, open_group, rules, sent, shown
):
    open_group.municipality.postcodes = "3570, 3571"
    open_group.municipality.save()

    page = client.post(
        FROM_FINDER_URL,
        {"groep": open_group.pk, "straat": "Motstraat", "postcode": sent},
    )

    assert page.status_code == HTTPStatus.OK
    assert page.context["form"].initial.get("postcode", "") == shown
    assert not Signup.objects.exists()
