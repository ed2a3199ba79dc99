"""A coordinator on a phone hands their group over; the successor accepts.

From the dashboard's button, the lead names a new person; the successor
opens the link in the mail on their phone and accepts with one tap; the
link then says it was used. The successor's pages pass axe (WCAG 2.1 AA),
the admin's have no serious or critical violation, and nothing scrolls
sideways at phone width.
"""

import re

import pytest
from playwright.sync_api import Page, expect
from post_office.models import Email

from groups.constants import CoordinatorRole
from groups.models import Coordinator, GroupCoordinator, WhatsAppGroup
from tests.e2e.axe import SERIOUS, screenshot, violations
from tests.e2e.wording import dutch

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

GROUP = "WABP Terkoest Zuid"
SUCCESSOR = "jana.peeters@example.org"


def check(page: Page, name: str, found: list[str], *, admin: bool = False) -> None:
    found += violations(page, impacts=SERIOUS if admin else None)
    wide = page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    if wide:
        found.append(f"{name}: the page scrolls sideways at phone width")
    screenshot(page, f"handover-{name}", full_page=True)


def test_coordinator_hands_the_group_over_on_a_phone(page, live_server, demo_data):
    group = WhatsAppGroup.objects.get(name=GROUP)
    found: list[str] = []

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Gebruikersnaam").fill("dominic.hermans")
    page.get_by_label("Wachtwoord").fill("wabp-demo-2026")
    page.get_by_role("button", name="Aanmelden").click()

    hand_over = dutch("Hand over %(group)s") % {"group": GROUP}
    page.get_by_role("link", name=hand_over).click()
    check(page, "offer", found, admin=True)
    page.get_by_label(dutch("first name"), exact=False).first.fill("Jana")
    page.get_by_label(dutch("last name"), exact=False).fill("Peeters")
    page.get_by_label(dutch("e-mail address"), exact=False).fill(SUCCESSOR)
    page.get_by_role("button", name=dutch("Send the handover")).click()
    page.locator("ul.messagelist").wait_for()
    check(page, "offered", found, admin=True)

    mail = Email.objects.get(to=[SUCCESSOR])
    link = re.search(r"https?://\S+/overdracht/\S+?/(?=\s)", mail.message).group()
    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text(GROUP)
    check(page, "accept", found)
    page.get_by_label(
        dutch("Show my name in the public table of the networks, next to the group")
    ).check()
    page.get_by_role("button", name=dutch("I accept: the group is mine")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(GROUP)
    check(page, "accepted", found)

    successor = Coordinator.objects.get(email=SUCCESSOR)
    link_row = GroupCoordinator.objects.get(coordinator=successor, whatsappgroup=group)
    assert link_row.role == CoordinatorRole.LEAD and successor.listed_publicly

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        dutch("This link cannot be used")
    )
    check(page, "used", found)

    page.goto(live_server.url + "/")
    expect(page.locator("main")).to_contain_text("Jana Peeters")
    assert not found, "\n".join(found)
