"""The local Redis that the tests of several app servers and of the cache use."""

import redis


def redis_reachable(url: str) -> bool:
    """Whether a Redis answers at ``url`` within a second."""
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()
