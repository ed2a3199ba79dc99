"""The admin of the network, one module per concept.

``base`` holds what every admin shares (the ``visible_to`` scope, read-only
records, writes through services) and what ``registrations`` builds on:
import those from here. ``zones`` (police zones, municipalities, streets),
``regions``, ``whatsapp_groups``, ``coordinators``, ``meetings``,
``messages``, ``downloads``, ``street_imports`` and ``audit`` register their admins when
imported.
"""

from . import (  # noqa: F401 (each registers its admins)
    audit,
    coordinators,
    downloads,
    meetings,
    messages,
    regions,
    street_imports,
    whatsapp_groups,
    zones,
)
from .base import (
    RecordAdminMixin,
    ScopedAdmin,
    ScopedAdminMixin,
    ScopedInline,
    ScopedRelatedFilter,
    ServiceWritesMixin,
    TableImportExportMixin,
)

__all__ = [
    "RecordAdminMixin",
    "ScopedAdmin",
    "ScopedAdminMixin",
    "ScopedInline",
    "ScopedRelatedFilter",
    "ServiceWritesMixin",
    "TableImportExportMixin",
]
