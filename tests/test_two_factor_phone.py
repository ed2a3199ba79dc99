"""Two-step login set up and used on the phone that holds the authenticator.

Issue 23: a phone cannot scan the QR code on its own screen (so the setup page
offers the same secret as an ``otpauth://`` link to tap), and a code typed a
second time within its 30 seconds was answered with "check the time on your
phone" (django-otp refuses a code at a time step it accepted before).
"""

import html
import logging
import re
from base64 import b32decode
from datetime import datetime
from http import HTTPStatus
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.auth import app_code, log_in, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
TWO_FACTOR = reverse("admin:two_factor")
# The first second of a 30-second step: the whole test stays inside it.
STEP_START = datetime(2026, 6, 1, 9, 0, 0, tzinfo=ZoneInfo("UTC"))

REUSED = "This code was just used. Wait for the next code in your app."
WRONG = "This code is not right. Check the time on your phone and try again."


@pytest.fixture(autouse=True)
def two_factor(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture
def in_one_step(time_machine):
    time_machine.move_to(STEP_START, tick=False)
    return time_machine


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def page_text_raw(response) -> str:
    return response.content.decode()


def otpauth_link(response) -> str | None:
    found = re.findall(r'href="(otpauth://[^"]+)"', page_text_raw(response))
    return html.unescape(found[0]) if found else None


def app_from_page(page) -> TOTPDevice:
    secret = page.context["secret"].replace(" ", "")
    return TOTPDevice(key=b32decode(secret + "=" * (-len(secret) % 8)).hex())


def errors(response) -> list[str]:
    return list(response.context["form"].errors.get("token", []))


# The link to tap ----------------------------------------------------------------


def test_the_setup_page_offers_the_secret_as_a_link_to_tap(
    client, zone_staff, in_one_step
):
    assert log_in(client, zone_staff.username, PASSWORD)

    page = client.get(TWO_FACTOR, HTTP_ACCEPT_LANGUAGE="en")

    link = otpauth_link(page)
    assert link is not None
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert unquote(parts.path) == f"/WABP portal:{zone_staff.username}"
    query = parse_qs(parts.query)
    # The same secret as the QR code and the key to type.
    typed = page.context["secret"].replace(" ", "")
    assert query["secret"][0].rstrip("=") == typed
    assert query["issuer"] == ["WABP portal"]
    assert query["period"] == ["30"] and query["digits"] == ["6"]
    assert "Add to the authenticator app on this phone" in page_text(page)
    assert "no-cache" in page["Cache-Control"]
    assert "no-store" in page["Cache-Control"]

    # An app set up from the link gives a code that links the device.
    secret = query["secret"][0]
    key = b32decode(secret + "=" * (-len(secret) % 8)).hex()
    response = client.post(TWO_FACTOR, {"token": app_code(TOTPDevice(key=key))})
    assert response.status_code == HTTPStatus.FOUND
    assert TOTPDevice.objects.get(user=zone_staff).confirmed


def test_the_code_page_of_a_linked_app_has_no_link_and_no_secret(client, zone_staff):
    TOTPDevice.objects.create(user=zone_staff, name="phone", confirmed=True)
    assert log_in(client, zone_staff.username, PASSWORD)

    page = client.get(TWO_FACTOR)

    assert otpauth_link(page) is None
    assert "otpauth" not in page_text_raw(page)
    assert "secret" not in page.context


def test_the_content_security_policy_does_not_block_the_link(client, zone_staff):
    assert log_in(client, zone_staff.username, PASSWORD)

    page = client.get(TWO_FACTOR)

    # A link is a navigation: CSP 3 has no directive for it, and the policy
    # sets none that would (no navigate-to, no inline script either).
    policy = page["Content-Security-Policy"]
    assert "navigate-to" not in policy
    assert otpauth_link(page) is not None


def test_the_secret_is_never_logged(client, zone_staff, caplog):
    caplog.set_level(logging.DEBUG)
    assert log_in(client, zone_staff.username, PASSWORD)

    page = client.get(TWO_FACTOR)

    secret = page.context["secret"].replace(" ", "")
    assert secret not in caplog.text
    assert "otpauth" not in caplog.text


# A code used twice ------------------------------------------------------------


def logged_in_once(client, user, device) -> str:
    """Log in with the app's code, log out; return the code that was used."""
    assert log_in(client, user.username, PASSWORD)
    code = totp_code(device)
    assert client.post(TWO_FACTOR, {"token": code}).status_code == HTTPStatus.FOUND
    client.post(reverse("admin:logout"))
    assert log_in(client, user.username, PASSWORD)
    return code


def test_a_code_used_again_within_its_step_gets_its_own_message(
    client, zone_staff, in_one_step
):
    device = TOTPDevice.objects.create(user=zone_staff, name="phone", confirmed=True)
    code = logged_in_once(client, zone_staff, device)

    response = client.post(TWO_FACTOR, {"token": code}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == HTTPStatus.OK
    assert errors(response) == [REUSED]
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.FOUND


def test_a_code_used_again_still_counts_as_a_failure(client, zone_staff, in_one_step):
    device = TOTPDevice.objects.create(user=zone_staff, name="phone", confirmed=True)
    code = logged_in_once(client, zone_staff, device)

    client.post(TWO_FACTOR, {"token": code})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1

    # Throttling holds: straight after, even the next step's right code waits.
    in_one_step.move_to(STEP_START.replace(second=0, microsecond=500_000), tick=False)
    response = client.post(
        TWO_FACTOR, {"token": totp_code(device, offset=1)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == HTTPStatus.OK
    assert errors(response) == ["Too many wrong codes. Wait a minute and try again."]


def test_the_next_code_logs_in_after_a_reused_one(client, zone_staff, in_one_step):
    device = TOTPDevice.objects.create(user=zone_staff, name="phone", confirmed=True)
    code = logged_in_once(client, zone_staff, device)
    client.post(TWO_FACTOR, {"token": code})

    in_one_step.move_to(STEP_START.replace(second=30), tick=False)
    response = client.post(TWO_FACTOR, {"token": totp_code(device)})

    assert response.status_code == HTTPStatus.FOUND
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK


def test_a_wrong_code_still_asks_to_check_the_clock(client, zone_staff, in_one_step):
    device = TOTPDevice.objects.create(user=zone_staff, name="phone", confirmed=True)
    logged_in_once(client, zone_staff, device)

    response = client.post(
        TWO_FACTOR, {"token": totp_code(device, offset=5)}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert errors(response) == [WRONG]


def test_a_first_wrong_code_of_a_new_app_is_not_taken_for_a_reused_one(
    client, zone_staff, in_one_step
):
    assert log_in(client, zone_staff.username, PASSWORD)
    wrong = app_code(app_from_page(client.get(TWO_FACTOR)), offset=5)

    response = client.post(TWO_FACTOR, {"token": wrong}, HTTP_ACCEPT_LANGUAGE="en")

    assert errors(response) == [WRONG]
