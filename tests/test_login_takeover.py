"""No role climbs out of its scope through another person's login.

Staff of zone Y once took over a superuser: they added a coordinator with the
superuser's e-mail address (the login was linked to it), changed that
coordinator's address to their own, sent "the invitation again" (a link to
set the superuser's password) and reset the second factor. Every flow that
touches a login is tried here as staff of zone Y against logins whose roles
lie outside that scope: a superuser, staff of zone X, a coordinator of zone
X, a colleague on zone Y's own staff, and a zone-Y coordinator whose login is
also staff of zone X. For each: nothing about the login changes, and nothing
is sent.
"""

from dataclasses import dataclass
from http import HTTPStatus

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from post_office.models import Email

from groups.models import Coordinator
from groups.services import (
    add_zone_staff,
    create_coordinator,
    invite_coordinator,
    link_coordinator_login,
    may_manage_login,
    reactivate_coordinator,
    reset_two_factor,
)
from registrations.services import approve_application
from registrations.services.privacy import PersonQuery, find_person
from tests.factories import (
    ApplicationFactory,
    CoordinatorFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

ATTACKER_MAILBOX = "attacker@example.be"


@dataclass
class Scene:
    zone_y: object
    group_y: object
    attacker: User  # staff of zone Y
    victims: dict[str, User]
    # A zone-Y coordinator row on each victim login that a superuser linked
    # (the shared logins: a coordinator who is also staff or superuser).
    shared: dict[str, Coordinator]


def snapshot(user: User) -> dict:
    user.refresh_from_db()
    return {
        "email": user.email,
        "password": user.password,
        "active": user.is_active,
        "staff": user.is_staff,
        "superuser": user.is_superuser,
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "zones": sorted(user.police_zones.values_list("pk", flat=True)),
        "coordinator": list(
            Coordinator.objects.filter(user=user).values_list("pk", flat=True)
        ),
        "devices": sorted(TOTPDevice.objects.filter(user=user).values_list("pk")),
    }


@pytest.fixture
def scene(db) -> Scene:
    zone_x, zone_y = PoliceZoneFactory(), PoliceZoneFactory()
    group_x = WhatsAppGroupFactory(municipality=MunicipalityFactory(zone=zone_x))
    group_y = WhatsAppGroupFactory(municipality=MunicipalityFactory(zone=zone_y))
    attacker = UserFactory(email=ATTACKER_MAILBOX)
    add_zone_staff(zone_y, user=attacker)

    superuser = UserFactory(email="chief@example.be", is_superuser=True, is_staff=True)
    staff_x = UserFactory(email="staff.x@example.be")
    add_zone_staff(zone_x, user=staff_x)
    colleague = UserFactory(email="colleague.y@example.be")
    add_zone_staff(zone_y, user=colleague)
    coordinator_x = UserFactory(email="coordinator.x@example.be")
    link_coordinator_login(
        CoordinatorFactory(zone=zone_x, groups=[group_x], email=coordinator_x.email),
        user=coordinator_x,
    )
    victims = {
        "superuser": superuser,
        "staff of another zone": staff_x,
        "colleague on the same staff": colleague,
        "coordinator of another zone": coordinator_x,
    }
    for victim in victims.values():
        TOTPDevice.objects.create(user=victim, name="phone", confirmed=True)

    # Logins that are a zone-Y coordinator *and* something zone Y's staff
    # do not cover, linked on purpose by a superuser.
    shared = {}
    for role in ("superuser", "staff of another zone"):
        login = UserFactory(email=f"shared.{len(shared)}@example.be")
        if role == "superuser":
            login.is_superuser = True
            login.save()
        else:
            add_zone_staff(zone_x, user=login)
        TOTPDevice.objects.create(user=login, name="phone", confirmed=True)
        shared[role] = link_coordinator_login(
            CoordinatorFactory(zone=zone_y, groups=[group_y], email=login.email),
            user=login,
        )
        victims[f"zone-Y coordinator who is also {role}"] = login
    Email.objects.all().delete()
    return Scene(zone_y, group_y, attacker, victims, shared)


VICTIMS = [
    "superuser",
    "staff of another zone",
    "colleague on the same staff",
    "coordinator of another zone",
    "zone-Y coordinator who is also superuser",
    "zone-Y coordinator who is also staff of another zone",
]
SHARED = ["superuser", "staff of another zone"]


def add_form(scene: Scene, email: str) -> dict:
    return {
        "zone": scene.zone_y.pk,
        "first_name": "Eva",
        "last_name": "Smet",
        "email": email,
        "phone": "0470 12 34 56",
        "groups": [scene.group_y.pk],
        "notification_mode": "immediate",
        "is_active": "on",
    }


def run_action(client, action: str, coordinator: Coordinator):
    return client.post(
        reverse("admin:groups_coordinator_changelist"),
        {"action": action, "_selected_action": [coordinator.pk]},
        follow=True,
    )


@pytest.mark.parametrize("victim", VICTIMS)
def test_staff_cannot_link_a_login_outside_their_scope_by_its_email(
    client, scene, victim
):
    target = scene.victims[victim]
    before = snapshot(target)
    client.force_login(scene.attacker)

    response = client.post(
        reverse("admin:groups_coordinator_add"),
        add_form(scene, target.email.upper()),
    )

    assert response.status_code == HTTPStatus.OK  # the form, with its message
    assert response.context["adminform"].form.errors
    assert snapshot(target) == before
    assert not Email.objects.exists()


@pytest.mark.parametrize("victim", VICTIMS)
def test_the_service_refuses_too_whoever_calls_it(scene, victim):
    target = scene.victims[victim]
    before = snapshot(target)

    with pytest.raises(ValidationError):
        create_coordinator(
            Coordinator(
                zone=scene.zone_y,
                first_name="Eva",
                last_name="Smet",
                email=target.email,
                phone="+32470123456",
            ),
            by=scene.attacker,
        )

    assert snapshot(target) == before
    assert not Email.objects.exists()


@pytest.mark.parametrize("victim", ["superuser", "staff of another zone"])
def test_a_superuser_never_links_a_staff_login_by_email_either(scene, victim):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    target = scene.victims[victim]
    before = snapshot(target)

    with pytest.raises(ValidationError):
        create_coordinator(
            Coordinator(
                zone=scene.zone_y,
                first_name="Eva",
                last_name="Smet",
                email=target.email,
            ),
            by=superuser,
        )

    assert snapshot(target) == before


@pytest.mark.parametrize("victim", VICTIMS)
def test_an_application_with_a_victims_email_founds_no_takeover(scene, victim):
    """An anonymous applicant types a victim's address; staff approve."""
    target = scene.victims[victim]
    before = snapshot(target)
    application = ApplicationFactory(
        municipality=scene.group_y.municipality, email=target.email
    )

    try:
        approve_application(
            application,
            by=scene.attacker,
            group_name="WABP Nieuw",
            region_name="Nieuw",
        )
    except ValidationError:
        pass  # refused: the login is not theirs to link
    else:
        # Only a zone-Y coordinator already on the table gets the group.
        assert target in [c.user for c in scene.shared.values()]

    assert snapshot(target) == before
    assert not any("/wachtwoord/" in mail.message for mail in Email.objects.all())


@pytest.mark.parametrize("role", SHARED)
def test_staff_cannot_readdress_a_shared_login(client, scene, role):
    coordinator = scene.shared[role]
    target = coordinator.user
    before = snapshot(target)
    client.force_login(scene.attacker)
    change = client.get(
        reverse("admin:groups_coordinator_change", args=[coordinator.pk])
    )
    data = {
        key: value
        for key, value in change.context["adminform"].form.initial.items()
        if key != "user"
    }
    data.update(add_form(scene, ATTACKER_MAILBOX))

    response = client.post(
        reverse("admin:groups_coordinator_change", args=[coordinator.pk]),
        data,
        follow=True,
    )

    assert response.status_code == HTTPStatus.OK
    coordinator.refresh_from_db()
    assert coordinator.email == ATTACKER_MAILBOX  # the row is theirs to keep
    assert snapshot(target) == before  # the login is not
    assert not Email.objects.exists()


@pytest.mark.parametrize("role", SHARED)
def test_invitation_and_reset_of_a_shared_login_change_nothing_send_nothing(
    client, scene, role
):
    coordinator = scene.shared[role]
    target = coordinator.user
    Coordinator.objects.filter(pk=coordinator.pk).update(email=ATTACKER_MAILBOX)
    before = snapshot(target)
    client.force_login(scene.attacker)

    for action in ("send_invitation", "reset_two_factor"):
        response = run_action(client, action, coordinator)
        assert response.status_code == HTTPStatus.OK
        assert snapshot(target) == before
    # Zone Y may take its coordinator off the table and put them back; the
    # login's other roles, address and second factor stay as they were.
    run_action(client, "deactivate", coordinator)
    assert snapshot(target)["active"]
    run_action(client, "reactivate", coordinator)

    assert snapshot(target) == before
    assert not Email.objects.exists()


@pytest.mark.parametrize("role", SHARED)
def test_the_login_services_refuse_staff_whose_scope_is_smaller(scene, role):
    coordinator = scene.shared[role]
    target = coordinator.user
    before = snapshot(target)

    with pytest.raises(PermissionDenied):
        invite_coordinator(coordinator, by=scene.attacker)
    with pytest.raises(PermissionDenied):
        reset_two_factor(coordinator, by=scene.attacker)
    reactivate_coordinator(coordinator, by=scene.attacker)

    assert snapshot(target) == before
    assert not Email.objects.exists()


@pytest.mark.parametrize("role", SHARED)
def test_staff_cannot_reopen_a_closed_login_of_other_roles(scene, role):
    coordinator = scene.shared[role]
    target = coordinator.user
    target.is_active = False
    target.save()
    Coordinator.objects.filter(pk=coordinator.pk).update(is_active=False)
    before = snapshot(target)

    with pytest.raises(ValidationError):
        reactivate_coordinator(coordinator, by=scene.attacker)

    assert snapshot(target) == before


def test_an_invitation_goes_to_the_address_the_login_has(scene):
    coordinator = create_coordinator(
        Coordinator(
            zone=scene.zone_y,
            first_name="Eva",
            last_name="Smet",
            email="eva.smet@example.be",
        ),
        by=scene.attacker,
        invite=False,
    )
    # Typed into the row without going through update_coordinator.
    Coordinator.objects.filter(pk=coordinator.pk).update(email=ATTACKER_MAILBOX)
    coordinator.refresh_from_db()

    invite_coordinator(coordinator, by=scene.attacker)

    [mail] = Email.objects.all()
    assert mail.to == ["eva.smet@example.be"]


def test_staff_may_readdress_and_invite_their_own_coordinator(client, scene):
    """Within their scope staff fix a typo: the login follows the row."""
    client.force_login(scene.attacker)
    client.post(
        reverse("admin:groups_coordinator_add"),
        add_form(scene, "eva.smet@exampel.be"),
    )
    coordinator = Coordinator.objects.get(email="eva.smet@exampel.be")
    change = add_form(scene, "eva.smet@example.be")

    client.post(
        reverse("admin:groups_coordinator_change", args=[coordinator.pk]), change
    )
    run_action(client, "send_invitation", coordinator)

    coordinator.refresh_from_db()
    assert coordinator.user.email == "eva.smet@example.be"
    assert Email.objects.order_by("pk").last().to == ["eva.smet@example.be"]


def test_staff_cannot_add_anyone_to_their_zones_staff(client, scene):
    victim = scene.victims["coordinator of another zone"]
    before = snapshot(victim)
    client.force_login(scene.attacker)
    url = reverse("admin:groups_policezone_change", args=[scene.zone_y.pk])
    page = client.get(url)
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None
    }
    data["staff"] = [scene.attacker.pk, victim.pk]

    client.post(url, data)

    assert snapshot(victim) == before
    assert not scene.zone_y.staff.filter(pk=victim.pk).exists()


@pytest.mark.parametrize("victim", VICTIMS)
def test_a_privacy_search_shows_no_login_outside_the_scope(scene, victim):
    target = scene.victims[victim]

    data = find_person(PersonQuery(email=target.email), by=scene.attacker)

    assert target not in data.logins


@pytest.mark.parametrize("victim", VICTIMS)
def test_the_rule_itself(scene, victim):
    assert not may_manage_login(scene.attacker, scene.victims[victim])
    assert may_manage_login(
        UserFactory(is_superuser=True, is_staff=True), scene.victims[victim]
    )


@pytest.mark.parametrize("role", SHARED)
def test_ticking_active_on_a_closed_login_of_other_roles_is_refused_in_the_form(
    client, scene, role
):
    coordinator = scene.shared[role]
    target = coordinator.user
    target.is_active = False
    target.save()
    Coordinator.objects.filter(pk=coordinator.pk).update(is_active=False)
    coordinator.refresh_from_db()
    before = snapshot(target)
    client.force_login(scene.attacker)
    data = add_form(scene, coordinator.email)
    data["first_name"], data["last_name"] = coordinator.first_name, "Renamed"

    response = client.post(
        reverse("admin:groups_coordinator_change", args=[coordinator.pk]), data
    )

    assert response.status_code == HTTPStatus.OK
    assert "is_active" in response.context["adminform"].form.errors
    coordinator.refresh_from_db()
    assert not coordinator.is_active and coordinator.last_name != "Renamed"
    assert snapshot(target) == before
