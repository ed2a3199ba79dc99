"""The life of a signup.

    unconfirmed ──confirm──▶ pending ──approve──▶ approved ──▶ left / removed
         │                     │  └──reject──▶ rejected
         └──────── withdraw (any state but withdrawn) ──▶ withdrawn (data erased)

A resident submits the e-loket form (``create_signup``): the signup is
``unconfirmed`` and only the resident is e-mailed, with a signed link valid
48 hours. Following it (``confirm_signup``) makes it ``pending`` and tells the
group's coordinators. Every e-mail to a resident carries a signed link to
their own page, where they see where the signup stands and, once it is
confirmed, change their mobile number (``change_phone``) or e-mail address
(``request_email_change``, then ``apply_email_change`` from the link mailed
to the new address), and a signed link to
withdraw (``withdraw_signup``), which erases the personal data and keeps only
what statistics need; a member's name and number stay, apart, for their
coordinators to remove them from the WhatsApp group, until one marks it done
(``mark_removed_from_whatsapp``) or the retention purge deletes them. A
coordinator of the group or staff of the zone decides (``approve_signup``,
``reject_signup``), marks the member added to WhatsApp (``mark_added``) and
ends a membership (``end_membership``), which can be undone for a while
(``restore_membership``: approved again). Each change is
checked against ``TRANSITIONS`` and recorded as a StatusChange; the mails it
causes are queued in the same transaction.

An application to coordinate a new group is decided by the zone's staff:
``approve_application`` founds the group, its region and the coordinator's
login in one step. A pending signup for the wrong group is moved
(``move_signup``). House-rules versions and their re-acceptance live in
``house_rules``; the yearly question "do you still live here?" and the list
of members to remove in ``reconfirmation`` and ``removal_list``;
coordinators' digests and reminders in ``reminders``; the waiting list for
a group ("tell me when my street gets a group") in ``waiting_list``; a
signup staff enter for a resident who called or came to the desk, confirmed
by mail or with a signed letter, in ``assisted``.
"""

from .assisted import confirm_signed_letter, enter_signup, may_enter_for
from .decisions import (
    approve_application,
    approve_signup,
    end_membership,
    ended_recently,
    mark_added,
    mark_removed_from_whatsapp,
    move_signup,
    record_export,
    reject_signup,
    restore_membership,
    undo_deadline,
    undo_window,
)
from .house_rules import (
    accept_house_rules,
    correct_house_rules,
    delete_house_rules,
    members_on_older_versions,
    publish_house_rules,
    request_reacceptance,
)
from .own_details import (
    DetailsNotChangeable,
    EmailChangeSuperseded,
    PhoneTaken,
    apply_email_change,
    change_phone,
    request_email_change,
    signup_from_email_change_link,
)
from .reconfirmation import (
    AlreadyAnswered,
    answer_reconfirmation,
    ask_due_members,
    reconfirmation_from_link,
    settle_member_to_remove,
    tell_of_unanswered,
)
from .reminders import send_coordinator_reminders
from .signups import (
    ERASED_FIELDS,
    Address,
    GroupNotOpen,
    HouseRulesChanged,
    InvalidTransition,
    SignupRequest,
    confirm_signup,
    confirmation_max_age,
    create_signup,
    house_number_value,
    known_street,
    locate_address,
    signup_from_link,
    withdraw_signup,
)
from .waiting_list import (
    StreetHasGroup,
    WaitingListRequest,
    confirm_waiting_list_entry,
    join_waiting_list,
    leave_waiting_list,
    notify_waiting_list,
)

__all__ = [
    "AlreadyAnswered",
    "answer_reconfirmation",
    "ask_due_members",
    "reconfirmation_from_link",
    "settle_member_to_remove",
    "tell_of_unanswered",
    "ERASED_FIELDS",
    "Address",
    "DetailsNotChangeable",
    "EmailChangeSuperseded",
    "PhoneTaken",
    "GroupNotOpen",
    "HouseRulesChanged",
    "InvalidTransition",
    "SignupRequest",
    "StreetHasGroup",
    "WaitingListRequest",
    "accept_house_rules",
    "approve_application",
    "approve_signup",
    "apply_email_change",
    "change_phone",
    "confirm_signed_letter",
    "confirm_signup",
    "enter_signup",
    "may_enter_for",
    "confirm_waiting_list_entry",
    "confirmation_max_age",
    "correct_house_rules",
    "create_signup",
    "delete_house_rules",
    "end_membership",
    "ended_recently",
    "house_number_value",
    "join_waiting_list",
    "known_street",
    "leave_waiting_list",
    "locate_address",
    "mark_added",
    "mark_removed_from_whatsapp",
    "members_on_older_versions",
    "move_signup",
    "notify_waiting_list",
    "publish_house_rules",
    "record_export",
    "reject_signup",
    "restore_membership",
    "request_email_change",
    "request_reacceptance",
    "send_coordinator_reminders",
    "undo_deadline",
    "undo_window",
    "signup_from_email_change_link",
    "signup_from_link",
    "withdraw_signup",
]
