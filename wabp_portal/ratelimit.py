"""A fixed-window rate limit per client address, kept in Django's cache.

With a shared cache (Redis, see REDIS_URL) the count holds across every app
server. The client is told by its address as wabp_portal.client_address
finds it (only trusted proxies' X-Forwarded-For is read), the same address the
login lockout counts by. The address is hashed: no IP address is stored in the
cache.
"""

import hashlib
import math
import time
from dataclasses import dataclass
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wabp_portal.client_address import client_address


@dataclass(frozen=True)
class Decision:
    """Whether a request is within its limit, and when the window ends."""

    allowed: bool
    # Seconds until the window ends and the count starts again.
    retry_after: int

    def __bool__(self) -> bool:
        return self.allowed


def _client(request: HttpRequest) -> str:
    """The client's address, hashed: worked out once per request."""
    client = getattr(request, "_ratelimit_client", None)
    if client is None:
        client = request._ratelimit_client = hashlib.sha256(
            (settings.SECRET_KEY + client_address(request)).encode()
        ).hexdigest()[:24]
    return client


def _window(request: HttpRequest, scope: str) -> tuple[str, int, int, int]:
    """The cache key of this client's window in ``scope``, its limit and period."""
    limit, period = settings.RATE_LIMITS[scope]
    now = time.time()
    window = int(now // period)
    client = _client(request)
    retry_after = max(1, math.ceil((window + 1) * period - now))
    return f"ratelimit:{scope}:{client}:{window}", limit, period, retry_after


def allow(request: HttpRequest, scope: str) -> Decision:
    """Count one request of this client in ``scope``; refused once over the limit."""
    key, limit, period, retry_after = _window(request, scope)
    if hasattr(cache, "count"):  # Redis (wabp_portal.cache): one round trip
        count = cache.count(key, period)
    else:
        cache.add(key, 0, timeout=period)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=period)
            count = 1
    return Decision(allowed=count <= limit, retry_after=retry_after)


def allow_reading(
    request: HttpRequest, scope: str, key: str
) -> tuple[Decision, object]:
    """``allow(request, scope)``, and the value the cache keeps under ``key``.

    On Redis, read in the same round trip as the count (``key`` as made by
    ``network_cache``: a full cache key, without the cache's prefix); else
    the count alone, and None for the value.
    """
    window, limit, period, retry_after = _window(request, scope)
    if not hasattr(cache, "count_and_get"):
        return allow(request, scope), None
    count, value = cache.count_and_get(window, period, key)
    return Decision(allowed=count <= limit, retry_after=retry_after), value


def peek(request: HttpRequest, scope: str) -> Decision:
    """Whether this client is still within ``scope``'s limit, counting nothing.

    For limits that count only what succeeded (a stored signup): asked
    before the work, counted with ``allow`` after it.
    """
    key, limit, _period, retry_after = _window(request, scope)
    return Decision(allowed=(cache.get(key) or 0) < limit, retry_after=retry_after)


def allow_sent_form(request: HttpRequest, form: str, sent: str) -> Decision:
    """A form sent: counted in ``form``, and checked against ``sent`` too.

    ``form`` counts every form sent (a generous limit that stops a script);
    ``sent`` only what was done (a signup stored, a mail sent), counted with
    ``allow`` afterwards: here it is only read (``peek``). Refused when
    either is reached. On Redis, one round trip for both.
    """
    key, limit, period, retry_after = _window(request, form)
    sent_key, sent_limit, _period, sent_retry_after = _window(request, sent)
    if not hasattr(cache, "count_and_get"):
        return allow(request, form) and peek(request, sent)
    count, done = cache.count_and_get(key, period, sent_key)
    if count > limit:
        return Decision(allowed=False, retry_after=retry_after)
    return Decision(
        allowed=(done or 0) < sent_limit,
        retry_after=sent_retry_after,
    )


def too_many_requests(request: HttpRequest, decision: Decision) -> HttpResponse:
    """The page shown over the limit: what happened and how long to wait."""
    response = render(
        request,
        "too_many_requests.html",
        {"minutes": math.ceil(decision.retry_after / 60)},
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )
    response["Retry-After"] = str(decision.retry_after)
    return response
