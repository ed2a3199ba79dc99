"""House rules and signups: their invariants and what they show."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from groups.constants import ROLE_COORDINATOR, ROLE_ZONE_STAFF
from registrations.constants import (
    DECIDED_STATUSES,
    OPEN_STATUSES,
    ExportKind,
    ReminderKind,
    SignupRole,
    SignupStatus,
)
from registrations.models import Signup
from tests.factories import (
    ExportRecordFactory,
    HouseRulesFactory,
    MunicipalityFactory,
    ReminderFactory,
    SignupFactory,
    StatusChangeFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

CLOSED_STATUSES = [
    SignupStatus.REJECTED,
    SignupStatus.LEFT,
    SignupStatus.REMOVED,
    SignupStatus.WITHDRAWN,
]


def decided_at_for(status: str):
    return timezone.now() if status in DECIDED_STATUSES else None


# Factories ---------------------------------------------------------------


def test_signup_factory_builds_a_valid_pending_participant():
    signup = SignupFactory()

    signup.full_clean()
    assert signup.status == SignupStatus.PENDING
    assert signup.municipality == signup.group.municipality
    assert signup.house_rules.is_current
    assert signup.house_rules.zone == signup.group.municipality.zone


def test_signups_of_one_zone_accept_the_same_current_house_rules():
    group = WhatsAppGroupFactory()
    first = SignupFactory(group=group)

    second = SignupFactory(group=group)

    assert second.house_rules == first.house_rules


@pytest.mark.parametrize(
    "factory",
    [HouseRulesFactory, StatusChangeFactory, ExportRecordFactory, ReminderFactory],
)
def test_factory_builds_a_row_that_passes_validation(factory):
    factory().full_clean()


# House rules -------------------------------------------------------------


def test_a_zone_has_one_current_house_rules_version():
    rules = HouseRulesFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        HouseRulesFactory(zone=rules.zone)


def test_a_zone_keeps_older_house_rules_versions():
    rules = HouseRulesFactory(version=2)

    HouseRulesFactory(zone=rules.zone, version=1, is_current=False)


def test_each_zone_has_its_own_current_house_rules():
    HouseRulesFactory()

    HouseRulesFactory()


def test_house_rules_version_is_unique_within_a_zone():
    rules = HouseRulesFactory(version=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        HouseRulesFactory(zone=rules.zone, version=1, is_current=False)


def test_house_rules_version_may_repeat_in_another_zone():
    HouseRulesFactory(version=1)

    HouseRulesFactory(version=1)


def test_house_rules_str_shows_title_and_version():
    rules = HouseRulesFactory.build(title="Huishoudelijk reglement", version=3)

    with translation.override("en"):
        assert str(rules) == "Huishoudelijk reglement (version 3)"


# Signups: who and what ---------------------------------------------------


def test_signup_status_must_be_a_known_choice():
    with pytest.raises(IntegrityError), transaction.atomic():
        SignupFactory(status="lost")


def test_signup_role_must_be_a_known_choice():
    with pytest.raises(IntegrityError), transaction.atomic():
        SignupFactory(role="admin")


def test_participant_signup_needs_a_group():
    municipality = MunicipalityFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        SignupFactory(group=None, municipality=municipality)


def test_coordinator_signup_needs_a_proposed_group_name():
    with pytest.raises(IntegrityError), transaction.atomic():
        SignupFactory(
            role=SignupRole.COORDINATOR,
            group=None,
            municipality=MunicipalityFactory(),
            proposed_group_name="",
        )


def test_coordinator_signup_proposes_a_group_instead_of_joining_one():
    signup = SignupFactory(
        role=SignupRole.COORDINATOR,
        group=None,
        municipality=MunicipalityFactory(),
        proposed_group_name="WABP Molenwijk",
    )

    signup.full_clean()


@pytest.mark.parametrize("status", [SignupStatus.UNCONFIRMED, SignupStatus.PENDING])
@pytest.mark.parametrize("field", ["first_name", "phone", "email"])
def test_open_signup_needs_contact_details(field, status):
    with pytest.raises(IntegrityError), transaction.atomic():
        SignupFactory(status=status, **{field: ""})


def test_withdrawn_signup_may_have_its_contact_details_erased():
    signup = SignupFactory(
        status=SignupStatus.WITHDRAWN,
        first_name="",
        last_name="",
        phone="",
        email="",
        street_name="",
        house_number="",
    )

    assert Signup.objects.get(pk=signup.pk).full_name == ""


@pytest.mark.parametrize("status", DECIDED_STATUSES)
def test_decided_signup_needs_a_decision_time(status):
    with pytest.raises(IntegrityError), transaction.atomic():
        SignupFactory(status=status, decided_at=None)


@pytest.mark.parametrize("status", DECIDED_STATUSES)
def test_decided_signup_with_decision_time_is_stored(status):
    SignupFactory(status=status, decided_at=timezone.now()).full_clean()


@pytest.mark.parametrize(
    "status", [SignupStatus.UNCONFIRMED, SignupStatus.PENDING, SignupStatus.WITHDRAWN]
)
def test_undecided_signup_needs_no_decision_time(status):
    SignupFactory(status=status, decided_at=None)


# Signups: one open place per person per group ----------------------------


@pytest.mark.parametrize("first_status", OPEN_STATUSES)
def test_same_phone_cannot_hold_two_open_signups_in_one_group(first_status):
    first = SignupFactory(status=first_status, decided_at=decided_at_for(first_status))

    with pytest.raises(IntegrityError), transaction.atomic():
        SignupFactory(
            group=first.group, phone=first.phone, status=SignupStatus.UNCONFIRMED
        )


def test_same_phone_written_differently_is_the_same_phone():
    first = SignupFactory(phone="+32470123456")

    with pytest.raises(IntegrityError), transaction.atomic():
        SignupFactory(group=first.group, phone="0470 12 34 56")


@pytest.mark.parametrize("first_status", OPEN_STATUSES)
def test_partners_sharing_an_email_address_each_hold_a_signup(first_status):
    """A household is several people: one mailbox, each their own mobile."""
    first = SignupFactory(status=first_status, decided_at=decided_at_for(first_status))

    partner = SignupFactory(
        group=first.group, email=first.email, status=SignupStatus.UNCONFIRMED
    )

    assert set(Signup.objects.open().filter(group=first.group)) == {first, partner}


@pytest.mark.parametrize("first_status", CLOSED_STATUSES)
def test_same_person_may_sign_up_again_once_the_first_signup_is_closed(first_status):
    first = SignupFactory(status=first_status, decided_at=decided_at_for(first_status))

    again = SignupFactory(group=first.group, phone=first.phone, email=first.email)

    assert set(Signup.objects.open()) == {again}


def test_same_person_may_sign_up_for_another_group():
    first = SignupFactory()

    other = SignupFactory(phone=first.phone, email=first.email)

    assert other.group != first.group
    assert Signup.objects.open().count() == 2


def test_validation_reports_a_second_open_signup_in_the_same_group():
    first = SignupFactory()
    second = SignupFactory.build(
        group=first.group,
        phone=first.phone,
        house_rules=first.house_rules,
    )

    with pytest.raises(ValidationError) as excinfo:
        second.full_clean()

    assert "unique_open_signup_phone_per_group" in str(excinfo.value)


# Signups: what they show -------------------------------------------------


@pytest.mark.parametrize("phone", ["+32470123456", "0470 12 34 56", "0032470123456"])
def test_whatsapp_url_opens_a_chat_with_the_number(phone):
    signup = SignupFactory(phone=phone)

    assert Signup.objects.get(pk=signup.pk).whatsapp_url == "https://wa.me/32470123456"


def test_whatsapp_url_is_empty_without_a_phone():
    signup = SignupFactory.build(phone="")

    assert signup.whatsapp_url == ""


def test_address_reads_as_a_belgian_postal_address():
    signup = SignupFactory.build(
        municipality=MunicipalityFactory.build(name="Alken"),
        street_name="Kerkstraat",
        house_number="12",
        box="",
        postcode="3570",
    )

    assert signup.address == "Kerkstraat 12, 3570 Alken"


def test_address_includes_the_box():
    signup = SignupFactory.build(
        municipality=MunicipalityFactory.build(name="Alken"),
        street_name="Kerkstraat",
        house_number="12",
        box="3",
        postcode="3570",
    )

    assert signup.address == "Kerkstraat 12 bus 3, 3570 Alken"


def test_signup_str_is_the_full_name():
    signup = SignupFactory.build(first_name="An", last_name="Peeters")

    assert str(signup) == "An Peeters"


def test_withdrawn_signup_str_shows_no_name():
    signup = SignupFactory(status=SignupStatus.WITHDRAWN, first_name="An")

    with translation.override("en"):
        assert str(signup) == f"Withdrawn signup #{signup.pk}"


# Who decides a signup ---------------------------------------------------


def test_coordinator_decides_confirmed_signups_of_own_group(coordinator_user, group):
    signup = SignupFactory(group=group)

    assert signup.can_be_decided_by(coordinator_user)


def test_coordinator_does_not_decide_unconfirmed_signups(coordinator_user, group):
    signup = SignupFactory(
        group=group, status=SignupStatus.UNCONFIRMED, confirmed_at=None
    )

    assert not signup.can_be_decided_by(coordinator_user)


def test_coordinator_does_not_decide_signups_of_another_group_of_the_municipality(
    coordinator_user, group
):
    signup = SignupFactory(group=WhatsAppGroupFactory(municipality=group.municipality))

    assert not signup.can_be_decided_by(coordinator_user)


def test_zone_staff_decides_signups_of_own_zone(zone_staff, group):
    assert SignupFactory(group=group).can_be_decided_by(zone_staff)


def test_zone_staff_does_not_decide_signups_of_another_zone(zone_staff):
    assert not SignupFactory().can_be_decided_by(zone_staff)


def test_coordinator_without_the_role_does_not_decide(group):
    # Linked by hand, not through link_coordinator_login: no permissions.
    user = UserFactory(is_staff=True)
    group.coordinators.create(
        zone=group.municipality.zone, user=user, first_name="An", email="an@example.be"
    )

    assert not SignupFactory(group=group).can_be_decided_by(user)


@pytest.mark.parametrize("make_user", [UserFactory, AnonymousUser])
def test_user_without_role_does_not_decide(make_user):
    assert not SignupFactory().can_be_decided_by(make_user())


# Reminders, exports and status changes ------------------------------------


def test_a_coordinator_gets_one_reminder_of_a_kind_per_day():
    reminder = ReminderFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderFactory(
            coordinator=reminder.coordinator, kind=reminder.kind, day=reminder.day
        )


def test_a_coordinator_may_get_other_reminders_the_same_day_and_again_next_day():
    reminder = ReminderFactory(kind=ReminderKind.PENDING)

    ReminderFactory(
        coordinator=reminder.coordinator, kind=ReminderKind.DIGEST, day=reminder.day
    )
    ReminderFactory(
        coordinator=reminder.coordinator,
        kind=ReminderKind.PENDING,
        day=reminder.day + timedelta(days=1),
    )


@pytest.mark.parametrize(
    "from_status, text",
    [("", "— → pending"), (SignupStatus.UNCONFIRMED, "unconfirmed → pending")],
)
def test_status_change_str_shows_the_step(from_status, text):
    change = StatusChangeFactory.build(
        from_status=from_status, to_status=SignupStatus.PENDING
    )

    assert str(change) == text


def test_export_record_str_shows_kind_and_count():
    record = ExportRecordFactory.build(kind=ExportKind.VCARD, count=12)

    with translation.override("en"):
        assert str(record) == "vCard contacts (12)"


# Roles (data migration) --------------------------------------------------


def permissions_of(role: str) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(name=role).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_migration_creates_both_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        ROLE_COORDINATOR,
        ROLE_ZONE_STAFF,
    }


@pytest.mark.parametrize(
    "permission",
    [
        "registrations.change_signup",
        "registrations.view_statuschange",
        "registrations.add_houserules",
        "groups.add_region",
        "groups.change_regionstreet",
        "groups.add_whatsappgroup",
        "groups.change_policezone",
    ],
)
def test_zone_staff_role_can_keep_the_zone_table(permission):
    assert permission in permissions_of(ROLE_ZONE_STAFF)


@pytest.mark.parametrize(
    "permission",
    [
        "registrations.view_signup",
        "registrations.change_signup",
        "groups.change_whatsappgroup",
    ],
)
def test_coordinator_role_can_handle_signups_of_own_groups(permission):
    assert permission in permissions_of(ROLE_COORDINATOR)


@pytest.mark.parametrize(
    "permission",
    [
        "groups.add_region",
        "groups.add_whatsappgroup",
        "groups.delete_whatsappgroup",
        "groups.change_policezone",
        "registrations.add_houserules",
    ],
)
def test_coordinator_role_cannot_change_the_zone_table(permission):
    assert permission not in permissions_of(ROLE_COORDINATOR)


@pytest.mark.parametrize("role", [ROLE_COORDINATOR, ROLE_ZONE_STAFF])
@pytest.mark.parametrize(
    "permission",
    [
        "registrations.view_pendingsignup",
        "registrations.change_pendingsignup",
        "registrations.view_member",
        "registrations.change_member",
    ],
)
def test_both_roles_use_the_work_lists(role, permission):
    assert permission in permissions_of(role)


def test_only_zone_staff_see_the_export_log():
    assert "registrations.view_exportrecord" in permissions_of(ROLE_ZONE_STAFF)
    assert "registrations.view_exportrecord" not in permissions_of(ROLE_COORDINATOR)


@pytest.mark.parametrize("role", [ROLE_COORDINATOR, ROLE_ZONE_STAFF])
def test_no_role_may_delete_signups(role):
    # Signups are withdrawn (data erased, record kept), never deleted.
    assert "registrations.delete_signup" not in permissions_of(role)
