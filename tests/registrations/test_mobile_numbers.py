"""Which mobile numbers the e-loket takes (issue 22).

Decided: a mobile number of any country. Residents near the border use
WhatsApp on a Dutch, French, German or Luxembourg number, and WhatsApp works
with any. A Belgian number may be written in any notation; a foreign one
needs its country code (+31 or 0031), or it is read as Belgian. Landlines,
Belgian or foreign, are refused with an explanation, and so is a number that
cannot exist, with an example of both notations.
"""

import html
import re
from http import HTTPStatus

import pytest

from registrations.admin.forms import PersonSearchForm
from registrations.models import Signup
from registrations.services.privacy import PersonQuery, find_person
from tests.eloket import SENT_URL, SIGNUP_URL, eloket_form
from tests.factories import SignupFactory

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


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0470 55 12 34", "+32470551234"),
        ("+32 470 55 12 34", "+32470551234"),
        ("+31 6 12 34 56 78", "+31612345678"),  # the Netherlands
        ("0031 6 12345678", "+31612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),  # France
        ("+49 151 23456789", "+4915123456789"),  # Germany
        ("+352 621 123 456", "+352621123456"),  # Luxembourg
        ("+44 7400 123456", "+447400123456"),  # the United Kingdom
        # +1 does not tell mobiles from landlines: taken.
        ("+1 201 555 0123", "+12015550123"),
    ],
)
def test_a_mobile_number_of_any_country_is_taken(
    client, open_group, rules, typed, stored
):
    response = client.post(SIGNUP_URL, eloket_form(open_group, rules, phone=typed))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(SENT_URL)
    assert Signup.objects.get().phone.as_e164 == stored


@pytest.mark.parametrize(
    "typed", ["+31 20 123 4567", "+33 1 23 45 67 89", "011 12 34 56"]
)
def test_a_landline_of_any_country_is_refused(client, open_group, rules, typed):
    response = client.post(SIGNUP_URL, eloket_form(open_group, rules, phone=typed))

    assert response.status_code == HTTPStatus.OK
    assert field_error(response, "phone") == (
        "Dit is geen gsm-nummer. Vul het nummer in van de telefoon waarop je "
        "WhatsApp gebruikt, bijvoorbeeld 0470 12 34 56."
    )
    assert not Signup.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nl",
            "Vul een geldig gsm-nummer in, bijvoorbeeld 0470 12 34 56. Een "
            "buitenlands nummer begint met de landcode, bijvoorbeeld "
            "+31 6 12 34 56 78.",
        ),
        (
            "en",
            "Enter a valid mobile number, for example 0470 12 34 56. A foreign "
            "number starts with its country code, for example +31 6 12 34 56 78.",
        ),
        (
            "fr",
            "Indiquez un numéro de GSM valable, par exemple 0470 12 34 56. Un "
            "numéro étranger commence par l’indicatif du pays, par exemple "
            "+31 6 12 34 56 78.",
        ),
    ],
)
def test_a_foreign_number_without_country_code_is_told_to_add_it(
    client, open_group, rules, language, expected
):
    # A Dutch mobile as the Dutch write it: read as Belgian, it cannot exist.
    response = client.post(
        SIGNUP_URL,
        eloket_form(open_group, rules, phone="06 12 34 56 78"),
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == HTTPStatus.OK
    assert field_error(response, "phone") == expected
    assert not Signup.objects.exists()


def test_the_form_says_how_to_write_a_foreign_number(client, open_group):
    response = client.get(SIGNUP_URL)

    assert (
        "Het nummer waarmee je WhatsApp gebruikt, bijvoorbeeld 0470 12 34 56. "
        "Een buitenlands nummer met de landcode: +31 6 12 34 56 78."
    ) in text(response)


def test_staff_find_a_resident_by_a_foreign_number(open_group, zone_staff):
    signup = SignupFactory(group=open_group, phone="+31612345678")
    form = PersonSearchForm(data={"email": "", "phone": "0031 6 12 34 56 78"})

    assert form.is_valid(), form.errors
    found = find_person(PersonQuery(phone=form.cleaned_data["phone"]), by=zone_staff)
    assert [s.pk for s in found.signups] == [signup.pk]


def test_staff_searching_a_number_that_cannot_exist_get_the_same_advice():
    form = PersonSearchForm(data={"email": "", "phone": "06 12 34 56 78"})

    assert not form.is_valid()
    assert form.errors["phone"] == [
        "Vul een geldig gsm-nummer in, bijvoorbeeld 0470 12 34 56. Een "
        "buitenlands nummer begint met de landcode, bijvoorbeeld +31 6 12 34 56 78."
    ]
