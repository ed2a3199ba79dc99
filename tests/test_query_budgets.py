"""Query budgets: no page's number of queries grows with the number of rows.

Every public page, every admin list on the admin site (found in
``admin.site._registry``, so a list added later is measured as soon as it
exists), the admin index, the statistics and the autocomplete endpoints are
requested as a superuser, the staff of a police zone and a coordinator.

The data set is built once per module, in a transaction rolled back at the
end. It starts at size N (one batch of rows of every kind, see ``_add_batch``),
every page is measured, then two more batches bring it to 3N and every test
measures its page again: the two counts must be equal (``GROWTH_ALLOWED``
lists the exceptions and why) and within the page's budget in ``BUDGETS``.
A batch adds, in the scope the staff and the coordinator see, a
municipality, streets, regions, groups, coordinators listed publicly, signups
in every status, house rules, meetings, downloads, exports, privacy requests,
undelivered mail and audit-log entries; and a police zone of their own that
only the superuser sees.

Each measured request is the second of two (the first fills what a running
process keeps: the session's last activity, the content types), with the
cache emptied in between, so cached fragments of the public pages do not
hide the queries of their cold path. The staff member and the coordinator
are made as conftest's ``zone_staff`` and ``coordinator_user`` make theirs
(``add_zone_staff``, ``link_coordinator_login``); those fixtures are
per test, this data set per module. They log in with ``force_login``:
two-step verification is off in tests (``TWO_FACTOR_REQUIRED``), as in
tests/test_audit_actions.py.

SQLite and PostgreSQL count the same queries for these pages.
"""

import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import timedelta
from http import HTTPStatus
from urllib.parse import urlencode, urlsplit

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.cache import cache
from django.core.paginator import UnorderedObjectListWarning
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from post_office.models import STATUS, Attachment, Email, EmailTemplate, Log

from groups import public as groups_public
from groups.constants import MeetingResponse
from groups.models import (
    Coordinator,
    Handover,
    Municipality,
    PoliceZone,
    RegionStreet,
    Street,
    StreetImport,
    WhatsAppGroup,
)
from groups.services import (
    add_zone_staff,
    link_coordinator_login,
    mark_read,
    send_message,
)
from groups.services.meetings import RESPONSE_SALT
from registrations.constants import (
    DECIDED_STATUSES,
    ExportKind,
    PrivacyRequestKind,
    ReminderKind,
    RemovalReason,
    SignupRole,
    SignupStatus,
)
from registrations.models import (
    ExportRecord,
    HouseRules,
    MemberToRemove,
    PrivacyRequest,
    ReacceptanceRequest,
    Reconfirmation,
    Reminder,
    Signup,
    StatusChange,
    WaitingListEntry,
    WithdrawnMember,
)
from registrations.notifications import (
    CONFIRM_SALT,
    MY_SIGNUP_SALT,
    REACCEPT_SALT,
    WAITING_LIST_CONFIRM_SALT,
    WAITING_LIST_LEAVE_SALT,
    WITHDRAW_SALT,
    email_change_link,
)
from tests.factories import (
    ApplicationFactory,
    CoordinatorFactory,
    DownloadFactory,
    HouseRulesFactory,
    MeetingFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    RegionFactory,
    SignupFactory,
    StreetFactory,
    UmbrellaGroupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)
from wabp_portal.mail.queue import ZONE_HEADER

pytestmark = pytest.mark.django_db

USERS = ("superuser", "staff", "coordinator")
OUR_APPS = ("groups", "registrations", "wabp_portal")
GROUP = "Buurtgroep"  # how the name of each neighbourhood group starts
# A user who may not open a page gets one of these; it is not measured.
REFUSED = {HTTPStatus.FOUND, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND}

# The most queries each page may make, as measured at 3N (SQLite and
# PostgreSQL alike). Public pages: one number (an anonymous resident). Admin
# pages: (superuser, police-zone staff, coordinator); None where that user
# may not open the page. A page missing here fails with its measured count.
BUDGETS: dict[str, int | tuple[int | None, int | None, int | None]] = {
    # Public pages, for an anonymous resident.
    # A table of groups: the groups, their listed coordinators, the streets
    # they cover (and the municipalities, the count of groups at home).
    "home": 5,
    "home-municipality-index": 2,
    "municipality": 4,
    "finder": 0,
    "finder-group-found": 4,
    "finder-same-street-in-several-municipalities": 4,
    "finder-several-streets-match": 1,
    # The streets matching, then those spelt close.
    "finder-nothing-found": 2,
    "finder-did-you-mean": 2,
    # No group covers the address: the groups nearby, theirs coordinators
    # and streets.
    "finder-no-group-nearby": 5,
    # The postcode's municipality, its groups, theirs.
    "finder-postcode": 4,
    "street-suggestions": 1,
    "signup-choose-municipality": 4,
    "signup": 7,
    "signup-for-a-group": 7,
    "signup-refused": 7,
    "signup-sent": 0,
    "signup-confirm": 1,
    "signup-withdraw": 1,
    "signup-withdrawn": 0,
    "house-rules": 3,
    "house-rules-version": 3,
    "house-rules-accept": 2,
    "my-signup": 1,
    "my-signup-phone": 1,
    "my-signup-email": 1,
    "my-signup-withdraw": 1,
    "my-signup-email-confirm": 1,
    "privacy": 1,
    "waiting-list": 2,
    "waiting-list-from-finder": 2,
    "waiting-list-sent": 0,
    "waiting-list-confirm": 1,
    "waiting-list-leave": 1,
    "meeting-response": 1,
    # Admin pages:  (superuser, staff, coordinator). A scope of groups or
    # signups (visible_to) costs staff and coordinators two small queries
    # each time it is built: their municipalities and groups, named by id so
    # that the big tables are read through their indexes.
    "index": (8, 17, 11),  # +1: published groups without streets (staff)
    "statistics": (12, 19, None),
    "statistics-one-municipality": (12, 19, None),
    "privacy-requests": (2, 5, None),
    "coverage": (14, 21, None),
    "autocomplete:groups.coordinator.user": (4, None, None),
    "autocomplete:groups.groupcoordinator.coordinator": (4, 6, 6),
    "autocomplete:groups.regionstreet.street": (4, 6, None),
    "autocomplete:groups.whatsappgroup.region": (4, 6, None),
    "autocomplete:post_office.attachment.emails": (4, None, None),
    "autocomplete:post_office.attachment_emails.attachment": (4, None, None),
    "umbrella": (None, None, 8),
    # Admin lists (changelists):  (superuser, staff, coordinator).
    "auditlog.logentry": (8, 12, None),
    "auth.group": (5, None, None),
    "auth.user": (6, None, None),
    "axes.accessattempt": (8, None, None),
    "axes.accessfailurelog": (8, None, None),
    "axes.accesslog": (8, None, None),
    "groups.coordinator": (7, 14, 13),
    "groups.download": (6, 8, None),
    "groups.handover": (4, 6, 6),
    "groups.meeting": (8, 10, None),
    # Staff: the recipients and read counts in one query; a coordinator:
    # their own read mark as a subquery.
    "groups.message": (5, 8, 7),
    "groups.municipality": (5, 7, None),
    "groups.policezone": (5, 7, None),
    "groups.region": (6, 8, None),
    "groups.street": (6, 8, None),
    "groups.streetimport": (6, 8, None),
    "groups.whatsappgroup": (6, 14, 14),
    "otp_totp.totpdevice": (5, None, None),
    "post_office.attachment": (5, None, None),
    "post_office.email": (7, None, None),
    "post_office.log": (5, None, None),
    "registrations.exportrecord": (5, 9, None),
    "registrations.groupapplication": (5, 11, None),
    "registrations.houserules": (6, 8, None),
    # The house-rules version filter lists the versions: one query.
    "registrations.member": (6, 12, 12),
    "registrations.membertoremove": (5, 11, 11),
    "registrations.pendingsignup": (5, 11, 11),
    "registrations.privacyrequest": (5, 7, None),
    "registrations.signup": (7, 13, 13),
    "registrations.withdrawnmember": (5, 11, 11),
    "registrations.waitinglistentry": (7, 9, None),
    "wabp_portal.undeliveredmail": (4, 7, None),
}

# Pages whose count may be higher at 3N than at N: by how much, and why.
GROWTH_ALLOWED: dict[str, tuple[int, str]] = {}

# Pages that do make more queries for more rows, in code that is not ours to
# change: the test expects the failure (xfail) until it is fixed upstream.
KNOWN_GROWTH: dict[str, str] = {}

# Lists whose rows do not grow with the data set, and why.
FIXED_ROWS: dict[str, str] = {
    "superuser/auth.group": "the roles, made by a data migration",
    "staff/groups.policezone": "the staff member's own zone",
    "coordinator/groups.coordinator": "a coordinator sees only their own row",
    "coordinator/autocomplete:groups.groupcoordinator.coordinator": (
        "a coordinator sees only their own row"
    ),
}

# How many batches of rows make N, and how many 3N.
BATCHES_N = 1
BATCHES_3N = 3


# --- the data set ---------------------------------------------------------------


@dataclass
class World:
    """The rows every page is measured against, and who looks at them."""

    zone: PoliceZone  # the staff's zone; the coordinator's groups lie in it
    municipality: Municipality  # the coordinator's; grows a group per batch
    coordinator: Coordinator
    users: dict[str, User]
    rules: HouseRules  # the zone's current house rules
    pks: dict[str, int] = field(default_factory=dict)
    clients: dict[str | None, Client] = field(default_factory=dict)
    # (user or None, page) -> the measurement at N
    at_n: dict[tuple[str | None, str], "Measured"] = field(default_factory=dict)


def _signups(group: WhatsAppGroup, rules: HouseRules) -> list[Signup]:
    """One participant in every status, unsaved."""
    now = timezone.now()
    signups = []
    for status in SignupStatus.values:
        gone = status == SignupStatus.WITHDRAWN
        signups.append(
            SignupFactory.build(
                group=group,
                municipality=group.municipality,
                house_rules=rules,
                status=status,
                confirmed_at=None if status == SignupStatus.UNCONFIRMED else now,
                decided_at=now if status in DECIDED_STATUSES else None,
                **({"first_name": "", "phone": "", "email": ""} if gone else {}),
            )
        )
    return signups


def _network(
    municipality: Municipality,
    rules: HouseRules,
    *,
    covered: Street,
    tag: str,
    coordinators: list[Coordinator],
) -> list[Signup]:
    """A region over ``covered`` and a street of its own, its group, signups."""
    own, _uncovered = Street.objects.bulk_create(
        StreetFactory.build(municipality=municipality, name=f"{name} {tag}")
        for name in ("Schoolstraat", "Veldstraat")
    )
    region = RegionFactory(municipality=municipality, name=f"Wijk {tag}")
    RegionStreet.objects.bulk_create(
        [
            RegionStreet(region=region, street=covered),
            RegionStreet(region=region, street=own),
        ]
    )
    group = WhatsAppGroupFactory(
        municipality=municipality, region=region, name=f"{GROUP} {tag}"
    )
    Coordinator.groups.through.objects.bulk_create(
        Coordinator.groups.through(coordinator=each, whatsappgroup=group)
        for each in coordinators
    )
    return Signup.objects.bulk_create(_signups(group, rules))


def _coordinator(zone: PoliceZone) -> Coordinator:
    """A coordinator listed in the public table, with a login."""
    coordinator = CoordinatorFactory(zone=zone, listed_publicly=True)
    return link_coordinator_login(coordinator, user=UserFactory())


def _municipality(zone: PoliceZone, rules: HouseRules, tag: str) -> list[Signup]:
    """A municipality with a network of its own, an umbrella group, an application."""
    municipality = MunicipalityFactory(zone=zone)
    kerkstraat = StreetFactory(municipality=municipality, name="Kerkstraat")
    coordinator = _coordinator(zone)
    signups = _network(
        municipality, rules, covered=kerkstraat, tag=tag, coordinators=[coordinator]
    )
    UmbrellaGroupFactory(municipality=municipality).coordinators.add(coordinator)
    application = ApplicationFactory.build(municipality=municipality, house_rules=rules)
    return [*signups, *Signup.objects.bulk_create([application])]


def _zone_rows(zone: PoliceZone, staff: User, signups: list[Signup], k: int) -> None:
    """What a zone holds besides its table: meetings, mail, records, the log."""
    now = timezone.now()
    StatusChange.objects.bulk_create(
        StatusChange(
            signup=each, from_status=SignupStatus.UNCONFIRMED, to_status=each.status
        )
        for each in signups
        if each.status != SignupStatus.UNCONFIRMED
    )
    HouseRulesFactory(zone=zone, version=10 + k, is_current=False)
    # Residents waiting for a group on a street of their own (no region
    # covers it): one told already, one waiting, one yet to confirm.
    street = StreetFactory(municipality=signups[0].municipality, name=f"Wachtweg {k}")
    WaitingListEntry.objects.bulk_create(
        WaitingListEntry(
            municipality=street.municipality,
            street=street,
            street_name=street.name,
            street_key=street.search_name,
            email=f"wachtend{index}-{k}-{zone.pk}@example.be",
            confirmed_at=None if index == 2 else now,
            notified_at=now if index == 0 else None,
        )
        for index in range(3)
    )
    # A street list imported by staff, a line of it refused.
    StreetImport.objects.create(
        municipality=street.municipality,
        file_name=f"straten-{k}.csv",
        status="done",
        total_rows=2,
        created_count=1,
        refused_count=1,
        refused=[[3, "Postcode: 3500"]],
        created_by=staff,
    )
    # The name and number kept for the coordinators of a member who withdrew.
    WithdrawnMember.objects.bulk_create(
        WithdrawnMember(
            signup=each,
            group=each.group,
            first_name="Lid",
            last_name=f"Uitgeschreven {k}",
            phone=f"+3247099{k:04d}",
            withdrawn_at=now,
        )
        for each in signups
        if each.status == SignupStatus.WITHDRAWN
    )
    approved = [each for each in signups if each.status == SignupStatus.APPROVED]
    # Members asked whether they still live here, and on their coordinators'
    # list of members to remove.
    Reconfirmation.objects.bulk_create(
        Reconfirmation(signup=each, asked_at=now) for each in approved
    )
    MemberToRemove.objects.bulk_create(
        MemberToRemove(signup=each, group=each.group, reason=RemovalReason.NO_ANSWER)
        for each in approved
        if each.group_id
    )
    current = HouseRules.objects.get(zone=zone, is_current=True)
    ReacceptanceRequest.objects.bulk_create(
        ReacceptanceRequest(signup=each, house_rules=current) for each in approved
    )
    coordinators = list(Coordinator.objects.filter(zone=zone))
    meeting = MeetingFactory(zone=zone, starts_at=now + timedelta(days=30 + k))
    meeting.invitations.bulk_create(
        meeting.invitations.model(
            meeting=meeting,
            coordinator=each,
            response=MeetingResponse.YES if index % 2 else "",
            responded_at=now if index % 2 else None,
        )
        for index, each in enumerate(coordinators)
    )
    Reminder.objects.bulk_create(
        Reminder(coordinator=each, kind=ReminderKind.PENDING, day=now.date())
        for each in coordinators
        if not each.reminders.exists()
    )
    # A file name, not a file: nothing is written to MEDIA_ROOT.
    DownloadFactory.build(zone=zone, file=f"downloads/{zone.pk}-{k}.pdf").save()
    export = ExportRecord.objects.create(user=staff, kind=ExportKind.CSV, count=1)
    export.groups.set(WhatsAppGroup.objects.filter(municipality__zone=zone))
    PrivacyRequest.objects.bulk_create(
        PrivacyRequest(kind=kind, zone=zone, handled_by=staff, signup_count=1)
        for kind in PrivacyRequestKind.values
    )
    mails = Email.objects.bulk_create(
        Email(
            from_email="wabp@example.be",
            to=[f"bewoner-{zone.pk}-{k}-{status}@example.be"],
            subject=f"Uw inschrijving {k}",
            message="…",
            status=status,
            number_of_retries=3,
            headers={ZONE_HEADER: str(zone.pk)},
        )
        for status in (STATUS.failed, STATUS.requeued, STATUS.sent)
    )
    Log.objects.bulk_create(
        Log(email=mail, status=STATUS.failed, exception_type="SMTPError", message="…")
        for mail in mails
        for _attempt in range(2)
    )
    content_type = ContentType.objects.get_for_model(Signup)
    LogEntry.objects.bulk_create(
        LogEntry(
            content_type=content_type,
            object_pk=str(each.pk),
            object_id=each.pk,
            object_repr=str(each.pk),
            action=LogEntry.Action.ACCESS,
            actor=staff,
            additional_data={"zone": zone.pk},
        )
        for each in signups
    )


def _logins(k: int, users: list[User]) -> None:
    """Rows of the third-party admins: devices, login attempts, mail templates."""
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=user, name="authenticator", confirmed=True) for user in users
    )
    attempt = {
        "user_agent": "Firefox",
        "ip_address": f"192.0.2.{k + 1}",
        "http_accept": "text/html",
        "path_info": "/admin/login/",
    }
    for user in users:
        AccessAttempt.objects.create(
            **attempt,
            username=user.username,
            get_data="",
            post_data="",
            failures_since_start=2,
        )
        AccessLog.objects.create(**attempt, username=user.username)
        AccessFailureLog.objects.create(**attempt, username=user.username)
    EmailTemplate.objects.create(name=f"template-{k}", subject="Onderwerp")
    Attachment.objects.create(file=f"attachments/{k}.pdf", name=f"{k}.pdf")


def _add_batch(world: World, k: int) -> None:
    """One batch: in the zone, a municipality and a group of the coordinator;
    and a police zone of its own that only the superuser sees."""
    zone, staff = world.zone, world.users["staff"]
    motstraat = Street.objects.get(pk=world.pks["motstraat"])
    colleague = _coordinator(zone)
    signups = _network(
        world.municipality,
        world.rules,
        covered=motstraat,
        tag=f"A{k}",
        coordinators=[world.coordinator, colleague],
    )
    # The coordinator offers their new group to a successor.
    Handover.objects.create(
        group=signups[0].group,
        from_coordinator=world.coordinator,
        first_name="Opvolger",
        last_name=f"A{k}",
        email=f"opvolger{k}@example.be",
        expires_at=timezone.now() + timedelta(days=14),
    )
    # The staff write to the zone's coordinators; the coordinator reads it.
    message = send_message(zone, by=staff, subject=f"Bericht A{k}", body="Tekst")
    mark_read(message, by=world.coordinator.user)
    signups += _municipality(zone, world.rules, f"B{k}")
    _zone_rows(zone, staff, signups, k)

    other = PoliceZoneFactory()
    other_staff = UserFactory()
    add_zone_staff(other, user=other_staff)
    other_rules = HouseRulesFactory(zone=other, version=2)
    other_signups = _municipality(other, other_rules, f"C{k}")
    _zone_rows(other, other_staff, other_signups, k)
    _logins(k, [staff, other_staff, colleague.user])


def _build() -> World:
    zone = PoliceZoneFactory(name="PZ Aquila")
    municipality = MunicipalityFactory(zone=zone, name="Aquilagem", slug="aquilagem")
    motstraat = StreetFactory(municipality=municipality, name="Motstraat")
    staff = UserFactory()
    add_zone_staff(zone, user=staff)
    coordinator = _coordinator(zone)
    world = World(
        zone=zone,
        municipality=municipality,
        coordinator=coordinator,
        rules=HouseRulesFactory(zone=zone, version=100),
        users={
            "superuser": UserFactory(is_superuser=True, is_staff=True),
            "staff": staff,
            "coordinator": coordinator.user,
        },
        pks={"motstraat": motstraat.pk},
    )
    HouseRulesFactory(zone=zone, version=1, is_current=False)
    _add_batch(world, 0)

    signup = Signup.objects.filter(group__in=coordinator.groups.all())
    invitation = coordinator.meeting_invitations.get()
    world.pks.update(
        group=coordinator.groups.get().pk,
        older_rules=HouseRules.objects.get(zone=zone, version=1).pk,
        pending=signup.get(status=SignupStatus.PENDING).pk,
        approved=signup.get(status=SignupStatus.APPROVED).pk,
        invitation=invitation.pk,
        waiting=WaitingListEntry.objects.filter(
            municipality__zone=zone, confirmed_at__isnull=True
        )
        .values_list("pk", flat=True)
        .first(),
    )
    # A resident who asked to use another e-mail address.
    changing = signup.get(status=SignupStatus.PENDING)
    changing.pending_email = "nieuw-adres@example.be"
    changing.pending_email_requested_at = timezone.now()
    changing.save()
    world.pks["email_changing"] = changing.pk
    world.clients[None] = Client()
    for name, user in world.users.items():
        world.clients[name] = Client()
        world.clients[name].force_login(user)
    return world


# --- the pages --------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """One request: a GET, or a POST when there is data."""

    path: str
    data: dict | None = None
    settings: dict = field(default_factory=dict)
    # What the page shows once per row (a group's name, a street's link),
    # to tell that it shows more rows at 3N.
    rows: str | None = None
    # A third-party admin that pages an unordered list (a RuntimeWarning,
    # an error in this suite); the budget is what is measured here.
    unordered: bool = False


def token(world: World, name: str, salt: str) -> str:
    return signing.dumps(world.pks[name], salt=salt)


def _refused_signup(world: World) -> dict:
    """A signup without the house rules accepted: the form comes back."""
    return {
        "role": SignupRole.PARTICIPANT,
        "group": world.pks["group"],
        "municipality": world.municipality.pk,
        "first_name": "Els",
        "last_name": "Peeters",
        "street_name": "Motstraat",
        "house_number": "12",
        "postcode": world.municipality.postcode_list[0],
        "phone": "0470 12 34 56",
        "email": "els.peeters@example.be",
        "house_rules": world.rules.pk,
        "accept_privacy": "on",
    }


PUBLIC_PAGES: dict[str, Callable[[World], Visit]] = {
    "home": lambda w: Visit(reverse("groups:home"), rows=GROUP),
    # Above HOME_TABLE_GROUPS published groups, the home page lists the
    # municipalities instead of the whole table.
    "home-municipality-index": lambda w: Visit(
        reverse("groups:home"), settings={"HOME_TABLE_GROUPS": 1}, rows="/gemeente/"
    ),
    "municipality": lambda w: Visit(
        reverse("groups:municipality", kwargs={"slug": w.municipality.slug}),
        rows=GROUP,
    ),
    "finder": lambda w: Visit(reverse("groups:finder")),
    # Every batch adds a group whose region covers Motstraat.
    "finder-group-found": lambda w: Visit(
        reverse("groups:finder"), data={"straat": "Motstraat", "nummer": 12}, rows=GROUP
    ),
    # Every municipality has a Kerkstraat, covered by its own group.
    "finder-same-street-in-several-municipalities": lambda w: Visit(
        reverse("groups:finder"), data={"straat": "Kerkstraat", "nummer": 3}, rows=GROUP
    ),
    # Every network has a Schoolstraat of its own: which one?
    "finder-several-streets-match": lambda w: Visit(
        reverse("groups:finder"), data={"straat": "school"}, rows="finder-choice"
    ),
    "finder-nothing-found": lambda w: Visit(
        reverse("groups:finder"), data={"straat": "Nergenslaan", "nummer": 1}
    ),
    # Every municipality has a Kerkstraat: the closest five are offered.
    "finder-did-you-mean": lambda w: Visit(
        reverse("groups:finder"),
        data={"straat": "Kerkstrat", "nummer": 3},
        rows="finder-suggestion",
    ),
    # Every batch adds a group to the municipality; its Veldstraat has none.
    "finder-no-group-nearby": lambda w: Visit(
        reverse("groups:finder"),
        data={"straat": "Veldstraat A0", "nummer": 1},
        rows=GROUP,
    ),
    "finder-postcode": lambda w: Visit(
        reverse("groups:finder"),
        data={"postcode": w.municipality.postcode_list[0]},
        rows=GROUP,
    ),
    "street-suggestions": lambda w: Visit(
        reverse("groups:street-suggestions") + "?q=kerk"
    ),
    # Several zones take signups: the form asks the municipality first.
    "signup-choose-municipality": lambda w: Visit(
        reverse("registrations:signup"), rows="Gemeente "
    ),
    "signup": lambda w: Visit(
        reverse("registrations:signup") + f"?gemeente={w.municipality.pk}",
        rows=GROUP,
    ),
    "signup-for-a-group": lambda w: Visit(
        reverse("registrations:signup")
        + "?"
        + urlencode({"groep": w.pks["group"], "gemeente": w.municipality.pk}),
        rows=GROUP,
    ),
    "signup-refused": lambda w: Visit(
        reverse("registrations:signup"), data=_refused_signup(w), rows=GROUP
    ),
    "signup-sent": lambda w: Visit(reverse("registrations:signup-sent")),
    "signup-confirm": lambda w: Visit(
        reverse(
            "registrations:signup-confirm",
            kwargs={"token": token(w, "pending", CONFIRM_SALT)},
        )
    ),
    "signup-withdraw": lambda w: Visit(
        reverse(
            "registrations:signup-withdraw",
            kwargs={"token": token(w, "approved", WITHDRAW_SALT)},
        )
    ),
    "signup-withdrawn": lambda w: Visit(reverse("registrations:signup-withdrawn")),
    "house-rules": lambda w: Visit(
        reverse("registrations:house-rules") + f"?zone={w.zone.pk}", rows="/versie/"
    ),
    "house-rules-version": lambda w: Visit(
        reverse("registrations:house-rules-version", args=[w.pks["older_rules"]]),
        rows="/versie/",
    ),
    "house-rules-accept": lambda w: Visit(
        reverse(
            "registrations:house-rules-accept",
            kwargs={"token": token(w, "approved", REACCEPT_SALT)},
        )
    ),
    "my-signup": lambda w: Visit(
        reverse(
            "registrations:my-signup",
            kwargs={"token": token(w, "approved", MY_SIGNUP_SALT)},
        )
    ),
    "my-signup-phone": lambda w: Visit(
        reverse(
            "registrations:my-signup-phone",
            kwargs={"token": token(w, "approved", MY_SIGNUP_SALT)},
        )
    ),
    "my-signup-email": lambda w: Visit(
        reverse(
            "registrations:my-signup-email",
            kwargs={"token": token(w, "approved", MY_SIGNUP_SALT)},
        )
    ),
    "my-signup-withdraw": lambda w: Visit(
        reverse(
            "registrations:my-signup-withdraw",
            kwargs={"token": token(w, "approved", MY_SIGNUP_SALT)},
        )
    ),
    "my-signup-email-confirm": lambda w: Visit(
        urlsplit(email_change_link(Signup.objects.get(pk=w.pks["email_changing"]))).path
    ),
    "privacy": lambda w: Visit(reverse("registrations:privacy"), rows="PZ "),
    "waiting-list": lambda w: Visit(
        reverse("registrations:waiting-list"), rows="<option"
    ),
    "waiting-list-from-finder": lambda w: Visit(
        reverse("registrations:waiting-list-from-finder"),
        data={"gemeente": w.municipality.pk, "straat": "Nergenslaan"},
        rows="<option",
    ),
    "waiting-list-sent": lambda w: Visit(reverse("registrations:waiting-list-sent")),
    "waiting-list-confirm": lambda w: Visit(
        reverse(
            "registrations:waiting-list-confirm",
            kwargs={"token": token(w, "waiting", WAITING_LIST_CONFIRM_SALT)},
        )
    ),
    "waiting-list-leave": lambda w: Visit(
        reverse(
            "registrations:waiting-list-leave",
            kwargs={"token": token(w, "waiting", WAITING_LIST_LEAVE_SALT)},
        )
    ),
    "meeting-response": lambda w: Visit(
        reverse(
            "groups:meeting-response",
            kwargs={"token": token(w, "invitation", RESPONSE_SALT)},
        )
    ),
}


def _autocomplete_fields() -> list[tuple[str, str, str]]:
    """Every (app label, model, field) an admin form looks up as you type."""
    found = set()
    for model_admin in admin.site._registry.values():
        for each in [model_admin, *model_admin.inlines]:
            opts = each.model._meta
            for name in each.autocomplete_fields:
                found.add((opts.app_label, opts.model_name, name))
    return sorted(found)


def _autocomplete(app_label: str, model_name: str, field_name: str):
    query = {"app_label": app_label, "model_name": model_name}
    query.update(field_name=field_name, term="")
    url = reverse("admin:autocomplete") + "?" + urlencode(query)
    return lambda w: Visit(url, unordered=app_label not in OUR_APPS)


ADMIN_PAGES: dict[str, Callable[[World], Visit]] = {
    "index": lambda w: Visit(reverse("admin:index"), rows=GROUP),
    "statistics": lambda w: Visit(reverse("statistics"), rows=GROUP),
    "statistics-one-municipality": lambda w: Visit(
        reverse("statistics") + f"?gemeente={w.municipality.slug}", rows=GROUP
    ),
    "privacy-requests": lambda w: Visit(reverse("privacy-requests")),
    "coverage": lambda w: Visit(reverse("coverage"), rows="<tr"),
    "umbrella": lambda w: Visit(reverse("groups:umbrella"), rows=GROUP),
    **{
        f"autocomplete:{'.'.join(key)}": _autocomplete(*key)
        for key in _autocomplete_fields()
    },
}


def _changelist(model) -> Callable[[World], Visit]:
    opts = model._meta
    return lambda w: Visit(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    )


CHANGELISTS: dict[str, Callable[[World], Visit]] = {
    model._meta.label_lower: _changelist(model)
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label_lower)
}
ALL_ADMIN_PAGES = {**ADMIN_PAGES, **CHANGELISTS}


# --- measuring ----------------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    status: int | None
    queries: list[str]
    rows: int | None = None  # what a list or autocomplete answer holds
    error: str = ""

    @property
    def count(self) -> int:
        return len(self.queries)


def send(client: Client, visit: Visit):
    with override_settings(**visit.settings), warnings.catch_warnings():
        if visit.unordered:
            warnings.simplefilter("ignore", UnorderedObjectListWarning)
        if visit.data is not None:
            return client.post(visit.path, visit.data)
        return client.get(visit.path)


def rows_of(response, visit: Visit) -> int | None:
    """The rows a page shows: found by a changelist, answered in JSON, or
    the times the page shows ``visit.rows``."""
    if response.status_code != HTTPStatus.OK:
        return None
    if response.context and "cl" in response.context:
        return response.context["cl"].result_count
    if response.get("Content-Type") == "application/json":
        answer = response.json()
        return len(answer.get("results") or answer.get("streets") or ())
    if visit.rows:
        return response.content.decode().count(visit.rows)
    return None


def cold(client: Client, visit: Visit, counter: AbstractContextManager) -> Measured:
    """The queries of ``visit`` with an empty cache, in a warmed-up process."""
    send(client, visit)
    cache.clear()
    with counter as captured:
        response = send(client, visit)
    queries = [query["sql"] for query in captured.captured_queries]
    return Measured(response.status_code, queries, rows_of(response, visit))


def measure(client: Client, visit: Visit) -> Measured:
    try:
        return cold(client, visit, CaptureQueriesContext(connection))
    except Exception as error:  # reported by the page's test, not the fixture
        return Measured(None, [], error=repr(error))


def _shape(sql: str) -> str:
    """A statement without its values, so repeats of one query look alike."""
    sql = re.sub(
        r'^SELECT (?:"\w+"\."\w+"(?: AS "\w+")?,? ?)+ FROM', "SELECT … FROM", sql
    )
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    return re.sub(r"\((?:\s*(?:%s|\?)\s*,?)+\)", "(…)", sql)


def growth(at_n: list[str], at_3n: list[str]) -> str:
    """The statements made more often at 3N than at N, shortened."""
    before, after = Counter(map(_shape, at_n)), Counter(map(_shape, at_3n))
    lines = [
        f"  {before[sql]} → {after[sql]}×  {sql[:240]}"
        for sql in after
        if after[sql] > before[sql]
    ]
    return "\n".join(lines) or "  (no statement repeats more often)"


def budget_of(page: str, user: str | None) -> int | None:
    budget = BUDGETS.get(page)
    if user is None or budget is None:
        return budget
    return budget[USERS.index(user)]


@pytest.fixture(autouse=True)
def finder_shows_every_municipality(monkeypatch):
    """The finder here shows a street's groups in every municipality.

    It normally asks which one is meant above a few (FINDER_MUNICIPALITIES);
    the data set adds a municipality with the same street in each batch, and
    the page must show more rows at 3N for the comparison to mean anything.
    """
    monkeypatch.setattr(groups_public, "FINDER_MUNICIPALITIES", 10_000)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        world = _build()
        for k in range(1, BATCHES_N):
            _add_batch(world, k)
        for page, visit in PUBLIC_PAGES.items():
            world.at_n[None, page] = measure(world.clients[None], visit(world))
        for user in USERS:
            for page, visit in ALL_ADMIN_PAGES.items():
                world.at_n[user, page] = measure(world.clients[user], visit(world))
        for k in range(BATCHES_N, BATCHES_3N):
            _add_batch(world, k)
        yield world
        transaction.set_rollback(True)


def check_growth(key: str, at_n: Measured, at_3n: Measured) -> None:
    """The page makes as many queries at 3N as at N, for more rows."""
    assert at_3n.status == HTTPStatus.OK, f"{key} answered {at_3n.status} at 3N"
    if key in FIXED_ROWS:
        assert at_3n.rows == at_n.rows, f"{key}: remove it from FIXED_ROWS"
    elif at_n.rows is not None:
        assert at_3n.rows > at_n.rows, (
            f"{key} lists {at_n.rows} rows at N and {at_3n.rows} at 3N: "
            "give it more rows in _add_batch, or the comparison proves nothing"
        )
    report = f"{key}: {at_n.count} queries at N, {at_3n.count} at 3N:\n" + growth(
        at_n.queries, at_3n.queries
    )
    if key in KNOWN_GROWTH:
        assert at_3n.count > at_n.count, (
            f"{key} no longer grows: remove it from KNOWN_GROWTH"
        )
        pytest.xfail(f"{KNOWN_GROWTH[key]}\n{report}")
    assert at_3n.count <= at_n.count + GROWTH_ALLOWED.get(key, (0, ""))[0], report


def check_page(world: World, user: str | None, page: str, visit: Visit, assert_max):
    """Measure ``page`` at 3N against its budget and its count at N."""
    key = f"{user}/{page}" if user else page
    at_n = world.at_n[user, page]
    assert not at_n.error, f"{key} failed at N: {at_n.error}"
    client = world.clients[user]
    budget = budget_of(page, user)
    if user and at_n.status in REFUSED:
        at_3n = cold(client, visit, CaptureQueriesContext(connection))
        assert at_3n.status == at_n.status
        assert budget is None, f"{key} has a budget but answers {at_n.status}"
        pytest.skip(f"{user} may not open {page} ({at_n.status})")
    assert at_n.status == HTTPStatus.OK, f"{key} answered {at_n.status} at N"
    if budget is None:
        at_3n = cold(client, visit, CaptureQueriesContext(connection))
        pytest.fail(
            f"{key} has no budget: add it to BUDGETS "
            f"({at_n.count} queries at N, {at_3n.count} at 3N; "
            f"rows {at_n.rows} at N, {at_3n.rows} at 3N)"
        )
    try:
        with assert_max(budget, info=key) as captured:
            at_3n = cold(client, visit, captured)
    except pytest.fail.Exception:
        # Over budget: say first whether it is because the page grew.
        check_growth(key, at_n, at_3n)
        raise
    check_growth(key, at_n, at_3n)


# --- the tests --------------------------------------------------------------------


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_page_stays_within_its_budget(
    world, page, django_assert_max_num_queries
):
    visit = PUBLIC_PAGES[page](world)
    check_page(world, None, page, visit, django_assert_max_num_queries)


@pytest.mark.parametrize("page", ADMIN_PAGES)
@pytest.mark.parametrize("user", USERS)
def test_admin_page_stays_within_its_budget(
    world, user, page, django_assert_max_num_queries
):
    visit = ADMIN_PAGES[page](world)
    check_page(world, user, page, visit, django_assert_max_num_queries)


@pytest.mark.parametrize("model", CHANGELISTS)
@pytest.mark.parametrize("user", USERS)
def test_admin_list_stays_within_its_budget(
    world, user, model, django_assert_max_num_queries
):
    visit = CHANGELISTS[model](world)
    check_page(world, user, model, visit, django_assert_max_num_queries)


@pytest.mark.parametrize("page", ["home", "municipality"])
def test_second_request_of_a_cached_page_makes_no_more_queries(world, page):
    client, visit = Client(), PUBLIC_PAGES[page](world)
    send(client, visit)
    cache.clear()

    with CaptureQueriesContext(connection) as first:
        send(client, visit)
    with CaptureQueriesContext(connection) as second:
        send(client, visit)

    assert len(second) <= len(first)
