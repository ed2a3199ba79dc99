"""Who is asking: addresses come only from trusted proxies, and the lockout's scopes.

The login lockout and the rate limits count by client address. A client that
reaches the app directly must not choose its address with X-Forwarded-For,
and a guess spread over many user names, or over many addresses, is stopped
as well as one repeated from one place.
"""

import logging
import re
from http import HTTPStatus

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import UserFactory
from tests.test_login_security import PRODUCTION, run_settings
from wabp_portal import ratelimit
from wabp_portal.client_address import client_address

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.2"  # the load balancer, as the app servers see it
ATTACKER = "198.51.100.66"
RESIDENT = "203.0.113.7"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/24"]
    return settings


def addressed(remote: str, forwarded: str | None = None) -> str:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


def attempt(client, username: str, password: str = "wrong password!", **meta):
    """One login attempt; ``meta`` as the app server receives it."""
    meta.setdefault("REMOTE_ADDR", RESIDENT)
    return client.post(
        reverse("admin:login"), {"username": username, "password": password}, **meta
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# The address ----------------------------------------------------------------


def test_a_direct_request_is_its_own_address_whatever_it_forwards(behind_proxy):
    assert addressed(ATTACKER, "203.0.113.1") == ATTACKER
    assert addressed(ATTACKER, f"{PROXY}, 127.0.0.1") == ATTACKER


def test_a_trusted_proxy_tells_the_client(behind_proxy):
    assert addressed(PROXY, RESIDENT) == RESIDENT
    assert addressed("127.0.0.1", RESIDENT) == RESIDENT


def test_hops_left_of_the_client_are_the_clients_own_and_ignored(behind_proxy):
    # The client sent "X-Forwarded-For: 192.0.2.1, 10.0.0.9"; two trusted
    # proxies appended what they saw.
    forwarded = f"192.0.2.1, 10.0.0.9, {RESIDENT}, 10.0.0.3"

    assert addressed(PROXY, forwarded) == RESIDENT


def test_without_a_header_a_trusted_proxy_is_the_client(behind_proxy):
    assert addressed(PROXY) == PROXY
    assert addressed(PROXY, "10.0.0.3") == "10.0.0.3"


@pytest.mark.parametrize(
    "forwarded", ["garbage", "unknown", "1.2.3.4" * 50, f"{RESIDENT}, ", "", " , "]
)
def test_an_unreadable_hop_ends_at_the_last_proxy(behind_proxy, forwarded):
    assert addressed(PROXY, forwarded) == PROXY


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        (f"{RESIDENT}:51234", RESIDENT),
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("2001:DB8:0:0::7", "2001:db8::7"),
        (f"::ffff:{RESIDENT}", RESIDENT),
    ],
)
def test_hops_are_read_in_every_form_a_proxy_writes(behind_proxy, forwarded, expected):
    assert addressed(PROXY, forwarded) == expected


def test_an_ipv4_client_on_a_dual_stack_socket_is_its_ipv4_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    assert addressed(f"::ffff:{ATTACKER}", RESIDENT) == ATTACKER
    assert addressed("::ffff:127.0.0.1", RESIDENT) == RESIDENT


def test_a_unix_socket_peer_is_trusted_only_when_listed(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert addressed("", RESIDENT) == ""

    settings.TRUSTED_PROXIES = ["127.0.0.1", "unix"]
    assert addressed("", RESIDENT) == RESIDENT


def test_development_trusts_no_proxy(settings):
    assert settings.TRUSTED_PROXIES == []
    assert addressed("127.0.0.1", RESIDENT) == "127.0.0.1"


def test_production_trusts_a_proxy_on_the_same_host_only():
    code = "from django.conf import settings as s; print(','.join(s.TRUSTED_PROXIES))"

    assert run_settings(code, **PRODUCTION) == "127.0.0.1,::1,unix"
    assert (
        run_settings(code, **PRODUCTION, TRUSTED_PROXIES="10.0.0.0/24, 10.0.1.5")
        == "10.0.0.0/24,10.0.1.5"
    )


def test_a_mistyped_proxy_is_refused(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.300"]

    with pytest.raises(ImproperlyConfigured, match="10.0.0.300"):
        addressed(PROXY, RESIDENT)


# Rate limits count by the same address -----------------------------------


def test_rate_limits_ignore_a_forwarded_address_from_an_untrusted_client(
    behind_proxy,
):
    # A scope of this test's own: no count of another test's can reach it.
    behind_proxy.RATE_LIMITS = {"untrusted": (3, 3600)}
    factory = RequestFactory()

    answers = [
        ratelimit.allow(
            factory.post(
                "/", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
            ),
            "untrusted",
        ).allowed
        for n in range(4)
    ]

    assert answers == [True, True, True, False]


def test_rate_limits_count_clients_behind_a_trusted_proxy_apart(behind_proxy):
    # A scope of this test's own: the previous test counts the same attacker.
    behind_proxy.RATE_LIMITS = {"apart": (1, 3600)}
    factory = RequestFactory()

    def allowed(forwarded: str) -> bool:
        request = factory.post("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
        return ratelimit.allow(request, "apart").allowed

    assert allowed(RESIDENT)
    assert allowed(ATTACKER)
    assert not allowed(f"192.0.2.1, {RESIDENT}")  # a spoofed hop changes nothing


# Lockout: a forwarded address from an untrusted client --------------------


def test_a_rotating_forwarded_address_from_an_untrusted_client_still_locks(
    client, behind_proxy, zone_staff
):
    for n in range(5):
        attempt(
            client,
            zone_staff.username,
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )

    response = attempt(
        client,
        zone_staff.username,
        PASSWORD,
        REMOTE_ADDR=ATTACKER,
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert not logged_in(client)


def test_a_locked_login_stays_locked_with_a_fresh_forwarded_address(
    client, behind_proxy, zone_staff
):
    for _ in range(5):
        attempt(client, zone_staff.username, REMOTE_ADDR=ATTACKER)

    for forwarded in (RESIDENT, "127.0.0.1", f"{RESIDENT}, {PROXY}"):
        response = attempt(
            client,
            zone_staff.username,
            PASSWORD,
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=forwarded,
        )
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS, forwarded
        assert not logged_in(client)


def test_a_trusted_proxys_forwarded_address_is_honoured(
    client, behind_proxy, zone_staff
):
    for _ in range(5):
        attempt(
            client,
            zone_staff.username,
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=ATTACKER,
        )

    # The proxy's other clients are other addresses: not locked.
    attempt(
        client,
        zone_staff.username,
        PASSWORD,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=RESIDENT,
    )
    assert logged_in(client)
    client.logout()

    locked = attempt(
        client,
        zone_staff.username,
        PASSWORD,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=ATTACKER,
    )
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert not logged_in(client)


def test_spoofed_hops_behind_a_trusted_proxy_do_not_escape_the_lock(
    client, behind_proxy, zone_staff
):
    for n in range(5):
        attempt(
            client,
            zone_staff.username,
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ATTACKER}",
        )

    response = attempt(
        client,
        zone_staff.username,
        PASSWORD,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{RESIDENT}, {ATTACKER}",
    )

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert not logged_in(client)


# Lockout: per address for all user names, per user name from all addresses


def spray(client, count: int, *, address: str = ATTACKER) -> None:
    """One guess at each of ``count`` user names, known or not, from one address."""
    for n in range(count):
        attempt(client, f"guess-{n}@example.be", REMOTE_ADDR=address)


def test_nineteen_user_names_tried_from_one_address_do_not_lock_it(client, zone_staff):
    spray(client, 19)

    attempt(client, zone_staff.username, PASSWORD, REMOTE_ADDR=ATTACKER)

    assert logged_in(client)


def test_trying_twenty_user_names_from_one_address_locks_that_address(
    client, zone_staff, caplog
):
    caplog.set_level(logging.WARNING)
    spray(client, 20)

    locked = attempt(client, zone_staff.username, PASSWORD, REMOTE_ADDR=ATTACKER)
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert not logged_in(client)

    # Other addresses log in as before.
    attempt(client, zone_staff.username, PASSWORD, REMOTE_ADDR=RESIDENT)
    assert logged_in(client)

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "20 failures per address for all user names" in logged
    assert ATTACKER not in logged
    assert "guess-" not in logged
    assert zone_staff.username not in logged


def test_a_login_of_ones_own_does_not_clear_a_spray(client, zone_staff):
    insider = UserFactory(is_staff=True)
    insider.set_password(PASSWORD)
    insider.save()
    spray(client, 19)

    attempt(client, insider.username, PASSWORD, REMOTE_ADDR=ATTACKER)
    assert logged_in(client)
    client.logout()
    attempt(client, "one-more@example.be", REMOTE_ADDR=ATTACKER)

    locked = attempt(client, zone_staff.username, PASSWORD, REMOTE_ADDR=ATTACKER)
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS


def guess_from_many_addresses(client, username: str, count: int) -> None:
    """One guess at ``username`` from each of ``count`` addresses."""
    for n in range(count):
        attempt(client, username, REMOTE_ADDR=f"192.0.2.{n + 1}")


def test_nineteen_addresses_guessing_one_user_name_do_not_lock_it(client, zone_staff):
    guess_from_many_addresses(client, zone_staff.username, 19)

    attempt(client, zone_staff.username, PASSWORD, REMOTE_ADDR=RESIDENT)

    assert logged_in(client)


def test_twenty_addresses_guessing_one_user_name_lock_that_user_name(
    client, network, caplog
):
    caplog.set_level(logging.WARNING)
    target = network.users["staff_a"]
    guess_from_many_addresses(client, target.username, 20)

    locked = attempt(client, target.username, PASSWORD, REMOTE_ADDR=RESIDENT)
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert not logged_in(client)

    # Other logins, from those very addresses too, go on as before.
    other = network.users["coordinator_a1"]
    attempt(client, other.username, PASSWORD, REMOTE_ADDR="192.0.2.1")
    assert logged_in(client)

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "20 failures per user name from all addresses" in logged
    assert target.username not in logged
    assert "192.0.2." not in logged


def test_the_users_own_login_does_not_clear_a_guess_spread_over_addresses(
    client, zone_staff
):
    guess_from_many_addresses(client, zone_staff.username, 19)
    attempt(client, zone_staff.username, PASSWORD, REMOTE_ADDR=RESIDENT)
    assert logged_in(client)
    client.logout()

    attempt(client, zone_staff.username, REMOTE_ADDR="192.0.2.100")

    locked = attempt(client, zone_staff.username, PASSWORD, REMOTE_ADDR=RESIDENT)
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS


# The locked-out page tells nothing about the user name ---------------------

CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def page(response) -> tuple[int, bytes]:
    return response.status_code, CSRF_TOKEN.sub(b"", response.content)


def test_a_lock_looks_the_same_for_a_known_and_an_unknown_user_name(client, zone_staff):
    unknown = "nobody-by-this-name@example.be"
    answers = {}
    for username, address in (
        (zone_staff.username, "192.0.2.1"),
        (unknown, "192.0.2.2"),
    ):
        for _ in range(5):
            attempt(client, username, REMOTE_ADDR=address)
        answers[username] = page(attempt(client, username, REMOTE_ADDR=address))

    assert answers[unknown][0] == HTTPStatus.TOO_MANY_REQUESTS
    assert answers[zone_staff.username] == answers[unknown]


def test_a_user_name_lock_looks_the_same_for_a_known_and_an_unknown_one(
    client, zone_staff
):
    unknown = "nobody-by-this-name@example.be"
    for username in (zone_staff.username, unknown):
        guess_from_many_addresses(client, username, 20)

    known_page = page(attempt(client, zone_staff.username, REMOTE_ADDR=RESIDENT))
    unknown_page = page(attempt(client, unknown, REMOTE_ADDR=RESIDENT))

    assert unknown_page[0] == HTTPStatus.TOO_MANY_REQUESTS
    assert known_page == unknown_page


def test_an_address_lock_looks_the_same_as_any_other_lock(client, zone_staff):
    for _ in range(5):
        attempt(client, zone_staff.username, REMOTE_ADDR=RESIDENT)
    pair_lock = page(attempt(client, zone_staff.username, REMOTE_ADDR=RESIDENT))
    spray(client, 20)

    known_page = page(attempt(client, zone_staff.username, REMOTE_ADDR=ATTACKER))
    unknown_page = page(attempt(client, "nobody@example.be", REMOTE_ADDR=ATTACKER))

    assert known_page[0] == HTTPStatus.TOO_MANY_REQUESTS
    assert known_page == unknown_page == pair_lock
    text = known_page[1].decode()
    assert "30 minuten geblokkeerd" in text
    assert "gebruikersnaam of vanaf jouw verbinding" in text
