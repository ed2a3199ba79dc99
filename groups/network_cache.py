"""The public networks table, rendered once and kept in the shared cache.

The home page and the municipality pages show the same table to every
resident until the table changes, so its HTML is rendered once per version of
the table and language, and kept in Django's cache (Redis when REDIS_URL is
set, so every app server shares it).

Every service that saves or deletes a police zone, municipality, region, a
region's streets, WhatsApp group or coordinator, adds (the finder answers
from every street), renames or deletes a street, or changes a coordinator's
groups, calls ``invalidate()``, which moves the
table to a new version (``groups.services``; no signal does it). Fragments of
an older version are never read again and expire. The version moves at once
and again when the transaction commits: a request that rendered the old rows
between the two cannot leave them in the cache. Whatever writes those tables
without a service (the development data's bulk writes) calls ``invalidate()``
itself.

Every page asks for the version. With Redis, asking on every request costs a
round trip, about a fifth of what a cached page costs to serve. So each
process subscribes to the version's changes instead (Redis publish/subscribe,
``VersionWatch``): ``invalidate()`` publishes after it moved the version, and
every process's watcher reads the new version as it is told, within
milliseconds, on every app server. While a process's subscription is not
known to be alive (starting, broken, Redis silent for a few seconds), its
requests ask Redis themselves, as before. Only the version is pushed; the
fragments of a version never change, so they need no telling.
"""

import logging
import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

T = TypeVar("T")

VERSION_KEY = "networks:version"


class Recent:
    """Values kept in this process's memory, the ``size`` most recently kept.

    A read does not reorder them (it takes no lock): a value pushed out while
    still in use is read once from the shared cache and kept again. They are
    only read under the current version, so never stale.
    """

    _lock = threading.Lock()

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[str, object] = OrderedDict()

    def get(self, key: str):
        return self._values.get(key)

    def put(self, key: str, value) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


# The pages and their fragments: a few per municipality and language.
LOCAL_SIZE = 1024
_local = Recent(LOCAL_SIZE)
# A fragment of the current version lives this long without a change; a
# fragment of an old version is never read again, so this is only memory.
FRAGMENT_TIMEOUT = 24 * 60 * 60
# What is looked up by what a visitor typed or chose (the finder's answers,
# the addresses and rows the e-loket reads): many more than there are pages.
# Kept apart from the pages, so that a stream of searches or signups (street
# after street) cannot push the pages out, and in the shared cache only
# briefly: a look-up is repeated within the hour or not at all, and whatever
# the visitors type, the entries made in LOOKUP_TIMEOUT are all there can be.
LOOKUP_LOCAL_SIZE = 512
LOOKUP_TIMEOUT = 60 * 60
_lookups = Recent(LOOKUP_LOCAL_SIZE)


def _new_version() -> None:
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)
    # This process asks until its watch has read the new version, so its
    # next page shows the change whatever the thread is doing.
    watch.forget()
    # After the new version is stored: every watch that is told reads it.
    publish = getattr(cache, "publish", None)
    if publish is not None:
        publish(VERSION_KEY)


def invalidate() -> None:
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
    version = watch.version()
    if version is None:
        version = _read_version()
    return version


def _read_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def cached(name: str, build: Callable[[], T]) -> T:
    """What ``build()`` returns for this version of the table, built once.

    ``name`` tells the fragments apart (the page); the active language is
    part of the key. The version is the one this process's watch was told
    (``VersionWatch``), or else read from the shared cache; the fragment of a
    version is kept in this process too (the most recent LOCAL_SIZE), so a
    page seen before costs no cache call at all. When the cache does not
    answer, the page is built from the database: the public site stays up
    without its cache.
    """
    return _cached(name, build, recent=_local, timeout=FRAGMENT_TIMEOUT)


def cached_lookup(name: str, build: Callable[[], T]) -> T:
    """As ``cached``, for a look-up: a search, an address, a row chosen.

    On the same version (so it is answered afresh as soon as the table
    changes) and in the active language, but kept for LOOKUP_TIMEOUT and
    apart from the pages (LOOKUP_LOCAL_SIZE). ``name`` must be bounded (a
    hash of what was searched, a number), never what a visitor typed.
    """
    return _cached(f"lookup:{name}", build, recent=_lookups, timeout=LOOKUP_TIMEOUT)


def lookup_here(name: str) -> tuple[str | None, object]:
    """For a caller that reads the shared cache itself (``cached_lookup``'s
    steps, apart): the key of look-up ``name`` under the current version
    (None when the cache does not answer), and its value if this process
    keeps it. Then ``lookup_read`` what the shared cache held, or
    ``lookup_kept`` what was looked up afresh.
    """
    key = versioned(f"lookup:{name}")
    return key, None if key is None else _lookups.get(key)


def lookup_read(key: str, value) -> None:
    """``value`` was read from the shared cache under ``key``: kept here too."""
    _lookups.put(key, value)


def lookup_kept(key: str, value) -> None:
    """``value`` was looked up afresh for ``key``: kept here and shared."""
    keep(key, value, recent=_lookups, timeout=LOOKUP_TIMEOUT)


def _cached(name: str, build: Callable[[], T], *, recent: Recent, timeout: int) -> T:
    key = versioned(name)
    if key is None:
        return build()
    value = peek(key, recent=recent)
    if value is None:
        value = build()
        # Nothing found is not kept: a number that names no row (typed in a
        # URL) would otherwise leave a key in the shared cache per number.
        if value is not None:
            keep(key, value, recent=recent, timeout=timeout)
    return value


def versioned(name: str, language: str | None = None) -> str | None:
    """``name``'s key under the table's current version and the language
    (the active one unless given), or None when the cache does not answer.

    For a caller that looks a value up (``peek``) and may keep it (``keep``)
    with a request in between: both under the version read before the
    request, so a change made meanwhile is never hidden under the new one.
    """
    try:
        version = _current_version()
    except Exception as error:  # every cache backend fails in its own way
        logger.warning("network cache unavailable: %s", type(error).__name__)
        return None
    return f"networks:{version}:{language or get_language()}:{name}"


def peek(key: str, *, recent: Recent = _local):
    """The value kept under ``key`` (from ``versioned``), or None."""
    value = recent.get(key)
    if value is not None:
        return value
    try:
        value = cache.get(key)
    except Exception as error:  # every cache backend fails in its own way
        logger.warning("network cache unavailable: %s", type(error).__name__)
        return None
    if value is not None:
        recent.put(key, value)
    return value


def keep(
    key: str, value, *, recent: Recent = _local, timeout: int = FRAGMENT_TIMEOUT
) -> None:
    """Keep ``value`` under ``key`` (from ``versioned``), here and shared."""
    try:
        cache.set(key, value, timeout=timeout)
    except Exception as error:  # every cache backend fails in its own way
        logger.warning("network cache unavailable: %s", type(error).__name__)
    recent.put(key, value)


class VersionWatch:
    """This process's copy of the version, kept current by Redis's pushes.

    A daemon thread, started in each process at its first page (so after
    gunicorn forks its workers), subscribes to the version's channel, then
    reads the version, then reads it again each time it is told it changed.
    Every BEAT_SECONDS it reads the version anyway, which bounds what a
    change nobody announced costs (the cache emptied or its version evicted:
    the next reader makes a new version), and pings its subscription. When
    the subscription has said nothing for SILENCE_SECONDS, or its connection
    breaks, ``version()`` is None (the requests ask Redis themselves) until
    it has subscribed and read again.
    """

    BEAT_SECONDS = 1.0
    SILENCE_SECONDS = 3.0
    RETRY_SECONDS = 1.0

    def __init__(self) -> None:
        self._version: str | None = None
        # Moves on each forget(): a version read before it is not kept.
        self._generation = 0
        self._heard = 0.0
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._subscribed = False

    def version(self) -> str | None:
        """The current version, or None when this process cannot vouch for it."""
        if self._pid != os.getpid():
            self._start()
        version = self._version
        if version is None or time.monotonic() - self._heard > self.SILENCE_SECONDS:
            return None
        return version

    def forget(self) -> None:
        """The version changed here: ask Redis until it has been read again."""
        self._generation += 1
        self._version = None

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            # A forked child has no copy of its parent's thread: its own.
            self._pid = os.getpid()
            self._version = None
            if getattr(cache, "subscribe", None) is None:
                return  # a cache without publish/subscribe: always ask
            self._stop = threading.Event()
            self._thread = threading.Thread(
                target=self._run, name="network-cache-watch", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        """End the thread (tests; a process's end ends it anyway)."""
        self._stop.set()
        if self._thread is not None:
            # It notices between two waits for a message.
            self._thread.join(timeout=self.BEAT_SECONDS + 5)
            self._thread = None
        self._version = None
        self._pid = None

    def _run(self) -> None:
        warned = False
        while not self._stop.is_set():
            self._subscribed = False
            try:
                self._listen()
            except Exception as error:  # every cache backend fails in its own way
                # Once when it is lost, not at every retry while Redis is away.
                if self._subscribed or not warned:
                    logger.warning(
                        "network cache: version watch lost, pages ask the "
                        "cache meanwhile: %s",
                        type(error).__name__,
                    )
                    warned = True
            self._version = None
            self._stop.wait(self.RETRY_SECONDS)

    def _listen(self) -> None:
        pubsub = cache.subscribe(VERSION_KEY)
        try:
            # Subscribed before the version is read: no change is missed.
            while pubsub.get_message(timeout=self.BEAT_SECONDS) is None:
                if self._stop.is_set():
                    return
            self._subscribed = True
            self._heard = time.monotonic()
            self._read()
            beat = time.monotonic()
            while not self._stop.is_set():
                message = pubsub.get_message(timeout=self.BEAT_SECONDS)
                if message is not None:
                    self._heard = time.monotonic()
                    if message["type"] == "message":
                        # Unknown until read again: requests ask meanwhile.
                        self._version = None
                        self._read()
                if time.monotonic() - beat >= self.BEAT_SECONDS:
                    self._read()
                    pubsub.ping()
                    beat = time.monotonic()
        finally:
            pubsub.close()

    def _read(self) -> None:
        generation = self._generation
        version = _read_version()
        if generation == self._generation:
            self._version = version


watch = VersionWatch()
