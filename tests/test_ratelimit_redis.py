"""The rate limit's count in Redis: one round trip, shared, and it expires.

Against a real Redis (database 14, keys of a prefix of the test's own, so
nothing else there is touched); skipped when none answers on 127.0.0.1:6379.
"""

import secrets
from http import HTTPStatus

import pytest
import redis
import time_machine
from django.test import RequestFactory, override_settings

from groups import network_cache
from tests.shared_redis import redis_reachable
from wabp_portal import ratelimit
from wabp_portal.cache import SharedClientRedisCache

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def redis_cache():
    if not redis_reachable(REDIS_URL):
        pytest.skip("no Redis answers at 127.0.0.1:6379")
    prefix = f"wabp-tests-{secrets.token_hex(4)}"
    config = {
        "BACKEND": "wabp_portal.cache.SharedClientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": prefix,
    }
    client = redis.Redis.from_url(REDIS_URL)
    # A page served on Redis starts the network cache's watch, which would
    # go on telling this process Redis's version of the table in the next
    # tests, on the in-memory cache: it starts and ends with the test, and
    # what this process kept goes with it.
    network_cache.watch.stop()
    try:
        with override_settings(CACHES={"default": config}):
            yield client, prefix
            network_cache.watch.stop()
    finally:
        network_cache._local.clear()
        network_cache._lookups.clear()
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        client.close()


def test_count_adds_one_in_one_round_trip_and_sets_the_expiry(redis_cache):
    client, prefix = redis_cache
    cache = SharedClientRedisCache(REDIS_URL, {"KEY_PREFIX": prefix})

    counts = [cache.count("window", 60) for _ in range(3)]

    assert counts == [1, 2, 3]
    [key] = client.keys(f"{prefix}:*")
    assert 0 < client.ttl(key) <= 60
    assert cache.get("window") == 3  # read back as Django's cache reads it


def test_the_limit_counts_on_every_server_and_refuses_past_it(redis_cache, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup-form": (2, 600)}
    request = RequestFactory().post("/aanmelden/")

    decisions = [bool(ratelimit.allow(request, "signup-form")) for _ in range(3)]

    assert decisions == [True, True, False]
    assert not ratelimit.peek(request, "signup-form")


def test_count_and_get_reads_the_other_key_in_the_same_round_trip(redis_cache):
    client, prefix = redis_cache
    cache = SharedClientRedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    cache.count("done", 60)
    cache.count("done", 60)

    assert cache.count_and_get("sent", 60, "done") == (1, 2)
    assert cache.count_and_get("sent", 60, "nothing-yet") == (2, None)
    assert 0 < client.ttl(f"{prefix}:1:sent") <= 60


@pytest.fixture(params=["redis", "local memory"])
def either_cache(request):
    """Redis (``redis_cache``), or the tests' own in-memory cache.

    Not by assigning ``settings.CACHES`` inside ``redis_cache``'s override:
    pytest-django's ``settings`` is set up before it (by autouse fixtures)
    and would, at its own teardown, put the Redis cache back for every
    later test of the process.
    """
    if request.param == "redis":
        request.getfixturevalue("redis_cache")


# 100 s into a ten-minute window and into an hour's: they end 500 and 3,500 s
# later.
@time_machine.travel(1_800_000_100, tick=False)
def test_a_sent_form_is_refused_at_either_limit(either_cache, settings):
    """Every form counts towards the form limit; the signup limit is only read
    (a stored signup counts it, afterwards): each refuses on its own."""
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "signup-form": (3, 600),
        "signup": (1, 3600),
    }
    request = RequestFactory().post("/aanmelden/")

    first = ratelimit.allow_sent_form(request, "signup-form", "signup")
    assert first
    ratelimit.allow(request, "signup")  # that form stored a signup
    at_signup_limit = ratelimit.allow_sent_form(request, "signup-form", "signup")
    other = RequestFactory().post("/aanmelden/", REMOTE_ADDR="192.0.2.7")
    forms = [
        bool(ratelimit.allow_sent_form(other, "signup-form", "signup"))
        for _ in range(4)
    ]

    assert not at_signup_limit
    assert at_signup_limit.retry_after == 3500  # the signup window's, an hour
    assert forms == [True, True, True, False]
    # The form limit counted them all, the signup limit none.
    assert not ratelimit.peek(other, "signup-form")
    assert ratelimit.peek(other, "signup")


@pytest.mark.django_db
def test_the_finder_reads_an_answer_it_does_not_keep_with_its_count(
    redis_cache, client, settings, monkeypatch, django_assert_num_queries
):
    """Another worker's answer, from Redis: read in the count's round trip
    (no GET of its own), without a query, and the search still counts."""
    from django.core.cache import caches

    from tests.factories import (
        MunicipalityFactory,
        RegionStreetFactory,
        StreetFactory,
        WhatsAppGroupFactory,
    )

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "finder": (2, 600)}
    alken = MunicipalityFactory(name="Alken", postcodes="3570")
    group = WhatsAppGroupFactory(municipality=alken, name="WABP Motstraat")
    RegionStreetFactory(
        region=group.region, street=StreetFactory(municipality=alken, name="Motstraat")
    )
    search = {"straat": "Motstraat", "nummer": "12", "postcode": ""}
    first = client.post("/zoek-je-groep/", search)
    network_cache._lookups.clear()  # as another worker, which keeps nothing
    read = []
    cache = caches["default"]  # the Redis cache itself, not the proxy to it
    get = cache.get
    monkeypatch.setattr(
        cache, "get", lambda key, *a, **k: (read.append(key), get(key, *a, **k))[1]
    )

    with django_assert_num_queries(0):
        again = client.post("/zoek-je-groep/", search)
    refused = client.post("/zoek-je-groep/", search)

    assert again.status_code == HTTPStatus.OK
    assert "WABP Motstraat" in again.content.decode()
    assert again.content == first.content
    assert not [key for key in read if ":search:" in key]
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
