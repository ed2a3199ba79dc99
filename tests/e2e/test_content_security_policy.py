"""The Content-Security-Policy breaks nothing, and the second factor works.

Chromium reports every resource or inline script/style it refuses under the
policy as a console error; the pages of each role are opened with the policy
on and the console must stay free of such reports. The staff member logs in
the way production asks: password, then linking an authenticator app.
"""

from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from devdata.management.commands.load_demo import DEMO_PASSWORD, STAFF_USERNAME
from groups.models import Municipality, WhatsAppGroup
from tests.auth import app_code
from tests.e2e.wording import dutch

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def watch_policy(page: Page) -> list[str]:
    refused: list[str] = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return refused


def test_public_pages_run_under_the_policy(page: Page, live_server, demo_data):
    refused = watch_policy(page)
    municipality = Municipality.objects.order_by("pk").first()
    group = WhatsAppGroup.objects.filter(is_public=True).order_by("pk").first()
    base = live_server.url

    for path in [
        "/",
        reverse("groups:municipality", args=[municipality.slug]),
        reverse("groups:finder"),
        reverse("registrations:privacy"),
        reverse("registrations:signup") + f"?group={group.pk}",
    ]:
        page.goto(base + path)
    # A refused submit shows the errors (and runs the form's script).
    page.get_by_role("button", name=dutch("Send my signup")).click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()

    assert refused == []


def test_staff_links_an_app_and_works_under_the_policy(
    desktop_page: Page, live_server, demo_data, settings
):
    settings.TWO_FACTOR_REQUIRED = True
    page = desktop_page
    refused = watch_policy(page)

    page.goto(live_server.url + reverse("admin:index"))
    # Django's own wording of the login page.
    page.get_by_label("Gebruikersnaam").fill(STAFF_USERNAME)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()

    # The password alone leads to linking an authenticator app.
    expect(page.locator("svg.qr-code")).to_be_visible()
    # The user types the secret the page shows into their app.
    secret = page.locator("code.otp-secret").inner_text().replace(" ", "")
    app = TOTPDevice(key=b32decode(secret + "=" * (-len(secret) % 8)).hex())
    page.get_by_label(dutch("Six-digit code")).fill(app_code(app))
    page.get_by_role("button", name=dutch("Confirm and log in")).click()
    expect(page.locator("#site-name")).to_be_visible()
    expect(page).to_have_url(live_server.url + reverse("admin:index"))

    for name in [
        "admin:registrations_pendingsignup_changelist",
        "admin:registrations_member_changelist",
        "admin:groups_whatsappgroup_changelist",
        "admin:groups_coordinator_changelist",
        "admin:groups_whatsappgroup_add",
        "admin:auditlog_logentry_changelist",
        "statistics",
    ]:
        page.goto(live_server.url + reverse(name))
        expect(page.locator("#content")).to_be_visible()

    assert refused == []
