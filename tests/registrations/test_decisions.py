"""Deciding on signups: approve, reject, mark added, end, export, remind.

The services in ``registrations.services`` that coordinators and police-zone
staff call, each with its happy path and every refusal, the row lock that
makes two people deciding at once make one decision (PostgreSQL only), and
the daily reminders with a moving clock.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext
from post_office.models import Email

from groups.constants import NotificationMode
from groups.services import add_zone_staff, link_coordinator_login
from registrations import notifications
from registrations.constants import ExportKind, SignupRole, SignupStatus
from registrations.models import ExportRecord, Reminder, Signup, StatusChange
from registrations.services import (
    InvalidTransition,
    approve_signup,
    confirm_signup,
    end_membership,
    mark_added,
    record_export,
    reject_signup,
    reminders,
    send_coordinator_reminders,
)
from tests.concurrency import at_once
from tests.factories import (
    CoordinatorFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    SignupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
# A Monday morning, well clear of midnight and of a daylight-saving change.
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=BRUSSELS)

requires_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite locks the "
    "whole database, so there is no race to lose",
)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def nl(msgid: str) -> str:
    """The Dutch the resident reads (mails go out in the signup's language)."""
    with translation.override("nl"):
        return gettext(msgid)


def mails_to(address: str) -> list[Email]:
    """Mails queued for exactly this address ("a1@x" must not match "a11@x")."""
    queued = Email.objects.filter(to__contains=address).order_by("pk")
    return [mail for mail in queued if address in mail.to]


def decided_signup(group, status: str, **kwargs) -> Signup:
    return SignupFactory(
        group=group, status=status, decided_at=timezone.now(), **kwargs
    )


def coordinator_login(*groups, **kwargs) -> User:
    """A login linked to a coordinator of these groups (all of one zone)."""
    coordinator = CoordinatorFactory(
        zone=groups[0].municipality.zone, groups=list(groups), **kwargs
    )
    return link_coordinator_login(coordinator, user=UserFactory()).user


@pytest.fixture
def other_group(group):
    """Another group of the same municipality, with its own coordinator."""
    other = WhatsAppGroupFactory(municipality=group.municipality)
    coordinator_login(other)
    return other


@pytest.fixture
def other_zone_staff(db) -> User:
    user = UserFactory()
    add_zone_staff(PoliceZoneFactory(), user=user)
    return user


ADDED_BY_COORDINATOR = nl(
    "The coordinator will add you to the WhatsApp group with your mobile number."
)


# --- approve_signup -----------------------------------------------------------


def test_approve_makes_the_pending_signup_a_member(
    coordinator_user, group, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    signup = SignupFactory(group=group)

    approve_signup(signup, by=coordinator_user)

    signup.refresh_from_db()
    assert signup.status == SignupStatus.APPROVED
    assert signup.decided_at == MONDAY
    assert signup.decided_by == coordinator_user
    assert signup.added_to_whatsapp_at is None


def test_approve_records_the_step_and_who_took_it(coordinator_user, group):
    signup = SignupFactory(group=group)

    approve_signup(signup, by=coordinator_user)

    step = signup.status_changes.get()
    assert (step.from_status, step.to_status) == (
        SignupStatus.PENDING,
        SignupStatus.APPROVED,
    )
    assert step.actor == coordinator_user
    assert step.reason == ""


def test_approval_mail_carries_the_invite_link_when_the_group_shares_it(
    coordinator_user, group
):
    group.invite_link = "https://chat.whatsapp.com/TerkoestZuid2026"
    group.send_invite_link = True
    group.save()
    signup = SignupFactory(group=group, email="lotte@example.org")

    approve_signup(signup, by=coordinator_user)

    [mail] = mails_to("lotte@example.org")
    assert mail.to == ["lotte@example.org"]
    assert "https://chat.whatsapp.com/TerkoestZuid2026" in mail.message
    assert "https://chat.whatsapp.com/TerkoestZuid2026" in mail.html_message
    assert group.name in mail.subject
    assert ADDED_BY_COORDINATOR not in mail.message


@pytest.mark.parametrize(
    ("send_invite_link", "invite_link"),
    [
        (False, "https://chat.whatsapp.com/TerkoestZuid2026"),
        (True, ""),
        (False, ""),
    ],
    ids=["link-kept-private", "no-link", "neither"],
)
def test_approval_mail_says_the_coordinator_adds_them_without_a_shared_link(
    coordinator_user, group, send_invite_link, invite_link
):
    group.invite_link = invite_link
    group.send_invite_link = send_invite_link
    group.save()
    signup = SignupFactory(group=group, email="jef@example.org")

    approve_signup(signup, by=coordinator_user)

    [mail] = mails_to("jef@example.org")
    assert "chat.whatsapp.com" not in mail.message
    assert "chat.whatsapp.com" not in mail.html_message
    assert ADDED_BY_COORDINATOR in mail.message


@pytest.mark.parametrize(
    "status",
    [
        SignupStatus.APPROVED,
        SignupStatus.REJECTED,
        SignupStatus.LEFT,
        SignupStatus.REMOVED,
    ],
)
def test_approve_refuses_a_signup_that_is_no_longer_pending(
    coordinator_user, group, status
):
    signup = decided_signup(group, status)

    with pytest.raises(InvalidTransition):
        approve_signup(signup, by=coordinator_user)

    signup.refresh_from_db()
    assert signup.status == status
    assert not signup.status_changes.exists()
    assert mails_to(signup.email) == []


def test_approve_refuses_an_unconfirmed_signup_even_to_zone_staff(zone_staff, group):
    signup = SignupFactory(
        group=group, status=SignupStatus.UNCONFIRMED, confirmed_at=None
    )

    with pytest.raises(InvalidTransition):
        approve_signup(signup, by=zone_staff)

    signup.refresh_from_db()
    assert signup.status == SignupStatus.UNCONFIRMED


def test_coordinator_cannot_approve_a_signup_of_another_group(
    coordinator_user, other_group
):
    signup = SignupFactory(group=other_group)

    with pytest.raises(PermissionDenied):
        approve_signup(signup, by=coordinator_user)

    signup.refresh_from_db()
    assert signup.status == SignupStatus.PENDING
    assert signup.decided_by is None
    assert mails_to(signup.email) == []


@pytest.mark.parametrize("who", ["anonymous", "no_role", "inactive_coordinator"])
def test_user_without_an_active_role_cannot_approve(group, who):
    if who == "anonymous":
        user = AnonymousUser()
    elif who == "no_role":
        user = UserFactory()
    else:
        user = coordinator_login(group)
        user.is_active = False
        user.save()
    signup = SignupFactory(group=group)

    with pytest.raises(PermissionDenied):
        approve_signup(signup, by=user)

    signup.refresh_from_db()
    assert signup.status == SignupStatus.PENDING
    assert not signup.status_changes.exists()


def test_application_to_coordinate_a_new_group_cannot_be_approved(zone_staff, group):
    application = SignupFactory(
        role=SignupRole.COORDINATOR,
        group=None,
        municipality=group.municipality,
        proposed_group_name="WABP Nieuwe Wijk",
    )

    with pytest.raises(InvalidTransition):
        approve_signup(application, by=zone_staff)

    application.refresh_from_db()
    assert application.status == SignupStatus.PENDING
    assert mails_to(application.email) == []


def test_coordinator_cannot_decide_an_application_to_coordinate(
    coordinator_user, group
):
    application = SignupFactory(
        role=SignupRole.COORDINATOR,
        group=None,
        municipality=group.municipality,
        proposed_group_name="WABP Nieuwe Wijk",
    )

    with pytest.raises(PermissionDenied):
        reject_signup(application, by=coordinator_user, reason="Al een groep.")


# --- reject_signup ------------------------------------------------------------


def test_reject_closes_the_signup_with_the_reason(
    coordinator_user, group, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    signup = SignupFactory(group=group)

    reject_signup(signup, by=coordinator_user, reason="  Adres buiten de wijk.  ")

    signup.refresh_from_db()
    assert signup.status == SignupStatus.REJECTED
    assert signup.decision_reason == "Adres buiten de wijk."
    assert signup.decided_by == coordinator_user
    assert signup.decided_at == signup.ended_at == MONDAY
    step = signup.status_changes.get()
    assert step.to_status == SignupStatus.REJECTED
    assert step.actor == coordinator_user
    assert step.reason == "Adres buiten de wijk."


def test_rejection_mail_gives_the_reason_and_no_invite_link(coordinator_user, group):
    signup = SignupFactory(group=group, email="karel@example.org")

    reject_signup(signup, by=coordinator_user, reason="Adres buiten de wijk.")

    [mail] = mails_to("karel@example.org")
    assert "Adres buiten de wijk." in mail.message
    assert "Adres buiten de wijk." in mail.html_message
    assert group.invite_link not in mail.message


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_reject_needs_a_reason(coordinator_user, group, reason):
    signup = SignupFactory(group=group)

    with pytest.raises(ValidationError) as error:
        reject_signup(signup, by=coordinator_user, reason=reason)

    assert "decision_reason" in error.value.message_dict
    signup.refresh_from_db()
    assert signup.status == SignupStatus.PENDING
    assert mails_to(signup.email) == []


@pytest.mark.parametrize("status", [SignupStatus.APPROVED, SignupStatus.REJECTED])
def test_reject_refuses_a_signup_that_is_no_longer_pending(
    coordinator_user, group, status
):
    signup = decided_signup(group, status)

    with pytest.raises(InvalidTransition):
        reject_signup(signup, by=coordinator_user, reason="Te laat.")

    signup.refresh_from_db()
    assert signup.status == status
    assert signup.decision_reason == ""


def test_coordinator_cannot_reject_a_signup_of_another_group(
    coordinator_user, other_group
):
    signup = SignupFactory(group=other_group)

    with pytest.raises(PermissionDenied):
        reject_signup(signup, by=coordinator_user, reason="Niet van mij.")

    signup.refresh_from_db()
    assert signup.status == SignupStatus.PENDING


def test_zone_staff_rejects_an_application_to_coordinate_with_the_group_named(
    zone_staff, group
):
    application = SignupFactory(
        role=SignupRole.COORDINATOR,
        group=None,
        municipality=group.municipality,
        proposed_group_name="WABP Nieuwe Wijk",
        email="kandidaat@example.org",
    )

    reject_signup(application, by=zone_staff, reason="Er is al een groep.")

    [mail] = mails_to("kandidaat@example.org")
    assert "WABP Nieuwe Wijk" in mail.message
    assert "Er is al een groep." in mail.message


# --- mark_added ---------------------------------------------------------------


def test_mark_added_notes_when_the_member_was_added(
    coordinator_user, group, time_machine
):
    member = decided_signup(group, SignupStatus.APPROVED)
    time_machine.move_to(MONDAY, tick=False)

    mark_added(member, by=coordinator_user)

    member.refresh_from_db()
    assert member.added_to_whatsapp_at == MONDAY
    assert member.status == SignupStatus.APPROVED
    assert mails_to(member.email) == []


def test_mark_added_twice_is_refused_and_keeps_the_first_time(
    coordinator_user, group, time_machine
):
    member = decided_signup(group, SignupStatus.APPROVED)
    time_machine.move_to(MONDAY, tick=False)
    mark_added(member, by=coordinator_user)
    time_machine.move_to(MONDAY + timedelta(days=1), tick=False)

    with pytest.raises(InvalidTransition):
        mark_added(member, by=coordinator_user)

    member.refresh_from_db()
    assert member.added_to_whatsapp_at == MONDAY


@pytest.mark.parametrize(
    "status", [SignupStatus.PENDING, SignupStatus.REJECTED, SignupStatus.LEFT]
)
def test_mark_added_refuses_a_signup_that_is_not_a_member(
    coordinator_user, group, status
):
    signup = (
        SignupFactory(group=group)
        if status == SignupStatus.PENDING
        else decided_signup(group, status)
    )

    with pytest.raises(InvalidTransition):
        mark_added(signup, by=coordinator_user)

    signup.refresh_from_db()
    assert signup.added_to_whatsapp_at is None


def test_coordinator_cannot_mark_a_member_of_another_group_added(
    coordinator_user, other_group
):
    member = decided_signup(other_group, SignupStatus.APPROVED)

    with pytest.raises(PermissionDenied):
        mark_added(member, by=coordinator_user)

    member.refresh_from_db()
    assert member.added_to_whatsapp_at is None


def test_mark_added_refuses_a_member_whose_row_is_invalid(coordinator_user, group):
    """Written past the services (an old import): the service saves no such row."""
    member = decided_signup(group, SignupStatus.APPROVED)
    Signup.objects.filter(pk=member.pk).update(email="geen adres")

    with pytest.raises(ValidationError) as refused:
        mark_added(member, by=coordinator_user)

    assert "email" in refused.value.message_dict
    member.refresh_from_db()
    assert member.added_to_whatsapp_at is None


# --- end_membership -----------------------------------------------------------


def test_member_who_left_needs_no_reason_and_is_told(coordinator_user, group):
    member = decided_signup(group, SignupStatus.APPROVED, email="sofie@example.org")

    end_membership(member, by=coordinator_user, status=SignupStatus.LEFT)

    member.refresh_from_db()
    assert member.status == SignupStatus.LEFT
    assert member.ended_at is not None
    assert member.decision_reason == ""
    step = member.status_changes.get()
    assert (step.from_status, step.to_status, step.actor) == (
        SignupStatus.APPROVED,
        SignupStatus.LEFT,
        coordinator_user,
    )
    [mail] = mails_to("sofie@example.org")
    assert group.name in mail.subject


def test_removing_a_member_tells_them_the_reason(coordinator_user, group):
    member = decided_signup(group, SignupStatus.APPROVED, email="bart@example.org")

    end_membership(
        member,
        by=coordinator_user,
        status=SignupStatus.REMOVED,
        reason="Deelde berichten buiten de groep.",
    )

    member.refresh_from_db()
    assert member.status == SignupStatus.REMOVED
    assert member.decision_reason == "Deelde berichten buiten de groep."
    assert member.status_changes.get().reason == "Deelde berichten buiten de groep."
    [mail] = mails_to("bart@example.org")
    assert "Deelde berichten buiten de groep." in mail.message


@pytest.mark.parametrize("reason", ["", "  "])
def test_removing_a_member_needs_a_reason(coordinator_user, group, reason):
    member = decided_signup(group, SignupStatus.APPROVED)

    with pytest.raises(ValidationError):
        end_membership(
            member, by=coordinator_user, status=SignupStatus.REMOVED, reason=reason
        )

    member.refresh_from_db()
    assert member.status == SignupStatus.APPROVED
    assert mails_to(member.email) == []


@pytest.mark.parametrize("status", [SignupStatus.LEFT, SignupStatus.REMOVED])
def test_a_pending_signup_cannot_end_a_membership(coordinator_user, group, status):
    signup = SignupFactory(group=group)

    with pytest.raises(InvalidTransition):
        end_membership(signup, by=coordinator_user, status=status, reason="Weg.")

    signup.refresh_from_db()
    assert signup.status == SignupStatus.PENDING
    assert mails_to(signup.email) == []


def test_end_membership_only_knows_left_and_removed(coordinator_user, group):
    member = decided_signup(group, SignupStatus.APPROVED)

    with pytest.raises(ValueError):
        end_membership(member, by=coordinator_user, status=SignupStatus.REJECTED)

    member.refresh_from_db()
    assert member.status == SignupStatus.APPROVED


def test_coordinator_cannot_end_a_membership_of_another_group(
    coordinator_user, other_group
):
    member = decided_signup(other_group, SignupStatus.APPROVED)

    with pytest.raises(PermissionDenied):
        end_membership(member, by=coordinator_user, status=SignupStatus.LEFT)

    member.refresh_from_db()
    assert member.status == SignupStatus.APPROVED


# --- record_export ------------------------------------------------------------


def test_record_export_keeps_who_exported_how_many_of_which_groups(
    zone_staff, group, other_group
):
    members = [
        decided_signup(group, SignupStatus.APPROVED),
        decided_signup(group, SignupStatus.APPROVED),
        decided_signup(other_group, SignupStatus.APPROVED),
    ]

    record = record_export(members, by=zone_staff, kind=ExportKind.VCARD)

    record.refresh_from_db()
    assert record.user == zone_staff
    assert record.kind == ExportKind.VCARD
    assert record.count == 3
    assert set(record.groups.all()) == {group, other_group}
    assert record.created_at is not None


def test_record_export_of_nobody_is_still_recorded(coordinator_user):
    record = record_export([], by=coordinator_user, kind=ExportKind.CSV)

    assert ExportRecord.objects.get() == record
    assert record.count == 0
    assert not record.groups.exists()


def test_record_export_of_an_unknown_kind_is_refused_and_records_nothing(
    coordinator_user, group
):
    members = [decided_signup(group, SignupStatus.APPROVED)]

    with pytest.raises(ValidationError) as refused:
        record_export(members, by=coordinator_user, kind="pdf")

    assert "kind" in refused.value.message_dict
    assert not ExportRecord.objects.exists()
    assert not LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ExportRecord)
    ).exists()


# --- police-zone staff --------------------------------------------------------


def approve(signup, user):
    return approve_signup(signup, by=user)


def reject(signup, user):
    return reject_signup(signup, by=user, reason="Buiten de wijk.")


@pytest.mark.parametrize("decide", [approve, reject])
def test_zone_staff_decide_signups_of_every_group_of_their_zone(
    zone_staff, zone, decide
):
    elsewhere = WhatsAppGroupFactory(municipality=MunicipalityFactory(zone=zone))
    signup = SignupFactory(group=elsewhere)

    decide(signup, zone_staff)

    signup.refresh_from_db()
    assert signup.status in {SignupStatus.APPROVED, SignupStatus.REJECTED}
    assert signup.decided_by == zone_staff


@pytest.mark.parametrize("decide", [approve, reject])
def test_zone_staff_cannot_decide_signups_of_another_zone(
    other_zone_staff, group, decide
):
    signup = SignupFactory(group=group)

    with pytest.raises(PermissionDenied):
        decide(signup, other_zone_staff)

    signup.refresh_from_db()
    assert signup.status == SignupStatus.PENDING


# --- two people deciding at once (PostgreSQL) ---------------------------------


@pytest.fixture
def concurrent_deciders(db):
    group = WhatsAppGroupFactory()
    coordinator = coordinator_login(group)
    staff = UserFactory()
    add_zone_staff(group.municipality.zone, user=staff)
    return group, [coordinator.pk, staff.pk]


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_people_approving_at_once_make_one_decision(concurrent_deciders):
    group, user_pks = concurrent_deciders
    signup = SignupFactory(group=group, email="gelijktijdig@example.org")

    def approve_as(user_pk):
        # Each thread its own User: has_perm() caches on the instance.
        return lambda: approve_signup(signup, by=User.objects.get(pk=user_pk))

    results = at_once([approve_as(user_pks[i % 2]) for i in range(10)])

    approved = [result for result in results if isinstance(result, Signup)]
    refused = [result for result in results if isinstance(result, InvalidTransition)]
    assert len(approved) == 1, results
    assert len(refused) == 9, results
    signup.refresh_from_db()
    assert signup.status == SignupStatus.APPROVED
    assert (
        StatusChange.objects.filter(
            signup=signup, to_status=SignupStatus.APPROVED
        ).count()
        == 1
    )
    assert len(mails_to("gelijktijdig@example.org")) == 1


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_approve_and_reject_at_once_end_in_one_state(concurrent_deciders):
    group, (coordinator_pk, staff_pk) = concurrent_deciders
    signups = [SignupFactory(group=group) for _ in range(5)]

    for signup in signups:
        results = at_once(
            [
                lambda signup=signup: approve_signup(
                    signup, by=User.objects.get(pk=coordinator_pk)
                ),
                lambda signup=signup: reject_signup(
                    signup, by=User.objects.get(pk=staff_pk), reason="Dubbel."
                ),
            ]
        )

        assert sorted(type(result).__name__ for result in results) == [
            "InvalidTransition",
            "Signup",
        ], results
        signup.refresh_from_db()
        [step] = signup.status_changes.all()
        assert step.to_status == signup.status
        assert signup.status in {SignupStatus.APPROVED, SignupStatus.REJECTED}
        assert len(mails_to(signup.email)) == 1


# --- reminders and digests ----------------------------------------------------

PENDING_SUBJECT = "Reminder: signups are waiting for your decision"
NOT_ADDED_SUBJECT = "Reminder: approved members not yet added to WhatsApp"
DIGEST_SUBJECT = "New signups for your group"


def coordinator_mails(user: User, subject_msgid: str) -> list[Email]:
    subject = nl(subject_msgid)
    return [
        mail for mail in mails_to(user.coordinator.email) if mail.subject == subject
    ]


@pytest.fixture
def reminder_days(settings):
    settings.REMINDER_PENDING_DAYS = 3
    settings.REMINDER_NOT_ADDED_DAYS = 2


@pytest.mark.parametrize(("days", "expected"), [(2, 0), (4, 1)])
def test_pending_reminder_comes_after_the_configured_days(
    coordinator_user, group, reminder_days, time_machine, days, expected
):
    time_machine.move_to(MONDAY - timedelta(days=days), tick=False)
    SignupFactory(group=group)
    time_machine.move_to(MONDAY, tick=False)

    send_coordinator_reminders()

    assert len(coordinator_mails(coordinator_user, PENDING_SUBJECT)) == expected


def test_pending_reminder_is_sent_once_a_day_however_often_cron_runs(
    coordinator_user, group, reminder_days, time_machine
):
    time_machine.move_to(MONDAY - timedelta(days=4), tick=False)
    SignupFactory(group=group)
    time_machine.move_to(MONDAY, tick=False)

    first = send_coordinator_reminders()
    time_machine.move_to(MONDAY + timedelta(hours=5), tick=False)
    second = send_coordinator_reminders()

    assert (first, second) == (1, 0)
    assert len(coordinator_mails(coordinator_user, PENDING_SUBJECT)) == 1

    time_machine.move_to(MONDAY + timedelta(days=1), tick=False)
    third = send_coordinator_reminders()

    assert third == 1
    assert len(coordinator_mails(coordinator_user, PENDING_SUBJECT)) == 2


def test_a_reminder_whose_mail_fails_is_not_claimed_and_comes_next_run(
    coordinator_user, group, reminder_days, time_machine, monkeypatch
):
    """Claim and mail in one transaction: a crash between them loses nothing."""
    time_machine.move_to(MONDAY - timedelta(days=4), tick=False)
    SignupFactory(group=group)
    time_machine.move_to(MONDAY, tick=False)

    def broken(*args, **kwargs):
        raise RuntimeError("the worker died while queueing")

    monkeypatch.setattr(notifications, "send_coordinator_summary", broken)
    with pytest.raises(RuntimeError):
        send_coordinator_reminders()
    monkeypatch.undo()

    assert not Reminder.objects.exists()
    assert send_coordinator_reminders() == 1
    assert len(coordinator_mails(coordinator_user, PENDING_SUBJECT)) == 1


def test_no_pending_reminder_once_the_signup_is_decided(
    coordinator_user, group, reminder_days, time_machine
):
    time_machine.move_to(MONDAY - timedelta(days=4), tick=False)
    signup = SignupFactory(group=group)
    time_machine.move_to(MONDAY, tick=False)
    approve_signup(signup, by=coordinator_user)

    send_coordinator_reminders()

    assert coordinator_mails(coordinator_user, PENDING_SUBJECT) == []


@pytest.fixture
def digest_and_immediate(group) -> tuple[User, User]:
    """Two coordinators of ``group``: one wants a daily digest, one every mail."""
    digest = coordinator_login(group, notification_mode=NotificationMode.DIGEST)
    immediate = coordinator_login(group, notification_mode=NotificationMode.IMMEDIATE)
    return digest, immediate


def test_confirming_a_signup_mails_only_the_immediate_coordinators(
    group, digest_and_immediate
):
    digest, immediate = digest_and_immediate
    signup = SignupFactory(
        group=group, status=SignupStatus.UNCONFIRMED, confirmed_at=None
    )

    confirm_signup(signup)

    assert len(mails_to(immediate.coordinator.email)) == 1
    assert mails_to(digest.coordinator.email) == []


def test_digest_lists_signups_confirmed_in_the_last_day_only(
    group, digest_and_immediate, reminder_days, time_machine
):
    digest, immediate = digest_and_immediate
    time_machine.move_to(MONDAY - timedelta(hours=30), tick=False)
    SignupFactory(group=group)
    time_machine.move_to(MONDAY, tick=False)

    send_coordinator_reminders()

    assert coordinator_mails(digest, DIGEST_SUBJECT) == []

    time_machine.move_to(MONDAY + timedelta(hours=2), tick=False)
    SignupFactory(group=group)
    SignupFactory(group=group)
    time_machine.move_to(MONDAY + timedelta(hours=3), tick=False)
    send_coordinator_reminders()

    [mail] = coordinator_mails(digest, DIGEST_SUBJECT)
    assert f"{group.name}: 2" in mail.message
    assert coordinator_mails(immediate, DIGEST_SUBJECT) == []


def test_not_added_reminder_comes_after_the_configured_days(
    coordinator_user, group, reminder_days, time_machine
):
    time_machine.move_to(MONDAY - timedelta(days=3), tick=False)
    decided_signup(group, SignupStatus.APPROVED)
    added = decided_signup(group, SignupStatus.APPROVED)
    mark_added(added, by=coordinator_user)
    time_machine.move_to(MONDAY - timedelta(days=1), tick=False)
    decided_signup(group, SignupStatus.APPROVED)
    time_machine.move_to(MONDAY, tick=False)

    send_coordinator_reminders()

    [mail] = coordinator_mails(coordinator_user, NOT_ADDED_SUBJECT)
    # Only the member approved three days ago and not yet added.
    assert f"{group.name}: 1" in mail.message


def test_not_added_reminder_waits_for_the_configured_days(
    coordinator_user, group, reminder_days, time_machine
):
    time_machine.move_to(MONDAY - timedelta(days=1), tick=False)
    decided_signup(group, SignupStatus.APPROVED)
    time_machine.move_to(MONDAY, tick=False)

    assert send_coordinator_reminders() == 0
    assert coordinator_mails(coordinator_user, NOT_ADDED_SUBJECT) == []


def test_reminders_name_no_resident(
    group, digest_and_immediate, reminder_days, time_machine
):
    digest, _ = digest_and_immediate
    time_machine.move_to(MONDAY - timedelta(days=5), tick=False)
    residents = [
        SignupFactory(
            group=group,
            first_name="Quirina",
            last_name="Oudemans",
            street_name="Quirijnstraat",
            phone="+32470998877",
            email="oudemans@example.org",
        ),
        decided_signup(
            group,
            SignupStatus.APPROVED,
            first_name="Xaveria",
            last_name="Toevoegsma",
            phone="+32470665544",
            email="toevoegsma@example.org",
        ),
    ]
    time_machine.move_to(MONDAY - timedelta(hours=2), tick=False)
    residents.append(
        SignupFactory(
            group=group,
            first_name="Ysolde",
            last_name="Digestra",
            phone="+32470332211",
            email="digestra@example.org",
        )
    )
    time_machine.move_to(MONDAY, tick=False)

    send_coordinator_reminders()

    mails = mails_to(digest.coordinator.email)
    assert {mail.subject for mail in mails} == {
        nl(DIGEST_SUBJECT),
        nl(PENDING_SUBJECT),
        nl(NOT_ADDED_SUBJECT),
    }
    for mail in mails:
        text = mail.subject + mail.message + mail.html_message
        for resident in residents:
            for detail in (
                resident.first_name,
                resident.last_name,
                resident.street_name,
                resident.email,
                resident.phone.as_e164,
                resident.phone.as_international,
                resident.phone.as_national,
            ):
                assert detail not in text, (mail.subject, detail)


def test_a_reminder_of_an_unknown_kind_is_refused_and_nothing_is_sent(
    coordinator_user, group
):
    coordinator = coordinator_user.coordinator
    rows = [{"group__name": group.name, "count": 1, "oldest": timezone.now()}]

    with pytest.raises(ValidationError) as refused:
        reminders._send_reminder(coordinator, "monthly", MONDAY.date(), rows=rows)

    assert "kind" in refused.value.message_dict
    assert not Reminder.objects.exists()
    assert mails_to(coordinator.email) == []
