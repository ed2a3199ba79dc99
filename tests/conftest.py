from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.utils import timezone, translation
from post_office.models import Email
from pytest_django.fixtures import validate_django_db

from groups.models import Coordinator, PoliceZone, WhatsAppGroup
from groups.services import add_zone_staff, link_coordinator_login
from registrations.constants import SignupStatus
from registrations.models import Signup
from tests.factories import (
    CoordinatorFactory,
    DownloadFactory,
    HouseRulesFactory,
    MeetingFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    RegionStreetFactory,
    SignupFactory,
    UmbrellaGroupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)
from wabp_portal.mail import outbox, queue

# The fixtures that make pytest-django run a test in a transaction of its own
# (TransactionTestCase), as it tells them apart when it orders the tests.
TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
}


def _is_transactional(item: pytest.Item) -> bool:
    if TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    transaction, reset_sequences, *_ = validate_django_db(marker)
    return transaction or reset_sequences


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``serial`` the tests that must not share a worker with others.

    A transactional test ends by flushing its database: the roles (auth
    Groups) that the data migrations made are gone for every ordinary test
    that runs after it in the same process. pytest-django runs the
    transactional tests last for that reason, but pytest-xdist hands each
    worker a mix. `make test` runs the tests marked here after the parallel
    phase, in one process (see the Makefile).
    """
    for item in items:
        if _is_transactional(item):
            item.add_marker(pytest.mark.serial)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files (downloads, house-rules PDFs) never land in the repo."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the portal's default language (Dutch).

    A request with another Accept-Language leaves that language active in
    the thread; without this, a test's outcome would depend on the one before.
    """
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """The cache outlives a test's rolled-back database: each test starts empty.

    Cached public fragments and rate-limit counts of one test must not show
    in the next. Only the tests' own in-memory cache is emptied: with
    REDIS_URL exported, clearing would empty that whole Redis database.
    """
    own = isinstance(cache._cache, dict) if hasattr(cache, "_cache") else False
    if own:
        cache.clear()
    yield
    if own:
        cache.clear()


@pytest.fixture(autouse=True)
def queued_mail_read_as_sent(monkeypatch):
    """A test that reads a queued mail reads the text the worker will send.

    The e-loket's mails are rendered by the mail worker
    (``wabp_portal.mail.queue``, ``render_later``); a test reading the
    outbox row finds its subject and bodies filled in, rendered by the same
    code, while the row itself stays as queued (its ``context`` still says
    what to render, so the worker and the admin do their own rendering).
    ``Email.objects.values(...)`` reads the row as stored.
    """
    original = Email.from_db.__func__

    def from_db(cls, db, field_names, values):
        email = original(cls, db, field_names, values)
        loaded = {"context", "subject", "message", "html_message"}
        if not loaded & email.get_deferred_fields() and queue.is_unrendered(email):
            try:
                parts = queue.rendered_parts(email)
            except queue.NotRendered:
                return email
            email.subject, email.message, email.html_message = parts
        return email

    monkeypatch.setattr(Email, "from_db", classmethod(from_db))


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hashing a password the production way takes most of a second per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def zone(db) -> PoliceZone:
    return PoliceZoneFactory()


@pytest.fixture
def group(zone) -> WhatsAppGroup:
    """A neighbourhood group of ``zone``."""
    return WhatsAppGroupFactory(municipality=MunicipalityFactory(zone=zone))


@pytest.fixture
def zone_staff(zone) -> User:
    """A login with the police-zone staff role for ``zone``."""
    user = UserFactory()
    add_zone_staff(zone, user=user)
    return user


@pytest.fixture
def coordinator_user(group) -> User:
    """A login linked to the coordinator of ``group``."""
    user = UserFactory()
    coordinator = CoordinatorFactory(zone=group.municipality.zone, groups=[group])
    link_coordinator_login(coordinator, user=user)
    return user


@dataclass
class Network:
    """Two police zones, A (around the ``group`` fixture, A1) and B.

    Zone A has two municipalities: A1 and A2 are groups of the first, A3 of the
    second. Each group has signups in several statuses.
    """

    zone_a: PoliceZone
    zone_b: PoliceZone
    group_a1: WhatsAppGroup
    group_a2: WhatsAppGroup
    group_a3: WhatsAppGroup
    group_b1: WhatsAppGroup
    coordinator_a1: Coordinator
    coordinator_a2: Coordinator
    coordinator_a2_a3: Coordinator
    coordinator_b1: Coordinator
    users: dict[str, User | AnonymousUser]

    def signups(self, *groups: WhatsAppGroup, exclude=()) -> set[Signup]:
        return set(Signup.objects.filter(group__in=groups).exclude(status__in=exclude))


def _signups_in_every_status(group: WhatsAppGroup) -> None:
    now = timezone.now()
    SignupFactory(group=group, status=SignupStatus.UNCONFIRMED, confirmed_at=None)
    SignupFactory(group=group, status=SignupStatus.PENDING)
    SignupFactory(group=group, status=SignupStatus.APPROVED, decided_at=now)
    SignupFactory(group=group, status=SignupStatus.REJECTED, decided_at=now)


def _zone_rows(zone: PoliceZone, municipality_group: WhatsAppGroup) -> None:
    """The rows of a zone that no group owns."""
    RegionStreetFactory(region=municipality_group.region)
    UmbrellaGroupFactory(municipality=municipality_group.municipality)
    MeetingFactory(zone=zone)
    DownloadFactory(zone=zone)
    HouseRulesFactory(zone=zone, is_current=False)
    HouseRulesFactory(zone=zone)


@pytest.fixture
def network(zone, group, zone_staff, coordinator_user) -> Network:
    group_a2 = WhatsAppGroupFactory(municipality=group.municipality)
    group_a3 = WhatsAppGroupFactory(municipality=MunicipalityFactory(zone=zone))
    coordinator_a2 = CoordinatorFactory(zone=zone, groups=[group_a2])
    two_groups_user = UserFactory()
    coordinator_a2_a3 = link_coordinator_login(
        CoordinatorFactory(zone=zone, groups=[group_a2, group_a3]),
        user=two_groups_user,
    )
    _zone_rows(zone, group)

    zone_b = PoliceZoneFactory()
    group_b1 = WhatsAppGroupFactory(municipality=MunicipalityFactory(zone=zone_b))
    b1_user = UserFactory()
    coordinator_b1 = link_coordinator_login(
        CoordinatorFactory(zone=zone_b, groups=[group_b1]), user=b1_user
    )
    add_zone_staff(zone_b, user=UserFactory())
    _zone_rows(zone_b, group_b1)

    for each in (group, group_a2, group_a3, group_b1):
        _signups_in_every_status(each)

    inactive_staff = UserFactory()
    add_zone_staff(zone, user=inactive_staff)
    inactive_staff.is_active = False
    inactive_staff.save()

    return Network(
        zone_a=zone,
        zone_b=zone_b,
        group_a1=group,
        group_a2=group_a2,
        group_a3=group_a3,
        group_b1=group_b1,
        coordinator_a1=coordinator_user.coordinator,
        coordinator_a2=coordinator_a2,
        coordinator_a2_a3=coordinator_a2_a3,
        coordinator_b1=coordinator_b1,
        users={
            "superuser": UserFactory(is_superuser=True, is_staff=True),
            "staff_a": zone_staff,
            "coordinator_a1": coordinator_user,
            "coordinator_a2_a3": two_groups_user,
            "inactive_superuser": UserFactory(
                is_superuser=True, is_staff=True, is_active=False
            ),
            "inactive_staff_a": inactive_staff,
            "no_role": UserFactory(),
            "anonymous": AnonymousUser(),
        },
    )


LOCMEM_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def deliver_mail(settings, mailoutbox) -> Callable[[], list]:
    """Send the outbox the way the mail worker does; return what was delivered."""
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": LOCMEM_BACKEND},
    }

    def deliver() -> list:
        outbox.send_all()
        return mailoutbox

    return deliver
