"""The rate limit's count in Redis: one round trip, shared, and it expires.

Against a real Redis (database 14, keys of a prefix of the test's own, so
nothing else there is touched); skipped when none answers on 127.0.0.1:6379.
"""

import secrets

import pytest
import redis
from django.test import RequestFactory, override_settings

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
    try:
        with override_settings(CACHES={"default": config}):
            yield client, prefix
    finally:
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
