"""The network as the police zone maintains it.

PoliceZone → Municipality → Region (covering Streets, through RegionStreet with
optional house-number ranges) → WhatsAppGroup ← Coordinator. Every queryset a
person sees goes through ``visible_to(user)``.

One module per concept: ``zones`` (police zones, municipalities, streets and
the zone scope), ``regions`` (regions and the streets they cover),
``whatsapp_groups``, ``coordinators``, ``meetings`` (and their invitations),
``messages`` (staff's messages to coordinators, and who received them),
``downloads``, ``street_imports`` (street lists imported in the
background); ``scope`` holds what they share. Import from here, not from
the modules.
"""

from .coordinators import (
    Coordinator,
    CoordinatorQuerySet,
    GroupCoordinator,
    GroupCoordinatorQuerySet,
    Handover,
    HandoverQuerySet,
)
from .downloads import Download, DownloadQuerySet
from .meetings import (
    Meeting,
    MeetingInvitation,
    MeetingInvitationQuerySet,
    MeetingQuerySet,
)
from .messages import (
    Message,
    MessageQuerySet,
    MessageRecipient,
    MessageRecipientQuerySet,
)
from .regions import Region, RegionQuerySet, RegionStreet, RegionStreetQuerySet
from .scope import AnyUser, ZoneAudited, is_zone_staff
from .street_imports import StreetImport, StreetImportQuerySet
from .whatsapp_groups import (
    WhatsAppGroup,
    WhatsAppGroupQuerySet,
    invite_link_validator,
)
from .zones import (
    Municipality,
    MunicipalityQuerySet,
    PoliceZone,
    PoliceZoneQuerySet,
    Street,
    StreetQuerySet,
    ZoneScopedQuerySet,
    normalize_street_name,
    postcode_list_validator,
    postcode_validator,
    street_search_keys,
)

__all__ = [
    "AnyUser",
    "Coordinator",
    "CoordinatorQuerySet",
    "Download",
    "DownloadQuerySet",
    "GroupCoordinator",
    "GroupCoordinatorQuerySet",
    "Handover",
    "HandoverQuerySet",
    "Meeting",
    "MeetingInvitation",
    "MeetingInvitationQuerySet",
    "MeetingQuerySet",
    "Message",
    "MessageQuerySet",
    "MessageRecipient",
    "MessageRecipientQuerySet",
    "Municipality",
    "MunicipalityQuerySet",
    "PoliceZone",
    "PoliceZoneQuerySet",
    "Region",
    "RegionQuerySet",
    "RegionStreet",
    "RegionStreetQuerySet",
    "Street",
    "StreetImport",
    "StreetImportQuerySet",
    "StreetQuerySet",
    "WhatsAppGroup",
    "WhatsAppGroupQuerySet",
    "ZoneAudited",
    "ZoneScopedQuerySet",
    "invite_link_validator",
    "is_zone_staff",
    "normalize_street_name",
    "street_search_keys",
    "postcode_list_validator",
    "postcode_validator",
]
