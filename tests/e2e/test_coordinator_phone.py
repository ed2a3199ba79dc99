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
from tests.e2e.wording import dutch, dutch_count

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
    screenshot(page, "coordinator-phone-dashboard", full_page=True)

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


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + reverse("admin:login"))
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.locator("#site-name")).to_be_visible()


def test_coordinator_approves_a_signup_in_three_taps_on_a_phone(
    page: Page, live_server, demo_data
):
    log_in(page, live_server.url, COORDINATOR_USERNAME)
    waiting = Signup.objects.get(email="lotte.vanderhoven@example.org")
    assert waiting.status == SignupStatus.PENDING

    # Tap 1: the dashboard's button.
    button = dutch_count(
        "%(counter)s signup waits for a decision",
        "%(counter)s signups wait for a decision",
        2,
    )
    page.get_by_role("link", name=button).click()

    # The waiting signups are cards; the table is for a desk.
    cards = page.locator("ul.cards > li.card")
    expect(cards).to_have_count(2)
    expect(page.locator("#result_list")).to_be_hidden()
    card = cards.filter(has_text="Lotte Vanderhoven")
    expect(card).to_contain_text(f"{waiting.street_name} {waiting.house_number}")
    expect(card).to_contain_text(dutch("Waiting for %(time)s").split("%")[0].strip())
    chat = card.get_by_role("link", name=dutch("WhatsApp chat"))
    expect(chat).to_have_attribute("href", waiting.whatsapp_url)
    call = card.get_by_role("link", name=dutch("Call"))
    expect(call).to_have_attribute("href", f"tel:{waiting.phone.as_e164}")
    reject = card.get_by_role("link", name=dutch("Reject…"))
    expect(reject).to_have_attribute(
        "href", reverse("admin:registrations_pendingsignup_reject", args=[waiting.pk])
    )
    # Approve and Reject come first, before the address and the contact buttons.
    approve = card.get_by_role("button", name=dutch("Approve"))
    approve_top = approve.bounding_box()["y"]
    assert approve_top < chat.bounding_box()["y"]
    assert approve_top < card.get_by_text(waiting.street_name).bounding_box()["y"]
    assert approve_top + approve.bounding_box()["height"] < 844
    screenshot(page, "coordinator-phone-pending")

    # Tap 2: Approve on the card. Done: the message, one card left.
    approve.click()
    expect(page.locator("ul.messagelist")).to_be_visible()
    expect(cards).to_have_count(1)
    expect(page.locator("ul.cards")).not_to_contain_text("Lotte Vanderhoven")
    waiting.refresh_from_db()
    assert waiting.status == SignupStatus.APPROVED
    assert waiting.decided_by.username == COORDINATOR_USERNAME
    assert fits(page) == []


def test_the_signup_page_shows_its_buttons_first_on_a_phone(
    page: Page, live_server, demo_data
):
    log_in(page, live_server.url, COORDINATOR_USERNAME)
    waiting = Signup.objects.get(email="lotte.vanderhoven@example.org")
    page.goto(
        live_server.url
        + reverse("admin:registrations_pendingsignup_change", args=[waiting.pk])
    )

    approve = page.get_by_role("button", name=dutch("Approve"))
    # In the first screen, before any section of details.
    assert approve.bounding_box()["y"] + approve.bounding_box()["height"] < 844
    assert (
        approve.bounding_box()["y"] < page.locator("fieldset").first.bounding_box()["y"]
    )
    expect(page.get_by_role("heading", name=dutch("New group"))).to_have_count(0)
    expect(page.get_by_role("link", name=dutch("Call"))).to_have_attribute(
        "href", f"tel:{waiting.phone.as_e164}"
    )
    screenshot(page, "coordinator-phone-signup")


def test_added_to_whatsapp_is_one_tap_on_a_phone_and_a_desk(
    browser, live_server, demo_data
):
    coordinator = Coordinator.objects.get(user__username=COORDINATOR_USERNAME)
    members = Signup.objects.filter(
        group__coordinators=coordinator, status=SignupStatus.APPROVED
    ).order_by("last_name", "pk")
    first, second = members[0], members[1]
    members.filter(pk__in=[first.pk, second.pk]).update(added_to_whatsapp_at=None)
    changelist = live_server.url + reverse("admin:registrations_member_changelist")
    added = dutch("Added to WhatsApp")

    with browser_page(browser, PHONE) as page:
        log_in(page, live_server.url, COORDINATOR_USERNAME)
        page.goto(changelist)
        card = page.locator("li.card").filter(has_text=first.full_name)
        expect(card.get_by_role("link", name=dutch("WhatsApp chat"))).to_have_attribute(
            "href", first.whatsapp_url
        )
        expect(card.get_by_role("link", name=dutch("Call"))).to_have_attribute(
            "href", f"tel:{first.phone.as_e164}"
        )
        expect(page.locator("li.card").get_by_role("button", name=added)).to_have_count(
            2
        )
        screenshot(page, "coordinator-phone-members")

        card.get_by_role("button", name=added).click()  # the one tap

        expect(page.locator("ul.messagelist")).to_be_visible()
        expect(card.get_by_role("button", name=added)).to_have_count(0)
        first.refresh_from_db()
        assert first.added_to_whatsapp_at is not None
        assert fits(page) == []

    with browser_page(browser, DESKTOP) as page:
        log_in(page, live_server.url, COORDINATOR_USERNAME)
        page.goto(changelist)
        expect(page.locator("ul.cards")).to_be_hidden()
        row = page.locator("#result_list tbody tr").filter(has_text=second.full_name)
        row.get_by_role("button", name=added).click()  # the one tap

        expect(page.locator("ul.messagelist")).to_be_visible()
        second.refresh_from_db()
        assert second.added_to_whatsapp_at is not None
        expect(
            page.locator("#result_list").get_by_role("button", name=added)
        ).to_have_count(0)


def test_the_lists_show_every_column_on_a_desk(browser, live_server, demo_data):
    """At 1280 px the e-mail column is in view, without scrolling sideways."""
    with browser_page(browser, DESKTOP) as page:
        log_in(page, live_server.url, COORDINATOR_USERNAME)
        for name in [
            "admin:registrations_pendingsignup_changelist",
            "admin:registrations_member_changelist",
        ]:
            page.goto(live_server.url + reverse(name))
            expect(page.locator("ul.cards")).to_be_hidden()
            email = page.locator("#result_list th.column-email")
            expect(email).to_be_visible()
            box = email.bounding_box()
            assert box["x"] + box["width"] <= DESKTOP["width"], name
            results = page.locator("#changelist-form .results")
            assert results.evaluate("e => e.scrollWidth <= e.clientWidth"), name
            assert fits(page) == [], name


def test_statistics_fit_a_phone_for_staff(browser, live_server, demo_data):
    with browser_page(browser, PHONE) as page:
        log_in(page, live_server.url, STAFF_USERNAME)
        found = []
        for name in [
            "admin:index",
            "admin:registrations_pendingsignup_changelist",
            "statistics",
        ]:
            page.goto(live_server.url + reverse(name))
            found += check(page)
        # The charts scale to the screen, their drawing whole.
        charts = page.locator(".statistics svg[role=img]")
        expect(charts).to_have_count(2)
        for index in range(2):
            box = charts.nth(index).bounding_box()
            assert box["width"] <= PHONE["width"] and box["height"] > 100
        # The months' table, opened, is cards too.
        page.get_by_text(dutch("Signups per month as a table")).click()
        expect(page.locator("details[open] table")).to_be_visible()
        found += fits(page)
        assert found == [], "\n".join(found)
