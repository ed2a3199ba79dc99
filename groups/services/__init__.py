"""Changes to the network table, one module per subject.

- ``coordinators``: roles and logins, creating, inviting and deactivating
  coordinators.
- ``logins``: who may act on another person's login (the rule every login
  action checks).
- ``streets``: importing a municipality's streets.
- ``meetings``: meetings of the coordinators and their invitations.

Views, admin actions and commands import from here.
"""

from .coordinators import (
    add_zone_staff,
    check_email_for_login,
    create_coordinator,
    deactivate_coordinator,
    invite_coordinator,
    link_coordinator_login,
    login_for,
    reactivate_coordinator,
    require_may_manage,
    reset_two_factor,
    update_coordinator,
)
from .logins import holds_staff_role, may_manage_login
from .meetings import (
    answer_from_word,
    invitation_from_link,
    invite_coordinators,
    meeting_ics,
    respond_to_invitation,
    response_link,
)
from .streets import (
    StreetFileError,
    StreetImportReport,
    import_street,
    import_streets_csv,
)

__all__ = [
    "StreetFileError",
    "StreetImportReport",
    "add_zone_staff",
    "check_email_for_login",
    "holds_staff_role",
    "may_manage_login",
    "require_may_manage",
    "update_coordinator",
    "answer_from_word",
    "create_coordinator",
    "deactivate_coordinator",
    "import_street",
    "import_streets_csv",
    "invitation_from_link",
    "invite_coordinator",
    "invite_coordinators",
    "link_coordinator_login",
    "login_for",
    "meeting_ics",
    "reactivate_coordinator",
    "reset_two_factor",
    "respond_to_invitation",
    "response_link",
]
