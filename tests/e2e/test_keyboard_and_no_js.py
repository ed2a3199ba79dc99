"""Issue 8 (WCAG 2.1 AA): a resident signs up by keyboard alone, or without JavaScript.

- Keyboard only, at phone and at desktop width: finder, "Sign up for <group>",
  the form, the sent page and the confirmation link, with Tab, Shift+Tab,
  Enter, Space and typing. After every Tab the focused element is not the
  page itself, lies inside the window and shows a focus indicator with a
  contrast of at least 3:1 against the background it is drawn on (2.1.1
  keyboard, 2.1.2 no keyboard trap, 2.4.3 focus order, 2.4.7 focus visible,
  1.4.11 non-text contrast).
- A refused submit puts the cursor in the first field in error, which is
  marked invalid and described by its error text (3.3.1, 4.1.2).
- With JavaScript switched off the same journey works, a refused and a
  corrected submit included, and ends with one confirmed signup.
"""

import re
from collections.abc import Iterator

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from post_office.models import Email

from registrations.constants import SignupStatus
from registrations.models import Signup
from tests.e2e.conftest import PHONE, browser_page
from tests.e2e.focus import focus_state, tab_to, type_into
from tests.e2e.wording import dutch

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

GROUP = "WABP Terkoest Zuid"
CONFIRMATION_LINK = re.compile(r"https?://\S+/aanmelden/bevestigen/\S+/")


def wait_for_page(page: Page, heading: str) -> None:
    """After Enter on a link or button: the next page has loaded."""
    page.get_by_role("heading", name=heading, exact=True).wait_for()
    page.wait_for_load_state()


def confirmation_link(email: str) -> str:
    """The link in the one confirmation mail queued for ``email``."""
    mail = Email.objects.filter(to__contains=email).get()
    link = CONFIRMATION_LINK.search(mail.message)
    assert link is not None, mail.message
    return link[0]


def open_signup_form(page: Page, base: str) -> None:
    """The form as the finder's button opens it: group, street and number filled.

    The finder posts them (no address in a URL), so the way there is the
    finder's.
    """
    page.goto(f"{base}{reverse('groups:finder')}")
    page.get_by_label(dutch("Street")).fill("beukenl")
    page.get_by_label(dutch("House number")).fill("12")
    page.get_by_role("button", name=dutch("Search")).click()
    page.get_by_role(
        "button", name=dutch("Sign up for %(name)s") % {"name": GROUP}
    ).click()
    wait_for_page(page, dutch("Sign up for the neighbourhood watch"))
    expect(page.get_by_label(dutch("Street"))).to_have_value("Beukenlaan")


@pytest.fixture(params=["phone", "desktop"])
def resident_page(request) -> Page:
    """The phone-sized ``page``, then the desktop-sized one."""
    return request.getfixturevalue(
        "page" if request.param == "phone" else "desktop_page"
    )


def test_resident_signs_up_and_confirms_with_the_keyboard_only(
    resident_page, live_server, demo_data
):
    page = resident_page
    page.goto(live_server.url + reverse("groups:finder"))
    type_into(page, "#id_straat", "beukenl")
    # Past the house number and the postcode to the button, then back: the
    # order runs both ways.
    tab_to(page, "button[type=submit]", text=dutch("Search"))
    tab_to(page, "#id_nummer", key="Shift+Tab", limit=2)
    page.keyboard.type("12")
    tab_to(page, "button[type=submit]", text=dutch("Search"))
    page.keyboard.press("Enter")
    wait_for_page(page, dutch("Result"))

    tab_to(page, "button", text=dutch("Sign up for %(name)s") % {"name": GROUP})
    page.keyboard.press("Enter")
    wait_for_page(page, dutch("Sign up for the neighbourhood watch"))

    # The skip link jumps over the header, straight into the form.
    tab_to(page, "a.skip-link", limit=1)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    tab_to(page, "#id_role_0", limit=1)
    type_into(page, "#id_first_name", "Mira")
    type_into(page, "#id_last_name", "Janssens")
    type_into(page, "#id_phone", "0471 23 45 67")
    type_into(page, "#id_email", "mira.janssens@example.org")
    tab_to(page, "summary")
    page.keyboard.press("Enter")
    assert page.locator("details.house-rules-summary").evaluate("d => d.open")
    for consent in ("#id_accept_house_rules", "#id_accept_privacy"):
        tab_to(page, consent)
        page.keyboard.press("Space")
        assert page.locator(consent).is_checked()
    tab_to(page, "input[type=submit]")
    page.keyboard.press("Enter")
    wait_for_page(page, dutch("Almost done: check your e-mail"))

    signup = Signup.objects.get(email="mira.janssens@example.org")
    assert signup.group.name == GROUP
    assert (signup.street_name, signup.house_number) == ("Beukenlaan", "12")
    assert signup.status == SignupStatus.UNCONFIRMED

    page.goto(confirmation_link("mira.janssens@example.org"))
    wait_for_page(page, dutch("Confirm your signup"))
    tab_to(page, "main form button[type=submit]", text=dutch("Confirm my signup"))
    page.keyboard.press("Enter")
    wait_for_page(page, dutch("Thank you, your signup is confirmed"))
    signup.refresh_from_db()
    assert signup.status == SignupStatus.PENDING


def test_refused_submit_puts_the_cursor_in_the_first_field_in_error(
    page, live_server, demo_data
):
    open_signup_form(page, live_server.url)
    # No first name, and the house rules not accepted.
    type_into(page, "#id_last_name", "Janssens")
    type_into(page, "#id_phone", "0471 23 45 67")
    type_into(page, "#id_email", "mira.janssens@example.org")
    tab_to(page, "#id_accept_privacy")
    page.keyboard.press("Space")
    tab_to(page, "input[type=submit]")
    page.keyboard.press("Enter")
    page.locator("#form-errors").wait_for()
    page.wait_for_load_state()

    invalid = page.locator(".signup-form [aria-invalid=true]")
    assert invalid.evaluate_all("fields => fields.map((f) => f.id)") == [
        "id_first_name",
        "id_accept_house_rules",
    ]
    expect(page.locator("#id_first_name")).to_be_focused()
    focus_state(page)
    errors = {
        "#id_first_name": dutch("This field is required."),
        "#id_accept_house_rules": dutch(
            "You can only sign up if you accept the house rules and the "
            "rules of conduct."
        ),
    }
    for field, error in errors.items():
        description = page.locator(field).evaluate(
            """field => (field.getAttribute("aria-describedby") || "").split(/\\s+/)
                .map((id) => document.getElementById(id)?.innerText || "").join(" ")"""
        )
        assert error in description, f"{field} is described by {description!r}"
    assert not Signup.objects.filter(email="mira.janssens@example.org").exists()


@pytest.fixture
def page_without_js(browser, live_server) -> Iterator[Page]:
    with browser_page(browser, PHONE, java_script_enabled=False) as page:
        yield page


def test_resident_signs_up_and_confirms_without_javascript(
    page_without_js, live_server, demo_data
):
    page = page_without_js
    page.goto(live_server.url + reverse("groups:finder"))
    page.get_by_label(dutch("Street")).fill("beukenl")
    page.get_by_label(dutch("House number")).fill("12")
    page.get_by_role("button", name=dutch("Search")).click()
    page.get_by_role(
        "button", name=dutch("Sign up for %(name)s") % {"name": GROUP}
    ).click()

    # Showing one role's fields is JavaScript's job: without it both are shown,
    # and the participant, chosen by the finder's button, is what counts.
    assert page.get_by_label(dutch("Group")).is_visible()
    assert page.get_by_label(dutch("Name of the new group")).is_visible()
    assert page.locator("#id_role_0").is_checked()
    page.get_by_label(dutch("Last name")).fill("Janssens")
    page.get_by_label(dutch("Mobile number")).fill("0471 23 45 67")
    page.get_by_label(dutch("E-mail address")).fill("mira.janssens@example.org")
    page.locator("#id_accept_privacy").check()
    page.get_by_role("button", name=dutch("Send my signup")).click()

    summary = page.locator("#form-errors")
    assert dutch("Please check the form") in summary.inner_text()
    assert dutch("This field is required.") in summary.inner_text()
    # The server's autofocus, not a script, puts the cursor in the first name.
    expect(page.get_by_label(dutch("First name"))).to_be_focused()
    assert page.get_by_label(dutch("Last name")).input_value() == "Janssens"
    assert not Signup.objects.filter(email="mira.janssens@example.org").exists()

    page.get_by_label(dutch("First name")).fill("Mira")
    page.locator("#id_accept_house_rules").check()
    assert page.locator("#id_accept_privacy").is_checked()
    page.get_by_role("button", name=dutch("Send my signup")).click()
    page.get_by_role("heading", name=dutch("Almost done: check your e-mail")).wait_for()

    signup = Signup.objects.get(email="mira.janssens@example.org")
    assert signup.group.name == GROUP
    assert signup.status == SignupStatus.UNCONFIRMED
    assert Email.objects.filter(to__contains="mira.janssens@example.org").count() == 1

    page.goto(confirmation_link("mira.janssens@example.org"))
    page.get_by_role("button", name=dutch("Confirm my signup")).click()
    page.get_by_role(
        "heading", name=dutch("Thank you, your signup is confirmed")
    ).wait_for()
    signup.refresh_from_db()
    assert signup.status == SignupStatus.PENDING
