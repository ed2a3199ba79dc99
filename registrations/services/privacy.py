"""A person's access and erasure requests (GDPR articles 15 and 17).

Police-zone staff look a person up by e-mail address or phone number
(``find_person``), within their own zones. ``export_person`` hands them all of
it for a file; ``erase_person`` erases it in one transaction: open signups are
withdrawn, every signup found is erased as the retention purge does (see
``retention``), and the mails to the person or about them are deleted. A
member who withdrew is found by the mobile number their coordinators still
see (``WithdrawnMember``); erasing the signup deletes that too. The
person's entries on the waiting list for a group are found by their e-mail
addresses and deleted with their mails. A
coordinator entry or login with the same address is shown and exported but
not erased here (decisions and the audit log refer to it): staff remove the
coordinator in the coordinator table. Each export and erasure leaves a
PrivacyRequest with who, when and counts, never what was searched for.

The retention purge lives in ``retention`` and is exported here as well.
"""

import json
import logging
import re
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from phonenumber_field.phonenumber import PhoneNumber

from groups.models import Coordinator, Handover, PoliceZone, is_zone_staff
from groups.services import may_manage_login
from wabp_portal.mail import queue
from wabp_portal.mail.models import Mail

from ..constants import OPEN_STATUSES, PrivacyRequestKind, SignupStatus
from ..models import (
    ExportRecord,
    PrivacyRequest,
    Signup,
    WaitingListEntry,
    WithdrawnMember,
)
from ..notifications import SIGNUP_HEADER
from .retention import (
    PurgeReport,
    delete_orphan_attachments,
    erase_signup_data,
    purge_personal_data,
)
from .signups import _record
from .waiting_list import delete_entries

__all__ = [
    "NothingFound",
    "PersonData",
    "PersonQuery",
    "PurgeReport",
    "erase_person",
    "export_person",
    "find_person",
    "purge_personal_data",
]

logger = logging.getLogger(__name__)


class NothingFound(Exception):
    """Nothing about this person in the zones the staff member keeps."""


@dataclass(frozen=True)
class PersonQuery:
    """What staff searched for: an e-mail address, a phone number, or both."""

    email: str = ""
    phone: PhoneNumber | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "email", (self.email or "").strip().lower())
        if self.phone is not None and not self.phone:
            object.__setattr__(self, "phone", None)
        if not self.email and self.phone is None:
            raise ValueError("search for an e-mail address or a phone number")


@dataclass
class PersonData:
    """Everything found about one person, within the searcher's zones."""

    signups: list[Signup] = field(default_factory=list)
    coordinators: list[Coordinator] = field(default_factory=list)
    logins: list[User] = field(default_factory=list)
    mails: list[Mail] = field(default_factory=list)
    waiting_list: list[WaitingListEntry] = field(default_factory=list)
    # Offers to take over a group made to the person (``groups.Handover``).
    handovers: list[Handover] = field(default_factory=list)
    zone_ids: set[int] = field(default_factory=set)

    @property
    def is_empty(self) -> bool:
        return not (
            self.signups
            or self.coordinators
            or self.logins
            or self.mails
            or self.waiting_list
            or self.handovers
        )

    @property
    def erasable(self) -> bool:
        return bool(self.signups or self.mails or self.waiting_list or self.handovers)

    @property
    def members(self) -> list[Signup]:
        """Signups of someone in a WhatsApp group now: staff tell the coordinators.

        A member who withdrew counts until a coordinator marked them removed.
        """
        return [
            s
            for s in self.signups
            if s.status == SignupStatus.APPROVED or kept_for_removal(s) is not None
        ]


def kept_for_removal(signup: Signup) -> WithdrawnMember | None:
    """The name and number kept for the coordinators of a member who withdrew."""
    return getattr(signup, "withdrawn_member", None)


def _require_staff(user: User) -> None:
    if not is_zone_staff(user):
        raise PermissionDenied


def find_person(
    query: PersonQuery, *, by: User, for_update: bool = False
) -> PersonData:
    """Find a person's signups, coordinator entries, logins, mails, waiting list.

    Staff find only what lies in their own zones (``visible_to``, for mail
    too: a mail belongs to the zone it was queued for, by id), so a zone's
    staff never see another zone's mail.
    """
    _require_staff(by)
    same = Q()
    if query.email:
        same |= Q(email__iexact=query.email)
    if query.phone is not None:
        same |= Q(phone=query.phone)
    # A member who withdrew: the signup is blank, the number kept apart.
    kept = Q(withdrawn_member__phone=query.phone) if query.phone is not None else Q()
    # A new address the resident asked for and has not confirmed yet.
    waiting = Q(pending_email__iexact=query.email) if query.email else Q()
    signups = Signup.objects.visible_to(by).filter(same | kept | waiting)
    if for_update:
        signups = signups.select_for_update(of=("self",))
    signups = list(
        signups.select_related(
            "group",
            "municipality__zone",
            "house_rules",
            "decided_by",
            "withdrawn_member",
        ).order_by("created_at", "pk")
    )
    coordinators = list(
        Coordinator.objects.visible_to(by)
        .filter(same)
        .select_related("zone", "user")
        .prefetch_related("groups")
        .order_by("pk")
    )
    own, shared = _addresses(query, signups, coordinators)
    data = PersonData(
        signups=signups,
        coordinators=coordinators,
        logins=_logins(query, coordinators, by=by),
        mails=_mails_about(query, signups, own, shared, by=by),
        waiting_list=_waiting_list(own, by=by, for_update=for_update),
        handovers=list(
            Handover.objects.visible_to(by)
            .filter(same)
            .select_related("group__municipality__zone")
            .order_by("pk")
        ),
    )
    data.zone_ids = (
        {signup.municipality.zone_id for signup in signups}
        | {coordinator.zone_id for coordinator in coordinators}
        | {mail.zone_id for mail in data.mails if mail.zone_id is not None}
        | {entry.municipality.zone_id for entry in data.waiting_list}
        | {handover.group.municipality.zone_id for handover in data.handovers}
    )
    return data


def _waiting_list(
    own: set[str], *, by: User, for_update: bool
) -> list[WaitingListEntry]:
    """The waiting-list entries of the person's own addresses (not shared ones).

    An entry holds an address and no name: one a household shares could be
    the partner's, and is left to them.
    """
    if not own:
        return []
    entries = WaitingListEntry.objects.visible_to(by).filter(email__in=sorted(own))
    if for_update:
        entries = entries.select_for_update(of=("self",))
    return list(
        entries.select_related("municipality__zone").order_by("created_at", "pk")
    )


def _logins(
    query: PersonQuery, coordinators: list[Coordinator], *, by: User
) -> list[User]:
    found = Q(coordinator__in=[coordinator.pk for coordinator in coordinators])
    if query.email:
        # A login by its own address: through a coordinator entry the
        # searcher sees (Coordinator.visible_to); a superuser sees every
        # login, a coordinator's or not.
        same = Q(email__iexact=query.email)
        if not by.is_superuser:
            same &= Q(coordinator__in=Coordinator.objects.visible_to(by))
        found |= same
    # Only the logins the searcher may act on (groups.services.may_manage_login):
    # a zone's staff never read a colleague's, another zone's or a superuser's.
    return [
        user
        for user in User.objects.filter(found).distinct().order_by("pk")
        if may_manage_login(by, user)
    ]


def _word(text: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(text)}(?!\w)", re.IGNORECASE)


def _mention_patterns(
    query: PersonQuery, signups: list[Signup]
) -> list[tuple[str, re.Pattern]]:
    """What a mail about the person contains, each with a pattern that bounds it."""
    patterns = []
    if query.email:
        patterns.append(
            (
                query.email,
                re.compile(
                    rf"(?<![\w.+-]){re.escape(query.email)}(?![\w-])", re.IGNORECASE
                ),
            )
        )
    # The signups' own details, and those kept for the coordinators of a
    # member who withdrew (the signup itself is blank by then).
    records = list(signups) + [
        kept for signup in signups if (kept := kept_for_removal(signup)) is not None
    ]
    numbers = {record.phone for record in records if record.phone}
    if query.phone is not None:
        numbers.add(query.phone)
    for number in numbers:
        national = number.as_national
        for text in {
            number.as_e164,
            number.as_international,
            national,
            re.sub(r"\D", "", national),
        }:
            patterns.append((text, re.compile(rf"(?<!\d){re.escape(text)}(?!\d)")))
    # A name alone could be anyone's first name: only full names are searched.
    names = {
        record.full_name for record in records if len(record.full_name.split()) > 1
    }
    for name in names:
        for text in {name, escape(name)}:
            patterns.append((text, _word(text)))
    return patterns


def _addresses(
    query: PersonQuery, signups: list[Signup], coordinators: list[Coordinator]
) -> tuple[set[str], dict[str, list[re.Pattern]]]:
    """The person's e-mail addresses: their own, and those they share.

    The address searched for, and the address of every signup and
    coordinator entry found (a search by phone finds the signup, and its
    address finds the mails to it). A household often shares one address
    (DESIGN.md): an address that a signup not found still uses is shared,
    and a mail to it counts only when it names this person's first name, as
    every mail to a resident does ("Dear …"), so that the partner's mail is
    neither handed over nor deleted.
    """
    own = {query.email} if query.email else set()
    shared: dict[str, list[re.Pattern]] = {}
    found = [signup.pk for signup in signups]
    people = [
        (address, signup.first_name)
        for signup in signups
        for address in (signup.email, signup.pending_email)
    ] + [(coordinator.email, coordinator.first_name) for coordinator in coordinators]
    for address, first_name in people:
        address = (address or "").strip().lower()
        if not address or address in own:
            continue
        if address in shared or (
            Signup.objects.filter(email__iexact=address, erased_at__isnull=True)
            .exclude(pk__in=found)
            .exists()
        ):
            names = shared.setdefault(address, [])
            if first_name.strip():
                names += [_word(first_name.strip()), _word(escape(first_name.strip()))]
        else:
            own.add(address)
    return own, shared


def _mails_about(
    query: PersonQuery,
    signups: list[Signup],
    own: set[str],
    shared: dict[str, list[re.Pattern]],
    *,
    by: User,
) -> list[Mail]:
    """Mails to the person's addresses (``_addresses``), and mails that mention them.

    Only mails the searcher may see (``Mail.objects.visible_to``).
    """
    patterns = _mention_patterns(query, signups)
    # Every mail about one of the signups, marked with its number: also those
    # to an address it had before, or to a new one never confirmed.
    about = {str(signup.pk) for signup in signups}
    candidates = Q()
    if about:
        candidates |= Q(**{f"headers__{SIGNUP_HEADER}__in": sorted(about)})
    for address in sorted(own | set(shared)):
        for recipients in ("to", "cc", "bcc"):
            candidates |= Q(**{f"{recipients}__icontains": address})
    for text, _pattern in patterns:
        for part in ("subject", "message", "html_message", "context"):
            candidates |= Q(**{f"{part}__icontains": text})
    if not candidates:
        return []
    found = []
    for mail in (
        Mail.objects.visible_to(by).filter(candidates).order_by("created", "pk")
    ):
        # A mail not rendered yet is read as it will be sent.
        mail = queue.shown(mail)
        recipients = {
            address.strip().lower() for address in [*mail.to, *mail.cc, *mail.bcc]
        }
        body = "\n".join(
            [mail.subject, mail.message, mail.html_message, json.dumps(mail.context)]
        )
        if (
            (mail.headers if isinstance(mail.headers, dict) else {}).get(SIGNUP_HEADER)
            in about
            or recipients & own
            or any(
                pattern.search(body)
                for address in recipients & set(shared)
                for pattern in shared[address]
            )
            or any(pattern.search(body) for _text, pattern in patterns)
        ):
            found.append(mail)
    return found


def _request_zone(data: PersonData, *, by: User) -> PoliceZone | None:
    """The zone a request belongs to, so that its staff read the record."""
    zone_ids = set(data.zone_ids)
    if not by.is_superuser:
        own = set(by.police_zones.values_list("pk", flat=True))
        zone_ids = own if len(own) == 1 else zone_ids & own
    if len(zone_ids) != 1:
        return None
    return PoliceZone.objects.get(pk=zone_ids.pop())


def _record_request(
    kind: str, data: PersonData, *, by: User, signups: int, mails: int
) -> PrivacyRequest:
    record = PrivacyRequest(
        kind=kind,
        zone=_request_zone(data, by=by),
        handled_by=by,
        signup_count=signups,
        mail_count=mails,
        coordinator_count=len(data.coordinators),
        login_count=len(data.logins),
        waiting_list_count=len(data.waiting_list),
    )
    record.full_clean()
    record.save()
    logger.info(
        "privacy request pk=%s kind=%s zone=%s signups=%s mails=%s "
        "coordinators=%s logins=%s waiting_list=%s actor=%s",
        record.pk,
        kind,
        record.zone_id,
        signups,
        mails,
        record.coordinator_count,
        record.login_count,
        record.waiting_list_count,
        by.pk,
    )
    return record


@transaction.atomic
def export_person(query: PersonQuery, *, by: User) -> tuple[PrivacyRequest, dict]:
    """Everything the portal holds about a person, as JSON-ready data.

    The export is recorded (a PrivacyRequest) in the same transaction.
    """
    data = find_person(query, by=by)
    if data.is_empty:
        raise NothingFound
    record = _record_request(
        PrivacyRequestKind.EXPORT,
        data,
        by=by,
        signups=len(data.signups),
        mails=len(data.mails),
    )
    return record, _as_export(data, query=query, record=record, by=by)


@transaction.atomic
def erase_person(query: PersonQuery, *, by: User) -> PrivacyRequest:
    """Erase a person's signups and delete the mails to and about them, at once.

    Open signups are withdrawn first (by the staff member). Unlike a
    resident's own withdrawal no mail tells the coordinators: it would carry
    the name being erased. Staff tell them to remove the person from the
    WhatsApp group (the page lists the groups).
    """
    data = find_person(query, by=by, for_update=True)
    if not data.erasable:
        raise NothingFound
    now = timezone.now()
    for signup in data.signups:
        if signup.status in OPEN_STATUSES:
            _record(signup, SignupStatus.WITHDRAWN, by=by)
            signup.ended_at = now
        erase_signup_data(signup, now=now)
    Mail.objects.filter(pk__in=[mail.pk for mail in data.mails]).delete()
    # With the mails about each entry (its confirmation, its notice).
    delete_entries(data.waiting_list)
    # An offer to take over a group: the successor's name, address and
    # number. An accepted one made them a coordinator, whose entry stays.
    Handover.objects.filter(pk__in=[each.pk for each in data.handovers]).delete()
    delete_orphan_attachments(remove_files=True)
    return _record_request(
        PrivacyRequestKind.ERASURE,
        data,
        by=by,
        signups=len(data.signups),
        mails=len(data.mails),
    )


# --- the export file -----------------------------------------------------------


def _username(user: User | None) -> str | None:
    return user.get_username() if user is not None else None


def _phone(number) -> str:
    return number.as_e164 if number else ""


def _exports_of_member(signup: Signup, *, by: User) -> list[dict]:
    """Member lists (CSV, vCard) of the signup's group taken while a member."""
    if signup.group_id is None or signup.decided_at is None:
        return []
    if signup.status not in (
        SignupStatus.APPROVED,
        SignupStatus.LEFT,
        SignupStatus.REMOVED,
    ):
        return []
    records = (
        ExportRecord.objects.visible_to(by)
        .filter(groups=signup.group_id, created_at__gte=signup.decided_at)
        .select_related("user")
    )
    if signup.ended_at:
        records = records.filter(created_at__lte=signup.ended_at)
    return [
        {
            "kind": record.kind,
            "at": record.created_at,
            "by": _username(record.user),
            "people_in_export": record.count,
        }
        for record in records.order_by("created_at", "pk")
    ]


def _signup_export(signup: Signup, *, by: User) -> dict:
    return {
        "number": signup.pk,
        "role": signup.role,
        "status": signup.status,
        "police_zone": signup.municipality.zone.name,
        "municipality": signup.municipality.name,
        "group": signup.group.name if signup.group else None,
        "proposed_group_name": signup.proposed_group_name,
        "proposed_area": signup.proposed_area,
        "first_name": signup.first_name,
        "last_name": signup.last_name,
        "street": signup.street_name,
        "house_number": signup.house_number,
        "box": signup.box,
        "postcode": signup.postcode,
        "phone": _phone(signup.phone),
        "email": signup.email,
        "new_email_waiting_for_confirmation": signup.pending_email,
        "email_changed_at": signup.email_changed_at,
        "language": signup.language,
        "house_rules_accepted": {
            "version": signup.house_rules.version,
            "title": signup.house_rules.title,
            "at": signup.house_rules_accepted_at,
        },
        "privacy_notice_accepted_at": signup.privacy_accepted_at,
        "address_outside_the_groups_region": signup.outside_region,
        "submitted_at": signup.created_at,
        "email_confirmed_at": signup.confirmed_at,
        "decided_at": signup.decided_at,
        "decided_by": _username(signup.decided_by),
        "decision_reason": signup.decision_reason,
        "added_to_whatsapp_at": signup.added_to_whatsapp_at,
        "ended_at": signup.ended_at,
        "history": [
            {
                "from": change.from_status,
                "to": change.to_status,
                "at": change.created_at,
                "by": _username(change.actor),
                "reason": change.reason,
            }
            for change in signup.status_changes.select_related("actor")
        ],
        "asked_to_accept_new_house_rules": [
            {"version": request.house_rules.version, "at": request.created_at}
            for request in signup.reacceptance_requests.select_related(
                "house_rules"
            ).order_by("created_at")
        ],
        "member_list_exports": _exports_of_member(signup, by=by),
        "kept_for_the_coordinators_until_removed_from_whatsapp": _kept_export(signup),
    }


def _kept_export(signup: Signup) -> dict | None:
    kept = kept_for_removal(signup)
    if kept is None:
        return None
    return {
        "first_name": kept.first_name,
        "last_name": kept.last_name,
        "phone": _phone(kept.phone),
        "withdrawn_at": kept.withdrawn_at,
    }


def _as_export(
    data: PersonData, *, query: PersonQuery, record: PrivacyRequest, by: User
) -> dict:
    return {
        "portal": "WABP",
        "privacy_request": record.pk,
        "exported_at": record.handled_at,
        "exported_by": _username(record.handled_by),
        "searched_for": {
            "email": query.email,
            "phone": _phone(query.phone),
        },
        "signups": [_signup_export(signup, by=by) for signup in data.signups],
        "coordinator_entries": [
            {
                "number": coordinator.pk,
                "police_zone": coordinator.zone.name,
                "first_name": coordinator.first_name,
                "last_name": coordinator.last_name,
                "email": coordinator.email,
                "phone": _phone(coordinator.phone),
                "groups": sorted(group.name for group in coordinator.groups.all()),
                "listed_publicly": coordinator.listed_publicly,
                "shares_contact": coordinator.shares_contact,
                "notification_mode": coordinator.notification_mode,
                "active": coordinator.is_active,
            }
            for coordinator in data.coordinators
        ],
        "logins": [
            {
                "username": user.get_username(),
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "active": user.is_active,
                "joined_at": user.date_joined,
                "last_login_at": user.last_login,
            }
            for user in data.logins
        ],
        "waiting_list_for_a_group": [
            {
                "number": entry.pk,
                "police_zone": entry.municipality.zone.name,
                "municipality": entry.municipality.name,
                "street": entry.street_name,
                "house_number": entry.house_number,
                "email": entry.email,
                "language": entry.language,
                "submitted_at": entry.created_at,
                "email_confirmed_at": entry.confirmed_at,
                "told_of_a_group_at": entry.notified_at,
            }
            for entry in data.waiting_list
        ],
        "group_handovers_offered": [
            {
                "number": handover.pk,
                "police_zone": handover.group.municipality.zone.name,
                "group": handover.group.name,
                "first_name": handover.first_name,
                "last_name": handover.last_name,
                "email": handover.email,
                "phone": _phone(handover.phone),
                "offered_at": handover.created_at,
                "valid_until": handover.expires_at,
                "accepted_at": handover.accepted_at,
                "cancelled_at": handover.cancelled_at,
            }
            for handover in data.handovers
        ],
        "emails": [
            {
                "number": mail.pk,
                "to": list(mail.to),
                "cc": list(mail.cc),
                "subject": mail.subject,
                "status": mail.get_status_display() if mail.status is not None else "",
                "created_at": mail.created,
                "last_changed_at": mail.last_updated,
                "text": mail.message,
                "html": mail.html_message,
            }
            for mail in data.mails
        ],
    }
