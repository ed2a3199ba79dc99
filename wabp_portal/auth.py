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
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth.backends import ModelBackend
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


class EmailOrUsernameBackend(ModelBackend):
    """Log in with the user name or the e-mail address, whichever is typed.

    Logins the portal makes are named after their address; older ones (the
    demo's first.last, logins an administrator made) have a name of their
    own, and people remember their address. The user name is tried first, as
    Django does. An address that is no login's name is looked up among the
    active logins with that address (in any case): the password decides, and
    only when it fits exactly one of them (two logins may share an address;
    a colleague giving a login your address does not lock you out, nor let
    them in). Django-axes counts failures by what was typed; its user-name
    hook (``wabp_portal.axes_input``) counts an address as the login it names,
    so typing both forms does not double the attempts.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()  # noqa: N806 (Django's own spelling)
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not isinstance(username, str) or password is None:
            return None
        user = super().authenticate(
            request, username=username, password=password, **kwargs
        )
        if user is not None or "@" not in username:
            return user
        if User._default_manager.filter(username=username).exists():
            return None  # that name's own password did not fit
        candidates = logins_with_email(username)
        if not candidates:
            # Hash once anyway: an unknown address takes as long as a known
            # one with a wrong password (as Django does for an unknown name).
            User().set_password(password)
            return None
        fitting = [
            login
            for login in candidates
            if login.check_password(password) and self.user_can_authenticate(login)
        ]
        return fitting[0] if len(fitting) == 1 else None


def logins_with_email(email: str) -> list:
    """The active logins with this address (a handful at most)."""
    return list(
        get_user_model()
        ._default_manager.filter(email__iexact=email.strip(), is_active=True)
        .order_by("pk")[:10]
    )
