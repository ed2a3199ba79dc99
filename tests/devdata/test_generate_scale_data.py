"""generate_scale_data: a made-up network the portal takes for its own.

The tiny size is generated into the test database (COPY on PostgreSQL,
bulk_create on SQLite) and then read the way the app reads it: its rows pass
the models' validation, the public pages and the finder work on it, and its
coordinators and staff see what their role lets them see.
"""

import random
import time
from collections import Counter
from http import HTTPStatus
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.urls import reverse

from devdata.scale.postgresql import CopyWriter
from devdata.scale.signups import STATUS_CHANGE_FIELDS
from devdata.scale.sizes import SIZES
from devdata.scale.writers import Table
from groups.constants import ROLE_COORDINATOR, ROLE_ZONE_STAFF, GroupKind, NumberParity
from groups.models import (
    Coordinator,
    Municipality,
    PoliceZone,
    Region,
    RegionStreet,
    Street,
    WhatsAppGroup,
    normalize_street_name,
)
from registrations.constants import (
    DECIDED_STATUSES,
    ENDED_STATUSES,
    SignupRole,
    SignupStatus,
)
from registrations.models import HouseRules, Signup, StatusChange
from tests.factories import PoliceZoneFactory, SignupFactory

pytestmark = pytest.mark.django_db

TINY = SIZES["tiny"]
PENDING_URL = reverse("admin:registrations_pendingsignup_changelist")
SAMPLE = 25

requires_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="COPY, index rebuilds and key checks are the PostgreSQL path",
)


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """The finder's rate limit and the networks table live in the cache."""
    cache.clear()


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_scale_data", "--size", "tiny", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def generated() -> str:
    return generate()


def test_tiny_size_makes_the_counts_of_its_shape(generated):
    assert PoliceZone.objects.count() == TINY.zones
    assert Municipality.objects.count() == TINY.municipalities
    assert Street.objects.count() == TINY.streets
    assert Region.objects.count() == TINY.groups
    assert WhatsAppGroup.objects.neighbourhood().count() == TINY.groups
    assert Signup.objects.count() == TINY.signups
    assert StatusChange.objects.count() == TINY.signups
    umbrellas = Count("whatsapp_groups", filter=Q(whatsapp_groups__kind="umbrella"))
    assert {
        m.umbrellas for m in Municipality.objects.annotate(umbrellas=umbrellas)
    } == {1}
    for zone in PoliceZone.objects.all():
        assert zone.staff.count() == TINY.staff_per_zone
        assert zone.house_rules.filter(is_current=True).count() == 1
    assert 0.75 * TINY.groups <= Coordinator.objects.count() <= 1.5 * TINY.groups
    neighbourhood = Count("groups", filter=Q(groups__kind=GroupKind.NEIGHBOURHOOD))
    assert Coordinator.objects.annotate(n=neighbourhood).filter(n=2).exists()
    assert WhatsAppGroup.objects.annotate(n=Count("coordinators")).filter(n=2).exists()
    assert "Done: " in generated
    assert f"{TINY.signups:,} signups" in generated


def test_signups_come_in_every_status_and_both_roles(generated):
    assert set(Signup.objects.values_list("status", flat=True)) == set(
        SignupStatus.values
    )
    assert set(Signup.objects.values_list("role", flat=True)) == set(SignupRole.values)
    approved = Signup.objects.filter(status=SignupStatus.APPROVED).count()
    assert 0.6 < approved / TINY.signups < 0.8
    applications = Signup.objects.filter(role=SignupRole.COORDINATOR)
    assert applications.filter(group=None, status=SignupStatus.PENDING).exists()
    assert not applications.filter(proposed_group_name="").exists()
    assert Signup.objects.filter(erased_at__isnull=False).exists()
    assert Signup.objects.filter(status__in=ENDED_STATUSES, erased_at=None).exists(), (
        "recently ended signups keep their data for the retention period"
    )
    assert not Signup.objects.filter(status=SignupStatus.WITHDRAWN).exclude(
        first_name="", last_name="", phone="", email="", street=None
    )


def test_signups_are_mostly_dutch_and_also_french_and_english(generated):
    languages = Counter(Signup.objects.values_list("language", flat=True))

    assert set(languages) == {"nl", "fr", "en"}
    assert languages["nl"] > 0.85 * TINY.signups


def test_both_roles_have_their_logins(generated):
    staff = User.objects.filter(groups__name=ROLE_ZONE_STAFF)
    assert staff.count() == TINY.zones * TINY.staff_per_zone
    assert set(staff) == set(User.objects.filter(police_zones__isnull=False))
    coordinators = User.objects.filter(groups__name=ROLE_COORDINATOR)
    assert set(coordinators) == {
        c.user for c in Coordinator.objects.filter(is_active=True)
    }
    assert not User.objects.filter(coordinator__is_active=False, is_active=True)
    assert all(user.is_staff for user in staff | coordinators)
    assert not any(user.has_usable_password() for user in User.objects.all())
    for coordinator in Coordinator.objects.select_related("user"):
        assert coordinator.user.username == coordinator.email == coordinator.user.email


def test_signup_timestamps_follow_its_life(generated):
    for signup in Signup.objects.all():
        steps = [
            signup.created_at,
            signup.confirmed_at,
            signup.decided_at,
            signup.ended_at,
            signup.erased_at,
        ]
        known = [moment for moment in steps if moment is not None]
        assert known == sorted(known), signup.pk
        assert signup.updated_at == max(
            known + [signup.added_to_whatsapp_at or known[0]]
        )
        assert signup.house_rules_accepted_at == signup.created_at
        assert signup.privacy_accepted_at == signup.created_at
        assert (signup.confirmed_at is None) == (
            signup.status == SignupStatus.UNCONFIRMED
        ) or signup.status == SignupStatus.WITHDRAWN
        if signup.status in DECIDED_STATUSES:
            assert signup.decided_at is not None
        if signup.status in (*ENDED_STATUSES, SignupStatus.WITHDRAWN):
            assert signup.ended_at is not None
        if signup.added_to_whatsapp_at:
            assert signup.added_to_whatsapp_at >= signup.decided_at
        assert signup.house_rules.zone_id == signup.municipality.zone_id
        change = signup.status_changes.get()
        assert change.to_status == signup.status
        assert change.created_at == max(known[:-1] if signup.erased_at else known)


def _sample(queryset, size: int = SAMPLE) -> list:
    pks = list(queryset.values_list("pk", flat=True))
    return list(
        queryset.filter(pk__in=random.Random(1).sample(pks, min(size, len(pks))))
    )


@pytest.mark.parametrize(
    "model",
    [
        PoliceZone,
        HouseRules,
        Municipality,
        Street,
        Region,
        RegionStreet,
        WhatsAppGroup,
        User,
        Coordinator,
        StatusChange,
    ],
)
def test_a_sample_of_the_rows_passes_the_models_validation(generated, model):
    for row in _sample(model.objects.all()):
        row.full_clean(validate_constraints=True)


def test_signups_of_every_status_pass_the_models_validation(generated):
    for status in SignupStatus.values:
        for role in SignupRole.values:
            queryset = Signup.objects.filter(status=status, role=role)
            for signup in _sample(queryset, 5):
                signup.full_clean(validate_constraints=True)


def test_streets_are_searchable_and_everything_lies_in_its_municipality(generated):
    for street in Street.objects.select_related("municipality"):
        assert street.search_name == normalize_street_name(street.name)
        assert street.postcode in street.municipality.postcode_list
    groups = WhatsAppGroup.objects.neighbourhood()
    assert not groups.exclude(region__municipality=F("municipality"))
    assert not RegionStreet.objects.exclude(
        street__municipality=F("region__municipality")
    )
    signups = Signup.objects.exclude(street=None)
    assert not signups.exclude(street__municipality=F("municipality"))
    assert not signups.exclude(postcode=F("street__postcode"))
    assert Street.objects.filter(coverage=None).exists(), "some streets stay uncovered"
    assert RegionStreet.objects.filter(
        ~Q(parity=NumberParity.ALL) | Q(number_to__isnull=False)
    ).exists(), "some streets are split by side or by number"


def _findable_coverage() -> RegionStreet:
    """A whole street covered by a published group."""
    return (
        RegionStreet.objects.filter(
            parity=NumberParity.ALL,
            number_from=None,
            number_to=None,
            region__whatsapp_groups__in=WhatsAppGroup.objects.published(),
        )
        .select_related("street")
        .order_by("pk")
        .first()
    )


def test_public_pages_answer_and_the_finder_finds_a_covered_street(client, generated):
    assert client.get("/").status_code == HTTPStatus.OK
    municipality = Municipality.objects.order_by("pk").first()
    response = client.get(municipality.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert municipality.name in response.content.decode()
    coverage = _findable_coverage()

    response = client.post(
        "/zoek-je-groep/", {"straat": coverage.street.name, "nummer": 7}
    )

    assert response.status_code == HTTPStatus.OK
    group = coverage.region.whatsapp_groups.get()
    assert group in response.context["lookup"].groups
    assert group.name in response.content.decode()


def test_a_coordinator_sees_only_the_pending_signups_of_their_groups(client, generated):
    pending = Signup.objects.filter(
        status=SignupStatus.PENDING, role=SignupRole.PARTICIPANT
    )
    coordinator = (
        Coordinator.objects.filter(is_active=True, groups__signups__in=pending)
        .order_by("pk")
        .first()
    )
    client.force_login(coordinator.user)
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK

    response = client.get(PENDING_URL)

    assert response.status_code == HTTPStatus.OK
    own = set(pending.filter(group__in=coordinator.groups.all()))
    assert own
    assert set(response.context["cl"].queryset) == own
    assert pending.exclude(pk__in=[signup.pk for signup in own]).exists()


def test_zone_staff_see_the_pending_signups_of_their_zone(client, generated):
    zone = PoliceZone.objects.order_by("pk").first()
    client.force_login(zone.staff.order_by("pk").first())

    response = client.get(PENDING_URL)

    assert response.status_code == HTTPStatus.OK
    expected = Signup.objects.filter(
        status=SignupStatus.PENDING,
        role=SignupRole.PARTICIPANT,
        municipality__zone=zone,
    )
    assert set(response.context["cl"].queryset) == set(expected)
    assert expected.count() < Signup.objects.filter(status=SignupStatus.PENDING).count()


def test_a_second_run_is_refused_without_force(generated):
    with pytest.raises(CommandError, match="--force"):
        generate()

    assert Municipality.objects.count() == TINY.municipalities


def test_with_force_a_second_network_is_added_alongside(generated):
    generate("--force", "--signups", "100")

    assert Municipality.objects.count() == 2 * TINY.municipalities
    assert PoliceZone.objects.count() == 2 * TINY.zones
    assert Signup.objects.count() == TINY.signups + 100
    names = list(Municipality.objects.values_list("name", flat=True))
    assert len(set(names)) == len(names)


def test_rows_made_afterwards_get_fresh_ids(generated):
    """The sequences were moved past the generated ids."""
    last_zone = PoliceZone.objects.latest("pk").pk
    last_signup = Signup.objects.latest("pk").pk

    assert PoliceZoneFactory().pk > last_zone
    assert SignupFactory().pk > last_signup


def _index_definitions() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'")
        return {row[0] for row in cursor.fetchall()}


@requires_postgresql
def test_on_postgresql_indexes_dropped_for_a_big_load_are_built_again(monkeypatch):
    before = _index_definitions()
    monkeypatch.setattr(CopyWriter, "BIG_LOAD", 1)  # every table counts as big

    generate()

    assert _index_definitions() == before
    assert Signup.objects.count() == TINY.signups


@requires_postgresql
def test_on_postgresql_a_row_pointing_nowhere_fails_the_load():
    writer = CopyWriter()
    with pytest.raises(IntegrityError, match="signup of row"), transaction.atomic():
        with writer.session():
            if not writer.checks_keys:
                pytest.skip("the database user cannot switch off the key triggers")
            table = Table(writer, StatusChange, STATUS_CHANGE_FIELDS)
            first = writer.reserve(StatusChange, 1)
            moment = writer.timestamp(time.time())
            table.add((first, 10**9, "", SignupStatus.PENDING, None, "", moment))
            table.flush()
            writer.finish()


def test_sizes_that_cannot_be_made_are_refused():
    with pytest.raises(CommandError, match="at least one municipality per zone"):
        generate("--municipalities", "1")

    assert not Municipality.objects.exists()
