"""Changes to the network table, one module per subject.

- ``coordinators``: roles and logins, creating, inviting and deactivating
  coordinators.
- ``streets``: importing a municipality's streets.
- ``meetings``: meetings of the coordinators and their invitations.

Views, admin actions and commands import from here.
"""

from .coordinators import (
    add_zone_staff,
    create_coordinator,
    deactivate_coordinator,
    invite_coordinator,
    link_coordinator_login,
    reactivate_coordinator,
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
    "create_coordinator",
    "deactivate_coordinator",
    "import_street",
    "import_streets_csv",
    "invite_coordinator",
    "link_coordinator_login",
    "reactivate_coordinator",
]
