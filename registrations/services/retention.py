"""How long personal data is kept: the retention purge, run daily from cron.

``purge_personal_data`` (``manage.py purge_personal_data``)::

    unconfirmed ─── UNCONFIRMED_RETENTION_DAYS after submission ──▶ deleted
      (to be confirmed with a signed letter: LETTER_CONFIRMATION_DAYS)
    rejected ────── CLOSED_RETENTION_DAYS after the decision ─────▶ erased
    withdrawn ───── CLOSED_RETENTION_DAYS after the withdrawal ───▶ erased
    left, removed ─ LEFT_RETENTION_DAYS after the end ────────────▶ erased
    name and number kept for the coordinators of a member who withdrew
                ─ WITHDRAWN_MEMBER_RETENTION_DAYS after the withdrawal ▶ deleted
    sent or failed mail ─── MAIL_RETENTION_DAYS ──────────────────▶ deleted
    waiting list for a group, with the entry's mails:
      unconfirmed ─ UNCONFIRMED_RETENTION_DAYS after submission ──▶ deleted
      told of a group ─ WAITING_LIST_NOTIFIED_RETENTION_DAYS after ▶ deleted
      any entry ─── WAITING_LIST_MAX_AGE_DAYS after submission ──▶ deleted
    a new e-mail address nobody confirmed
                ─ SIGNUP_CONFIRMATION_HOURS after it was asked for ──▶ forgotten
    a group's handover (the successor's name, address and number), once
    accepted, cancelled or expired ─ CLOSED_RETENTION_DAYS after ─▶ deleted

An erased signup keeps its status, role, group, municipality and dates, so the
statistics still count it: its personal fields are blanked (``ERASED_FIELDS``),
the reasons typed along the way cleared and ``erased_at`` set. A withdrawn
signup was blanked when it was withdrawn; the purge checks and stamps it. A
member who withdrew left their name and number for the coordinators to remove
them from the WhatsApp group (``WithdrawnMember``): they go when a coordinator
marks that done, or here when nobody did in time; erasing a signup deletes
them as well. The mails to an erased address go unless someone still uses
it. Expired sessions and old login records (django-axes) go too. A second run
finds nothing.
"""

import logging
from dataclasses import asdict, astuple, dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from post_office.models import STATUS, Attachment, Email, Log

from groups.models import Coordinator, Handover

from .. import notifications
from ..constants import SignupStatus
from ..models import (
    GroupApplication,
    Member,
    PendingSignup,
    Signup,
    WaitingListEntry,
    WithdrawnMember,
)
from .signups import ERASED_FIELDS
from .waiting_list import delete_entries

logger = logging.getLogger(__name__)

# Sessions stored in the database; other engines expire theirs themselves.
DATABASE_SESSION_ENGINES = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


@dataclass(frozen=True)
class PurgeReport:
    """How many rows one purge removed or erased, per kind; nothing else."""

    unconfirmed_deleted: int = 0
    rejected_erased: int = 0
    withdrawn_erased: int = 0
    left_erased: int = 0
    withdrawn_members_deleted: int = 0
    waiting_list_unconfirmed_deleted: int = 0
    waiting_list_notified_deleted: int = 0
    waiting_list_expired_deleted: int = 0
    pending_emails_forgotten: int = 0
    mails_deleted: int = 0
    mail_logs_deleted: int = 0
    attachments_deleted: int = 0
    sessions_deleted: int = 0
    login_records_deleted: int = 0
    handovers_deleted: int = 0

    @property
    def total(self) -> int:
        return sum(astuple(self))

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _days(setting: str) -> timedelta:
    return timedelta(days=getattr(settings, setting))


@transaction.atomic
def purge_personal_data(
    *, now: datetime | None = None, dry_run: bool = False
) -> PurgeReport:
    """Delete or erase what has been kept long enough; return the counts.

    With ``dry_run`` everything is done and then rolled back (no file is
    removed), so the counts are exactly what a real run would report.
    """
    now = now or timezone.now()
    closed_before = now - _days("CLOSED_RETENTION_DAYS")
    # The waiting list first: an entry still kept keeps its address's mails
    # when a signup's are forgotten below (``_address_in_use``).
    waiting_unconfirmed, waiting_unconfirmed_mails = _delete_waiting_list(
        WaitingListEntry.objects.unconfirmed().filter(
            created_at__lt=now - _days("UNCONFIRMED_RETENTION_DAYS")
        )
    )
    waiting_notified, waiting_notified_mails = _delete_waiting_list(
        WaitingListEntry.objects.notified().filter(
            notified_at__lt=now - _days("WAITING_LIST_NOTIFIED_RETENTION_DAYS")
        )
    )
    waiting_expired, waiting_expired_mails = _delete_waiting_list(
        WaitingListEntry.objects.filter(
            created_at__lt=now - _days("WAITING_LIST_MAX_AGE_DAYS")
        )
    )
    unconfirmed, unconfirmed_mails = _delete_unconfirmed(
        before=now - _days("UNCONFIRMED_RETENTION_DAYS"),
        letter_before=now - _days("LETTER_CONFIRMATION_DAYS"),
    )
    rejected, rejected_mails = _erase_ended(
        Signup.objects.filter(status=SignupStatus.REJECTED),
        ended=Coalesce("decided_at", "ended_at", "updated_at"),
        before=closed_before,
        now=now,
    )
    withdrawn, _none = _erase_ended(
        Signup.objects.filter(status=SignupStatus.WITHDRAWN),
        ended=Coalesce("ended_at", "updated_at"),
        before=closed_before,
        now=now,
    )
    left, left_mails = _erase_ended(
        Signup.objects.filter(status__in=[SignupStatus.LEFT, SignupStatus.REMOVED]),
        ended=Coalesce("ended_at", "decided_at", "updated_at"),
        # Never while the end can still be undone (restore_membership).
        before=min(
            now - _days("LEFT_RETENTION_DAYS"),
            now - timedelta(hours=max(settings.MEMBERSHIP_UNDO_HOURS, 0)),
        ),
        now=now,
    )
    withdrawn_members = _delete_withdrawn_members(
        before=now - _days("WITHDRAWN_MEMBER_RETENTION_DAYS")
    )
    pending_emails = _forget_unconfirmed_addresses(
        before=now - timedelta(hours=settings.SIGNUP_CONFIRMATION_HOURS)
    )
    handovers = _delete_closed_handovers(before=closed_before)
    mails, mail_logs = _delete_old_mail(before=now - _days("MAIL_RETENTION_DAYS"))
    attachments = delete_orphan_attachments(remove_files=not dry_run)
    report = PurgeReport(
        unconfirmed_deleted=unconfirmed,
        rejected_erased=rejected,
        withdrawn_erased=withdrawn,
        left_erased=left,
        withdrawn_members_deleted=withdrawn_members,
        waiting_list_unconfirmed_deleted=waiting_unconfirmed,
        waiting_list_notified_deleted=waiting_notified,
        waiting_list_expired_deleted=waiting_expired,
        mails_deleted=mails
        + unconfirmed_mails
        + rejected_mails
        + left_mails
        + waiting_unconfirmed_mails
        + waiting_notified_mails
        + waiting_expired_mails,
        pending_emails_forgotten=pending_emails,
        mail_logs_deleted=mail_logs,
        attachments_deleted=attachments,
        sessions_deleted=_delete_expired_sessions(now, dry_run=dry_run),
        login_records_deleted=_delete_old_login_records(now),
        handovers_deleted=handovers,
    )
    logger.info(
        "personal data purged dry_run=%s %s",
        dry_run,
        " ".join(f"{name}={count}" for name, count in report.as_dict().items()),
    )
    if dry_run:
        transaction.set_rollback(True)
    return report


def _delete_unconfirmed(
    *, before: datetime, letter_before: datetime
) -> tuple[int, int]:
    """Unconfirmed signups never became anything: they go, with their mail.

    One to be confirmed with a signed letter waits longer: post is slow.
    """
    doomed = list(
        Signup.objects.unconfirmed()
        .filter(
            Q(confirm_by_letter=False, created_at__lt=before)
            | Q(confirm_by_letter=True, created_at__lt=letter_before)
        )
        .only("pk", "email")
        .order_by("pk")
    )
    pks = [signup.pk for signup in doomed]
    mails = _forget_mail_of(doomed)
    _anonymise_admin_history(pks)
    Signup.objects.filter(pk__in=pks).delete()
    return len(pks), mails


def _erase_ended(
    signups: QuerySet, *, ended, before: datetime, now: datetime
) -> tuple[int, int]:
    doomed = list(
        signups.filter(erased_at__isnull=True)
        .alias(ended_on=ended)
        .filter(ended_on__lt=before)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    mails = _forget_mail_of(doomed)
    for signup in doomed:
        erase_signup_data(signup, now=now)
    return len(doomed), mails


def erase_signup_data(signup: Signup, *, now: datetime) -> None:
    """Blank a signup's personal fields; keep what the statistics need.

    The name and number kept for the coordinators of a member who withdrew
    go too: erased means erased, wherever the person is still written down.
    """
    for name, value in ERASED_FIELDS.items():
        setattr(signup, name, value)
    WithdrawnMember.objects.filter(signup=signup).delete()
    signup.erased_at = now
    signup.full_clean()
    signup.save()
    # Reasons typed along the way may name the person: they go too.
    signup.status_changes.exclude(reason="").update(reason="")
    _anonymise_admin_history([signup.pk])


def _anonymise_admin_history(pks: list[int]) -> None:
    """Django's admin history describes a signup by its name: use its number."""
    if not pks or not apps.is_installed("django.contrib.admin"):
        return
    from django.contrib.admin.models import LogEntry

    types = ContentType.objects.get_for_models(
        Signup, PendingSignup, Member, GroupApplication, for_concrete_models=False
    ).values()
    for pk in pks:
        LogEntry.objects.filter(content_type__in=types, object_id=str(pk)).update(
            object_repr=f"#{pk}"
        )


def _delete_closed_handovers(*, before: datetime) -> int:
    """Handovers closed before ``before``: accepted, cancelled or expired.

    An offer holds the successor's name, address and number; once it is
    closed the successor is a coordinator with a row of their own (accepted)
    or nothing (cancelled, expired), and the offer is kept no longer than a
    rejected signup.
    """
    closed = Handover.objects.filter(
        Q(accepted_at__lt=before)
        | Q(cancelled_at__lt=before)
        | Q(accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__lt=before)
    )
    deleted, _by_model = closed.delete()
    return deleted


def _delete_withdrawn_members(*, before: datetime) -> int:
    """Names and numbers no coordinator marked removed from WhatsApp in time."""
    _total, deleted = WithdrawnMember.objects.filter(withdrawn_at__lt=before).delete()
    return deleted.get(WithdrawnMember._meta.label, 0)


def _delete_waiting_list(entries: QuerySet) -> tuple[int, int]:
    """Waiting-list entries past their time go, with the mails about them."""
    return delete_entries(
        entries.select_for_update(of=("self",)).only("pk").order_by("pk")
    )


def _forget_unconfirmed_addresses(*, before: datetime) -> int:
    """New addresses whose link expired unused: the signups keep the one they had."""
    return (
        Signup.objects.filter(pending_email_requested_at__lt=before)
        .exclude(pending_email="")
        .update(pending_email="", pending_email_requested_at=None)
    )


def _address_in_use(address: str, *, besides: set[int]) -> bool:
    """Someone still holds this address: a signup kept, a coordinator, a login.

    Or a waiting-list entry: its mails go with the entry, not with a signup.
    """
    return (
        Signup.objects.filter(email__iexact=address, erased_at__isnull=True)
        .exclude(pk__in=besides)
        .exists()
        or WaitingListEntry.objects.filter(email=address).exists()
        or Coordinator.objects.filter(email__iexact=address).exists()
        or User.objects.filter(email__iexact=address).exists()
    )


def _forget_mail_of(signups: list[Signup]) -> int:
    """Delete the outbox's mails to these signups' addresses, unless still in use."""
    besides = {signup.pk for signup in signups}
    addresses = {signup.email.strip().lower() for signup in signups if signup.email}
    return sum(
        notifications.forget_mail_to(address)
        for address in sorted(addresses)
        if not _address_in_use(address, besides=besides)
    )


def _delete_old_mail(*, before: datetime) -> tuple[int, int]:
    """Sent and failed mail (and delivery logs) older than the period; never queued."""
    _count, deleted = Email.objects.filter(
        status__in=[STATUS.sent, STATUS.failed], last_updated__lt=before
    ).delete()
    _count, logs = Log.objects.filter(date__lt=before).delete()
    return (
        deleted.get(Email._meta.label, 0),
        deleted.get(Log._meta.label, 0) + logs.get(Log._meta.label, 0),
    )


def delete_orphan_attachments(*, remove_files: bool) -> int:
    """Attachments of no mail any more (the .ics files of meeting invitations)."""
    orphans = list(Attachment.objects.filter(emails=None))
    if not orphans:
        return 0
    files = [attachment.file for attachment in orphans if attachment.file]
    Attachment.objects.filter(pk__in=[attachment.pk for attachment in orphans]).delete()
    if remove_files:
        # After the commit: a rolled-back purge must not have lost the files.
        transaction.on_commit(
            lambda: [each.storage.delete(each.name) for each in files]
        )
    return len(orphans)


def _delete_expired_sessions(now: datetime, *, dry_run: bool) -> int:
    if not apps.is_installed("django.contrib.sessions"):
        return 0
    if settings.SESSION_ENGINE in DATABASE_SESSION_ENGINES:
        from django.contrib.sessions.models import Session

        count, _deleted = Session.objects.filter(expire_date__lt=now).delete()
        return count
    if not dry_run:
        # Cache sessions expire by themselves; file sessions are removed here.
        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return 0


def _delete_old_login_records(now: datetime) -> int:
    """django-axes keeps user names and addresses of logins and failed ones."""
    if not apps.is_installed("axes"):
        return 0
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    before = now - _days("LOGIN_RECORD_RETENTION_DAYS")
    # A lockout outlives its failed attempts no longer than the cool-off; with
    # no cool-off it lasts until reset, and the attempts go with the logs.
    cool_off = get_cool_off()
    attempts_before = now - cool_off if cool_off is not None else before
    deleted = AccessAttempt.objects.filter(attempt_time__lt=attempts_before).delete()
    count = deleted[0]
    for model in (AccessLog, AccessFailureLog):
        count += model.objects.filter(attempt_time__lt=before).delete()[0]
    return count
