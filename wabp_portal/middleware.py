"""Project-wide request handling: caching headers and the idle timeout."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

LAST_ACTIVITY_KEY = "_last_activity"
# The time of the last request is written at most this often (seconds), so
# that reading pages does not write the session on every request.
ACTIVITY_RESOLUTION = 60


class NoStoreMiddleware:
    """Tell browsers and proxies to keep no copy of any page.

    Pages of the portal show names, addresses and phone numbers to
    coordinators and staff, and the signup pages echo what a resident typed.
    Rather than deciding page by page, every response that does not mark
    itself ``public`` gets ``Cache-Control: no-store``. Static files are served
    earlier in the stack (WhiteNoise) and keep their long cache lifetimes.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "public" not in response.get("Cache-Control", ""):
            patch_cache_control(response, no_store=True, private=True)
        return response


class IdleTimeoutMiddleware:
    """Log a login out after ``SESSION_IDLE_TIMEOUT`` seconds without a request.

    Everybody who logs in is a coordinator or staff member working on
    residents' data, often on a shared or municipal computer. The session
    cookie itself lives at most ``SESSION_COOKIE_AGE``.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(
                    request,
                    _(
                        "You were logged out after %(minutes)d minutes without "
                        "activity. Log in again to go on."
                    )
                    % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60},
                )
            elif last is None or now - last >= ACTIVITY_RESOLUTION:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)
