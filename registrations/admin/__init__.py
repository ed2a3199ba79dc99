"""The admin of signups: the coordinator's work lists and the staff's overview.

Every list goes through the model's ``visible_to`` (ScopedAdmin), so an
action that names foreign ids only ever sees the caller's own rows. Nothing
changes here but through the services: an add, change, delete or action
calls one, and the signups' forms stay read-only.

One module per concept: ``house_rules`` (the versions), ``signups`` (the
pending work list, every signup and what their admins share),
``applications`` (new-group applications), ``members`` (members and their
exports), ``withdrawn_members``, ``members_to_remove`` (moved, no answer to
the yearly question, house rules not accepted), ``privacy`` (the record of access and
erasure requests) and ``waiting_list`` (residents waiting for a group).
Their forms are in ``forms``; ``views`` holds the admin pages that are not a
model's (statistics, the privacy page) and the decision
page the work lists share.
"""

# Importing a module registers its admins.
from . import (  # noqa: F401
    applications,
    house_rules,
    members,
    members_to_remove,
    privacy,
    signups,
    waiting_list,
    withdrawn_members,
)
