"""Each process is told when the networks table moves, instead of asking Redis.

With Redis as the shared cache, every app-server process keeps the version of
the networks table it was told (``groups.network_cache.VersionWatch``), so a
cached public page costs no round trip to Redis, and a change made on any
server reaches every process within milliseconds. These tests run against a
real Redis (a database of their own, emptied before and after) and skip when
none answers on 127.0.0.1:6379.
"""

import threading
import time
from collections.abc import Callable, Iterator

import pytest
import redis
from django.core.cache import cache, caches
from django.test import override_settings
from django.urls import reverse

from groups import network_cache
from groups.network_cache import VERSION_KEY, VersionWatch
from tests.factories import WhatsAppGroupFactory
from tests.shared_redis import redis_reachable
from wabp_portal.cache import SharedClientRedisCache

REDIS_URL = "redis://127.0.0.1:6379/12"
REDIS_CACHE = {
    "BACKEND": "wabp_portal.cache.SharedClientRedisCache",
    "LOCATION": REDIS_URL,
    "KEY_PREFIX": "wabp-tests",
}


pytestmark = [
    pytest.mark.django_db,
    # Redis database 12 is emptied before and after each test: two workers of
    # the parallel phase would empty it under each other.
    pytest.mark.serial,
]


@pytest.fixture
def shared_redis() -> Iterator[redis.Redis]:
    """Django's cache in Redis, as in production; the watch starts afresh."""
    if not redis_reachable(REDIS_URL):
        pytest.skip("no Redis answers at 127.0.0.1:6379")
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    network_cache.watch.stop()
    try:
        with override_settings(CACHES={"default": REDIS_CACHE}):
            yield client
            network_cache.watch.stop()
    finally:
        network_cache._local.clear()
        client.flushdb()
        client.close()


def another_server() -> SharedClientRedisCache:
    """The same cache as another app server has it."""
    return SharedClientRedisCache(REDIS_URL, {"KEY_PREFIX": "wabp-tests"})


def within(seconds: float, condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return condition()


def watched_version() -> str:
    assert within(3, lambda: network_cache.watch.version() is not None), (
        "the watch did not subscribe and read the version"
    )
    return network_cache.watch.version()


def test_a_cached_page_asks_redis_nothing_once_the_process_is_told(
    client, shared_redis, monkeypatch
):
    WhatsAppGroupFactory(name="WABP Bewaakt")
    client.get(reverse("groups:home"))
    version = watched_version()
    assert version == cache.get(VERSION_KEY)
    asked = []
    read_version = network_cache._read_version

    def spy() -> str:
        if threading.current_thread() is threading.main_thread():
            asked.append(True)
        return read_version()

    monkeypatch.setattr(network_cache, "_read_version", spy)
    # This thread's cache: nothing of the page may come from Redis either.
    monkeypatch.setattr(
        caches["default"], "get", lambda *args, **kwargs: pytest.fail("asked")
    )

    for _ in range(3):
        response = client.get(reverse("groups:home"))
        assert "WABP Bewaakt" in response.content.decode()
    assert asked == []


def test_a_change_on_another_server_is_pushed_not_waited_for(shared_redis, monkeypatch):
    # Its own beat would read the version again only after 2 seconds.
    monkeypatch.setattr(VersionWatch, "BEAT_SECONDS", 2.0)
    monkeypatch.setattr(VersionWatch, "SILENCE_SECONDS", 60.0)
    before = watched_version()

    elsewhere = another_server()
    elsewhere.set(VERSION_KEY, "moved-elsewhere", timeout=None)
    elsewhere.publish(VERSION_KEY)

    assert within(0.5, lambda: network_cache.watch.version() == "moved-elsewhere"), (
        f"still {network_cache.watch.version()!r} (was {before!r})"
    )


def test_right_after_its_own_change_a_process_asks_redis(shared_redis, monkeypatch):
    monkeypatch.setattr(VersionWatch, "BEAT_SECONDS", 2.0)
    before = watched_version()

    network_cache.invalidate()

    # Whatever its thread is doing, the next page of this process asks.
    assert network_cache.watch.version() in (None, cache.get(VERSION_KEY))
    assert network_cache._current_version() == cache.get(VERSION_KEY) != before
    assert within(0.5, lambda: network_cache.watch.version() == cache.get(VERSION_KEY))


def test_pages_ask_redis_while_the_subscription_is_broken(shared_redis):
    watched_version()

    shared_redis.client_kill_filter(_type="pubsub")

    assert within(2, lambda: network_cache.watch.version() is None)
    assert network_cache._current_version() == cache.get(VERSION_KEY)
    # It subscribes again by itself.
    assert within(5, lambda: network_cache.watch.version() == cache.get(VERSION_KEY))


def test_a_cache_emptied_without_a_word_is_noticed_at_the_next_beat(
    shared_redis, monkeypatch
):
    monkeypatch.setattr(VersionWatch, "BEAT_SECONDS", 0.2)
    before = watched_version()

    shared_redis.flushdb()

    assert within(2, lambda: network_cache.watch.version() not in (None, before)), (
        "a version that is no longer in Redis was kept"
    )
    assert network_cache.watch.version() == cache.get(VERSION_KEY)


def test_a_silent_redis_is_not_trusted(shared_redis, monkeypatch):
    monkeypatch.setattr(VersionWatch, "BEAT_SECONDS", 0.1)
    monkeypatch.setattr(VersionWatch, "SILENCE_SECONDS", 0.5)
    watched_version()

    # Redis answers no one for a moment: no pong, no news.
    shared_redis.client_pause(1500)

    assert within(1.2, lambda: network_cache.watch.version() is None)
    assert within(3, lambda: network_cache.watch.version() is not None)


def test_without_publish_subscribe_every_page_asks_the_cache():
    # The tests' own cache (in memory) cannot tell anyone anything.
    network_cache.watch.stop()

    assert network_cache.watch.version() is None
    assert not any(
        thread.name == "network-cache-watch" for thread in threading.enumerate()
    )
    assert network_cache._current_version() == cache.get(VERSION_KEY)
