"""Handing a group over: the lead offers, the successor accepts by mail.

The public table, the logins and the new-signup mails follow in one step;
the round-1 login rules hold (no staff or superuser login is taken over by
its address); a link works once, and a closed one says why, never a 500.
"""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from post_office.models import Email

from groups import services
from groups.constants import HANDOVER_VALID_DAYS, CoordinatorRole
from groups.models import Coordinator, GroupCoordinator, Handover
from groups.services import link_coordinator_login
from registrations.notifications import coordinator_addresses
from tests.factories import (
    CoordinatorFactory,
    PoliceZoneFactory,
    SignupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

NEW = {
    "first_name": "Febe",
    "last_name": "Coenen",
    "email": "febe.coenen@example.be",
    "phone": "+32 470 11 22 33",
}


@pytest.fixture
def lead(group, coordinator_user) -> Coordinator:
    return coordinator_user.coordinator


def offer(group, lead, **kwargs) -> Handover:
    return services.offer_handover(group, by=lead.user, **{**NEW, **kwargs})


def token_of(handover: Handover) -> str:
    return services.handover_link(handover).rstrip("/").rsplit("/", 1)[-1]


def page(handover: Handover) -> str:
    return reverse("groups:handover", kwargs={"token": token_of(handover)})


def mails_to(address: str) -> list[Email]:
    return [mail for mail in Email.objects.order_by("pk") if address in mail.to]


# Offering


def test_lead_offers_and_the_successor_is_mailed_a_link(group, lead):
    handover = offer(group, lead)
    assert handover.is_open and handover.successor is None
    (mail,) = mails_to(NEW["email"])
    # The link in the mail opens the handover (a signed link holds its second).
    link = re.search(r"https?://\S+/overdracht/\S+/", mail.message).group()
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert services.handover_from_link(token) == handover
    assert group.name in mail.subject


def test_a_new_offer_replaces_the_open_one(group, lead):
    first = offer(group, lead)
    second = offer(group, lead, email="other@example.be")
    first.refresh_from_db()
    assert first.cancelled_at is not None and second.is_open


def test_coordinator_of_another_group_cannot_offer_it(group, zone, lead):
    other_group = WhatsAppGroupFactory(municipality=group.municipality)
    stranger = CoordinatorFactory(zone=zone, groups=[other_group])
    link_coordinator_login(stranger, user=UserFactory())
    with pytest.raises(PermissionDenied):
        offer(group, stranger)
    assert not Handover.objects.exists()


def test_a_deputy_cannot_offer_the_group(group, zone, lead):
    deputy = CoordinatorFactory(zone=zone)
    link_coordinator_login(deputy, user=UserFactory())
    deputy.groups.add(group, through_defaults={"role": CoordinatorRole.DEPUTY})
    with pytest.raises(PermissionDenied):
        offer(group, deputy)


def test_zone_staff_cannot_offer_a_group_they_do_not_lead(group, zone_staff):
    with pytest.raises(PermissionDenied):
        services.offer_handover(group, by=zone_staff, **NEW)


def test_cannot_hand_over_to_yourself(group, lead):
    with pytest.raises(ValidationError):
        offer(group, lead, email=lead.email.upper())


@pytest.mark.parametrize("role", ["superuser", "staff"])
def test_an_address_with_a_staff_login_is_refused(group, zone, lead, role):
    login = UserFactory(email="chief@example.be")
    if role == "superuser":
        login.is_superuser = True
        login.save()
    else:
        services.add_zone_staff(zone, user=login)
    with pytest.raises(ValidationError):
        offer(group, lead, email="Chief@example.be")
    assert not Handover.objects.exists()


def test_a_staff_login_gets_its_address_afterwards_and_is_not_taken(group, lead):
    """An address that became a superuser's after the offer is refused on accept."""
    handover = offer(group, lead)
    login = UserFactory(email=NEW["email"], is_superuser=True)
    with pytest.raises(ValidationError):
        services.accept_handover(handover)
    login.refresh_from_db()
    assert login.is_superuser and not hasattr(login, "coordinator")
    assert not Coordinator.objects.filter(email=NEW["email"]).exists()


def test_an_address_of_another_zones_coordinator_is_refused(group, lead):
    foreign = CoordinatorFactory(email="elsewhere@example.be")
    link_coordinator_login(foreign, user=UserFactory(email="elsewhere@example.be"))
    with pytest.raises(ValidationError):
        offer(group, lead, email="elsewhere@example.be")


def test_a_deputy_can_be_chosen(group, zone, lead):
    deputy = CoordinatorFactory(zone=zone)
    deputy.groups.add(group, through_defaults={"role": CoordinatorRole.DEPUTY})
    handover = services.offer_handover(group, by=lead.user, successor=deputy)
    assert handover.successor == deputy and handover.email == deputy.email


def test_only_a_deputy_of_the_group_can_be_chosen(group, zone, lead):
    outsider = CoordinatorFactory(zone=zone, groups=[WhatsAppGroupFactory()])
    with pytest.raises(ValidationError):
        services.offer_handover(group, by=lead.user, successor=outsider)


# Accepting


def test_accepting_makes_a_new_successor_the_lead_in_one_step(
    group, zone, zone_staff, lead, client, django_capture_on_commit_callbacks
):
    group.is_public = True
    group.save()
    predecessor_login = lead.user
    handover = offer(group, lead)
    response = client.post(page(handover), {"listed_publicly": "on"})
    assert response.status_code == HTTPStatus.OK
    successor = Coordinator.objects.get(email=NEW["email"])
    assert successor.zone == zone and successor.listed_publicly
    assert successor.user.email == NEW["email"]
    assert not successor.user.has_usable_password()
    assert GroupCoordinator.objects.get(
        coordinator=successor, whatsappgroup=group
    ).role == (CoordinatorRole.LEAD)
    # The predecessor had no other group: off the table, login closed.
    lead.refresh_from_db()
    predecessor_login.refresh_from_db()
    assert not lead.is_active and not lead.groups.exists()
    assert not predecessor_login.is_active
    # New-signup mails go to the successor from now on.
    signup = SignupFactory(group=group)
    assert coordinator_addresses(signup) == [NEW["email"]]
    # The successor's invitation; the predecessor and the zone's staff told.
    assert len(mails_to(NEW["email"])) == 2  # the offer, then the invitation
    assert mails_to(lead.email) and mails_to(zone_staff.email)
    # The public table names the successor.
    home = client.get(reverse("groups:home")).content.decode()
    assert "Febe Coenen" in home and lead.full_name not in home


def test_the_link_works_only_once(group, lead, client):
    handover = offer(group, lead)
    assert client.post(page(handover)).status_code == HTTPStatus.OK
    again = client.post(page(handover))
    assert again.status_code == HTTPStatus.CONFLICT
    assert gettext("This handover has already been accepted.") in again.content.decode()
    assert client.get(page(handover)).status_code == HTTPStatus.GONE
    assert Coordinator.objects.filter(email=NEW["email"]).count() == 1


def test_get_only_shows_the_page(group, lead, client):
    handover = offer(group, lead)
    response = client.get(page(handover))
    assert response.status_code == HTTPStatus.OK
    assert group.name in response.content.decode()
    handover.refresh_from_db()
    assert handover.accepted_at is None


def test_predecessor_who_stays_as_deputy_keeps_the_group(group, lead):
    handover = offer(group, lead, stays_as_deputy=True)
    services.accept_handover(handover)
    lead.refresh_from_db()
    link = GroupCoordinator.objects.get(coordinator=lead, whatsappgroup=group)
    assert link.role == CoordinatorRole.DEPUTY and lead.is_active
    assert lead.user.is_active


def test_predecessor_with_another_group_stays_active(group, zone, lead):
    other = WhatsAppGroupFactory(municipality=group.municipality)
    lead.groups.add(other)
    services.accept_handover(offer(group, lead))
    lead.refresh_from_db()
    assert lead.is_active and list(lead.groups.all()) == [other]


def test_a_deputy_who_accepts_becomes_the_lead(group, zone, lead):
    deputy = CoordinatorFactory(zone=zone)
    link_coordinator_login(deputy, user=UserFactory(email=deputy.email))
    deputy.groups.add(group, through_defaults={"role": CoordinatorRole.DEPUTY})
    logins = User.objects.count()
    services.accept_handover(
        services.offer_handover(group, by=lead.user, successor=deputy)
    )
    link = GroupCoordinator.objects.get(coordinator=deputy, whatsappgroup=group)
    assert link.role == CoordinatorRole.LEAD
    assert User.objects.count() == logins  # their own login, nothing new


def test_expired_link_gives_a_clear_page(group, lead, client):
    handover = offer(group, lead)
    Handover.objects.filter(pk=handover.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.post(page(handover))
    assert response.status_code == HTTPStatus.CONFLICT
    assert gettext("This handover has expired.") in response.content.decode()
    assert not Coordinator.objects.filter(email=NEW["email"]).exists()


def test_cancelled_handover_gives_a_clear_page(group, lead, client):
    handover = offer(group, lead)
    services.cancel_handover(handover, by=lead.user)
    assert client.get(page(handover)).status_code == HTTPStatus.GONE
    assert client.post(page(handover)).status_code == HTTPStatus.CONFLICT


def test_a_forged_link_gives_a_clear_page(client, group, lead):
    handover = offer(group, lead)
    url = reverse("groups:handover", kwargs={"token": token_of(handover) + "x"})
    assert client.post(url).status_code == HTTPStatus.BAD_REQUEST
    assert client.get("/overdracht/nonsense/").status_code == HTTPStatus.BAD_REQUEST


def test_a_handover_whose_lead_changed_is_refused(group, lead):
    handover = offer(group, lead)
    lead.groups.remove(group)
    with pytest.raises(ValidationError):
        services.accept_handover(handover)


def test_another_coordinator_cannot_cancel(group, zone, lead):
    handover = offer(group, lead)
    stranger = CoordinatorFactory(zone=zone, groups=[WhatsAppGroupFactory()])
    link_coordinator_login(stranger, user=UserFactory())
    with pytest.raises(PermissionDenied):
        services.cancel_handover(handover, by=stranger.user)


# The admin


def test_offer_page_in_the_admin(client, group, lead):
    client.force_login(lead.user)
    url = reverse("admin:groups_handover_offer", args=[group.pk])
    assert client.get(url).status_code == HTTPStatus.OK
    invalid = client.post(url, {"email": "not an address"})
    assert invalid.status_code == HTTPStatus.OK and not Handover.objects.exists()
    response = client.post(url, NEW)
    assert response.status_code == HTTPStatus.FOUND
    assert Handover.objects.get().email == NEW["email"]
    listing = client.get(reverse("admin:groups_handover_changelist"))
    assert listing.status_code == HTTPStatus.OK
    assert "Febe Coenen" in listing.content.decode()


def test_offer_page_of_another_group_is_not_found(client, group, zone, lead):
    other = WhatsAppGroupFactory(municipality=group.municipality)
    client.force_login(lead.user)
    url = reverse("admin:groups_handover_offer", args=[other.pk])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert client.post(url, NEW).status_code == HTTPStatus.NOT_FOUND


def test_a_staff_address_in_the_offer_form_says_why(client, group, zone, lead):
    services.add_zone_staff(zone, user=UserFactory(email="chief@example.be"))
    client.force_login(lead.user)
    url = reverse("admin:groups_handover_offer", args=[group.pk])
    response = client.post(url, {**NEW, "email": "chief@example.be"})
    assert response.status_code == HTTPStatus.OK
    assert not Handover.objects.exists()


def test_the_dashboard_offers_the_handover_to_the_lead(client, group, lead):
    client.force_login(lead.user)
    content = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:groups_handover_offer", args=[group.pk]) in content


# The successor's details are personal data: kept no longer than needed,
# found, exported and erased by the zone's staff.


def test_a_closed_handover_goes_with_the_retention_purge(group, lead, settings):
    from registrations.services.retention import purge_personal_data

    cancelled = offer(group, lead)
    services.cancel_handover(cancelled, by=lead.user)
    other_group = WhatsAppGroupFactory(municipality=group.municipality)
    lead.groups.add(other_group)
    still_open = offer(other_group, lead, email="ander@example.be")

    assert purge_personal_data().handovers_deleted == 0
    assert Handover.objects.count() == 2
    expired = timedelta(days=HANDOVER_VALID_DAYS + settings.CLOSED_RETENTION_DAYS)
    report = purge_personal_data(now=timezone.now() + expired + timedelta(days=1))

    # The cancelled one, and the open one once long expired.
    assert report.handovers_deleted == 2
    assert not Handover.objects.filter(pk__in=[cancelled.pk, still_open.pk]).exists()


def test_staff_find_export_and_erase_an_offered_successor(group, lead, zone_staff):
    from registrations.services import privacy

    handover = offer(group, lead)
    query = privacy.PersonQuery(email=NEW["email"].upper())

    found = privacy.find_person(query, by=zone_staff)
    assert found.handovers == [handover]
    _record, exported = privacy.export_person(query, by=zone_staff)
    (row,) = exported["group_handovers_offered"]
    assert (row["email"], row["group"]) == (NEW["email"], group.name)

    privacy.erase_person(query, by=zone_staff)
    assert not Handover.objects.filter(pk=handover.pk).exists()


def test_staff_of_another_zone_find_no_handover(group, lead):
    from registrations.services import privacy

    offer(group, lead)
    other = UserFactory(is_staff=True)
    PoliceZoneFactory().staff.add(other)

    found = privacy.find_person(privacy.PersonQuery(email=NEW["email"]), by=other)
    assert found.handovers == []
