"""Meetings (overleg): invitations with a calendar file, the answers, the admin."""

import html
import re
from datetime import datetime, timedelta
from http import HTTPStatus
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from post_office.models import Email

from groups.constants import MeetingResponse
from groups.models import Meeting, MeetingInvitation
from groups.services import (
    add_zone_staff,
    invitation_from_link,
    invite_coordinators,
    link_coordinator_login,
    meeting_ics,
    respond_to_invitation,
    response_link,
)
from tests.factories import (
    CoordinatorFactory,
    MeetingFactory,
    MeetingInvitationFactory,
    PoliceZoneFactory,
    UserFactory,
)
from wabp_portal.signed_links import InvalidLink

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=BRUSSELS)
# Summer time: 19:30 in Brussels is 17:30 UTC.
STARTS_AT = datetime(2026, 6, 10, 19, 30, tzinfo=BRUSSELS)
YES, NO = MeetingResponse.YES, MeetingResponse.NO


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def meeting(zone) -> Meeting:
    return MeetingFactory(
        zone=zone,
        title="Overleg buurtpreventie voorjaar",
        starts_at=STARTS_AT,
        location="Gemeentehuis, raadzaal",
        agenda="1. Welkom\n2. Cijfers & trends",
    )


@pytest.fixture
def coordinators(zone) -> list:
    """The three active coordinators of ``zone``."""
    return [CoordinatorFactory(zone=zone) for _ in range(3)]


@pytest.fixture
def invitation(meeting) -> MeetingInvitation:
    return MeetingInvitationFactory(meeting=meeting)


@pytest.fixture
def other_zone_staff():
    user = UserFactory()
    add_zone_staff(PoliceZoneFactory(), user=user)
    return user


def text(response) -> str:
    return html.unescape(response.content.decode())


def site_path(url: str) -> str:
    """The path and query of a link in a mail, for the test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def answer_url(invitation: MeetingInvitation) -> str:
    return site_path(response_link(invitation))


def parse_ics(data: bytes | str) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(data)
    [event] = calendar.events
    return event


def calendar_attachment(message) -> tuple[str, bytes | str, str]:
    [attachment] = message.attachments
    return attachment


# Inviting ----------------------------------------------------------------


def test_invite_emails_every_active_coordinator_of_the_zone(
    meeting, coordinators, zone_staff, deliver_mail
):
    result = invite_coordinators(meeting, by=zone_staff)

    outbox = deliver_mail()
    assert result.invited == 3
    assert sorted(address for m in outbox for address in m.to) == sorted(
        c.email for c in coordinators
    )
    assert all(len(message.to) == 1 for message in outbox)
    assert set(
        MeetingInvitation.objects.filter(meeting=meeting).values_list(
            "coordinator", flat=True
        )
    ) == {c.pk for c in coordinators}
    assert not MeetingInvitation.objects.exclude(response="").exists()


def test_invitation_mail_shows_the_meeting_and_the_answer_page_link(
    meeting, zone_staff, deliver_mail, time_machine
):
    # The answer links are signed with the time: the clock stands still, so
    # the ones made here are the ones in the mail even across a second's tick.
    time_machine.move_to(timezone.now(), tick=False)
    coordinator = CoordinatorFactory(zone=meeting.zone, first_name="Griet")

    invite_coordinators(meeting, by=zone_staff)

    [message] = deliver_mail()
    invitation = MeetingInvitation.objects.get(coordinator=coordinator)
    body = message.body
    assert "Overleg buurtpreventie voorjaar" in message.subject
    assert "10 juni 2026" in message.subject
    assert "Griet" in body
    assert "19:30–21:30" in body
    assert "Gemeentehuis, raadzaal" in body
    # Plain text is not HTML-escaped.
    assert "2. Cijfers & trends" in body
    # One link, to a page where the answer is tapped: the mail does not
    # suggest that following a link is the answer.
    assert response_link(invitation) in body
    assert "?antwoord=" not in body
    assert "Open de antwoordpagina en tik" in body
    assert message.extra_headers["Reply-To"] == meeting.zone.email
    html_body, _ = message.alternatives[0]
    assert f'href="{response_link(invitation)}"' in html_body


def test_invitation_mail_carries_the_meeting_as_calendar_file(
    meeting, coordinators, zone_staff, deliver_mail
):
    invite_coordinators(meeting, by=zone_staff)

    for message in deliver_mail():
        name, content, mimetype = calendar_attachment(message)
        event = parse_ics(content)
        assert (name, mimetype) == ("overleg.ics", "text/calendar; method=PUBLISH")
        assert event.start == STARTS_AT
        assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
        assert event.end == STARTS_AT + timedelta(hours=2)
        assert event.uid == f"meeting-{meeting.pk}@127.0.0.1"
        assert str(event["SUMMARY"]) == "Overleg buurtpreventie voorjaar"
        assert str(event["LOCATION"]) == "Gemeentehuis, raadzaal"
        assert str(event["DESCRIPTION"]) == "1. Welkom\n2. Cijfers & trends"
        assert str(event["ORGANIZER"]) == f"mailto:{meeting.zone.email}"


def test_calendar_file_keeps_its_uid_and_takes_the_end_time(meeting):
    first = parse_ics(meeting_ics(meeting))
    meeting.ends_at = STARTS_AT + timedelta(hours=1, minutes=15)
    meeting.save()

    again = parse_ics(meeting_ics(meeting))

    assert again.uid == first.uid
    assert again.end == datetime(2026, 6, 10, 20, 45, tzinfo=BRUSSELS)
    assert parse_ics(meeting_ics(MeetingFactory())).uid != first.uid


def test_calendar_file_of_a_meeting_without_title_uses_the_usual_title(meeting):
    meeting.title = ""

    with translation.override("en"):
        event = parse_ics(meeting_ics(meeting))

    assert str(event["SUMMARY"]) == "Neighbourhood watch meeting"


def test_calendar_file_is_in_the_language_of_the_mail_not_of_the_clicker(
    meeting, coordinators, zone_staff, settings, deliver_mail
):
    meeting.title = ""
    meeting.save()
    settings.LANGUAGE_CODE = "en"

    with translation.override("nl"):
        invite_coordinators(meeting, by=zone_staff)

    for message in deliver_mail():
        _, content, _ = calendar_attachment(message)
        assert str(parse_ics(content)["SUMMARY"]) == "Neighbourhood watch meeting"


def test_invite_again_invites_only_coordinators_added_since(
    meeting, coordinators, zone_staff, deliver_mail
):
    invite_coordinators(meeting, by=zone_staff)
    newcomer = CoordinatorFactory(zone=meeting.zone)

    result = invite_coordinators(meeting, by=zone_staff)

    outbox = deliver_mail()
    assert (result.invited, result.updated) == (1, 0)
    assert len(outbox) == 4
    assert outbox[-1].to == [newcomer.email]
    assert MeetingInvitation.objects.filter(meeting=meeting).count() == 4


def test_invite_again_with_nobody_new_sends_nothing(
    meeting, coordinators, zone_staff, deliver_mail
):
    invite_coordinators(meeting, by=zone_staff)

    assert invite_coordinators(meeting, by=zone_staff).invited == 0
    assert len(deliver_mail()) == 3


def test_inactive_and_other_zones_coordinators_are_not_invited(
    meeting, coordinators, zone_staff
):
    retired = CoordinatorFactory(zone=meeting.zone, is_active=False)
    elsewhere = CoordinatorFactory()
    other_meeting = MeetingFactory(zone=elsewhere.zone, starts_at=STARTS_AT)

    invite_coordinators(meeting, by=zone_staff)

    invited = set(meeting.invitations.values_list("coordinator", flat=True))
    assert retired.pk not in invited
    assert elsewhere.pk not in invited
    assert not other_meeting.invitations.exists()
    assert Email.objects.filter(to__contains=retired.email).count() == 0
    assert Email.objects.filter(to__contains=elsewhere.email).count() == 0


def test_invite_to_a_meeting_that_has_started_is_refused(
    meeting, coordinators, zone_staff, frozen_now
):
    frozen_now.move_to(STARTS_AT + timedelta(minutes=1), tick=False)

    with pytest.raises(ValidationError) as excinfo:
        invite_coordinators(meeting, by=zone_staff)

    assert "al begonnen" in " ".join(excinfo.value.messages)
    assert not MeetingInvitation.objects.exists()
    assert not Email.objects.exists()


@pytest.mark.parametrize(
    "who", ["coordinator", "other_zone_staff", "no_role", "inactive_staff", "anon"]
)
def test_invite_by_anyone_but_the_zones_staff_is_refused(
    meeting, coordinators, coordinator_user, other_zone_staff, zone, who
):
    inactive_staff = UserFactory()
    add_zone_staff(zone, user=inactive_staff)
    inactive_staff.is_active = False
    inactive_staff.save()
    user = {
        "coordinator": coordinator_user,
        "other_zone_staff": other_zone_staff,
        "no_role": UserFactory(),
        "inactive_staff": inactive_staff,
        "anon": AnonymousUser(),
    }[who]

    with pytest.raises(PermissionDenied):
        invite_coordinators(meeting, by=user)

    assert not MeetingInvitation.objects.exists()
    assert not Email.objects.exists()


def test_superuser_may_invite_in_any_zone(meeting, coordinators):
    superuser = UserFactory(is_superuser=True, is_staff=True)

    assert invite_coordinators(meeting, by=superuser).invited == 3


# Answering ---------------------------------------------------------------


def test_respond_records_the_answer_and_when(invitation):
    respond_to_invitation(invitation, answer=YES)

    invitation.refresh_from_db()
    assert invitation.response == YES
    assert invitation.responded_at == NOW


def test_answer_may_change_until_the_meeting_starts(invitation, frozen_now):
    respond_to_invitation(invitation, answer=YES)
    later = STARTS_AT - timedelta(minutes=1)
    frozen_now.move_to(later, tick=False)

    respond_to_invitation(invitation, answer=NO)

    invitation.refresh_from_db()
    assert (invitation.response, invitation.responded_at) == (NO, later)


def test_answer_after_the_meeting_started_is_refused(invitation, frozen_now):
    respond_to_invitation(invitation, answer=YES)
    frozen_now.move_to(STARTS_AT, tick=False)

    with pytest.raises(ValidationError) as excinfo:
        respond_to_invitation(invitation, answer=NO)

    assert "al begonnen" in " ".join(excinfo.value.messages)
    invitation.refresh_from_db()
    assert (invitation.response, invitation.responded_at) == (YES, NOW)


def test_answer_other_than_yes_or_no_is_refused(invitation):
    with pytest.raises(ValidationError):
        respond_to_invitation(invitation, answer="maybe")

    invitation.refresh_from_db()
    assert invitation.response == ""


def test_answer_of_a_deactivated_coordinator_is_refused(invitation):
    invitation.coordinator.is_active = False
    invitation.coordinator.save()

    with pytest.raises(ValidationError):
        respond_to_invitation(invitation, answer=YES)

    invitation.refresh_from_db()
    assert invitation.response == ""


def test_link_leads_to_its_invitation(invitation):
    token = urlsplit(response_link(invitation)).path.rstrip("/").rsplit("/", 1)[1]

    assert invitation_from_link(token) == invitation


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps(1),  # signed, but for another purpose
        signing.dumps("1", salt="groups.meeting.invitation.respond"),
    ],
    # A signed value differs with the second it is made in: ids of their own
    # keep the test ids the same in every process (pytest-xdist compares them).
    ids=["not-a-token", "signed-for-another-purpose", "signed-text-not-a-number"],
)
def test_link_that_is_tampered_with_is_refused(invitation, token):
    with pytest.raises(InvalidLink):
        invitation_from_link(token)


def test_link_to_a_deleted_invitation_is_refused(invitation):
    url = answer_url(invitation)
    token = url.rstrip("/").rsplit("/", 1)[1]
    invitation.delete()

    with pytest.raises(InvalidLink):
        invitation_from_link(token)


# Invariants --------------------------------------------------------------


def test_coordinator_is_invited_once_per_meeting(invitation):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingInvitationFactory(
            meeting=invitation.meeting, coordinator=invitation.coordinator
        )


@pytest.mark.parametrize(
    "response, responded_at",
    [("nah", NOW), (YES, None), ("", NOW)],
)
def test_database_refuses_an_answer_that_does_not_add_up(
    invitation, response, responded_at
):
    invitation.response = response
    invitation.responded_at = responded_at

    with pytest.raises(IntegrityError), transaction.atomic():
        invitation.save()


def test_invitation_of_a_coordinator_of_another_zone_does_not_validate(meeting):
    invitation = MeetingInvitationFactory.build(
        meeting=meeting, coordinator=CoordinatorFactory()
    )

    with pytest.raises(ValidationError) as excinfo:
        invitation.full_clean()

    assert "coordinator" in excinfo.value.message_dict


def test_meeting_must_end_after_it_starts(meeting):
    meeting.ends_at = meeting.starts_at

    with pytest.raises(ValidationError) as excinfo:
        meeting.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting.save()

    assert list(excinfo.value.message_dict) == ["ends_at"]


def test_meeting_without_title_or_end_gets_the_usual_ones(meeting):
    meeting.title = ""

    with translation.override("en"):
        assert meeting.display_title == "Neighbourhood watch meeting"
    assert meeting.end == STARTS_AT + timedelta(hours=2)


def test_invitation_factory_builds_a_row_that_passes_validation():
    MeetingInvitationFactory().full_clean()


# The answer page ---------------------------------------------------------


def test_answer_page_shows_the_meeting_and_two_answer_buttons(client, invitation):
    response = client.get(
        site_path(response_link(invitation)), HTTP_ACCEPT_LANGUAGE="en"
    )

    content = text(response)
    assert response.status_code == HTTPStatus.OK
    assert "Overleg buurtpreventie voorjaar" in content
    assert "Wednesday 10 June 2026, 19:30" in content
    assert "21:30" in content
    assert "Gemeentehuis, raadzaal" in content
    assert "Cijfers & trends" in content
    assert "You have not answered yet." in content
    assert 'value="ja" class="btn btn-lg w-100 py-3 btn-outline-success"' in content
    assert 'value="nee" class="btn btn-lg w-100 py-3 btn-outline-secondary"' in content
    assert content.count('<form method="post"') == 2
    assert "noindex" in content
    assert "no-cache" in response["Cache-Control"]


def test_following_a_link_in_the_mail_records_nothing(client, invitation):
    """Mail scanners open every link: only the page's button answers."""
    client.get(site_path(response_link(invitation)) + "?antwoord=nee")

    invitation.refresh_from_db()
    assert (invitation.response, invitation.responded_at) == ("", None)


@pytest.mark.parametrize("word", ["ja", "nee", "misschien"])
def test_answer_page_of_an_old_preselecting_link_answers_nothing(
    client, invitation, word
):
    response = client.get(answer_url(invitation) + f"?antwoord={word}")

    assert response.status_code == HTTPStatus.OK
    assert "btn-outline-success" in text(response)
    assert "btn-outline-secondary" in text(response)
    invitation.refresh_from_db()
    assert invitation.response == ""


@pytest.mark.parametrize(
    "word, answer, says",
    [
        ("ja", YES, "Your answer: I will come."),
        ("nee", NO, "Your answer: I cannot come."),
    ],
)
def test_answer_page_records_the_answer_and_thanks(
    client, invitation, word, answer, says
):
    url = answer_url(invitation)

    response = client.post(url, {"antwoord": word}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == url
    invitation.refresh_from_db()
    assert (invitation.response, invitation.responded_at) == (answer, NOW)
    page = text(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert "Thank you: your answer has been recorded." in page
    assert says in page
    assert "You can still change it until the meeting starts." in page


def test_answer_page_changes_an_earlier_answer(client, invitation, frozen_now):
    respond_to_invitation(invitation, answer=YES)
    frozen_now.shift(timedelta(days=1))

    client.post(answer_url(invitation), {"antwoord": "nee"})

    invitation.refresh_from_db()
    assert (invitation.response, invitation.responded_at) == (
        NO,
        NOW + timedelta(days=1),
    )


@pytest.mark.parametrize("word", ["", "misschien", "yes"])
def test_answer_page_refuses_an_unknown_answer(client, invitation, word):
    response = client.post(
        answer_url(invitation), {"antwoord": word}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Choose “I will come” or “I cannot come”." in text(response)
    invitation.refresh_from_db()
    assert invitation.response == ""


def test_answer_page_refuses_an_answer_after_the_start(client, invitation, frozen_now):
    respond_to_invitation(invitation, answer=YES)
    frozen_now.move_to(STARTS_AT + timedelta(minutes=5), tick=False)

    response = client.post(
        answer_url(invitation), {"antwoord": "nee"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == HTTPStatus.CONFLICT
    assert "The meeting has already started" in text(response)
    invitation.refresh_from_db()
    assert invitation.response == YES


def test_answer_page_after_the_start_shows_no_buttons(client, invitation, frozen_now):
    frozen_now.move_to(STARTS_AT + timedelta(minutes=5), tick=False)

    response = client.get(answer_url(invitation), HTTP_ACCEPT_LANGUAGE="en")

    content = text(response)
    assert response.status_code == HTTPStatus.OK
    assert "The meeting has already started" in content
    assert 'name="antwoord"' not in content


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "token",
    ["tampered", signing.dumps(1), "a" * 300 + ":b:c"],
    ids=["tampered", "signed-for-another-purpose", "overlong"],
)
def test_answer_page_with_a_bad_link_is_a_clear_400(client, invitation, method, token):
    url = reverse("groups:meeting-response", kwargs={"token": token})

    response = getattr(client, method)(
        url, {"antwoord": "ja"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "This link is not valid." in text(response)
    invitation.refresh_from_db()
    assert invitation.response == ""


def test_answer_page_of_a_deleted_invitation_is_a_clear_400(client, invitation):
    url = answer_url(invitation)
    invitation.delete()

    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "This invitation no longer exists." in text(response)


def test_answer_page_needs_the_csrf_token(invitation):
    client = Client(enforce_csrf_checks=True)

    response = client.post(answer_url(invitation), {"antwoord": "ja"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    invitation.refresh_from_db()
    assert invitation.response == ""


# The admin ---------------------------------------------------------------


CHANGELIST = reverse("admin:groups_meeting_changelist")


def change_url(meeting: Meeting) -> str:
    return reverse("admin:groups_meeting_change", args=[meeting.pk])


def invite_url(meeting: Meeting) -> str:
    return reverse("admin:groups_meeting_invite", args=[meeting.pk])


def answered(meeting: Meeting, *answers: str) -> None:
    """Invitations of new coordinators of the zone, answered as given."""
    for answer in answers:
        invitation = MeetingInvitationFactory(meeting=meeting)
        if answer:
            respond_to_invitation(invitation, answer=answer)


def test_zone_staff_role_may_view_the_invitations(zone_staff):
    assert zone_staff.has_perm("groups.view_meetinginvitation")
    assert not zone_staff.has_perm("groups.change_meetinginvitation")


def test_changelist_counts_the_answers_of_each_meeting(client, zone_staff, meeting):
    answered(meeting, YES, YES, NO, "")
    client.force_login(zone_staff)

    response = client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="en")

    content = text(response)
    assert response.status_code == HTTPStatus.OK
    assert "Overleg buurtpreventie voorjaar" in content
    assert '<td class="field-yes_count">2</td>' in content
    assert '<td class="field-no_count">1</td>' in content
    assert '<td class="field-unanswered_count">1</td>' in content


def test_changelist_queries_do_not_grow_with_the_meetings(
    client, zone_staff, meeting, django_assert_max_num_queries
):
    answered(meeting, YES, NO)
    client.force_login(zone_staff)
    with CaptureQueriesContext(transaction.get_connection()) as one_meeting:
        client.get(CHANGELIST)
    for day in range(1, 6):
        answered(
            MeetingFactory(zone=meeting.zone, starts_at=STARTS_AT + timedelta(day)),
            YES,
            NO,
            "",
        )

    with django_assert_max_num_queries(len(one_meeting)):
        response = client.get(CHANGELIST)

    assert response.status_code == HTTPStatus.OK


def test_change_view_lists_the_invitations_read_only(client, zone_staff, meeting):
    yes = MeetingInvitationFactory(meeting=meeting, coordinator__last_name="Aerts")
    respond_to_invitation(yes, answer=YES)
    MeetingInvitationFactory(meeting=meeting, coordinator__last_name="Bosmans")
    client.force_login(zone_staff)

    response = client.get(change_url(meeting), HTTP_ACCEPT_LANGUAGE="en")

    content = text(response)
    assert response.status_code == HTTPStatus.OK
    assert "Aerts" in content
    assert "Bosmans" in content
    assert "will come" in content
    assert "not answered yet" in content
    # Read only: no field to change, no row to add or delete.
    assert 'name="invitations-0-coordinator"' not in content
    assert 'name="invitations-MAX_NUM_FORMS" value="0"' in content
    assert "invitations-0-DELETE" not in content
    assert "Invite all active coordinators" in content


def test_change_view_still_saves_the_meeting_with_its_invitations(
    client, zone_staff, meeting
):
    answered(meeting, YES, "")
    client.force_login(zone_staff)
    page = client.get(change_url(meeting))
    data = {
        "zone": meeting.zone_id,
        "title": meeting.title,
        "starts_at_0": "10/06/2026",
        "starts_at_1": "19:30",
        "ends_at_0": "",
        "ends_at_1": "",
        "location": meeting.location,
        "agenda": meeting.agenda + "\n3. Varia",
        **{
            key: value
            for key, value in re.findall(
                r'name="(invitations-[A-Z_]+)" value="(\d*)"', text(page)
            )
        },
    }

    response = client.post(change_url(meeting), data)

    assert response.status_code == HTTPStatus.FOUND, text(response)
    meeting.refresh_from_db()
    assert meeting.agenda.endswith("3. Varia")
    assert meeting.invitations.count() == 2
    # A new agenda keeps the answers.
    assert meeting.invitations.filter(response=YES).count() == 1


def test_admin_action_invites_the_selected_meetings(
    client, zone_staff, meeting, coordinators
):
    client.force_login(zone_staff)

    response = client.post(
        CHANGELIST,
        {"action": "invite_selected", "_selected_action": [meeting.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "3 coordinators were invited by e-mail." in text(response)
    assert meeting.invitations.count() == 3
    assert Email.objects.count() == 3


def test_admin_action_says_when_nobody_new_is_left(
    client, zone_staff, meeting, coordinators
):
    invite_coordinators(meeting, by=zone_staff)
    client.force_login(zone_staff)

    response = client.post(
        CHANGELIST,
        {"action": "invite_selected", "_selected_action": [meeting.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "Nobody new to invite: every active coordinator of the zone is invited" in (
        text(response)
    )
    assert Email.objects.count() == 3


def test_admin_action_reports_a_meeting_that_has_started(
    client, zone_staff, meeting, coordinators, frozen_now
):
    frozen_now.move_to(STARTS_AT + timedelta(hours=1), tick=False)
    client.force_login(zone_staff)

    response = client.post(
        CHANGELIST,
        {"action": "invite_selected", "_selected_action": [meeting.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "already started" in text(response)
    assert not meeting.invitations.exists()


def test_invite_button_invites_and_returns_to_the_meeting(
    client, zone_staff, meeting, coordinators
):
    client.force_login(zone_staff)

    response = client.post(invite_url(meeting), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == change_url(meeting)
    assert meeting.invitations.count() == 3
    page = client.get(change_url(meeting), HTTP_ACCEPT_LANGUAGE="en")
    assert "3 coordinators were invited by e-mail." in text(page)


def test_invite_button_answers_only_post(client, zone_staff, meeting, coordinators):
    client.force_login(zone_staff)

    response = client.get(invite_url(meeting))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert not meeting.invitations.exists()


def test_staff_of_another_zone_cannot_see_or_invite_to_the_meeting(
    client, other_zone_staff, meeting, coordinators
):
    answered(meeting, YES)
    client.force_login(other_zone_staff)

    listing = client.get(CHANGELIST)
    change = client.get(change_url(meeting))
    invite = client.post(invite_url(meeting))

    assert "Overleg buurtpreventie voorjaar" not in text(listing)
    # The admin answers an object out of scope as a missing one.
    assert change.status_code in {HTTPStatus.FOUND, HTTPStatus.NOT_FOUND}
    if change.status_code == HTTPStatus.FOUND:
        assert change["Location"] == reverse("admin:index")
    assert invite.status_code == HTTPStatus.NOT_FOUND
    assert meeting.invitations.count() == 1
    assert not Email.objects.exists()


def test_coordinator_cannot_use_the_meetings_admin(
    client, coordinator_user, meeting, coordinators
):
    client.force_login(coordinator_user)

    assert client.get(CHANGELIST).status_code == HTTPStatus.FORBIDDEN
    assert client.post(invite_url(meeting)).status_code == HTTPStatus.FORBIDDEN
    assert not meeting.invitations.exists()


def test_superuser_invites_from_the_admin_in_any_zone(client, meeting, coordinators):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.post(invite_url(meeting))

    assert response.status_code == HTTPStatus.FOUND
    assert meeting.invitations.count() == 3


def test_coordinator_login_links_do_not_matter_for_the_invitation(meeting, zone_staff):
    """A coordinator without a login is invited all the same: by e-mail."""
    without_login = CoordinatorFactory(zone=meeting.zone)
    with_login = link_coordinator_login(
        CoordinatorFactory(zone=meeting.zone), user=UserFactory()
    )

    invite_coordinators(meeting, by=zone_staff)

    assert set(meeting.invitations.values_list("coordinator", flat=True)) == {
        without_login.pk,
        with_login.pk,
    }
    assert settings.SITE_URL in Email.objects.first().message
