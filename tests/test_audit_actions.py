"""The audit trail: each action on a resident's data or on a role is one entry.

Approving, rejecting, removing, a member leaving, marking a member added,
exporting members, staff or a coordinator opening a signup, and changing who
holds which role each write exactly one django-auditlog entry: who (the actor),
what (create, update, delete or access), on which object (content type and
number) and when. No entry holds the resident's name, phone number, e-mail or
street, and nobody changes or deletes an entry through the portal, not even a
superuser. Staff read their own zone's entries; entries without a zone (role
changes of a login, an export across zones) are for superusers.
"""

import json
from collections.abc import Callable
from datetime import timedelta
from http import HTTPStatus

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from phonenumber_field.phonenumber import PhoneNumber

from groups.constants import ROLE_COORDINATOR, ROLE_ZONE_STAFF
from groups.models import Coordinator, PoliceZone
from groups.services import add_zone_staff, link_coordinator_login
from registrations.constants import ExportKind, SignupStatus
from registrations.models import ExportRecord, Signup
from registrations.services import withdraw_signup
from tests.admin_forms import form_data
from tests.factories import (
    ApplicationFactory,
    CoordinatorFactory,
    SignupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

MEMBERS_URL = reverse("admin:registrations_member_changelist")
LOG_URL = reverse("admin:auditlog_logentry_changelist")

GRIET = {
    "first_name": "Griet",
    "last_name": "Vanhoudt",
    "email": "griet.vanhoudt@example.be",
    "phone": "+32470551234",
    "street_name": "Kapelleweg",
    "house_number": "117",
    "box": "b3",
}
LOGIN = {
    "username": "agent-4711",
    "first_name": "Jozef",
    "last_name": "Peeters",
    "email": "jozef.peeters@politie.example",
}


def personal_data() -> list[str]:
    phone = PhoneNumber.from_string(GRIET["phone"])
    return [
        GRIET["first_name"],
        GRIET["last_name"],
        GRIET["email"],
        GRIET["street_name"],
        phone.as_e164,
        phone.as_international,
        phone.as_national,
        "470551234",
    ]


def entry_text(entry: LogEntry) -> str:
    return " ".join(
        [
            entry.object_repr,
            entry.changes_text,
            json.dumps(entry.changes, ensure_ascii=False),
            json.dumps(entry.additional_data, ensure_ascii=False),
            json.dumps(entry.serialized_data, ensure_ascii=False),
            str(entry),
        ]
    ).lower()


def assert_names_no_resident(entry: LogEntry) -> None:
    text = entry_text(entry)
    for value in personal_data():
        assert value.lower() not in text, (entry.pk, value)


def last_entry_pk() -> int:
    return LogEntry.objects.aggregate(last=Max("pk"))["last"] or 0


def written_by(action: Callable[[], object]) -> tuple[list[LogEntry], object]:
    """Run ``action``; return the entries it wrote, and what it returned."""
    since = last_entry_pk()
    result = action()
    entries = list(LogEntry.objects.filter(pk__gt=since).order_by("pk"))
    return entries, result


def content_type(model) -> ContentType:
    return ContentType.objects.get_for_model(model)


def assert_recent(entry: LogEntry) -> None:
    assert timezone.now() - timedelta(minutes=1) < entry.timestamp <= timezone.now()


@pytest.fixture
def superuser() -> User:
    return UserFactory(is_superuser=True, is_staff=True)


def member(group, **kwargs) -> Signup:
    return SignupFactory(
        group=group, status=SignupStatus.APPROVED, decided_at=timezone.now(), **kwargs
    )


# --- decisions on a signup -----------------------------------------------------


def approve(client, signup, other_group):
    return client.post(
        reverse("admin:registrations_pendingsignup_approve", args=[signup.pk])
    )


def reject(client, signup, other_group):
    return client.post(
        reverse("admin:registrations_pendingsignup_reject", args=[signup.pk]),
        {"reason": "Griet Vanhoudt woont aan de Kapelleweg, buiten de wijk."},
    )


def move(client, signup, other_group):
    return client.post(
        reverse("admin:registrations_pendingsignup_move", args=[signup.pk]),
        {"group": other_group.pk},
    )


def member_action(action: str, **extra) -> Callable:
    def post(client, signup, other_group):
        return client.post(
            MEMBERS_URL,
            {"action": action, ACTION_CHECKBOX_NAME: [signup.pk], **extra},
        )

    return post


def reject_application(client, signup, other_group):
    return client.post(
        reverse("admin:registrations_groupapplication_reject", args=[signup.pk]),
        {"reason": "Griet: deze wijk heeft al een groep."},
    )


# case: (who decides, the signup's role and status before, the request, the
# field the entry records as changed, the status after)
DECISIONS = {
    "approve": (
        "coordinator",
        SignupStatus.PENDING,
        approve,
        "status",
        SignupStatus.APPROVED,
    ),
    "reject": (
        "coordinator",
        SignupStatus.PENDING,
        reject,
        "status",
        SignupStatus.REJECTED,
    ),
    "move": ("coordinator", SignupStatus.PENDING, move, "group", SignupStatus.PENDING),
    "mark-added": (
        "coordinator",
        SignupStatus.APPROVED,
        member_action("mark_added_selected"),
        "added_to_whatsapp_at",
        SignupStatus.APPROVED,
    ),
    "left": (
        "coordinator",
        SignupStatus.APPROVED,
        member_action("mark_left_selected", apply="1"),
        "status",
        SignupStatus.LEFT,
    ),
    "removed": (
        "coordinator",
        SignupStatus.APPROVED,
        member_action(
            "mark_removed_selected",
            apply="1",
            reason="Griet deelde foto's van de Kapelleweg.",
        ),
        "status",
        SignupStatus.REMOVED,
    ),
    "staff-removes": (
        "staff",
        SignupStatus.APPROVED,
        member_action(
            "mark_removed_selected", apply="1", reason="Op vraag van de zone."
        ),
        "status",
        SignupStatus.REMOVED,
    ),
    "staff-rejects-application": (
        "staff",
        None,
        reject_application,
        "status",
        SignupStatus.REJECTED,
    ),
}


@pytest.mark.parametrize("case", list(DECISIONS))
def test_a_decision_in_the_admin_writes_one_entry_with_its_actor(
    client, coordinator_user, zone_staff, group, case
):
    who, status, post, field, after = DECISIONS[case]
    if status is None:
        signup = ApplicationFactory(municipality=group.municipality, **GRIET)
    elif status == SignupStatus.APPROVED:
        signup = member(group, **GRIET)
    else:
        signup = SignupFactory(group=group, status=status, **GRIET)
    other_group = WhatsAppGroupFactory(municipality=group.municipality)
    user = coordinator_user if who == "coordinator" else zone_staff
    client.force_login(user)

    entries, response = written_by(lambda: post(client, signup, other_group))

    assert response.status_code == HTTPStatus.FOUND
    signup.refresh_from_db()
    assert signup.status == after
    [entry] = entries
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == user
    assert entry.content_type == content_type(Signup)
    assert entry.object_pk == str(signup.pk)
    assert entry.object_repr.endswith(f"#{signup.pk}")
    assert field in entry.changes_dict
    assert entry.additional_data == {"zone": group.municipality.zone_id}
    assert_recent(entry)
    assert_names_no_resident(entry)


def test_approving_an_application_writes_one_entry_for_the_signup(
    client, zone_staff, group
):
    signup = ApplicationFactory(municipality=group.municipality, **GRIET)
    client.force_login(zone_staff)

    entries, response = written_by(
        lambda: client.post(
            reverse("admin:registrations_groupapplication_approve", args=[signup.pk]),
            {"group_name": "WABP Kapelleweg", "region_name": "Kapelleweg"},
        )
    )

    assert response.status_code == HTTPStatus.FOUND
    [entry] = [e for e in entries if e.content_type == content_type(Signup)]
    assert entry.object_pk == str(signup.pk)
    assert entry.actor == zone_staff
    assert entry.changes_dict["status"] == [
        SignupStatus.PENDING,
        SignupStatus.APPROVED,
    ]
    assert_names_no_resident(entry)
    # What the approval founds (group, region, coordinator, their login) is
    # logged on those objects, one entry each per change, all by the same actor.
    founded = {e.content_type.model for e in entries} - {"signup"}
    assert {"whatsappgroup", "region", "coordinator", "user"} <= founded
    assert {e.actor for e in entries} == {zone_staff}


def test_the_residents_name_never_reaches_the_log_table(
    client, coordinator_user, group
):
    """Not even for a moment: a row once written with the name and then
    corrected would stay in the database's files and backups."""
    signup = SignupFactory(group=group, **GRIET)
    client.force_login(coordinator_user)

    with CaptureQueriesContext(connection) as queries:
        client.get(
            reverse("admin:registrations_pendingsignup_change", args=[signup.pk])
        )
        approve(client, signup, None)
        Signup.objects.get(pk=signup.pk).delete()

    written = [
        query["sql"].lower()
        for query in queries.captured_queries
        if "auditlog_logentry" in query["sql"]
    ]
    assert len(written) >= 3  # the view, the approval, the deletion
    for sql in written:
        assert GRIET["last_name"].lower() not in sql


def test_a_resident_withdrawing_writes_one_entry_without_an_actor(group):
    signup = member(group, **GRIET)

    entries, _signup = written_by(lambda: withdraw_signup(signup))

    [entry] = entries
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor is None
    assert entry.changes_dict["status"] == [
        SignupStatus.APPROVED,
        SignupStatus.WITHDRAWN,
    ]
    assert_names_no_resident(entry)


def test_marking_a_withdrawn_member_removed_writes_one_entry(
    client, coordinator_user, group
):
    signup = member(group, **GRIET)
    withdraw_signup(signup)
    client.force_login(coordinator_user)

    entries, response = written_by(
        lambda: client.post(
            reverse("admin:registrations_withdrawnmember_changelist"),
            {
                "action": "mark_removed_selected",
                ACTION_CHECKBOX_NAME: [signup.withdrawn_member.pk],
            },
        )
    )

    assert response.status_code == HTTPStatus.FOUND
    [entry] = entries
    assert (entry.content_type, entry.object_pk) == (
        content_type(Signup),
        str(signup.pk),
    )
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == coordinator_user
    assert entry.changes_dict == {"removed_from_whatsapp": ["False", "True"]}
    assert_recent(entry)
    assert_names_no_resident(entry)


def test_a_refused_decision_writes_nothing(client, coordinator_user, group):
    foreign = SignupFactory(**GRIET)  # another zone's group
    client.force_login(coordinator_user)

    entries, response = written_by(
        lambda: client.post(
            reverse("admin:registrations_pendingsignup_approve", args=[foreign.pk])
        )
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert entries == []


# --- opening a signup: a view of personal data --------------------------------


def pending(group):
    return SignupFactory(group=group, **GRIET)


def application(group):
    return ApplicationFactory(municipality=group.municipality, **GRIET)


# case: (the admin's model name, who opens it, the signup it shows)
VIEWS = {
    "pending-by-coordinator": ("pendingsignup", "coordinator", pending),
    "member-by-coordinator": ("member", "coordinator", lambda g: member(g, **GRIET)),
    "signup-by-coordinator": ("signup", "coordinator", pending),
    "signup-by-staff": ("signup", "staff", pending),
    "member-by-staff": ("member", "staff", lambda g: member(g, **GRIET)),
    "application-by-staff": ("groupapplication", "staff", application),
    "signup-by-superuser": ("signup", "superuser", pending),
}


@pytest.mark.parametrize("case", list(VIEWS))
def test_opening_a_signup_writes_one_access_entry(
    client, coordinator_user, zone_staff, superuser, group, case
):
    model_name, who, make = VIEWS[case]
    signup = make(group)
    user = {
        "coordinator": coordinator_user,
        "staff": zone_staff,
        "superuser": superuser,
    }[who]
    client.force_login(user)
    url = reverse(f"admin:registrations_{model_name}_change", args=[signup.pk])

    entries, response = written_by(lambda: client.get(url))

    assert response.status_code == HTTPStatus.OK
    assert GRIET["last_name"] in response.content.decode()
    [entry] = entries
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.actor == user
    # Every proxy (pending, member, application) logs as the signup itself.
    assert entry.content_type == content_type(Signup)
    assert entry.object_pk == str(signup.pk)
    assert entry.object_repr.endswith(f"#{signup.pk}")
    assert entry.additional_data == {"zone": group.municipality.zone_id}
    assert_recent(entry)
    assert_names_no_resident(entry)


def test_each_opening_is_its_own_entry(client, coordinator_user, group):
    signup = pending(group)
    client.force_login(coordinator_user)
    url = reverse("admin:registrations_pendingsignup_change", args=[signup.pk])

    entries, _ = written_by(lambda: (client.get(url), client.get(url)))

    assert [entry.action for entry in entries] == [LogEntry.Action.ACCESS] * 2


def test_posting_the_signup_form_logs_no_view(client, zone_staff, group):
    signup = pending(group)
    client.force_login(zone_staff)
    url = reverse("admin:registrations_signup_change", args=[signup.pk])
    data = form_data(client.get(url))

    entries, response = written_by(lambda: client.post(url, data))

    assert response.status_code == HTTPStatus.FOUND
    # No view is logged, and the form being read-only, no change either.
    assert entries == []


@pytest.mark.parametrize("who", ["other_coordinator", "anonymous", "missing"])
def test_a_signup_not_shown_logs_no_view(client, group, who):
    signup = pending(group)
    pk = signup.pk
    if who == "other_coordinator":
        other = CoordinatorFactory(groups=[WhatsAppGroupFactory()])
        client.force_login(link_coordinator_login(other, user=UserFactory()).user)
    elif who == "missing":
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
        pk = signup.pk + 1000

    entries, response = written_by(
        lambda: client.get(
            reverse("admin:registrations_pendingsignup_change", args=[pk])
        )
    )

    assert response.status_code == HTTPStatus.FOUND  # to the index or the login
    assert entries == []


# --- exporting members ----------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "kind"),
    [("export_csv", ExportKind.CSV), ("export_vcard", ExportKind.VCARD)],
)
def test_an_export_writes_one_access_entry_naming_no_one(
    client, coordinator_user, group, action, kind
):
    griet = member(group, **GRIET)
    other = member(group)
    client.force_login(coordinator_user)

    entries, response = written_by(
        lambda: client.post(
            MEMBERS_URL, {"action": action, ACTION_CHECKBOX_NAME: [griet.pk, other.pk]}
        )
    )

    assert response.status_code == HTTPStatus.OK
    assert GRIET["last_name"] in response.content.decode()
    record = ExportRecord.objects.get()
    [entry] = entries
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.actor == coordinator_user
    assert entry.content_type == content_type(ExportRecord)
    assert entry.object_pk == str(record.pk)
    assert entry.additional_data == {
        "zone": group.municipality.zone_id,
        "kind": kind,
        "count": 2,
        "signups": sorted([griet.pk, other.pk]),
    }
    assert_recent(entry)
    assert_names_no_resident(entry)


def test_an_export_across_zones_is_for_superusers_only(
    client, superuser, zone_staff, group
):
    griet = member(group, **GRIET)
    elsewhere = member(WhatsAppGroupFactory())
    client.force_login(superuser)

    entries, _ = written_by(
        lambda: client.post(
            MEMBERS_URL,
            {"action": "export_csv", ACTION_CHECKBOX_NAME: [griet.pk, elsewhere.pk]},
        )
    )

    [entry] = entries
    assert entry.additional_data["zone"] is None
    assert entry.pk in listed(client, superuser)
    assert entry.pk not in listed(client, zone_staff)


# --- roles ----------------------------------------------------------------------


@pytest.fixture
def login() -> User:
    """A login with nothing yet: no role, no admin."""
    return UserFactory(**LOGIN)


def user_change(client, superuser, user, change: Callable[[dict], None]):
    client.force_login(superuser)
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = form_data(client.get(url))
    change(data)
    return client.post(url, data)


def assert_role_entry(entry: LogEntry, user: User, actor: User) -> None:
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == actor
    assert entry.content_type == content_type(User)
    assert entry.object_pk == str(user.pk)
    # A login is named by its username, as in the actor column; never by
    # its e-mail address or names, nor with its password.
    assert entry.object_repr == user.username
    text = entry_text(entry)
    for value in (LOGIN["first_name"], LOGIN["last_name"], LOGIN["email"], "md5$"):
        assert value.lower() not in text
    # Staff of a zone do not read role changes of logins: they carry no zone.
    assert not (entry.additional_data or {}).get("zone")
    assert_recent(entry)


def flag(name: str, value: bool) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        if value:
            data[name] = "on"
        else:
            data.pop(name, None)

    return change


@pytest.mark.parametrize(
    ("name", "before", "after"),
    [
        ("is_staff", False, True),
        ("is_staff", True, False),
        ("is_superuser", False, True),
        ("is_superuser", True, False),
        ("is_active", True, False),
        ("is_active", False, True),
    ],
)
def test_a_superuser_changing_a_flag_of_a_login_writes_one_entry(
    client, superuser, login, name, before, after
):
    setattr(login, name, before)
    login.save()

    entries, response = written_by(
        lambda: user_change(client, superuser, login, flag(name, after))
    )

    assert response.status_code == HTTPStatus.FOUND
    login.refresh_from_db()
    assert getattr(login, name) is after
    [entry] = entries
    assert_role_entry(entry, login, superuser)
    assert entry.changes_dict == {name: [str(before), str(after)]}


@pytest.mark.parametrize("role", [ROLE_COORDINATOR, ROLE_ZONE_STAFF])
@pytest.mark.parametrize("operation", ["add", "delete"])
def test_a_superuser_giving_or_taking_a_role_writes_one_entry(
    client, superuser, login, role, operation
):
    group = Group.objects.get(name=role)
    if operation == "delete":
        login.groups.add(group)

    def change(data: dict) -> None:
        data["groups"] = [str(group.pk)] if operation == "add" else []

    entries, response = written_by(
        lambda: user_change(client, superuser, login, change)
    )

    assert response.status_code == HTTPStatus.FOUND
    assert login.groups.filter(pk=group.pk).exists() is (operation == "add")
    [entry] = entries
    assert_role_entry(entry, login, superuser)
    assert entry.changes["groups"] == {
        "type": "m2m",
        "operation": operation,
        "objects": [role],
    }


def test_logging_in_or_a_new_password_writes_nothing(client, login):
    def act():
        client.force_login(login)  # sets last_login
        login.set_password("een ander wachtwoord")
        login.save()

    entries, _ = written_by(act)

    assert entries == []


@pytest.mark.parametrize("operation", ["add", "delete"])
def test_a_superuser_changing_a_zones_staff_writes_one_entry(
    client, superuser, zone, login, operation
):
    if operation == "delete":
        zone.staff.add(login)
    client.force_login(superuser)
    url = reverse("admin:groups_policezone_change", args=[zone.pk])
    data = form_data(client.get(url))
    data["staff"] = [str(login.pk)] if operation == "add" else []

    entries, response = written_by(lambda: client.post(url, data))

    assert response.status_code == HTTPStatus.FOUND
    assert zone.staff.filter(pk=login.pk).exists() is (operation == "add")
    # The login's own change (staff flag, zone-staff role) is recorded on
    # the login; the zone's staff list in one entry on the zone.
    on_login = [each for each in entries if each.content_type == content_type(User)]
    assert on_login and all(each.object_pk == str(login.pk) for each in on_login)
    [entry] = [each for each in entries if each not in on_login]
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == superuser
    assert entry.content_type == content_type(PoliceZone)
    assert entry.object_pk == str(zone.pk)
    assert entry.changes["staff"]["operation"] == operation
    assert entry.changes["staff"]["objects"] == [login.username]
    assert entry.additional_data == {"zone": zone.pk}


def coordinator_of(zone) -> Coordinator:
    return CoordinatorFactory(zone=zone)


@pytest.mark.parametrize("operation", ["add", "delete"])
def test_staff_changing_a_coordinators_groups_writes_one_entry(
    client, zone_staff, group, operation
):
    coordinator = coordinator_of(group.municipality.zone)
    if operation == "delete":
        coordinator.groups.add(group)
    client.force_login(zone_staff)
    url = reverse("admin:groups_coordinator_change", args=[coordinator.pk])
    data = form_data(client.get(url))
    data["groups"] = [str(group.pk)] if operation == "add" else []

    entries, response = written_by(lambda: client.post(url, data))

    assert response.status_code == HTTPStatus.FOUND
    assert_one_groups_entry(entries, coordinator, group, zone_staff, operation)


def inline_prefix(response) -> str:
    [formset] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Coordinator.groups.through
    ]
    return formset.prefix


@pytest.mark.parametrize("operation", ["add", "delete"])
def test_staff_changing_a_groups_coordinators_writes_one_entry(
    client, zone_staff, group, operation
):
    coordinator = coordinator_of(group.municipality.zone)
    if operation == "delete":
        coordinator.groups.add(group)
    client.force_login(zone_staff)
    url = reverse("admin:groups_whatsappgroup_change", args=[group.pk])
    page = client.get(url)
    data = form_data(page)
    prefix = inline_prefix(page)
    if operation == "add":
        index = int(data[f"{prefix}-TOTAL_FORMS"])
        data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
        data[f"{prefix}-{index}-coordinator"] = str(coordinator.pk)
    else:
        data[f"{prefix}-0-DELETE"] = "on"

    entries, response = written_by(lambda: client.post(url, data))

    assert response.status_code == HTTPStatus.FOUND
    assert_one_groups_entry(entries, coordinator, group, zone_staff, operation)


def test_staff_swapping_a_groups_coordinator_logs_it_on_both(client, zone_staff, group):
    leaving = coordinator_of(group.municipality.zone)
    leaving.groups.add(group)
    coming = coordinator_of(group.municipality.zone)
    client.force_login(zone_staff)
    url = reverse("admin:groups_whatsappgroup_change", args=[group.pk])
    page = client.get(url)
    data = form_data(page)
    data[f"{inline_prefix(page)}-0-coordinator"] = str(coming.pk)

    entries, response = written_by(lambda: client.post(url, data))

    assert response.status_code == HTTPStatus.FOUND
    assert list(group.coordinators.all()) == [coming]
    assert sorted(
        (int(entry.object_pk), entry.changes["groups"]["operation"])
        for entry in entries
    ) == sorted([(leaving.pk, "delete"), (coming.pk, "add")])
    assert {entry.actor for entry in entries} == {zone_staff}


def assert_one_groups_entry(entries, coordinator, group, actor, operation) -> None:
    assert coordinator.groups.filter(pk=group.pk).exists() is (operation == "add")
    [entry] = entries
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == actor
    assert entry.content_type == content_type(Coordinator)
    assert entry.object_pk == str(coordinator.pk)
    assert entry.changes["groups"] == {
        "type": "m2m",
        "operation": operation,
        "objects": [group.name],
    }
    assert entry.additional_data == {"zone": group.municipality.zone_id}


def test_making_a_login_zone_staff_writes_one_entry_per_change(zone, login):
    """The service changes two objects in three ways: each is its own record."""
    actor = UserFactory(is_superuser=True, is_staff=True)

    with set_actor(actor):
        entries, _ = written_by(lambda: add_zone_staff(zone, user=login))

    recorded = sorted(
        (entry.content_type.model, *entry.changes_dict) for entry in entries
    )
    assert recorded == [
        ("policezone", "staff"),
        ("user", "groups"),
        ("user", "is_staff"),
    ]
    assert {entry.actor for entry in entries} == {actor}


# --- nobody edits the trail -----------------------------------------------------


@pytest.fixture
def trail(client, coordinator_user, superuser, group, login) -> dict[str, LogEntry]:
    """One entry of each new kind: a view, an export and a role change."""
    signup = pending(group)
    exported = member(group)
    client.force_login(coordinator_user)
    [view], _ = written_by(
        lambda: client.get(
            reverse("admin:registrations_pendingsignup_change", args=[signup.pk])
        )
    )
    [export], _ = written_by(
        lambda: client.post(
            MEMBERS_URL,
            {"action": "export_csv", ACTION_CHECKBOX_NAME: [exported.pk]},
        )
    )
    [role], _ = written_by(
        lambda: user_change(client, superuser, login, flag("is_staff", True))
    )
    client.logout()
    return {"view": view, "export": export, "role": role}


def stored(entry: LogEntry) -> dict:
    return LogEntry.objects.filter(pk=entry.pk).values().get()


@pytest.mark.parametrize("kind", ["view", "export", "role"])
@pytest.mark.parametrize("who", ["superuser", "staff"])
def test_nobody_changes_or_deletes_an_entry_in_the_admin(
    client, trail, superuser, zone_staff, kind, who
):
    entry = trail[kind]
    before = stored(entry)
    count = LogEntry.objects.count()
    client.force_login(superuser if who == "superuser" else zone_staff)
    change_url = reverse("admin:auditlog_logentry_change", args=[entry.pk])

    change = client.post(
        change_url,
        {"object_repr": "Niets gebeurd", "action": "0", "actor": "", "changes": "{}"},
    )
    delete = client.post(
        reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    bulk = client.post(
        LOG_URL,
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [entry.pk], "post": "yes"},
    )
    add = client.post(
        reverse("admin:auditlog_logentry_add"),
        {"object_repr": "Verzonnen", "action": "0", "object_pk": "1"},
    )

    refused = {HTTPStatus.FORBIDDEN, HTTPStatus.FOUND}
    assert change.status_code in refused
    assert delete.status_code in refused
    assert add.status_code == HTTPStatus.FORBIDDEN
    assert bulk.status_code in {HTTPStatus.OK, HTTPStatus.FOUND}
    assert stored(entry) == before
    assert LogEntry.objects.count() == count


def test_the_log_admin_grants_no_change_even_to_a_superuser(rf, superuser):
    from django.contrib import admin

    model_admin = admin.site.get_model_admin(LogEntry)
    request = rf.get(LOG_URL)
    request.user = superuser
    entry = LogEntry.objects.log_create(
        superuser, action=LogEntry.Action.ACCESS, force_log=True
    )

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    assert "delete_selected" not in model_admin.get_actions(request)


# --- who reads which entries ----------------------------------------------------


def listed(client, user) -> set[int]:
    client.force_login(user)
    response = client.get(LOG_URL)
    assert response.status_code == HTTPStatus.OK
    return {entry.pk for entry in response.context["cl"].queryset}


def test_staff_read_views_and_exports_of_their_zone_only(
    client, trail, superuser, zone_staff
):
    elsewhere = SignupFactory()  # a signup of another zone, opened by a superuser
    client.force_login(superuser)
    [foreign_view], _ = written_by(
        lambda: client.get(
            reverse("admin:registrations_signup_change", args=[elsewhere.pk])
        )
    )

    shown = listed(client, zone_staff)

    assert trail["view"].pk in shown
    assert trail["export"].pk in shown
    assert foreign_view.pk not in shown
    assert trail["role"].pk not in shown
    assert {trail["view"].pk, trail["export"].pk, trail["role"].pk} | {
        foreign_view.pk
    } <= listed(client, superuser)


def test_coordinators_read_no_entry_not_even_their_own(client, trail, coordinator_user):
    client.force_login(coordinator_user)

    response = client.get(LOG_URL)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert trail["view"].actor == coordinator_user


@pytest.mark.parametrize("kind", ["view", "export", "role"])
def test_each_new_kind_of_entry_opens_in_the_log_naming_no_one(
    client, superuser, trail, kind
):
    entry = trail[kind]
    client.force_login(superuser)

    response = client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))

    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert entry.object_repr in content
    for value in personal_data():
        assert value not in content
