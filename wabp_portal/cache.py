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


# Counts one in KEYS[1], which then expires ARGV[1] seconds later, and reads
# KEYS[2] if given: {count} or {count, value} (nil when there is none).
COUNT = """
local count = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
if KEYS[2] then
  return {count, redis.call('GET', KEYS[2])}
end
return {count}
"""


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
        # The count's script, registered once per client (``count_and_get``).
        self._scripts: dict[int, object] = {}

    def count(self, key: str, timeout: int) -> int:
        """Add one to the counter ``key`` and return it, in one round trip.

        The key expires ``timeout`` seconds after its last count (a rate
        limit's key names its window, so it is never read after that).
        Django's ``add`` and ``incr`` take three round trips (``incr`` asks
        first whether the key exists); a rate limit counts every form sent.
        """
        count, _value = self.count_and_get(key, timeout, None)
        return count

    def count_and_get(
        self, key: str, timeout: int, other: str | None
    ) -> tuple[int, object]:
        """``count(key, timeout)`` and ``get(other)`` (None without ``other``).

        One command (a script Redis runs at once: the count and its expiry
        are never apart), for the cost of a plain ``get``: a pipeline of the
        three commands costs half as much again in this process.
        """
        keys = [self.make_and_validate_key(key)]
        if other is not None:
            keys.append(self.make_and_validate_key(other))
        client = self._cache.get_client(keys[0], write=True)
        script = self._scripts.get(id(client))
        if script is None:
            script = self._scripts[id(client)] = client.register_script(COUNT)
        count, *value = script(keys=keys, args=[timeout])
        if not value or value[0] is None:
            return count, None
        return count, self._cache._serializer.loads(value[0])

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
