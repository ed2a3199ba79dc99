"""Erasure leaves nothing: not in the database, not in a log line.

A resident with sentinel values (a name, a street, a mobile number and an
e-mail address no real text contains) goes through the whole life of a
member: signs up on the e-loket, confirms with the link in the mail, is
approved by the coordinator, who marks them added to WhatsApp and exports
the members; the mail worker delivers every mail. Then the person goes, in
one of four ways:

- withdraws with the link in their mails; the coordinator sees whom to
  remove in the portal and marks them removed from WhatsApp;
- withdraws, and nobody marks them: the retention period passes;
- asks the police zone, whose staff erase them, found by e-mail address;
- the same, found by mobile number;
- changes their mobile number and e-mail address on their own page, asks
  for yet another address and never confirms it, then withdraws there, or is
  erased by staff found by the new address.

Then the retention purge runs (``manage.py purge_personal_data``). After it
no sentinel is left: on PostgreSQL in a ``pg_dump`` of the test database
(the data are committed, so the dump sees what a backup would), on SQLite in
any row of any table; and in no log record written during the test, with
the root logger at DEBUG and every logger that does not propagate captured
too. Each test first checks that the same search finds the person before
they go, so that a search that sees nothing cannot pass.

A resident on the waiting list for a group (street and e-mail address as
sentinels) leaves nothing either: after leaving through the link in the
mail, after the longest time the list keeps anyone, or erased by staff.
"""

import logging
import re
import shutil
import subprocess
from datetime import timedelta
from http import HTTPStatus
from io import StringIO
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from post_office.models import Email

from groups.services import link_coordinator_login
from registrations.constants import SignupStatus
from registrations.models import (
    PrivacyRequest,
    Signup,
    WaitingListEntry,
    WithdrawnMember,
)
from registrations.notifications import (
    my_signup_link,
    waiting_list_leave_link,
    withdrawal_link,
)
from tests.eloket import SIGNUP_URL, eloket_form
from tests.factories import CoordinatorFactory, HouseRulesFactory, UserFactory
from tests.subprocesses import child_environment

# Committed rows, so that pg_dump (another connection) reads them; the roles
# the migrations made are put back after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FIRST_NAME = "Xandriq"
LAST_NAME = "Pluvzenbrock"
STREET = "Qorvandelstraat"
EMAIL = "xandriq.pluvzenbrock@example.be"
PHONE_AS_TYPED = "0472 86 13 59"
# Every way the portal or a library could write them, compared without case.
SENTINELS = [
    FIRST_NAME,
    LAST_NAME,
    STREET,
    EMAIL,
    "+32472861359",  # E.164, as stored
    "+32 472 86 13 59",  # international, as shown
    "0472 86 13 59",  # national
    "0472861359",
    "472861359",  # national significant number
    "472 86 13 59",
]
# What the resident changes to on their own page, and an address they ask
# for and never confirm: the person too.
NEW_EMAIL = "qorvandel.xandriq@example.org"
WAITING_EMAIL = "xandriq.pluvzen@example.net"
NEW_PHONE_AS_TYPED = "0473 91 26 48"
SENTINELS += [
    NEW_EMAIL,
    WAITING_EMAIL,
    "+32473912648",
    "+32 473 91 26 48",
    "0473 91 26 48",
    "0473912648",
    "473912648",
    "473 91 26 48",
]

# Test tooling that logs what it builds; it does not run in production.
TOOL_LOGGERS = ("factory", "faker")


# --- where the person could be left -------------------------------------------


def sentinels_in(text: str) -> set[str]:
    folded = text.casefold()
    return {sentinel for sentinel in SENTINELS if sentinel.casefold() in folded}


def database_text() -> str:
    """Everything the database holds: a pg_dump, or every row on SQLite."""
    if connection.vendor == "postgresql":
        return pg_dump()
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                cells = [
                    bytes(cell).decode("utf-8", "replace")
                    if isinstance(cell, bytes | memoryview)
                    else str(cell)
                    for cell in row
                ]
                rows.append(f"{table}: " + " | ".join(cells))
    return "\n".join(rows)


def pg_dump() -> str:
    """The test database as a backup would hold it (data and schema)."""
    program = shutil.which("pg_dump")
    assert program, "PostgreSQL tests need pg_dump (apt-get install postgresql-client)"
    config = connection.settings_dict
    environment = {"PGPASSWORD": config["PASSWORD"]} if config["PASSWORD"] else {}
    command = [program, "--no-owner", "--dbname", config["NAME"]]
    if config["HOST"]:
        command += ["--host", config["HOST"]]
    if config["PORT"]:
        command += ["--port", str(config["PORT"])]
    if config["USER"]:
        command += ["--username", config["USER"]]
    result = subprocess.run(  # noqa: S603 (the system's pg_dump, our arguments)
        command,
        capture_output=True,
        env=child_environment(**environment),
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    dump = result.stdout.decode("utf-8", "replace")
    assert "COPY public.registrations_signup" in dump, "the dump is not the test db"
    return dump


def where(found: set[str], text: str) -> str:
    """The lines that hold a sentinel, for the failure message."""
    lines = [
        line
        for line in text.splitlines()
        if any(sentinel.casefold() in line.casefold() for sentinel in found)
    ]
    return "\n".join(line[:300] for line in lines[:20])


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def log_records(caplog):
    """Every record logged during the test: the root logger at DEBUG (as with
    LOG_LEVEL=DEBUG), and a handler of our own on each logger that does not
    propagate to it (post_office, by LOGGING) or is named in LOGGING."""
    caplog.set_level(logging.DEBUG)
    recorder = Recorder()
    logging.root.addHandler(recorder)
    own = [
        logger
        for logger in [
            logging.getLogger(name) for name in ("django", "post_office", "axes")
        ]
        + [
            each
            for each in logging.root.manager.loggerDict.values()
            if isinstance(each, logging.Logger) and not each.propagate
        ]
    ]
    for logger in own:
        logger.addHandler(recorder)
    yield lambda: [
        record
        for record in {id(r): r for r in [*caplog.records, *recorder.records]}.values()
        if not record.name.startswith(TOOL_LOGGERS)
    ]
    for logger in own:
        logger.removeHandler(recorder)
    logging.root.removeHandler(recorder)


def log_text(records: list[logging.LogRecord]) -> str:
    """What a log file or log service would keep of each record."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(
        "\n".join([formatter.format(record), repr(record.args), record.exc_text or ""])
        for record in records
    )


# --- the people -----------------------------------------------------------------


@pytest.fixture
def world(group, zone, zone_staff):
    """An open group with its house rules and a coordinator.

    The resident's street is no known street of the municipality: a known one
    is in the public street table, the resident's is theirs.
    """
    rules = HouseRulesFactory(zone=zone)
    coordinator = link_coordinator_login(
        CoordinatorFactory(zone=zone, groups=[group]), user=UserFactory()
    )
    return {
        "group": group,
        "rules": rules,
        "coordinator": coordinator.user,
        "staff": zone_staff,
    }


def path_of(link: str) -> str:
    return urlsplit(link).path


def a_member(client, world, deliver_mail) -> Signup:
    """The resident's journey up to a member who was added to WhatsApp."""
    group = world["group"]
    response = client.post(
        SIGNUP_URL,
        eloket_form(
            group,
            world["rules"],
            first_name=FIRST_NAME,
            last_name=LAST_NAME,
            street_name=STREET,
            house_number="17",
            phone=PHONE_AS_TYPED,
            email=EMAIL,
        ),
    )
    assert response.status_code == HTTPStatus.FOUND, response.content
    signup = Signup.objects.get()
    # The confirmation link, as the resident follows it from the mail.
    [confirmation] = Email.objects.filter(to=[EMAIL])
    link = re.search(
        r"https?://\S+?(/aanmelden/bevestigen/\S+?/)\s", confirmation.message
    )
    confirm = link.group(1)
    assert client.get(confirm).status_code == HTTPStatus.OK
    signup.refresh_from_db()
    if signup.status == SignupStatus.UNCONFIRMED:  # a page that asks first
        assert client.post(confirm).status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
        signup.refresh_from_db()
    assert signup.status == SignupStatus.PENDING
    deliver_mail()

    # The coordinator reads it, approves, adds to WhatsApp and exports.
    client.force_login(world["coordinator"])
    opened = client.get(
        reverse("admin:registrations_pendingsignup_change", args=[signup.pk])
    )
    assert LAST_NAME in opened.content.decode()
    approved = client.post(
        reverse("admin:registrations_pendingsignup_approve", args=[signup.pk])
    )
    assert approved.status_code == HTTPStatus.FOUND
    members = reverse("admin:registrations_member_changelist")
    for action in ("mark_added_selected", "export_csv"):
        response = client.post(
            members, {"action": action, ACTION_CHECKBOX_NAME: [signup.pk]}
        )
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    signup.refresh_from_db()
    assert (signup.status, bool(signup.added_to_whatsapp_at)) == (
        SignupStatus.APPROVED,
        True,
    )
    assert any(EMAIL in message.to for message in deliver_mail())
    client.logout()
    return signup


def erase_as_staff(client, world, **searched) -> None:
    client.force_login(world["staff"])
    url = reverse("privacy-requests")
    form = {"email": "", "phone": "", **searched}
    found = client.post(url, {"action": "search", **form})
    assert found.context["data"].signups, "staff found nobody"
    erased = client.post(url, {"action": "erase", "confirm": "on", **form})
    assert erased.status_code == HTTPStatus.FOUND
    client.get(erased["Location"])
    assert PrivacyRequest.objects.get().signup_count == 1


def withdraw(client, signup: Signup) -> None:
    link = path_of(withdrawal_link(signup))
    assert client.get(link).status_code == HTTPStatus.OK
    assert client.post(link).status_code == HTTPStatus.FOUND


# --- the journeys -------------------------------------------------------------
# Each departure returns how many days later the retention purge runs.


def withdrawn_and_marked_removed(client, world, signup) -> int:
    withdraw(client, signup)
    # The coordinators' notice names nobody; the portal shows whom to remove.
    address = world["coordinator"].coordinator.email
    [notice] = [
        mail
        for mail in Email.objects.all()
        if address in mail.to and "withdrawnmember" in mail.message
    ]
    assert not sentinels_in(notice.subject + notice.message + notice.html_message)
    client.force_login(world["coordinator"])
    changelist = reverse("admin:registrations_withdrawnmember_changelist")
    assert f"{FIRST_NAME} {LAST_NAME}" in client.get(changelist).content.decode()
    marked = client.post(
        changelist,
        {
            "action": "mark_removed_selected",
            ACTION_CHECKBOX_NAME: [WithdrawnMember.objects.get(signup=signup).pk],
        },
    )
    assert marked.status_code == HTTPStatus.FOUND
    assert not WithdrawnMember.objects.exists()
    return 0


def withdrawn_and_left_to_the_retention(client, world, signup) -> int:
    withdraw(client, signup)
    assert WithdrawnMember.objects.exists()
    return settings.WITHDRAWN_MEMBER_RETENTION_DAYS + 1


def erased_by_staff_found_by_email(client, world, signup) -> int:
    erase_as_staff(client, world, email=EMAIL.upper())
    return 0


def erased_by_staff_found_by_phone(client, world, signup) -> int:
    erase_as_staff(client, world, phone=PHONE_AS_TYPED)
    return 0


def change_details_on_the_own_page(client, signup: Signup) -> str:
    """A new mobile number, a new address (confirmed), then another one asked
    for and never confirmed; return the path of the page's latest link."""
    page = path_of(my_signup_link(signup))
    changed = client.post(page + "gsm/", {"phone": NEW_PHONE_AS_TYPED})
    assert changed.status_code == HTTPStatus.FOUND
    asked = client.post(page + "e-mailadres/", {"email": NEW_EMAIL})
    assert asked.status_code == HTTPStatus.FOUND
    [mail] = Email.objects.filter(to=[NEW_EMAIL])
    link = re.search(
        r"https?://\S+?(/mijn-inschrijving/nieuw-e-mailadres/\S+?/)\s", mail.message
    )
    assert client.post(link.group(1)).status_code == HTTPStatus.FOUND
    signup.refresh_from_db()
    assert (signup.email, signup.phone.as_e164) == (NEW_EMAIL, "+32473912648")
    page = path_of(my_signup_link(signup))
    asked = client.post(page + "e-mailadres/", {"email": WAITING_EMAIL})
    assert asked.status_code == HTTPStatus.FOUND
    return page


def changed_details_then_withdrew_on_the_own_page(client, world, signup) -> int:
    page = change_details_on_the_own_page(client, signup)
    assert client.get(page + "uitschrijven/").status_code == HTTPStatus.OK
    assert client.post(page + "uitschrijven/").status_code == HTTPStatus.FOUND
    return settings.WITHDRAWN_MEMBER_RETENTION_DAYS + 1


def changed_details_then_erased_by_staff(client, world, signup) -> int:
    change_details_on_the_own_page(client, signup)
    erase_as_staff(client, world, email=NEW_EMAIL)
    return 0


@pytest.mark.parametrize(
    "departure",
    [
        withdrawn_and_marked_removed,
        withdrawn_and_left_to_the_retention,
        erased_by_staff_found_by_email,
        erased_by_staff_found_by_phone,
        changed_details_then_withdrew_on_the_own_page,
        changed_details_then_erased_by_staff,
    ],
    ids=lambda departure: departure.__name__,
)
def test_after_erasure_and_the_purge_no_sentinel_is_left(
    client, world, deliver_mail, log_records, departure
):
    signup = a_member(client, world, deliver_mail)
    before = sentinels_in(database_text())
    # The search sees the person while they are there (it can fail).
    assert {FIRST_NAME, LAST_NAME, STREET, EMAIL, "+32472861359"} <= before

    days = departure(client, world, signup)
    with time_machine.travel(timezone.now() + timedelta(days=days), tick=False):
        call_command("purge_personal_data", stdout=StringIO())

    dump = database_text()
    left = sentinels_in(dump)
    assert not left, f"sentinels left after erasure: {left}\n{where(left, dump)}"
    logged = log_text(log_records())
    assert "signup transition" in logged  # the capture works
    in_logs = sentinels_in(logged)
    assert not in_logs, f"sentinels in the log: {in_logs}\n{where(in_logs, logged)}"
    signup.refresh_from_db()
    # The statistics keep the signup, without the person.
    assert (signup.group, signup.first_name, signup.email) == (world["group"], "", "")


# --- the waiting list for a group --------------------------------------------------


def waiting_for_a_group(client, world, deliver_mail) -> WaitingListEntry:
    """The resident asks to be told when their street gets a group, and confirms."""
    response = client.post(
        reverse("registrations:waiting-list"),
        {
            "municipality": world["group"].municipality_id,
            "street_name": STREET,
            "house_number": "17",
            "email": EMAIL,
            "accept_privacy": "on",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.content
    [confirmation] = Email.objects.filter(to=[EMAIL])
    link = re.search(
        r"https?://\S+?(/wachtlijst/bevestigen/\S+?/)\s", confirmation.message
    ).group(1)
    assert client.post(link).status_code == HTTPStatus.OK
    # Asked again: the reminder goes to the same address.
    client.post(
        reverse("registrations:waiting-list"),
        {
            "municipality": world["group"].municipality_id,
            "street_name": STREET,
            "email": EMAIL,
            "accept_privacy": "on",
        },
    )
    assert any(EMAIL in message.to for message in deliver_mail())
    return WaitingListEntry.objects.get(confirmed_at__isnull=False)


def left_the_waiting_list(client, world, entry) -> int:
    link = path_of(waiting_list_leave_link(entry))
    assert client.get(link).status_code == HTTPStatus.OK
    assert client.post(link).status_code == HTTPStatus.FOUND
    return 0


def waited_longer_than_the_list_keeps_anyone(client, world, entry) -> int:
    return settings.WAITING_LIST_MAX_AGE_DAYS + 1


def waiting_list_erased_by_staff(client, world, entry) -> int:
    client.force_login(world["staff"])
    url = reverse("privacy-requests")
    form = {"email": EMAIL.upper(), "phone": ""}
    found = client.post(url, {"action": "search", **form})
    assert found.context["data"].waiting_list, "staff found nobody"
    erased = client.post(url, {"action": "erase", "confirm": "on", **form})
    assert erased.status_code == HTTPStatus.FOUND
    client.get(erased["Location"])
    assert PrivacyRequest.objects.get().waiting_list_count == 1
    return 0


@pytest.mark.parametrize(
    "departure",
    [
        left_the_waiting_list,
        waited_longer_than_the_list_keeps_anyone,
        waiting_list_erased_by_staff,
    ],
    ids=lambda departure: departure.__name__,
)
def test_after_leaving_the_waiting_list_no_sentinel_is_left(
    client, world, deliver_mail, log_records, departure
):
    entry = waiting_for_a_group(client, world, deliver_mail)
    before = sentinels_in(database_text())
    assert {STREET, EMAIL} <= before

    days = departure(client, world, entry)
    with time_machine.travel(timezone.now() + timedelta(days=days), tick=False):
        call_command("purge_personal_data", stdout=StringIO())

    dump = database_text()
    left = sentinels_in(dump)
    assert not left, f"sentinels left after erasure: {left}\n{where(left, dump)}"
    assert not WaitingListEntry.objects.exists()
    logged = log_text(log_records())
    assert "waiting list entry confirmed" in logged  # the capture works
    in_logs = sentinels_in(logged)
    assert not in_logs, f"sentinels in the log: {in_logs}\n{where(in_logs, logged)}"
