"""The admin site, with a second factor (TOTP) after the password.

Coordinators and police-zone staff work in the admin, which shows residents'
names, addresses and phone numbers. With ``TWO_FACTOR_REQUIRED`` on (the
default in production) a password alone opens no admin page: after it the
user either enters the code of their authenticator app or, the first time,
links one by scanning a QR code. The session then holds the verified device
(django-otp's ``OTPMiddleware`` reads it back on every request).
"""

import time
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from . import qr
from .auth import is_verified_login, needs_second_factor

AUTHENTICATOR_NAME = "authenticator"
# The secret of the authenticator being linked, until its first code.
PENDING_KEY_SESSION = "wabp_two_factor_pending_key"


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code"),
        max_length=6,
        min_length=6,
        help_text=_("The code your authenticator app shows for the WABP portal."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]{6}",
                "autofocus": True,
            }
        ),
        error_messages={
            "required": _("Enter the six-digit code."),
            "min_length": _("The code has six digits."),
            "max_length": _("The code has six digits."),
        },
    )

    def __init__(self, device: TOTPDevice, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isascii() or not token.isdigit():
            raise forms.ValidationError(_("The code has six digits."))
        allowed, _details = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                _("Too many wrong codes. Wait a minute and try again.")
            )
        # verify_token counts failures and slows down guessing (throttling),
        # a code used again included.
        if not self.device.verify_token(token):
            if _was_just_used(self.device, token):
                raise forms.ValidationError(
                    _("This code was just used. Wait for the next code in your app.")
                )
            raise forms.ValidationError(
                _("This code is not right. Check the time on your phone and try again.")
            )
        return token


def _was_just_used(device: TOTPDevice, token: str) -> bool:
    """Whether a refused code is a right one that was accepted before.

    django-otp's ``verify_token`` accepts a code only at a time step after the
    last one accepted (``last_t``), so the same code twice within its 30
    seconds is refused like a wrong one. This looks at the same steps it
    looks at (the current one, give or take ``tolerance``) for the code at a
    step it no longer accepts. It accepts nothing and is asked only after
    ``verify_token`` counted the failure.
    """
    if device.last_t < 0:
        return False  # no code accepted yet
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    value = int(token)
    for offset in range(-device.tolerance, device.tolerance + 1):
        totp.drift = device.drift + offset
        if totp.t() <= device.last_t and totp.token() == value:
            return True
    return False


class LoginForm(AdminAuthenticationForm):
    """Django's admin login; the user name or the e-mail address logs in."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name or e-mail address")


class WabpAdminSite(admin.AdminSite):
    login_form = LoginForm
    site_header = _("WABP portal")
    site_title = _("WABP portal")
    index_title = _("Neighbourhood watch networks")

    def has_permission(self, request: HttpRequest) -> bool:
        # The one check of wabp_portal.auth, which pages outside the admin use.
        return is_verified_login(request.user)

    def get_urls(self):
        return [
            path(
                "tweestapsverificatie/",
                self.two_factor_view,
                name="two_factor",
            ),
            *super().get_urls(),
        ]

    @method_decorator(never_cache)
    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if request.method == "GET" and needs_second_factor(request):
            return HttpResponseRedirect(self._two_factor_url(request))
        return super().login(request, extra_context)

    def _two_factor_url(self, request: HttpRequest) -> str:
        url = reverse("admin:two_factor", current_app=self.name)
        next_url = _safe_next(request)
        if next_url:
            url += "?" + urlencode({REDIRECT_FIELD_NAME: next_url})
        return url

    @method_decorator(never_cache)
    @method_decorator(csrf_protect)
    def two_factor_view(self, request: HttpRequest) -> HttpResponse:
        """Ask for the code, or link an authenticator app the first time."""
        if not needs_second_factor(request):
            if request.user.is_authenticated and self.has_permission(request):
                return HttpResponseRedirect(
                    _safe_next(request) or reverse("admin:index")
                )
            if request.user.is_authenticated:
                # A login the admin is not for (no staff flag, closed): start over.
                auth_logout(request)
            return HttpResponseRedirect(reverse("admin:login"))

        user = request.user
        device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
        setting_up = device is None
        if setting_up:
            device = _device_being_linked(request)

        form = TokenForm(device, request.POST or None)
        if request.method == "POST" and form.is_valid():
            if setting_up:
                # The right code saved the device (verify_token); it is linked.
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                del request.session[PENDING_KEY_SESSION]
            # A new session key for the stronger login, as at the password step.
            request.session.cycle_key()
            otp_login(request, device)
            return HttpResponseRedirect(_safe_next(request) or reverse("admin:index"))

        context = {
            **self.each_context(request),
            "title": _("Set up two-step verification")
            if setting_up
            else _("Two-step verification"),
            "form": form,
            "setting_up": setting_up,
            "next": _safe_next(request),
        }
        if setting_up:
            context["qr_svg"] = qr.svg(
                device.config_url, label=_("QR code to scan with your app")
            )
            context["secret"] = qr.grouped_secret(device.bin_key)
            # The same secret as a link an authenticator app on this phone
            # opens: a phone cannot scan its own screen. Only on this page
            # (never cached), never logged.
            context["otpauth_url"] = device.config_url
        request.current_app = self.name
        return render(request, "admin/two_factor.html", context)


def _device_being_linked(request: HttpRequest) -> TOTPDevice:
    """The authenticator being linked, stored only once a code was entered.

    Its secret waits in the session (server-side), so reloading the page shows
    the same QR code and a GET writes nothing to the database. The first code
    entered stores the device, unconfirmed: a wrong one to count the failure
    (guessing is slowed down), the right one to confirm it. A device left
    unconfirmed by an earlier session gets this session's secret.
    """
    key = request.session.get(PENDING_KEY_SESSION)
    if not key:
        key = request.session[PENDING_KEY_SESSION] = random_hex(20)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice(user=request.user, name=AUTHENTICATOR_NAME)
    device.key = key
    device.confirmed = False
    return device


def _safe_next(request: HttpRequest) -> str:
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(
        REDIRECT_FIELD_NAME, ""
    )
    if next_url and url_has_allowed_host_and_scheme(
        next_url,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return next_url
    return ""
