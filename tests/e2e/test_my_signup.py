"""A member on a phone fixes their own details from the link in a mail.

The link in the "accepted" mail opens their page: where the signup stands.
They mistype a landline, then change their mobile number; ask for a new
e-mail address, open the link mailed to it and use it; the link in the old
mail no longer opens anything; then they withdraw. Every state is checked
with axe (WCAG 2.1 AA) at phone width, without sideways scrolling.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from post_office.models import Email

from groups.models import WhatsAppGroup
from registrations import notifications
from registrations.constants import SignupStatus
from registrations.models import Signup
from tests.e2e.axe import screenshot, violations
from tests.e2e.wording import dutch
from tests.factories import SignupFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

GROUP = "WABP Terkoest Zuid"
OLD_EMAIL = "mira.janssens@example.org"
NEW_EMAIL = "mira@janssens.example.org"


def link_in(mail: Email, route: str) -> str:
    match = re.search(rf"https?://\S+/{route}/\S+?/(?=\s)", mail.message)
    assert match, f"no /{route}/ link in the mail"
    return match.group(0)


def check(page: Page, name: str, found: list[str]) -> None:
    """axe's WCAG 2.1 AA check, and nothing wider than the phone."""
    found += violations(page)
    wide = page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    if wide:
        found.append(f"{name}: the page scrolls sideways at phone width")
    screenshot(page, f"my-signup-{name}", full_page=True)


def test_member_changes_mobile_and_email_then_withdraws_on_a_phone(
    page, live_server, demo_data
):
    group = WhatsAppGroup.objects.get(name=GROUP)
    member = SignupFactory(
        group=group,
        status=SignupStatus.APPROVED,
        decided_at=timezone.now(),
        first_name="Mira",
        last_name="Janssens",
        email=OLD_EMAIL,
        phone="+32471234567",
    )
    notifications.send_decision(member, "signup_approved")
    accepted = Email.objects.get(to=[OLD_EMAIL])
    old_link = link_in(accepted, "mijn-inschrijving")
    found: list[str] = []

    # Where the signup stands.
    page.goto(old_link)
    expect(page.get_by_role("heading", level=1)).to_have_text(dutch("Your signup"))
    expect(page.locator("#signup-status")).to_contain_text(f"Lid van {GROUP}")
    expect(page.locator("#my-phone")).to_have_text("+32 471 23 45 67")
    check(page, "page", found)

    # A landline is refused with a clear message, then a mobile number.
    page.get_by_role("link", name=f"{dutch('Change')} {dutch('mobile number')}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        dutch("Change your mobile number")
    )
    check(page, "phone", found)
    field = page.get_by_label(dutch("New mobile number"))
    field.fill("011 12 34 56")
    page.get_by_role("button", name=dutch("Change my mobile number")).click()
    expect(page.locator("#form-errors")).to_contain_text("geen gsm-nummer")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    check(page, "phone-error", found)
    field.fill("0472 98 76 54")
    page.get_by_role("button", name=dutch("Change my mobile number")).click()
    expect(page.get_by_role("status")).to_have_text(
        dutch("Your mobile number is changed.")
    )
    expect(page.locator("#my-phone")).to_have_text("+32 472 98 76 54")
    check(page, "phone-changed", found)

    # A new e-mail address: used only once the link mailed to it is opened.
    page.get_by_role(
        "link", name=f"{dutch('Change')} {dutch('e-mail address')}"
    ).click()
    field = page.get_by_label(dutch("New e-mail address"))
    field.fill("mira@")
    page.get_by_role("button", name=dutch("Send the link")).click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(field).to_be_focused()
    check(page, "email-error", found)
    field.fill(NEW_EMAIL)
    page.get_by_role("button", name=dutch("Send the link")).click()
    expect(page.locator("#pending-email")).to_contain_text(NEW_EMAIL)
    expect(page.locator("#my-email")).to_have_text(OLD_EMAIL)
    check(page, "email-waiting", found)

    change_link = link_in(
        Email.objects.get(to=[NEW_EMAIL]), "mijn-inschrijving/nieuw-e-mailadres"
    )
    page.goto(change_link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        dutch("Confirm your new e-mail address")
    )
    check(page, "email-confirm", found)
    page.get_by_role("button", name=dutch("Use this e-mail address")).click()
    expect(page.locator("#my-email")).to_have_text(NEW_EMAIL)
    expect(page.get_by_role("status")).to_contain_text("Je e-mailadres is gewijzigd.")
    new_page = page.url
    check(page, "email-changed", found)

    # Whoever reads the old mailbox: its link opens nothing any more.
    page.goto(old_link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        dutch("This link cannot be used")
    )
    expect(page.locator("main")).not_to_contain_text(NEW_EMAIL)
    check(page, "old-link", found)

    # Withdraw from the page: it asks first.
    page.goto(new_page)
    page.get_by_role("link", name=dutch("Withdraw and erase my details")).click()
    check(page, "withdraw", found)
    page.get_by_role("button", name=dutch("Withdraw and erase my details")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        dutch("You have withdrawn")
    )
    check(page, "withdrawn", found)
    page.goto(new_page)
    expect(page.locator("#signup-status")).to_have_text(
        dutch("You withdrew this signup. Your details have been erased.")
    )
    check(page, "page-withdrawn", found)

    member.refresh_from_db()
    assert (member.status, member.email, member.first_name) == (
        SignupStatus.WITHDRAWN,
        "",
        "",
    )
    assert not Signup.objects.filter(email__in=[OLD_EMAIL, NEW_EMAIL]).exists()
    assert found == [], "\n".join(found)
