"""The public pages, answered whole from the cache before most of the middleware.

The home page, the municipality pages and the house rules are the same for
every visitor without cookies (``views.SharedPageMixin`` renders them once
per version of the networks table and language). Rendering is then no
longer what such a request costs: the middleware is (sessions, the user,
the second factor, the audit log, messages...), none of which concerns an
anonymous visitor. So ``SharedPageCacheMiddleware``, high in the stack,
keeps the finished response (status, headers, body) of such a page and
answers the next visitor with it, without running the rest.

What is answered from here:

- a GET without a query string, whose only cookie (if any) is the language
  the visitor chose: a session cookie (a login), a CSRF or messages cookie,
  anything else, and every POST, go through the whole stack as before;
- a page whose view said it may be (``SHARED``, set by SharedPageMixin), was
  answered 200 and sets no cookie.

The response is kept per scheme, host, language and path, under the
networks table's version (``network_cache``): whatever invalidates the
table's fragments today invalidates these, at the same moment, on every app
server. The middleware above it (SecurityMiddleware's HSTS and HTTPS
redirect, the host check, Permissions-Policy) runs for every request; the
headers set below it (Content-Security-Policy, Vary, Content-Language,
Cache-Control, X-Frame-Options) are kept with the page, so a page from here
carries the same headers as the page it was kept from.
"""

import logging
import threading

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from wabp_portal.middleware import request_language

from . import network_cache

logger = logging.getLogger(__name__)

# The attribute a view sets on a response that may be kept for everybody.
SHARED = "shared_page"
# The paths this process has kept a shared page of. Only these are looked
# up: any other GET costs no cache call (the table's version is the
# process's own, see network_cache.VersionWatch). Bounded: past the limit a
# new page is simply not looked up here (it is still served, from its view).
KNOWN_PATHS_LIMIT = 10_000
_known_paths: set[str] = set()
_known_lock = threading.Lock()
# Never kept with a page (a page that sets a cookie is not kept at all).
_NOT_KEPT = frozenset({"set-cookie"})


def _name(request: HttpRequest) -> tuple[str, str] | None:
    """The page's cache name for this request and its language, or None if
    the request is not for this cache."""
    if request.method != "GET" or request.META.get("QUERY_STRING"):
        return None
    cookies = request.COOKIES
    if cookies and (len(cookies) > 1 or settings.LANGUAGE_COOKIE_NAME not in cookies):
        return None
    # An unknown host is refused (400) here as it would be further down.
    host = request.get_host()
    return f"response:{request.scheme}:{host}:{request.path}", request_language(request)


def _remember_path(path: str) -> None:
    with _known_lock:
        if len(_known_paths) < KNOWN_PATHS_LIMIT:
            _known_paths.add(path)


def _keepable(response: HttpResponse) -> bool:
    return (
        getattr(response, SHARED, False)
        and response.status_code == 200
        and not response.cookies
        and not response.streaming
    )


def _kept(response: HttpResponse) -> tuple:
    headers = tuple(
        (name, value)
        for name, value in response.items()
        if name.lower() not in _NOT_KEPT
    )
    return (response.status_code, headers, response.content)


def _response(kept: tuple) -> HttpResponse:
    status, headers, content = kept
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    return response


class SharedPageCacheMiddleware:
    """Answer an anonymous, cookie-less GET of a public page from the cache.

    Placed just below Django's SecurityMiddleware and WhiteNoise (see the
    module's docstring for what it answers and what it never does).
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = _name(request)
        # Under the version read now: a change made while the page is
        # rendered below leaves it under the old version, never read again.
        key = network_cache.versioned(*name) if name is not None else None
        if key is not None and request.path in _known_paths:
            kept = network_cache.peek(key)
            if kept is not None:
                return _response(kept)
        response = self.get_response(request)
        if key is not None and _keepable(response):
            network_cache.keep(key, _kept(response))
            # From now on this process looks the page up.
            _remember_path(request.path)
        return response
