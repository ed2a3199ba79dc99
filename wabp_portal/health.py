"""``/healthz``: is this app server fit to take requests? For load balancers.

It answers before any other middleware, so a probe needs no allowed host
name, no HTTPS and no session, and it writes nothing; only
``SecurityHeadersMiddleware`` (wabp_portal.middleware) is above it, and gives
the answer the security headers of every page. The answer is JSON with
the state of the database, the cache and the outbox (how long the oldest
unsent mail has waited, how many mails were given up, how long ago a mail
worker last finished a round): counts and seconds, nothing about anyone.

The status is 503 when the database or the cache fails, which takes the
server out of the pool. Mail is reported but keeps it in: "late" when a mail
has waited longer than MAIL_LATE_SECONDS, "stalled" when a worker is expected
(MAIL_WORKER_EXPECTED) and its heartbeat is older than
MAIL_WORKER_STALE_SECONDS. Taking every app server out of the pool because
the worker stopped would turn late mail into a site that is down; the
monitoring asks ``/healthz/mail`` instead, which answers the same report
with 503 whenever mail is not "ok".
"""

import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from post_office.models import STATUS, Email

from .mail import outbox

logger = logging.getLogger(__name__)

PATHS = {"/healthz", "/healthz/"}
MAIL_PATHS = {"/healthz/mail", "/healthz/mail/"}
CACHE_KEY = "healthz"


class HealthCheckMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in PATHS | MAIL_PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405)
            response["Allow"] = "GET, HEAD"
            return response
        report = health_report()
        if request.path in MAIL_PATHS:
            healthy = report["mail"]["status"] == "ok"
        else:
            healthy = report["status"] == "ok"
        response = JsonResponse(report, status=200 if healthy else 503)
        response["Cache-Control"] = "no-store"
        return response


def health_report() -> dict:
    database = _check_database()
    cache_state = _check_cache()
    mail = _check_mail() if database == "ok" else {"status": "unknown"}
    healthy = database == "ok" and cache_state == "ok"
    return {
        "status": "ok" if healthy else "error",
        "database": database,
        "cache": cache_state,
        "mail": mail,
    }


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("health check: database unavailable: %s", type(error).__name__)
        return "error"
    return "ok"


def _check_cache() -> str:
    value = secrets.token_hex(8)
    try:
        cache.set(CACHE_KEY, value, timeout=10)
        if cache.get(CACHE_KEY) != value:
            raise ValueError("the value read back differs")
    except Exception as error:  # every cache backend fails in its own way
        logger.warning("health check: cache unavailable: %s", type(error).__name__)
        return "error"
    return "ok"


def _check_mail() -> dict:
    try:
        age = outbox.oldest_unsent_age()
        failed = Email.objects.filter(status=STATUS.failed).count()
        heartbeat = outbox.heartbeat_age()
    except DatabaseError:
        return {"status": "unknown"}
    seconds = int(age.total_seconds()) if age is not None else None
    late = seconds is not None and seconds > settings.MAIL_LATE_SECONDS
    worker_seconds = int(heartbeat.total_seconds()) if heartbeat is not None else None
    # Where no worker is expected (development, the tests), a missing or old
    # heartbeat is reported but is no failure.
    stalled = settings.MAIL_WORKER_EXPECTED and (
        worker_seconds is None or worker_seconds > settings.MAIL_WORKER_STALE_SECONDS
    )
    return {
        "status": "stalled" if stalled else "late" if late else "ok",
        "oldest_unsent_seconds": seconds,
        "failed": failed,
        "worker_heartbeat_seconds": worker_seconds,
    }
