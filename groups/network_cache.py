"""The public networks table, rendered once and kept in the shared cache.

The home page and the municipality pages show the same table to every
resident until the table changes, so its HTML is rendered once per version of
the table and language, and kept in Django's cache (Redis when REDIS_URL is
set, so every app server shares it).

Any save or delete of a police zone, municipality, region, WhatsApp group or
coordinator, and any change of a coordinator's groups, moves the table to a
new version. Fragments of an older version are never read again and expire.
The version moves at once and again when the transaction commits: a request
that rendered the old rows between the two cannot leave them in the cache.

Bulk writes that send no signals (``QuerySet.update``, COPY) must call
``invalidate()`` themselves.
"""

import logging
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

T = TypeVar("T")

VERSION_KEY = "networks:version"
# Fragments kept in each process's memory, most recently used first. They are
# only read under the version the shared cache names, so never stale.
LOCAL_SIZE = 1024
_local: OrderedDict[str, object] = OrderedDict()
_local_lock = threading.Lock()
# A fragment of the current version lives this long without a change; a
# fragment of an old version is never read again, so this is only memory.
FRAGMENT_TIMEOUT = 24 * 60 * 60


def _new_version() -> None:
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)


def invalidate(**_signal_kwargs) -> None:
    """The table changed: no fragment rendered before this is shown again."""
    try:
        _new_version()
    except Exception as error:  # every cache backend fails in its own way
        logger.warning("network cache: cannot invalidate: %s", type(error).__name__)
    transaction.on_commit(_new_version_quietly)


def _new_version_quietly() -> None:
    try:
        _new_version()
    except Exception as error:  # every cache backend fails in its own way
        logger.warning("network cache: cannot invalidate: %s", type(error).__name__)


def _current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def cached(name: str, build: Callable[[], T]) -> T:
    """What ``build()`` returns for this version of the table, built once.

    ``name`` tells the fragments apart (the page); the active language is
    part of the key. The version is read from the shared cache every time;
    the fragment of a version is kept in this process too (the most recent
    LOCAL_SIZE), so a page seen before costs one cache call. When the cache
    does not answer, the page is built from the database: the public site
    stays up without its cache.
    """
    try:
        key = f"networks:{_current_version()}:{get_language()}:{name}"
        value = _local.get(key)
        if value is None:
            value = cache.get(key)
    except Exception as error:  # every cache backend fails in its own way
        logger.warning("network cache unavailable: %s", type(error).__name__)
        return build()
    if value is None:
        value = build()
        try:
            cache.set(key, value, timeout=FRAGMENT_TIMEOUT)
        except Exception as error:  # every cache backend fails in its own way
            logger.warning("network cache unavailable: %s", type(error).__name__)
    _remember(key, value)
    return value


def _remember(key: str, value) -> None:
    with _local_lock:
        _local[key] = value
        _local.move_to_end(key)
        while len(_local) > LOCAL_SIZE:
            _local.popitem(last=False)


def connect_signals() -> None:
    """Invalidate on every change to what the public table shows."""
    from .models import Coordinator, Municipality, PoliceZone, Region, WhatsAppGroup

    for model in (PoliceZone, Municipality, Region, WhatsAppGroup, Coordinator):
        uid = f"network-cache-{model._meta.label_lower}"
        post_save.connect(invalidate, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(
        invalidate,
        sender=Coordinator.groups.through,
        dispatch_uid="network-cache-coordinator-groups",
    )
