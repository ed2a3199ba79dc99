from django.db import models
from django.utils.translation import gettext_lazy as _


class SignupRole(models.TextChoices):
    PARTICIPANT = "participant", _("participant of a group")
    COORDINATOR = "coordinator", _("coordinator of a new group")


class ConsentChannel(models.TextChoices):
    """How a resident signed up through police-zone staff (blank: online)."""

    PHONE = "phone", _("by phone")
    DESK = "desk", _("at the desk")


class ConfirmBy(models.TextChoices):
    """How a resident who signed up through staff confirms."""

    MAIL = "mail", _("By e-mail: the resident gets the usual confirmation mail")
    LETTER = (
        "letter",
        _("With a letter: you print it, the resident signs it and hands it back"),
    )


class SignupStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("e-mail not yet confirmed")
    PENDING = "pending", _("waiting for a decision")
    APPROVED = "approved", _("member")
    REJECTED = "rejected", _("rejected")
    LEFT = "left", _("left the group")
    REMOVED = "removed", _("removed from the group")
    WITHDRAWN = "withdrawn", _("withdrawn, data erased")


# Statuses in which a signup still holds a place in its group: a second signup
# with the same phone number or e-mail for the same group is not created.
OPEN_STATUSES = (SignupStatus.UNCONFIRMED, SignupStatus.PENDING, SignupStatus.APPROVED)

# Statuses that have been decided by a coordinator or staff.
DECIDED_STATUSES = (
    SignupStatus.APPROVED,
    SignupStatus.REJECTED,
    SignupStatus.LEFT,
    SignupStatus.REMOVED,
)

# Statuses of a signup that ended with its status kept for the statistics: the
# retention purge (or an erasure request) blanks their personal data.
ENDED_STATUSES = (SignupStatus.REJECTED, SignupStatus.LEFT, SignupStatus.REMOVED)

# The life of a signup (DESIGN.md). Each change goes through a service that
# checks the pair against this table.
TRANSITIONS: dict[str, frozenset[str]] = {
    SignupStatus.UNCONFIRMED: frozenset({SignupStatus.PENDING, SignupStatus.WITHDRAWN}),
    SignupStatus.PENDING: frozenset(
        {SignupStatus.APPROVED, SignupStatus.REJECTED, SignupStatus.WITHDRAWN}
    ),
    SignupStatus.APPROVED: frozenset(
        {SignupStatus.LEFT, SignupStatus.REMOVED, SignupStatus.WITHDRAWN}
    ),
    # A resident may have their data erased at once whatever became of the
    # signup (GDPR art. 17); the retention command would erase it later anyway.
    SignupStatus.REJECTED: frozenset({SignupStatus.WITHDRAWN}),
    SignupStatus.LEFT: frozenset({SignupStatus.WITHDRAWN}),
    SignupStatus.REMOVED: frozenset({SignupStatus.WITHDRAWN}),
    SignupStatus.WITHDRAWN: frozenset(),
}


class ExportKind(models.TextChoices):
    CSV = "csv", _("CSV spreadsheet")
    VCARD = "vcard", _("vCard contacts")


class ReminderKind(models.TextChoices):
    DIGEST = "digest", _("daily digest of new signups")
    PENDING = "pending", _("signups waiting for a decision")
    NOT_ADDED = "not_added", _("members not yet added to WhatsApp")


class PrivacyRequestKind(models.TextChoices):
    EXPORT = "export", _("access: data exported")
    ERASURE = "erasure", _("erasure: data erased")


class ReconfirmationAnswer(models.TextChoices):
    STILL_HERE = "still_here", _("still lives here")
    MOVED = "moved", _("moved away")


class RemovalReason(models.TextChoices):
    MOVED = "moved", _("moved away")
    NO_ANSWER = "no_answer", _("did not answer whether they still live here")
    HOUSE_RULES = "house_rules", _("did not accept the house rules")
