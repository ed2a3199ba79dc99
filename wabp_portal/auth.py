"""A verified login: the password and, where required, the second factor.

Every page that shows a person (a resident, a coordinator, a zone's staff)
needs one. The admin site asks for it on each of its pages
(``WabpAdminSite.has_permission``); a page outside the admin uses
``VerifiedLoginRequiredMixin`` or ``verified_login_required``, which ask the
same question. With ``TWO_FACTOR_REQUIRED`` on, a login that gave its
password but not yet the code of its authenticator app is not verified: it
is sent to the step that asks for the code, as the admin does.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse


def two_factor_required() -> bool:
    return settings.TWO_FACTOR_REQUIRED


def second_factor_given(user) -> bool:
    """Has the login given its code (or is none asked for)?"""
    return not two_factor_required() or user.is_verified()


def is_verified_login(user) -> bool:
    """An active staff login with its second factor: what the admin lets in.

    Coordinators and police-zone staff are staff logins (``is_staff``);
    ``is_verified`` is set on the user by django-otp's ``OTPMiddleware``.
    """
    return (
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and second_factor_given(user)
    )


def needs_second_factor(request: HttpRequest) -> bool:
    """A staff login that gave its password but not yet its code."""
    user = request.user
    return (
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and not second_factor_given(user)
    )


def refuse_unverified(request: HttpRequest) -> HttpResponse:
    """Where a login that is not verified goes: the code step, or the login."""
    if needs_second_factor(request):
        url = reverse("admin:two_factor")
        query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        return HttpResponseRedirect(f"{url}?{query}")
    return redirect_to_login(request.get_full_path(), reverse("admin:login"))


def verified_login_required(view):
    """Decorate a view function: only a verified login gets it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_verified_login(request.user):
            return refuse_unverified(request)
        return view(request, *args, **kwargs)

    return wrapper


class VerifiedLoginRequiredMixin:
    """A class-based view only a verified login gets (instead of LoginRequired)."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_verified_login(request.user):
            return refuse_unverified(request)
        return super().dispatch(request, *args, **kwargs)
