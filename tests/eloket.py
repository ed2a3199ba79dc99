"""The e-loket signup form, as a browser posts it: one place for every test."""

from registrations.constants import SignupRole

SIGNUP_URL = "/aanmelden/"
SENT_URL = "/aanmelden/verstuurd/"


def eloket_form(chosen, rules, **overrides) -> dict:
    """A complete, valid form for the group ``chosen`` under house rules ``rules``.

    ``overrides`` replace fields; an override of None leaves the field out.
    """
    data = {
        "role": SignupRole.PARTICIPANT,
        "group": chosen.pk,
        "municipality": chosen.municipality_id,
        "first_name": "Griet",
        "last_name": "Vanhoudt",
        "street_name": "Motstraat",
        "house_number": "12",
        "box": "",
        "postcode": chosen.municipality.postcode_list[0],
        "phone": "0470 55 12 34",
        "email": "griet.vanhoudt@example.be",
        "house_rules": rules.pk,
        "accept_house_rules": "on",
        "accept_privacy": "on",
        "proposed_group_name": "",
        "proposed_area": "",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
