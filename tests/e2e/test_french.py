"""A French-speaking resident in Chromium: the language switcher, the public
pages in French, the Dutch-only house rules announced, and axe's WCAG 2.1 AA
check on each (the Dutch parts carry lang="nl", as WCAG 3.1.2 asks)."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.e2e.axe import violations
from tests.e2e.conftest import DESKTOP, PHONE, browser_page
from tests.e2e.wording import dutch

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def french(text: str) -> str:
    with translation.override("fr"):
        return gettext(text)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_french_resident_switches_language_and_walks_the_public_pages(
    browser, live_server, demo_data, viewport
):
    base = live_server.url
    found: list[str] = []
    with browser_page(browser, viewport) as page:
        page.goto(base + reverse("groups:home"))
        expect(page.locator("html")).to_have_attribute("lang", "nl")

        page.get_by_label(dutch("Language")).select_option(label="Français")
        page.get_by_role("button", name=dutch("Change")).click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            french("Together against burglary with WhatsApp")
        )
        found += violations(page)

        page.get_by_role("link", name=french("Find your group")).first.click()
        page.get_by_label(french("Street")).fill("beukenl")
        page.get_by_label(french("House number")).fill("12")
        page.get_by_role("button", name=french("Search")).click()
        expect(page.locator(".finder-results .card")).to_have_count(1)
        found += violations(page)

        page.locator(".finder-results .card button").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            french("Sign up for the neighbourhood watch")
        )
        page.locator(".house-rules-summary summary").click()
        expect(page.locator(".house-rules-summary .dutch-only")).to_have_text(
            french("This text is available in Dutch only.")
        )
        found += violations(page)

        page.goto(base + reverse("registrations:house-rules"))
        expect(page.locator(".dutch-only").first).to_have_text(
            french("This text is available in Dutch only.")
        )
        found += violations(page)

        page.goto(base + reverse("registrations:privacy"))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            french("Privacy notice")
        )
        found += violations(page)

    assert found == [], "\n".join(found)
