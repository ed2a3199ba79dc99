"""Ending memberships asks first, can be undone, and mails only when it stays.

"Mark as left" and "Remove from the group…" show the count and the names
before anything changes; the end can be undone for MEMBERSHIP_UNDO_HOURS
(``restore_membership``), and the member's mail is held in the outbox until
then (``queue_mail(send_after=...)``), so an undone end never reaches them.
Bulk actions over more than one row, or "select all" across the pages, say
how many they touch first.
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from post_office.models import STATUS, Email

from registrations import notifications
from registrations.constants import SignupStatus
from registrations.models import Signup, StatusChange
from registrations.services import (
    InvalidTransition,
    end_membership,
    restore_membership,
)
from registrations.services.retention import purge_personal_data
from tests.factories import SignupFactory, WhatsAppGroupFactory
from wabp_portal.mail import outbox
from wabp_portal.mail.queue import queue_mail

pytestmark = pytest.mark.django_db

MEMBERS = reverse("admin:registrations_member_changelist")
ENDED = MEMBERS + "?beeindigd=recent"
PENDING = reverse("admin:registrations_pendingsignup_changelist")
UNDO = reverse("admin:registrations_member_undo")


@pytest.fixture
def other_group(group):
    """A group of the same zone that ``coordinator_user`` does not coordinate."""
    return WhatsAppGroupFactory(municipality=group.municipality)


def member(group, **values) -> Signup:
    return SignupFactory(
        group=group, status=SignupStatus.APPROVED, decided_at=timezone.now(), **values
    )


def held_mail(signup: Signup) -> list[Email]:
    return list(
        Email.objects.filter(
            **{f"headers__{notifications.MEMBERSHIP_END_HEADER}": str(signup.pk)}
        )
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- the outbox holds a mail until its time ------------------------------------


def test_queue_mail_send_after_holds_the_mail_until_then(zone, deliver_mail):
    later = timezone.now() + timedelta(hours=2)
    mail = queue_mail(
        to=["a@example.org"],
        template="registrations/email/member_left",
        context={"signup": member(WhatsAppGroupFactory())},
        language="nl",
        zone=zone,
        send_after=later,
    )

    assert mail.scheduled_time == later
    assert deliver_mail() == []
    with time_machine.travel(later + timedelta(seconds=1)):
        assert len(deliver_mail()) == 1


def test_queue_mail_without_send_after_is_due_at_once(zone, deliver_mail):
    queue_mail(
        to=["a@example.org"],
        template="registrations/email/member_left",
        context={"signup": member(WhatsAppGroupFactory())},
        language="nl",
        zone=zone,
    )

    assert len(deliver_mail()) == 1


# --- end_membership and restore_membership -------------------------------------


@pytest.mark.parametrize("status", [SignupStatus.LEFT, SignupStatus.REMOVED])
def test_the_members_mail_waits_until_the_end_can_no_longer_be_undone(
    coordinator_user, group, deliver_mail, settings, status
):
    signup = member(group, email="sofie@example.org")

    end_membership(signup, by=coordinator_user, status=status, reason="Verhuisd.")

    [mail] = held_mail(signup)
    signup.refresh_from_db()
    assert mail.scheduled_time >= signup.ended_at + timedelta(
        hours=settings.MEMBERSHIP_UNDO_HOURS
    )
    assert deliver_mail() == []
    with time_machine.travel(mail.scheduled_time + timedelta(seconds=1)):
        [sent] = deliver_mail()
    assert sent.to == ["sofie@example.org"]


@pytest.mark.parametrize("status", [SignupStatus.LEFT, SignupStatus.REMOVED])
def test_undoing_puts_the_member_back_and_the_mail_never_goes(
    coordinator_user, group, deliver_mail, status
):
    signup = member(group)
    end_membership(signup, by=coordinator_user, status=status, reason="Per ongeluk.")

    restore_membership(signup, by=coordinator_user)

    signup.refresh_from_db()
    assert signup.status == SignupStatus.APPROVED
    assert signup.ended_at is None
    assert signup.decision_reason == ""
    step = signup.status_changes.order_by("pk").last()
    assert (step.from_status, step.to_status, step.actor) == (
        status,
        SignupStatus.APPROVED,
        coordinator_user,
    )
    assert held_mail(signup) == []
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert deliver_mail() == []


def test_undo_is_refused_after_the_window(coordinator_user, group, settings):
    settings.MEMBERSHIP_UNDO_HOURS = 24
    signup = member(group)
    end_membership(signup, by=coordinator_user, status=SignupStatus.LEFT)

    with time_machine.travel(timezone.now() + timedelta(hours=24, seconds=1)):
        with pytest.raises(ValidationError):
            restore_membership(signup, by=coordinator_user)

    signup.refresh_from_db()
    assert signup.status == SignupStatus.LEFT
    assert len(held_mail(signup)) == 1


def test_undo_is_refused_once_the_data_is_erased(coordinator_user, group):
    signup = member(group)
    end_membership(signup, by=coordinator_user, status=SignupStatus.LEFT)
    Signup.objects.filter(pk=signup.pk).update(erased_at=timezone.now())

    with pytest.raises(InvalidTransition):
        restore_membership(signup, by=coordinator_user)


@pytest.mark.parametrize("status", [SignupStatus.APPROVED, SignupStatus.REJECTED])
def test_only_an_ended_membership_can_be_undone(coordinator_user, group, status):
    signup = SignupFactory(group=group, status=status, decided_at=timezone.now())

    with pytest.raises(InvalidTransition):
        restore_membership(signup, by=coordinator_user)

    assert not StatusChange.objects.filter(signup=signup).exists()


def test_a_coordinator_of_another_group_cannot_undo(
    coordinator_user, zone_staff, other_group
):
    signup = member(other_group)
    end_membership(signup, by=zone_staff, status=SignupStatus.LEFT)

    with pytest.raises(PermissionDenied):
        restore_membership(signup, by=coordinator_user)

    signup.refresh_from_db()
    assert signup.status == SignupStatus.LEFT


def test_undo_is_refused_when_the_resident_signed_up_again(coordinator_user, group):
    signup = member(group, phone="+32470551234")
    end_membership(signup, by=coordinator_user, status=SignupStatus.LEFT)
    SignupFactory(group=group, phone="+32470551234")

    with pytest.raises(ValidationError):
        restore_membership(signup, by=coordinator_user)

    signup.refresh_from_db()
    assert signup.status == SignupStatus.LEFT


def test_the_purge_erases_nothing_that_can_still_be_undone(
    coordinator_user, group, settings
):
    settings.LEFT_RETENTION_DAYS = 0
    settings.MEMBERSHIP_UNDO_HOURS = 24
    signup = member(group)
    end_membership(signup, by=coordinator_user, status=SignupStatus.LEFT)

    with time_machine.travel(timezone.now() + timedelta(hours=23)):
        purge_personal_data()
    signup.refresh_from_db()
    assert signup.erased_at is None
    assert len(held_mail(signup)) == 1

    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        purge_personal_data()
    signup.refresh_from_db()
    assert signup.erased_at is not None


def test_the_default_window_is_shorter_than_the_retention(settings):
    assert settings.MEMBERSHIP_UNDO_HOURS == 24
    assert settings.LEFT_RETENTION_DAYS * 24 > settings.MEMBERSHIP_UNDO_HOURS


# --- the admin: ask first, then undo ---------------------------------------------


def post_action(client, url, action, signups, **extra):
    return client.post(
        url,
        {"action": action, ACTION_CHECKBOX_NAME: [s.pk for s in signups], **extra},
    )


def test_mark_as_left_asks_first_with_the_count_and_names(
    client, coordinator_user, group
):
    signups = [member(group, first_name=f"Lid{n:02d}") for n in range(53)]
    client.force_login(coordinator_user)

    response = post_action(client, MEMBERS, "mark_left_selected", signups)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "53" in page
    assert page.count("<li>Lid") == 50
    assert "en nog 3" in page
    assert not Signup.objects.filter(status=SignupStatus.LEFT).exists()
    assert not Email.objects.exists()


def test_mark_as_left_for_one_member_asks_too(client, coordinator_user, group):
    signup = member(group)
    client.force_login(coordinator_user)

    response = post_action(client, MEMBERS, "mark_left_selected", [signup])

    assert response.status_code == HTTPStatus.OK
    signup.refresh_from_db()
    assert signup.status == SignupStatus.APPROVED


def test_confirmed_end_offers_an_undo_that_works(client, coordinator_user, group):
    signups = [member(group) for _ in range(3)]
    client.force_login(coordinator_user)

    response = post_action(
        client, MEMBERS, "mark_left_selected", signups, apply="1", expected="3"
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Signup.objects.filter(status=SignupStatus.LEFT).count() == 3
    [message] = messages_of(client.get(MEMBERS))
    assert f'action="{UNDO}"' in message
    assert message.count('name="signup"') == 3

    client.post(UNDO, {"signup": [s.pk for s in signups]})

    assert Signup.objects.filter(status=SignupStatus.APPROVED).count() == 3
    assert not Email.objects.exists()


def test_a_changed_list_is_counted_again_before_anything_happens(
    client, coordinator_user, group
):
    signups = [member(group) for _ in range(3)]
    client.force_login(coordinator_user)

    response = post_action(
        client, MEMBERS, "mark_left_selected", signups, apply="1", expected="4"
    )

    assert response.status_code == HTTPStatus.OK
    assert "De lijst is intussen veranderd" in response.content.decode()
    assert not Signup.objects.filter(status=SignupStatus.LEFT).exists()


def test_removing_reminds_to_reset_the_invite_link(client, coordinator_user, group):
    signup = member(group)
    client.force_login(coordinator_user)

    post_action(
        client,
        MEMBERS,
        "mark_removed_selected",
        [signup],
        apply="1",
        expected="1",
        reason="Deelde berichten.",
    )

    messages = messages_of(client.get(MEMBERS))
    link = reverse("admin:groups_whatsappgroup_invite_link", args=[group.pk])
    assert any(
        link in message and "Link opnieuw instellen" in message for message in messages
    )


def test_leaving_does_not_remind_to_reset_the_link(client, coordinator_user, group):
    signup = member(group)
    client.force_login(coordinator_user)

    post_action(
        client, MEMBERS, "mark_left_selected", [signup], apply="1", expected="1"
    )

    assert not any("uitnodigingslink" in m for m in messages_of(client.get(MEMBERS)))


def test_the_undo_view_ignores_another_groups_members(
    client, coordinator_user, zone_staff, other_group
):
    elsewhere = member(other_group)
    end_membership(elsewhere, by=zone_staff, status=SignupStatus.LEFT)
    client.force_login(coordinator_user)

    response = client.post(UNDO, {"signup": [elsewhere.pk, "x"]})

    assert response.status_code == HTTPStatus.FOUND
    elsewhere.refresh_from_db()
    assert elsewhere.status == SignupStatus.LEFT


def test_the_undo_view_only_takes_a_post(client, coordinator_user, group):
    signup = member(group)
    end_membership(signup, by=coordinator_user, status=SignupStatus.LEFT)
    client.force_login(coordinator_user)

    client.get(UNDO, {"signup": signup.pk})

    signup.refresh_from_db()
    assert signup.status == SignupStatus.LEFT


def test_recently_ended_list_shows_what_can_be_undone(
    client, coordinator_user, zone_staff, group, other_group, settings
):
    recent = member(group, first_name="Recent")
    old = member(group, first_name="Oud")
    foreign = member(other_group, first_name="Elders")
    end_membership(old, by=coordinator_user, status=SignupStatus.LEFT)
    Signup.objects.filter(pk=old.pk).update(
        ended_at=timezone.now() - timedelta(hours=settings.MEMBERSHIP_UNDO_HOURS + 1)
    )
    end_membership(recent, by=coordinator_user, status=SignupStatus.LEFT)
    end_membership(foreign, by=zone_staff, status=SignupStatus.LEFT)
    client.force_login(coordinator_user)

    page = client.get(ENDED).content.decode()

    assert "Recent" in page
    assert "Oud" not in page
    assert "Elders" not in page
    assert f'formaction="{UNDO}"' in page

    response = post_action(client, ENDED, "restore_selected", [recent])
    assert response.status_code == HTTPStatus.FOUND
    recent.refresh_from_db()
    assert recent.status == SignupStatus.APPROVED


def test_the_current_members_list_has_no_undo_action(client, coordinator_user, group):
    member(group)
    client.force_login(coordinator_user)

    page = client.get(MEMBERS).content.decode()

    assert "restore_selected" not in page
    assert "mark_left_selected" in page


# --- bulk actions say how many they touch -----------------------------------------


def test_approving_one_needs_no_extra_step(client, coordinator_user, group):
    signup = SignupFactory(group=group)
    client.force_login(coordinator_user)

    response = post_action(client, PENDING, "approve_selected", [signup])

    assert response.status_code == HTTPStatus.FOUND
    signup.refresh_from_db()
    assert signup.status == SignupStatus.APPROVED


def test_approving_several_asks_with_the_count(client, coordinator_user, group):
    signups = [SignupFactory(group=group) for _ in range(2)]
    client.force_login(coordinator_user)

    response = post_action(client, PENDING, "approve_selected", signups)

    assert response.status_code == HTTPStatus.OK
    assert "2 personen" in response.content.decode()
    assert not Signup.objects.filter(status=SignupStatus.APPROVED).exists()

    post_action(client, PENDING, "approve_selected", signups, apply="1", expected="2")
    assert Signup.objects.filter(status=SignupStatus.APPROVED).count() == 2


def test_select_all_across_pages_says_how_many_it_touches(
    client, coordinator_user, group
):
    signups = [SignupFactory(group=group) for _ in range(3)]
    client.force_login(coordinator_user)

    # The page showed only the first; "select all 3" was clicked.
    response = post_action(
        client, PENDING, "approve_selected", signups[:1], select_across="1"
    )

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "3 personen" in page
    assert 'name="select_across" value="1"' in page
    assert not Signup.objects.filter(status=SignupStatus.APPROVED).exists()

    post_action(
        client,
        PENDING,
        "approve_selected",
        signups[:1],
        select_across="1",
        apply="1",
        expected="3",
    )
    assert Signup.objects.filter(status=SignupStatus.APPROVED).count() == 3


def test_marking_several_added_asks_first(client, coordinator_user, group):
    signups = [member(group) for _ in range(2)]
    client.force_login(coordinator_user)

    response = post_action(client, MEMBERS, "mark_added_selected", signups)

    assert response.status_code == HTTPStatus.OK
    assert not Signup.objects.filter(added_to_whatsapp_at__isnull=False).exists()


def test_held_mail_is_queued_not_sent(coordinator_user, group):
    signup = member(group)
    end_membership(signup, by=coordinator_user, status=SignupStatus.LEFT)

    [mail] = held_mail(signup)
    assert mail.status == STATUS.queued
    assert not outbox.due().filter(pk=mail.pk).exists()


def test_marking_several_withdrawn_members_removed_asks_first(
    client, coordinator_user, zone_staff, group
):
    from registrations import services
    from registrations.models import WithdrawnMember

    for n in range(2):
        signup = SignupFactory(group=group, phone=f"+3247055000{n}")
        services.approve_signup(signup, by=zone_staff)
        services.withdraw_signup(signup)
    rows = list(WithdrawnMember.objects.all())
    client.force_login(coordinator_user)
    url = reverse("admin:registrations_withdrawnmember_changelist")

    response = post_action(client, url, "mark_removed_selected", rows)

    assert response.status_code == HTTPStatus.OK
    assert "2 personen" in response.content.decode()
    assert WithdrawnMember.objects.count() == 2

    post_action(client, url, "mark_removed_selected", rows, apply="1", expected="2")
    assert WithdrawnMember.objects.count() == 0


def test_a_large_end_links_to_the_list_to_undo(
    client, coordinator_user, group, monkeypatch
):
    from registrations.admin import members

    monkeypatch.setattr(members, "UNDO_BUTTON_LIMIT", 2)
    signups = [member(group) for _ in range(3)]
    client.force_login(coordinator_user)

    post_action(client, MEMBERS, "mark_left_selected", signups, apply="1")

    [message] = messages_of(client.get(MEMBERS))
    assert ENDED in message
    assert 'name="signup"' not in message


# --- the approval mail calls the invite link what it is ---------------------------


def test_the_approval_mail_says_the_link_is_the_groups_not_personal(
    coordinator_user, group
):
    from registrations.services import approve_signup

    group.invite_link = "https://chat.whatsapp.com/AbCdEfGhIj1234567890"
    group.send_invite_link = True
    group.save()
    signup = SignupFactory(group=group, language="nl")

    approve_signup(signup, by=coordinator_user)

    [mail] = Email.objects.filter(to__contains=signup.email)
    for text in (mail.message, mail.html_message):
        assert "dezelfde voor elk lid" in text
        assert "wie hem heeft, kan lid worden" in text
        assert "enkel voor jou" not in text
