"""Staff enter a signup for a resident who called or came to the desk."""

import logging
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone
from post_office.models import Email

from groups.services import add_zone_staff
from registrations.constants import ConfirmBy, ConsentChannel, SignupStatus
from registrations.models import Signup, StatusChange
from registrations.services.retention import purge_personal_data
from tests.factories import (
    HouseRulesFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    SignupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

URL = "/admin/inschrijving-invoeren/"


def assisted_form(chosen, rules, **overrides) -> dict:
    data = {
        "zone": chosen.municipality.zone_id,
        "consent_channel": ConsentChannel.PHONE,
        "confirm_by": ConfirmBy.MAIL,
        "language": "nl",
        "role": "participant",
        "group": chosen.pk,
        "municipality": chosen.municipality_id,
        "first_name": "Griet",
        "last_name": "Vanhoudt",
        "street_name": "Motstraat",
        "house_number": "12",
        "box": "",
        "postcode": chosen.municipality.postcode_list[0],
        "phone": "0470 55 12 34",
        "email": "griet.vanhoudt@example.be",
        "house_rules": rules.pk,
        "accept_house_rules": "on",
        "accept_privacy": "on",
        "proposed_group_name": "",
        "proposed_area": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def staff_client(client, zone_staff):
    client.force_login(zone_staff)
    return client


def test_dashboard_links_to_the_page(staff_client):
    response = staff_client.get(reverse("admin:index"))
    assert URL.encode() in response.content


def test_staff_see_the_form_with_their_zone_groups_only(staff_client, open_group):
    other = WhatsAppGroupFactory(municipality=MunicipalityFactory())
    response = staff_client.get(URL)
    assert response.status_code == HTTPStatus.OK
    groups = response.context["form"].fields["group"].queryset
    assert open_group in groups
    assert other not in groups
    assert "website" not in response.context["form"].fields


def test_signup_by_mail_records_consent_and_sends_the_confirmation(
    staff_client, zone_staff, open_group, rules, mailoutbox, deliver_mail
):
    response = staff_client.post(URL, assisted_form(open_group, rules))
    signup = Signup.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("assisted-signup-done", args=[signup.pk])
    assert signup.status == SignupStatus.UNCONFIRMED
    assert signup.consent_channel == ConsentChannel.PHONE
    assert signup.consent_recorded_by == zone_staff
    assert signup.house_rules == rules
    assert signup.house_rules_accepted_at is not None
    assert not signup.confirm_by_letter
    # Audit: the first step names who entered it.
    assert StatusChange.objects.get(signup=signup).actor == zone_staff
    sent = deliver_mail()
    assert [mail.to for mail in sent] == [["griet.vanhoudt@example.be"]]
    assert "/aanmelden/bevestig" in sent[0].body


def test_letter_without_email_sends_nothing_and_is_confirmed_by_signature(
    staff_client, zone_staff, open_group, rules
):
    data = assisted_form(
        open_group,
        rules,
        email="",
        confirm_by=ConfirmBy.LETTER,
        consent_channel=ConsentChannel.DESK,
    )
    staff_client.post(URL, data)
    signup = Signup.objects.get()
    assert signup.email == ""
    assert signup.confirm_by_letter
    assert signup.consent_channel == ConsentChannel.DESK
    assert not Email.objects.exists()

    done = reverse("assisted-signup-done", args=[signup.pk])
    page = staff_client.get(done)
    assert page.status_code == HTTPStatus.OK
    assert reverse("assisted-signup-letter", args=[signup.pk]).encode() in page.content

    staff_client.post(done)
    signup.refresh_from_db()
    assert signup.status == SignupStatus.PENDING
    assert signup.letter_signed_at is not None
    change = signup.status_changes.last()
    assert change.to_status == SignupStatus.PENDING
    assert change.actor == zone_staff


def test_letter_page_holds_what_was_recorded(staff_client, open_group, rules):
    staff_client.post(
        URL,
        assisted_form(open_group, rules, email="", confirm_by=ConfirmBy.LETTER),
    )
    signup = Signup.objects.get()
    response = staff_client.get(reverse("assisted-signup-letter", args=[signup.pk]))
    assert response.status_code == HTTPStatus.OK
    text = response.content.decode()
    assert "Griet Vanhoudt" in text
    assert f"WABP-{signup.pk}" in text
    assert f"versie {rules.version}" in text
    assert "letter.css" in text
    assert "<script" not in text
    assert "no-store" in response["Cache-Control"]


def test_letter_in_the_residents_language(staff_client, open_group, rules):
    staff_client.post(
        URL,
        assisted_form(
            open_group, rules, email="", confirm_by=ConfirmBy.LETTER, language="fr"
        ),
    )
    signup = Signup.objects.get()
    response = staff_client.get(reverse("assisted-signup-letter", args=[signup.pk]))
    assert 'lang="fr"' in response.content.decode()


def test_mail_chosen_without_an_email_is_refused(staff_client, open_group, rules):
    response = staff_client.post(URL, assisted_form(open_group, rules, email=""))
    assert response.status_code == HTTPStatus.OK
    assert "met een brief" in str(response.context["form"].errors["email"])
    assert not Signup.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "011 22 33 44"),
        ("phone", "not a number"),
        ("postcode", "99"),
        ("house_number", "twaalf"),
        ("consent_channel", ""),
        ("consent_channel", "fax"),
        ("accept_house_rules", None),
        ("accept_privacy", None),
        ("email", "not-an-address"),
    ],
)
def test_bad_input_gets_a_message_and_stores_nothing(
    staff_client, open_group, rules, field, value
):
    response = staff_client.post(
        URL, assisted_form(open_group, rules, **{field: value})
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors[field]
    assert response.context["form"].errors
    assert not Signup.objects.exists()
    assert not Email.objects.exists()


def test_staff_of_another_zone_cannot_enter_for_this_zone(client, open_group, rules):
    other_zone = PoliceZoneFactory()
    other_staff = UserFactory()
    add_zone_staff(other_zone, user=other_staff)
    client.force_login(other_staff)
    # The zone by hand: unknown.
    response = client.get(URL, {"zone": open_group.municipality.zone_id})
    assert response.status_code == HTTPStatus.NOT_FOUND
    response = client.post(URL, assisted_form(open_group, rules))
    assert response.status_code == HTTPStatus.NOT_FOUND
    # Their own zone, with this zone's group: not a choice.
    HouseRulesFactory(zone=other_zone)
    data = assisted_form(open_group, rules, zone=other_zone.pk)
    response = client.post(URL, data)
    assert response.status_code == HTTPStatus.OK
    assert "group" in response.context["form"].errors
    assert not Signup.objects.exists()


def test_the_service_refuses_staff_of_another_zone(open_group, rules):
    from django.core.exceptions import PermissionDenied

    from registrations.services import SignupRequest, enter_signup

    other_staff = UserFactory()
    add_zone_staff(PoliceZoneFactory(), user=other_staff)
    request = SignupRequest(
        role="participant",
        group=open_group,
        municipality=open_group.municipality,
        first_name="A",
        last_name="B",
        street_name="Motstraat",
        house_number="1",
        postcode=open_group.municipality.postcode_list[0],
        phone="+32470551234",
        email="a@example.be",
        house_rules=rules,
        language="nl",
        consent_channel=ConsentChannel.PHONE,
    )
    with pytest.raises(PermissionDenied):
        enter_signup(request, by=other_staff)
    assert not Signup.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "no_role", "anonymous"])
def test_only_staff_open_the_page(client, coordinator_user, open_group, who):
    if who == "coordinator":
        client.force_login(coordinator_user)
    elif who == "no_role":
        client.force_login(UserFactory(is_staff=True))
    response = client.get(URL)
    if who == "anonymous":
        assert response.status_code == HTTPStatus.FOUND
        assert "login" in response["Location"]
    else:
        assert response.status_code == HTTPStatus.FORBIDDEN


def test_other_zone_staff_cannot_open_the_letter_or_record_a_signature(
    client, open_group
):
    signup = SignupFactory(
        group=open_group,
        status=SignupStatus.UNCONFIRMED,
        confirmed_at=None,
        email="",
        confirm_by_letter=True,
        consent_channel=ConsentChannel.DESK,
    )
    other_staff = UserFactory()
    add_zone_staff(PoliceZoneFactory(), user=other_staff)
    client.force_login(other_staff)
    for name in ("assisted-signup-letter", "assisted-signup-done"):
        assert (
            client.get(reverse(name, args=[signup.pk])).status_code
            == HTTPStatus.NOT_FOUND
        )
    assert (
        client.post(reverse("assisted-signup-done", args=[signup.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )
    signup.refresh_from_db()
    assert signup.status == SignupStatus.UNCONFIRMED


def test_coordinator_cannot_open_the_letter(client, coordinator_user, open_group):
    signup = SignupFactory(group=open_group, consent_channel=ConsentChannel.PHONE)
    client.force_login(coordinator_user)
    response = client.get(reverse("assisted-signup-letter", args=[signup.pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_duplicate_phone_in_the_same_group_gets_the_usual_message(
    staff_client, open_group, rules
):
    existing = SignupFactory(group=open_group, phone="+32470551234")
    response = staff_client.post(URL, assisted_form(open_group, rules))
    assert response.status_code == HTTPStatus.OK
    errors = " ".join(response.context["form"].non_field_errors())
    assert f"#{existing.pk}" in errors
    assert Signup.objects.count() == 1


def test_address_of_another_group_asks_first(staff_client, open_group, rules, street):
    chosen = WhatsAppGroupFactory(municipality=open_group.municipality)
    response = staff_client.post(URL, assisted_form(chosen, rules))
    assert response.status_code == HTTPStatus.OK
    assert list(response.context["suggested_groups"]) == [open_group]
    assert not Signup.objects.exists()


def test_letter_signup_waits_longer_than_an_unconfirmed_one(
    settings, open_group, zone_staff
):
    old = timezone.now() - timedelta(days=settings.UNCONFIRMED_RETENTION_DAYS + 1)
    letter = SignupFactory(
        group=open_group,
        status=SignupStatus.UNCONFIRMED,
        confirmed_at=None,
        email="",
        confirm_by_letter=True,
        consent_channel=ConsentChannel.DESK,
    )
    by_mail = SignupFactory(
        group=open_group, status=SignupStatus.UNCONFIRMED, confirmed_at=None
    )
    Signup.objects.filter(pk__in=[letter.pk, by_mail.pk]).update(created_at=old)
    purge_personal_data()
    assert list(Signup.objects.values_list("pk", flat=True)) == [letter.pk]
    Signup.objects.filter(pk=letter.pk).update(
        created_at=timezone.now()
        - timedelta(days=settings.LETTER_CONFIRMATION_DAYS + 1)
    )
    purge_personal_data()
    assert not Signup.objects.exists()


def test_no_personal_data_in_logs(staff_client, open_group, rules, caplog):
    caplog.set_level(logging.DEBUG)
    staff_client.post(
        URL, assisted_form(open_group, rules, email="", confirm_by=ConfirmBy.LETTER)
    )
    signup = Signup.objects.get()
    staff_client.post(reverse("assisted-signup-done", args=[signup.pk]))
    text = caplog.text
    assert f"pk={signup.pk}" in text
    for secret in ("Griet", "Vanhoudt", "Motstraat", "470551234", "0470"):
        assert secret not in text


def test_email_less_signup_needs_a_letter_in_the_database(open_group):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SignupFactory(group=open_group, email="")


def test_signup_page_shows_who_recorded_the_consent(staff_client, open_group, rules):
    staff_client.post(URL, assisted_form(open_group, rules))
    signup = Signup.objects.get()
    response = staff_client.get(
        reverse("admin:registrations_signup_change", args=[signup.pk])
    )
    assert response.status_code == HTTPStatus.OK
    fields = [
        line.field["name"] if isinstance(line.field, dict) else line.field.name
        for fieldset in response.context["adminform"]
        for row in fieldset
        for line in row
    ]
    assert "consent_recorded_by" in fields
    assert "consent_channel" in fields
    assert reverse("assisted-signup-done", args=[signup.pk]).encode() in (
        response.content
    )
