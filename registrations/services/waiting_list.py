"""The waiting list for a group: "tell me when my street gets a group".

    joined ──confirm──▶ waiting ──a published group covers the address──▶ told
      │                   │                                                 │
      └───── leave (the link in every mail) ──▶ deleted ◀── retention ──────┘

A resident whose street no published group covers leaves their e-mail
address, municipality, street and (optionally) house number
(``join_waiting_list``); nothing else. Like a signup, the entry counts only
once the resident followed the signed link in the mail it sends
(``confirm_waiting_list_entry``), and the page they see is the same whether
or not the address was on the list already: an address already waiting for
that street is not stored twice, its holder is mailed instead. A street
that a group covers already is not put on the list: the resident is shown
the group.

``notify_waiting_list`` (``manage.py notify_waiting_list``, from a timer)
finds the confirmed entries whose address a published group now covers,
mails each resident once, in their language, with the group's name and its
signup page, and marks the entry told. Nothing in ``groups`` calls in here:
the command looks, so publishing a group or extending a region needs no
signal. Every mail carries a signed link to leave the list
(``leave_waiting_list``), which deletes the entry and its mails.

The retention purge (``retention``) deletes unconfirmed entries like
unconfirmed signups, told ones WAITING_LIST_NOTIFIED_RETENTION_DAYS after
the mail, and every entry WAITING_LIST_MAX_AGE_DAYS after it was made.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Municipality, Street, WhatsAppGroup, normalize_street_name
from wabp_portal.db import insert_unless_conflict
from wabp_portal.signed_links import row_from_link

from .. import notifications
from ..models import WaitingListEntry
from .signups import confirmation_max_age, house_number_value, known_street

logger = logging.getLogger(__name__)


class StreetHasGroup(Exception):
    """A published group covers the address already: sign up there instead.

    ``street_name`` is the street's name as the portal knows it.
    """

    def __init__(self, groups: list[WhatsAppGroup], *, street_name: str) -> None:
        super().__init__("a published group covers this address")
        self.groups = groups
        self.street_name = street_name


@dataclass(frozen=True)
class WaitingListRequest:
    """What a resident typed in the waiting-list form, already validated."""

    municipality: Municipality
    street_name: str
    email: str
    language: str
    house_number: str = ""


def covering_groups(
    municipality_id: int,
    street_name: str,
    house_number: str = "",
    *,
    street_id: int | None = None,
) -> list[WhatsAppGroup]:
    """The published groups that cover this address.

    The street is found by its search key in the municipality (every street
    of that name: a name can be in two of its postcodes), and by ``street_id``
    when the entry knew it (a street renamed since). Without a house number,
    a group that covers any part of the street.
    """
    streets = set(
        Street.objects.filter(
            municipality=municipality_id,
            search_name=normalize_street_name(street_name),
        ).values_list("pk", flat=True)
    )
    if street_id is not None:
        streets.add(street_id)
    if not streets:
        return []
    return list(
        WhatsAppGroup.objects.published()
        .covering(streets, house_number_value(house_number))
        .select_related("region", "municipality")
        .order_by("display_order", "name")
    )


@transaction.atomic
def join_waiting_list(request: WaitingListRequest) -> tuple[WaitingListEntry, bool]:
    """Store an entry and mail the confirmation link; return it and whether it is new.

    An address already waiting for this street is not stored again (the
    unique constraint, ``ON CONFLICT DO NOTHING``): the entry on file is
    returned and its address told, with the confirmation link again if it
    was never followed. ``StreetHasGroup`` when a published group covers
    the address already; ``ValidationError`` for what the form should have
    refused.
    """
    street = known_street(request.municipality, request.street_name)
    groups = covering_groups(
        request.municipality.pk, request.street_name, request.house_number
    )
    if groups:
        raise StreetHasGroup(
            groups,
            street_name=street.name if street is not None else request.street_name,
        )
    entry = WaitingListEntry(
        municipality=request.municipality,
        street=street,
        # The name as the portal knows it, else as typed.
        street_name=street.name if street is not None else request.street_name,
        house_number=request.house_number,
        email=request.email.strip().lower(),
        language=request.language,
    )
    # The constraints are left to the insert, which finds a duplicate
    # without an error (nothing personal in the database server's log).
    entry.full_clean(exclude=["municipality", "street"], validate_constraints=False)
    if insert_unless_conflict(entry):
        notifications.send_waiting_list_confirmation(entry)
        logger.info(
            "waiting list entry created pk=%s municipality=%s",
            entry.pk,
            entry.municipality_id,
        )
        return entry, True
    existing = (
        WaitingListEntry.objects.open()
        .select_related("municipality__zone")
        .filter(
            municipality=entry.municipality,
            street_key=entry.street_key,
            email=entry.email,
        )
        .first()
    )
    if existing is None:
        raise IntegrityError("a waiting-list entry was refused but none conflicts")
    notifications.send_waiting_list_duplicate_notice(existing)
    logger.info("waiting list entry duplicate pk=%s", existing.pk)
    return existing, False


# What a valid link says once its entry is gone (left, told and erased, or
# expired): the resident is not on the list.
WAITING_LIST_GONE = _("You are no longer on the waiting list.")


def _entry_from_link(token: str, *, salt: str, max_age) -> WaitingListEntry:
    return row_from_link(
        WaitingListEntry.objects.select_related("municipality__zone", "street"),
        token,
        salt=salt,
        max_age=max_age,
        gone_message=WAITING_LIST_GONE,
    )


def entry_from_confirmation_link(token: str) -> WaitingListEntry:
    """The entry of a confirmation link (it expires as a signup's does)."""
    return _entry_from_link(
        token,
        salt=notifications.WAITING_LIST_CONFIRM_SALT,
        max_age=confirmation_max_age(),
    )


def entry_from_leave_link(token: str) -> WaitingListEntry:
    """The entry of a link to leave the list (valid as long as the entry)."""
    return _entry_from_link(
        token, salt=notifications.WAITING_LIST_LEAVE_SALT, max_age=None
    )


@transaction.atomic
def confirm_waiting_list_entry(
    entry: WaitingListEntry,
) -> tuple[WaitingListEntry, bool]:
    """The resident confirmed their address: the entry counts from now on.

    Returns the entry and whether this confirmed it (False: it already was).
    """
    entry = (
        WaitingListEntry.objects.select_for_update(of=("self",))
        .select_related("municipality__zone", "street")
        .get(pk=entry.pk)
    )
    if entry.confirmed_at is not None:
        return entry, False
    entry.confirmed_at = timezone.now()
    entry.full_clean()
    entry.save(update_fields=["confirmed_at"])
    logger.info("waiting list entry confirmed pk=%s", entry.pk)
    return entry, True


@transaction.atomic
def leave_waiting_list(entry: WaitingListEntry) -> None:
    """Take the address off the list: the entry and its mails are deleted."""
    pks = list(
        WaitingListEntry.objects.select_for_update()
        .filter(pk=entry.pk)
        .values_list("pk", flat=True)
    )
    if not pks:
        return  # left in another tab meanwhile
    notifications.forget_waiting_list_mail(pks)
    WaitingListEntry.objects.filter(pk__in=pks).delete()
    logger.info("waiting list entry left pk=%s", entry.pk)


def delete_entries(entries: Iterable[WaitingListEntry]) -> tuple[int, int]:
    """Delete entries and their mails (retention, erasure); return both counts."""
    pks = [entry.pk for entry in entries]
    if not pks:
        return 0, 0
    mails = notifications.forget_waiting_list_mail(pks)
    WaitingListEntry.objects.filter(pk__in=pks).delete()
    return len(pks), mails


def _candidates() -> list[int]:
    """Waiting entries whose street a published group covers, in some part.

    Narrowed in the database, by the known street or the name's search key
    (a street added since the entry was made); whether the group covers the
    entry's house number is decided for each (``_notify``).
    """
    covered = Street.objects.filter(
        coverage__region__whatsapp_groups__in=WhatsAppGroup.objects.published()
    )
    same_name = covered.filter(
        municipality=OuterRef("municipality"), search_name=OuterRef("street_key")
    )
    return list(
        WaitingListEntry.objects.waiting()
        .filter(Q(street__in=covered.values("pk")) | Exists(same_name))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def notify_waiting_list(*, now: datetime | None = None) -> int:
    """Tell every waiting resident whose address a group now covers; return how many.

    Each entry in a transaction of its own, with its mail: one resident's
    failure leaves the others told. Safe to run twice, and twice at once.
    """
    now = now or timezone.now()
    told = sum(_notify(pk, now=now) for pk in _candidates())
    logger.info("waiting list notified count=%s", told)
    return told


@transaction.atomic
def _notify(pk: int, *, now: datetime) -> bool:
    # A run that holds the entry tells it; the other skips it (no wait), and
    # finds it told on its next run. Told or left meanwhile: not waiting.
    entry = (
        WaitingListEntry.objects.waiting()
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("municipality__zone")
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        return False
    groups = covering_groups(
        entry.municipality_id,
        entry.street_name,
        entry.house_number,
        street_id=entry.street_id,
    )
    if not groups:
        return False  # the street, but not this house number
    notifications.send_waiting_list_group_found(entry, groups)
    entry.notified_at = now
    entry.full_clean()
    entry.save(update_fields=["notified_at"])
    logger.info("waiting list entry told pk=%s groups=%s", entry.pk, len(groups))
    return True
