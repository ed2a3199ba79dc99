"""The documents a zone offers residents (a presentation, a form).

Staff upload and order them in the admin; the public pages list those
shown publicly.
"""

import logging

from django.db import transaction
from django.db.models import QuerySet

from .. import network_cache
from ..models import Download

logger = logging.getLogger(__name__)


@transaction.atomic
def save_download(download: Download) -> Download:
    """Save a new or changed download."""
    download.full_clean()
    download.save()
    # The public house rules page lists the zone's downloads.
    network_cache.invalidate()
    logger.info("download saved pk=%s zone=%s", download.pk, download.zone_id)
    return download


@transaction.atomic
def delete_downloads(downloads: QuerySet[Download]) -> int:
    """Delete these downloads; return rows deleted."""
    deleted, _by_model = downloads.delete()
    network_cache.invalidate()
    logger.info("downloads deleted rows=%s", deleted)
    return deleted
