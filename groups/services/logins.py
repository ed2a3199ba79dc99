"""Who may act on another person's login.

A login can carry several roles at once: superuser, police-zone staff of one
or more zones, coordinator (of one zone), or extra permissions given by an
administrator. Whoever links a login to a coordinator, invites it (a link to
set its password), resets its two-step verification, changes its e-mail
address or closes it takes it over in effect, so the rule is:

- only someone whose scope covers **every** role the login holds may do any
  of these (``may_manage_login``). A superuser covers all. Staff of a zone
  cover a login that is at most a coordinator of one of their zones; never a
  superuser, never staff (of any zone, their own included), never a login
  with permissions of its own;
- a login that holds a staff role (``holds_staff_role``) is never linked to a
  coordinator because of a matching e-mail address, not even by a
  superuser: the coordinator gets a login of their own;
- a link to set a password only ever goes to the address the login already
  has (``invite_coordinator``), and a login's address changes only under the
  first rule.

SECURITY.md's threat model lists every flow this guards.
"""

from django.contrib.auth.models import User

from ..constants import ROLE_COORDINATOR
from ..models import Coordinator, PoliceZone


def holds_staff_role(login: User) -> bool:
    """A superuser, police-zone staff, or a login with permissions of its own."""
    return (
        login.is_superuser
        or login.police_zones.exists()
        or login.groups.exclude(name=ROLE_COORDINATOR).exists()
        or login.user_permissions.exists()
    )


def may_manage_login(actor: User, login: User) -> bool:
    """Whether ``actor``'s scope covers every role ``login`` holds."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    if login.pk == actor.pk or holds_staff_role(login):
        return False
    own_zones = set(PoliceZone.objects.filter(staff=actor).values_list("pk", flat=True))
    if not own_zones:
        return False
    coordinator_zones = set(
        Coordinator.objects.filter(user=login).values_list("zone_id", flat=True)
    )
    return coordinator_zones <= own_zones
