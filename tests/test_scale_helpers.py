"""Small parts of the scale-out and benchmark set-up."""

import socket
from http import HTTPStatus

import pytest

from wabp_portal.cache import SharedClientRedisCache
from wabp_portal.views import floor


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def test_the_redis_cache_shares_one_client_per_connection_pool():
    cache = SharedClientRedisCache("redis://127.0.0.1:6379/13", {})

    first = cache._cache.get_client()
    second = cache._cache.get_client(write=True)

    assert first is second
    assert first.connection_pool is cache._cache._get_connection_pool(False)


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_the_redis_cache_stores_and_counts():
    cache = SharedClientRedisCache(
        "redis://127.0.0.1:6379/13", {"KEY_PREFIX": "wabp-test"}
    )
    try:
        cache.set("fragment", "<p>tabel</p>", 30)
        cache.add("count", 0, 30)
        cache.incr("count")

        assert cache.get("fragment") == "<p>tabel</p>"
        assert cache.get("count") == 1
    finally:
        cache.delete_many(["fragment", "count"])


def test_the_floor_view_is_the_least_a_view_can_do(rf):
    response = floor(rf.get("/benchmark/floor/"))

    assert response.status_code == HTTPStatus.OK
    assert response.content == b"ok"


@pytest.mark.django_db
def test_the_floor_view_is_not_served_unless_asked(client):
    assert client.get("/benchmark/floor/").status_code == HTTPStatus.NOT_FOUND
