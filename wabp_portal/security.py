"""Login protection: django-axes' lockouts, how they are counted and logged.

Failed logins are counted over the last AXES_COOLOFF_TIME in three scopes,
each with a limit of its own: a user name from one address (the pair,
AXES_FAILURE_LIMIT), a user name from every address (a guess spread over
many addresses, AXES_FAILURE_LIMIT_PER_USERNAME) and an address for every
user name (one password tried on many logins, AXES_FAILURE_LIMIT_PER_ADDRESS).
A full scope refuses every login in it, even with the right password; the
attempts it refuses are not counted, so the lock ends at the latest
AXES_COOLOFF_TIME after it began. The address is the one
wabp_portal.client_address finds, which only trusted proxies can set.

A user name that has no login is counted and locked like one that has, and
the locked-out page is the same for every lock: neither tells whether a user
name exists.

The log must hold no personal data, so a user name and an address are each
named by a keyed hash: lines about the same one can be matched, but nobody
reading the log learns who or where it was.
"""

import hashlib
import hmac
import logging
from datetime import datetime
from http import HTTPStatus

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.dispatch import receiver
from django.http import HttpRequest
from django.shortcuts import render

logger = logging.getLogger("wabp_portal.security")

SCOPE_NAMES = {
    "pair": "user name from one address",
    "username": "user name from all addresses",
    "address": "address for all user names",
}


def pseudonym(kind: str, value: str | None) -> str:
    """A keyed hash naming a user name or an address in the log."""
    message = f"{kind}|{value or ''}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256)
    return digest.hexdigest()[:12]


def axes_client_str(
    username: str | None,
    ip_address: str | None,
    user_agent: str | None,
    path_info: str | None,
    request: HttpRequest | None,
) -> str:
    """Used by django-axes for its own log lines (AXES_CLIENT_STR_CALLABLE)."""
    return (
        f"user name {pseudonym('username', username)}, "
        f"address {pseudonym('address', ip_address)}"
    )


def failure_limits() -> dict[str, int]:
    return {
        "pair": settings.AXES_FAILURE_LIMIT,
        "username": settings.AXES_FAILURE_LIMIT_PER_USERNAME,
        "address": settings.AXES_FAILURE_LIMIT_PER_ADDRESS,
    }


def recent_failures(
    username: str | None, address: str | None, *, since: datetime
) -> dict[str, int]:
    """Failed logins since ``since`` in each scope (see failure_limits)."""
    by_user = Q(username=username)
    conditions = {"username": by_user}
    # An unknown address (no trusted source told it) is nobody's: only the
    # user name counts then.
    if address:
        by_address = Q(ip_address=address)
        conditions |= {"address": by_address, "pair": by_user & by_address}
    either = by_user | by_address if address else by_user
    # (aliases apart from the field names the conditions use)
    counts = AccessAttempt.objects.filter(either, attempt_time__gte=since).aggregate(
        **{
            f"{scope}_failures": Coalesce(
                Sum("failures_since_start", filter=condition), 0
            )
            for scope, condition in conditions.items()
        }
    )
    return {scope: counts.get(f"{scope}_failures", 0) for scope in SCOPE_NAMES}


def full_scopes(failures: dict[str, int]) -> list[str]:
    return [
        scope for scope, limit in failure_limits().items() if failures[scope] >= limit
    ]


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit for each scope (AXES_HANDLER).

    Axes compares one count, the largest of its lockout parameters', with one
    limit, AXES_FAILURE_LIMIT. Here ``get_failures`` answers the pair's count,
    or at least that limit once any scope is full, so axes' comparison locks
    exactly when one of the three is.
    """

    def get_failures(self, request, credentials=None) -> int:
        failures = recent_failures(
            get_client_username(request, credentials),
            request.axes_ip_address,
            since=get_cool_off_threshold(request),
        )
        if full_scopes(failures):
            return max(failures["pair"], settings.AXES_FAILURE_LIMIT)
        return failures["pair"]

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears its own pair's failures, and nothing else.

        Axes would clear every scope: the user name's failures from other
        addresses (a guess spread out would start again) and the address's
        failures on other user names (whoever has a login could clear a
        spray, or a colleague's lock, by logging in between guesses).
        """
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count


@receiver(user_locked_out, dispatch_uid="wabp_log_lockout")
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    failures = recent_failures(
        username, ip_address, since=get_cool_off_threshold(request)
    )
    limits = failure_limits()
    logger.warning(
        "login locked out for %s minutes (%s): user name %s, address %s",
        int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "; ".join(
            f"{limits[s]} failures per {SCOPE_NAMES[s]}" for s in full_scopes(failures)
        ),
        pseudonym("username", username),
        pseudonym("address", ip_address),
    )


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The page a locked-out login sees (AXES_LOCKOUT_CALLABLE), status 429.

    The same page for every scope and every user name, known or not.
    """
    from django.contrib import admin

    context = {
        **admin.site.each_context(request),
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(
        request,
        "admin/locked_out.html",
        context,
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )
