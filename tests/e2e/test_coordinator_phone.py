"""A coordinator's day on a phone (390 px): every page fits the width.

A coordinator logs in on a phone (password, then linking an authenticator
app), walks every page their work takes them to, and on each the page does
not scroll sideways and no element is wider than the screen; axe finds
nothing. The waiting signups and the members are cards with the chat, call
and decision buttons; approving a signup takes three taps after login and
"added to WhatsApp" one. Staff get the same on the statistics page.

With ``SCREENSHOT_DIR`` set (``make screenshots``) the walk takes the
README's pictures ``coordinator-phone-*-phone.png``.
"""

from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from devdata.management.commands.load_demo import DEMO_PASSWORD, STAFF_USERNAME
from groups.models import Coordinator
from registrations.constants import SignupStatus
from registrations.models import Signup
from tests.auth import app_code
from tests.e2e.axe import screenshot, violations
from tests.e2e.conftest import DESKTOP, PHONE, browser_page
from tests.e2e.wording import dutch

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

COORDINATOR_USERNAME = "dominic.hermans"

# Elements wider than the screen, or reaching past its edges. Elements of a
# pixel or less are the ones hidden for sight but read aloud ("visually
# hidden"); they are not seen and cannot make the page scroll.
TOO_WIDE = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const wide = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    if (box.width > width || box.right > width + 0.5 || box.left < -0.5) {
      const name = element.tagName.toLowerCase()
        + (element.id ? "#" + element.id : "")
        + (element.classList.length ? "." + [...element.classList].join(".") : "");
      wide.push(`${name} (${Math.round(box.left)}..${Math.round(box.right)})`);
    }
  }
  return {scroll: root.scrollWidth, client: width, wide: wide.slice(0, 8)};
}"""


def fits(page: Page) -> list[str]:
    """What on this page is wider than the screen (nothing, when it fits)."""
    page.wait_for_load_state()
    measured = page.evaluate(TOO_WIDE)
    problems = []
    if measured["scroll"] > measured["client"]:
        problems.append(
            f"{page.url}: scrolls sideways "
            f"({measured['scroll']} px on a {measured['client']} px screen)"
        )
    problems += [f"{page.url}: {each}" for each in measured["wide"]]
    return problems


def check(page: Page) -> list[str]:
    """Fits the width and has no axe violation."""
    return fits(page) + violations(page)


def log_in_with_app(page: Page, base: str, username: str) -> None:
    """Password, then the two-step page: link an app and type its code."""
    page.goto(base + reverse("admin:login"))
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.locator("svg.qr-code")).to_be_visible()


def enter_code(page: Page) -> None:
    secret = page.locator("code.otp-secret").inner_text().replace(" ", "")
    app = TOTPDevice(key=b32decode(secret + "=" * (-len(secret) % 8)).hex())
    page.get_by_label(dutch("Six-digit code")).fill(app_code(app))
    page.get_by_role("button", name=dutch("Confirm and log in")).click()
    expect(page.locator("#site-name")).to_be_visible()


def test_every_coordinator_page_fits_a_phone(
    page: Page, live_server, demo_data, settings
):
    settings.TWO_FACTOR_REQUIRED = True
    base = live_server.url
    coordinator = Coordinator.objects.get(user__username=COORDINATOR_USERNAME)
    own = Signup.objects.filter(group__coordinators=coordinator)
    pending = own.filter(status=SignupStatus.PENDING).order_by("pk").first()
    member = own.filter(status=SignupStatus.APPROVED).order_by("pk").first()
    assert pending and member
    found: list[str] = []

    log_in_with_app(page, base, COORDINATOR_USERNAME)
    found += check(page)
    enter_code(page)

    for name in [
        "admin:index",
        "admin:registrations_pendingsignup_changelist",
        ("admin:registrations_pendingsignup_change", pending.pk),
        "admin:registrations_member_changelist",
        ("admin:registrations_member_change", member.pk),
        "admin:registrations_withdrawnmember_changelist",
        "groups:umbrella",
        ("admin:groups_coordinator_change", coordinator.pk),
        "admin:password_change",
    ]:
        if isinstance(name, tuple):
            url = reverse(name[0], args=name[1:])
        else:
            url = reverse(name)
        page.goto(base + url)
        found += check(page)

    assert found == [], "\n".join(found)


def test_statistics_fit_a_phone_for_staff(browser, live_server, demo_data):
    with browser_page(browser, PHONE) as page:
        page.goto(live_server.url + reverse("admin:login"))
        page.get_by_label("Gebruikersnaam").fill(STAFF_USERNAME)
        page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Aanmelden").click()
        expect(page.locator("#site-name")).to_be_visible()
        found = []
        for name in [
            "admin:index",
            "statistics",
            "admin:registrations_pendingsignup_changelist",
        ]:
            page.goto(live_server.url + reverse(name))
            found += check(page)
        assert found == [], "\n".join(found)


_ = DESKTOP
