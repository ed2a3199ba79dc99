"""The audit log (django-auditlog): who changed what, and nothing personal.

Changes to the zone's table made in the admin are logged with their author;
decisions on signups are logged without the resident's name, phone number,
e-mail or address (the log outlives a withdrawn signup). Staff read their own
zone's entries, coordinators none, and nobody edits or deletes them.
"""

import json
from http import HTTPStatus

import pytest
from auditlog.context import disable_auditlog, set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import pre_save
from django.urls import reverse
from phonenumber_field.phonenumber import PhoneNumber

from groups.models import Coordinator, Region
from registrations.audit import log_view
from registrations.constants import SignupStatus
from registrations.models import Signup
from registrations.services import (
    approve_signup,
    confirm_signup,
    reject_signup,
    withdraw_signup,
)
from tests.admin_forms import form_data
from tests.factories import (
    CoordinatorFactory,
    RegionFactory,
    SignupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db


def entries_for(obj) -> list[LogEntry]:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return list(
        LogEntry.objects.filter(
            content_type=content_type, object_pk=str(obj.pk)
        ).order_by("pk")
    )


# --- the table, changed in the admin -----------------------------------------


def test_creating_a_region_in_the_admin_is_logged_with_its_author(
    client, zone_staff, group
):
    client.force_login(zone_staff)

    response = client.post(
        reverse("admin:groups_region_add"),
        {
            "municipality": group.municipality_id,
            "name": "Terkoest",
            "description": "",
            "coverage-TOTAL_FORMS": "0",
            "coverage-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    region = Region.objects.get(name="Terkoest")
    [entry] = entries_for(region)
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == zone_staff
    assert entry.changes_dict["name"] == ["None", "Terkoest"]
    assert entry.additional_data == {"zone": group.municipality.zone_id}


def test_changing_a_group_in_the_admin_is_logged_with_what_changed(
    client, zone_staff, group
):
    client.force_login(zone_staff)
    url = reverse("admin:groups_whatsappgroup_change", args=[group.pk])
    data = form_data(client.get(url))
    data["description"] = "Terkoest en omgeving"
    data.pop("is_public")

    response = client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND
    [entry] = [e for e in entries_for(group) if e.action == LogEntry.Action.UPDATE]
    assert entry.actor == zone_staff
    assert entry.changes_dict["description"] == ["", "Terkoest en omgeving"]
    assert entry.changes_dict["is_public"] == ["True", "False"]
    assert set(entry.changes_dict) == {"description", "is_public"}


def test_deleting_a_coordinator_in_the_admin_is_logged(client, zone_staff, group):
    coordinator = CoordinatorFactory(zone=group.municipality.zone, groups=[group])
    pk = coordinator.pk
    client.force_login(zone_staff)

    response = client.post(
        reverse("admin:groups_coordinator_delete", args=[pk]), {"post": "yes"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert not Coordinator.objects.filter(pk=pk).exists()
    [entry] = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Coordinator),
        object_pk=str(pk),
        action=LogEntry.Action.DELETE,
    )
    assert entry.actor == zone_staff
    assert entry.additional_data == {"zone": group.municipality.zone_id}


def test_giving_a_coordinator_a_group_is_logged(client, zone_staff, group):
    coordinator = CoordinatorFactory(zone=group.municipality.zone)
    client.force_login(zone_staff)
    url = reverse("admin:groups_coordinator_change", args=[coordinator.pk])
    data = form_data(client.get(url))
    data["groups"] = [group.pk]

    client.post(url, data)

    entries = entries_for(coordinator)
    assert any(
        entry.actor == zone_staff and "groups" in (entry.changes or {})
        for entry in entries
    )


def test_creating_a_coordinator_in_the_admin_is_logged(client, zone_staff, group):
    client.force_login(zone_staff)

    client.post(
        reverse("admin:groups_coordinator_add"),
        {
            "zone": group.municipality.zone_id,
            "first_name": "Dominic",
            "last_name": "Hermans",
            "email": "dominic@example.be",
            "phone": "0470 12 34 56",
            "groups": [group.pk],
            "notification_mode": "immediate",
            "is_active": "on",
        },
    )

    coordinator = Coordinator.objects.get(email="dominic@example.be")
    created = [
        e for e in entries_for(coordinator) if e.action == LogEntry.Action.CREATE
    ]
    assert [entry.actor for entry in created] == [zone_staff]


# --- signups: decisions logged, people not -----------------------------------


GRIET = {
    "first_name": "Griet",
    "last_name": "Vanhoudt",
    "email": "griet.vanhoudt@example.be",
    "phone": "+32470551234",
    "street_name": "Kapelleweg",
    "house_number": "117",
    "box": "b3",
}


def personal_data() -> list[str]:
    phone = PhoneNumber.from_string(GRIET["phone"])
    return [
        GRIET["first_name"],
        GRIET["last_name"],
        GRIET["email"],
        "griet",
        "vanhoudt",
        GRIET["street_name"],
        phone.as_e164,
        phone.as_international,
        phone.as_national,
        "470551234",
        "470 55 12 34",
    ]


def assert_no_personal_data(entries: list[LogEntry]) -> None:
    assert entries
    for entry in entries:
        text = " ".join(
            [
                entry.object_repr,
                entry.changes_text,
                json.dumps(entry.changes, ensure_ascii=False),
                json.dumps(entry.additional_data, ensure_ascii=False),
                json.dumps(entry.serialized_data, ensure_ascii=False),
                str(entry),
            ]
        ).lower()
        for value in personal_data():
            assert value.lower() not in text, (entry.pk, value)


def test_approving_a_signup_logs_the_status_change_and_the_actor(
    client, coordinator_user, group
):
    signup = SignupFactory(group=group, **GRIET)
    client.force_login(coordinator_user)

    response = client.post(
        reverse("admin:registrations_pendingsignup_approve", args=[signup.pk])
    )

    assert response.status_code == HTTPStatus.FOUND
    [entry] = [e for e in entries_for(signup) if e.action == LogEntry.Action.UPDATE]
    assert entry.actor == coordinator_user
    assert entry.changes_dict["status"] == [
        SignupStatus.PENDING,
        SignupStatus.APPROVED,
    ]
    assert "decided_by" in entry.changes_dict
    assert entry.additional_data == {"zone": group.municipality.zone_id}
    assert_no_personal_data([entry])


def test_a_signups_entries_name_no_one(coordinator_user, group):
    signup = SignupFactory(
        group=group, status=SignupStatus.UNCONFIRMED, confirmed_at=None, **GRIET
    )
    confirm_signup(signup)
    with set_actor(coordinator_user):
        approve_signup(signup, by=coordinator_user)

    entries = entries_for(signup)

    assert [entry.action for entry in entries] == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
        LogEntry.Action.UPDATE,
    ]
    assert str(signup.pk) in entries[0].object_repr
    assert_no_personal_data(entries)


def test_a_rejection_reason_stays_out_of_the_log(coordinator_user, group):
    signup = SignupFactory(group=group, **GRIET)

    reject_signup(signup, by=coordinator_user, reason="Griet woont in Hasselt.")

    for entry in entries_for(signup):
        assert "hasselt" not in json.dumps(entry.changes).lower()
    assert_no_personal_data(entries_for(signup))


def test_withdrawal_leaves_no_personal_data_in_the_log(coordinator_user, group):
    signup = SignupFactory(group=group, **GRIET)
    approve_signup(signup, by=coordinator_user)

    withdraw_signup(signup)

    entries = entries_for(signup)
    assert entries[-1].changes_dict["status"] == [
        SignupStatus.APPROVED,
        SignupStatus.WITHDRAWN,
    ]
    assert_no_personal_data(list(LogEntry.objects.all()))


def test_deleting_a_signup_leaves_no_personal_data_in_the_log(group):
    signup = SignupFactory(group=group, **GRIET)
    pk = signup.pk

    Signup.objects.filter(pk=pk).first().delete()

    deleted = LogEntry.objects.get(
        object_pk=str(pk),
        content_type=ContentType.objects.get_for_model(Signup),
        action=LogEntry.Action.DELETE,
    )
    assert_no_personal_data([deleted])


def test_every_entry_about_a_signup_is_named_by_its_number_as_it_is_written(
    coordinator_user, group
):
    signup = SignupFactory(group=group, **GRIET)
    approve_signup(signup, by=coordinator_user)
    log_view(signup)
    pk = signup.pk
    Signup.objects.get(pk=pk).delete()

    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Signup), object_pk=str(pk)
    )

    assert {entry.action for entry in entries} == {
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
        LogEntry.Action.ACCESS,
        LogEntry.Action.DELETE,
    }
    assert {entry.object_repr for entry in entries} == {f"Inschrijving #{pk}"}


def test_nothing_rewrites_an_entry_on_its_way_into_the_table():
    """The description is the writer's: no receiver edits a log entry."""
    assert not pre_save.has_listeners(LogEntry)


def test_with_the_audit_log_off_a_signup_writes_no_entry(coordinator_user, group):
    with disable_auditlog():
        signup = SignupFactory(group=group, **GRIET)
        approve_signup(signup, by=coordinator_user)
        pk = signup.pk
        signup.delete()

    assert not LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Signup), object_pk=str(pk)
    ).exists()


# --- reading the log in the admin ---------------------------------------------


@pytest.fixture
def two_zones(zone, group):
    """An entry in each zone: a region created in each."""
    own = RegionFactory(municipality=group.municipality, name="Eigen wijk")
    other_group = WhatsAppGroupFactory()
    foreign = RegionFactory(municipality=other_group.municipality, name="Andere wijk")
    return own, foreign


def listed_entries(response) -> set[int]:
    return {entry.pk for entry in response.context["cl"].queryset}


def test_zone_staff_read_only_their_zones_entries(client, zone_staff, zone, two_zones):
    own, foreign = two_zones
    client.force_login(zone_staff)

    response = client.get(reverse("admin:auditlog_logentry_changelist"))

    assert response.status_code == HTTPStatus.OK
    shown = LogEntry.objects.filter(pk__in=listed_entries(response))
    assert shown.exists()
    assert {entry.additional_data["zone"] for entry in shown} == {zone.pk}
    assert {e.pk for e in entries_for(own)} <= set(listed_entries(response))
    assert not {e.pk for e in entries_for(foreign)} & listed_entries(response)


def test_zone_staff_open_an_entry_of_their_zone_but_not_of_another(
    client, zone_staff, two_zones
):
    own, foreign = two_zones
    client.force_login(zone_staff)
    [mine] = entries_for(own)
    [theirs] = entries_for(foreign)

    ok = client.get(reverse("admin:auditlog_logentry_change", args=[mine.pk]))
    other = client.get(reverse("admin:auditlog_logentry_change", args=[theirs.pk]))

    assert ok.status_code == HTTPStatus.OK
    assert other.status_code == HTTPStatus.FOUND  # "not found", to the index


def test_superuser_reads_every_entry(client, two_zones):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get(reverse("admin:auditlog_logentry_changelist"))

    assert listed_entries(response) == set(
        LogEntry.objects.values_list("pk", flat=True)
    )


def test_coordinators_do_not_read_the_log(client, coordinator_user, two_zones):
    own, _foreign = two_zones
    [entry] = entries_for(own)
    client.force_login(coordinator_user)

    listing = client.get(reverse("admin:auditlog_logentry_changelist"))
    detail = client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))

    assert listing.status_code == HTTPStatus.FORBIDDEN
    assert detail.status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("who", ["superuser", "staff"])
def test_nobody_deletes_or_changes_an_entry(client, zone_staff, two_zones, who):
    own, _foreign = two_zones
    [entry] = entries_for(own)
    user = (
        UserFactory(is_superuser=True, is_staff=True)
        if who == "superuser"
        else zone_staff
    )
    client.force_login(user)

    delete = client.post(
        reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    bulk = client.post(
        reverse("admin:auditlog_logentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    change = client.post(
        reverse("admin:auditlog_logentry_change", args=[entry.pk]),
        {"object_repr": "Niets gebeurd", "action": "2"},
    )
    add = client.get(reverse("admin:auditlog_logentry_add"))

    assert delete.status_code == HTTPStatus.FORBIDDEN
    assert add.status_code == HTTPStatus.FORBIDDEN
    assert change.status_code == HTTPStatus.FORBIDDEN
    assert bulk.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    refreshed = LogEntry.objects.get(pk=entry.pk)
    assert refreshed.object_repr == entry.object_repr
    assert refreshed.action == entry.action


def test_the_log_offers_no_delete_action(client, zone_staff, two_zones):
    client.force_login(zone_staff)

    response = client.get(reverse("admin:auditlog_logentry_changelist"))

    assert 'value="delete_selected"' not in response.content.decode()


def test_changes_to_a_group_show_in_the_list_of_its_zone(client, zone_staff, group):
    group.description = "Nieuwe omschrijving"
    with set_actor(zone_staff):
        group.save()
    client.force_login(zone_staff)

    response = client.get(
        reverse("admin:auditlog_logentry_changelist"), {"q": group.name}
    )

    entry_pks = {e.pk for e in entries_for(group)}
    assert entry_pks
    assert entry_pks <= listed_entries(response)
