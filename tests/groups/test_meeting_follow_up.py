"""After a meeting: attendance, minutes, and the coordinators' meetings page."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from post_office.models import Email

from groups.models import Meeting, MeetingInvitation
from groups.services import (
    add_zone_staff,
    link_coordinator_login,
    record_attendance,
    save_minutes,
)
from tests.factories import (
    CoordinatorFactory,
    MeetingFactory,
    MeetingInvitationFactory,
    PoliceZoneFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="verslag.pdf", data=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def held(zone) -> Meeting:
    return MeetingFactory(zone=zone, starts_at=timezone.now() - timedelta(hours=3))


@pytest.fixture
def invited(held, coordinator_user) -> MeetingInvitation:
    """The ``coordinator_user``'s invitation to the held meeting."""
    return MeetingInvitationFactory(
        meeting=held, coordinator=coordinator_user.coordinator
    )


@pytest.fixture
def other_invited(held) -> MeetingInvitation:
    return MeetingInvitationFactory(meeting=held)


def follow_up_url(meeting: Meeting) -> str:
    return reverse("admin:groups_meeting_follow_up", args=[meeting.pk])


def test_staff_record_attendance(client, zone_staff, held, invited, other_invited):
    client.force_login(zone_staff)
    response = client.get(follow_up_url(held))
    assert response.status_code == HTTPStatus.OK
    response = client.post(follow_up_url(held), {"attended": [invited.pk]})
    assert response.status_code == HTTPStatus.FOUND
    invited.refresh_from_db()
    other_invited.refresh_from_db()
    assert invited.attended is True
    assert other_invited.attended is False


def test_attendance_only_after_the_start(client, zone_staff, zone, coordinator_user):
    coming = MeetingFactory(zone=zone, starts_at=timezone.now() + timedelta(days=2))
    invitation = MeetingInvitationFactory(
        meeting=coming, coordinator=coordinator_user.coordinator
    )
    with pytest.raises(ValidationError, match="niet begonnen"):
        record_attendance(coming, present=[invitation.pk], by=zone_staff)
    client.force_login(zone_staff)
    response = client.post(follow_up_url(coming), {"attended": [invitation.pk]})
    assert response.status_code == HTTPStatus.OK
    assert "niet begonnen" in response.context["problem"]
    invitation.refresh_from_db()
    assert invitation.attended is None
    # The change page offers no follow-up yet.
    page = client.get(reverse("admin:groups_meeting_change", args=[coming.pk]))
    assert follow_up_url(coming).encode() not in page.content


def test_cancelled_meeting_has_no_follow_up(zone_staff, held, invited):
    Meeting.objects.filter(pk=held.pk).update(cancelled_at=timezone.now())
    with pytest.raises(ValidationError):
        record_attendance(held, present=[invited.pk], by=zone_staff)


def test_staff_of_another_zone_cannot_follow_up(client, held, invited):
    other = UserFactory()
    add_zone_staff(PoliceZoneFactory(), user=other)
    with pytest.raises(PermissionDenied):
        record_attendance(held, present=[invited.pk], by=other)
    with pytest.raises(PermissionDenied):
        save_minutes(held, file=pdf(), by=other)
    client.force_login(other)
    response = client.post(follow_up_url(held), {"attended": [invited.pk]})
    assert response.status_code == HTTPStatus.NOT_FOUND
    invited.refresh_from_db()
    assert invited.attended is None


def test_invitation_of_another_meeting_is_refused(zone_staff, held, zone):
    elsewhere = MeetingInvitationFactory(meeting=MeetingFactory(zone=zone))
    with pytest.raises(ValidationError):
        record_attendance(held, present=[elsewhere.pk], by=zone_staff)


def test_upload_minutes_and_mail_the_invited(
    client, zone_staff, held, invited, other_invited, deliver_mail
):
    client.force_login(zone_staff)
    response = client.post(
        follow_up_url(held),
        {"attended": [invited.pk], "minutes": pdf(), "notify": "on"},
    )
    assert response.status_code == HTTPStatus.FOUND
    held.refresh_from_db()
    assert held.minutes
    assert held.minutes.name.startswith("meeting-minutes/")
    assert "verslag" not in held.minutes.name
    assert held.minutes_uploaded_at is not None
    sent = deliver_mail()
    assert sorted(mail.to[0] for mail in sent) == sorted(
        [invited.coordinator.email, other_invited.coordinator.email]
    )
    assert reverse("my-meetings") in sent[0].body


def test_minutes_without_notify_send_no_mail(zone_staff, held, invited):
    assert save_minutes(held, file=pdf(), by=zone_staff) == 0
    assert not Email.objects.exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("verslag.docx", b"PK\x03\x04 not a pdf"),
        ("verslag.pdf", b"<html><script>alert(1)</script></html>"),
        ("verslag.html", PDF),
    ],
)
def test_minutes_that_are_not_a_pdf_are_refused(
    client, zone_staff, held, invited, name, data
):
    client.force_login(zone_staff)
    response = client.post(
        follow_up_url(held), {"attended": [invited.pk], "minutes": pdf(name, data)}
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["minutes"] == [
        "Dit bestand is geen pdf. Bewaar het verslag als pdf en laad dat op."
    ]
    held.refresh_from_db()
    assert not held.minutes
    invited.refresh_from_db()
    assert invited.attended is None


def test_minutes_too_large_are_refused(client, zone_staff, held, settings):
    from groups.models import meetings as module

    client.force_login(zone_staff)
    big = PDF + b"0" * (module.MINUTES_MAX_BYTES)
    response = client.post(follow_up_url(held), {"minutes": pdf(data=big)})
    assert response.status_code == HTTPStatus.OK
    assert "10 MB" in " ".join(response.context["form"].errors["minutes"])


def test_notify_without_minutes_asks_for_them(client, zone_staff, held):
    client.force_login(zone_staff)
    response = client.post(follow_up_url(held), {"notify": "on"})
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["notify"]


# The minutes: served only to the zone's staff and the invited coordinators.


@pytest.fixture
def with_minutes(held, invited, zone_staff) -> Meeting:
    save_minutes(held, file=pdf(), by=zone_staff)
    held.refresh_from_db()
    return held


def minutes_url(meeting: Meeting) -> str:
    return reverse("meeting-minutes", args=[meeting.pk])


def test_invited_coordinator_downloads_the_minutes(
    client, coordinator_user, with_minutes
):
    client.force_login(coordinator_user)
    response = client.get(minutes_url(with_minutes))
    assert response.status_code == HTTPStatus.OK
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_zone_staff_download_the_minutes(client, zone_staff, with_minutes):
    client.force_login(zone_staff)
    assert client.get(minutes_url(with_minutes)).status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    "who", ["anonymous", "not_invited", "other_zone_coordinator", "other_staff"]
)
def test_others_do_not_get_the_minutes(client, zone, with_minutes, who):
    if who == "not_invited":
        user = UserFactory()
        link_coordinator_login(CoordinatorFactory(zone=zone), user=user)
        client.force_login(user)
    elif who == "other_zone_coordinator":
        user = UserFactory()
        link_coordinator_login(CoordinatorFactory(zone=PoliceZoneFactory()), user=user)
        client.force_login(user)
    elif who == "other_staff":
        user = UserFactory()
        add_zone_staff(PoliceZoneFactory(), user=user)
        client.force_login(user)
    response = client.get(minutes_url(with_minutes))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_coordinator_who_stopped_no_longer_gets_the_minutes(
    client, coordinator_user, with_minutes
):
    coordinator = coordinator_user.coordinator
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])
    client.force_login(coordinator_user)
    assert client.get(minutes_url(with_minutes)).status_code == HTTPStatus.NOT_FOUND


def test_minutes_are_not_under_a_public_media_url(with_minutes, settings):
    assert not with_minutes.minutes.name.startswith(("house-rules/", "downloads/"))


def test_no_minutes_yet_is_a_404(client, coordinator_user, held, invited):
    client.force_login(coordinator_user)
    assert client.get(minutes_url(held)).status_code == HTTPStatus.NOT_FOUND


# The coordinator's meetings page.


def test_coordinator_sees_their_meetings(
    client, coordinator_user, with_minutes, invited, zone
):
    MeetingInvitation.objects.filter(pk=invited.pk).update(attended=True)
    not_invited = MeetingFactory(zone=zone, title="Niet voor jou")
    client.force_login(coordinator_user)
    response = client.get(reverse("my-meetings"))
    assert response.status_code == HTTPStatus.OK
    assert list(response.context["invitations"]) == [invited]
    text = response.content.decode()
    assert minutes_url(with_minutes) in text
    assert with_minutes.location in text
    assert not_invited.title not in text


def test_dashboard_links_coordinators_to_their_meetings(client, coordinator_user):
    client.force_login(coordinator_user)
    response = client.get(reverse("admin:index"))
    assert reverse("my-meetings").encode() in response.content


def test_staff_see_attendance_on_the_meeting(client, zone_staff, held, invited):
    client.force_login(zone_staff)
    page = client.get(reverse("admin:groups_meeting_change", args=[held.pk]))
    assert follow_up_url(held).encode() in page.content
