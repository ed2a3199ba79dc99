"""The WhatsApp groups of a municipality.

Staff create and keep a group in the admin or with the table import
(``save_whatsapp_group``); its coordinator keeps its description and invite
link. Approving a new-group application founds one, hidden until staff
publish it. Who coordinates a group is changed in ``coordinators``. Groups
make the public networks table, so every change here moves the table's
cache to a new version.
"""

import logging

from django.db import transaction
from django.db.models import QuerySet

from .. import network_cache
from ..models import WhatsAppGroup
from .regions import save_region

logger = logging.getLogger(__name__)


@transaction.atomic
def save_whatsapp_group(group: WhatsAppGroup) -> WhatsAppGroup:
    """Save a new or changed group.

    A region the group names that is not saved yet (a table import naming a
    region its municipality lacks) is saved first, through ``save_region``.
    """
    if group.region_id is None and group.region is not None:
        group.region = save_region(group.region)
    group.full_clean()
    group.save()
    network_cache.invalidate()
    logger.info(
        "whatsapp group saved pk=%s municipality=%s", group.pk, group.municipality_id
    )
    return group


@transaction.atomic
def delete_whatsapp_groups(groups: QuerySet[WhatsAppGroup]) -> int:
    """Delete these groups; return rows deleted."""
    deleted, _by_model = groups.delete()
    network_cache.invalidate()
    logger.info("whatsapp groups deleted rows=%s", deleted)
    return deleted
