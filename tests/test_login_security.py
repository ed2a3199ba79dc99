"""Logging in: two-step verification, lockout, passwords and sessions."""

import logging
import subprocess
import sys
from base64 import b32decode
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.auth import app_code, log_in, totp_code
from tests.subprocesses import child_environment

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def two_factor(settings):
    settings.TWO_FACTOR_REQUIRED = True
    return settings


def staff_pages(network) -> list[str]:
    signup = network.signups(network.group_a1)
    # (a zone staff member may open any signup of the zone)
    return [
        reverse("admin:index"),
        reverse("admin:registrations_pendingsignup_changelist"),
        reverse("admin:registrations_member_changelist"),
        reverse("admin:groups_coordinator_changelist"),
        reverse("admin:auditlog_logentry_changelist"),
        reverse("admin:registrations_signup_change", args=[next(iter(signup)).pk]),
        reverse("admin:password_change"),
        reverse("statistics"),
    ]


# Two-step verification ------------------------------------------------------


def test_a_password_alone_opens_no_admin_page(client, two_factor, network):
    assert log_in(client, network.users["staff_a"].username, PASSWORD)
    two_factor_url = reverse("admin:two_factor")

    for url in staff_pages(network):
        response = client.get(url, follow=True)
        assert response.redirect_chain, url
        assert response.redirect_chain[-1][0].startswith(two_factor_url), url
        assert b"qr-code" in response.content, url


def linking_device(page) -> TOTPDevice:
    """The authenticator app as the user sets it up from the page's secret."""
    secret = page.context["secret"].replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8)).hex()
    return TOTPDevice(name="app", key=key)


def test_first_login_links_an_authenticator_app(client, two_factor, zone_staff):
    assert log_in(client, zone_staff.username, PASSWORD)

    page = client.get(reverse("admin:two_factor"))
    assert page.status_code == HTTPStatus.OK
    assert b'class="qr-code"' in page.content
    # Showing the page stores nothing; reloading it shows the same code to scan.
    assert not TOTPDevice.objects.filter(user=zone_staff).exists()
    again = client.get(reverse("admin:two_factor"))
    assert again.context["secret"] == page.context["secret"]
    assert not TOTPDevice.objects.filter(user=zone_staff).exists()

    response = client.post(
        reverse("admin:two_factor"),
        {"token": app_code(linking_device(page)), "next": "/admin/"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == "/admin/"
    device = TOTPDevice.objects.get(user=zone_staff)
    assert device.confirmed
    assert device.key == linking_device(page).key
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK


def test_a_wrong_code_is_refused_and_changes_nothing(client, two_factor, zone_staff):
    assert log_in(client, zone_staff.username, PASSWORD)
    page = client.get(reverse("admin:two_factor"))
    wrong = app_code(linking_device(page), offset=5)

    response = client.post(reverse("admin:two_factor"), {"token": wrong})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["token"]
    # The failure is counted (guessing is slowed down); nothing is linked.
    device = TOTPDevice.objects.get(user=zone_staff)
    assert not device.confirmed
    assert device.throttling_failure_count == 1
    index = client.get(reverse("admin:index"))
    assert index.status_code == HTTPStatus.FOUND

    # The same QR code still works after the mistake (and the pause it costs).
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        retry = client.post(
            reverse("admin:two_factor"), {"token": app_code(linking_device(page))}
        )
    assert retry.status_code == HTTPStatus.FOUND
    device.refresh_from_db()
    assert device.confirmed


def test_a_device_left_unlinked_by_another_session_takes_the_new_code(
    client, two_factor, zone_staff
):
    TOTPDevice.objects.create(user=zone_staff, name="old", confirmed=False)
    assert log_in(client, zone_staff.username, PASSWORD)
    page = client.get(reverse("admin:two_factor"))

    response = client.post(
        reverse("admin:two_factor"), {"token": app_code(linking_device(page))}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert TOTPDevice.objects.filter(user=zone_staff).count() == 1
    assert TOTPDevice.objects.get(user=zone_staff).confirmed


@pytest.mark.parametrize("token", ["", "12345", "abcdef", "1234567", "１２３４５６"])
def test_malformed_codes_get_a_clear_message(client, two_factor, zone_staff, token):
    assert log_in(client, zone_staff.username, PASSWORD)

    response = client.post(reverse("admin:two_factor"), {"token": token})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["token"]


def test_later_logins_ask_only_for_the_code(client, two_factor, zone_staff):
    device = TOTPDevice.objects.create(user=zone_staff, name="phone", confirmed=True)
    assert log_in(client, zone_staff.username, PASSWORD)

    page = client.get(reverse("admin:two_factor"))
    assert b"qr-code" not in page.content
    session_key = client.session.session_key
    response = client.post(reverse("admin:two_factor"), {"token": totp_code(device)})

    assert response.status_code == HTTPStatus.FOUND
    assert client.session.session_key != session_key
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK


def test_guessing_codes_is_slowed_down(client, two_factor, zone_staff):
    device = TOTPDevice.objects.create(user=zone_staff, name="phone", confirmed=True)
    assert log_in(client, zone_staff.username, PASSWORD)
    right = totp_code(device)
    wrong = totp_code(device, offset=7)

    client.post(reverse("admin:two_factor"), {"token": wrong})
    response = client.post(reverse("admin:two_factor"), {"token": right})

    # After a wrong code the next try must wait, even with the right one.
    assert response.status_code == HTTPStatus.OK
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.FOUND


def test_the_code_page_needs_the_password_first(client, two_factor):
    response = client.get(reverse("admin:two_factor"))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("admin:login")


def test_a_login_without_admin_access_is_sent_back(client, two_factor):
    from tests.factories import UserFactory

    user = UserFactory(is_staff=False)
    client.force_login(user)

    response = client.get(reverse("admin:two_factor"))

    assert response.url == reverse("admin:login")
    assert "_auth_user_id" not in client.session


def test_the_code_page_does_not_redirect_elsewhere(client, two_factor, zone_staff):
    device = TOTPDevice.objects.create(user=zone_staff, name="phone", confirmed=True)
    assert log_in(client, zone_staff.username, PASSWORD)

    response = client.post(
        reverse("admin:two_factor"),
        {"token": totp_code(device), "next": "https://evil.example/"},
    )

    assert response.url == reverse("admin:index")


def test_without_the_setting_a_password_is_enough(client, settings, zone_staff):
    settings.TWO_FACTOR_REQUIRED = False
    assert log_in(client, zone_staff.username, PASSWORD)

    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK


def run_settings(code: str, **environ: str) -> str:
    env = child_environment(
        drop={"DATABASE_URL", "DJANGO_ENV", "TWO_FACTOR_REQUIRED"},
        DJANGO_SETTINGS_MODULE="wabp_portal.settings",
        **environ,
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode:
        raise subprocess.CalledProcessError(
            result.returncode, result.args, result.stdout, result.stderr
        )
    return result.stdout.strip()


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-long-and-random-looking-key-for-the-checks-0123456789-XYZ",
    "ALLOWED_HOSTS": "wabp.example.be",
    "DATABASE_URL": "sqlite:///unused.sqlite3",
}


def test_production_requires_two_factor_and_secure_cookies():
    code = (
        "from django.conf import settings as s; "
        "print(s.TWO_FACTOR_REQUIRED, s.SESSION_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    )
    assert run_settings(code, **PRODUCTION) == "True True True True True"
    assert run_settings(code, **PRODUCTION, TWO_FACTOR_REQUIRED="0").startswith("False")
    assert (
        run_settings(
            "from django.conf import settings as s; print(s.TWO_FACTOR_REQUIRED)"
        )
        == "False"
    )


# Lockout ---------------------------------------------------------------------


def fail_logins(client, username: str, times: int, *, address: str) -> None:
    for _attempt in range(times):
        client.post(
            reverse("admin:login"),
            {"username": username, "password": "wrong password!"},
            REMOTE_ADDR=address,
        )


def test_five_failures_lock_the_login_even_with_the_right_password(
    client, zone_staff, caplog
):
    caplog.set_level(logging.DEBUG)
    fail_logins(client, zone_staff.username, 5, address="203.0.113.7")

    response = client.post(
        reverse("admin:login"),
        {"username": zone_staff.username, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "30" in response.content.decode()
    assert "_auth_user_id" not in client.session
    lockouts = [r for r in caplog.records if "locked out" in r.getMessage()]
    assert lockouts
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert zone_staff.username not in logged
    assert zone_staff.email not in logged
    assert "203.0.113.7" not in logged


def test_four_failures_do_not_lock(client, zone_staff):
    fail_logins(client, zone_staff.username, 4, address="203.0.113.7")

    assert log_in(client, zone_staff.username, PASSWORD)


def test_the_lock_holds_for_that_address_only(client, zone_staff):
    fail_logins(client, zone_staff.username, 5, address="203.0.113.7")

    client.post(
        reverse("admin:login"),
        {"username": zone_staff.username, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.1",
    )

    assert "_auth_user_id" in client.session


def test_the_lock_lifts_after_thirty_minutes(client, zone_staff):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail_logins(client, zone_staff.username, 5, address="203.0.113.7")

    def try_login() -> int:
        return client.post(
            reverse("admin:login"),
            {"username": zone_staff.username, "password": PASSWORD},
            REMOTE_ADDR="203.0.113.7",
        ).status_code

    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert try_login() == HTTPStatus.TOO_MANY_REQUESTS
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert try_login() == HTTPStatus.FOUND
        assert "_auth_user_id" in client.session


def test_other_user_names_from_the_same_address_are_not_locked(client, network):
    # (another login of the same zone, trying from the same office)
    fail_logins(client, network.users["staff_a"].username, 5, address="203.0.113.7")

    client.post(
        reverse("admin:login"),
        {"username": network.users["coordinator_a1"].username, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )

    assert "_auth_user_id" in client.session


# Passwords and sessions ------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("Kort-wachtw1", True),  # 12 characters
        ("Kort-wacht1", False),  # 11 characters
        ("123456789012345", False),  # only digits
        ("password1234", False),  # a common password
    ],
)
def test_passwords_need_twelve_characters(password, accepted):
    if accepted:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_login_gives_a_new_session_key(client, zone_staff):
    session = client.session
    session["language_hint"] = "nl"
    session.save()
    client.cookies["sessionid"] = session.session_key
    before = session.session_key

    assert log_in(client, zone_staff.username, PASSWORD)

    assert client.session.session_key != before


def test_session_cookie_is_http_only(client, zone_staff):
    client.post(
        reverse("admin:login"),
        {"username": zone_staff.username, "password": PASSWORD},
    )

    assert client.cookies["sessionid"]["httponly"]
    assert client.cookies["sessionid"]["samesite"] == "Lax"


def test_idle_sessions_are_logged_out(client, settings, zone_staff):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert log_in(client, zone_staff.username, PASSWORD)
        assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK

    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK

    # Activity moved the clock on: 29 minutes after the last request is fine.
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK

    with time_machine.travel(start + timedelta(minutes=89), tick=False):
        response = client.get(reverse("admin:index"), follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("admin:login"))
        assert "_auth_user_id" not in client.session
        messages = [str(m) for m in response.context["messages"]]
        assert any("30" in message for message in messages)


def test_the_deploy_check_refuses_production_without_two_factor():
    code = (
        "from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    try:
        run_settings(code, **PRODUCTION)
    except subprocess.CalledProcessError as failed:
        pytest.fail(failed.stderr)
    with pytest.raises(subprocess.CalledProcessError) as refused:
        run_settings(code, **PRODUCTION, TWO_FACTOR_REQUIRED="0")
    assert "wabp.W001" in refused.value.stderr


def test_staff_reset_a_lost_phone_and_the_coordinator_links_again(
    client, two_factor, network
):
    coordinator_user = network.users["coordinator_a1"]
    TOTPDevice.objects.create(user=coordinator_user, name="old phone", confirmed=True)
    other = network.users["coordinator_a2_a3"]
    TOTPDevice.objects.create(user=other, name="phone", confirmed=True)
    staff = network.users["staff_a"]
    staff_device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    assert log_in(client, staff.username, PASSWORD)
    client.post(reverse("admin:two_factor"), {"token": totp_code(staff_device)})

    response = client.post(
        reverse("admin:groups_coordinator_changelist"),
        {
            "action": "reset_two_factor",
            "_selected_action": [network.coordinator_a1.pk],
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert not TOTPDevice.objects.filter(user=coordinator_user).exists()
    assert TOTPDevice.objects.filter(user=other).exists()


def test_coordinators_cannot_reset_two_step_verification(client, network):
    coordinator_user = network.users["coordinator_a1"]
    TOTPDevice.objects.create(user=coordinator_user, name="phone", confirmed=True)
    client.force_login(coordinator_user)

    client.post(
        reverse("admin:groups_coordinator_changelist"),
        {
            "action": "reset_two_factor",
            "_selected_action": [network.coordinator_a1.pk],
        },
    )

    assert TOTPDevice.objects.filter(user=coordinator_user).exists()


def test_staff_cannot_reset_a_coordinator_of_another_zone(client, network):
    coordinator_user = network.coordinator_b1.user
    TOTPDevice.objects.create(user=coordinator_user, name="phone", confirmed=True)
    client.force_login(network.users["staff_a"])

    client.post(
        reverse("admin:groups_coordinator_changelist"),
        {
            "action": "reset_two_factor",
            "_selected_action": [network.coordinator_b1.pk],
        },
    )

    assert TOTPDevice.objects.filter(user=coordinator_user).exists()


def test_resetting_an_authenticator_app_is_in_the_audit_log(client, network):
    from auditlog.models import LogEntry

    coordinator_user = network.users["coordinator_a1"]
    TOTPDevice.objects.create(user=coordinator_user, name="phone", confirmed=True)
    staff = network.users["staff_a"]
    client.force_login(staff)
    before = LogEntry.objects.filter(action=LogEntry.Action.DELETE).count()

    client.post(
        reverse("admin:groups_coordinator_changelist"),
        {
            "action": "reset_two_factor",
            "_selected_action": [network.coordinator_a1.pk],
        },
    )

    deleted = LogEntry.objects.filter(action=LogEntry.Action.DELETE)
    assert deleted.count() == before + 1
    assert deleted.latest("timestamp").actor == staff
