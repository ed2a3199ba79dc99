"""A fixed-window rate limit per client address, kept in Django's cache.

With a shared cache (Redis, see REDIS_URL) the count holds across every app
server. The client is told by its address as wabp_portal.client_address
finds it (only trusted proxies' X-Forwarded-For is read), the same address the
login lockout counts by. The address is hashed: no IP address is stored in the
cache.
"""

import hashlib
import time
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wabp_portal.client_address import client_address


def allow(request: HttpRequest, scope: str) -> bool:
    """Count one request of this client in ``scope``; False once over the limit."""
    limit, period = settings.RATE_LIMITS[scope]
    window = int(time.time() // period)
    client = hashlib.sha256(
        (settings.SECRET_KEY + client_address(request)).encode()
    ).hexdigest()[:24]
    key = f"ratelimit:{scope}:{client}:{window}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=period)
        count = 1
    return count <= limit


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """The page shown over the limit: what happened and when to try again."""
    return render(
        request, "too_many_requests.html", status=HTTPStatus.TOO_MANY_REQUESTS
    )
