"""Logging in as a person does: through the admin's login form.

Django's ``Client.login`` calls ``authenticate`` without a request, which
django-axes refuses (it counts attempts per client address); the form also
exercises the real flow.
"""

from django.urls import reverse


def log_in(client, username: str, password: str) -> bool:
    """Post the login form; True when the session now holds a login."""
    client.post(reverse("admin:login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


def totp_code(device, *, offset: int = 0) -> str:
    """The code the user's authenticator app shows now (``offset`` steps away)."""
    device.refresh_from_db()
    return app_code(device, offset=offset)


def app_code(device, *, offset: int = 0) -> str:
    """The code an app set up with ``device``'s key shows (it need not be stored)."""
    from django_otp.oath import totp

    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift + offset,
    )
    return f"{value:0{device.digits}d}"
