"""Police-zone staff open the statistics page from the admin index.

With ``SCREENSHOT_DIR`` set (``make screenshots``) the test also takes the
README's picture of the page, ``statistics-desktop.png``.
"""

import pytest
from playwright.sync_api import expect

from groups.models import WhatsAppGroup
from registrations.models import Signup
from tests.e2e.axe import screenshot
from tests.e2e.wording import dutch

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_staff_open_the_statistics_from_the_admin_index(
    desktop_page, live_server, demo_data
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

    screenshot(page, "statistics", full_page=True)
