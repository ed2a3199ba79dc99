from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

# Names of the auth Groups that carry each role's permissions. They are created
# by a data migration, so a fresh database has them.
ROLE_COORDINATOR = "coordinator"
ROLE_ZONE_STAFF = "zone-staff"

# WhatsApp caps a group at 1,024 members.
WHATSAPP_GROUP_LIMIT = 1024


class NumberParity(models.TextChoices):
    ALL = "all", _("all numbers")
    EVEN = "even", _("even numbers")
    ODD = "odd", _("odd numbers")


class GroupKind(models.TextChoices):
    NEIGHBOURHOOD = "neighbourhood", _("neighbourhood group")
    UMBRELLA = "umbrella", _("umbrella group for coordinators")


class NotificationMode(models.TextChoices):
    IMMEDIATE = "immediate", _("an e-mail for every new signup")
    DIGEST = "digest", _("one e-mail a day with the new signups")


class MeetingResponse(models.TextChoices):
    """A coordinator's answer to a meeting invitation; blank until they answer."""

    YES = "yes", _("will come")
    NO = "no", _("cannot come")


# A meeting without an end time is announced to calendars as lasting this long.
MEETING_DEFAULT_DURATION = timedelta(hours=2)

# The title of a meeting whose staff left the title empty.
MEETING_DEFAULT_TITLE = _("Neighbourhood watch meeting")


class CoordinatorRole(models.TextChoices):
    """A coordinator's part in one group: the lead is named in the public table;
    a deputy helps (decides signups, gets their mails) and is not named there."""

    LEAD = "lead", _("coordinator")
    DEPUTY = "deputy", _("deputy coordinator")


# How long a successor has to accept a handover before its link expires.
HANDOVER_VALID_DAYS = 14


class StreetImportStatus(models.TextChoices):
    """Where a street import stands: uploaded, being run by the worker, ended."""

    QUEUED = "queued", _("waiting for the worker")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class MessageAudience(models.TextChoices):
    """Whom staff write to: the zone's coordinators, a municipality's, or groups'."""

    ZONE = "zone", _("all coordinators of the zone")
    MUNICIPALITY = "municipality", _("the coordinators of one municipality")
    GROUPS = "groups", _("the coordinators of chosen groups")
