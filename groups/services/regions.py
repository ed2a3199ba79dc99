"""Regions of a municipality and the streets they cover.

Staff draw a region in the admin (``save_region``) and list its streets,
whole or by house-number range (``save_region_street``); approving a
new-group application may found one too. A region's name and the streets
it covers show in the public networks table, so every change here moves the
table's cache to a new version (``network_cache.invalidate``).
"""

import logging

from django.db import transaction
from django.db.models import QuerySet

from .. import network_cache
from ..models import Region, RegionStreet

logger = logging.getLogger(__name__)


@transaction.atomic
def save_region(region: Region) -> Region:
    """Save a new or changed region."""
    region.full_clean()
    region.save()
    network_cache.invalidate()
    logger.info("region saved pk=%s municipality=%s", region.pk, region.municipality_id)
    return region


@transaction.atomic
def delete_regions(regions: QuerySet[Region]) -> int:
    """Delete these regions and their coverage; return rows deleted."""
    deleted, _by_model = regions.delete()
    network_cache.invalidate()
    logger.info("regions deleted rows=%s", deleted)
    return deleted


@transaction.atomic
def save_region_street(coverage: RegionStreet) -> RegionStreet:
    """Save a street (or a range of its numbers) that a region covers."""
    coverage.full_clean()
    coverage.save()
    network_cache.invalidate()
    logger.info("region street saved pk=%s region=%s", coverage.pk, coverage.region_id)
    return coverage


@transaction.atomic
def delete_region_streets(coverage: QuerySet[RegionStreet]) -> int:
    """Take these streets (or ranges) off their regions; return rows deleted."""
    deleted, _by_model = coverage.delete()
    network_cache.invalidate()
    logger.info("region streets deleted rows=%s", deleted)
    return deleted
