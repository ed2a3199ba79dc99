"""A resident whose street has no group asks to be told, in a real browser.

From the finder's "no group yet" to the waiting-list form (the street and
number carried in the form's body, never in a URL), a refused form, the
sent page, the confirmation link, the mail when a group covers the street
(whose link opens that group's signup form), and the link to leave. The
street that has a group already shows that group instead. Every state has
no WCAG 2.1 AA violation, at desktop and at phone width.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect
from post_office.models import Email

from groups.models import Municipality, RegionStreet, Street, WhatsAppGroup
from registrations.models import WaitingListEntry
from tests.e2e.axe import violations
from tests.e2e.conftest import DESKTOP, PHONE, browser_page
from tests.e2e.wording import dutch

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EMAIL = "wout.claes@example.org"


def link_in(mail: Email, route: str) -> str:
    match = re.search(rf"https?://\S+/{route}/\S+/", mail.message)
    assert match, f"no /{route}/ link in the mail"
    return match.group(0)


def mail_to(address: str, subject: str) -> Email:
    return Email.objects.filter(to__contains=address, subject=subject).get()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_resident_waits_for_a_group_confirms_is_told_and_leaves(
    browser, live_server, demo_data, viewport
):
    base = live_server.url
    found: list[str] = []
    with browser_page(browser, viewport) as page:
        page: Page
        page.goto(base + reverse("groups:finder"))
        page.get_by_label(dutch("Street")).fill("Wachtebeekweg")
        page.get_by_label(dutch("House number")).fill("5")
        page.get_by_role("button", name=dutch("Search")).click()
        expect(page.locator(".finder-results")).to_be_visible()
        found += violations(page)

        page.get_by_role(
            "button", name=dutch("Tell me when my street gets a group")
        ).click()
        # Posted: no address in the URL.
        assert urlsplit(page.url)[2:] == ("/wachtlijst/vanuit-zoeker/", "", "")
        expect(page.get_by_label(dutch("Street"))).to_have_value("Wachtebeekweg")
        expect(page.get_by_label(dutch("House number (optional)"))).to_have_value("5")
        found += violations(page)

        put_me_on = page.get_by_role("button", name=dutch("Put me on the waiting list"))
        put_me_on.click()
        expect(page.locator("#form-errors")).to_be_visible()
        assert not WaitingListEntry.objects.exists()
        found += violations(page)

        page.get_by_label(dutch("Municipality")).select_option(label="Alken")
        page.get_by_label(dutch("E-mail address")).fill(EMAIL)
        page.locator("#id_accept_privacy").check()
        put_me_on.click()
        expect(page).to_have_url(base + reverse("registrations:waiting-list-sent"))
        found += violations(page)

        confirmation = mail_to(
            EMAIL, dutch("Confirm your address for the waiting list")
        )
        page.goto(link_in(confirmation, "wachtlijst/bevestigen"))
        found += violations(page)
        page.get_by_role("button", name=dutch("Confirm my address")).click()
        page.get_by_role(
            "heading", name=dutch("Thank you, your address is confirmed")
        ).wait_for()
        found += violations(page)

        # Staff add the street to a group's region; the hourly command tells.
        alken = Municipality.objects.get(name="Alken")
        group = WhatsAppGroup.objects.published().filter(municipality=alken).first()
        street = Street.objects.create(
            municipality=alken,
            name="Wachtebeekweg",
            postcode="3570",
            search_name="wachtebeekweg",
        )
        RegionStreet.objects.create(region=group.region, street=street)
        call_command("notify_waiting_list", verbosity=0)
        told = mail_to(EMAIL, dutch("Your street now has a neighbourhood watch group"))
        assert group.name in told.message
        page.goto(re.search(r"https?://\S+/aanmelden/\?groep=\d+", told.message)[0])
        expect(page.get_by_label(dutch("Group"))).to_have_value(str(group.pk))

        page.goto(link_in(told, "wachtlijst/uitschrijven"))
        found += violations(page)
        page.get_by_role(
            "button", name=dutch("Leave the waiting list and erase my details")
        ).click()
        expect(page).to_have_url(base + reverse("registrations:waiting-list-left"))
        found += violations(page)
        assert not WaitingListEntry.objects.exists()

        page.goto(base + reverse("registrations:waiting-list-confirm", args=["x"]))
        found += violations(page)

    assert found == [], "\n".join(found)


def test_a_street_with_a_group_shows_the_group_to_join(page, live_server, demo_data):
    page.goto(live_server.url + reverse("registrations:waiting-list"))
    page.get_by_label(dutch("Municipality")).select_option(label="Alken")
    page.get_by_label(dutch("Street")).fill("BEUKENLAAN")
    page.get_by_label(dutch("House number (optional)")).fill("12")
    page.get_by_label(dutch("E-mail address")).fill(EMAIL)
    page.locator("#id_accept_privacy").check()
    page.get_by_role("button", name=dutch("Put me on the waiting list")).click()

    expect(page.locator("#group-found")).to_be_visible()
    assert violations(page) == []
    assert not WaitingListEntry.objects.exists()
    page.get_by_role("button", name="Inschrijven bij WABP Terkoest Zuid").click()
    assert urlsplit(page.url).path == "/aanmelden/vanuit-zoeker/"
    expect(page.get_by_label(dutch("Street"))).to_have_value("Beukenlaan")
