"""Login protection: how django-axes names a client in the log, and its lockouts.

The log must hold no personal data, so a client is named by a keyed hash of
its user name and address: lines about the same client can be told apart and
matched, but nobody reading the log learns who or where it was.
"""

import hashlib
import hmac
import logging
from http import HTTPStatus

from axes.signals import user_locked_out
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpRequest
from django.shortcuts import render

logger = logging.getLogger("wabp_portal.security")


def client_key(username: str | None, ip_address: str | None) -> str:
    message = f"{username or ''}|{ip_address or ''}".encode()
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
    return f"client {client_key(username, ip_address)}"


@receiver(user_locked_out, dispatch_uid="wabp_log_lockout")
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    logger.warning(
        "login locked out after %s failed attempts for %s minutes: client %s",
        settings.AXES_FAILURE_LIMIT,
        int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        client_key(username, ip_address),
    )


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The page a locked-out login sees (AXES_LOCKOUT_CALLABLE), status 429."""
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
