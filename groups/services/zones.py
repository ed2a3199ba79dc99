"""Police zones and their municipalities, as the admin keeps them.

A superuser creates a zone and names its staff; the zone's staff keep its
contact block and its municipalities. Both show in the public networks
table, so every change here moves the table's cache to a new version
(``network_cache.invalidate``), at once and again when it commits.
"""

import logging
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from .. import network_cache
from ..models import Municipality, PoliceZone

logger = logging.getLogger(__name__)


@transaction.atomic
def save_police_zone(
    zone: PoliceZone, *, staff: Iterable[User] | None = None
) -> PoliceZone:
    """Save a new or changed zone; ``staff``, when given, becomes its staff."""
    zone.full_clean()
    zone.save()
    if staff is not None:
        zone.staff.set(staff)
    network_cache.invalidate()
    logger.info("police zone saved pk=%s", zone.pk)
    return zone


@transaction.atomic
def delete_police_zones(zones: QuerySet[PoliceZone]) -> int:
    """Delete these zones and what cascades with them; return rows deleted."""
    deleted, _by_model = zones.delete()
    network_cache.invalidate()
    logger.info("police zones deleted rows=%s", deleted)
    return deleted


@transaction.atomic
def save_municipality(municipality: Municipality) -> Municipality:
    """Save a new or changed municipality."""
    municipality.full_clean()
    municipality.save()
    network_cache.invalidate()
    logger.info(
        "municipality saved pk=%s zone=%s", municipality.pk, municipality.zone_id
    )
    return municipality


@transaction.atomic
def delete_municipalities(municipalities: QuerySet[Municipality]) -> int:
    """Delete these municipalities and their streets; return rows deleted."""
    deleted, _by_model = municipalities.delete()
    network_cache.invalidate()
    logger.info("municipalities deleted rows=%s", deleted)
    return deleted
