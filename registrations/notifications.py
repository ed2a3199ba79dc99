"""E-mails about signups, written to the django-post-office outbox.

Each function queues mail in the caller's transaction
(``wabp_portal.mail.queue``): the mail exists exactly when the change that
causes it was committed, and the mail worker sends it (with retries)
afterwards. A failing mail server therefore delays mail and never loses a
signup.
"""

import logging
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from post_office.models import STATUS, Email

from groups.constants import NotificationMode
from groups.models import Coordinator, WhatsAppGroup
from wabp_portal.mail import queue
from wabp_portal.signed_links import signed_url

from .constants import SignupStatus
from .models import Reconfirmation, Signup, WaitingListEntry

logger = logging.getLogger(__name__)

CONFIRM_SALT = "registrations.signup.confirm"
WITHDRAW_SALT = "registrations.signup.withdraw"
REACCEPT_SALT = "registrations.signup.reaccept"
WAITING_LIST_CONFIRM_SALT = "registrations.waiting_list.confirm"
WAITING_LIST_LEAVE_SALT = "registrations.waiting_list.leave"
MY_SIGNUP_SALT = "registrations.signup.mine"
EMAIL_CHANGE_SALT = "registrations.signup.change-email"
RECONFIRM_SALT = "registrations.signup.reconfirm"


def address_binding(signup: Signup) -> str | None:
    """What every link mailed to a resident is bound to: their e-mail address.

    A link works only while the signup has the address it was mailed to: once
    the resident changes it, whoever reads the old mailbox holds dead links.
    None for a signup whose details are erased: nothing left to protect, and
    its links say that it ended.
    """
    return signup.email or None


def email_change_binding(signup: Signup) -> str | None:
    """What the link that confirms a new address is bound to: that request.

    The new address and when it was asked for: a later request (even for the
    same address) makes the earlier links dead, and so does using one.
    """
    if not signup.email:
        return None
    if not signup.pending_email or signup.pending_email_requested_at is None:
        return ""
    asked = signup.pending_email_requested_at.astimezone(UTC).isoformat()
    return f"{signup.pending_email}\n{asked}"


def signed_link(
    signup: Signup, *, salt: str, url_name: str, bind: str | None = None
) -> str:
    return signed_url(url_name, signup.pk, salt=salt, bind=bind)


def _resident_link(signup: Signup, *, salt: str, url_name: str) -> str:
    return signed_link(
        signup, salt=salt, url_name=url_name, bind=address_binding(signup)
    )


def confirmation_link(signup: Signup) -> str:
    return _resident_link(
        signup, salt=CONFIRM_SALT, url_name="registrations:signup-confirm"
    )


def withdrawal_link(signup: Signup) -> str:
    return _resident_link(
        signup, salt=WITHDRAW_SALT, url_name="registrations:signup-withdraw"
    )


def reacceptance_link(signup: Signup) -> str:
    return _resident_link(
        signup, salt=REACCEPT_SALT, url_name="registrations:house-rules-accept"
    )


def my_signup_link(signup: Signup) -> str:
    """The resident's own page: where the signup stands, change it, withdraw."""
    return _resident_link(
        signup, salt=MY_SIGNUP_SALT, url_name="registrations:my-signup"
    )


def email_change_link(signup: Signup) -> str:
    """The link that confirms the new address waiting (there must be one)."""
    if not signup.pending_email:
        raise ValueError("no new e-mail address is waiting")
    return signed_link(
        signup,
        salt=EMAIL_CHANGE_SALT,
        url_name="registrations:my-signup-email-confirm",
        bind=email_change_binding(signup),
    )


def queue_mail(*, template: str, **kwargs) -> None:
    """Queue ``registrations/email/<template>`` (see ``wabp_portal.mail.queue``)."""
    queue.queue_mail(template=f"registrations/email/{template}", **kwargs)


# Which signup a mail to a resident is about: partners who share one mailbox
# each have their own signup, and one's withdrawal takes only their own mail.
SIGNUP_HEADER = "X-WABP-Signup"


# A mail held until an ended membership can no longer be undone, by signup:
# undoing the end cancels it (``cancel_held_membership_mail``).
MEMBERSHIP_END_HEADER = "X-WABP-Membership-End"


def _resident_mail(
    signup: Signup,
    template: str,
    *,
    headers: dict[str, str] | None = None,
    send_after: datetime | None = None,
    render_later: bool = False,
    **context,
) -> None:
    if not signup.email:
        # A resident who signed up at the desk or by phone without an e-mail
        # address confirmed with a letter: the portal has no way to write.
        logger.info("resident mail skipped, no address signup=%s", signup.pk)
        return
    queue_mail(
        headers={**(headers or {}), SIGNUP_HEADER: str(signup.pk)},
        send_after=send_after,
        render_later=render_later,
        to=[signup.email],
        template=template,
        context={
            "signup": signup,
            "withdraw_url": withdrawal_link(signup),
            "my_signup_url": my_signup_link(signup),
            **context,
        },
        language=signup.language,
        zone=signup.municipality.zone,
    )


def send_confirmation_request(signup: Signup) -> None:
    """The e-loket's mail: rendered by the mail worker, so the signup is quick.

    Its signed links are made now, as text; the signup is read again when the
    mail is rendered (``wabp_portal.mail.queue``).
    """
    _resident_mail(
        signup,
        "confirm_signup",
        render_later=True,
        confirm_url=confirmation_link(signup),
    )


def send_duplicate_notice(signup: Signup) -> None:
    """Tell the holder of an existing signup that someone signed up again.

    It goes to the address already on file, never to the one just typed, so a
    stranger learns nothing about who is signed up.
    """
    # Rendered by the mail worker, like the confirmation request: the page
    # the visitor sees must cost the same either way.
    if signup.status == SignupStatus.UNCONFIRMED:
        _resident_mail(
            signup,
            "duplicate_signup",
            render_later=True,
            confirm_url=confirmation_link(signup),
        )
    else:
        _resident_mail(signup, "duplicate_signup", render_later=True)


def coordinator_addresses(signup: Signup, *, mode: str | None = None) -> list[str]:
    """E-mail addresses of the group's active coordinators (of one mode)."""
    if signup.group_id is None:
        return []
    coordinators = signup.group.coordinators.active()
    if mode is not None:
        coordinators = coordinators.filter(notification_mode=mode)
    return sorted(set(coordinators.values_list("email", flat=True)) - {""})


def notify_coordinators_of_new_signup(signup: Signup) -> None:
    """No personal data in this mail: the coordinator reads it in the portal."""
    if signup.group_id is None:
        queue_mail(
            to=[signup.municipality.zone.email],
            template="new_group_application",
            context={"signup": signup, "admin_url": _admin_url(signup)},
            language=settings.LANGUAGE_CODE,
            zone=signup.municipality.zone,
        )
        return
    # Coordinators who chose the daily digest hear of it from the reminders.
    queue_mail(
        to=coordinator_addresses(signup, mode=NotificationMode.IMMEDIATE),
        template="new_signup",
        context={"signup": signup, "admin_url": _admin_url(signup)},
        language=settings.LANGUAGE_CODE,
        zone=signup.municipality.zone,
    )


def notify_coordinators_of_withdrawal(signup: Signup) -> None:
    """A member withdrew: the coordinators must remove them from the WhatsApp group.

    No name or number in this mail: it would stay in every coordinator's
    mailbox long after the person is erased. The link opens the list of
    withdrawn members in the portal, which shows them whom to remove until
    one of them marks it done (``WithdrawnMember``).
    """
    queue_mail(
        to=coordinator_addresses(signup),
        template="member_withdrew",
        context={
            "signup": signup,
            "admin_url": settings.SITE_URL
            + reverse("admin:registrations_withdrawnmember_changelist"),
            "retention_days": settings.WITHDRAWN_MEMBER_RETENTION_DAYS,
        },
        language=settings.LANGUAGE_CODE,
        zone=signup.municipality.zone,
    )


def _admin_url(signup: Signup) -> str:
    work_list = (
        "admin:registrations_groupapplication_change"
        if signup.group_id is None
        else "admin:registrations_pendingsignup_change"
    )
    return settings.SITE_URL + reverse(work_list, args=[signup.pk])


def send_decision(signup: Signup, template: str, **context) -> None:
    """Tell the resident what was decided (approved, rejected, left, removed)."""
    group = signup.group
    invite_link = (
        group.invite_link
        if group is not None and group.send_invite_link and group.invite_link
        else ""
    )
    _resident_mail(signup, template, invite_link=invite_link, **context)


def send_membership_end(signup: Signup, template: str, *, send_after: datetime) -> None:
    """Tell a member their membership ended, but only once it can't be undone."""
    _resident_mail(
        signup,
        template,
        headers={MEMBERSHIP_END_HEADER: str(signup.pk)},
        send_after=send_after,
    )


def cancel_held_membership_mail(signup: Signup) -> int:
    """Delete the unsent end-of-membership mail of this signup; return how many."""
    _count, deleted = Email.objects.filter(
        status__in=[STATUS.queued, STATUS.requeued],
        **{f"headers__{MEMBERSHIP_END_HEADER}": str(signup.pk)},
    ).delete()
    return deleted.get(Email._meta.label, 0)


def send_coordinator_summary(
    coordinator: Coordinator, template: str, *, rows: list[dict]
) -> None:
    """A digest or reminder: counts per group and a link, no personal data."""
    queue_mail(
        to=[coordinator.email],
        template=template,
        context={
            "coordinator": coordinator,
            "rows": rows,
            "pending_url": settings.SITE_URL
            + reverse("admin:registrations_pendingsignup_changelist"),
            "members_url": settings.SITE_URL
            + reverse("admin:registrations_member_changelist"),
        },
        language=settings.LANGUAGE_CODE,
        zone=coordinator.zone,
    )


def forget_mail_of(signup: Signup) -> int:
    """Delete the outbox's mails to this signup's holder; return how many.

    Every mail about this signup (marked with its number, wherever it went:
    also to an address the signup had before, or to a new one never
    confirmed), and every other mail to its address, unless others still use
    it (a household's shared mailbox).
    """
    _count, deleted = Email.objects.filter(
        **{f"headers__{SIGNUP_HEADER}": str(signup.pk)}
    ).delete()
    count = deleted.get(Email._meta.label, 0)
    address = signup.email.strip().lower()
    if not address:
        return count
    shared = (
        Signup.objects.filter(email__iexact=address, erased_at__isnull=True)
        .exclude(pk=signup.pk)
        .exists()
        # The waiting list's mails go with its entry, not with a signup.
        or WaitingListEntry.objects.filter(email=address).exists()
    )
    if not shared:
        count += forget_mail_to(address)
    return count


def forget_mail_to(address: str) -> int:
    """Delete the outbox's mails to this address (sent or not); return how many."""
    address = address.strip().lower()
    if not address:
        return 0
    candidates = Email.objects.filter(to__icontains=address).only("pk", "to")
    doomed = [
        email.pk
        for email in candidates
        if address in (recipient.strip().lower() for recipient in email.to)
    ]
    Email.objects.filter(pk__in=doomed).delete()
    return len(doomed)


def send_reacceptance_request(signup: Signup, rules, *, deadline=None) -> None:
    """Ask a member to read and accept the new version of the house rules."""
    _resident_mail(
        signup,
        "house_rules_changed",
        rules=rules,
        deadline=deadline,
        accept_url=reacceptance_link(signup),
    )


# --- the waiting list for a group ----------------------------------------------

# Which waiting-list entry a mail is about: leaving the list deletes the
# entry's mails, and nothing else sent to the same mailbox.
WAITING_LIST_HEADER = "X-WABP-Waiting-List"


def waiting_list_confirmation_link(entry: WaitingListEntry) -> str:
    return signed_url(
        "registrations:waiting-list-confirm",
        entry.pk,
        salt=WAITING_LIST_CONFIRM_SALT,
    )


def waiting_list_leave_link(entry: WaitingListEntry) -> str:
    return signed_url(
        "registrations:waiting-list-leave", entry.pk, salt=WAITING_LIST_LEAVE_SALT
    )


def _waiting_list_mail(entry: WaitingListEntry, template: str, **context) -> None:
    queue_mail(
        headers={WAITING_LIST_HEADER: str(entry.pk)},
        to=[entry.email],
        template=template,
        context={
            "entry": entry,
            "leave_url": waiting_list_leave_link(entry),
            **context,
        },
        language=entry.language,
        zone=entry.municipality.zone,
    )


def send_waiting_list_confirmation(entry: WaitingListEntry) -> None:
    _waiting_list_mail(
        entry,
        "waiting_list_confirm",
        confirm_url=waiting_list_confirmation_link(entry),
    )


def send_waiting_list_duplicate_notice(entry: WaitingListEntry) -> None:
    """The address is on the list for this street already: say so to it.

    The new request was made with this very address, so the mail tells
    nobody else anything; the page the visitor saw is the same either way.
    """
    if entry.confirmed_at is None:
        _waiting_list_mail(
            entry,
            "waiting_list_duplicate",
            confirm_url=waiting_list_confirmation_link(entry),
        )
    else:
        _waiting_list_mail(entry, "waiting_list_duplicate")


def send_waiting_list_group_found(
    entry: WaitingListEntry, groups: list[WhatsAppGroup]
) -> None:
    """A published group covers the street now: its name and where to sign up.

    The signup link names the group only; the address stays out of every URL.
    """
    signup = settings.SITE_URL + reverse("registrations:signup")
    _waiting_list_mail(
        entry,
        "waiting_list_group_found",
        groups=[
            {
                "name": group.name,
                "signup_url": f"{signup}?{urlencode({'groep': group.pk})}",
            }
            for group in groups
        ],
        retention_days=settings.WAITING_LIST_NOTIFIED_RETENTION_DAYS,
    )


def forget_waiting_list_mail(entry_pks: list[int]) -> int:
    """Delete the outbox's mails about these waiting-list entries; return how many."""
    if not entry_pks:
        return 0
    _count, deleted = Email.objects.filter(
        **{f"headers__{WAITING_LIST_HEADER}__in": [str(pk) for pk in entry_pks]}
    ).delete()
    return deleted.get(Email._meta.label, 0)


def masked_address(address: str) -> str:
    """ "jan.peeters@example.org" as "j•••@e•••.org": recognisable, not readable."""
    local, _at, domain = address.rpartition("@")
    host, dot, top = domain.rpartition(".")
    if not host:
        host, dot, top = domain, "", ""
    return f"{local[:1]}•••@{host[:1]}•••{dot}{top}"


def send_email_change_request(signup: Signup) -> None:
    """Ask the new address to confirm itself, with a link only it receives.

    The one mail to a resident without the links to their signup's page or to
    withdraw: until the link is opened nobody has shown that the address is
    theirs (a typo makes it a stranger's), so it carries nothing that opens
    the signup.
    """
    queue_mail(
        headers={SIGNUP_HEADER: str(signup.pk)},
        to=[signup.pending_email],
        template="email_change_confirm",
        context={
            "signup": signup,
            "confirm_url": email_change_link(signup),
            "hours": settings.SIGNUP_CONFIRMATION_HOURS,
        },
        language=signup.language,
        zone=signup.municipality.zone,
    )


def send_email_changed(signup: Signup, *, previous: str) -> None:
    """Tell both addresses that the signup now uses the new one.

    The new address gets the mail every resident mail is, with its links
    (bound to it). The previous one learns that the address was changed, so
    that a change nobody asked for is noticed, and where to ask, but no link
    (its links stopped working) and not the new address, only a hint the
    resident recognises: the previous mailbox may be read by someone else by
    now (a shared, an old work or a mistyped address), who must not learn
    where the resident can be reached.
    """
    _resident_mail(signup, "email_changed")
    queue_mail(
        headers={SIGNUP_HEADER: str(signup.pk)},
        to=[previous],
        template="email_changed_previous",
        context={"signup": signup, "new_address": masked_address(signup.email)},
        language=signup.language,
        zone=signup.municipality.zone,
    )


def send_phone_changed(signup: Signup) -> None:
    """Tell the resident that their mobile number changed; a member's coordinators too.

    The resident is told at their (confirmed) address, so a change they did
    not make is noticed; the mail shows only the last two digits. A member's
    coordinators must check the WhatsApp group: their mail has no number, the
    portal shows it to them.
    """
    _resident_mail(signup, "phone_changed", last_digits=str(signup.phone)[-2:])
    if signup.status != SignupStatus.APPROVED or signup.group_id is None:
        return
    queue_mail(
        to=coordinator_addresses(signup),
        template="member_phone_changed",
        context={
            "signup": signup,
            "admin_url": settings.SITE_URL
            + reverse("admin:registrations_member_change", args=[signup.pk]),
        },
        language=settings.LANGUAGE_CODE,
        zone=signup.municipality.zone,
    )


# --- the group's life: the yearly question, house-rules deadlines ------------


def reconfirmation_link(question: Reconfirmation) -> str:
    """The page with the two answers to one yearly question.

    It names the question, not the signup: partners sharing a mailbox each
    get their own. Bound to the address it is mailed to, like every link to
    a resident.
    """
    return signed_url(
        "registrations:reconfirm",
        question.pk,
        salt=RECONFIRM_SALT,
        bind=address_binding(question.signup),
    )


def send_reconfirmation_request(question: Reconfirmation) -> None:
    """Ask a member whether they still live here and stay in the group."""
    _resident_mail(
        question.signup,
        "reconfirmation_request",
        answer_url=reconfirmation_link(question),
        answer_days=settings.RECONFIRMATION_ANSWER_DAYS,
    )


def send_reacceptance_reminder(signup: Signup, rules, *, deadline) -> None:
    """Remind a member that the new house rules wait for them until the deadline."""
    _resident_mail(
        signup,
        "house_rules_reminder",
        rules=rules,
        deadline=deadline,
        accept_url=reacceptance_link(signup),
    )


def group_coordinator_addresses(group: WhatsAppGroup) -> list[str]:
    return sorted(
        set(group.coordinators.active().values_list("email", flat=True)) - {""}
    )


def notify_coordinators_of_members_to_remove(
    group: WhatsAppGroup, *, count: int
) -> None:
    """Members to remove from the group: a count and a link, no names.

    Like ``notify_coordinators_of_withdrawal``: the list in the portal
    (``MemberToRemove``) says who and why.
    """
    if count <= 0:
        return
    queue_mail(
        to=group_coordinator_addresses(group),
        template="members_to_remove",
        context={
            "group": group,
            "count": count,
            "admin_url": settings.SITE_URL
            + reverse("admin:registrations_membertoremove_changelist"),
        },
        language=settings.LANGUAGE_CODE,
        zone=group.municipality.zone,
    )
