"""The coordinator's lists as cards, one-tap "added to WhatsApp", a short signup page.

The browser side (widths, taps) is in ``tests/e2e/test_coordinator_phone.py``;
here: what the pages hold and who may post the one-tap button.
"""

from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from groups.services.coordinators import link_coordinator_login
from registrations.constants import SignupStatus
from registrations.models import Signup
from tests.e2e.wording import dutch
from tests.factories import (
    ApplicationFactory,
    CoordinatorFactory,
    SignupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db


def member(group, **values) -> Signup:
    return SignupFactory(
        group=group, status=SignupStatus.APPROVED, decided_at=timezone.now(), **values
    )


def added_url(signup: Signup) -> str:
    return reverse("admin:registrations_member_added", args=[signup.pk])


def test_coordinator_marks_a_member_added_in_one_post(client, coordinator_user, group):
    newcomer = member(group)
    client.force_login(coordinator_user)

    response = client.post(added_url(newcomer) + f"?group__id__exact={group.pk}")

    assert response.status_code == HTTPStatus.FOUND
    # Back to the list as it was filtered.
    assert response.url == (
        reverse("admin:registrations_member_changelist")
        + f"?group__id__exact={group.pk}"
    )
    newcomer.refresh_from_db()
    assert newcomer.added_to_whatsapp_at is not None
    assert [str(each) for each in get_messages(response.wsgi_request)] == [
        dutch("%(count)d member(s) marked as added.") % {"count": 1}
    ]


def test_opening_the_added_link_changes_nothing(client, coordinator_user, group):
    newcomer = member(group)
    client.force_login(coordinator_user)

    response = client.get(added_url(newcomer))

    assert response.url == reverse(
        "admin:registrations_member_change", args=[newcomer.pk]
    )
    newcomer.refresh_from_db()
    assert newcomer.added_to_whatsapp_at is None


def test_coordinator_cannot_mark_a_member_of_another_group(client, coordinator_user):
    stranger = member(WhatsAppGroupFactory())
    client.force_login(coordinator_user)

    response = client.post(added_url(stranger))

    assert response.status_code == HTTPStatus.NOT_FOUND
    stranger.refresh_from_db()
    assert stranger.added_to_whatsapp_at is None


def test_a_pending_signup_or_unknown_id_is_not_a_member(
    client, coordinator_user, group
):
    waiting = SignupFactory(group=group, status=SignupStatus.PENDING)
    client.force_login(coordinator_user)

    assert client.post(added_url(waiting)).status_code == HTTPStatus.NOT_FOUND
    missing = reverse("admin:registrations_member_added", args=[987654])
    assert client.post(missing).status_code == HTTPStatus.NOT_FOUND


def test_a_member_added_twice_keeps_the_first_date(client, coordinator_user, group):
    """Two coordinators tapping at once: one date, a warning for the second."""
    first = timezone.now() - timezone.timedelta(days=3)
    added = member(group, added_to_whatsapp_at=first)
    client.force_login(coordinator_user)

    response = client.post(added_url(added), follow=True)

    assert response.status_code == HTTPStatus.OK
    added.refresh_from_db()
    assert added.added_to_whatsapp_at == first
    assert "inschrijving is niet gewijzigd" in response.content.decode()


def test_a_visitor_without_login_is_sent_to_log_in(client, group):
    newcomer = member(group)

    response = client.post(added_url(newcomer))

    assert response.status_code == HTTPStatus.FOUND
    assert reverse("admin:login") in response.url
    newcomer.refresh_from_db()
    assert newcomer.added_to_whatsapp_at is None


def test_a_coordinator_of_two_groups_marks_in_either(client, group):
    other = WhatsAppGroupFactory(municipality=group.municipality)
    user = UserFactory()
    link_coordinator_login(
        CoordinatorFactory(zone=group.municipality.zone, groups=[group, other]),
        user=user,
    )
    newcomer = member(other)
    client.force_login(user)

    client.post(added_url(newcomer))

    newcomer.refresh_from_db()
    assert newcomer.added_to_whatsapp_at is not None


def test_members_list_has_cards_and_a_button_only_for_those_not_added(
    client, coordinator_user, group
):
    newcomer = member(group, first_name="Nieuw", last_name="Lid")
    member(
        group, first_name="Oud", last_name="Lid", added_to_whatsapp_at=timezone.now()
    )
    client.force_login(coordinator_user)

    page = client.get(reverse("admin:registrations_member_changelist"))

    html = page.content.decode()
    assert page.status_code == HTTPStatus.OK
    # One button in the table's row, one in the card, both for the newcomer.
    assert html.count(f'"{added_url(newcomer)}') == 2
    assert html.count("/added/") == 2
    assert f'href="{newcomer.whatsapp_url}"' in html
    assert f'href="tel:{newcomer.phone.as_e164}"' in html
    assert 'class="cards"' in html
    # The card's button brings the coordinator back to the list as filtered.
    filtered = client.get(
        reverse("admin:registrations_member_changelist"),
        {"group__id__exact": group.pk},
    ).content.decode()
    assert f'action="{added_url(newcomer)}?group__id__exact={group.pk}"' in filtered


def test_pending_list_cards_carry_the_decision_and_contact_buttons(
    client, coordinator_user, group
):
    waiting = SignupFactory(
        group=group, status=SignupStatus.PENDING, street_name="Kerkstraat"
    )
    SignupFactory(group=WhatsAppGroupFactory(), status=SignupStatus.PENDING)
    client.force_login(coordinator_user)

    page = client.get(reverse("admin:registrations_pendingsignup_changelist"))

    html = page.content.decode()
    approve = reverse("admin:registrations_pendingsignup_approve", args=[waiting.pk])
    reject = reverse("admin:registrations_pendingsignup_reject", args=[waiting.pk])
    assert f'<form method="post" action="{approve}">' in html
    assert f'href="{reject}"' in html
    assert f'href="{waiting.whatsapp_url}"' in html
    assert f'href="tel:{waiting.phone.as_e164}"' in html
    assert f"Kerkstraat {waiting.house_number}" in html
    # Only the coordinator's own signup.
    assert html.count('<li class="card">') == 1


def test_the_card_approve_form_approves(client, coordinator_user, group):
    waiting = SignupFactory(group=group, status=SignupStatus.PENDING)
    client.force_login(coordinator_user)

    response = client.post(
        reverse("admin:registrations_pendingsignup_approve", args=[waiting.pk])
    )

    assert response.url == reverse("admin:registrations_pendingsignup_changelist")
    waiting.refresh_from_db()
    assert waiting.status == SignupStatus.APPROVED


def test_participant_signup_page_has_its_buttons_first_and_no_new_group_section(
    client, coordinator_user, group
):
    waiting = SignupFactory(group=group, status=SignupStatus.PENDING)
    client.force_login(coordinator_user)

    page = client.get(
        reverse("admin:registrations_pendingsignup_change", args=[waiting.pk])
    )

    html = page.content.decode()
    assert page.status_code == HTTPStatus.OK
    assert "Nieuwe groep" not in html
    approve = reverse("admin:registrations_pendingsignup_approve", args=[waiting.pk])
    # The decision comes before the first section of details.
    assert html.index(approve) < html.index("<fieldset")
    assert html.count(approve) == 1


def test_application_page_still_shows_the_new_group(client, zone_staff, group):
    application = ApplicationFactory(
        municipality=group.municipality,
        proposed_group_name="WABP Nieuwe Wijk",
    )
    client.force_login(zone_staff)

    page = client.get(
        reverse("admin:registrations_groupapplication_change", args=[application.pk])
    )

    html = page.content.decode()
    assert "Nieuwe groep" in html
    assert "WABP Nieuwe Wijk" in html


def test_a_member_card_ends_the_membership_through_the_asking_page(
    client, coordinator_user, group
):
    leaving = member(group, first_name="Vertrek", last_name="Kend")
    client.force_login(coordinator_user)
    changelist = reverse("admin:registrations_member_changelist")

    html = client.get(changelist).content.decode()
    assert f'name="_selected_action" value="{leaving.pk}"' in html
    assert 'value="mark_left_selected"' in html
    assert 'value="mark_removed_selected"' in html

    # The card's button: the asking page, with the name; nothing changed yet.
    asked = client.post(
        changelist, {"action": "mark_left_selected", "_selected_action": leaving.pk}
    )
    assert asked.status_code == HTTPStatus.OK
    assert "Vertrek Kend" in asked.content.decode()
    leaving.refresh_from_db()
    assert leaving.status == SignupStatus.APPROVED


def test_the_recently_ended_cards_offer_undo_not_added(client, coordinator_user, group):
    from registrations import services

    ended = member(group, first_name="Even", last_name="Weg")
    services.end_membership(ended, by=coordinator_user, status=SignupStatus.LEFT)
    client.force_login(coordinator_user)

    html = client.get(
        reverse("admin:registrations_member_changelist"), {"beeindigd": "recent"}
    ).content.decode()

    cards = html[html.index('<ul class="cards"') :]
    assert reverse("admin:registrations_member_undo") in cards
    assert f'name="signup" value="{ended.pk}"' in cards
    assert added_url(ended) not in cards
    assert "mark_left_selected" not in cards
