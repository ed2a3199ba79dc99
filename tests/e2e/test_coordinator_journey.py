"""A coordinator on a phone logs in, opens the waiting signups and approves one."""

import pytest
from post_office.models import Email

from groups.models import WhatsAppGroup
from registrations.constants import SignupStatus
from registrations.models import Signup

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OWN_PENDING = {"Lotte Vanderhoven", "Jef Moors"}
OTHER_PENDING = {"Annelies Claes", "Bart Nijs", "Sofie Peeters", "Karel Jacobs"}


def test_coordinator_approves_a_signup_of_own_group_on_a_phone(
    page, live_server, demo_data
):
    group = WhatsAppGroup.objects.get(name="WABP Terkoest Zuid")
    assert group.invite_link

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Gebruikersnaam").fill("dominic.hermans")
    page.get_by_label("Wachtwoord").fill("wabp-demo-2026")
    page.get_by_role("button", name="Aanmelden").click()

    page.get_by_role("link", name="Wachtende inschrijvingen", exact=True).click()
    # On a phone the signups are cards; the table (hidden) still holds them.
    rows = page.locator("#result_list tbody tr")
    rows.first.wait_for(state="attached")
    assert rows.count() == 2
    listed = page.locator("#result_list").inner_text()
    assert all(name in listed for name in OWN_PENDING)
    content = page.content()
    assert not any(name in content for name in OTHER_PENDING)

    page.get_by_role("link", name="Lotte Vanderhoven", exact=True).click()
    page.get_by_role("button", name="Goedkeuren").click()

    page.locator("ul.messagelist").wait_for()
    assert page.locator("#result_list tbody tr").count() == 1
    assert "Lotte Vanderhoven" not in page.locator("#result_list").inner_text()
    signup = Signup.objects.get(email="lotte.vanderhoven@example.org")
    assert signup.status == SignupStatus.APPROVED
    assert signup.decided_by.username == "dominic.hermans"
    mails = Email.objects.filter(to__contains="lotte.vanderhoven@example.org")
    [approval] = [mail for mail in mails if group.invite_link in mail.message]
    assert group.name in approval.subject
    assert group.invite_link in approval.html_message
