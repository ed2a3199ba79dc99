"""A coordinator's day on a phone (390 px), in one walk.

Dominic Hermans logs in on his phone and, in the order his work brings it:
approves a waiting signup from its card, marks the new member added to the
WhatsApp group with one tap, ends another member's membership by mistake
and undoes it from the message, answers the zone's meeting invitation from
the mail's link, and hands one of his groups over to a successor, who
accepts on her own phone. Every page on the way fits the width and axe
finds no WCAG 2.1 AA violation on it. With ``SCREENSHOT_DIR`` set the walk
takes the pictures ``coordinator-day-*-phone.png``.
"""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from post_office.models import Email

from groups.constants import CoordinatorRole
from groups.models import Coordinator, GroupCoordinator, MeetingInvitation
from groups.services import invite_coordinators, response_link
from registrations.constants import SignupStatus
from registrations.models import Signup
from tests.e2e.axe import screenshot
from tests.e2e.test_coordinator_phone import COORDINATOR_USERNAME, check, log_in
from tests.e2e.wording import dutch, dutch_count
from tests.factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SUCCESSOR = "jana.peeters@example.org"


def look(page: Page, name: str, found: list[str]) -> None:
    """Fits the phone, no axe violation; the picture for the README."""
    found += check(page)
    screenshot(page, f"coordinator-day-{name}", full_page=True)


def test_a_coordinators_day_on_a_phone(page: Page, live_server, demo_data):
    base = live_server.url
    coordinator = Coordinator.objects.get(user__username=COORDINATOR_USERNAME)
    waiting = Signup.objects.get(email="lotte.vanderhoven@example.org")
    found: list[str] = []

    log_in(page, base, COORDINATOR_USERNAME)
    look(page, "dashboard", found)

    # Approve: the dashboard's button, then Approve on the card.
    page.get_by_role(
        "link",
        name=dutch_count(
            "%(counter)s signup waits for a decision",
            "%(counter)s signups wait for a decision",
            2,
        ),
    ).click()
    look(page, "pending", found)
    card = page.locator("li.card").filter(has_text="Lotte Vanderhoven")
    card.get_by_role("button", name=dutch("Approve")).click()
    expect(page.locator("ul.messagelist")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.status == SignupStatus.APPROVED

    # Added to WhatsApp: one tap on the new member's card.
    page.goto(base + reverse("admin:registrations_member_changelist"))
    look(page, "members", found)
    card = page.locator("li.card").filter(has_text="Lotte Vanderhoven")
    card.get_by_role("button", name=dutch("Added to WhatsApp")).click()
    expect(page.locator("ul.messagelist")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.added_to_whatsapp_at is not None

    # End a membership by mistake: asked first, with the name; then undone
    # from the message, before any mail went out.
    card = page.locator("li.card").filter(has_text="Lotte Vanderhoven")
    card.get_by_role("button", name=dutch("Left the group…")).click()
    expect(page.locator("ul.confirm-names")).to_contain_text("Lotte Vanderhoven")
    look(page, "end-confirm", found)
    page.get_by_role("button", name=dutch("Mark as left")).click()
    message = page.locator("ul.messagelist")
    expect(message).to_be_visible()
    look(page, "ended", found)
    waiting.refresh_from_db()
    assert waiting.status == SignupStatus.LEFT
    held = Email.objects.filter(to=[waiting.email], scheduled_time__gt=timezone.now())
    assert held.count() == 1
    message.get_by_role("button", name=dutch("Undo")).click()
    expect(page.locator("ul.messagelist")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.status == SignupStatus.APPROVED
    assert not held.exists()

    # The zone's meeting: the mail's link opens the page, one tap answers.
    staff = UserFactory(is_superuser=True, is_staff=True)
    meeting = MeetingFactory(
        zone=coordinator.zone, starts_at=timezone.now() + timedelta(days=10)
    )
    invite_coordinators(meeting, by=staff)
    invitation = MeetingInvitation.objects.get(meeting=meeting, coordinator=coordinator)
    page.goto(base + urlsplit(response_link(invitation)).path)
    look(page, "meeting", found)
    page.get_by_role("button", name=dutch("I will come"), exact=True).click()
    expect(page.locator("#current-answer")).to_be_visible()
    look(page, "meeting-answered", found)
    invitation.refresh_from_db()
    assert invitation.response == "yes"

    # Hand a group over: the dashboard's link, a new person's details.
    link = GroupCoordinator.objects.filter(
        coordinator=coordinator, role=CoordinatorRole.LEAD
    ).first()
    group = link.whatsappgroup
    page.goto(base + reverse("admin:index"))
    page.get_by_role(
        "link", name=dutch("Hand over %(group)s") % {"group": group.name}
    ).click()
    look(page, "handover", found)
    page.get_by_label(dutch("first name"), exact=False).first.fill("Jana")
    page.get_by_label(dutch("last name"), exact=False).fill("Peeters")
    page.get_by_label(dutch("e-mail address"), exact=False).fill(SUCCESSOR)
    page.get_by_role("button", name=dutch("Send the handover")).click()
    expect(page.locator("ul.messagelist")).to_be_visible()

    # The successor, on her own phone: the mail's link, one tap.
    mail = Email.objects.get(to=[SUCCESSOR])
    accept = re.search(r"https?://\S+/overdracht/\S+?/(?=\s)", mail.message).group()
    page.context.clear_cookies()
    page.goto(accept)
    look(page, "handover-accept", found)
    page.get_by_role("button", name=dutch("I accept: the group is mine")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(group.name)
    successor = Coordinator.objects.get(email=SUCCESSOR)
    assert GroupCoordinator.objects.get(
        coordinator=successor, whatsappgroup=group
    ).role == (CoordinatorRole.LEAD)
    assert not GroupCoordinator.objects.filter(
        coordinator=coordinator, whatsappgroup=group
    ).exists()

    assert found == [], "\n".join(found)
