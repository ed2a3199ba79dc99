"""A meeting that changes or is cancelled after the invitations went out.

Issue 23: a moved meeting reached nobody (no update, no SEQUENCE, no cancel),
and the answer links of the mail only preselected an answer. Here: the update
and the CANCEL as calendar clients read them (parsed with icalendar), who is
told, the answers after a change, the one-tap answer page and the admin.
"""

import html
import re
from datetime import datetime, timedelta
from http import HTTPStatus
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from post_office.models import Email

from groups.constants import MeetingResponse
from groups.models import Meeting, MeetingInvitation
from groups.services import (
    cancel_meeting,
    deactivate_coordinator,
    delete_meetings,
    invite_coordinators,
    meeting_ics,
    reactivate_coordinator,
    respond_to_invitation,
    response_link,
    save_meeting,
)
from tests.factories import CoordinatorFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=BRUSSELS)
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
        agenda="1. Welkom",
    )


@pytest.fixture
def coordinators(zone) -> list:
    return [
        CoordinatorFactory(zone=zone, first_name=name, last_name=last)
        for name, last in [("Griet", "Aerts"), ("Jan", "Bosmans"), ("Lies", "Claes")]
    ]


@pytest.fixture
def invited(meeting, coordinators, zone_staff, deliver_mail) -> list:
    """The coordinators invited, the invitation mails already delivered."""
    invite_coordinators(meeting, by=zone_staff)
    deliver_mail().clear()
    return list(
        MeetingInvitation.objects.filter(meeting=meeting).order_by("coordinator__pk")
    )


def calendar_of(message) -> icalendar.Calendar:
    [(name, content, mimetype)] = message.attachments
    assert name == "overleg.ics"
    calendar = icalendar.Calendar.from_ical(content)
    assert mimetype == f"text/calendar; method={calendar['METHOD']}"
    return calendar


def event_of(message) -> icalendar.Event:
    [event] = calendar_of(message).events
    return event


def moved(meeting: Meeting, **changes) -> Meeting:
    """The meeting as staff changed it in the form (a fresh instance)."""
    changed = Meeting.objects.get(pk=meeting.pk)
    for field, value in changes.items():
        setattr(changed, field, value)
    return changed


def text(response) -> str:
    return html.unescape(response.content.decode())


def path_of(url: str) -> str:
    return urlsplit(url).path


# The update -------------------------------------------------------------------


def test_a_moved_meeting_sends_every_invited_coordinator_an_update(
    meeting, invited, deliver_mail
):
    first = icalendar.Calendar.from_ical(meeting_ics(meeting))
    later = STARTS_AT + timedelta(days=1, hours=-1)

    saved = save_meeting(moved(meeting, starts_at=later))

    outbox = deliver_mail()
    assert saved.told == 3
    assert sorted(m.to[0] for m in outbox) == sorted(
        i.coordinator.email for i in invited
    )
    [first_event] = first.events
    for message in outbox:
        calendar = calendar_of(message)
        event = event_of(message)
        assert str(calendar["METHOD"]) == "PUBLISH"
        assert event.uid == first_event.uid
        assert event["SEQUENCE"] == 1 > first_event["SEQUENCE"] == 0
        assert event["STATUS"] == "CONFIRMED"
        assert event.start == later
        assert "Gewijzigd: Overleg buurtpreventie voorjaar" in message.subject
        # What changed, old and new.
        assert "donderdag 11 juni 2026, 18:30–20:30" in message.body
        assert "(was: woensdag 10 juni 2026, 19:30–21:30)" in message.body
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert set(meeting.invitations.values_list("sequence_sent", flat=True)) == {1}


def test_each_change_raises_the_sequence_again(meeting, invited, deliver_mail):
    save_meeting(moved(meeting, location="Cultureel centrum"))
    save_meeting(moved(meeting, title="Overleg najaar"))

    outbox = deliver_mail()
    assert sorted(event_of(m)["SEQUENCE"] for m in outbox) == [1, 1, 1, 2, 2, 2]
    assert {event_of(m).uid for m in outbox} == {f"meeting-{meeting.pk}@127.0.0.1"}


def test_a_new_place_is_shown_with_the_old_one(meeting, invited, deliver_mail):
    save_meeting(moved(meeting, location="Cultureel centrum"))

    message = deliver_mail()[0]
    assert "Plaats: Cultureel centrum" in message.body
    assert "(was: Gemeentehuis, raadzaal)" in message.body
    assert str(event_of(message)["LOCATION"]) == "Cultureel centrum"
    html_body, _ = message.alternatives[0]
    assert "<s>Gemeentehuis, raadzaal</s>" in html_body


def test_a_change_of_time_or_place_clears_the_answers_and_asks_again(
    meeting, invited, deliver_mail
):
    respond_to_invitation(invited[0], answer=YES)
    respond_to_invitation(invited[1], answer=NO)

    saved = save_meeting(moved(meeting, location="Cultureel centrum"))

    assert saved.answers_cleared == 2
    assert not MeetingInvitation.objects.exclude(response="").exists()
    assert not MeetingInvitation.objects.exclude(responded_at=None).exists()
    for message in deliver_mail():
        assert "je vorige antwoord telt niet meer" in message.body
        assert "tik opnieuw je antwoord" in message.body


def test_a_new_agenda_or_title_keeps_the_answers_and_says_so(
    meeting, invited, deliver_mail
):
    respond_to_invitation(invited[0], answer=YES)
    respond_to_invitation(invited[1], answer=NO)

    saved = save_meeting(moved(meeting, agenda="1. Welkom\n2. Varia", title="Nieuw"))

    assert saved.answers_cleared == 0
    assert saved.changes.agenda and saved.changes.title
    assert not saved.changes.asks_again
    by_address = {m.to[0]: m.body for m in deliver_mail()}
    assert (
        "Je liet weten dat je komt. Dat antwoord blijft."
        in (by_address[invited[0].coordinator.email])
    )
    assert (
        "Je liet weten dat je niet komt. Dat antwoord blijft."
        in (by_address[invited[1].coordinator.email])
    )
    assert "Je hebt nog niet geantwoord." in by_address[invited[2].coordinator.email]
    assert "De agenda is veranderd." in by_address[invited[2].coordinator.email]
    invited[0].refresh_from_db()
    assert invited[0].response == YES


def test_an_earlier_end_keeps_the_answers_a_later_one_asks_again(
    meeting, invited, deliver_mail
):
    respond_to_invitation(invited[0], answer=YES)

    earlier = save_meeting(moved(meeting, ends_at=STARTS_AT + timedelta(hours=1)))
    assert earlier.told == 3 and not earlier.changes.asks_again
    later = save_meeting(moved(meeting, ends_at=STARTS_AT + timedelta(hours=3)))

    assert later.changes.asks_again
    invited[0].refresh_from_db()
    assert invited[0].response == ""


def test_a_save_that_changes_nothing_calendars_see_sends_nothing(
    meeting, invited, deliver_mail
):
    # The usual end written out is the same end for a calendar.
    saved = save_meeting(moved(meeting, ends_at=STARTS_AT + timedelta(hours=2)))

    assert not saved.changes
    assert saved.told == 0
    assert deliver_mail() == []
    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_a_meeting_nobody_is_invited_to_changes_without_mail(meeting, deliver_mail):
    saved = save_meeting(moved(meeting, location="Elders"))

    assert saved.told == 0
    assert deliver_mail() == []
    assert Meeting.objects.get(pk=meeting.pk).sequence == 1


def test_a_change_after_the_start_is_kept_but_mailed_to_nobody(
    meeting, invited, deliver_mail, frozen_now
):
    respond_to_invitation(invited[0], answer=YES)
    frozen_now.move_to(STARTS_AT + timedelta(days=1), tick=False)

    saved = save_meeting(moved(meeting, location="Raadzaal (achteraf verbeterd)"))

    assert saved.told == 0
    assert deliver_mail() == []
    invited[0].refresh_from_db()
    assert invited[0].response == YES


def test_the_form_cannot_set_the_sequence_or_the_cancellation(meeting, invited):
    changed = moved(meeting, location="Elders", sequence=99, cancelled_at=NOW)

    save_meeting(changed)

    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.cancelled_at) == (1, None)


def test_the_zone_of_a_meeting_with_invitations_cannot_change(meeting, invited):
    from tests.factories import PoliceZoneFactory

    with pytest.raises(ValidationError):
        save_meeting(moved(meeting, zone=PoliceZoneFactory()))


# Who is told ------------------------------------------------------------------


def test_a_coordinator_deactivated_after_the_invitation_is_told_nothing_more(
    meeting, invited, zone_staff, deliver_mail
):
    gone = invited[0]
    deactivate_coordinator(gone.coordinator, by=zone_staff)

    save_meeting(moved(meeting, location="Cultureel centrum"))
    cancel_meeting(meeting, by=zone_staff)

    addresses = [m.to[0] for m in deliver_mail()]
    assert len(addresses) == 4  # two others, an update and a cancel each
    assert gone.coordinator.email not in addresses
    # The invitation stays, as it was: the record of who was invited.
    gone.refresh_from_db()
    assert gone.sequence_sent == 0


def test_a_reactivated_coordinator_gets_the_latest_version_from_invite_all(
    meeting, invited, zone_staff, deliver_mail
):
    gone = invited[0]
    deactivate_coordinator(gone.coordinator, by=zone_staff)
    save_meeting(moved(meeting, location="Cultureel centrum"))
    deliver_mail().clear()
    reactivate_coordinator(gone.coordinator, by=zone_staff)

    result = invite_coordinators(meeting, by=zone_staff)

    assert (result.invited, result.updated) == (0, 1)
    [message] = deliver_mail()
    assert message.to == [gone.coordinator.email]
    assert event_of(message)["SEQUENCE"] == 1
    assert "Dit is de laatste versie." in message.body
    assert invite_coordinators(meeting, by=zone_staff) == type(result)(0, 0)


def test_a_deactivated_coordinator_cannot_answer_through_the_page(
    client, meeting, invited, zone_staff
):
    deactivate_coordinator(invited[0].coordinator, by=zone_staff)
    url = path_of(response_link(invited[0]))

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(url, {"antwoord": "ja"}, HTTP_ACCEPT_LANGUAGE="en")

    assert 'name="antwoord"' not in text(page)
    assert "no longer a coordinator" in text(page)
    assert response.status_code == HTTPStatus.CONFLICT
    invited[0].refresh_from_db()
    assert invited[0].response == ""


# Cancelling -------------------------------------------------------------------


def test_cancel_sends_a_cancel_with_the_same_uid_and_a_higher_sequence(
    meeting, invited, zone_staff, deliver_mail
):
    told = cancel_meeting(meeting, by=zone_staff)

    outbox = deliver_mail()
    assert told == 3 == len(outbox)
    for message in outbox:
        calendar = calendar_of(message)
        event = event_of(message)
        assert str(calendar["METHOD"]) == "CANCEL"
        assert event["STATUS"] == "CANCELLED"
        assert event.uid == f"meeting-{meeting.pk}@127.0.0.1"
        assert event["SEQUENCE"] == 1
        assert event.start == STARTS_AT
        assert "Afgelast: Overleg buurtpreventie voorjaar" in message.subject
        assert "Het gaat niet door." in message.body
        # Nothing to answer: no link to the answer page.
        assert "/overleg/antwoord/" not in message.body
    meeting.refresh_from_db()
    assert meeting.cancelled_at == NOW
    assert meeting.sequence == 1
    assert meeting.invitations.count() == 3


def test_a_cancel_after_an_update_outranks_it(
    meeting, invited, zone_staff, deliver_mail
):
    save_meeting(moved(meeting, location="Cultureel centrum"))
    cancel_meeting(meeting, by=zone_staff)

    cancels = [m for m in deliver_mail() if str(calendar_of(m)["METHOD"]) == "CANCEL"]
    assert {event_of(m)["SEQUENCE"] for m in cancels} == {2}


def test_cancel_is_refused_twice_after_the_start_and_out_of_scope(
    meeting, invited, zone_staff, coordinator_user, frozen_now
):
    from groups.services import add_zone_staff
    from tests.factories import PoliceZoneFactory

    other_staff = UserFactory()
    add_zone_staff(PoliceZoneFactory(), user=other_staff)
    for user in (other_staff, coordinator_user):
        with pytest.raises(PermissionDenied):
            cancel_meeting(meeting, by=user)
    frozen_now.move_to(STARTS_AT + timedelta(minutes=1), tick=False)
    with pytest.raises(ValidationError):
        cancel_meeting(meeting, by=zone_staff)
    frozen_now.move_to(NOW, tick=False)
    cancel_meeting(meeting, by=zone_staff)
    with pytest.raises(ValidationError):
        cancel_meeting(meeting, by=zone_staff)

    assert Email.objects.count() == 3 + 3  # the invitations, one cancel each


def test_a_cancelled_meeting_cannot_change_invite_or_be_answered(
    meeting, invited, zone_staff
):
    cancel_meeting(meeting, by=zone_staff)
    CoordinatorFactory(zone=meeting.zone)

    with pytest.raises(ValidationError):
        save_meeting(moved(meeting, location="Elders"))
    with pytest.raises(ValidationError):
        invite_coordinators(meeting, by=zone_staff)
    with pytest.raises(ValidationError):
        respond_to_invitation(invited[0], answer=YES)
    assert meeting.invitations.count() == 3


def test_deleting_a_meeting_with_invitations_sends_the_cancel_first(
    meeting, invited, deliver_mail
):
    result = delete_meetings(Meeting.objects.filter(pk=meeting.pk))

    assert result.told == 3
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    outbox = deliver_mail()
    assert len(outbox) == 3
    assert all(str(calendar_of(m)["METHOD"]) == "CANCEL" for m in outbox)


def test_deleting_a_past_cancelled_or_uninvited_meeting_sends_nothing(
    meeting, invited, zone_staff, deliver_mail, frozen_now
):
    MeetingFactory(zone=meeting.zone, starts_at=STARTS_AT)  # nobody invited
    cancelled = MeetingFactory(zone=meeting.zone, starts_at=STARTS_AT)
    invite_coordinators(cancelled, by=zone_staff)
    cancel_meeting(cancelled, by=zone_staff)
    deliver_mail().clear()
    frozen_now.move_to(STARTS_AT + timedelta(days=1), tick=False)

    result = delete_meetings(Meeting.objects.all())

    assert (result.told, Meeting.objects.count()) == (0, 0)
    assert deliver_mail() == []


# The answer page ---------------------------------------------------------------


def test_opening_the_page_never_records_an_answer(client, meeting, invited):
    url = path_of(response_link(invited[0]))

    for query in ("", "?antwoord=ja", "?antwoord=nee"):
        response = client.get(url + query)
        assert response.status_code == HTTPStatus.OK

    invited[0].refresh_from_db()
    assert (invited[0].response, invited[0].responded_at) == ("", None)


def test_one_tap_records_the_answer_and_shows_it(client, meeting, invited):
    url = path_of(response_link(invited[0]))

    response = client.post(url, {"antwoord": "nee"}, follow=True)

    invited[0].refresh_from_db()
    assert (invited[0].response, invited[0].responded_at) == (NO, NOW)
    page = text(response)
    assert "Je antwoord: ik kom niet." in page
    assert "Je kan het nog veranderen tot het overleg begint." in page
    assert re.search(r'value="nee" class="[^"]*btn-secondary"', page)
    assert re.search(r'value="ja" class="[^"]*btn-outline-success"', page)


def test_the_page_has_two_big_buttons_each_its_own_post(client, meeting, invited):
    page = text(client.get(path_of(response_link(invited[0]))))

    forms = re.findall(r'<form method="post".*?</form>', page, re.DOTALL)
    answer_forms = [f for f in forms if 'name="antwoord"' in f]
    assert len(answer_forms) == 2
    assert "Ik kom" in answer_forms[0] and "Ik kom niet" in answer_forms[1]
    assert all("btn-lg" in f and "csrfmiddlewaretoken" in f for f in answer_forms)


def test_a_link_answers_only_its_own_invitation(client, meeting, invited):
    client.post(path_of(response_link(invited[1])), {"antwoord": "ja"})

    answers = dict(MeetingInvitation.objects.values_list("pk", "response"))
    assert answers == {invited[0].pk: "", invited[1].pk: YES, invited[2].pk: ""}


def test_an_old_link_after_a_change_shows_the_new_meeting(
    client, meeting, invited, deliver_mail
):
    url = path_of(response_link(invited[0]))
    save_meeting(moved(meeting, location="Cultureel centrum"))

    page = text(client.get(url))

    assert "Cultureel centrum" in page
    assert client.post(url, {"antwoord": "ja"}).status_code == HTTPStatus.FOUND


def test_an_old_link_after_cancel_says_so_and_records_nothing(
    client, meeting, invited, zone_staff, deliver_mail
):
    respond_to_invitation(invited[0], answer=YES)
    url = path_of(response_link(invited[0]))
    cancel_meeting(meeting, by=zone_staff)

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    replay = client.post(url, {"antwoord": "nee"}, HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == HTTPStatus.OK
    assert "cancelled this meeting. It does not take place." in text(page)
    assert 'name="antwoord"' not in text(page)
    assert replay.status_code == HTTPStatus.CONFLICT
    assert "This meeting is cancelled" in text(replay)
    invited[0].refresh_from_db()
    assert invited[0].response == YES


# The admin ---------------------------------------------------------------------


def change_url(meeting: Meeting) -> str:
    return reverse("admin:groups_meeting_change", args=[meeting.pk])


def cancel_url(meeting: Meeting) -> str:
    return reverse("admin:groups_meeting_cancel", args=[meeting.pk])


def form_data(client, meeting: Meeting, **changes) -> dict:
    page = text(client.get(change_url(meeting)))
    data = {
        "zone": meeting.zone_id,
        "title": meeting.title,
        "starts_at_0": "10/06/2026",
        "starts_at_1": "19:30",
        "ends_at_0": "",
        "ends_at_1": "",
        "location": meeting.location,
        "agenda": meeting.agenda,
        **dict(re.findall(r'name="(invitations-[A-Z_]+)" value="(\d*)"', page)),
    }
    return {**data, **changes}


def test_saving_a_moved_meeting_in_the_admin_says_who_was_told(
    client, zone_staff, meeting, invited, deliver_mail
):
    respond_to_invitation(invited[0], answer=YES)
    client.force_login(zone_staff)

    response = client.post(
        change_url(meeting),
        form_data(client, meeting, starts_at_1="20:00"),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    page = text(response)
    assert "The change was sent to 3 invited coordinators." in page
    assert "their answers were cleared" in page
    assert len(deliver_mail()) == 3

    # "Invite all" afterwards: nothing more to send, and it says why.
    again = client.post(
        reverse("admin:groups_meeting_invite", args=[meeting.pk]),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "every active coordinator of the zone is invited and has the latest" in (
        text(again)
    )
    assert "already invited" not in text(again)
    assert Email.objects.count() == 3 + 3


def test_the_change_page_lists_the_answers_with_counts_and_names(
    client, zone_staff, meeting, invited
):
    respond_to_invitation(invited[0], answer=YES)
    respond_to_invitation(invited[1], answer=NO)
    deactivate_coordinator(invited[2].coordinator, by=zone_staff)
    client.force_login(zone_staff)

    page = text(client.get(change_url(meeting), HTTP_ACCEPT_LANGUAGE="en"))

    summary = page[page.index('class="module meeting-answers"') :]
    summary = summary[: summary.index("</section>")]
    assert re.search(r"Will come</th><td>1</td><td>Griet Aerts</td>", summary)
    assert re.search(r"Cannot come</th><td>1</td><td>Jan Bosmans</td>", summary)
    assert re.search(r"Not answered yet</th><td>0</td><td>—</td>", summary)
    assert re.search(r"No longer a coordinator</th><td>1</td><td>Lies Claes", summary)


def test_the_changelist_counts_only_coordinators_still_in_their_role(
    client, zone_staff, meeting, invited
):
    respond_to_invitation(invited[0], answer=YES)
    deactivate_coordinator(invited[1].coordinator, by=zone_staff)
    client.force_login(zone_staff)

    page = text(client.get(reverse("admin:groups_meeting_changelist")))

    assert '<td class="field-yes_count">1</td>' in page
    assert '<td class="field-unanswered_count">1</td>' in page


def test_the_cancel_button_asks_first_then_cancels_and_says_how_many(
    client, zone_staff, meeting, invited, deliver_mail
):
    client.force_login(zone_staff)

    question = client.get(cancel_url(meeting), HTTP_ACCEPT_LANGUAGE="en")

    assert question.status_code == HTTPStatus.OK
    assert "3 invited coordinators will be told." in text(question)
    assert Meeting.objects.get(pk=meeting.pk).cancelled_at is None
    # A POST without the confirmation asks again.
    assert client.post(cancel_url(meeting)).status_code == HTTPStatus.OK
    assert Meeting.objects.get(pk=meeting.pk).cancelled_at is None

    done = client.post(
        cancel_url(meeting), {"confirm": "yes"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "is cancelled. 3 invited coordinators were told by e-mail." in text(done)
    assert "This meeting was cancelled on" in text(done)
    assert 'name="location"' not in text(done)  # read only now
    assert len(deliver_mail()) == 3


def test_the_cancel_action_asks_first_for_the_selection(
    client, zone_staff, meeting, invited, deliver_mail
):
    client.force_login(zone_staff)
    changelist = reverse("admin:groups_meeting_changelist")
    data = {"action": "cancel_selected", "_selected_action": [meeting.pk]}

    question = client.post(changelist, data, HTTP_ACCEPT_LANGUAGE="en")
    assert "3 invited coordinators will be told." in text(question)
    assert Meeting.objects.get(pk=meeting.pk).cancelled_at is None

    done = client.post(
        changelist, {**data, "confirm": "yes"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "3 invited coordinators were told by e-mail." in text(done)
    assert Meeting.objects.get(pk=meeting.pk).cancelled_at == NOW


def test_staff_of_another_zone_and_coordinators_cannot_cancel(
    client, meeting, invited, coordinator_user
):
    from groups.services import add_zone_staff
    from tests.factories import PoliceZoneFactory

    other_staff = UserFactory()
    add_zone_staff(PoliceZoneFactory(), user=other_staff)
    client.force_login(other_staff)
    assert client.post(cancel_url(meeting), {"confirm": "yes"}).status_code == 404
    client.force_login(coordinator_user)
    assert client.post(cancel_url(meeting), {"confirm": "yes"}).status_code == 403

    assert Meeting.objects.get(pk=meeting.pk).cancelled_at is None


def test_deleting_in_the_admin_tells_the_invited_first(
    client, zone_staff, meeting, invited, deliver_mail
):
    client.force_login(zone_staff)
    url = reverse("admin:groups_meeting_delete", args=[meeting.pk])

    response = client.post(url, {"post": "yes"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert "3 invited coordinators were told that the meeting is cancelled" in (
        text(response)
    )
    assert len(deliver_mail()) == 3


def test_a_cancelled_meeting_is_read_only_in_the_admin(
    client, zone_staff, meeting, invited
):
    cancel_meeting(meeting, by=zone_staff)
    client.force_login(zone_staff)
    data = form_data(client, meeting, location="Elders")

    page = client.get(change_url(meeting), HTTP_ACCEPT_LANGUAGE="en")
    change = client.post(change_url(meeting), data)
    invite = client.post(
        reverse("admin:groups_meeting_invite", args=[meeting.pk]),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    again = client.post(
        cancel_url(meeting), {"confirm": "yes"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert page.status_code == HTTPStatus.OK
    assert 'name="location"' not in text(page)
    assert "Invite all active coordinators" not in text(page)
    assert change.status_code == HTTPStatus.FORBIDDEN
    assert "This meeting is cancelled: nobody can be invited any more." in text(invite)
    assert "This meeting is already cancelled." in text(again)
    meeting.refresh_from_db()
    assert meeting.location == "Gemeentehuis, raadzaal"
    assert Email.objects.count() == 3 + 3
