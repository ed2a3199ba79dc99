"""Arbitrary input on the public pages: never a server error, never a bad row.

Hypothesis posts arbitrary text (control characters, very long values, any
script) to every field of the e-loket and to the finder, the suggestions and
the signed links. The pages may refuse it; they may not fail with a 5xx, and
whatever they store must pass the model's own validation.
"""

import itertools
import string
from http import HTTPStatus
from urllib.parse import quote

import hypothesis
import pytest
from django.core import signing
from django.core.cache import cache
from hypothesis import HealthCheck, event, given
from hypothesis import strategies as st

from registrations.constants import SignupStatus
from registrations.models import Signup
from registrations.notifications import CONFIRM_SALT
from tests.factories import SignupFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/aanmelden/"
FUZZ = hypothesis.settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
FEW = hypothesis.settings(FUZZ, max_examples=120)

SIGNUP_FIELDS = [
    "role",
    "group",
    "proposed_group_name",
    "proposed_area",
    "first_name",
    "last_name",
    "street_name",
    "house_number",
    "box",
    "postcode",
    "municipality",
    "phone",
    "email",
    "house_rules",
    "accept_house_rules",
    "accept_privacy",
    "keep_group",
    "switch_group",
    "website",
]

TRICKY = [
    "",
    " ",
    "0",
    "-1",
    "1e3",
    "99999999999999999999999",
    "١٢",  # Arabic-Indic digits: int() reads them
    "３５７０",  # full-width digits
    "12\u00a0A",
    "12\tA",
    "\x00",
    "%00",
    "\u202eevil",
    "' OR 1=1 --",
    '"><script>alert(1)</script>',
    "{{ settings.SECRET_KEY }}",
    "0470 12 34 56",
    "+32 470 12 34 56 ext. 12",
    "tel:+32470123456",
    "011 12 34 56",
    '"a,b"@example.be',
    "griet@exämple.be",
    "participant",
    "coordinator",
    "on",
    "a" * 5000,
    "\n" * 300,
]

arbitrary_text = st.one_of(
    st.text(),
    st.text(
        alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Nd", "No"]),
        max_size=20,
    ),
    st.text(min_size=200, max_size=3000),
    st.sampled_from(TRICKY),
)

_numbers = itertools.count(1)
ID_FIELDS = ("municipality", "group")


@pytest.fixture
def fuzz_ready(settings, open_group, rules):
    """The signup of ``open_group`` with no rate limit in the way."""
    settings.RATE_LIMITS = {"signup": (10**9, 3600), "finder": (10**9, 600)}
    cache.clear()
    return open_group, rules


def valid_form(group, rules) -> dict[str, str]:
    """A valid form with a phone number and address not used before."""
    n = next(_numbers)
    return {
        "role": "participant",
        "group": str(group.pk),
        "municipality": str(group.municipality_id),
        "first_name": "Griet",
        "last_name": "Vanhoudt",
        "street_name": "Motstraat",
        "house_number": "12",
        "box": "",
        "postcode": group.municipality.postcode_list[0],
        "phone": f"+32470{n:06d}",
        "email": f"bewoner{n}@example.be",
        "house_rules": str(rules.pk),
        "accept_house_rules": "on",
        "accept_privacy": "on",
        "proposed_group_name": "",
        "proposed_area": "",
        "website": "",
    }


def assert_stored_signups_are_valid(since_pk: int) -> int:
    """full_clean() every signup stored after ``since_pk``; return the last pk."""
    last = since_pk
    for signup in Signup.objects.filter(pk__gt=since_pk).order_by("pk"):
        signup.full_clean()
        for field in ("first_name", "last_name", "street_name", "proposed_group_name"):
            value = getattr(signup, field)
            assert value == value.strip()
            assert all(c.isprintable() for c in value), (field, value)
        assert all(c.isprintable() or c == "\n" for c in signup.proposed_area)
        last = signup.pk
    return last


def post_signup(client, data: dict[str, str]):
    response = client.post(SIGNUP_URL, data)
    event(f"signup POST answered {response.status_code}")
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    if response.status_code == HTTPStatus.FOUND:
        assert response["Location"] == "/aanmelden/verstuurd/"
    else:
        assert response.status_code == HTTPStatus.OK
    return response


@FUZZ
@given(
    changes=st.dictionaries(
        st.sampled_from(SIGNUP_FIELDS), arbitrary_text, min_size=1, max_size=3
    )
)
def test_signup_survives_arbitrary_text_in_some_fields(client, fuzz_ready, changes):
    group, rules = fuzz_ready
    since = Signup.objects.order_by("pk").values_list("pk", flat=True).last() or 0

    post_signup(client, {**valid_form(group, rules), **changes})

    assert_stored_signups_are_valid(since)


@FEW
@given(form=st.fixed_dictionaries({field: arbitrary_text for field in SIGNUP_FIELDS}))
def test_signup_survives_arbitrary_text_in_every_field(client, fuzz_ready, form):

    post_signup(client, form)

    assert_stored_signups_are_valid(0)


@FEW
@given(
    free_text=st.fixed_dictionaries(
        {
            "first_name": st.text(min_size=1, max_size=100),
            "last_name": st.text(min_size=1, max_size=100),
            "street_name": st.text(min_size=1, max_size=150),
            "box": st.text(alphabet=string.ascii_letters + string.digits + " ./-"),
        }
    )
)
def test_any_accepted_free_text_is_stored_cleanly(client, fuzz_ready, free_text):
    group, rules = fuzz_ready
    since = Signup.objects.order_by("pk").values_list("pk", flat=True).last() or 0

    post_signup(client, {**valid_form(group, rules), **free_text})

    assert_stored_signups_are_valid(since)


query_params = st.dictionaries(
    st.one_of(
        st.sampled_from(["straat", "nummer", "q", "groep", "gemeente", "rol"]),
        st.text(max_size=10),
    ),
    arbitrary_text,
    max_size=4,
)


@FUZZ
@given(params=query_params, raw=st.text(max_size=200))
def test_finder_and_suggestions_survive_arbitrary_queries(
    client, fuzz_ready, params, raw
):
    for url in ("/zoek-je-groep/", "/zoek-je-groep/straten/"):
        response = client.get(url, params)
        assert response.status_code == HTTPStatus.OK
        response = client.get(url + "?" + quote(raw, safe="=&"))
        assert response.status_code == HTTPStatus.OK
    assert len(response.json()["streets"]) <= 10


@FEW
@given(params=query_params)
def test_signup_page_survives_arbitrary_queries(client, fuzz_ready, params):

    response = client.get(SIGNUP_URL, params)

    assert response.status_code == HTTPStatus.OK


@FUZZ
@given(
    token=st.one_of(
        st.text(min_size=1),
        # A real token with something appended, and a signed value that is no pk.
        st.text(min_size=1).map(
            lambda tail: signing.dumps(1, salt=CONFIRM_SALT) + tail
        ),
        st.text().map(lambda value: signing.dumps(value, salt=CONFIRM_SALT)),
    ),
    query=st.text(max_size=100),
)
def test_signed_links_survive_arbitrary_tokens(client, fuzz_ready, token, query):
    group, _ = fuzz_ready
    signup = Signup.objects.filter(status=SignupStatus.UNCONFIRMED).first()
    signup = signup or SignupFactory(
        group=group, status=SignupStatus.UNCONFIRMED, confirmed_at=None
    )
    quoted = quote(token, safe="")
    query = "?" + quote(query, safe="=&")

    for method, url in (
        ("get", f"/aanmelden/bevestigen/{quoted}/"),
        ("get", f"/aanmelden/uitschrijven/{quoted}/"),
        ("post", f"/aanmelden/uitschrijven/{quoted}/"),
    ):
        response = getattr(client, method)(url + query)
        assert response.status_code in {HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND}

    signup.refresh_from_db()
    assert signup.status == SignupStatus.UNCONFIRMED
