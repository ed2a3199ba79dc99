"""Changes to the network table.

Streets are imported idempotently; a coordinator or a staff member gets their
role by being linked to a login here, which puts the login in the role's auth
Group and lets it into the admin. Nothing else changes a role.
"""

import logging

from django.contrib.auth.models import Group, User
from django.db import transaction

from .constants import ROLE_COORDINATOR, ROLE_ZONE_STAFF
from .models import Coordinator, Municipality, PoliceZone, Street

logger = logging.getLogger(__name__)


@transaction.atomic
def import_street(municipality: Municipality, *, name: str, postcode: str) -> Street:
    """Return the street, creating it if the municipality does not have it yet."""
    name = " ".join(name.split())
    street = Street.objects.filter(
        municipality=municipality, name=name, postcode=postcode
    ).first()
    if street is None:
        street = Street(municipality=municipality, name=name, postcode=postcode)
        street.full_clean()
        street.save()
        logger.info("street created pk=%s municipality=%s", street.pk, municipality.pk)
    return street


@transaction.atomic
def add_zone_staff(zone: PoliceZone, *, user: User) -> None:
    """Give a login the police-zone staff role for this zone."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=ROLE_ZONE_STAFF))
    zone.staff.add(user)
    logger.info("zone staff added user=%s zone=%s", user.pk, zone.pk)


@transaction.atomic
def link_coordinator_login(coordinator: Coordinator, *, user: User) -> Coordinator:
    """Link a coordinator to their login and give it the coordinator role."""
    coordinator.user = user
    coordinator.full_clean()
    coordinator.save(update_fields=["user"])
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=ROLE_COORDINATOR))
    logger.info(
        "coordinator login linked coordinator=%s user=%s", coordinator.pk, user.pk
    )
    return coordinator
