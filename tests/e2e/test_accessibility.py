"""WCAG 2.1 AA, measured by axe-core in Chromium, for every role's pages.

Residents: every public page and every state of the signup form (empty,
refused with errors, another group suggested, sent, confirmed, withdrawal,
house rules accepted again, a broken link) has no violation at all, at desktop
and at phone width. Coordinators and staff work in Django's admin: no serious
or critical violation on any page their menu leads to.

With ``SCREENSHOT_DIR`` set (``make screenshots``) the walk also takes the
README's screenshots, so they always show what was checked.
"""

import re
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from devdata.management.commands.load_demo import DEMO_PASSWORD, STAFF_USERNAME
from groups.models import Municipality
from groups.services.meetings import response_link
from registrations.constants import SignupStatus
from registrations.models import HouseRules, Signup
from registrations.notifications import (
    confirmation_link,
    reacceptance_link,
    withdrawal_link,
)
from tests.e2e.axe import SERIOUS, screenshot, violations
from tests.e2e.conftest import DESKTOP, PHONE, browser_page
from tests.e2e.wording import dutch
from tests.factories import HouseRulesFactory, MeetingInvitationFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

COORDINATOR_USERNAME = "dominic.hermans"
SIZES = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])


@pytest.fixture
def browse(browser, live_server, demo_data) -> Iterator:
    """Open a new browser window of the size asked for."""
    with ExitStack() as windows:
        yield lambda viewport: windows.enter_context(browser_page(browser, viewport))


def send(page: Page) -> None:
    page.get_by_role("button", name=dutch("Send my signup")).click()
    page.wait_for_load_state()


def fill_details(page: Page, *, email: str) -> None:
    page.get_by_label(dutch("First name")).fill("Mira")
    page.get_by_label(dutch("Last name")).fill("Janssens")
    page.get_by_label(dutch("Street")).fill("Beukenlaan")
    page.get_by_label(dutch("House number")).fill("12")
    page.get_by_label(dutch("Postcode")).fill("3570")
    page.get_by_label(dutch("Mobile number")).fill("0471 23 45 67")
    page.get_by_label(dutch("E-mail address")).fill(email)
    page.locator("#id_accept_house_rules").check()
    page.locator("#id_accept_privacy").check()


def public_pages(page: Page, base: str) -> Iterator[str]:
    """Walk a resident's pages, yielding a name at each state to check."""
    municipality = Municipality.objects.get(name="Alken")

    page.goto(base + reverse("groups:home"))
    yield "networks"
    page.goto(base + reverse("groups:municipality", args=[municipality.slug]))
    yield "municipality"
    page.goto(base + reverse("groups:finder"))
    yield "finder"
    page.get_by_role("button", name=dutch("Search")).click()
    expect(page.locator(".invalid-feedback")).to_be_visible()
    yield "finder-error"
    page.get_by_label(dutch("Street")).fill("Onbekendeweg")
    page.get_by_role("button", name=dutch("Search")).click()
    expect(page.locator(".finder-results")).to_be_visible()
    yield "finder-no-group"
    page.get_by_label(dutch("Street")).fill("beukenl")
    page.get_by_label(dutch("House number")).fill("12")
    page.get_by_role("button", name=dutch("Search")).click()
    expect(page.locator(".finder-results .card")).to_have_count(1)
    yield "finder-result"

    # The signup form, reached from the finder, in each of its states.
    page.locator(".finder-results .card button").click()
    expect(page.get_by_label(dutch("Street"))).to_have_value("Beukenlaan")
    yield "signup"
    page.get_by_label(dutch("Street")).fill("")
    send(page)
    expect(page.locator("#form-errors")).to_be_visible()
    yield "signup-errors"
    page.get_by_label(dutch("Group")).select_option(label="WABP Kolmen (Kolmen)")
    fill_details(page, email="mira.janssens@example.org")
    send(page)
    expect(page.locator("#group-suggestion")).to_be_visible()
    yield "signup-other-group"
    page.locator("#group-suggestion button").first.click()
    expect(page).to_have_url(base + reverse("registrations:signup-sent"))
    yield "signup-sent"
    page.goto(base + reverse("registrations:signup") + "?rol=coordinator")
    yield "signup-coordinator"

    signup = Signup.objects.get(email="mira.janssens@example.org")
    page.goto(confirmation_link(signup))
    yield "signup-confirm"
    page.get_by_role("button", name=dutch("Confirm my signup")).click()
    page.get_by_role(
        "heading", name=dutch("Thank you, your signup is confirmed")
    ).wait_for()
    yield "signup-confirmed"
    page.goto(base + reverse("registrations:signup-confirm", args=["not-a-link"]))
    yield "link-invalid"

    signup.refresh_from_db()
    assert signup.status == SignupStatus.PENDING
    # The resident accepted an older version; the mail asks to accept this one.
    older = HouseRulesFactory(
        zone=signup.municipality.zone, is_current=False, version=0
    )
    Signup.objects.filter(pk=signup.pk).update(house_rules=older)
    page.goto(reacceptance_link(signup))
    yield "house-rules-accept"
    page.get_by_role("button", name=dutch("Accept the house rules")).click()
    expect(page.locator(".invalid-feedback")).to_be_visible()
    yield "house-rules-accept-error"
    page.get_by_label(dutch("I have read the house rules and accept them.")).check()
    page.get_by_role("button", name=dutch("Accept the house rules")).click()
    page.wait_for_load_state()
    yield "house-rules-accepted"

    page.goto(withdrawal_link(signup))
    yield "withdraw"
    page.get_by_role("button", name=dutch("Withdraw and erase my details")).click()
    expect(page).to_have_url(base + reverse("registrations:signup-withdrawn"))
    yield "withdrawn"

    page.goto(base + reverse("registrations:house-rules"))
    yield "house-rules"
    page.goto(base + reverse("registrations:privacy"))
    yield "privacy"
    invitation = MeetingInvitationFactory()
    page.goto(response_link(invitation))
    yield "meeting-response"
    page.goto(base + "/bestaat-niet/")
    yield "not-found"
    page.goto(base + reverse("admin:login"))
    yield "login"
    page.goto(base + reverse("admin_password_reset"))
    yield "password-reset"


@SIZES
def test_public_pages_and_form_states_have_no_violation(browse, live_server, viewport):
    page = browse(viewport)
    found: list[str] = []
    checked = []
    for name in public_pages(page, live_server.url):
        found += violations(page)
        screenshot(page, name)
        checked.append(name)

    # The walk went all the way, through every state once.
    assert checked[-1] == "password-reset"
    assert len(set(checked)) == len(checked) == 25
    assert found == [], "\n".join(found)


@SIZES
def test_rare_public_pages_have_no_violation(browse, live_server, settings, viewport):
    """The pages a resident seldom sees: too many tries, no house rules yet, a
    broken meeting link."""
    page = browse(viewport)
    base = live_server.url
    found: list[str] = []

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "finder": (1, 600)}
    for _ in range(2):
        page.goto(base + reverse("groups:finder"))
        page.get_by_label(dutch("Street")).fill("Beukenlaan")
        page.get_by_role("button", name=dutch("Search")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        dutch("Too many attempts")
    )
    found += violations(page)

    HouseRules.objects.filter(is_current=True).update(is_current=False)
    page.goto(base + reverse("registrations:signup"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        dutch("Signing up is not possible yet")
    )
    found += violations(page)

    page.goto(base + reverse("groups:meeting-response", args=["not-a-link"]))
    found += violations(page)

    assert found == [], "\n".join(found)


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + reverse("admin:login"))
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.locator("#site-name")).to_be_visible()


def admin_pages(page: Page, base: str) -> Iterator[str]:
    """Every admin page the index links to (the lists, the add forms, the
    statistics, privacy requests, undelivered mail, ...) and the first object
    of each list."""
    page.goto(base + reverse("admin:index"))
    yield page.url
    seen = {page.url}
    links = admin_links(page, "#content-main, #content-related, #nav-sidebar")
    for link in links:
        if link in seen:
            continue
        seen.add(link)
        page.goto(link)
        yield link
        if page.locator("#result_list tbody tr").count():
            first = page.locator("#result_list tbody tr a").first
            detail = base + first.get_attribute("href")
            if detail not in seen:
                seen.add(detail)
                page.goto(detail)
                yield detail


ADMIN_PATH = re.compile(r"^/admin/(?!logout|password_change/done|.*/delete/)")


def admin_links(page: Page, selector: str) -> list[str]:
    """The admin pages linked from ``selector``, in page order, once each."""
    base = page.url.split("/admin/")[0]
    hrefs = (
        page.locator(selector)
        .locator("a[href^='/admin/']")
        .evaluate_all("links => links.map(link => link.getAttribute('href'))")
    )
    return list(dict.fromkeys(base + href for href in hrefs if ADMIN_PATH.match(href)))


@pytest.mark.parametrize(
    "username, viewport",
    [
        (COORDINATOR_USERNAME, PHONE),
        (COORDINATOR_USERNAME, DESKTOP),
        (STAFF_USERNAME, DESKTOP),
    ],
    ids=["coordinator-phone", "coordinator-desktop", "staff-desktop"],
)
def test_admin_pages_have_no_serious_violation(browse, live_server, username, viewport):
    page = browse(viewport)
    log_in(page, live_server.url, username)
    found: list[str] = []
    visited = []
    for url in admin_pages(page, live_server.url):
        found += violations(page, impacts=SERIOUS)
        visited.append(url)

    print(f"{username} at {viewport['width']}px: {len(visited)} admin pages")
    assert len(visited) > 5, visited
    assert found == [], "\n".join(found)


@SIZES
def test_coordinator_pages(browse, live_server, viewport):
    """The umbrella page uses the public layout, so it is held to the public
    standard; the waiting signups are the README's picture of the admin."""
    page = browse(viewport)
    log_in(page, live_server.url, COORDINATOR_USERNAME)
    page.goto(live_server.url + reverse("groups:umbrella"))
    assert violations(page) == []

    page.goto(live_server.url + reverse("admin:index"))
    page.get_by_role(
        "link", name=dutch("pending signups").capitalize(), exact=True
    ).click()
    expect(page.locator("#result_list tbody tr")).to_have_count(2)

    assert violations(page, impacts=SERIOUS) == []
    screenshot(page, "coordinator-pending")
