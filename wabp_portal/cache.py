"""Django's Redis cache, with one Redis client per connection pool.

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
