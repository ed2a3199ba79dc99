"""Django's Redis cache, with one Redis client per connection pool.

It also offers Redis's publish/subscribe, so that a process can be told when
a key changes instead of asking for it on every request
(``groups.network_cache``).

Django's own client builds a new ``redis.Redis`` object, with its table of
reply handlers, for every cache call: about a third of a millisecond each,
several times per request (the session, the rate limit, the public table). A
``redis.Redis`` object is safe to share between threads (it takes a
connection from its pool for each command), so one per pool is enough.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    def count(self, key: str, timeout: int) -> int:
        """Add one to the counter ``key`` and return it, in one round trip.

        The key expires ``timeout`` seconds after its last count (a rate
        limit's key names its window, so it is never read after that).
        Django's ``add`` and ``incr`` take three round trips (``incr`` asks
        first whether the key exists); a rate limit counts every form sent.
        """
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        pipeline = client.pipeline(transaction=False)
        pipeline.incr(key)
        pipeline.expire(key, timeout)
        count, _expiry_set = pipeline.execute()
        return count

    def count_and_get(self, key: str, timeout: int, other: str) -> tuple[int, object]:
        """``count(key, timeout)`` and ``get(other)``, in the same round trip."""
        key = self.make_and_validate_key(key)
        other = self.make_and_validate_key(other)
        client = self._cache.get_client(key, write=True)
        pipeline = client.pipeline(transaction=False)
        pipeline.incr(key)
        pipeline.expire(key, timeout)
        pipeline.get(other)
        count, _expiry_set, value = pipeline.execute()
        return count, None if value is None else self._cache._serializer.loads(value)

    def publish(self, channel: str) -> None:
        """Tell every subscriber of ``channel`` (a cache key) that it changed."""
        client = self._cache.get_client(write=True)
        client.publish(self.make_and_validate_key(channel), b"")

    def subscribe(self, channel: str):
        """A subscription to ``channel`` on a connection of its own (a PubSub).

        The caller reads it with ``get_message()`` and closes it.
        """
        pubsub = self._cache.get_client(write=False).pubsub()
        pubsub.subscribe(self.make_and_validate_key(channel))
        return pubsub
