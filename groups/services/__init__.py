"""Changes to the network table, one module per subject.

- ``zones``: police zones and municipalities (linked to the official list).
- ``streets``: a municipality's streets, one by one or imported.
- ``regions``: regions and the streets they cover.
- ``whatsapp_groups``: the groups.
- ``coordinators``: roles and logins, creating, inviting and deactivating
  coordinators, and which groups they coordinate.
- ``handover``: a lead hands their group to a successor, who accepts by
  mail.
- ``logins``: who may act on another person's login (the rule every login
  action checks).
- ``meetings``: meetings of the coordinators and their invitations.
- ``meeting_follow_up``: after a meeting, attendance and minutes.
- ``messages``: staff's messages to the coordinators, and who read them.
- ``downloads``: the documents a zone offers residents.

Every change of state in ``groups`` goes through one of these: views, admin
pages and actions, the table import and commands import from here. The
services that change what the public networks table shows (zones,
municipalities, regions and the streets they cover, groups, coordinators
and their groups) move its cache to a new version
(``network_cache.invalidate``); nothing else does.
"""

from .coordinators import (
    add_zone_staff,
    change_coordinators_of_group,
    change_zone_staff,
    check_email_for_login,
    create_coordinator,
    deactivate_coordinator,
    delete_coordinators,
    invite_coordinator,
    link_coordinator_login,
    login_for,
    queue_invitation,
    reactivate_coordinator,
    remove_zone_staff,
    require_may_manage,
    reset_two_factor,
    set_coordinator_groups,
    update_coordinator,
)
from .downloads import delete_downloads, save_download
from .handover import (
    accept_handover,
    cancel_handover,
    closed_reason,
    deputies_of,
    handover_from_link,
    handover_link,
    offer_handover,
)
from .logins import holds_staff_role, may_manage_login
from .meeting_follow_up import record_attendance, save_minutes
from .meetings import (
    ANSWER_WORDS,
    Invited,
    MeetingSaved,
    MeetingsDeleted,
    answer_from_word,
    cancel_meeting,
    delete_meetings,
    invitation_from_link,
    invite_coordinators,
    meeting_ics,
    respond_to_invitation,
    response_link,
    save_meeting,
)
from .messages import (
    mark_read,
    may_write_to,
    message_url,
    recipients_for,
    send_message,
)
from .regions import (
    delete_region_streets,
    delete_regions,
    save_region,
    save_region_street,
)
from .street_imports import queue_street_import, run_next_street_import
from .streets import (
    StreetFileError,
    StreetImportReport,
    delete_streets,
    import_street,
    import_streets_csv,
    save_street,
)
from .whatsapp_groups import (
    covers_no_street,
    delete_whatsapp_groups,
    publishes_without_streets,
    save_whatsapp_group,
)
from .zones import (
    LinkReport,
    delete_municipalities,
    delete_police_zones,
    link_municipalities,
    save_municipality,
    save_police_zone,
)

__all__ = [
    "ANSWER_WORDS",
    "LinkReport",
    "StreetFileError",
    "StreetImportReport",
    "accept_handover",
    "add_zone_staff",
    "change_zone_staff",
    "remove_zone_staff",
    "answer_from_word",
    "change_coordinators_of_group",
    "cancel_handover",
    "check_email_for_login",
    "closed_reason",
    "create_coordinator",
    "deactivate_coordinator",
    "delete_coordinators",
    "deputies_of",
    "delete_downloads",
    "delete_meetings",
    "record_attendance",
    "save_minutes",
    "cancel_meeting",
    "Invited",
    "MeetingSaved",
    "MeetingsDeleted",
    "delete_municipalities",
    "delete_police_zones",
    "delete_region_streets",
    "delete_regions",
    "delete_streets",
    "delete_whatsapp_groups",
    "handover_from_link",
    "handover_link",
    "holds_staff_role",
    "import_street",
    "import_streets_csv",
    "queue_street_import",
    "run_next_street_import",
    "invitation_from_link",
    "invite_coordinator",
    "invite_coordinators",
    "link_coordinator_login",
    "link_municipalities",
    "mark_read",
    "may_write_to",
    "message_url",
    "recipients_for",
    "send_message",
    "login_for",
    "may_manage_login",
    "meeting_ics",
    "offer_handover",
    "queue_invitation",
    "reactivate_coordinator",
    "require_may_manage",
    "reset_two_factor",
    "respond_to_invitation",
    "response_link",
    "save_download",
    "save_meeting",
    "save_municipality",
    "save_police_zone",
    "save_region",
    "save_region_street",
    "save_street",
    "save_whatsapp_group",
    "covers_no_street",
    "publishes_without_streets",
    "set_coordinator_groups",
    "update_coordinator",
]
