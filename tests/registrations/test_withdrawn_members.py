"""A member who withdrew: whom the coordinators still remove from WhatsApp.

The withdrawal erases the signup at once; the name and mobile number stay in
a WithdrawnMember, shown in the admin to the group's coordinators and the
zone's staff only, until a coordinator marks the person removed from the
WhatsApp group or WITHDRAWN_MEMBER_RETENTION_DAYS pass. The mail to the
coordinators names nobody and links to that list.
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
from auditlog.models import LogEntry
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from post_office.models import Email

from groups.services import add_zone_staff, link_coordinator_login
from registrations import services
from registrations.constants import SignupStatus
from registrations.models import WithdrawnMember
from registrations.services.privacy import purge_personal_data
from tests.factories import (
    CoordinatorFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    SignupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:registrations_withdrawnmember_changelist")
PHONE = "+32470551234"
PHONE_SHOWN = "+32 470 55 12 34"


def withdrawn_member(group, staff, **values) -> WithdrawnMember:
    """A member of ``group`` who withdrew through their link."""
    signup = SignupFactory(group=group, **values)
    services.approve_signup(signup, by=staff)
    services.withdraw_signup(signup)
    return WithdrawnMember.objects.get(signup=signup)


@pytest.fixture
def griet(group, zone_staff) -> WithdrawnMember:
    return withdrawn_member(
        group, zone_staff, first_name="Griet", last_name="Vanhoudt", phone=PHONE
    )


@pytest.fixture
def elsewhere(zone_staff, zone) -> WithdrawnMember:
    """A member who withdrew from another group of the same zone."""
    other = WhatsAppGroupFactory(municipality=MunicipalityFactory(zone=zone))
    CoordinatorFactory(zone=zone, groups=[other])
    return withdrawn_member(
        other,
        zone_staff,
        first_name="Jan",
        last_name="Peeters",
        phone="+32470559999",
    )


def mark_removed(client, *rows: WithdrawnMember):
    return client.post(
        CHANGELIST,
        {
            "action": "mark_removed_selected",
            ACTION_CHECKBOX_NAME: [row.pk for row in rows],
        },
    )


# --- the mail -------------------------------------------------------------------


def test_the_notice_links_to_the_list_and_names_nobody(
    client, group, zone_staff, coordinator_user
):
    member = withdrawn_member(
        group, zone_staff, first_name="Griet", last_name="Vanhoudt", phone=PHONE
    )

    [notice] = Email.objects.filter(to=[coordinator_user.coordinator.email])

    text = "\n".join([notice.subject, notice.message, notice.html_message])
    assert CHANGELIST in notice.message
    assert group.name in notice.subject
    for personal in ("Griet", "Vanhoudt", PHONE, PHONE_SHOWN, "470551234"):
        assert personal not in text
    # The link opens the list that does name them, for the coordinator.
    client.force_login(coordinator_user)
    page = client.get(CHANGELIST).content.decode()
    assert member.full_name in page and PHONE_SHOWN in page


# --- the list -------------------------------------------------------------------


def test_coordinator_sees_who_withdrew_from_their_own_groups_only(
    client, coordinator_user, griet, elsewhere
):
    client.force_login(coordinator_user)

    response = client.get(CHANGELIST)

    assert response.status_code == HTTPStatus.OK
    assert list(response.context["cl"].queryset) == [griet]
    page = response.content.decode()
    assert "Griet Vanhoudt" in page and PHONE_SHOWN in page
    assert "Peeters" not in page


def test_staff_see_their_zone_and_staff_of_another_zone_nothing(
    client, zone_staff, griet, elsewhere
):
    other_staff = UserFactory()
    add_zone_staff(PoliceZoneFactory(), user=other_staff)

    client.force_login(zone_staff)
    own = client.get(CHANGELIST)
    client.force_login(other_staff)
    foreign = client.get(CHANGELIST)
    opened = client.get(
        reverse("admin:registrations_withdrawnmember_change", args=[griet.pk])
    )

    assert set(own.context["cl"].queryset) == {griet, elsewhere}
    assert list(foreign.context["cl"].queryset) == []
    assert opened.status_code == HTTPStatus.FOUND  # "doesn't exist"


def test_anonymous_visitor_is_sent_to_the_login(client, griet):
    response = client.get(CHANGELIST)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:login"))


def test_change_view_shows_the_person_read_only(client, coordinator_user, griet):
    client.force_login(coordinator_user)
    url = reverse("admin:registrations_withdrawnmember_change", args=[griet.pk])

    page = client.get(url)
    posted = client.post(url, {"first_name": "Iemand"})

    assert page.status_code == HTTPStatus.OK
    assert "Griet" in page.content.decode()
    assert 'name="first_name"' not in page.content.decode()
    assert posted.status_code == HTTPStatus.FOUND
    griet.refresh_from_db()
    assert griet.first_name == "Griet"


def test_nobody_adds_or_deletes_one_by_hand(client, zone_staff, griet):
    client.force_login(zone_staff)

    add = client.get(reverse("admin:registrations_withdrawnmember_add"))
    delete = client.post(
        reverse("admin:registrations_withdrawnmember_delete", args=[griet.pk]),
        {"post": "yes"},
    )

    assert add.status_code == HTTPStatus.FORBIDDEN
    assert delete.status_code == HTTPStatus.FORBIDDEN
    assert WithdrawnMember.objects.filter(pk=griet.pk).exists()


def test_marking_removed_erases_the_name_and_number(client, coordinator_user, griet):
    client.force_login(coordinator_user)

    response = mark_removed(client, griet)

    assert response.status_code == HTTPStatus.FOUND
    assert not WithdrawnMember.objects.exists()
    signup = griet.signup
    signup.refresh_from_db()
    assert signup.status == SignupStatus.WITHDRAWN  # the statistics keep it
    messages = [str(m) for m in client.get(CHANGELIST).context["messages"]]
    assert messages[0] == (
        "1 persoon gemarkeerd als verwijderd; de naam en het gsm-nummer zijn gewist."
    )
    # And the reminder to reset the group's invite link, with where to paste it.
    [reminder] = messages[1:]
    assert "Link opnieuw instellen" in reminder
    assert (
        reverse("admin:groups_whatsappgroup_invite_link", args=[griet.group_id])
        in reminder
    )
    # The signup's audit trail says who did it and when, and names nobody.
    entry = LogEntry.objects.filter(object_pk=str(signup.pk)).latest("pk")
    assert entry.changes_dict == {"removed_from_whatsapp": ["False", "True"]}
    assert entry.actor == coordinator_user
    assert "Griet" not in str(entry.changes) + entry.object_repr


def test_marking_another_groups_member_removed_changes_nothing(
    client, coordinator_user, griet, elsewhere
):
    client.force_login(coordinator_user)

    mark_removed(client, elsewhere)

    assert WithdrawnMember.objects.filter(pk=elsewhere.pk).exists()


# --- the service ----------------------------------------------------------------


def test_service_refuses_a_coordinator_of_another_group(elsewhere, coordinator_user):
    with pytest.raises(PermissionDenied):
        services.mark_removed_from_whatsapp(elsewhere, by=coordinator_user)

    assert WithdrawnMember.objects.filter(pk=elsewhere.pk).exists()


def test_service_refuses_a_login_without_a_role(griet):
    with pytest.raises(PermissionDenied):
        services.mark_removed_from_whatsapp(griet, by=UserFactory())

    assert WithdrawnMember.objects.filter(pk=griet.pk).exists()


def test_two_coordinators_marking_at_once_both_succeed_quietly(
    group, griet, coordinator_user
):
    colleague = link_coordinator_login(
        CoordinatorFactory(zone=group.municipality.zone, groups=[group]),
        user=UserFactory(),
    ).user

    first = services.mark_removed_from_whatsapp(griet, by=coordinator_user)
    second = services.mark_removed_from_whatsapp(griet, by=colleague)

    assert (first, second) == (True, False)


# --- the dashboard and the retention ------------------------------------------


def test_dashboard_asks_the_coordinator_to_remove_them(client, coordinator_user, griet):
    client.force_login(coordinator_user)

    page = client.get(reverse("admin:index")).content.decode()

    button = (
        f'<a class="button" href="{CHANGELIST}">1 lid heeft zich uitgeschreven: '
        "verwijder het uit de WhatsApp-groep</a>"
    )
    assert button in page


def test_dashboard_says_nothing_when_nobody_withdrew(client, coordinator_user):
    client.force_login(coordinator_user)

    page = client.get(reverse("admin:index")).content.decode()

    assert f'<a class="button" href="{CHANGELIST}">' not in page


def test_purge_deletes_them_after_the_retention_period(griet, settings):
    settings.WITHDRAWN_MEMBER_RETENTION_DAYS = 14
    now = timezone.now()

    early = purge_personal_data(now=now + timedelta(days=13))
    assert early.withdrawn_members_deleted == 0
    assert WithdrawnMember.objects.exists()

    late = purge_personal_data(now=now + timedelta(days=15))
    again = purge_personal_data(now=now + timedelta(days=15))

    assert late.withdrawn_members_deleted == 1
    assert not WithdrawnMember.objects.exists()
    assert again.withdrawn_members_deleted == 0
