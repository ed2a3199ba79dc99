"""Coordinators and their logins: create, invite, deactivate, reactivate.

The services in ``groups.services.coordinators`` and the coordinator admin
that zone staff use to keep the table: adding a coordinator gives them a
login without a password and e-mails a link to choose one; deactivating takes
them off the public table and closes the login.
"""

import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from post_office.models import Email

from groups.constants import ROLE_COORDINATOR
from groups.models import Coordinator
from groups.services import (
    add_zone_staff,
    create_coordinator,
    deactivate_coordinator,
    invite_coordinator,
    link_coordinator_login,
    reactivate_coordinator,
)
from tests.auth import log_in
from tests.factories import (
    CoordinatorFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Buurtpreventie-Alken-2026"


def new_coordinator(zone, **overrides) -> Coordinator:
    values = {
        "zone": zone,
        "first_name": "Dominic",
        "last_name": "Hermans",
        "email": "dominic.hermans@example.be",
        "phone": "+32 470 12 34 56",
    }
    values.update(overrides)
    return Coordinator(**values)


def mails_to(address: str) -> list[Email]:
    """Mails queued for exactly this address."""
    return [mail for mail in Email.objects.order_by("pk") if address in mail.to]


def password_path(mail: Email) -> str:
    """The path of the set-password link in an invitation (text and HTML agree)."""
    pattern = re.escape(settings.SITE_URL) + r"(/wachtwoord/[^/\s]+/[^/\s]+/)"
    [path] = set(re.findall(pattern, mail.message))
    assert path in mail.html_message
    return path


@pytest.fixture
def staff(zone_staff) -> User:
    """Police-zone staff of ``group``'s zone: who adds and keeps coordinators."""
    return zone_staff


def in_role(user: User) -> bool:
    return user.groups.filter(name=ROLE_COORDINATOR).exists()


# --- create_coordinator -------------------------------------------------------


def test_create_coordinator_makes_a_login_without_a_password(group, staff):
    coordinator = create_coordinator(
        new_coordinator(group.municipality.zone, email=" Dominic.Hermans@Example.BE "),
        groups=[group],
        by=staff,
    )

    coordinator.refresh_from_db()
    user = coordinator.user
    assert coordinator.email == "dominic.hermans@example.be"
    assert list(coordinator.groups.all()) == [group]
    assert user.username == user.email == "dominic.hermans@example.be"
    assert (user.first_name, user.last_name) == ("Dominic", "Hermans")
    assert not user.has_usable_password()
    assert user.is_staff and user.is_active
    assert in_role(user)


def test_create_coordinator_links_the_login_with_the_same_email_whatever_its_case(
    group, staff
):
    existing = UserFactory(email="Dominic.Hermans@Example.be")

    coordinator = create_coordinator(
        new_coordinator(group.municipality.zone), groups=[group], by=staff
    )

    existing.refresh_from_db()
    assert coordinator.user == existing
    assert User.objects.exclude(pk=staff.pk).count() == 1
    # Their own password still works: nothing was reset.
    assert existing.check_password("correct horse battery staple")
    assert existing.is_staff and existing.is_active
    assert in_role(existing)


def test_create_coordinator_picks_a_free_user_name(group, staff):
    UserFactory(username="dominic.hermans@example.be", email="someone@example.be")

    coordinator = create_coordinator(new_coordinator(group.municipality.zone), by=staff)

    assert coordinator.user.username == "dominic.hermans@example.be-2"
    assert coordinator.user.email == "dominic.hermans@example.be"


def test_create_coordinator_queues_one_invitation_with_a_password_link(group, staff):
    create_coordinator(
        new_coordinator(group.municipality.zone), groups=[group], by=staff
    )

    [mail] = Email.objects.all()
    assert mail.to == ["dominic.hermans@example.be"]
    assert group.municipality.zone.name in mail.subject
    assert group.name in mail.message
    assert "dominic.hermans@example.be" in mail.message  # the user name
    assert password_path(mail)


def test_invitation_link_lets_the_coordinator_choose_a_password_and_log_in(
    client, group, staff
):
    create_coordinator(
        new_coordinator(group.municipality.zone), groups=[group], by=staff
    )
    [mail] = Email.objects.all()

    opened = client.get(password_path(mail))
    assert opened.status_code == HTTPStatus.FOUND
    form_url = opened["Location"]
    assert form_url.endswith("/set-password/")
    form = client.get(form_url)
    assert form.status_code == HTTPStatus.OK
    assert form.context["validlink"]
    done = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert done.status_code == HTTPStatus.FOUND
    assert done["Location"] == reverse("password_reset_complete")
    client.logout()
    assert log_in(client, "dominic.hermans@example.be", NEW_PASSWORD)
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK


def test_invitation_link_works_only_once(client, group, staff):
    create_coordinator(
        new_coordinator(group.municipality.zone), groups=[group], by=staff
    )
    path = password_path(Email.objects.get())
    form_url = client.get(path)["Location"]
    client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    client.logout()

    again = client.get(path, follow=True)

    assert not again.context["validlink"]


def test_create_coordinator_refuses_groups_of_another_zone(group, staff):
    foreign = WhatsAppGroupFactory()

    with pytest.raises(ValidationError) as error:
        create_coordinator(
            new_coordinator(group.municipality.zone), groups=[group, foreign], by=staff
        )

    assert "groups" in error.value.message_dict
    assert not Coordinator.objects.exists()
    assert not User.objects.exclude(pk=staff.pk).exists()
    assert not Email.objects.exists()


def test_create_coordinator_refuses_an_email_the_zone_already_has(group, staff):
    zone = group.municipality.zone
    CoordinatorFactory(zone=zone, email="dominic.hermans@example.be")

    with pytest.raises(ValidationError):
        create_coordinator(
            new_coordinator(zone, email="DOMINIC.hermans@example.be"), by=staff
        )

    assert Coordinator.objects.count() == 1
    assert not User.objects.exclude(pk=staff.pk).exists()
    assert not Email.objects.exists()


def test_create_coordinator_allows_the_same_email_in_another_zone(group, staff):
    CoordinatorFactory(email="dominic.hermans@example.be")

    coordinator = create_coordinator(new_coordinator(group.municipality.zone), by=staff)

    assert coordinator.pk is not None
    assert Coordinator.objects.filter(email="dominic.hermans@example.be").count() == 2


def test_create_coordinator_refuses_a_login_of_another_coordinator(group, staff):
    other_zone = PoliceZoneFactory()
    taken = UserFactory(email="dominic.hermans@example.be")
    link_coordinator_login(
        CoordinatorFactory(zone=other_zone, email="dominic.hermans@example.be"),
        user=taken,
    )

    with pytest.raises(ValidationError) as error:
        create_coordinator(
            new_coordinator(group.municipality.zone), groups=[group], by=staff
        )

    assert "email" in error.value.message_dict
    assert not Coordinator.objects.filter(zone=group.municipality.zone).exists()
    assert not Email.objects.exists()


def test_create_coordinator_takes_only_an_unsaved_coordinator(group, staff):
    existing = CoordinatorFactory(zone=group.municipality.zone)

    with pytest.raises(ValueError):
        create_coordinator(existing, by=staff)


def test_create_coordinator_without_invite_sends_nothing(group, staff):
    coordinator = create_coordinator(
        new_coordinator(group.municipality.zone), invite=False, by=staff
    )

    assert coordinator.user is not None
    assert not Email.objects.exists()


# --- invite_coordinator -------------------------------------------------------


def test_invite_coordinator_sends_a_fresh_password_link(group, staff):
    coordinator = create_coordinator(new_coordinator(group.municipality.zone), by=staff)

    invite_coordinator(coordinator, by=staff)

    first, second = mails_to("dominic.hermans@example.be")
    assert password_path(first) and password_path(second)


def test_invite_coordinator_without_a_login_is_refused(group, staff):
    coordinator = CoordinatorFactory(zone=group.municipality.zone, user=None)

    with pytest.raises(ValidationError):
        invite_coordinator(coordinator, by=staff)

    assert not Email.objects.exists()


# --- deactivate_coordinator / reactivate_coordinator -------------------------


@pytest.fixture
def listed(group) -> Coordinator:
    """An active coordinator of ``group`` in the public table, with a password."""
    coordinator = CoordinatorFactory(
        zone=group.municipality.zone,
        groups=[group],
        first_name="Dominic",
        last_name="Hermans",
        listed_publicly=True,
    )
    return link_coordinator_login(coordinator, user=UserFactory(username="dominic"))


def test_listed_coordinator_is_on_the_public_page(client, listed):
    assert "Dominic Hermans" in client.get("/").content.decode()


def test_deactivate_takes_the_coordinator_off_the_public_table(client, listed, staff):
    deactivate_coordinator(listed, by=staff)

    listed.refresh_from_db()
    assert not listed.is_active
    assert listed not in Coordinator.objects.listed()
    assert "Dominic Hermans" not in client.get("/").content.decode()


def test_deactivate_closes_the_login_and_removes_the_role(client, listed, staff):
    deactivate_coordinator(listed, by=staff)

    user = User.objects.get(pk=listed.user_id)
    assert not user.is_active
    assert not in_role(user)
    assert not log_in(client, "dominic", "correct horse battery staple")


def test_deactivate_ends_an_open_admin_session(client, listed, staff):
    client.force_login(listed.user)
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK

    deactivate_coordinator(listed, by=staff)

    response = client.get(reverse("admin:index"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:login"))


def test_deactivate_keeps_the_login_of_a_coordinator_who_is_also_zone_staff(
    client, listed, zone, staff
):
    add_zone_staff(zone, user=listed.user)

    deactivate_coordinator(listed, by=staff)

    user = User.objects.get(pk=listed.user_id)
    assert user.is_active
    assert not in_role(user)
    assert log_in(client, "dominic", "correct horse battery staple")


def test_deactivate_a_coordinator_without_login(group, staff):
    coordinator = CoordinatorFactory(zone=group.municipality.zone, groups=[group])

    deactivate_coordinator(coordinator, by=staff)

    coordinator.refresh_from_db()
    assert not coordinator.is_active


def test_reactivate_opens_the_login_and_the_public_listing_again(client, listed, staff):
    deactivate_coordinator(listed, by=staff)

    reactivate_coordinator(listed, by=staff)

    listed.refresh_from_db()
    assert listed.is_active
    assert listed in Coordinator.objects.listed()
    assert listed.user.is_active
    assert in_role(listed.user)
    assert log_in(client, "dominic", "correct horse battery staple")
    assert "Dominic Hermans" in client.get("/").content.decode()


# --- the coordinator admin ----------------------------------------------------


def add_form(group, **overrides) -> dict:
    data = {
        "zone": group.municipality.zone_id,
        "first_name": "Dominic",
        "last_name": "Hermans",
        "email": "dominic.hermans@example.be",
        "phone": "0470 12 34 56",
        "groups": [group.pk],
        "shares_contact": "on",
        "notification_mode": "immediate",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def change_form(coordinator: Coordinator, **overrides) -> dict:
    data = {
        "zone": coordinator.zone_id,
        "first_name": coordinator.first_name,
        "last_name": coordinator.last_name,
        "email": coordinator.email,
        "phone": coordinator.phone.as_international if coordinator.phone else "",
        "groups": [g.pk for g in coordinator.groups.all()],
        "notification_mode": coordinator.notification_mode,
    }
    for flag in ("listed_publicly", "shares_contact", "is_active"):
        if getattr(coordinator, flag):
            data[flag] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_zone_staff_add_a_coordinator_who_gets_a_login_and_an_invitation(
    client, zone_staff, group
):
    client.force_login(zone_staff)

    response = client.post(
        reverse("admin:groups_coordinator_add"), add_form(group), follow=True
    )

    assert response.status_code == HTTPStatus.OK
    coordinator = Coordinator.objects.get(email="dominic.hermans@example.be")
    assert list(coordinator.groups.all()) == [group]
    assert coordinator.user.email == "dominic.hermans@example.be"
    assert in_role(coordinator.user)
    [mail] = mails_to("dominic.hermans@example.be")
    assert password_path(mail)
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("dominic.hermans@example.be" in text for text in texts)


def test_zone_staff_see_the_add_form(client, zone_staff):
    client.force_login(zone_staff)

    response = client.get(reverse("admin:groups_coordinator_add"))

    assert response.status_code == HTTPStatus.OK


def test_zone_staff_cannot_add_a_coordinator_with_a_group_of_another_zone(
    client, zone_staff, group
):
    foreign = WhatsAppGroupFactory()
    client.force_login(zone_staff)

    response = client.post(
        reverse("admin:groups_coordinator_add"),
        add_form(group, groups=[group.pk, foreign.pk]),
    )

    assert response.status_code == HTTPStatus.OK
    assert "groups" in response.context["adminform"].form.errors
    assert not Coordinator.objects.exists()
    assert not Email.objects.exists()


def test_superuser_cannot_give_a_coordinator_a_group_of_another_zone(client, group):
    foreign = WhatsAppGroupFactory()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.post(
        reverse("admin:groups_coordinator_add"),
        add_form(group, groups=[group.pk, foreign.pk]),
    )

    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.errors["groups"]
    assert foreign.name in " ".join(errors)
    assert not Coordinator.objects.exists()


def test_zone_staff_cannot_add_a_coordinator_twice(client, zone_staff, group):
    CoordinatorFactory(zone=group.municipality.zone, email="dominic.hermans@example.be")
    client.force_login(zone_staff)

    response = client.post(reverse("admin:groups_coordinator_add"), add_form(group))

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors
    assert Coordinator.objects.count() == 1
    assert not Email.objects.exists()


def test_adding_a_login_of_another_coordinator_is_a_form_error(
    client, zone_staff, group
):
    link_coordinator_login(
        CoordinatorFactory(email="dominic.hermans@example.be"),
        user=UserFactory(email="dominic.hermans@example.be"),
    )
    client.force_login(zone_staff)

    response = client.post(reverse("admin:groups_coordinator_add"), add_form(group))

    assert response.status_code == HTTPStatus.OK
    assert "email" in response.context["adminform"].form.errors
    assert not Coordinator.objects.filter(zone=group.municipality.zone).exists()
    assert not Email.objects.exists()


def test_zone_staff_see_the_change_form_of_their_coordinator(
    client, zone_staff, listed
):
    client.force_login(zone_staff)

    response = client.get(reverse("admin:groups_coordinator_change", args=[listed.pk]))

    assert response.status_code == HTTPStatus.OK
    assert "Dominic" in response.content.decode()


def test_zone_staff_do_not_open_a_coordinator_of_another_zone(client, zone_staff):
    foreign = CoordinatorFactory()
    client.force_login(zone_staff)

    change = client.get(reverse("admin:groups_coordinator_change", args=[foreign.pk]))
    listing = client.get(reverse("admin:groups_coordinator_changelist"))

    assert change.status_code == HTTPStatus.FOUND  # to the index: "not found"
    assert foreign.email not in listing.content.decode()


def test_zone_staff_list_the_coordinators_of_their_zone(client, zone_staff, listed):
    client.force_login(zone_staff)

    response = client.get(reverse("admin:groups_coordinator_changelist"))

    assert response.status_code == HTTPStatus.OK
    assert listed.email in response.content.decode()


def test_switching_active_off_in_the_change_form_deactivates(
    client, zone_staff, listed
):
    client.force_login(zone_staff)

    response = client.post(
        reverse("admin:groups_coordinator_change", args=[listed.pk]),
        change_form(listed, is_active=None),
    )

    assert response.status_code == HTTPStatus.FOUND
    listed.refresh_from_db()
    assert not listed.is_active
    assert not listed.user.is_active
    assert not in_role(listed.user)


def test_switching_active_on_in_the_change_form_reactivates(
    client, zone_staff, listed, staff
):
    deactivate_coordinator(listed, by=staff)
    listed.refresh_from_db()
    client.force_login(zone_staff)

    client.post(
        reverse("admin:groups_coordinator_change", args=[listed.pk]),
        change_form(listed, is_active="on"),
    )

    listed.refresh_from_db()
    assert listed.is_active
    assert listed.user.is_active
    assert in_role(listed.user)


def test_invalid_change_form_changes_nothing(client, zone_staff, listed):
    client.force_login(zone_staff)

    response = client.post(
        reverse("admin:groups_coordinator_change", args=[listed.pk]),
        change_form(listed, email="not an address", is_active=None),
    )

    assert response.status_code == HTTPStatus.OK
    assert "email" in response.context["adminform"].form.errors
    listed.refresh_from_db()
    assert listed.is_active
    assert listed.user.is_active


def run_action(client, action: str, *coordinators):
    return client.post(
        reverse("admin:groups_coordinator_changelist"),
        {"action": action, "_selected_action": [c.pk for c in coordinators]},
        follow=True,
    )


def test_action_send_invitation_mails_active_coordinators_with_a_login(
    client, zone_staff, listed, group
):
    without_login = CoordinatorFactory(zone=group.municipality.zone)
    client.force_login(zone_staff)

    response = run_action(client, "send_invitation", listed, without_login)

    assert response.status_code == HTTPStatus.OK
    [mail] = Email.objects.all()
    # To the address the login has: a password link never follows an address
    # typed into the coordinator's row.
    assert mail.to == [listed.user.email]
    assert password_path(mail)


def test_action_deactivate_closes_the_logins(client, zone_staff, listed):
    client.force_login(zone_staff)

    run_action(client, "deactivate", listed)

    listed.refresh_from_db()
    assert not listed.is_active
    assert not listed.user.is_active


def test_action_reactivate_opens_the_logins(client, zone_staff, listed, staff):
    deactivate_coordinator(listed, by=staff)
    client.force_login(zone_staff)

    run_action(client, "reactivate", listed)

    listed.refresh_from_db()
    assert listed.is_active
    assert listed.user.is_active


def test_actions_leave_coordinators_of_another_zone_alone(client, zone_staff):
    foreign = link_coordinator_login(CoordinatorFactory(), user=UserFactory())
    client.force_login(zone_staff)

    run_action(client, "deactivate", foreign)
    run_action(client, "send_invitation", foreign)

    foreign.refresh_from_db()
    assert foreign.is_active
    assert not Email.objects.exists()


def test_coordinator_gets_none_of_the_coordinator_actions(client, coordinator_user):
    client.force_login(coordinator_user)

    response = client.get(reverse("admin:groups_coordinator_changelist"))

    assert response.status_code == HTTPStatus.OK
    assert response.context["action_form"] is None
    content = response.content.decode()
    for action in ("send_invitation", "deactivate", "reactivate"):
        assert f'value="{action}"' not in content


def test_coordinator_cannot_run_the_actions_by_hand(client, coordinator_user, group):
    colleague = link_coordinator_login(
        CoordinatorFactory(zone=group.municipality.zone, groups=[group]),
        user=UserFactory(),
    )
    client.force_login(coordinator_user)

    run_action(client, "deactivate", coordinator_user.coordinator, colleague)

    colleague.refresh_from_db()
    assert colleague.is_active
    assert User.objects.get(pk=coordinator_user.pk).is_active


def test_coordinator_cannot_add_coordinators(client, coordinator_user, group):
    client.force_login(coordinator_user)

    form = client.get(reverse("admin:groups_coordinator_add"))
    post = client.post(reverse("admin:groups_coordinator_add"), add_form(group))

    assert form.status_code == HTTPStatus.FORBIDDEN
    assert post.status_code == HTTPStatus.FORBIDDEN
    assert Coordinator.objects.count() == 1


def test_coordinator_cannot_switch_themselves_to_another_group(
    client, coordinator_user, group
):
    other = WhatsAppGroupFactory(
        municipality=MunicipalityFactory(zone=group.municipality.zone)
    )
    me = coordinator_user.coordinator
    client.force_login(coordinator_user)

    client.post(
        reverse("admin:groups_coordinator_change", args=[me.pk]),
        change_form(me, groups=[other.pk], is_active=None),
    )

    me.refresh_from_db()
    assert list(me.groups.all()) == [group]
    assert me.is_active


def test_change_form_refuses_an_email_the_zone_has_in_another_case(
    client, zone_staff, listed, group
):
    other = CoordinatorFactory(zone=group.municipality.zone, email="jan@example.be")
    client.force_login(zone_staff)

    response = client.post(
        reverse("admin:groups_coordinator_change", args=[other.pk]),
        change_form(other, email=listed.email.upper()),
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors
    other.refresh_from_db()
    assert other.email == "jan@example.be"


def test_change_form_stores_the_email_in_lower_case(client, zone_staff, listed):
    client.force_login(zone_staff)

    client.post(
        reverse("admin:groups_coordinator_change", args=[listed.pk]),
        change_form(listed, email=" Dominic.Hermans@Example.BE "),
    )

    listed.refresh_from_db()
    assert listed.email == "dominic.hermans@example.be"


def test_creating_a_coordinator_does_not_reopen_a_closed_staff_login(
    client, group, staff
):
    other_zone = PoliceZoneFactory()
    closed = UserFactory(username="exstaff", email="dominic.hermans@example.be")
    add_zone_staff(other_zone, user=closed)
    closed.is_active = False
    closed.save()

    try:
        create_coordinator(
            new_coordinator(group.municipality.zone), groups=[group], by=staff
        )
    except ValidationError:
        pass  # refusing is as good as leaving the login closed

    closed.refresh_from_db()
    assert not closed.is_active
    assert not log_in(client, "exstaff", "correct horse battery staple")
