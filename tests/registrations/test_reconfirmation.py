"""The group's life: the yearly question, house-rules deadlines, whom to remove.

A member is asked a year after their approval (and a year after each answer)
whether they still live here, with a signed link to a page whose buttons
record the answer (POST: mail scanners open links). "Moved" ends the
membership; no answer in RECONFIRMATION_ANSWER_DAYS puts them on their
coordinators' list of members to remove, as does not accepting new house
rules by the deadline. Signups still waiting for a decision are asked to
accept new house rules when approved, not by the staff's mail.
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from post_office.models import Email

from groups.services import link_coordinator_login
from registrations import services
from registrations.constants import (
    ReconfirmationAnswer,
    RemovalReason,
    SignupStatus,
)
from registrations.models import (
    HouseRules,
    MemberToRemove,
    ReacceptanceRequest,
    Reconfirmation,
    Signup,
)
from registrations.notifications import (
    RECONFIRM_SALT,
    WITHDRAW_SALT,
    reacceptance_link,
    reconfirmation_link,
)
from registrations.services import house_rules, reconfirmation
from registrations.statistics import zone_statistics
from tests.concurrency import at_once
from tests.factories import (
    CoordinatorFactory,
    HouseRulesFactory,
    MunicipalityFactory,
    SignupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(days=400)
TO_REMOVE = reverse("admin:registrations_membertoremove_changelist")


def member(group, *, approved_ago=LONG_AGO, **values) -> Signup:
    return SignupFactory(
        group=group,
        status=SignupStatus.APPROVED,
        decided_at=timezone.now() - approved_ago,
        **values,
    )


def mails_to(address: str) -> list[Email]:
    return [mail for mail in Email.objects.order_by("pk") if address in mail.to]


def path(url: str) -> str:
    return url.removeprefix(settings.SITE_URL)


def question_of(signup: Signup) -> Reconfirmation:
    return Reconfirmation.objects.get(signup=signup)


@pytest.fixture
def coordinator(group):
    """The group's coordinator, with a login and an address."""
    user = UserFactory()
    coordinator = CoordinatorFactory(
        zone=group.municipality.zone, groups=[group], email="coord@example.be"
    )
    link_coordinator_login(coordinator, user=user)
    return user


@pytest.fixture
def jan(group) -> Signup:
    return member(group, first_name="Jan", last_name="Peeters", email="jan@example.be")


# --- asking -------------------------------------------------------------------


def test_a_member_approved_a_year_ago_is_asked_with_a_link_to_the_page(
    jan, group, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    recent = member(group, approved_ago=timedelta(days=200), email="nieuw@ex.be")
    pending = SignupFactory(group=group, email="wacht@example.be")

    assert reconfirmation.ask_due_members() == 1

    question = question_of(jan)
    [mail] = mails_to("jan@example.be")
    assert reconfirmation_link(question) in mail.message
    assert mails_to(recent.email) == mails_to(pending.email) == []


def test_running_twice_asks_once(jan):
    reconfirmation.ask_due_members()

    assert reconfirmation.ask_due_members() == 0

    assert Reconfirmation.objects.count() == 1
    assert len(mails_to(jan.email)) == 1


def test_the_command_killed_half_way_and_run_again_asks_everyone_once(
    group, monkeypatch
):
    members = [member(group, email=f"lid{n}@example.be") for n in range(3)]
    real = reconfirmation.notifications.send_reconfirmation_request
    calls = []

    def dies_on_the_second(question):
        calls.append(question.pk)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process is stopped mid-run
        real(question)

    monkeypatch.setattr(
        reconfirmation.notifications, "send_reconfirmation_request", dies_on_the_second
    )
    with pytest.raises(KeyboardInterrupt):
        call_command("send_reconfirmations")
    # The one asked before the stop has its question and its mail; the one
    # being asked has neither.
    assert Reconfirmation.objects.count() == 1
    monkeypatch.setattr(
        reconfirmation.notifications, "send_reconfirmation_request", real
    )

    call_command("send_reconfirmations")

    for signup in members:
        assert len(mails_to(signup.email)) == 1, signup.email
    assert Reconfirmation.objects.count() == 3


def test_a_member_who_answered_is_asked_again_a_year_after_the_answer(
    jan, time_machine
):
    reconfirmation.ask_due_members()
    reconfirmation.answer_reconfirmation(
        question_of(jan), answer=ReconfirmationAnswer.STILL_HERE
    )
    time_machine.move_to(timezone.now() + timedelta(days=300))
    assert reconfirmation.ask_due_members() == 0

    time_machine.move_to(timezone.now() + timedelta(days=70))

    assert reconfirmation.ask_due_members() == 1
    assert Reconfirmation.objects.filter(signup=jan).count() == 2


def test_two_members_sharing_a_mailbox_each_get_their_own_link(group):
    first = member(group, first_name="An", email="gezin@example.be")
    second = member(group, first_name="Bart", email="gezin@example.be")

    reconfirmation.ask_due_members()

    mails = mails_to("gezin@example.be")
    assert len(mails) == 2
    links = {reconfirmation_link(question_of(s)) for s in (first, second)}
    assert len(links) == 2
    assert all(any(link in mail.message for mail in mails) for link in links)
    # One answers for themselves only.
    reconfirmation.answer_reconfirmation(
        question_of(first), answer=ReconfirmationAnswer.MOVED
    )
    second.refresh_from_db()
    assert second.status == SignupStatus.APPROVED
    assert question_of(second).answered_at is None


# --- answering on the page ------------------------------------------------------


@pytest.fixture
def asked(jan) -> Reconfirmation:
    reconfirmation.ask_due_members()
    return question_of(jan)


def test_opening_the_link_only_shows_the_two_answers(client, asked):
    response = client.get(path(reconfirmation_link(asked)))

    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert 'value="still_here"' in content and 'value="moved"' in content
    asked.refresh_from_db()
    assert asked.answered_at is None  # a mail scanner answered nothing


def test_yes_keeps_the_membership(client, asked, jan):
    response = client.post(path(reconfirmation_link(asked)), {"answer": "still_here"})

    assert response.status_code == HTTPStatus.OK
    asked.refresh_from_db()
    jan.refresh_from_db()
    assert asked.answer == ReconfirmationAnswer.STILL_HERE
    assert jan.status == SignupStatus.APPROVED
    assert not MemberToRemove.objects.exists()


def test_moved_ends_the_membership_and_tells_the_coordinators_no_name(
    client, asked, jan, coordinator
):
    response = client.post(path(reconfirmation_link(asked)), {"answer": "moved"})

    assert response.status_code == HTTPStatus.OK
    jan.refresh_from_db()
    assert jan.status == SignupStatus.LEFT
    assert jan.ended_at is not None
    assert jan.status_changes.last().to_status == SignupStatus.LEFT
    notice = MemberToRemove.objects.get(signup=jan)
    assert notice.reason == RemovalReason.MOVED
    [to_coordinator] = mails_to("coord@example.be")
    assert "Jan" not in to_coordinator.message
    assert "Peeters" not in to_coordinator.message
    assert str(jan.phone)[-6:] not in to_coordinator.message
    assert TO_REMOVE in to_coordinator.message
    assert any(
        "moved" in mail.subject or "verlaten" in mail.subject
        for mail in mails_to(jan.email)[1:]
    )


def test_no_answer_chosen_is_asked_again_and_changes_nothing(client, asked):
    response = client.post(path(reconfirmation_link(asked)), {"answer": "maybe"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    asked.refresh_from_db()
    assert asked.answered_at is None


def test_answering_twice_keeps_the_first_answer(client, asked, jan):
    url = path(reconfirmation_link(asked))
    client.post(url, {"answer": "still_here"})

    response = client.post(url, {"answer": "moved"})

    assert response.status_code == HTTPStatus.OK
    assert response.context["already"] is True
    jan.refresh_from_db()
    asked.refresh_from_db()
    assert jan.status == SignupStatus.APPROVED
    assert asked.answer == ReconfirmationAnswer.STILL_HERE


def test_an_answer_after_the_membership_ended_is_refused(
    client, asked, jan, coordinator
):
    services.end_membership(jan, by=coordinator, status=SignupStatus.LEFT)

    response = client.post(path(reconfirmation_link(asked)), {"answer": "still_here"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    asked.refresh_from_db()
    assert asked.answered_at is None
    assert client.get(path(reconfirmation_link(asked))).status_code == (
        HTTPStatus.BAD_REQUEST
    )


def test_a_forged_link_is_refused(client, asked):
    url = path(reconfirmation_link(asked))

    response = client.post(url[:-3] + "xyz/", {"answer": "moved"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    asked.refresh_from_db()
    assert asked.answered_at is None


def test_a_link_made_for_another_question_or_purpose_is_refused(client, asked, group):
    other = member(group, email="ander@example.be")
    # A withdrawal token for the same number, and an unbound token: neither
    # is a link to the question.
    for token in (
        signing.dumps(asked.pk, salt=WITHDRAW_SALT),
        signing.dumps(asked.pk, salt=RECONFIRM_SALT),
    ):
        url = reverse("registrations:reconfirm", kwargs={"token": token})
        response = client.post(url, {"answer": "moved"})
        assert response.status_code == HTTPStatus.BAD_REQUEST
    other.refresh_from_db()
    asked.refresh_from_db()
    assert other.status == SignupStatus.APPROVED
    assert asked.answered_at is None


def test_a_link_in_the_old_mailbox_stops_working_after_an_address_change(
    client, asked, jan
):
    url = path(reconfirmation_link(asked))
    Signup.objects.filter(pk=jan.pk).update(
        email="nieuw@example.be", email_changed_at=timezone.now()
    )

    response = client.post(url, {"answer": "moved"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    jan.refresh_from_db()
    assert jan.status == SignupStatus.APPROVED
    asked.refresh_from_db()
    assert reconfirmation_link(asked) != "http://" + url  # a new link works
    assert client.get(path(reconfirmation_link(asked))).status_code == HTTPStatus.OK


# --- no answer: the coordinators are told --------------------------------------------


def test_no_answer_in_time_puts_the_member_on_the_list_once(
    asked, jan, group, coordinator, time_machine
):
    time_machine.move_to(
        timezone.now() + timedelta(days=settings.RECONFIRMATION_ANSWER_DAYS - 1)
    )
    assert reconfirmation.tell_of_unanswered() == 0
    time_machine.move_to(timezone.now() + timedelta(days=2))

    assert reconfirmation.tell_of_unanswered() == 1
    assert reconfirmation.tell_of_unanswered() == 0

    notice = MemberToRemove.objects.get()
    assert (notice.signup, notice.reason) == (jan, RemovalReason.NO_ANSWER)
    [mail] = mails_to("coord@example.be")
    assert "Jan" not in mail.message and "1" in mail.message
    jan.refresh_from_db()
    assert jan.status == SignupStatus.APPROVED  # the coordinator ends it


def test_a_late_yes_takes_the_member_off_the_list(asked, jan, time_machine):
    time_machine.move_to(timezone.now() + timedelta(days=40))
    reconfirmation.tell_of_unanswered()

    reconfirmation.answer_reconfirmation(asked, answer=ReconfirmationAnswer.STILL_HERE)

    assert not MemberToRemove.objects.exists()


def test_one_mail_per_group_with_the_count(group, coordinator, time_machine):
    for n in range(3):
        member(group, email=f"lid{n}@example.be")
    reconfirmation.ask_due_members()
    time_machine.move_to(timezone.now() + timedelta(days=31))

    call_command("send_reconfirmations")

    [mail] = mails_to("coord@example.be")
    assert "3" in mail.subject + mail.message


# --- the list in the admin ------------------------------------------------------


@pytest.fixture
def listed(asked, jan, time_machine) -> MemberToRemove:
    time_machine.move_to(timezone.now() + timedelta(days=40))
    reconfirmation.tell_of_unanswered()
    return MemberToRemove.objects.get(signup=jan)


def test_the_coordinator_sees_name_number_and_chat_link(client, coordinator, listed):
    client.force_login(coordinator)

    response = client.get(TO_REMOVE)

    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "Jan Peeters" in content
    assert listed.signup.whatsapp_url in content


def test_a_coordinator_of_another_group_sees_nobody(client, listed, zone):
    other = WhatsAppGroupFactory(municipality=MunicipalityFactory(zone=zone))
    stranger = UserFactory()
    link_coordinator_login(CoordinatorFactory(zone=zone, groups=[other]), user=stranger)
    client.force_login(stranger)

    response = client.get(TO_REMOVE)
    change = client.get(
        reverse("admin:registrations_membertoremove_change", args=[listed.pk])
    )

    assert "Jan Peeters" not in response.content.decode()
    assert change.status_code in (HTTPStatus.FOUND, HTTPStatus.NOT_FOUND)
    with pytest.raises(PermissionDenied):
        services.settle_member_to_remove(listed, by=stranger)


def test_settling_ends_the_membership_with_the_reason(client, coordinator, listed):
    client.force_login(coordinator)
    data = {"action": "settle_selected", ACTION_CHECKBOX_NAME: [listed.pk]}

    # Ending a membership asks first, with the name; nothing changes yet.
    asked = client.post(TO_REMOVE, data)
    assert "Jan Peeters" in asked.content.decode()
    assert Signup.objects.get(pk=listed.signup_id).status == SignupStatus.APPROVED

    response = client.post(TO_REMOVE, {**data, "apply": "1"}, follow=True)

    assert response.status_code == HTTPStatus.OK
    # The group's link lets anyone in: the coordinator is told to reset it.
    assert (
        reverse("admin:groups_whatsappgroup_invite_link", args=[listed.group_id])
        in response.content.decode()
    )
    signup = Signup.objects.get(pk=listed.signup_id)
    assert signup.status == SignupStatus.REMOVED
    assert signup.decision_reason
    assert not MemberToRemove.objects.exists()


def test_zone_staff_see_the_list_too(client, zone_staff, listed):
    client.force_login(zone_staff)

    assert "Jan Peeters" in client.get(TO_REMOVE).content.decode()


# --- statistics -------------------------------------------------------------------


def test_staff_see_yes_moved_and_no_answer_per_group(group, zone_staff, time_machine):
    people = [member(group, email=f"lid{n}@example.be") for n in range(4)]
    reconfirmation.ask_due_members()
    reconfirmation.answer_reconfirmation(
        question_of(people[0]), answer=ReconfirmationAnswer.STILL_HERE
    )
    reconfirmation.answer_reconfirmation(
        question_of(people[1]), answer=ReconfirmationAnswer.MOVED
    )
    time_machine.move_to(timezone.now() + timedelta(days=31))
    member(group, approved_ago=timedelta(days=400), email="laat@example.be")
    reconfirmation.ask_due_members()  # one more, asked just now

    stats = zone_statistics(zone_staff)

    [row, total] = stats.reconfirmations
    assert (row.name, row.is_total) == (group.name, False)
    assert (row.still_here, row.moved, row.no_answer, row.waiting) == (1, 1, 2, 1)
    assert total.is_total and total.asked == 5


def test_the_statistics_page_shows_the_answers(client, zone_staff, asked):
    client.force_login(zone_staff)

    response = client.get(reverse("statistics"))

    assert response.status_code == HTTPStatus.OK
    assert 'id="reconfirmation-heading"' in response.content.decode()


# --- house rules: deadline, reminder, the list --------------------------------------


@pytest.fixture
def rules_v2(zone, zone_staff, group, jan) -> HouseRules:
    """Version 2 published while Jan is on version 1."""
    HouseRules.objects.filter(zone=zone).update(is_current=False)
    rules = HouseRulesFactory(zone=zone, version=99, title="Nieuw reglement")
    return rules


def test_staff_ask_with_a_deadline_of_their_choice(
    client, zone_staff, rules_v2, jan, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    client.force_login(zone_staff)

    client.post(
        reverse("admin:registrations_houserules_changelist"),
        {
            "action": "ask_to_reaccept",
            ACTION_CHECKBOX_NAME: [rules_v2.pk],
            "deadline_days": "14",
        },
        follow=True,
    )

    request = ReacceptanceRequest.objects.get(signup=jan)
    days = (request.deadline - request.created_at).total_seconds() / 86400
    assert 13.9 < days < 14.1
    [mail] = mails_to(jan.email)
    assert reacceptance_link(jan) in mail.message


def test_a_deadline_of_no_days_is_refused_and_asks_nobody(client, zone_staff, rules_v2):
    client.force_login(zone_staff)

    client.post(
        reverse("admin:registrations_houserules_changelist"),
        {
            "action": "ask_to_reaccept",
            ACTION_CHECKBOX_NAME: [rules_v2.pk],
            "deadline_days": "0",
        },
    )

    assert not ReacceptanceRequest.objects.exists()


def test_one_reminder_before_the_deadline_then_the_list(
    zone_staff, rules_v2, jan, coordinator, time_machine
):
    services.request_reacceptance(rules_v2, by=zone_staff, deadline_days=30)
    assert house_rules.remind_reacceptance() == 0  # not yet
    time_machine.move_to(timezone.now() + timedelta(days=24))

    assert house_rules.remind_reacceptance() == 1
    assert house_rules.remind_reacceptance() == 0
    assert len(mails_to(jan.email)) == 2
    assert house_rules.tell_of_overdue_reacceptance() == 0

    time_machine.move_to(timezone.now() + timedelta(days=7))
    assert house_rules.tell_of_overdue_reacceptance() == 1
    assert house_rules.tell_of_overdue_reacceptance() == 0

    notice = MemberToRemove.objects.get()
    assert notice.reason == RemovalReason.HOUSE_RULES
    assert len(mails_to("coord@example.be")) == 1


def test_accepting_after_the_deadline_takes_the_member_off_the_list(
    zone_staff, rules_v2, jan, time_machine
):
    services.request_reacceptance(rules_v2, by=zone_staff, deadline_days=5)
    time_machine.move_to(timezone.now() + timedelta(days=6))
    house_rules.tell_of_overdue_reacceptance()

    services.accept_house_rules(jan, rules=rules_v2)

    assert not MemberToRemove.objects.exists()


def test_a_member_who_accepted_is_neither_reminded_nor_listed(
    zone_staff, rules_v2, jan, time_machine
):
    services.request_reacceptance(rules_v2, by=zone_staff, deadline_days=10)
    services.accept_house_rules(jan, rules=rules_v2)
    time_machine.move_to(timezone.now() + timedelta(days=11))

    assert house_rules.remind_reacceptance() == 0
    assert house_rules.tell_of_overdue_reacceptance() == 0


def test_a_pending_signup_is_asked_in_the_approval_mail(
    zone_staff, group, coordinator, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    pending = SignupFactory(group=group, email="wacht@example.be")
    old = pending.house_rules
    HouseRules.objects.filter(pk=old.pk).update(is_current=False)
    current = HouseRulesFactory(zone=group.municipality.zone, version=50)

    services.request_reacceptance(current, by=zone_staff)
    assert mails_to("wacht@example.be") == []  # not while waiting

    services.approve_signup(pending, by=coordinator)

    [approval] = mails_to("wacht@example.be")
    assert reacceptance_link(pending) in approval.message
    request = ReacceptanceRequest.objects.get(signup=pending)
    assert request.house_rules == current and request.deadline is not None


def test_an_approval_on_the_current_version_asks_nothing(group, coordinator):
    pending = SignupFactory(group=group, email="wacht@example.be")

    services.approve_signup(pending, by=coordinator)

    [approval] = mails_to("wacht@example.be")
    assert "huishoudelijk-reglement/aanvaarden" not in approval.message
    assert not ReacceptanceRequest.objects.exists()


def test_the_members_list_shows_and_filters_the_version(
    client, coordinator, group, jan
):
    old = jan.house_rules
    HouseRules.objects.filter(pk=old.pk).update(is_current=False)
    current = HouseRulesFactory(zone=group.municipality.zone, version=7)
    newer = member(group, house_rules=current, email="nieuw@example.be")
    client.force_login(coordinator)
    url = reverse("admin:registrations_member_changelist")

    response = client.get(url, {"reglement": "older"})

    assert response.status_code == HTTPStatus.OK
    assert [s.pk for s in response.context["cl"].result_list] == [jan.pk]
    response = client.get(url, {"reglement": "current"})
    assert [s.pk for s in response.context["cl"].result_list] == [newer.pk]
    assert client.get(url, {"reglement": "x' OR 1=1"}).status_code == HTTPStatus.OK


# --- two runs at once (PostgreSQL: row locks) ----------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two runs at once need concurrent transactions and row locks",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("attempt", range(2))
def test_two_runs_at_once_ask_each_member_once_and_tell_once(attempt, group):
    CoordinatorFactory(
        zone=group.municipality.zone, groups=[group], email="coord@example.be"
    )
    members = [member(group, email=f"lid{n}@example.be") for n in range(15)]

    asked = at_once([reconfirmation.ask_due_members] * 2)

    assert not [each for each in asked if isinstance(each, Exception)], asked
    assert sum(asked) == len(members)
    assert Reconfirmation.objects.count() == len(members)
    for signup in members:
        assert len(mails_to(signup.email)) == 1
    Reconfirmation.objects.update(asked_at=timezone.now() - timedelta(days=40))

    told = at_once([reconfirmation.tell_of_unanswered] * 2)

    assert not [each for each in told if isinstance(each, Exception)], told
    assert sum(told) == len(members)
    assert MemberToRemove.objects.count() == len(members)
    [mail] = mails_to("coord@example.be")
    assert "15" in mail.message
