"""Arbitrary input on the public pages: never a server error, never a bad row.

Hypothesis posts arbitrary text (control characters, NUL bytes, very long
values, any script, malformed phone numbers and e-mail addresses) to every
field of the e-loket and to the finder, the suggestions and the signed links
(confirmation and withdrawal), and to the forms of a resident's own page
(a new mobile number, a new e-mail address). The pages may refuse it; they
may not fail with a 5xx, and whatever they store must pass the model's own
validation.

Each test is decorated with ``fuzz(target, examples)``: it runs that many
generated inputs and fails if fewer reached the test's body, so the budget
below (at least 1,000 inputs per run over the signup form, the finder, the
withdrawal link and the own page) is checked by each test itself, in any
order or selection. Runs are derandomized: CI sees the same inputs every time.
"""

import functools
import itertools
import string
from collections import Counter
from http import HTTPStatus
from urllib.parse import quote

import hypothesis
import phonenumbers
import pytest
from django.core import signing
from django.core.cache import cache
from django.utils import timezone
from hypothesis import HealthCheck, event, given
from hypothesis import strategies as st

from registrations.constants import (
    DECIDED_STATUSES,
    ENDED_STATUSES,
    TRANSITIONS,
    SignupStatus,
)
from registrations.forms import MOBILE_TYPES
from registrations.models import Signup
from registrations.notifications import CONFIRM_SALT, WITHDRAW_SALT, my_signup_link
from registrations.services import ERASED_FIELDS
from tests.eloket import eloket_form
from tests.factories import SignupFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/aanmelden/"
FUZZ = hypothesis.settings(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# What each fuzzing test promises to run: {test name: (target, examples)}.
BUDGET: dict[str, tuple[str, int]] = {}
TARGETS = ("signup", "finder", "withdrawal", "own-details")
MINIMUM_INPUTS = 1000
# Inputs that reached a test's body in this run, per target.
EXAMPLES: Counter[str] = Counter()


def fuzz(target: str, examples: int):
    """Run a ``@given`` test on ``examples`` inputs and check that they all ran.

    The check counts the calls of the test's body (Hypothesis' ``inner_test``),
    so it holds whatever other tests ran before, and in whichever order.
    """
    if target not in TARGETS:
        raise ValueError(f"unknown fuzzing target {target!r}")

    def decorate(test):
        test = hypothesis.settings(FUZZ, max_examples=examples)(test)
        body = test.hypothesis.inner_test
        calls = []

        @functools.wraps(body)
        def counted(*args, **kwargs):
            calls.append(None)
            EXAMPLES[target] += 1
            return body(*args, **kwargs)

        test.hypothesis.inner_test = counted

        @functools.wraps(test)
        def run(*args, **kwargs):
            calls.clear()
            test(*args, **kwargs)
            assert len(calls) >= examples, (
                f"{test.__name__} ran {len(calls)} of {examples} inputs"
            )

        BUDGET[test.__name__] = (target, examples)
        return run

    return decorate


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

with_nul = st.text(max_size=50).map(
    lambda t: t[: len(t) // 2] + "\x00" + t[len(t) // 2 :]
)

malformed_phone = st.one_of(
    st.builds(
        lambda prefix, groups, separator: prefix + separator.join(groups),
        st.sampled_from(
            ["", "0", "00", "+", "++32", "+32", "0032", "+32 (0)", "+320", "32", "+31"]
        ),
        st.lists(st.text(alphabet="0123456789", min_size=1, max_size=4), max_size=6),
        st.sampled_from(["", " ", ".", "/", "-", "\u00a0", "\t", "\x00", "\n"]),
    ),
    st.text(alphabet="0123456789+ ()-#*xX.\x00\u0660\uff10\u202e", max_size=40),
    st.from_regex(r"\A\+?[0-9]{1,30}\Z"),
    with_nul,
)

malformed_email = st.one_of(
    st.emails(),
    st.builds(
        lambda local, at, domain: local + at + domain,
        st.text(max_size=70),
        st.sampled_from(["@", "", "@@", " @", "@\x00", "\uff20", "@."]),
        st.one_of(st.text(max_size=70), st.sampled_from(["example.be", "exämple.be"])),
    ),
    st.builds(
        lambda local: local + "@example.be",
        st.text(alphabet=string.printable + "\x00é€", min_size=1, max_size=300),
    ),
    with_nul,
)

_numbers = itertools.count(1)
ID_FIELDS = ("municipality", "group")


@pytest.fixture
def fuzz_ready(settings, open_group, rules):
    """The signup of ``open_group`` with no rate limit in the way."""
    settings.RATE_LIMITS = {
        scope: (10**9, period) for scope, (_, period) in settings.RATE_LIMITS.items()
    }
    cache.clear()
    return open_group, rules


def valid_form(group, rules) -> dict[str, str]:
    """A valid form with a phone number and address not used before."""
    n = next(_numbers)
    form = eloket_form(
        group, rules, phone=f"+32470{n:06d}", email=f"bewoner{n}@example.be"
    )
    return {field: str(value) for field, value in form.items()}


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
        if signup.phone:
            assert phonenumbers.number_type(signup.phone) in MOBILE_TYPES
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


@fuzz("signup", examples=200)
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


@fuzz("signup", examples=60)
@given(form=st.fixed_dictionaries({field: arbitrary_text for field in SIGNUP_FIELDS}))
def test_signup_survives_arbitrary_text_in_every_field(client, fuzz_ready, form):

    post_signup(client, form)

    assert_stored_signups_are_valid(0)


@fuzz("signup", examples=100)
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


@fuzz("signup", examples=150)
@given(
    phone=malformed_phone,
    email=malformed_email,
    name=st.one_of(with_nul, st.text(min_size=1, max_size=300), st.just("Griet")),
)
def test_signup_refuses_malformed_numbers_addresses_and_nul_bytes_cleanly(
    client, fuzz_ready, phone, email, name
):
    group, rules = fuzz_ready
    since = Signup.objects.order_by("pk").values_list("pk", flat=True).last() or 0

    response = post_signup(
        client,
        {**valid_form(group, rules), "phone": phone, "email": email, "last_name": name},
    )

    assert_stored_signups_are_valid(since)
    if "\x00" in phone + email + name:
        assert response.status_code == HTTPStatus.OK
        assert Signup.objects.filter(pk__gt=since).count() == 0


query_params = st.dictionaries(
    st.one_of(
        st.sampled_from(["straat", "nummer", "q", "groep", "gemeente", "rol"]),
        st.text(max_size=10),
    ),
    arbitrary_text,
    max_size=4,
)


@fuzz("finder", examples=250)
@given(params=query_params, raw=st.text(max_size=200))
def test_finder_and_suggestions_survive_arbitrary_queries(
    client, fuzz_ready, params, raw
):
    # The finder searches on a POST; the signup form it leads to, too.
    for url in ("/zoek-je-groep/", "/aanmelden/vanuit-zoeker/"):
        response = client.post(url, params)
        assert response.status_code == HTTPStatus.OK
        response = client.post(
            url, quote(raw, safe="=&"), "application/x-www-form-urlencoded"
        )
        assert response.status_code == HTTPStatus.OK
    for url in ("/zoek-je-groep/", "/zoek-je-groep/straten/"):
        response = client.get(url, params)
        assert response.status_code == HTTPStatus.OK
        response = client.get(url + "?" + quote(raw, safe="=&"))
        assert response.status_code == HTTPStatus.OK
    assert len(response.json()["streets"]) <= 10


@fuzz("signup", examples=60)
@given(params=query_params)
def test_signup_page_survives_arbitrary_queries(client, fuzz_ready, params):

    response = client.get(SIGNUP_URL, params)

    assert response.status_code == HTTPStatus.OK


@fuzz("withdrawal", examples=150)
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
        ("post", f"/aanmelden/bevestigen/{quoted}/"),
        ("get", f"/aanmelden/uitschrijven/{quoted}/"),
        ("post", f"/aanmelden/uitschrijven/{quoted}/"),
    ):
        response = getattr(client, method)(url + query)
        assert response.status_code in {HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND}

    signup.refresh_from_db()
    assert signup.status == SignupStatus.UNCONFIRMED


def signup_in(group, status: str) -> Signup:
    """A signup of ``group`` in ``status``, with what that status requires."""
    now = timezone.now()
    return SignupFactory(
        group=group,
        status=status,
        confirmed_at=None if status == SignupStatus.UNCONFIRMED else now,
        decided_at=now if status in DECIDED_STATUSES else None,
        ended_at=now if status in ENDED_STATUSES else None,
    )


@fuzz("withdrawal", examples=150)
@given(
    status=st.sampled_from(
        [each for each in SignupStatus.values if each != SignupStatus.WITHDRAWN]
    ),
    tail=st.one_of(st.just(""), st.just(""), arbitrary_text),
    method=st.sampled_from(["get", "post", "post twice"]),
    body=st.dictionaries(st.text(max_size=10), arbitrary_text, max_size=3),
    query=st.text(max_size=100),
)
def test_withdrawal_link_withdraws_once_and_only_with_its_own_token(
    client, fuzz_ready, status, tail, method, body, query
):
    group, _ = fuzz_ready
    signup = signup_in(group, status)
    token = signing.dumps(signup.pk, salt=WITHDRAW_SALT)
    url = f"/aanmelden/uitschrijven/{quote(token + tail, safe='')}/"
    url += "?" + quote(query, safe="=&")

    if method == "get":
        responses = [client.get(url)]
    else:
        responses = [client.post(url, body) for _ in range(method.count(" ") + 1)]

    signup.refresh_from_db()
    for response in responses:
        event(f"withdrawal {method} answered {response.status_code}")
        assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    if tail or method == "get":
        # A tampered token changes nothing; nor does following the link.
        assert signup.status == status
        if tail:
            assert responses[0].status_code in {
                HTTPStatus.BAD_REQUEST,
                HTTPStatus.NOT_FOUND,
            }
    else:
        assert all(r.status_code == HTTPStatus.FOUND for r in responses)
        assert signup.status == SignupStatus.WITHDRAWN
        assert SignupStatus.WITHDRAWN in TRANSITIONS[status]
        for field, erased in ERASED_FIELDS.items():
            assert getattr(signup, field) in (erased, None), field
    signup.full_clean()


@fuzz("own-details", examples=150)
@given(
    phone=st.one_of(malformed_phone, arbitrary_text),
    email=st.one_of(malformed_email, arbitrary_text),
    tail=st.one_of(st.just(""), st.just(""), arbitrary_text),
)
def test_own_page_survives_arbitrary_details_and_tokens(
    client, fuzz_ready, phone, email, tail
):
    group, _ = fuzz_ready
    signup = signup_in(group, SignupStatus.APPROVED)
    before = (signup.email, signup.phone)
    token = my_signup_link(signup).rstrip("/").rsplit("/", 1)[-1]
    page = f"/mijn-inschrijving/{quote(token + tail, safe='')}/"

    for url, data in (
        (page + "gsm/", {"phone": phone}),
        (page + "e-mailadres/", {"email": email}),
    ):
        response = client.post(url, data)
        event(f"own details POST answered {response.status_code}")
        assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
        if tail:
            assert response.status_code in {
                HTTPStatus.BAD_REQUEST,
                HTTPStatus.NOT_FOUND,
            }
    assert client.get(page).status_code < HTTPStatus.INTERNAL_SERVER_ERROR

    signup.refresh_from_db()
    signup.full_clean()
    # The address changes only through the link mailed to the new one.
    assert signup.email == before[0]
    if signup.phone != before[1]:
        assert not tail
        assert phonenumbers.number_type(signup.phone) in MOBILE_TYPES


def test_fuzzing_budget_is_at_least_a_thousand_inputs_over_the_targets():
    """Each test checks that it ran its share; together they make the total."""
    per_target = Counter()
    for target, examples in BUDGET.values():
        per_target[target] += examples

    assert set(per_target) == set(TARGETS)
    assert sum(per_target.values()) >= MINIMUM_INPUTS


def test_fuzz_fails_a_test_that_ran_fewer_inputs_than_promised():
    @fuzz("finder", examples=10)
    @given(flag=st.booleans())
    def only_two_inputs_exist(flag):
        pass

    BUDGET.pop("only_two_inputs_exist")

    with pytest.raises(AssertionError, match="ran 2 of 10 inputs"):
        only_two_inputs_exist()
