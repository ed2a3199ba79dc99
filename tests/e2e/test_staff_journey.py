"""Police-zone staff found a new group from a resident's application.

A resident applies on their phone to coordinate a new group and confirms
their e-mail; the demo staff member approves the application in the admin
and picks the group's street, which founds the group published: it is in
the public table and the finder finds it for an address in that street at
once; the new coordinator sets a password from the invitation and finds
their group in the admin.

New admin wording may not be translated yet while the catalogue catches up,
so texts are looked up through ``dutch()``: what the page says, in Dutch or
still in English.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect
from post_office.models import Email

from groups.models import Coordinator, WhatsAppGroup
from registrations.constants import SignupRole, SignupStatus
from registrations.models import Signup
from tests.e2e.wording import dutch, dutch_count

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

GROUP = "WABP Hoogveld"
AREA = "Hoogveld, Weidestraat en Veldstraat"
REGION = "Hoogveld"
APPLICANT = "Tine Lambrechts"
EMAIL = "tine.lambrechts@example.org"
NEW_PASSWORD = "Kerkuil-Hoogveld-2026"


def newest_link(address: str, pattern: str) -> str:
    """The first link matching ``pattern`` in the newest mail that has one."""
    for mail in Email.objects.filter(to__contains=address).order_by("-pk"):
        found = re.search(pattern, mail.message)
        if found:
            return found.group(0)
    raise AssertionError(f"no mail to {address} with a link like {pattern}")


def url_pattern(name: str, *params: str) -> str:
    """A regex for an absolute URL of ``name``, any value in each parameter."""
    path = re.escape(reverse(name, kwargs=dict.fromkeys(params, "ARG")))
    return r"https?://[^\s/]+" + path.replace("ARG", r"[^/\s]+")


def at(name: str, *args) -> re.Pattern:
    """The page of URL ``name``, for ``expect(page).to_have_url``."""
    return re.compile(re.escape(reverse(name, args=args)) + r"(\?.*)?$")


def log_in(page: Page, username: str, password: str) -> None:
    """Fill in the admin login page that is open."""
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()


def apply_to_coordinate(page: Page, base_url: str) -> None:
    """The resident fills in the e-loket as coordinator of a new group."""
    page.goto(base_url + "/aanmelden/")
    page.get_by_label(dutch("coordinator of a new group")).check()
    page.get_by_label(dutch("Name of the new group")).fill(GROUP)
    page.get_by_label(dutch("Streets or area of the new group")).fill(AREA)
    page.get_by_label("Voornaam").fill("Tine")
    page.get_by_label("Achternaam").fill("Lambrechts")
    page.get_by_label("Straat").fill("Hoogveld")
    page.get_by_label("Huisnummer").fill("7")
    expect(page.get_by_label("Postcode")).to_have_value("3570")
    page.get_by_label("Gsm-nummer").fill("0478 12 34 56")
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.locator("#id_accept_house_rules").check()
    page.locator("#id_accept_privacy").check()
    page.get_by_role("button", name="Verstuur mijn inschrijving").click()
    expect(
        page.get_by_role("heading", name="Bijna klaar: bekijk je e-mail")
    ).to_be_visible()


def group_cell(page: Page | Locator, name: str) -> Locator:
    """The group's cell in the public table; on a phone its column label, put
    before the name by the stylesheet, is part of the name read out."""
    return page.get_by_role("rowheader", name=re.compile(rf"(^|: ){re.escape(name)}$"))


def expect_in_public_table(page: Page, url: str, *, shown: bool) -> None:
    page.goto(url)
    # The table is there with the groups published before: a missing row
    # means a hidden group, not a page that failed to load.
    expect(group_cell(page, "WABP Terkoest Zuid")).to_be_visible()
    group = group_cell(page, GROUP)
    if not shown:
        expect(group).to_have_count(0)
        expect(page.get_by_text(GROUP)).to_have_count(0)
        return
    expect(group).to_be_visible()
    row = page.get_by_role("row").filter(has=group)
    expect(row).to_contain_text(REGION)
    # The new coordinator has not agreed to be named in the public table.
    expect(row).to_contain_text(dutch("via the police zone"))
    expect(row).not_to_contain_text("Lambrechts")
    expect(
        row.get_by_role("link", name=f"{dutch('Join')} {GROUP}", exact=True)
    ).to_be_visible()


def test_staff_approve_an_application_and_publish_the_new_group(
    page, desktop_page, live_server, demo_data
):
    base = live_server.url

    # 1. A resident applies on their phone and confirms their e-mail.
    apply_to_coordinate(page, base)
    application = Signup.objects.get(email=EMAIL)
    assert application.role == SignupRole.COORDINATOR
    assert application.status == SignupStatus.UNCONFIRMED
    page.goto(newest_link(EMAIL, url_pattern("registrations:signup-confirm", "token")))
    page.get_by_role("button", name=dutch("Confirm my signup")).click()
    expect(
        page.get_by_role("heading", name=dutch("Thank you, your signup is confirmed"))
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text(GROUP)
    application.refresh_from_db()
    assert application.status == SignupStatus.PENDING

    # 2. The demo staff member approves it at their desk.
    staff = desktop_page
    staff.goto(base + "/admin/login/")
    log_in(staff, "politie", "wabp-demo-2026")
    waiting = Signup.objects.pending().filter(role=SignupRole.COORDINATOR).count()
    staff.get_by_role(
        "link",
        name=dutch_count(
            "%(counter)s new-group application",
            "%(counter)s new-group applications",
            waiting,
        ),
        exact=True,
    ).click()
    expect(staff).to_have_url(at("admin:registrations_groupapplication_changelist"))
    row = staff.locator("#result_list tbody tr").filter(has_text=APPLICANT)
    expect(row).to_contain_text(GROUP)
    row.get_by_role("link", name=APPLICANT).click()
    staff.get_by_role("link", name=dutch("Approve…"), exact=True).click()

    expect(staff).to_have_url(
        at("admin:registrations_groupapplication_approve", application.pk)
    )
    expect(staff.locator(".decision-summary")).to_contain_text(AREA)
    expect(staff.get_by_label(dutch("Name of the group"), exact=True)).to_have_value(
        GROUP
    )
    staff.get_by_label(dutch("New region"), exact=True).fill(REGION)
    expect_in_public_table(page, base + "/", shown=False)
    # Its street, from the municipality's known streets (the admin's search).
    streets = staff.locator("fieldset.street-row")
    streets.first.locator(".select2-selection").click()
    staff.locator(".select2-search__field").fill("Hoogv")
    staff.locator(".select2-results__option", has_text="Hoogveld").first.click()
    expect(
        staff.get_by_role(
            "checkbox",
            name=dutch("Show the group in the public table and the finder at once"),
        )
    ).to_be_checked()
    staff.get_by_role(
        "button", name=dutch("Found the group and invite the coordinator")
    ).click()

    expect(staff.locator("ul.messagelist .success")).to_have_text(
        dutch(
            "The group %(group)s was founded and published, and %(name)s was "
            "invited as its coordinator. Residents of its streets find it now."
        )
        % {"group": GROUP, "name": APPLICANT}
    )
    group = WhatsAppGroup.objects.get(name=GROUP)
    expect(staff).to_have_url(at("admin:groups_whatsappgroup_change", group.pk))
    published = staff.get_by_role("checkbox", name=dutch("shown in the public table"))
    expect(published).to_be_checked()
    assert group.region.name == REGION
    assert group.is_public
    assert [part.street.name for part in group.region.coverage.all()] == ["Hoogveld"]
    application.refresh_from_db()
    assert application.status == SignupStatus.APPROVED
    assert application.decided_by.username == "politie"

    # 3. The group is in the public table and the finder finds it, at once;
    # the applicant is invited.
    page.goto(base + reverse("groups:finder"))
    page.get_by_label(dutch("Street")).fill("Hoogveld")
    page.get_by_label(dutch("House number")).fill("7")
    page.get_by_role("button", name=dutch("Search")).click()
    expect(page.locator(".finder-results .card")).to_have_count(1)
    expect(page.locator(".finder-results .card")).to_contain_text(GROUP)
    expect_in_public_table(page, base + "/", shown=True)
    expect_in_public_table(page, base + "/gemeente/alken/", shown=True)

    founded = Email.objects.filter(to__contains=EMAIL, subject__contains=GROUP)
    assert founded.exists()
    password_link = newest_link(
        EMAIL, url_pattern("password_reset_confirm", "uidb64", "token")
    )

    # The new coordinator sets a password on their phone and finds their group.
    page.goto(password_link)
    page.get_by_label(dutch("New password:")).fill(NEW_PASSWORD)
    page.get_by_label(dutch("Confirm password:")).fill(NEW_PASSWORD)
    page.get_by_role("button", name=dutch("Change my password")).click()
    page.get_by_role("link", name=dutch("Log in"), exact=True).click()
    coordinator = Coordinator.objects.get(email=EMAIL)
    log_in(page, coordinator.user.get_username(), NEW_PASSWORD)
    groups = page.locator(".dashboard-groups")
    expect(groups.get_by_role("heading", name=dutch("Your groups"))).to_be_visible()
    expect(group_cell(groups, GROUP)).to_be_visible()
    assert coordinator.groups.filter(pk=group.pk).exists()
