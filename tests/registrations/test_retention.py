"""The retention purge: what is kept one day before its period ends, gone one after.

Each kind of signup is made the way the portal makes it (the services) on a
fixed day, then the purge runs N−1 and N+1 days later (time-machine). Erased
signups keep what the statistics count; a second run finds nothing.
"""

import logging
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext
from post_office import mail as post_office_mail
from post_office.models import STATUS, Attachment, Email, Log

from registrations import notifications, services
from registrations.constants import SignupStatus
from registrations.models import Signup, StatusChange
from registrations.services.privacy import PurgeReport, purge_personal_data
from tests.factories import SignupFactory, WhatsAppGroupFactory

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
START = datetime(2026, 3, 2, 9, 30, tzinfo=BRUSSELS)
PERSONAL = ["first_name", "last_name", "street_name", "house_number", "email"]


def on_day(days: int):
    """Travel to ``days`` after START (the clock stands still there)."""
    return time_machine.travel(START + timedelta(days=days), tick=False)


def purge_on_day(days: int, **kwargs) -> PurgeReport:
    with on_day(days):
        return purge_personal_data(**kwargs)


# --- the signups, made as the portal makes them -------------------------------


def unconfirmed(group, staff) -> Signup:
    signup = SignupFactory(
        group=group, status=SignupStatus.UNCONFIRMED, confirmed_at=None
    )
    notifications.send_confirmation_request(signup)
    return signup


def rejected(group, staff) -> Signup:
    signup = SignupFactory(group=group, first_name="Griet", last_name="Vanhoudt")
    return services.reject_signup(
        signup, by=staff, reason="Griet Vanhoudt woont buiten de wijk."
    )


def member(group, staff) -> Signup:
    return services.approve_signup(SignupFactory(group=group), by=staff)


def withdrawn(group, staff) -> Signup:
    return services.withdraw_signup(member(group, staff))


def left(group, staff) -> Signup:
    return services.end_membership(
        member(group, staff), by=staff, status=SignupStatus.LEFT
    )


def removed(group, staff) -> Signup:
    return services.end_membership(
        member(group, staff),
        by=staff,
        status=SignupStatus.REMOVED,
        reason="Deelde foto's van de buren.",
    )


# kind: (make, setting, default days, report field)
CASES = {
    "unconfirmed": (
        unconfirmed,
        "UNCONFIRMED_RETENTION_DAYS",
        7,
        "unconfirmed_deleted",
    ),
    "rejected": (rejected, "CLOSED_RETENTION_DAYS", 30, "rejected_erased"),
    "withdrawn": (withdrawn, "CLOSED_RETENTION_DAYS", 30, "withdrawn_erased"),
    "left": (left, "LEFT_RETENTION_DAYS", 30, "left_erased"),
    "removed": (removed, "LEFT_RETENTION_DAYS", 30, "left_erased"),
}


def make(kind: str, group, staff) -> Signup:
    with time_machine.travel(START, tick=False):
        return CASES[kind][0](group, staff)


def is_purged(signup: Signup) -> bool:
    current = Signup.objects.filter(pk=signup.pk).first()
    return current is None or current.erased_at is not None


@pytest.mark.parametrize("kind", list(CASES))
def test_signup_is_kept_the_day_before_its_period_ends(kind, group, zone_staff):
    _make, _setting, days, field = CASES[kind]
    signup = make(kind, group, zone_staff)
    before = Signup.objects.filter(pk=signup.pk).values().get()

    report = purge_on_day(days - 1)

    assert getattr(report, field) == 0
    assert not is_purged(signup)
    assert Signup.objects.filter(pk=signup.pk).values().get() == before


@pytest.mark.parametrize("kind", list(CASES))
def test_signup_is_purged_the_day_after_its_period_ends(kind, group, zone_staff):
    _make, _setting, days, field = CASES[kind]
    signup = make(kind, group, zone_staff)

    report = purge_on_day(days + 1)

    assert getattr(report, field) == 1
    assert is_purged(signup)


@pytest.mark.parametrize("kind", list(CASES))
def test_each_period_is_a_setting(kind, group, zone_staff, settings):
    _make, setting, _days, field = CASES[kind]
    setattr(settings, setting, 3)
    signup = make(kind, group, zone_staff)

    kept = purge_on_day(2)
    assert getattr(kept, field) == 0
    assert not is_purged(signup)
    purged = purge_on_day(4)

    assert getattr(purged, field) == 1
    assert is_purged(signup)


def test_unconfirmed_signup_goes_with_its_status_changes_and_mail(group, zone_staff):
    signup = make("unconfirmed", group, zone_staff)
    StatusChangeCount = StatusChange.objects.filter(signup_id=signup.pk).count
    assert Email.objects.filter(to=signup.email).exists()

    report = purge_on_day(8)

    assert not Signup.objects.filter(pk=signup.pk).exists()
    assert StatusChangeCount() == 0
    assert not Email.objects.filter(to=signup.email).exists()
    assert report.mails_deleted == 1


def test_mail_of_an_address_still_in_use_is_kept_until_the_mail_period(
    group, zone_staff
):
    signup = make("unconfirmed", group, zone_staff)
    # The same resident is a member of another group: their mail stays.
    SignupFactory(
        group=WhatsAppGroupFactory(municipality=group.municipality),
        status=SignupStatus.APPROVED,
        decided_at=timezone.now(),
        email=signup.email.upper(),
        phone="+32470999888",
    )

    report = purge_on_day(8)

    assert not Signup.objects.filter(pk=signup.pk).exists()
    assert Email.objects.filter(to=signup.email).exists()
    assert report.mails_deleted == 0


@pytest.mark.parametrize("kind", ["rejected", "left", "removed", "withdrawn"])
def test_erased_signup_keeps_what_the_statistics_count(kind, group, zone_staff):
    signup = make(kind, group, zone_staff)
    kept = ["status", "role", "group_id", "municipality_id", "created_at"]
    kept += ["confirmed_at", "decided_at", "decided_by_id", "ended_at"]
    before = Signup.objects.filter(pk=signup.pk).values(*kept).get()

    purge_on_day(31)

    erased = Signup.objects.get(pk=signup.pk)
    assert Signup.objects.filter(pk=signup.pk).values(*kept).get() == before
    assert erased.erased_at == START + timedelta(days=31)
    for name in [*PERSONAL, "box", "postcode", "proposed_area", "decision_reason"]:
        assert getattr(erased, name) == "", name
    assert str(erased.phone) == ""
    assert erased.street is None
    assert not erased.status_changes.exclude(reason="").exists()


def test_rejected_application_keeps_its_group_name_and_loses_the_area(
    group, zone_staff
):
    application = SignupFactory(
        role="coordinator",
        group=None,
        municipality=group.municipality,
        proposed_group_name="WABP Nieuwe Wijk",
        proposed_area="Rond het huis van Griet Vanhoudt",
    )
    with time_machine.travel(START, tick=False):
        services.reject_signup(application, by=zone_staff, reason="Bestaat al.")

    purge_on_day(31)

    application.refresh_from_db()
    assert application.proposed_group_name == "WABP Nieuwe Wijk"
    assert application.proposed_area == ""
    assert application.erased_at is not None


def test_withdrawn_signup_with_details_left_from_before_is_erased(group):
    legacy = SignupFactory(
        group=group,
        status=SignupStatus.WITHDRAWN,
        first_name="Griet",
        ended_at=START,
    )

    report = purge_on_day(31)

    legacy.refresh_from_db()
    assert report.withdrawn_erased == 1
    assert (legacy.first_name, legacy.email, legacy.erased_at is not None) == (
        "",
        "",
        True,
    )


def test_open_signups_are_never_purged(group, zone_staff):
    with time_machine.travel(START, tick=False):
        pending = SignupFactory(group=group)
        approved = member(group, zone_staff)

    report = purge_on_day(400)

    assert report == PurgeReport()
    for signup in (pending, approved):
        signup.refresh_from_db()
        assert signup.first_name and signup.erased_at is None


def test_erased_signup_without_contact_details_is_valid_but_a_kept_one_is_not(group):
    with pytest.raises(IntegrityError), transaction.atomic():
        SignupFactory(
            group=group,
            status=SignupStatus.REJECTED,
            decided_at=timezone.now(),
            first_name="",
            phone="",
            email="",
        )

    erased = SignupFactory(
        group=group,
        status=SignupStatus.REJECTED,
        decided_at=timezone.now(),
        first_name="",
        phone="",
        email="",
        erased_at=timezone.now(),
    )

    assert str(erased) == gettext("Erased signup #%(pk)s") % {"pk": erased.pk}


# --- mail ---------------------------------------------------------------------


def queue(to: str, **kwargs) -> Email:
    return post_office_mail.send(
        recipients=[to],
        sender="WABP <noreply@wabp.localhost>",
        subject="Onderwerp",
        message="Tekst",
        priority="medium",
        **kwargs,
    )


@pytest.mark.parametrize(("days", "kept"), [(29, True), (31, False)])
def test_sent_mail_is_deleted_after_the_mail_period(days, kept, deliver_mail):
    with time_machine.travel(START, tick=False):
        sent = queue("griet@example.be")
        deliver_mail()
    assert Email.objects.get(pk=sent.pk).status == STATUS.sent

    report = purge_on_day(days)

    assert Email.objects.filter(pk=sent.pk).exists() == kept
    assert report.mails_deleted == (0 if kept else 1)


def test_failed_mail_and_its_delivery_log_are_deleted(db):
    with time_machine.travel(START, tick=False):
        failed = queue("griet@example.be")
        Email.objects.filter(pk=failed.pk).update(status=STATUS.failed)
        Log.objects.create(
            email=failed, status=STATUS.failed, message="550 griet@example.be unknown"
        )

    report = purge_on_day(31)

    assert not Email.objects.filter(pk=failed.pk).exists()
    assert not Log.objects.exists()
    assert (report.mails_deleted, report.mail_logs_deleted) == (1, 1)


def test_queued_mail_is_never_deleted_for_its_age(db):
    with time_machine.travel(START, tick=False):
        waiting = queue("griet@example.be")

    report = purge_on_day(400)

    assert Email.objects.get(pk=waiting.pk).status == STATUS.queued
    assert report.mails_deleted == 0


def test_attachment_of_deleted_mail_goes_with_its_file(
    deliver_mail, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False):
        queue(
            "coordinator@example.be",
            attachments={"uitnodiging.ics": ContentFile(b"BEGIN:VCALENDAR\r\n")},
        )
        deliver_mail()
    attachment = Attachment.objects.get()
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        report = purge_on_day(31)

    assert report.attachments_deleted == 1
    assert not Attachment.objects.exists()
    assert not storage.exists(name)


# --- sessions and login records -----------------------------------------------


def test_expired_sessions_are_deleted(db):
    Session.objects.create(
        session_key="a" * 32, session_data="", expire_date=START - timedelta(days=1)
    )
    Session.objects.create(
        session_key="b" * 32, session_data="", expire_date=START + timedelta(days=1)
    )

    with time_machine.travel(START, tick=False):
        report = purge_personal_data()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]
    assert report.sessions_deleted == 1


@pytest.mark.skipif(not apps.is_installed("axes"), reason="django-axes not installed")
def test_old_login_records_are_deleted(db, settings):
    from axes.models import AccessAttempt, AccessLog

    settings.AXES_COOLOFF_TIME = timedelta(hours=1)
    client = {
        "user_agent": "Firefox",
        "ip_address": "192.0.2.1",
        "username": "griet@example.be",
        "http_accept": "*/*",
        "path_info": "/admin/login/",
    }
    with time_machine.travel(START, tick=False):
        AccessAttempt.objects.create(
            **client, get_data="", post_data="", failures_since_start=3
        )
        AccessLog.objects.create(**client)

    soon = purge_on_day(0.5)
    assert soon.login_records_deleted == 1  # the attempt, past its cool-off
    assert AccessLog.objects.count() == 1
    late = purge_on_day(31)

    assert late.login_records_deleted == 1
    assert not AccessAttempt.objects.exists() and not AccessLog.objects.exists()


# --- the run as a whole -------------------------------------------------------


def everything_aged(group, staff) -> None:
    for kind in CASES:
        make(kind, group, staff)
    with time_machine.travel(START, tick=False):
        queue("griet@example.be")
        Email.objects.update(status=STATUS.sent)


def snapshot() -> dict:
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in (Signup, StatusChange, Email, Log)
    }


def test_second_run_changes_nothing_and_reports_zeros(group, zone_staff):
    everything_aged(group, zone_staff)
    first = purge_on_day(40)
    after_first = snapshot()

    second = purge_on_day(40)

    assert first.total > 0
    assert second == PurgeReport()
    assert second.total == 0
    assert snapshot() == after_first


def test_dry_run_counts_what_a_run_would_purge_and_changes_nothing(group, zone_staff):
    everything_aged(group, zone_staff)
    before = snapshot()

    dry = purge_on_day(40, dry_run=True)

    assert snapshot() == before
    assert dry == purge_on_day(40)
    assert dry.total > 0


def test_purge_logs_one_line_of_counts(group, zone_staff, caplog):
    everything_aged(group, zone_staff)
    names = set(Signup.objects.values_list("first_name", flat=True)) - {""}
    caplog.set_level(logging.DEBUG)

    report = purge_on_day(40)

    lines = [
        record.getMessage()
        for record in caplog.records
        if record.name == "registrations.services.retention"
    ]
    assert len(lines) == 1
    assert f"unconfirmed_deleted={report.unconfirmed_deleted}" in lines[0]
    assert f"left_erased={report.left_erased}" in lines[0]
    for record in caplog.records:
        assert not any(name in record.getMessage() for name in names)


def test_command_prints_the_counts(group, zone_staff):
    everything_aged(group, zone_staff)
    out = StringIO()

    with on_day(40):
        call_command("purge_personal_data", stdout=out)

    lines = out.getvalue().splitlines()
    assert any(line.split() == ["unconfirmed", "deleted", "1"] for line in lines)
    assert any(line.split() == ["left", "erased", "2"] for line in lines)
    assert lines[-1].endswith("row(s) purged.")
    assert not Signup.objects.filter(status=SignupStatus.UNCONFIRMED).exists()


def test_command_dry_run_changes_nothing(group, zone_staff):
    everything_aged(group, zone_staff)
    before = snapshot()
    out = StringIO()

    with on_day(40):
        call_command("purge_personal_data", "--dry-run", stdout=out)

    assert out.getvalue().splitlines()[-1].endswith("row(s) would be purged.")
    assert snapshot() == before


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="an index plan of PostgreSQL's"
)
def test_the_question_whether_an_address_is_still_used_reads_an_index(db):
    """Withdrawing or erasing a signup asks whether anyone else still uses
    its address (``email__iexact``): answered from an index, not by reading
    every signup of the country."""
    sql, params = Signup.objects.filter(
        email__iexact="griet@example.be"
    ).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "signup_email_upper" in plan
