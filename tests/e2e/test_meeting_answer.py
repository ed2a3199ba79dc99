"""Answering a meeting invitation on a phone: one tap, and the answer shown.

The page a mail's link opens records nothing; a tap on "Ik kom" does, and
the page then says which answer was recorded. A cancelled meeting's page says
so and offers no buttons. No WCAG 2.1 AA violation at 390 px.
"""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from groups.models import MeetingInvitation
from groups.services import cancel_meeting, response_link
from tests.e2e.axe import screenshot, violations
from tests.factories import MeetingFactory, MeetingInvitationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def served(live_server, url: str) -> str:
    """The mail's link, on the test server."""
    return live_server.url + urlsplit(url).path


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_one_tap_answers_on_a_phone(page, live_server):
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=7))
    invitation = MeetingInvitationFactory(meeting=meeting)

    page.goto(served(live_server, response_link(invitation)))
    assert violations(page) == []
    assert no_horizontal_scroll(page)
    screenshot(page, "meeting-answer")
    invitation.refresh_from_db()
    assert invitation.response == ""

    page.get_by_role("button", name="Ik kom", exact=True).click()

    expect(page.locator("#current-answer")).to_contain_text("Je antwoord: ik kom.")
    expect(page.get_by_text("Je kan het nog veranderen tot het overleg begint."))
    assert violations(page) == []
    assert MeetingInvitation.objects.get(pk=invitation.pk).response == "yes"

    page.get_by_role("button", name="Ik kom niet").click()
    expect(page.locator("#current-answer")).to_contain_text("Je antwoord: ik kom niet.")
    assert MeetingInvitation.objects.get(pk=invitation.pk).response == "no"


def test_a_cancelled_meeting_page_on_a_phone(page, live_server):
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=7))
    invitation = MeetingInvitationFactory(meeting=meeting)
    cancel_meeting(meeting, by=UserFactory(is_superuser=True, is_staff=True))

    page.goto(served(live_server, response_link(invitation)))

    expect(page.get_by_role("heading", level=1)).to_contain_text("Afgelast:")
    assert page.get_by_role("button", name="Ik kom", exact=True).count() == 0
    assert violations(page) == []
    assert no_horizontal_scroll(page)
