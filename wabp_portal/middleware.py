"""Project-wide request handling: security and caching headers, the idle timeout,
the 503 page for database errors."""

import time
from http import HTTPStatus

from csp.utils import build_policy
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.log import log_response
from django.utils.translation import gettext as _

from wabp_portal.views import is_database_error, service_unavailable

LAST_ACTIVITY_KEY = "_last_activity"
# The time of the last request is written at most this often (seconds), so
# that reading pages does not write the session on every request.
ACTIVITY_RESOLUTION = 60


def permissions_policy() -> str:
    """``PERMISSIONS_POLICY`` as the header's value: ``camera=(), usb=(), ...``."""
    return ", ".join(
        f"{feature}=({' '.join(origins)})"
        for feature, origins in settings.PERMISSIONS_POLICY.items()
    )


class SecurityHeadersMiddleware:
    """Every response leaves with the security headers, whoever answered it.

    First in ``MIDDLEWARE``. It adds ``Permissions-Policy`` (which no other
    middleware sends) to every response, static files included. For the
    headers that Django's and django-csp's middleware set further down
    (nosniff, frame denial, referrer policy, Content-Security-Policy) it is
    a backstop: a response answered before them (``/healthz``) gets the same
    values here; one that has them keeps its own.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        headers = response.headers
        headers.setdefault("Permissions-Policy", permissions_policy())
        if settings.SECURE_CONTENT_TYPE_NOSNIFF:
            headers.setdefault("X-Content-Type-Options", "nosniff")
        if settings.SECURE_REFERRER_POLICY:
            headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        if not getattr(response, "xframe_options_exempt", False):
            headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        # django-csp's own exceptions: an exempted view, and Django's debug
        # pages (their inline styles) while DEBUG is on.
        debug_page = settings.DEBUG and response.status_code in (
            HTTPStatus.NOT_FOUND,
            HTTPStatus.INTERNAL_SERVER_ERROR,
        )
        exempt = getattr(response, "_csp_exempt", False) or debug_page
        if "Content-Security-Policy" not in headers and not exempt:
            policy = build_policy()
            if policy:
                headers["Content-Security-Policy"] = policy
        return response


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


class DatabaseUnavailableMiddleware:
    """Any database error raised by a view gets the 503 page ("try again").

    Whichever layer raised it: Django's own errors, the driver's (psycopg2's
    when a server-side cursor is closed on a dead connection, sqlite3's) or
    an error raised from or during one. Answered here rather than only by
    ``handler500`` so that the page is the same with DEBUG on and in tests.
    The error is logged with its traceback (redacted) as Django logs a 500.
    Errors raised by other middleware do not pass here: ``handler500``
    (``wabp_portal.views.server_error``) recognises them the same way.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not is_database_error(exception):
            return None
        response = service_unavailable()
        log_response(
            "%s: %s",
            response.reason_phrase,
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response
