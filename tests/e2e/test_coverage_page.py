"""Police-zone staff read the coverage page on a phone (390 px).

From the statistics page to the coverage page: every chart fits the screen,
nothing scrolls sideways, no WCAG 2.1 AA violation, and a list's next page
keeps the reader at that list. With ``SCREENSHOT_DIR`` set the test takes
the README's picture, ``coverage-phone.png``.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from groups.models import Street, WhatsAppGroup
from registrations.constants import SignupStatus
from tests.e2e.axe import screenshot, violations
from tests.e2e.wording import dutch
from tests.factories import SignupFactory, WaitingListEntryFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def fits(page) -> bool:
    # Measured once the page and its stylesheets are loaded (a click only
    # waits for the navigation to start).
    page.wait_for_load_state()
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def charts_fit(page) -> bool:
    page.wait_for_load_state()
    return page.evaluate(
        """() => [...document.querySelectorAll('svg[role=img]')].every(
             svg => svg.getBoundingClientRect().right <= window.innerWidth)"""
    )


def test_staff_read_the_coverage_on_a_phone(page, live_server, demo_data):
    first, second = WhatsAppGroup.objects.published()[:2]
    for group in (first, second):
        SignupFactory(
            group=group,
            status=SignupStatus.APPROVED,
            decided_at=timezone.now(),
            phone="+32470555123",
        )
    street = Street.objects.without_group().first()
    for _ in range(2):
        WaitingListEntryFactory(street=street)

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Gebruikersnaam").fill("politie")
    page.get_by_label("Wachtwoord").fill("wabp-demo-2026")
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_role("link", name=dutch("Statistics and coverage"), exact=True).click()
    assert fits(page)
    assert charts_fit(page)

    page.get_by_role("link", name=dutch("Coverage and overlaps"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        dutch("Coverage and overlaps")
    )
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert page.locator("svg[role=img]").count() >= 3
    assert fits(page)
    assert charts_fit(page)
    assert violations(page) == []
    expect(page.get_by_text("0470 55 51 23")).to_be_visible()
    screenshot(page, "coverage", full_page=True)

    streets = page.locator("#straten")
    expect(streets).to_be_visible()
    next_page = page.get_by_role("link", name=dutch("Next")).first
    if next_page.count():
        next_page.click()
        expect(page).to_have_url(re.compile(r"straten=2#straten$"))
        assert fits(page)
