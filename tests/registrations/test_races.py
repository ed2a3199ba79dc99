"""Races through the whole stack, on PostgreSQL: real threads, real requests.

Each thread has its own test client and its own database connection; a
barrier releases them together, and each case runs several times. The
services lock the signup row (``select_for_update``) and the database's
unique constraints catch a double submit, so:

- ten people approving one signup at once make one decision, one mail and
  one audit record;
- an approval and a rejection at once end in one state;
- the same e-loket form sent ten times at once makes one signup;
- two residents giving themselves the same mobile number at once are told
  in turn, and a new address confirmed five times at once changes once.
"""

import html
from urllib.parse import urlsplit

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from post_office.models import Email

from groups.services import add_zone_staff, link_coordinator_login
from registrations.constants import SignupRole, SignupStatus
from registrations.models import Signup, StatusChange
from registrations.notifications import email_change_link, my_signup_link
from registrations.services import request_email_change
from tests.auth import log_in
from tests.concurrency import at_once
from tests.eloket import SENT_URL, SIGNUP_URL, eloket_form
from tests.factories import CoordinatorFactory, SignupFactory, UserFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="races need concurrent transactions and row locks: PostgreSQL only",
    ),
    # serialized_rollback: a browser test before may have flushed the roles
    # and content types, which the audit log and the logins need.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "een-lang-wachtwoord"


def path_of(link: str) -> str:
    return urlsplit(link).path


REPEAT = 3


def logged_in_clients(user, count: int) -> list[Client]:
    clients = [Client() for _ in range(count)]
    for client in clients:
        assert log_in(client, user.username, PASSWORD)
    return clients


def mails_to(address: str) -> list[Email]:
    return [mail for mail in Email.objects.order_by("pk") if address in mail.to]


def status_entries(signup: Signup) -> list[LogEntry]:
    """The audit log's records of a change of the signup's status."""
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Signup),
        object_pk=str(signup.pk),
        action=LogEntry.Action.UPDATE,
    )
    return [entry for entry in entries if "status" in (entry.changes or {})]


@pytest.fixture
def deciders(group):
    """A coordinator of ``group`` and a staff member of its zone, logged in."""
    coordinator = link_coordinator_login(
        CoordinatorFactory(zone=group.municipality.zone, groups=[group]),
        user=UserFactory(password=PASSWORD),
    ).user
    staff = UserFactory(password=PASSWORD)
    add_zone_staff(group.municipality.zone, user=staff)
    return coordinator, staff


@pytest.mark.parametrize("attempt", range(REPEAT))
def test_ten_approvals_at_once_make_one_decision_one_mail_one_audit_record(
    attempt, group, deciders
):
    coordinator, staff = deciders
    signup = SignupFactory(group=group, email=f"tien{attempt}@example.be")
    url = reverse("admin:registrations_pendingsignup_approve", args=[signup.pk])
    clients = logged_in_clients(coordinator, 5) + logged_in_clients(staff, 5)

    responses = at_once([lambda client=client: client.post(url) for client in clients])

    assert all(response.status_code == 302 for response in responses), responses
    signup.refresh_from_db()
    assert signup.status == SignupStatus.APPROVED
    assert signup.status_changes.filter(to_status=SignupStatus.APPROVED).count() == 1
    assert len(mails_to(signup.email)) == 1
    assert len(status_entries(signup)) == 1


@pytest.mark.parametrize("attempt", range(REPEAT))
def test_approve_and_reject_at_once_end_in_one_state(attempt, group, deciders):
    coordinator, staff = deciders
    signup = SignupFactory(group=group, email=f"een{attempt}@example.be")
    [approver] = logged_in_clients(coordinator, 1)
    [rejecter] = logged_in_clients(staff, 1)

    at_once(
        [
            lambda: approver.post(
                reverse("admin:registrations_pendingsignup_approve", args=[signup.pk])
            ),
            lambda: rejecter.post(
                reverse("admin:registrations_pendingsignup_reject", args=[signup.pk]),
                {"reason": "Woont buiten de wijk."},
            ),
        ]
    )

    signup.refresh_from_db()
    assert signup.status in {SignupStatus.APPROVED, SignupStatus.REJECTED}
    [step] = signup.status_changes.all()
    assert step.to_status == signup.status
    assert len(mails_to(signup.email)) == 1
    [entry] = status_entries(signup)
    assert entry.changes["status"][1] == signup.status


# An application to start a new group has no group to be unique in: found by
# the soak test (make soak), where a double click stored it twice.
APPLICATION = {
    "role": SignupRole.COORDINATOR,
    "group": "",
    "proposed_group_name": "WABP Berkenlaan",
    "proposed_area": "De Berkenlaan en de zijstraten",
    # A street no group covers yet (else the form asks to join that group).
    "street_name": "Berkenlaan",
}


@pytest.mark.parametrize("role", ["participant", "application"])
@pytest.mark.parametrize("attempt", range(REPEAT))
def test_the_same_form_sent_ten_times_at_once_makes_one_signup(
    attempt, role, open_group, rules, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": (100, 3600)}
    address = f"dubbelklik{attempt}@example.be"
    extra = APPLICATION if role == "application" else {}
    data = eloket_form(open_group, rules, email=address, **extra)
    clients = [Client() for _ in range(10)]

    responses = at_once(
        [lambda client=client: client.post(SIGNUP_URL, data) for client in clients]
    )

    # Every visitor sees the same page; one signup is stored.
    assert [response.status_code for response in responses] == [302] * 10, responses
    sent = SENT_URL + ("?rol=coordinator" if role == "application" else "")
    assert {response["Location"] for response in responses} == {sent}
    [signup] = Signup.objects.filter(email=address)
    assert StatusChange.objects.filter(signup=signup).count() == 1
    confirmations = [
        mail
        for mail in mails_to(address)
        if mail.subject == gettext("Confirm your signup for the neighbourhood watch")
    ]
    assert len(confirmations) == 1


# --- A resident's own page ---------------------------------------------------------


@pytest.mark.parametrize("attempt", range(REPEAT))
def test_two_residents_taking_the_same_number_at_once_are_told_in_turn(attempt, group):
    """One gets the number; the other is told someone in the group has it."""
    first, second = (
        SignupFactory(
            group=group, status=SignupStatus.APPROVED, decided_at=timezone.now()
        )
        for _ in range(2)
    )
    pages = [path_of(my_signup_link(signup)) + "gsm/" for signup in (first, second)]

    responses = at_once(
        [
            lambda page=page: Client().post(page, {"phone": "0471 98 76 54"})
            for page in pages
        ]
    )

    assert sorted(response.status_code for response in responses) == [200, 302]
    refused = next(response for response in responses if response.status_code == 200)
    assert gettext(
        "Another signup for this group already has this mobile number. "
        "Each person signs up with their own number."
    ) in html.unescape(refused.content.decode())
    assert Signup.objects.filter(phone="+32471987654").count() == 1


@pytest.mark.parametrize("attempt", range(REPEAT))
def test_a_new_address_confirmed_five_times_at_once_changes_once(attempt, group):
    signup = SignupFactory(
        group=group,
        status=SignupStatus.APPROVED,
        decided_at=timezone.now(),
        email="oud@x.be",
    )
    request_email_change(signup, email="nieuw@x.be")
    link = path_of(email_change_link(Signup.objects.get(pk=signup.pk)))

    responses = at_once([lambda: Client().post(link) for _ in range(5)])

    assert sorted(response.status_code for response in responses) == [
        302,
        400,
        400,
        400,
        400,
    ]
    signup.refresh_from_db()
    assert (signup.email, signup.pending_email) == ("nieuw@x.be", "")
    assert len(mails_to("oud@x.be")) == 1  # told once
    assert len(mails_to("nieuw@x.be")) == 2  # the link, then "changed" once
