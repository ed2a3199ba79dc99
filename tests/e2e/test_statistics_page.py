"""Police-zone staff open the statistics page from the admin index.

The test also takes the README's screenshot: with ``SCREENSHOT_DIR`` set
(``make screenshots``) it is saved there as ``statistics.png``.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from groups.models import WhatsAppGroup
from registrations.models import Signup
from tests.e2e.wording import dutch

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def desktop_page(browser, live_server) -> Iterator:
    """Staff work at a desk: a laptop-sized window rather than a phone."""
    context = browser.new_context(locale="nl-BE", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_staff_open_the_statistics_from_the_admin_index(
    desktop_page, live_server, demo_data, tmp_path
):
    page = desktop_page
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Gebruikersnaam").fill("politie")
    page.get_by_label("Wachtwoord").fill("wabp-demo-2026")
    page.get_by_role("button", name="Aanmelden").click()

    page.get_by_role("link", name=dutch("Statistics and coverage"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        dutch("Statistics and coverage")
    )
    for heading in ("In short", "Per municipality", "Signups per month", "Coverage"):
        expect(
            page.get_by_role("heading", level=2, name=dutch(heading), exact=True)
        ).to_be_visible()
    expect(
        page.get_by_role("heading", level=3, name="Alken", exact=True)
    ).to_be_visible()
    # One municipality: its groups' bars and the months' columns.
    charts = page.locator("svg[role=img]")
    expect(charts).to_have_count(2)
    groups_chart = charts.nth(0)
    groups = WhatsAppGroup.objects.neighbourhood()
    expect(groups_chart.locator("text", has_text="WABP Terkoest Zuid")).to_have_count(1)
    # A bar for every group's waiting signups, and one in the legend.
    expect(groups_chart.locator("rect.chart-pending")).to_have_count(groups.count() + 1)
    signups = Signup.objects.all()
    figures = page.locator(".statistics-figures dd")
    expect(figures.nth(0)).to_have_text(str(groups.count()))
    expect(figures.nth(1)).to_have_text(str(signups.members().count()))
    expect(figures.nth(2)).to_have_text(str(signups.pending().count()))

    directory = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(directory / "statistics.png"), full_page=True)
    assert (directory / "statistics.png").stat().st_size > 10_000
