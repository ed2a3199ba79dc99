"""Logs carry primary keys and actions, never names, numbers or addresses.

A resident with sentinel values (a name, e-mail, mobile number and street no
real text contains) goes through the main journeys: the public signup, the
confirmation link, the coordinator's approval, "added to WhatsApp", the
member exports, the end of the membership, the withdrawal link, a rejection
with a reason, the staff's XLSX export of the coordinators, the mail worker
(delivering and failing), failed logins up to the lockout, and a 404 and a
500. The coordinator has sentinel values too. Every record is captured with
the root logger at DEBUG (as with LOG_LEVEL=DEBUG): through caplog, and by a
handler of our own on the loggers that may not propagate. None may contain a
sentinel: not in the message, not in its arguments, not in the traceback.
"""

import logging
import smtplib
from collections.abc import Iterator
from http import HTTPStatus
from io import StringIO
from urllib.parse import urlsplit

import pytest
import tablib
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from post_office.models import STATUS, Email

from groups.models import Coordinator
from groups.resources import CoordinatorResource
from groups.services import link_coordinator_login
from registrations import services as registration_services
from registrations.constants import SignupStatus
from registrations.models import Signup, WaitingListEntry
from registrations.notifications import (
    CONFIRM_SALT,
    WITHDRAW_SALT,
    email_change_link,
    my_signup_link,
    signed_link,
    waiting_list_confirmation_link,
    waiting_list_leave_link,
)
from tests.eloket import eloket_form
from tests.factories import (
    CoordinatorFactory,
    HouseRulesFactory,
    RegionStreetFactory,
    StreetFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The resident. Each value is checked on its own, case-insensitively.
FIRST_NAME = "Qwzvxk"
LAST_NAME = "Jvbqpf"
EMAIL = "qwzvxk@example.be"
STREET = "Qwzvxkstraat"
HOUSE_NUMBER = "173"
PHONE_AS_TYPED = "0468 97 53 19"
PHONE_FORMS = [
    "+32468975319",  # E.164, as stored
    "+32 468 97 53 19",  # international, as shown
    "0468 97 53 19",  # national
    "0468975319",  # national, digits only
    "468975319",  # national significant number
]
# What the resident changes to on their own page: also personal data.
NEW_EMAIL = "vbxqkz@example.be"
NEW_PHONE_AS_TYPED = "0469 31 97 52"
NEW_PHONE_FORMS = [
    "+32469319752",
    "+32 469 31 97 52",
    "0469 31 97 52",
    "0469319752",
    "469319752",
]
# The coordinator: also personal data.
COORDINATOR_FIRST_NAME = "Yxkqwv"
COORDINATOR_LAST_NAME = "Vbnqzt"
COORDINATOR_EMAIL = "yxkqwv@example.be"
COORDINATOR_PHONE = "+32499735186"
COORDINATOR_PASSWORD = "correct horse battery staple"

SENTINELS = [
    FIRST_NAME,
    LAST_NAME,
    f"{FIRST_NAME} {LAST_NAME}",
    EMAIL,
    STREET,
    *PHONE_FORMS,
    NEW_EMAIL,
    *NEW_PHONE_FORMS,
    COORDINATOR_FIRST_NAME,
    COORDINATOR_LAST_NAME,
    COORDINATOR_EMAIL,
    COORDINATOR_PHONE,
    COORDINATOR_PHONE.removeprefix("+32"),
]

# Test tooling that logs what it builds; it does not run in production.
TOOL_LOGGERS = ("factory", "faker", "hypothesis")
# Loggers that may not propagate to the root (post_office does not, by
# LOGGING): they get a handler of their own. The fixture finds more.
OWN_HANDLER_LOGGERS = ("django", "post_office", "axes")

FORMAT = logging.Formatter("%(name)s %(message)s")


# --- capturing ----------------------------------------------------------------


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _all_loggers() -> list[logging.Logger]:
    named = [logging.getLogger(name) for name in OWN_HANDLER_LOGGERS]
    existing = [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    return list({id(logger): logger for logger in named + existing}.values())


@pytest.fixture
def log_records(caplog) -> Iterator[list[logging.LogRecord]]:
    """Every record a logger emits during the test, with the root at DEBUG.

    That is LOG_LEVEL=DEBUG, the most an operator can ask for. The levels
    the logging configuration gives a logger of its own ("django" at INFO by
    Django's defaults, axes and the SQL log at WARNING by LOGGING) hold
    whatever LOG_LEVEL says, so they stay as configured: they are part of
    what is tested. (Forced to DEBUG, Django's template engine would log
    whole template contexts, the resident's form included.)
    """
    caplog.set_level(logging.DEBUG)
    recorder = Recorder()
    logging.root.addHandler(recorder)
    own = [
        logger
        for logger in _all_loggers()
        if not logger.propagate or logger.name in OWN_HANDLER_LOGGERS
    ]
    for logger in own:
        logger.addHandler(recorder)
    yield recorder.records
    for logger in own:
        logger.removeHandler(recorder)
    logging.root.removeHandler(recorder)


def collected(caplog, log_records) -> list[logging.LogRecord]:
    """The records of caplog and of our handler, each once."""
    seen = {id(record): record for record in [*caplog.records, *log_records]}
    return [
        record for record in seen.values() if not record.name.startswith(TOOL_LOGGERS)
    ]


def as_text(record: logging.LogRecord) -> str:
    """Everything of a record a log file or log service would keep."""
    return "\n".join(
        [
            FORMAT.format(record),  # the message, and the traceback if any
            repr(record.args),
            record.exc_text or "",
            record.stack_info or "",
        ]
    )


def personal_data_in(records: list[logging.LogRecord]) -> list[str]:
    found = []
    for record in records:
        text = as_text(record).casefold()
        for sentinel in SENTINELS:
            if sentinel.casefold() in text:
                found.append(f"{sentinel!r} in {record.name}: {as_text(record)}")
    return found


@pytest.fixture
def assert_no_personal_data(caplog, log_records):
    """Call at the end of a journey (that the capture works is tested below)."""

    def check() -> None:
        leaks = personal_data_in(collected(caplog, log_records))
        assert not leaks, "\n\n".join(leaks)

    return check


# --- the people and the journeys ------------------------------------------------


@pytest.fixture(autouse=True)
def setup(settings) -> None:
    cache.clear()
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "django.core.mail.backends.locmem.EmailBackend"},
    }
    # The journeys log in with a password only; the second factor has tests
    # of its own.
    settings.TWO_FACTOR_REQUIRED = False


@pytest.fixture
def open_group(group, zone):
    HouseRulesFactory(zone=zone)
    return group


@pytest.fixture
def coordinator(open_group):
    """The group's coordinator, whose user name is their e-mail address."""
    user = UserFactory(
        username=COORDINATOR_EMAIL,
        email=COORDINATOR_EMAIL,
        first_name=COORDINATOR_FIRST_NAME,
        last_name=COORDINATOR_LAST_NAME,
    )
    link_coordinator_login(
        CoordinatorFactory(
            zone=open_group.municipality.zone,
            groups=[open_group],
            first_name=COORDINATOR_FIRST_NAME,
            last_name=COORDINATOR_LAST_NAME,
            email=COORDINATOR_EMAIL,
            phone=COORDINATOR_PHONE,
        ),
        user=user,
    )
    return user


@pytest.fixture
def coordinator_client(coordinator, log_records) -> Client:
    """The coordinator, logged in through the form (while logs are captured)."""
    client = Client()
    response = client.post(
        reverse("admin:login"),
        {"username": COORDINATOR_EMAIL, "password": COORDINATOR_PASSWORD},
    )
    assert response.status_code == HTTPStatus.FOUND
    return client


def signup_form(group) -> dict:
    """The e-loket form as the resident fills it in."""
    return eloket_form(
        group,
        group.municipality.zone.house_rules.get(is_current=True),
        first_name=FIRST_NAME,
        last_name=LAST_NAME,
        street_name=STREET,
        house_number=HOUSE_NUMBER,
        phone=PHONE_AS_TYPED,
        email=EMAIL,
    )


def sign_up(client, group) -> Signup:
    response = client.post(reverse("registrations:signup"), signup_form(group))
    assert response.status_code == HTTPStatus.FOUND, response.content
    return Signup.objects.get(email=EMAIL, status=SignupStatus.UNCONFIRMED)


def confirm(client, signup: Signup) -> None:
    response = client.post(
        path_of(
            signed_link(
                signup, salt=CONFIRM_SALT, url_name="registrations:signup-confirm"
            )
        )
    )
    assert response.status_code == HTTPStatus.OK
    signup.refresh_from_db()
    assert signup.status == SignupStatus.PENDING


def path_of(link: str) -> str:
    return urlsplit(link).path


def withdrawal_url(signup: Signup) -> str:
    return path_of(
        signed_link(
            signup, salt=WITHDRAW_SALT, url_name="registrations:signup-withdraw"
        )
    )


def member_action(client, action: str, signup: Signup, **extra):
    return client.post(
        reverse("admin:registrations_member_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [signup.pk], **extra},
    )


def a_pending_signup(client, group) -> Signup:
    signup = sign_up(client, group)
    confirm(client, signup)
    return signup


def a_member(client, coordinator_client, group) -> Signup:
    signup = a_pending_signup(client, group)
    response = coordinator_client.post(
        reverse("admin:registrations_pendingsignup_approve", args=[signup.pk])
    )
    assert response.status_code == HTTPStatus.FOUND
    signup.refresh_from_db()
    assert signup.status == SignupStatus.APPROVED
    return signup


def send_the_outbox() -> None:
    call_command("mail_worker", "--once")


# --- the journeys -------------------------------------------------------------


def test_signup_and_confirmation_log_no_personal_data(
    client, open_group, coordinator, assert_no_personal_data
):
    signup = a_pending_signup(client, open_group)
    # The same resident again (the duplicate notice), and with a typo.
    again = client.post(reverse("registrations:signup"), signup_form(open_group))
    typo = client.post(
        reverse("registrations:signup"),
        {**signup_form(open_group), "phone": PHONE_AS_TYPED + "9"},
    )

    assert again.status_code == HTTPStatus.FOUND
    assert typo.status_code == HTTPStatus.OK
    assert Signup.objects.get().pk == signup.pk
    assert_no_personal_data()


def test_coordinator_decisions_and_export_log_no_personal_data(
    client, coordinator_client, open_group, assert_no_personal_data
):
    signup = a_pending_signup(client, open_group)
    # The coordinator reads the signup, then approves it.
    coordinator_client.get(reverse("admin:registrations_pendingsignup_changelist"))
    coordinator_client.get(
        reverse("admin:registrations_pendingsignup_change", args=[signup.pk])
    )
    coordinator_client.post(
        reverse("admin:registrations_pendingsignup_approve", args=[signup.pk])
    )
    coordinator_client.get(reverse("admin:registrations_member_changelist"))
    coordinator_client.get(
        reverse("admin:registrations_member_changelist"), {"q": LAST_NAME}
    )

    member_action(coordinator_client, "mark_added_selected", signup)
    csv = member_action(coordinator_client, "export_csv", signup)
    vcard = member_action(coordinator_client, "export_vcard", signup)
    member_action(coordinator_client, "mark_left_selected", signup, apply="1")

    assert LAST_NAME in csv.content.decode()
    assert LAST_NAME in vcard.content.decode()
    signup.refresh_from_db()
    assert signup.added_to_whatsapp_at is not None
    assert signup.status == SignupStatus.LEFT
    assert_no_personal_data()


def test_removal_and_rejection_with_a_reason_log_no_personal_data(
    client, coordinator_client, open_group, assert_no_personal_data
):
    reason = f"{FIRST_NAME} {LAST_NAME} woont niet in de {STREET}."
    member = a_member(client, coordinator_client, open_group)
    member_action(
        coordinator_client,
        "mark_removed_selected",
        member,
        apply="1",
        reason=reason,
    )
    member.refresh_from_db()
    assert member.status == SignupStatus.REMOVED
    pending = a_pending_signup(client, open_group)

    coordinator_client.get(
        reverse("admin:registrations_pendingsignup_reject", args=[pending.pk])
    )
    coordinator_client.post(
        reverse("admin:registrations_pendingsignup_reject", args=[pending.pk]),
        {"reason": reason},
    )

    pending.refresh_from_db()
    assert pending.status == SignupStatus.REJECTED
    assert pending.decision_reason == reason
    assert_no_personal_data()


def test_staff_table_export_and_import_log_no_personal_data(
    client, zone_staff, coordinator, assert_no_personal_data
):
    """The coordinator table as XLSX, and the same file read back (a dry run)."""
    client.force_login(zone_staff)
    coordinator_admin = admin.site._registry[Coordinator]
    export_titles = [f().get_title() for f in coordinator_admin.get_export_formats()]
    import_titles = [f().get_title() for f in coordinator_admin.get_import_formats()]
    columns = CoordinatorResource._meta.fields

    exported = client.post(
        reverse("admin:groups_coordinator_export"),
        {
            "format": str(export_titles.index("xlsx")),
            "resource": "0",
            **{f"coordinatorresource_{column}": "on" for column in columns},
        },
    )
    preview = client.post(
        reverse("admin:groups_coordinator_import"),
        {
            "resource": "0",
            "format": str(import_titles.index("xlsx")),
            "import_file": SimpleUploadedFile("tabel.xlsx", exported.content),
        },
    )

    table = tablib.Dataset().load(exported.content, format="xlsx")
    assert COORDINATOR_EMAIL in table["email"]
    assert preview.status_code == HTTPStatus.OK
    assert_no_personal_data()


def test_withdrawal_through_the_signed_link_logs_no_personal_data(
    client, coordinator_client, open_group, assert_no_personal_data
):
    member = a_member(client, coordinator_client, open_group)

    client.get(withdrawal_url(member))
    client.post(withdrawal_url(member))

    member.refresh_from_db()
    assert member.status == SignupStatus.WITHDRAWN
    assert member.email == ""
    assert_no_personal_data()


def test_waiting_list_logs_no_personal_data(
    client, open_group, zone_staff, assert_no_personal_data
):
    """Join (and again), a refused form, confirm, be told of a group, leave."""
    municipality = open_group.municipality
    url = reverse("registrations:waiting-list")
    form = {
        "municipality": municipality.pk,
        "street_name": STREET,
        "house_number": HOUSE_NUMBER,
        "email": EMAIL,
        "accept_privacy": "on",
    }
    assert client.post(url, form).status_code == HTTPStatus.FOUND
    assert client.post(url, form).status_code == HTTPStatus.FOUND
    refused = client.post(url, {**form, "email": EMAIL.replace("@", " at ")})
    assert refused.status_code == HTTPStatus.OK
    entry = WaitingListEntry.objects.get()
    confirm_link = path_of(waiting_list_confirmation_link(entry))
    assert client.post(confirm_link).status_code == HTTPStatus.OK
    # A group covers the street now: the command tells the resident.
    street = StreetFactory(municipality=municipality, name=STREET)
    RegionStreetFactory(region=open_group.region, street=street)
    call_command("notify_waiting_list", stdout=StringIO())
    entry.refresh_from_db()
    assert entry.notified_at is not None
    # The staff read the list; the resident leaves; the links are used up.
    client.force_login(zone_staff)
    client.get(reverse("admin:registrations_waitinglistentry_changelist"))
    client.get(reverse("admin:registrations_waitinglistentry_change", args=[entry.pk]))
    leave_link = path_of(waiting_list_leave_link(entry))
    assert client.post(leave_link).status_code == HTTPStatus.FOUND
    assert client.get(leave_link).status_code == HTTPStatus.BAD_REQUEST
    assert client.get(confirm_link).status_code == HTTPStatus.BAD_REQUEST


def test_changes_on_the_residents_own_page_log_no_personal_data(
    client, coordinator_client, open_group, assert_no_personal_data
):
    member = a_member(client, coordinator_client, open_group)
    page = path_of(my_signup_link(member))

    client.get(page)
    client.post(page + "gsm/", {"phone": "011 12 34 56"})  # a landline: refused
    client.post(page + "gsm/", {"phone": NEW_PHONE_AS_TYPED})
    client.post(page + "e-mailadres/", {"email": "vbxqkz@"})  # refused
    client.post(page + "e-mailadres/", {"email": NEW_EMAIL})
    member.refresh_from_db()
    change = path_of(email_change_link(member))
    client.get(change)
    client.post(change)
    client.post(change)  # used already
    client.get(page)  # sent to the old address: no longer valid

    member.refresh_from_db()
    assert member.email == NEW_EMAIL
    assert member.phone.as_e164 == NEW_PHONE_FORMS[0]
    assert_no_personal_data()


def test_mail_worker_logs_no_addresses(
    client, coordinator_client, open_group, assert_no_personal_data, mailoutbox
):
    a_member(client, coordinator_client, open_group)

    send_the_outbox()

    assert any(EMAIL in message.to for message in mailoutbox)
    assert any(COORDINATOR_EMAIL in message.to for message in mailoutbox)
    assert_no_personal_data()


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that does not know the recipient, as smtplib reports it."""

    def send_messages(self, email_messages):
        refused = {
            address: (550, b"5.1.1 <" + address.encode() + b">: user unknown")
            for message in email_messages
            for address in message.recipients()
        }
        raise smtplib.SMTPRecipientsRefused(refused)


def test_failed_delivery_logs_no_addresses(
    client, open_group, settings, assert_no_personal_data
):
    sign_up(client, open_group)
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": f"{__name__}.RefusingBackend"},
    }

    send_the_outbox()

    # A 550 is final: the mail is given up at once, not retried.
    assert Email.objects.filter(to__contains=EMAIL, status=STATUS.failed).exists()
    # The SMTP error names the address; the log names the mail by number.
    assert_no_personal_data()


def test_failed_logins_and_lockout_log_no_user_names(
    client, coordinator, settings, assert_no_personal_data
):
    settings.AXES_FAILURE_LIMIT = 3
    login_url = reverse("admin:login")

    answers = [
        client.post(login_url, {"username": COORDINATOR_EMAIL, "password": "wrong"})
        for _ in range(4)
    ]
    # Someone else tries the resident's address, which has no login.
    client.post(login_url, {"username": EMAIL, "password": "wrong"})

    assert answers[0].status_code == HTTPStatus.OK
    assert answers[-1].status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert_no_personal_data()


def test_password_reset_logs_no_addresses(
    client, coordinator, assert_no_personal_data, mailoutbox
):
    for address in (COORDINATOR_EMAIL, EMAIL):  # a login, and an address without
        response = client.post(reverse("admin_password_reset"), {"email": address})
        assert response.status_code == HTTPStatus.FOUND

    send_the_outbox()

    assert [message.to for message in mailoutbox] == [[COORDINATOR_EMAIL]]
    assert_no_personal_data()


def test_not_found_and_server_error_log_no_personal_data(
    client, open_group, monkeypatch, assert_no_personal_data
):
    # A 404 with the resident's data in the query string.
    missing = client.get(
        reverse("registrations:house-rules-version", args=[987654321]),
        {"email": EMAIL, "naam": LAST_NAME, "straat": STREET},
    )

    # A 500 while the resident's form is being stored.
    def broken(request):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(registration_services, "create_signup", broken)
    client.raise_request_exception = False
    failed = client.post(reverse("registrations:signup"), signup_form(open_group))

    assert missing.status_code == HTTPStatus.NOT_FOUND
    assert failed.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert_no_personal_data()


# --- the check itself ---------------------------------------------------------


@pytest.fixture
def unredacted_records():
    """Records as logging makes them without the portal's redaction."""
    from wabp_portal import log_redaction

    logging.setLogRecordFactory(log_redaction._make_record)
    yield
    log_redaction.install()


def test_check_finds_personal_data_in_a_message_its_arguments_or_a_traceback(
    caplog, log_records, unredacted_records
):
    logger = logging.getLogger("registrations.services")
    logger.info("signup created for %s", EMAIL)
    logger.debug("lookup %r", {"phone": PHONE_FORMS[0]})
    try:
        raise ValueError(f"bad street {STREET}")
    except ValueError:
        logger.exception("failed")
    logging.getLogger("post_office").warning("to %s", COORDINATOR_EMAIL)

    leaks = personal_data_in(collected(caplog, log_records))

    assert {leak.split(" in ")[0] for leak in leaks} == {
        repr(EMAIL),
        repr(PHONE_FORMS[0]),
        repr(PHONE_FORMS[4]),
        repr(STREET),
        repr(FIRST_NAME),  # "Qwzvxkstraat" and "qwzvxk@…" hold the first name
        repr(COORDINATOR_EMAIL),
        repr(COORDINATOR_FIRST_NAME),
    }


def test_addresses_and_numbers_are_redacted_whoever_logs_them(caplog, log_records):
    logger = logging.getLogger("some.library")
    logger.warning("refused %s", EMAIL)
    logger.warning("duplicate key (phone)=(%s)", PHONE_FORMS[0])
    try:
        raise ValueError(f"<{COORDINATOR_EMAIL}>: user unknown from 203.0.113.9")
    except ValueError:
        logger.exception("failed to send email #12")

    text = "\n".join(as_text(record) for record in collected(caplog, log_records))

    assert EMAIL not in text
    assert COORDINATOR_EMAIL not in text
    assert PHONE_FORMS[0] not in text
    assert "203.0.113.9" not in text
    # What is not personal stays, traceback frames included.
    assert "failed to send email #12" in text
    assert "ValueError" in text
    assert "test_no_personal_data_in_logs.py" in text
