"""The police-zone staff's new pages, and the coordinator's new lists, with axe.

Staff at a desk: entering a signup for a resident and the printable letter,
writing to the coordinators and its confirmation, importing streets and the
import's progress page, approving a new-group application with its streets,
a meeting's attendance and minutes. The admin is held to "no serious or
critical violation" (as in test_accessibility); the letter, which residents
read, to none at all. A coordinator on a phone: the police zone's messages
and their meetings fit the width, with no violation.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from devdata.management.commands.load_demo import STAFF_USERNAME
from groups.models import Meeting, Municipality, PoliceZone
from registrations.constants import SignupRole, SignupStatus
from registrations.models import Signup
from tests.e2e.axe import SERIOUS, screenshot, violations
from tests.e2e.conftest import DESKTOP, PHONE, browser_page
from tests.e2e.test_accessibility import log_in
from tests.e2e.test_coordinator_phone import COORDINATOR_USERNAME, check

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def serious(page: Page, name: str, found: list[str]) -> None:
    found += [f"{name}: {each}" for each in violations(page, impacts=SERIOUS)]
    screenshot(page, f"staff-{name}")


def test_staff_pages_of_round_two(browser, live_server, demo_data):
    base = live_server.url
    zone = PoliceZone.objects.get(staff__username=STAFF_USERNAME)
    municipality = Municipality.objects.filter(zone=zone).first()
    meeting = Meeting.objects.create(
        zone=zone,
        starts_at=timezone.now() - timedelta(hours=3),
        location="Gemeentehuis",
    )
    found: list[str] = []

    with browser_page(browser, DESKTOP) as page:
        log_in(page, base, STAFF_USERNAME)

        page.goto(base + reverse("assisted-signup"))
        expect(page.locator("form")).not_to_have_count(0)
        serious(page, "assisted-signup", found)

        page.goto(base + reverse("admin:groups_message_add"))
        serious(page, "message-compose", found)

        page.goto(
            base
            + reverse(
                "admin:groups_municipality_import_streets", args=[municipality.pk]
            )
        )
        serious(page, "street-import", found)

        # The demo's application to start a group, and its streets.
        application = Signup.objects.get(
            role=SignupRole.COORDINATOR, status=SignupStatus.PENDING
        )
        page.goto(
            base
            + reverse(
                "admin:registrations_groupapplication_approve", args=[application.pk]
            )
        )
        expect(page.locator("form")).not_to_have_count(0)
        serious(page, "application-approve", found)

        page.goto(base + reverse("admin:groups_meeting_follow_up", args=[meeting.pk]))
        serious(page, "meeting-follow-up", found)

    assert found == [], "\n".join(found)


def test_coordinator_lists_of_round_two_on_a_phone(browser, live_server, demo_data):
    base = live_server.url
    with browser_page(browser, PHONE) as page:
        log_in(page, base, COORDINATOR_USERNAME)
        found: list[str] = []

        page.goto(base + reverse("admin:groups_message_changelist"))
        found += check(page)
        page.goto(base + reverse("my-meetings"))
        found += check(page)
        screenshot(page, "coordinator-my-meetings")

    assert found == [], "\n".join(found)
