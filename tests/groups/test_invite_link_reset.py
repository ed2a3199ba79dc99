"""A coordinator pastes their group's new WhatsApp invite link after a reset.

``change_invite_link`` and its admin page: the group's coordinators and the
staff of its zone only; a link that is not a WhatsApp group invite is refused
with a clear message and changes nothing.
"""

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from groups.services.whatsapp_groups import change_invite_link
from tests.factories import (
    CoordinatorFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

OLD = "https://chat.whatsapp.com/OldLink1234567890"
NEW = "https://chat.whatsapp.com/NewLink0987654321"


def page(group) -> str:
    return reverse("admin:groups_whatsappgroup_invite_link", args=[group.pk])


@pytest.fixture
def linked_group(group):
    group.invite_link = OLD
    group.save()
    return group


@pytest.fixture
def other_coordinator(group):
    from groups.services import link_coordinator_login

    other = WhatsAppGroupFactory(municipality=group.municipality)
    user = UserFactory()
    link_coordinator_login(
        CoordinatorFactory(zone=group.municipality.zone, groups=[other]), user=user
    )
    return user


def test_coordinator_sets_the_new_link(client, coordinator_user, linked_group):
    client.force_login(coordinator_user)

    assert client.get(page(linked_group)).status_code == HTTPStatus.OK
    response = client.post(page(linked_group), {"invite_link": NEW})

    assert response.status_code == HTTPStatus.FOUND
    linked_group.refresh_from_db()
    assert linked_group.invite_link == NEW


def test_zone_staff_may_set_it_too(zone_staff, linked_group):
    change_invite_link(linked_group, link=NEW, by=zone_staff)

    linked_group.refresh_from_db()
    assert linked_group.invite_link == NEW


def test_coordinator_of_another_group_gets_404(client, other_coordinator, linked_group):
    client.force_login(other_coordinator)

    assert client.get(page(linked_group)).status_code == HTTPStatus.NOT_FOUND
    response = client.post(page(linked_group), {"invite_link": NEW})

    assert response.status_code == HTTPStatus.NOT_FOUND
    linked_group.refresh_from_db()
    assert linked_group.invite_link == OLD


def test_the_service_refuses_another_groups_coordinator(
    other_coordinator, linked_group
):
    with pytest.raises(PermissionDenied):
        change_invite_link(linked_group, link=NEW, by=other_coordinator)


@pytest.mark.parametrize(
    "bad",
    ["https://example.org/abc", "chat.whatsapp.com", "{% debug %}", ""],
)
def test_a_bad_link_gets_a_clear_message_and_changes_nothing(
    client, coordinator_user, linked_group, bad
):
    client.force_login(coordinator_user)

    response = client.post(page(linked_group), {"invite_link": bad})

    assert response.status_code == HTTPStatus.OK
    assert "chat.whatsapp.com" in response.content.decode()
    assert response.context["form"].errors
    linked_group.refresh_from_db()
    assert linked_group.invite_link == OLD


def test_the_service_refuses_a_bad_link(coordinator_user, linked_group):
    with pytest.raises(ValidationError) as refused:
        change_invite_link(
            linked_group, link="https://evil.example/x", by=coordinator_user
        )

    assert "invite_link" in refused.value.message_dict
    linked_group.refresh_from_db()
    assert linked_group.invite_link == OLD


def test_anonymous_visitor_goes_to_the_login(client, linked_group):
    response = client.get(page(linked_group))

    assert response.status_code == HTTPStatus.FOUND
    assert reverse("admin:login") in response["Location"]
