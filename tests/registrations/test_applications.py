"""Applications to found a new group, and signups moved to the right group.

``approve_application`` founds the group, its region and the coordinator's
login in one step, only for the zone's staff; ``move_signup`` passes a
pending signup on to the group that really covers the resident. Both through
the services and through the admin pages staff and coordinators use.
"""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from post_office.models import Email

from groups.constants import NotificationMode
from groups.models import Coordinator, Region, WhatsAppGroup
from groups.services import (
    add_zone_staff,
    deactivate_coordinator,
    link_coordinator_login,
)
from registrations.constants import SignupStatus
from registrations.models import Signup, StatusChange
from registrations.services import (
    InvalidTransition,
    approve_application,
    move_signup,
    reject_signup,
)
from tests.factories import (
    ApplicationFactory,
    CoordinatorFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    RegionFactory,
    RegionStreetFactory,
    SignupFactory,
    StreetFactory,
    UmbrellaGroupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db


def nl(msgid: str) -> str:
    with translation.override("nl"):
        return gettext(msgid)


def mails_to(address: str) -> list[Email]:
    return [mail for mail in Email.objects.order_by("pk") if address in mail.to]


def mail_text(mail: Email) -> str:
    return "\n".join([mail.subject, mail.message, mail.html_message])


@pytest.fixture
def application(group) -> Signup:
    """Griet applies to found "WABP Terkoest" in ``group``'s municipality."""
    return ApplicationFactory(
        municipality=group.municipality,
        first_name="Griet",
        last_name="Vanhoudt",
        email="griet.vanhoudt@example.be",
        phone="+32470551234",
        proposed_group_name="WABP Terkoest",
        proposed_area="Terkoest, Kapelstraat en Hoogstraat",
    )


def counts() -> dict:
    return {
        "groups": WhatsAppGroup.objects.count(),
        "regions": Region.objects.count(),
        "coordinators": Coordinator.objects.count(),
        "users": User.objects.count(),
        "mails": Email.objects.count(),
        "steps": StatusChange.objects.count(),
    }


# --- approve_application ------------------------------------------------------


def test_approving_founds_a_hidden_group_in_a_new_region(zone_staff, application):
    group = approve_application(
        application,
        by=zone_staff,
        group_name="  WABP   Terkoest ",
        region_name=" Terkoest  Noord ",
    )

    group.refresh_from_db()
    assert group.name == "WABP Terkoest"
    assert group.municipality == application.municipality
    assert not group.is_public
    assert group.is_active
    assert group.description == "Terkoest, Kapelstraat en Hoogstraat"
    assert group.region.name == "Terkoest Noord"
    assert group.region.municipality == application.municipality
    assert group.region.description == "Terkoest, Kapelstraat en Hoogstraat"
    assert group not in WhatsAppGroup.objects.published()


def test_approving_makes_the_applicant_coordinator_with_a_login(
    zone_staff, application
):
    group = approve_application(
        application, by=zone_staff, group_name="WABP Terkoest", region_name="Terkoest"
    )

    coordinator = Coordinator.objects.get(email="griet.vanhoudt@example.be")
    assert coordinator.zone == application.municipality.zone
    assert (coordinator.first_name, coordinator.last_name) == ("Griet", "Vanhoudt")
    assert coordinator.phone == application.phone
    assert list(coordinator.groups.all()) == [group]
    assert coordinator.user.email == "griet.vanhoudt@example.be"
    assert not coordinator.user.has_usable_password()
    assert coordinator.user.groups.filter(name="coordinator").exists()


def test_approving_does_not_share_the_new_coordinators_contact(zone_staff, application):
    """Applying is no consent to show one's phone and e-mail to colleagues."""
    approve_application(
        application, by=zone_staff, group_name="WABP Terkoest", region_name="Terkoest"
    )

    coordinator = Coordinator.objects.get(email="griet.vanhoudt@example.be")
    assert coordinator.shares_contact is False


def test_approving_records_the_decision(zone_staff, application):
    group = approve_application(
        application, by=zone_staff, group_name="WABP Terkoest", region_name="Terkoest"
    )

    application.refresh_from_db()
    assert application.status == SignupStatus.APPROVED
    assert application.group == group
    assert application.decided_by == zone_staff
    assert application.decided_at is not None
    step = application.status_changes.get()
    assert (step.from_status, step.to_status) == (
        SignupStatus.PENDING,
        SignupStatus.APPROVED,
    )
    assert step.actor == zone_staff


def test_approving_mails_the_invitation_and_the_good_news(zone_staff, application):
    approve_application(
        application, by=zone_staff, group_name="WABP Terkoest", region_name="Terkoest"
    )

    invitation, news = mails_to("griet.vanhoudt@example.be")
    assert "/wachtwoord/" in invitation.message
    assert "WABP Terkoest" in invitation.message
    assert "WABP Terkoest" in news.subject
    assert "/wachtwoord/" not in news.message


def test_approving_links_an_existing_region_of_the_municipality(
    zone_staff, application, group
):
    approved = approve_application(
        application, by=zone_staff, group_name="WABP Terkoest", region=group.region
    )

    assert approved.region == group.region
    assert Region.objects.count() == 1


def test_approving_reuses_a_region_named_the_same_whatever_its_case(
    zone_staff, application, group
):
    approved = approve_application(
        application,
        by=zone_staff,
        group_name="WABP Terkoest",
        region_name=group.region.name.upper(),
    )

    assert approved.region == group.region
    assert Region.objects.count() == 1


def test_approving_refuses_a_region_of_another_municipality(zone_staff, application):
    elsewhere = RegionFactory(
        municipality=MunicipalityFactory(zone=application.municipality.zone)
    )
    before = counts()

    with pytest.raises(ValidationError) as error:
        approve_application(
            application, by=zone_staff, group_name="WABP Terkoest", region=elsewhere
        )

    assert "region" in error.value.message_dict
    assert counts() == before
    application.refresh_from_db()
    assert application.status == SignupStatus.PENDING


def test_approving_adds_the_group_to_the_coordinator_the_zone_already_has(
    zone_staff, application, group
):
    existing = link_coordinator_login(
        CoordinatorFactory(
            zone=group.municipality.zone,
            groups=[group],
            email="griet.vanhoudt@example.be",
        ),
        user=UserFactory(email="griet.vanhoudt@example.be"),
    )
    users = User.objects.count()

    founded = approve_application(
        application, by=zone_staff, group_name="WABP Terkoest", region_name="Terkoest"
    )

    assert Coordinator.objects.filter(email="griet.vanhoudt@example.be").count() == 1
    assert set(existing.groups.all()) == {group, founded}
    assert User.objects.count() == users
    # They already have a login: only the good news.
    [news] = mails_to("griet.vanhoudt@example.be")
    assert "/wachtwoord/" not in news.message


def test_approving_reactivates_a_former_coordinator(zone_staff, application, group):
    former = link_coordinator_login(
        CoordinatorFactory(
            zone=group.municipality.zone, email="griet.vanhoudt@example.be"
        ),
        user=UserFactory(email="griet.vanhoudt@example.be"),
    )
    deactivate_coordinator(former, by=zone_staff)

    approve_application(
        application, by=zone_staff, group_name="WABP Terkoest", region_name="Terkoest"
    )

    former.refresh_from_db()
    assert former.is_active
    assert former.user.is_active
    assert former.user.groups.filter(name="coordinator").exists()


def test_a_superuser_may_approve(application):
    superuser = UserFactory(is_superuser=True, is_staff=True)

    group = approve_application(
        application, by=superuser, group_name="WABP Terkoest", region_name="Terkoest"
    )

    assert group.pk is not None


def test_a_coordinator_cannot_approve_an_application(coordinator_user, application):
    before = counts()

    with pytest.raises(PermissionDenied):
        approve_application(
            application,
            by=coordinator_user,
            group_name="WABP Terkoest",
            region_name="Terkoest",
        )

    assert counts() == before


def test_staff_of_another_zone_cannot_approve(application):
    stranger = UserFactory()
    add_zone_staff(PoliceZoneFactory(), user=stranger)

    with pytest.raises(PermissionDenied):
        approve_application(
            application, by=stranger, group_name="WABP Terkoest", region_name="X"
        )


def test_a_participant_signup_is_not_an_application(zone_staff, group):
    signup = SignupFactory(group=group)
    before = counts()

    with pytest.raises(InvalidTransition):
        approve_application(
            signup, by=zone_staff, group_name="WABP Terkoest", region_name="Terkoest"
        )

    assert counts() == before


@pytest.mark.parametrize(
    "status",
    [SignupStatus.REJECTED, SignupStatus.APPROVED, SignupStatus.UNCONFIRMED],
)
def test_an_application_no_longer_pending_cannot_be_approved(zone_staff, group, status):
    application = ApplicationFactory(
        municipality=group.municipality, status=status, decided_at=timezone.now()
    )
    before = counts()

    with pytest.raises(InvalidTransition):
        approve_application(
            application,
            by=zone_staff,
            group_name="WABP Terkoest",
            region_name="Terkoest",
        )

    assert counts() == before


def test_a_group_name_the_municipality_has_is_refused_and_nothing_is_left(
    zone_staff, application, group
):
    before = counts()

    with pytest.raises(ValidationError):
        approve_application(
            application, by=zone_staff, group_name=group.name, region_name="Terkoest"
        )

    assert counts() == before
    assert not Region.objects.filter(name="Terkoest").exists()
    assert not Coordinator.objects.filter(email=application.email).exists()
    assert not User.objects.filter(email=application.email).exists()
    application.refresh_from_db()
    assert application.status == SignupStatus.PENDING
    assert application.group is None


@pytest.mark.parametrize("region_name", ["", "   "])
def test_without_a_region_nothing_is_founded(zone_staff, application, region_name):
    before = counts()

    with pytest.raises(ValidationError) as error:
        approve_application(
            application,
            by=zone_staff,
            group_name="WABP Terkoest",
            region_name=region_name,
        )

    assert "region_name" in error.value.message_dict
    assert counts() == before


def test_rejecting_an_application_mails_the_reason(zone_staff, application):
    reject_signup(application, by=zone_staff, reason="Terkoest heeft al een groep.")

    application.refresh_from_db()
    assert application.status == SignupStatus.REJECTED
    [mail] = mails_to("griet.vanhoudt@example.be")
    assert "Terkoest heeft al een groep." in mail.message
    assert "WABP Terkoest" in mail.message
    assert not WhatsAppGroup.objects.filter(name="WABP Terkoest").exists()


# --- move_signup --------------------------------------------------------------


@pytest.fixture
def wrong_group_signup(group) -> Signup:
    """Griet signed up for ``group``, but she lives in Motstraat 12."""
    return SignupFactory(
        group=group,
        first_name="Griet",
        email="griet.vanhoudt@example.be",
        street_name="Motstraat",
        house_number="12",
        outside_region=True,
    )


@pytest.fixture
def right_group(group) -> WhatsAppGroup:
    """The group of Griet's municipality that covers Motstraat."""
    municipality = group.municipality
    right = WhatsAppGroupFactory(municipality=municipality, name="WABP Motstraat")
    street = StreetFactory(municipality=municipality, name="Motstraat")
    RegionStreetFactory(region=right.region, street=street)
    CoordinatorFactory(
        zone=municipality.zone, groups=[right], email="coordinator.mot@example.be"
    )
    CoordinatorFactory(
        zone=municipality.zone,
        groups=[right],
        email="digest.mot@example.be",
        notification_mode=NotificationMode.DIGEST,
    )
    return right


def test_move_passes_the_signup_to_the_group_that_covers_the_address(
    coordinator_user, wrong_group_signup, right_group
):
    moved = move_signup(wrong_group_signup, by=coordinator_user, to=right_group)

    moved.refresh_from_db()
    assert moved.group == right_group
    assert moved.municipality == right_group.municipality
    assert moved.address == wrong_group_signup.address
    assert moved.status == SignupStatus.PENDING
    assert not moved.outside_region


def test_move_to_a_group_that_does_not_cover_the_address_marks_it_outside(
    zone_staff, group
):
    signup = SignupFactory(group=group, street_name="Motstraat", house_number="12")
    other = WhatsAppGroupFactory(municipality=group.municipality)

    moved = move_signup(signup, by=zone_staff, to=other)

    assert moved.outside_region


def test_moving_to_a_group_of_another_municipality_keeps_the_residents_address(
    coordinator_user, wrong_group_signup, group
):
    elsewhere = WhatsAppGroupFactory(
        municipality=MunicipalityFactory(zone=group.municipality.zone)
    )
    address = wrong_group_signup.address
    home = wrong_group_signup.municipality

    move_signup(wrong_group_signup, by=coordinator_user, to=elsewhere)

    moved = Signup.objects.get(pk=wrong_group_signup.pk)
    assert moved.group == elsewhere
    assert moved.municipality == home
    assert moved.address == address
    assert moved.postcode in moved.municipality.postcode_list
    # Regions cover streets of their own municipality: not this address.
    assert moved.outside_region


def test_move_records_who_moved_it_and_from_where(
    coordinator_user, wrong_group_signup, right_group, group
):
    move_signup(wrong_group_signup, by=coordinator_user, to=right_group)

    step = wrong_group_signup.status_changes.get()
    assert step.from_status == step.to_status == SignupStatus.PENDING
    assert step.actor == coordinator_user
    assert group.name in step.reason and "WABP Motstraat" in step.reason


def test_move_tells_the_resident_and_the_new_coordinators(
    coordinator_user, wrong_group_signup, right_group, group
):
    move_signup(wrong_group_signup, by=coordinator_user, to=right_group)

    [resident] = mails_to("griet.vanhoudt@example.be")
    assert "WABP Motstraat" in resident.subject
    assert group.name in resident.message
    assert "/aanmelden/uitschrijven/" in resident.message
    [coordinators] = mails_to("coordinator.mot@example.be")
    assert "WABP Motstraat" in coordinators.subject
    assert "Griet" not in mail_text(coordinators)  # no personal data
    assert mails_to("digest.mot@example.be") == []
    assert Email.objects.count() == 2


def test_move_refuses_a_group_of_another_zone(zone_staff, wrong_group_signup):
    foreign = WhatsAppGroupFactory()

    with pytest.raises(ValidationError):
        move_signup(wrong_group_signup, by=zone_staff, to=foreign)

    wrong_group_signup.refresh_from_db()
    assert wrong_group_signup.group != foreign
    assert not Email.objects.exists()


def test_move_refuses_an_inactive_group(zone_staff, wrong_group_signup, right_group):
    right_group.is_active = False
    right_group.save()

    with pytest.raises(ValidationError):
        move_signup(wrong_group_signup, by=zone_staff, to=right_group)

    assert not StatusChange.objects.exists()


def test_move_refuses_an_umbrella_group(zone_staff, wrong_group_signup, group):
    umbrella = UmbrellaGroupFactory(municipality=group.municipality)

    with pytest.raises(ValidationError):
        move_signup(wrong_group_signup, by=zone_staff, to=umbrella)


def test_move_refuses_the_same_group(zone_staff, wrong_group_signup, group):
    with pytest.raises(ValidationError):
        move_signup(wrong_group_signup, by=zone_staff, to=group)

    assert not StatusChange.objects.exists()
    assert not Email.objects.exists()


@pytest.mark.parametrize(
    "status", [SignupStatus.APPROVED, SignupStatus.REJECTED, SignupStatus.WITHDRAWN]
)
def test_move_refuses_a_decided_signup(zone_staff, group, right_group, status):
    signup = SignupFactory(group=group, status=status, decided_at=timezone.now())

    with pytest.raises(InvalidTransition):
        move_signup(signup, by=zone_staff, to=right_group)

    signup.refresh_from_db()
    assert signup.group == group


def test_move_refuses_an_application(zone_staff, application, right_group):
    with pytest.raises(InvalidTransition):
        move_signup(application, by=zone_staff, to=right_group)


def test_move_refuses_when_the_resident_already_signed_up_there(
    zone_staff, wrong_group_signup, right_group
):
    SignupFactory(group=right_group, email="GRIET.vanhoudt@example.be")

    with pytest.raises(ValidationError):
        move_signup(wrong_group_signup, by=zone_staff, to=right_group)

    wrong_group_signup.refresh_from_db()
    assert wrong_group_signup.group != right_group


def test_move_refuses_when_the_phone_number_already_signed_up_there(
    zone_staff, wrong_group_signup, right_group
):
    SignupFactory(group=right_group, phone=wrong_group_signup.phone)

    with pytest.raises(ValidationError):
        move_signup(wrong_group_signup, by=zone_staff, to=right_group)


def test_coordinator_of_another_group_cannot_move_a_signup(
    wrong_group_signup, right_group
):
    stranger = link_coordinator_login(
        CoordinatorFactory(zone=right_group.municipality.zone, groups=[right_group]),
        user=UserFactory(),
    ).user

    with pytest.raises(PermissionDenied):
        move_signup(wrong_group_signup, by=stranger, to=right_group)

    wrong_group_signup.refresh_from_db()
    assert wrong_group_signup.group != right_group


# --- the new-group applications in the admin ---------------------------------


def test_staff_list_the_pending_applications_of_their_zone(
    client, zone_staff, application, group
):
    participant = SignupFactory(group=group, last_name="Deelnemer")
    decided = ApplicationFactory(
        municipality=group.municipality,
        last_name="AlBeslist",
        status=SignupStatus.REJECTED,
        decided_at=timezone.now(),
    )
    foreign = ApplicationFactory(last_name="Buitenzone")
    client.force_login(zone_staff)

    response = client.get(reverse("admin:registrations_groupapplication_changelist"))

    assert response.status_code == HTTPStatus.OK
    shown = set(response.context["cl"].result_list)
    assert {signup.pk for signup in shown} == {application.pk}
    content = response.content.decode()
    assert "WABP Terkoest" in content
    for other in (participant, decided, foreign):
        assert other.last_name not in content


def test_coordinators_do_not_get_the_application_list(client, coordinator_user):
    client.force_login(coordinator_user)

    response = client.get(reverse("admin:registrations_groupapplication_changelist"))

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_coordinators_do_not_see_applications(client, coordinator_user, application):
    client.force_login(coordinator_user)

    listing = client.get(reverse("admin:registrations_groupapplication_changelist"))
    change = client.get(
        reverse("admin:registrations_groupapplication_change", args=[application.pk])
    )
    approve = client.get(
        reverse("admin:registrations_groupapplication_approve", args=[application.pk])
    )

    assert "Vanhoudt" not in listing.content.decode()
    assert change.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    assert approve.status_code in (HTTPStatus.NOT_FOUND, HTTPStatus.FORBIDDEN)


def test_pending_signups_list_no_longer_shows_applications(
    client, zone_staff, application, group
):
    participant = SignupFactory(group=group, last_name="Deelnemer")
    client.force_login(zone_staff)

    response = client.get(reverse("admin:registrations_pendingsignup_changelist"))

    shown = {signup.pk for signup in response.context["cl"].result_list}
    assert participant.pk in shown
    assert application.pk not in shown


def test_staff_open_an_application(client, zone_staff, application):
    client.force_login(zone_staff)

    response = client.get(
        reverse("admin:registrations_groupapplication_change", args=[application.pk])
    )

    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "WABP Terkoest" in content
    assert (
        reverse("admin:registrations_groupapplication_approve", args=[application.pk])
        in content
    )


def test_staff_do_not_open_an_application_of_another_zone(client, zone_staff):
    foreign = ApplicationFactory()
    client.force_login(zone_staff)

    change = client.get(
        reverse("admin:registrations_groupapplication_change", args=[foreign.pk])
    )
    approve = client.post(
        reverse("admin:registrations_groupapplication_approve", args=[foreign.pk]),
        {"group_name": "WABP X", "region_name": "X"},
    )

    assert change.status_code == HTTPStatus.FOUND  # "not found", to the index
    assert approve.status_code == HTTPStatus.NOT_FOUND
    foreign.refresh_from_db()
    assert foreign.status == SignupStatus.PENDING


def approve_url(signup: Signup) -> str:
    return reverse("admin:registrations_groupapplication_approve", args=[signup.pk])


def test_approve_form_proposes_the_applicants_group_name(
    client, zone_staff, application, group
):
    RegionFactory()  # another municipality's region is not offered
    client.force_login(zone_staff)

    response = client.get(approve_url(application))

    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    assert form.initial["group_name"] == "WABP Terkoest"
    assert list(form.fields["region"].queryset) == [group.region]


def test_approve_form_founds_the_group_and_opens_it(client, zone_staff, application):
    client.force_login(zone_staff)

    response = client.post(
        approve_url(application),
        {"group_name": "WABP Terkoest", "region": "", "region_name": "Terkoest"},
    )

    group = WhatsAppGroup.objects.get(name="WABP Terkoest")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse(
        "admin:groups_whatsappgroup_change", args=[group.pk]
    )
    application.refresh_from_db()
    assert application.status == SignupStatus.APPROVED
    messages = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "WABP Terkoest" in messages


def test_approve_form_with_an_existing_region(client, zone_staff, application, group):
    client.force_login(zone_staff)

    client.post(
        approve_url(application),
        {"group_name": "WABP Terkoest", "region": group.region.pk, "region_name": ""},
    )

    assert WhatsAppGroup.objects.get(name="WABP Terkoest").region == group.region


def test_approve_form_without_a_region_asks_for_one(client, zone_staff, application):
    client.force_login(zone_staff)
    before = counts()

    response = client.post(
        approve_url(application),
        {"group_name": "WABP Terkoest", "region": "", "region_name": "  "},
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].non_field_errors()
    assert counts() == before


def test_approve_form_with_a_taken_group_name_shows_the_reason(
    client, zone_staff, application, group
):
    client.force_login(zone_staff)
    before = counts()

    response = client.post(
        approve_url(application),
        {"group_name": group.name, "region": "", "region_name": "Terkoest"},
    )

    assert response.status_code == HTTPStatus.OK
    errors = " ".join(response.context["form"].non_field_errors())
    assert nl("The municipality already has a group of this name.") in errors
    assert counts() == before


def test_approve_form_of_a_decided_application_changes_nothing(
    client, zone_staff, application
):
    reject_signup(application, by=zone_staff, reason="Nee.")
    client.force_login(zone_staff)

    response = client.post(
        approve_url(application),
        {"group_name": "WABP Terkoest", "region": "", "region_name": "Terkoest"},
    )

    assert response.status_code == HTTPStatus.NOT_FOUND  # off the work list
    assert not WhatsAppGroup.objects.filter(name="WABP Terkoest").exists()


def reject_url(signup: Signup) -> str:
    return reverse("admin:registrations_groupapplication_reject", args=[signup.pk])


def test_reject_form_asks_for_a_reason(client, zone_staff, application):
    client.force_login(zone_staff)

    form = client.get(reject_url(application))
    empty = client.post(reject_url(application), {"reason": "  "})

    assert form.status_code == HTTPStatus.OK
    assert empty.status_code == HTTPStatus.OK
    assert empty.context["form"].errors["reason"]
    application.refresh_from_db()
    assert application.status == SignupStatus.PENDING


def test_reject_form_rejects_and_mails_the_reason(client, zone_staff, application):
    client.force_login(zone_staff)

    response = client.post(
        reject_url(application), {"reason": "Terkoest heeft al een groep."}
    )

    assert response["Location"] == reverse(
        "admin:registrations_groupapplication_changelist"
    )
    application.refresh_from_db()
    assert application.status == SignupStatus.REJECTED
    assert application.decided_by == zone_staff
    [mail] = mails_to("griet.vanhoudt@example.be")
    assert "Terkoest heeft al een groep." in mail.message


# --- moving a pending signup in the admin ------------------------------------


def move_url(signup: Signup) -> str:
    return reverse("admin:registrations_pendingsignup_move", args=[signup.pk])


def test_move_form_offers_the_active_groups_of_the_zone(
    client, coordinator_user, wrong_group_signup, right_group, group
):
    inactive = WhatsAppGroupFactory(municipality=group.municipality, is_active=False)
    foreign = WhatsAppGroupFactory()
    umbrella = UmbrellaGroupFactory(municipality=group.municipality)
    client.force_login(coordinator_user)

    response = client.get(move_url(wrong_group_signup))

    assert response.status_code == HTTPStatus.OK
    offered = set(response.context["form"].fields["group"].queryset)
    assert right_group in offered
    assert not offered & {group, inactive, foreign, umbrella}


def test_move_form_moves_and_returns_to_the_work_list(
    client, coordinator_user, wrong_group_signup, right_group
):
    client.force_login(coordinator_user)

    response = client.post(move_url(wrong_group_signup), {"group": right_group.pk})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse(
        "admin:registrations_pendingsignup_changelist"
    )
    wrong_group_signup.refresh_from_db()
    assert wrong_group_signup.group == right_group
    assert mails_to("griet.vanhoudt@example.be")


def test_move_form_without_a_group_is_an_error(
    client, coordinator_user, wrong_group_signup, group
):
    client.force_login(coordinator_user)

    response = client.post(move_url(wrong_group_signup), {"group": ""})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["group"]
    wrong_group_signup.refresh_from_db()
    assert wrong_group_signup.group == group


def test_move_form_refuses_a_group_of_another_zone(
    client, zone_staff, wrong_group_signup, group
):
    foreign = WhatsAppGroupFactory()
    client.force_login(zone_staff)

    response = client.post(move_url(wrong_group_signup), {"group": foreign.pk})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["group"]
    wrong_group_signup.refresh_from_db()
    assert wrong_group_signup.group == group


def test_move_form_shows_why_the_resident_cannot_be_moved(
    client, coordinator_user, wrong_group_signup, right_group, group
):
    SignupFactory(group=right_group, email=wrong_group_signup.email)
    client.force_login(coordinator_user)

    response = client.post(move_url(wrong_group_signup), {"group": right_group.pk})

    assert response.status_code == HTTPStatus.OK
    errors = " ".join(response.context["form"].non_field_errors())
    assert nl("This resident has already signed up for that group.") in errors
    wrong_group_signup.refresh_from_db()
    assert wrong_group_signup.group == group


def test_coordinator_cannot_open_the_move_page_of_another_groups_signup(
    client, coordinator_user, right_group
):
    theirs = SignupFactory(group=right_group)
    client.force_login(coordinator_user)

    response = client.post(move_url(theirs), {"group": right_group.pk})

    assert response.status_code == HTTPStatus.NOT_FOUND
