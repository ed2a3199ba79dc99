"""Project-wide request handling: security and caching headers, the idle timeout,
the 503 page for database errors.

Most requests of a public site are anonymous GETs without a cookie. Each
middleware here does nothing for a request it does not concern: what is the
same for every response (the security policies) is built once per process,
and what only a login needs (the idle timeout, the audit log's actor, the
messages) is skipped for a request without a session cookie, which cannot
be a login. ``make bench`` profiles the stack layer by layer
(loadtest/middleware_profile.py; docs/benchmarks.md).
"""

import functools
import time
from http import HTTPStatus

from auditlog.cid import correlation_id
from auditlog.middleware import AuditlogMiddleware
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import SimpleLazyObject, empty
from django.utils.log import log_response
from django.utils.translation import gettext as _

from wabp_portal.views import is_database_error, service_unavailable

LAST_ACTIVITY_KEY = "_last_activity"
# The time of the last request is written at most this often (seconds), so
# that reading pages does not write the session on every request.
ACTIVITY_RESOLUTION = 60


def has_session(request: HttpRequest) -> bool:
    """Whether the request may belong to a login: it carries a session cookie.

    Without one, nobody is logged in and there is no session to read: the
    anonymous visitor of the public pages.
    """
    return settings.SESSION_COOKIE_NAME in request.COOKIES


@functools.cache
def permissions_policy() -> str:
    """``PERMISSIONS_POLICY`` as the header's value: ``camera=(), usb=(), ...``.

    The same for every response: built once (again when a test changes it).
    """
    return ", ".join(
        f"{feature}=({' '.join(origins)})"
        for feature, origins in settings.PERMISSIONS_POLICY.items()
    )


@functools.cache
def content_security_policy(report_only: bool = False) -> str:
    """The Content-Security-Policy of the settings, for a response that asks
    for no nonce and changes nothing of it: built once, not per response."""
    return build_policy(report_only=report_only)


@receiver(setting_changed)
def _policies_changed(*, setting: str, **kwargs) -> None:
    if setting in (
        "PERMISSIONS_POLICY",
        "CONTENT_SECURITY_POLICY",
        "CONTENT_SECURITY_POLICY_REPORT_ONLY",
    ):
        permissions_policy.cache_clear()
        content_security_policy.cache_clear()


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
            policy = content_security_policy()
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
        cache_control = response.get("Cache-Control")
        if cache_control is None:
            # What patch_cache_control() writes, without parsing nothing.
            response.headers["Cache-Control"] = "no-store, private"
        elif "public" not in cache_control:
            patch_cache_control(response, no_store=True, private=True)
        return response


class PolicyCachingCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy built once per process.

    django-csp builds the header from the settings for every response. A
    response whose view asked for no nonce and changed nothing of the policy
    (``@csp_update`` and the like) gets the same header every time; it is
    built once (``content_security_policy``). Any other response is
    django-csp's own work, unchanged.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponse
    ) -> HttpResponse:
        own = any(
            getattr(response, name, None) is not None
            for name in (
                "_csp_config",
                "_csp_update",
                "_csp_replace",
                "_csp_config_ro",
                "_csp_update_ro",
                "_csp_replace_ro",
            )
        )
        if own or getattr(request, "_csp_nonce", None) is not None:
            return super().process_response(request, response)
        if (
            response.status_code
            in (
                HTTPStatus.INTERNAL_SERVER_ERROR,
                HTTPStatus.NOT_FOUND,
            )
            and settings.DEBUG
        ):
            return response
        for report_only, header, exempt in (
            (False, "Content-Security-Policy", "_csp_exempt"),
            (True, "Content-Security-Policy-Report-Only", "_csp_exempt_ro"),
        ):
            policy = content_security_policy(report_only)
            if (
                policy
                and header not in response
                and not getattr(response, exempt, False)
                and not self._excluded(request, report_only)
            ):
                response[header] = policy
        # As django-csp: a nonce asked for after the header was written
        # would not be in it, so asking is an error from here on.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def _excluded(request: HttpRequest, report_only: bool) -> bool:
        name = (
            "CONTENT_SECURITY_POLICY_REPORT_ONLY"
            if report_only
            else "CONTENT_SECURITY_POLICY"
        )
        prefixes = (getattr(settings, name, None) or {}).get(
            "EXCLUDE_URL_PREFIXES"
        ) or ()
        return bool(prefixes) and request.path_info.startswith(tuple(prefixes))


def _untouched(value) -> bool:
    """Whether ``value`` is a lazy object nobody has used (never made)."""
    return isinstance(value, SimpleLazyObject) and value._wrapped is empty


class LazySessionMiddleware(SessionMiddleware):
    """Django's sessions, the new one made when a page first uses it.

    A request with a session cookie gets its session as Django gives it. A
    request without one (every first visit, every anonymous page) has no
    session to load; Django would still make an empty one and look at it
    again on the way out. Here it is made at its first use (a login, a
    form that keeps something), and a response whose request never used it
    has nothing to save.
    """

    def process_request(self, request: HttpRequest) -> None:
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if session_key is not None:
            request.session = self.SessionStore(session_key)
        else:
            request.session = SimpleLazyObject(self.SessionStore)

    def process_response(
        self, request: HttpRequest, response: HttpResponse
    ) -> HttpResponse:
        if _untouched(getattr(request, "session", None)):
            return response
        return super().process_response(request, response)


class LazyMessageMiddleware(MessageMiddleware):
    """Django's messages, whose storage is made when a view or page uses it.

    Django makes the storage (a cookie's and the session's) for every
    request and asks it to store its messages on every response. Most pages
    neither add nor show a message: the storage is made at the first use
    (``messages.info()``, a template listing the messages), and a response
    whose request never used it has nothing to store.
    """

    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(
        self, request: HttpRequest, response: HttpResponse
    ) -> HttpResponse:
        if _untouched(getattr(request, "_messages", None)):
            return response
        return super().process_response(request, response)


class AuditActorMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, for the requests that can have an actor.

    auditlog connects and disconnects a signal receiver around every request
    to write the logged-in user into the changes it records. A request
    without a session cookie has no user, and auditlog records its changes
    without one anyway (the remote address is not recorded at all:
    AUDITLOG_DISABLE_REMOTE_ADDR): only the correlation id is set.
    """

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not has_session(request):
            # auditlog's set_cid(), reading the header from META directly.
            header = settings.AUDITLOG_CID_HEADER
            if not settings.AUDITLOG_CID_GETTER:
                correlation_id.set(
                    request.META.get(_meta_name(header)) if header else None
                )
            return self.get_response(request)
        return super().__call__(request)


@functools.cache
def _meta_name(header: str) -> str:
    """A request header's name as WSGI has it in META: ``HTTP_X_CORRELATION_ID``."""
    return "HTTP_" + header.upper().replace("-", "_")


@functools.lru_cache(maxsize=512)
def language_for(cookie: str | None, accept_language: str) -> str:
    """The language Django chooses for this language cookie and Accept-Language.

    Django works it out for every request; for the few combinations browsers
    send, once. The choice is Django's own (``get_language_from_request``).
    """
    request = HttpRequest()
    if cookie is not None:
        request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = cookie
    request.META["HTTP_ACCEPT_LANGUAGE"] = accept_language
    return translation.get_language_from_request(request)


def request_language(request: HttpRequest) -> str:
    return language_for(
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME),
        request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
    )


@receiver(setting_changed)
def _languages_changed(*, setting: str, **kwargs) -> None:
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LANGUAGE_COOKIE_NAME"):
        language_for.cache_clear()


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, for URLs without a language prefix.

    The portal's URLs carry no language (no ``i18n_patterns``): the language
    comes from the cookie the language menu sets, or else the browser's
    Accept-Language, as Django decides (``language_for``, worked out once
    per combination). With language prefixes Django's own middleware does
    the work.
    """

    def process_request(self, request: HttpRequest) -> None:
        if self._prefixed(request):
            return super().process_request(request)
        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language

    def process_response(
        self, request: HttpRequest, response: HttpResponse
    ) -> HttpResponse:
        if self._prefixed(request):
            return super().process_response(request, response)
        if "Vary" in response:
            patch_vary_headers(response, ("Accept-Language",))
        else:
            response.headers["Vary"] = "Accept-Language"
        response.headers.setdefault("Content-Language", translation.get_language())
        return response

    @staticmethod
    def _prefixed(request: HttpRequest) -> bool:
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        return is_language_prefix_patterns_used(urlconf)[0]


class IdleTimeoutMiddleware:
    """Log a login out after ``SESSION_IDLE_TIMEOUT`` seconds without a request.

    Everybody who logs in is a coordinator or staff member working on
    residents' data, often on a shared or municipal computer. The session
    cookie itself lives at most ``SESSION_COOKIE_AGE``.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Without a session cookie there is no login to time out: the user
        # is not even looked up.
        if has_session(request) and request.user.is_authenticated:
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
