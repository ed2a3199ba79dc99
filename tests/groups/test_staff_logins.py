"""Zone staff through the police-zone page, a coordinator's new address, and
logging in with the user name or the e-mail address.

Adding a login to a zone's staff on the police-zone page gives it the admin
(``is_staff``) and the zone-staff role; taking it off takes the role away
unless it is staff of another zone. Only a superuser chooses a zone's staff.
A coordinator's new address moves their login's address (and its name, when
named after the old address), from the admin and from the table import.
Either the user name or the address logs in; an address two logins share
logs in only the one whose password fits.
"""

import re
from http import HTTPStatus

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from groups.constants import ROLE_ZONE_STAFF
from groups.models import Coordinator
from groups.services import (
    add_zone_staff,
    change_zone_staff,
    create_coordinator,
    link_coordinator_login,
    update_coordinator,
)
from tests.factories import (
    CoordinatorFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    UserFactory,
)
from wabp_portal.auth import EmailOrUsernameBackend
from wabp_portal.axes_input import canonical_username

pytestmark = pytest.mark.django_db


def authenticate(**credentials):
    return EmailOrUsernameBackend().authenticate(None, **credentials)


def is_zone_staff_role(user: User) -> bool:
    user.refresh_from_db()
    return user.groups.filter(name=ROLE_ZONE_STAFF).exists()


def zone_form(client, zone, staff) -> dict:
    page = client.get(reverse("admin:groups_policezone_change", args=[zone.pk]))
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None and key != "staff"
    }
    data["staff"] = [user.pk for user in staff]
    return data


@pytest.fixture
def superuser(db) -> User:
    return UserFactory(is_superuser=True, is_staff=True)


# --- zone staff ---------------------------------------------------------------


def test_a_login_added_on_the_police_zone_page_gets_the_flag_and_role(
    client, superuser, zone
):
    newcomer = UserFactory(is_staff=False)
    client.force_login(superuser)

    response = client.post(
        reverse("admin:groups_policezone_change", args=[zone.pk]),
        zone_form(client, zone, [newcomer]),
    )

    assert response.status_code == HTTPStatus.FOUND
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert is_zone_staff_role(newcomer)
    assert list(zone.staff.all()) == [newcomer]


def test_a_login_taken_off_loses_the_role_and_the_admin(client, superuser, zone):
    leaving = UserFactory()
    add_zone_staff(zone, user=leaving)
    client.force_login(superuser)

    client.post(
        reverse("admin:groups_policezone_change", args=[zone.pk]),
        zone_form(client, zone, []),
    )

    leaving.refresh_from_db()
    assert not is_zone_staff_role(leaving)
    assert not leaving.is_staff
    assert not zone.staff.exists()


def test_staff_of_another_zone_keep_their_role(superuser, zone):
    other = PoliceZoneFactory()
    both = UserFactory()
    add_zone_staff(zone, user=both)
    add_zone_staff(other, user=both)

    change_zone_staff(zone, staff=[], by=superuser)

    assert is_zone_staff_role(both)
    both.refresh_from_db()
    assert both.is_staff
    assert list(both.police_zones.all()) == [other]


def test_a_coordinator_taken_off_a_zones_staff_keeps_the_admin(superuser, zone, group):
    login = UserFactory()
    link_coordinator_login(CoordinatorFactory(zone=zone, groups=[group]), user=login)
    add_zone_staff(zone, user=login)

    change_zone_staff(zone, staff=[], by=superuser)

    login.refresh_from_db()
    assert login.is_staff  # still a coordinator
    assert not is_zone_staff_role(login)


def test_zone_staff_may_not_choose_staff_through_the_service(zone, zone_staff):
    outsider = UserFactory(is_staff=False)

    with pytest.raises(PermissionDenied):
        change_zone_staff(zone, staff=[zone_staff, outsider], by=zone_staff)

    outsider.refresh_from_db()
    assert not outsider.is_staff
    assert not is_zone_staff_role(outsider)


def test_zone_staff_posting_a_staff_list_change_nothing(client, zone, zone_staff):
    outsider = UserFactory(is_staff=False)
    client.force_login(zone_staff)
    url = reverse("admin:groups_policezone_change", args=[zone.pk])
    data = {
        key: value
        for key, value in client.get(url).context["adminform"].form.initial.items()
        if value is not None
    }
    data["staff"] = [zone_staff.pk, outsider.pk]

    client.post(url, data)

    outsider.refresh_from_db()
    assert not outsider.is_staff
    assert not is_zone_staff_role(outsider)
    assert list(zone.staff.all()) == [zone_staff]


# --- a coordinator's new address ----------------------------------------------


def new_coordinator(zone, staff, email="eva.smet@example.be") -> Coordinator:
    return create_coordinator(
        Coordinator(zone=zone, first_name="Eva", last_name="Smet", email=email),
        by=staff,
        invite=False,
    )


def test_a_new_address_moves_the_logins_address_and_name(zone, zone_staff):
    coordinator = new_coordinator(zone, zone_staff)
    coordinator.email = "eva@example.org"

    update_coordinator(coordinator, changed=["email"], by=zone_staff)

    login = User.objects.get(pk=coordinator.user_id)
    assert login.email == "eva@example.org"
    assert login.username == "eva@example.org"


def test_the_table_import_moves_the_logins_address_too(zone, zone_staff):
    """The import names no changed fields: the stored row tells."""
    coordinator = new_coordinator(zone, zone_staff)
    coordinator.email = "eva@example.org"

    update_coordinator(coordinator, changed=(), by=zone_staff)

    assert User.objects.get(pk=coordinator.user_id).email == "eva@example.org"


def test_a_login_with_a_name_of_its_own_keeps_it(zone, zone_staff, group):
    login = UserFactory(username="eva.smet", email="eva.smet@example.be")
    coordinator = CoordinatorFactory(
        zone=zone, groups=[group], email="eva.smet@example.be"
    )
    link_coordinator_login(coordinator, user=login)
    coordinator.email = "eva@example.org"

    update_coordinator(coordinator, changed=["email"], by=zone_staff)

    login.refresh_from_db()
    assert (login.username, login.email) == ("eva.smet", "eva@example.org")


def test_the_name_stays_when_another_login_has_the_new_address_as_name(
    zone, zone_staff
):
    UserFactory(username="eva@example.org", email="someone@example.be")
    coordinator = new_coordinator(zone, zone_staff)
    coordinator.email = "eva@example.org"

    update_coordinator(coordinator, changed=["email"], by=zone_staff)

    login = User.objects.get(pk=coordinator.user_id)
    assert login.email == "eva@example.org"
    assert login.username == "eva.smet@example.be"


def test_a_shared_login_keeps_its_address_and_staff_are_told_what_to_do(
    client, zone, zone_staff, group, superuser
):
    other_zone = PoliceZoneFactory()
    shared = UserFactory(email="eva.smet@example.be")
    add_zone_staff(other_zone, user=shared)
    coordinator = CoordinatorFactory(
        zone=zone, groups=[group], email="eva.smet@example.be"
    )
    link_coordinator_login(coordinator, user=shared)
    client.force_login(zone_staff)
    url = reverse("admin:groups_coordinator_change", args=[coordinator.pk])
    form = client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key != "user"
    }
    data.update(email="eva@example.org", groups=[group.pk], phone="+32470123456")
    data = {key: value for key, value in data.items() if value is not False}

    response = client.post(url, data, follow=True)

    shared.refresh_from_db()
    assert shared.email == "eva.smet@example.be"
    text = " ".join(str(m) for m in response.context["messages"])
    assert "administrator" in text or "beheerder" in text


# --- logging in ---------------------------------------------------------------


@pytest.fixture
def demo_like_login(db) -> User:
    login = UserFactory(username="dominic.hermans", email="Dominic.Hermans@example.org")
    login.set_password("geheim-wachtwoord")
    login.save()
    return login


def test_the_user_name_logs_in(demo_like_login):
    assert authenticate(username="dominic.hermans", password="geheim-wachtwoord") == (
        demo_like_login
    )


def test_the_address_logs_in_in_any_case(demo_like_login):
    assert (
        authenticate(
            username="dominic.hermans@EXAMPLE.org", password="geheim-wachtwoord"
        )
        == demo_like_login
    )


def test_a_wrong_password_with_the_address_does_not(demo_like_login):
    assert authenticate(username="dominic.hermans@example.org", password="x") is None


def test_an_unknown_address_does_not(db):
    assert authenticate(username="nobody@example.org", password="x") is None


def test_a_shared_address_logs_in_the_login_whose_password_fits(demo_like_login):
    other = UserFactory(email="dominic.hermans@example.org")
    other.set_password("ander-wachtwoord")
    other.save()

    assert (
        authenticate(
            username="dominic.hermans@example.org", password="ander-wachtwoord"
        )
        == other
    )
    assert (
        authenticate(
            username="dominic.hermans@example.org", password="geheim-wachtwoord"
        )
        == demo_like_login
    )


def test_a_closed_login_does_not_log_in_by_address(demo_like_login):
    demo_like_login.is_active = False
    demo_like_login.save()

    assert (
        authenticate(
            username="dominic.hermans@example.org", password="geheim-wachtwoord"
        )
        is None
    )


def test_an_address_that_is_another_logins_name_is_that_login_only(demo_like_login):
    UserFactory(username="dominic.hermans@example.org", email="x@example.be")

    assert (
        authenticate(
            username="dominic.hermans@example.org", password="geheim-wachtwoord"
        )
        is None
    )


def test_lockouts_count_an_address_as_the_login_it_names(demo_like_login):
    assert canonical_username("dominic.hermans@example.org") == "dominic.hermans"
    assert canonical_username("nobody@example.org") == "nobody@example.org"
    assert canonical_username("dominic.hermans") == "dominic.hermans"


def test_the_login_page_says_the_address_works_too(client):
    with translation.override("nl"):
        response = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="nl")

    assert re.search(r"Gebruikersnaam of e-mailadres", response.content.decode())


def test_logging_in_with_the_address_on_the_login_page(client, demo_like_login):
    demo_like_login.is_staff = True
    demo_like_login.save()

    response = client.post(
        reverse("admin:login"),
        {"username": "dominic.hermans@example.org", "password": "geheim-wachtwoord"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert int(client.session["_auth_user_id"]) == demo_like_login.pk


# --- the zone selector ----------------------------------------------------------


def test_the_zone_is_preselected_for_staff_of_one_zone(client, zone, zone_staff):
    client.force_login(zone_staff)

    for name in ("groups_coordinator_add", "groups_municipality_add"):
        form = client.get(reverse(f"admin:{name}")).context["adminform"].form
        assert form.fields["zone"].initial == zone.pk, name


def test_the_zone_is_not_preselected_with_two_zones(client, zone, zone_staff):
    add_zone_staff(PoliceZoneFactory(), user=zone_staff)
    client.force_login(zone_staff)

    form = client.get(reverse("admin:groups_coordinator_add")).context["adminform"].form

    assert form.fields["zone"].initial is None


def test_the_municipality_is_preselected_when_the_zone_has_one(
    client, zone, zone_staff
):
    municipality = MunicipalityFactory(zone=zone)
    client.force_login(zone_staff)

    form = client.get(reverse("admin:groups_region_add")).context["adminform"].form

    assert form.fields["municipality"].initial == municipality.pk


# --- the two-list picker --------------------------------------------------------


def test_the_staff_picker_does_not_say_to_hold_down_control(client, superuser, zone):
    client.force_login(superuser)

    form = (
        client.get(reverse("admin:groups_policezone_change", args=[zone.pk]))
        .context["adminform"]
        .form
    )

    assert "Control" not in str(form.fields["staff"].help_text)


def test_the_two_list_pickers_help_is_dutch(client, zone_staff):
    client.force_login(zone_staff)

    with translation.override("nl"):
        catalogue = client.get(
            reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="nl"
        ).content.decode()

    for msgid in (
        "Choose all %s",
        "Remove all %s",
        "Choose selected %s",
        "Remove selected %s",
        "Type into this box to filter down the list of available %s.",
        "(click to clear)",
        "%s selected option not visible",
    ):
        found = re.search(re.escape(f'"{msgid}": ') + r'(?:\[\s*)?"([^"]*)"', catalogue)
        assert found, msgid
        assert found.group(1) and found.group(1) != msgid, msgid
