"""Access and erasure requests: staff find a person, export their data, erase it.

A resident is found by e-mail address (any case) or phone number (any way of
writing it), only within the staff member's own zone. The export is a JSON
file; the erasure leaves nothing of the person in any table or log line. Both
leave a PrivacyRequest, which holds counts and never the person.
"""

import json
import logging
import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from auditlog.models import LogEntry
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from post_office import mail as post_office_mail
from post_office.models import Email

from groups.services import add_zone_staff
from registrations import notifications, services
from registrations.constants import PrivacyRequestKind, SignupStatus
from registrations.models import (
    HouseRules,
    PrivacyRequest,
    Signup,
    StatusChange,
    WithdrawnMember,
)
from registrations.services.privacy import PersonQuery, find_person
from tests.eloket import eloket_form
from tests.factories import (
    CoordinatorFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    SignupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)
from wabp_portal.mail.models import Mail
from wabp_portal.mail.queue import ZONE_HEADER

pytestmark = pytest.mark.django_db

URL = reverse("privacy-requests")
EMAIL = "griet.vanhoudt@example.be"
PHONE = "+32470551234"


def post(client, action: str, **data):
    return client.post(URL, {"action": action, "email": "", "phone": "", **data})


def griet(group, **overrides) -> Signup:
    values = {
        "group": group,
        "first_name": "Griet",
        "last_name": "Vanhoudt",
        "email": EMAIL,
        "phone": PHONE,
    }
    return SignupFactory(**{**values, **overrides})


def mail_to(address: str, *, zone=None, reply_to: str = "") -> Email:
    """A mail as ``queue_mail`` writes it for ``zone``; None: a mail of no zone."""
    headers = (
        {"Reply-To": reply_to or zone.email, ZONE_HEADER: str(zone.pk)}
        if zone
        else None
    )
    return post_office_mail.send(
        recipients=[address],
        sender="WABP <noreply@wabp.localhost>",
        subject="Onderwerp",
        message="Tekst",
        headers=headers,
        priority="medium",
    )


def downloaded(response) -> dict:
    assert response.status_code == HTTPStatus.OK, response.status_code
    return json.loads(response.content.decode("utf-8"))


@pytest.fixture
def staff_client(client, zone_staff):
    client.force_login(zone_staff)
    return client


# --- who may ------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_the_login(client, db):
    response = client.get(URL)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("action", ["search", "export", "erase"])
def test_coordinator_may_not_use_the_page(client, coordinator_user, group, action):
    signup = griet(group)
    client.force_login(coordinator_user)

    page = client.get(URL)
    response = post(client, action, email=EMAIL, confirm="on")

    assert page.status_code == HTTPStatus.FORBIDDEN
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not PrivacyRequest.objects.exists()
    signup.refresh_from_db()
    assert signup.first_name == "Griet"


def test_staff_see_the_search_form_and_the_admin_index_links_to_it(staff_client):
    page = staff_client.get(URL)
    index = staff_client.get(reverse("admin:index"))

    assert page.status_code == HTTPStatus.OK
    assert 'name="email"' in page.content.decode()
    assert 'name="phone"' in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert f'href="{URL}"' in index.content.decode()


def test_coordinator_index_has_no_link_to_it(client, coordinator_user):
    client.force_login(coordinator_user)

    index = client.get(reverse("admin:index"))

    assert f'href="{URL}"' not in index.content.decode()


# --- finding a person ---------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        {"email": EMAIL},
        {"email": "Griet.VANHOUDT@Example.be"},
        {"phone": "0470 55 12 34"},
        {"phone": "0470551234"},
        {"phone": "+32 470 55 12 34"},
        {"phone": PHONE},
        {"phone": "0032470551234"},
    ],
)
def test_person_is_found_by_email_in_any_case_or_phone_in_any_form(
    staff_client, group, typed
):
    signup = griet(group)
    griet(WhatsAppGroupFactory(municipality=group.municipality), email="x@example.be")
    SignupFactory(group=group)  # somebody else

    response = post(staff_client, "search", **typed)

    assert response.status_code == HTTPStatus.OK
    found = response.context["data"].signups
    assert signup in found
    assert all(each.last_name == "Vanhoudt" for each in found)


def test_every_status_and_role_is_found(staff_client, group, zone_staff):
    pending = griet(group)
    rejected = services.reject_signup(
        griet(WhatsAppGroupFactory(municipality=group.municipality)),
        by=zone_staff,
        reason="Woont buiten de wijk.",
    )
    application = griet(
        None,
        role="coordinator",
        municipality=group.municipality,
        proposed_group_name="WABP Nieuw",
        status=SignupStatus.UNCONFIRMED,
        confirmed_at=None,
    )

    response = post(staff_client, "search", email=EMAIL)

    assert set(response.context["data"].signups) == {pending, rejected, application}


@pytest.mark.parametrize(
    ("typed", "field"),
    [
        ({"email": "griet@"}, "email"),
        ({"email": "griet vanhoudt@example.be"}, "email"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "nul vier zeven nul"}, "phone"),
        ({}, None),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(
    staff_client, group, typed, field
):
    griet(group)

    for action in ("search", "export", "erase"):
        response = post(staff_client, action, confirm="on", **typed)

        assert response.status_code == HTTPStatus.OK
        form = response.context["form"]
        if field:
            assert form.errors[field]
        else:
            assert form.non_field_errors() == [
                gettext("Enter an e-mail address or a mobile number.")
            ]
    assert not PrivacyRequest.objects.exists()
    assert Signup.objects.get().first_name == "Griet"


def test_nothing_found_is_said_and_changes_nothing(staff_client, group):
    griet(group)

    for action in ("search", "export", "erase"):
        response = post(
            staff_client, action, email="iemand.anders@example.be", confirm="on"
        )

        assert response.status_code == HTTPStatus.OK
        assert response.context["nothing_found"] is True
        assert (
            gettext(
                "Nothing found for this e-mail address or mobile number in your police "
                "zone(s). Nothing was changed."
            )
            in response.content.decode()
        )
    assert not PrivacyRequest.objects.exists()


def test_person_of_another_zone_is_not_found(staff_client, group):
    other_group = WhatsAppGroupFactory(
        municipality=MunicipalityFactory(zone=PoliceZoneFactory())
    )
    signup = griet(other_group)
    CoordinatorFactory(zone=other_group.municipality.zone, email=EMAIL)

    searched = post(staff_client, "search", email=EMAIL)
    exported = post(staff_client, "export", phone=PHONE)
    erased = post(staff_client, "erase", email=EMAIL, confirm="on")

    for response in (searched, exported, erased):
        assert response.context["nothing_found"] is True
        assert "Vanhoudt" not in response.content.decode()
    assert not PrivacyRequest.objects.exists()
    signup.refresh_from_db()
    assert signup.first_name == "Griet"


def test_superuser_finds_a_person_in_any_zone(client, db):
    other_group = WhatsAppGroupFactory(
        municipality=MunicipalityFactory(zone=PoliceZoneFactory())
    )
    signup = griet(other_group)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = post(client, "search", email=EMAIL)

    assert response.context["data"].signups == [signup]


def test_mail_belongs_to_the_zone_it_was_sent_for(client, zone_staff, group):
    other_zone = PoliceZoneFactory()
    own = mail_to(EMAIL, zone=group.municipality.zone)
    foreign = mail_to(EMAIL, zone=other_zone)
    unzoned = mail_to(EMAIL)  # e.g. a password-reset mail

    client.force_login(zone_staff)
    staff_sees = post(client, "search", email=EMAIL).context["data"].mails
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    superuser_sees = post(client, "search", email=EMAIL).context["data"].mails

    assert staff_sees == [own]
    assert superuser_sees == [own, foreign, unzoned]


def test_mail_of_another_zone_with_this_zones_address_stays_the_other_zones(
    client, zone_staff, group
):
    """Mail is scoped by the zone's id, never by the address staff may edit:
    a mail zone X sent while it had the address zone Y has now is X's."""
    other_zone = PoliceZoneFactory()
    own_zone = group.municipality.zone
    foreign = mail_to(EMAIL, zone=other_zone, reply_to=own_zone.email)
    foreign_too = mail_to(
        "someone.else@example.be", zone=other_zone, reply_to=own_zone.email
    )
    client.force_login(zone_staff)

    found = find_person(PersonQuery(email=EMAIL), by=zone_staff)
    export = post(client, "export", email=EMAIL)
    undelivered = Mail.objects.visible_to(zone_staff)

    assert found.mails == []
    assert export.status_code == HTTPStatus.OK
    assert "Content-Disposition" not in export
    assert foreign not in undelivered and foreign_too not in undelivered
    assert Email.objects.filter(pk=foreign.pk).exists()


def test_search_page_shows_no_personal_details(staff_client, group):
    griet(group, street_name="Motstraat")

    response = post(staff_client, "search", email=EMAIL)

    page = response.content.decode()
    assert "Vanhoudt" not in page
    assert "Motstraat" not in page
    assert not PrivacyRequest.objects.exists()


# --- the export ---------------------------------------------------------------


def test_export_is_a_json_file_of_everything_and_changes_nothing(
    staff_client, zone_staff, group, coordinator_user
):
    signup = griet(group)
    member = services.approve_signup(signup, by=zone_staff)
    services.record_export([member], by=coordinator_user, kind="csv")
    before = list(Signup.objects.values())

    response = post(staff_client, "export", email=EMAIL)

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="gegevens-\d+\.json"', response["Content-Disposition"]
    )
    assert "no-store" in response["Cache-Control"]
    export = downloaded(response)
    [exported] = export["signups"]
    assert exported["number"] == signup.pk
    assert (exported["first_name"], exported["last_name"]) == ("Griet", "Vanhoudt")
    assert (exported["email"], exported["phone"]) == (EMAIL, PHONE)
    assert exported["status"] == SignupStatus.APPROVED
    assert exported["house_rules_accepted"]["version"] == signup.house_rules.version
    assert [step["to"] for step in exported["history"]] == [SignupStatus.APPROVED]
    assert exported["member_list_exports"][0]["by"] == coordinator_user.username
    # The approval mail to her is in the outbox.
    assert [mail["to"] for mail in export["emails"]] == [[EMAIL]]
    assert export["searched_for"] == {"email": EMAIL, "phone": ""}
    assert list(Signup.objects.values()) == before


def test_export_holds_status_changes_reasons_and_reacceptance_requests(
    staff_client, zone_staff, group
):
    signup = griet(group, decided_at=timezone.now(), status=SignupStatus.APPROVED)
    StatusChange.objects.create(
        signup=signup, from_status="pending", to_status="approved", reason="Welkom"
    )
    new_rules = services.publish_house_rules(
        HouseRules(zone=group.municipality.zone, title="Nieuw", body="Wees beleefd."),
        by=zone_staff,
    )
    services.request_reacceptance(new_rules, by=zone_staff)

    export = downloaded(post(staff_client, "export", phone="0470 55 12 34"))

    [exported] = export["signups"]
    assert exported["history"][0]["reason"] == "Welkom"
    assert exported["asked_to_accept_new_house_rules"][0]["version"] == (
        new_rules.version
    )


def mail_about(text: str, *, zone, to: str = "staff@example.be") -> Email:
    """A mail to someone else that mentions the person (as staff might write)."""
    return post_office_mail.send(
        recipients=[to],
        sender="WABP <noreply@wabp.localhost>",
        subject="Vraag",
        message=text,
        headers={"Reply-To": zone.email, ZONE_HEADER: str(zone.pk)},
        priority="medium",
    )


def test_export_holds_mails_that_mention_the_person(staff_client, zone_staff, group):
    zone = group.municipality.zone
    griet(group)
    by_name = mail_about("Griet Vanhoudt belde over de groep.", zone=zone)
    by_number = mail_about("Bel terug op 0470 55 12 34.", zone=zone)
    mail_about("Jan Peeters belde over de groep.", zone=zone)

    export = downloaded(post(staff_client, "export", email=EMAIL))

    assert {mail["number"] for mail in export["emails"]} == {by_name.pk, by_number.pk}
    assert "Peeters" not in json.dumps(export)


def test_export_of_a_withdrawn_member_holds_what_the_coordinators_still_see(
    staff_client, zone_staff, group, coordinator_user
):
    signup = services.approve_signup(griet(group), by=zone_staff)
    services.withdraw_signup(signup)
    other = SignupFactory(group=group, first_name="Jan", last_name="Peeters")
    services.approve_signup(other, by=zone_staff)

    export = downloaded(post(staff_client, "export", phone=PHONE))

    [exported] = export["signups"]
    assert exported["number"] == signup.pk
    assert (exported["first_name"], exported["email"]) == ("", "")
    kept = exported["kept_for_the_coordinators_until_removed_from_whatsapp"]
    assert (kept["first_name"], kept["last_name"]) == ("Griet", "Vanhoudt")
    assert kept["phone"] == PHONE
    # The coordinators' notice names nobody, so it is not about her.
    assert export["emails"] == []
    assert "Peeters" not in json.dumps(export)


def test_export_holds_the_coordinator_entry_and_login_of_the_address(
    staff_client, group, coordinator_user
):
    coordinator = coordinator_user.coordinator

    export = downloaded(post(staff_client, "export", email=coordinator.email.upper()))

    [entry] = export["coordinator_entries"]
    assert entry["number"] == coordinator.pk
    assert entry["groups"] == [group.name]
    assert [login["username"] for login in export["logins"]] == [
        coordinator_user.username
    ]
    assert "password" not in json.dumps(export)


def test_export_is_recorded_without_the_person(staff_client, zone_staff, group):
    griet(group)

    post(staff_client, "export", email=EMAIL)

    record = PrivacyRequest.objects.get()
    assert record.kind == PrivacyRequestKind.EXPORT
    assert (record.handled_by, record.zone) == (zone_staff, group.municipality.zone)
    assert (record.signup_count, record.mail_count) == (1, 0)
    [entry] = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PrivacyRequest)
    )
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == zone_staff
    assert entry.additional_data == {"zone": group.municipality.zone_id}
    stored = json.dumps(
        [
            list(PrivacyRequest.objects.values()),
            list(LogEntry.objects.filter(pk=entry.pk).values()),
        ],
        default=str,
    )
    for personal in ("griet", "vanhoudt", "470551234", "470 55 12 34"):
        assert personal not in stored.lower()


# --- the erasure --------------------------------------------------------------


def test_erasure_needs_the_box_ticked(staff_client, group):
    signup = griet(group)

    response = post(staff_client, "erase", email=EMAIL)

    assert response.status_code == HTTPStatus.OK
    assert response.context["erasure_form"].errors["confirm"] == [
        gettext("Tick the box to confirm the erasure.")
    ]
    assert response.context["data"].signups == [signup]
    signup.refresh_from_db()
    assert signup.first_name == "Griet"
    assert not PrivacyRequest.objects.exists()


def test_erasure_erases_every_signup_and_mail_of_the_person(
    staff_client, zone_staff, group, coordinator_user
):
    pending = griet(group)
    services.confirm_signup(
        griet(
            WhatsAppGroupFactory(municipality=group.municipality),
            status=SignupStatus.UNCONFIRMED,
        )
    )
    rejected = services.reject_signup(
        griet(
            WhatsAppGroupFactory(municipality=group.municipality),
            email=EMAIL.upper(),
            phone="+32470000001",
        ),
        by=zone_staff,
        reason="Griet woont buiten de wijk.",
    )
    someone_else = SignupFactory(group=group)
    services.reject_signup(someone_else, by=zone_staff, reason="Buiten de wijk.")
    mails_before = Email.objects.count()
    theirs = Email.objects.filter(to__icontains="griet").count()

    response = post(staff_client, "erase", email=EMAIL, confirm="on")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == URL
    signups = Signup.objects.exclude(pk=someone_else.pk)
    assert signups.count() == 3
    for signup in signups:
        assert (signup.first_name, signup.email, str(signup.phone)) == ("", "", "")
        assert signup.erased_at is not None
        assert not signup.status_changes.exclude(reason="").exists()
    assert Signup.objects.get(pk=pending.pk).status == SignupStatus.WITHDRAWN
    assert Signup.objects.get(pk=rejected.pk).status == SignupStatus.REJECTED
    assert Email.objects.count() == mails_before - theirs
    assert not Email.objects.filter(to__icontains="griet").exists()
    someone_else.refresh_from_db()
    assert someone_else.first_name and someone_else.decision_reason
    record = PrivacyRequest.objects.get()
    assert record.kind == PrivacyRequestKind.ERASURE
    assert (record.signup_count, record.mail_count) == (3, theirs)


def test_erasure_is_confirmed_on_the_page_with_the_counts(staff_client, group):
    griet(group)

    response = post(staff_client, "erase", phone=PHONE, confirm="on")
    page = staff_client.get(response["Location"])

    record = PrivacyRequest.objects.get()
    expected = gettext(
        "Erased: %(signups)s signup(s) and %(mails)s e-mail(s). "
        "Privacy request #%(pk)s records it."
    ) % {"signups": 1, "mails": 0, "pk": record.pk}
    assert expected in [str(message) for message in page.context["messages"]]


def test_erasing_a_member_sends_no_mail_with_their_name(
    staff_client, zone_staff, group, coordinator_user
):
    services.approve_signup(griet(group), by=zone_staff)
    Email.objects.all().delete()

    response = post(staff_client, "search", email=EMAIL)
    post(staff_client, "erase", email=EMAIL, confirm="on")

    assert group.name in response.content.decode()  # "tell the coordinators"
    assert not Email.objects.exists()
    assert Signup.objects.get().status == SignupStatus.WITHDRAWN


def test_search_by_phone_finds_the_mails_to_the_address_of_the_signup(
    staff_client, zone_staff, group
):
    signup = griet(group)
    notifications.send_confirmation_request(signup)  # "Beste Griet," only
    own = mail_to(EMAIL, zone=group.municipality.zone)
    foreign = mail_to(EMAIL, zone=PoliceZoneFactory())
    unrelated = mail_to("iemand.anders@example.be", zone=group.municipality.zone)

    data = find_person(PersonQuery(phone=signup.phone), by=zone_staff)

    # Read as it will be sent (the confirmation is rendered by the worker).
    [confirmation] = [m for m in Email.objects.all() if "Bevestig" in m.subject]
    assert set(data.mails) == {confirmation, own}
    assert foreign not in data.mails and unrelated not in data.mails


def test_erasure_by_phone_deletes_the_mails_to_the_address_of_the_signup(
    staff_client, group
):
    signup = griet(group)
    notifications.send_confirmation_request(signup)
    mail_to(EMAIL, zone=group.municipality.zone)
    kept = mail_to("iemand.anders@example.be", zone=group.municipality.zone)

    response = post(staff_client, "erase", phone="0470 55 12 34", confirm="on")

    assert response.status_code == HTTPStatus.FOUND
    assert list(Email.objects.all()) == [kept]
    assert PrivacyRequest.objects.get().mail_count == 2


def test_search_by_phone_finds_the_mails_to_a_coordinator_found(
    zone_staff, group, coordinator_user
):
    coordinator = coordinator_user.coordinator
    invitation = mail_to(coordinator.email, zone=group.municipality.zone)

    data = find_person(PersonQuery(phone=coordinator.phone), by=zone_staff)

    assert data.coordinators == [coordinator]
    assert data.mails == [invitation]


def test_a_household_address_keeps_the_partners_mail(staff_client, zone_staff, group):
    """Partners share one address: a search by her number leaves his mail."""
    signup = griet(group)
    partner = griet(
        WhatsAppGroupFactory(municipality=group.municipality),
        first_name="Pieter",
        phone="+32470559999",
    )
    notifications.send_confirmation_request(signup)
    notifications.send_confirmation_request(partner)
    hers, his = Email.objects.order_by("pk")

    found = find_person(PersonQuery(phone=signup.phone), by=zone_staff)
    post(staff_client, "erase", phone=PHONE, confirm="on")

    assert found.signups == [signup]
    assert found.mails == [hers]
    assert list(Email.objects.all()) == [his]
    partner.refresh_from_db()
    assert partner.first_name == "Pieter"


def test_a_withdrawn_member_is_found_by_phone_and_erased(
    staff_client, zone_staff, group, coordinator_user
):
    signup = services.approve_signup(griet(group), by=zone_staff)
    services.withdraw_signup(signup)

    searched = post(staff_client, "search", phone=PHONE)
    by_email = post(staff_client, "search", email=EMAIL)
    erased = post(staff_client, "erase", phone=PHONE, confirm="on")

    assert searched.context["data"].signups == [signup]
    # Staff tell the coordinators: the list in the portal goes with the erasure.
    assert searched.context["data"].members == [signup]
    assert group.name in searched.content.decode()
    assert "Vanhoudt" not in searched.content.decode()
    # The address was erased at the withdrawal: nothing is found by it.
    assert by_email.context["nothing_found"] is True
    assert erased.status_code == HTTPStatus.FOUND
    assert not WithdrawnMember.objects.exists()
    signup.refresh_from_db()
    assert signup.erased_at is not None


def test_erasure_keeps_a_coordinator_entry_and_says_so(
    staff_client, zone_staff, group, coordinator_user
):
    coordinator = coordinator_user.coordinator
    griet(group, email=coordinator.email)

    response = post(staff_client, "erase", email=coordinator.email, confirm="on")
    page = staff_client.get(response["Location"])

    coordinator.refresh_from_db()
    assert coordinator.first_name
    assert Signup.objects.get().erased_at is not None
    warning = gettext(
        "This person is also a coordinator or has a login: that was not erased. "
        "Remove the coordinator in the coordinator table and ask an "
        "administrator to delete the login."
    )
    assert warning in [str(message) for message in page.context["messages"]]
    record = PrivacyRequest.objects.get()
    assert (record.coordinator_count, record.login_count) == (1, 1)


def test_only_a_coordinator_entry_cannot_be_erased_here(
    staff_client, group, coordinator_user
):
    email = coordinator_user.coordinator.email

    searched = post(staff_client, "search", email=email)
    erased = post(staff_client, "erase", email=email, confirm="on")

    assert searched.context["data"].erasable is False
    assert erased.context["nothing_found"] is True
    assert not PrivacyRequest.objects.exists()


def test_staff_of_two_zones_search_both(client, group):
    other_zone = PoliceZoneFactory()
    other = griet(
        WhatsAppGroupFactory(municipality=MunicipalityFactory(zone=other_zone))
    )
    own = griet(group)
    user = UserFactory()
    add_zone_staff(group.municipality.zone, user=user)
    add_zone_staff(other_zone, user=user)

    data = find_person(PersonQuery(email=EMAIL), by=user)

    assert set(data.signups) == {own, other}


# --- the record in the admin --------------------------------------------------


def test_staff_read_their_zones_records_in_the_admin_and_change_nothing(
    client, zone_staff, group
):
    griet(group)
    other_zone = PoliceZoneFactory()
    other_staff = UserFactory()
    add_zone_staff(other_zone, user=other_staff)
    griet(WhatsAppGroupFactory(municipality=MunicipalityFactory(zone=other_zone)))
    client.force_login(zone_staff)
    post(client, "export", email=EMAIL)
    client.force_login(other_staff)
    post(client, "export", email=EMAIL)
    own, foreign = PrivacyRequest.objects.order_by("pk")
    client.force_login(zone_staff)

    changelist = client.get(reverse("admin:registrations_privacyrequest_changelist"))
    change = client.get(
        reverse("admin:registrations_privacyrequest_change", args=[own.pk])
    )
    other = client.get(
        reverse("admin:registrations_privacyrequest_change", args=[foreign.pk])
    )
    add = client.get(reverse("admin:registrations_privacyrequest_add"))
    delete = client.post(
        reverse("admin:registrations_privacyrequest_delete", args=[own.pk]),
        {"post": "yes"},
    )

    assert list(changelist.context["cl"].queryset) == [own]
    assert change.status_code == HTTPStatus.OK
    assert other.status_code == HTTPStatus.FOUND  # "doesn't exist"
    assert add.status_code == HTTPStatus.FORBIDDEN
    assert delete.status_code == HTTPStatus.FORBIDDEN
    assert PrivacyRequest.objects.count() == 2


def test_coordinator_cannot_read_the_records(client, coordinator_user, zone_staff):
    record = PrivacyRequest.objects.create(kind="export", handled_by=zone_staff)
    client.force_login(coordinator_user)

    changelist = client.get(reverse("admin:registrations_privacyrequest_changelist"))
    change = client.get(
        reverse("admin:registrations_privacyrequest_change", args=[record.pk])
    )

    assert changelist.status_code == HTTPStatus.FORBIDDEN
    assert change.status_code == HTTPStatus.FORBIDDEN


# --- nothing left: the sentinel -----------------------------------------------

SENTINEL = {
    "first_name": "Zqxjwv",
    "last_name": "Vqxzjk",
    "email": "zqxjwv@example.be",
    "phone": "0486 93 07 52",
    "street_name": "Zqxjwvstraat",
}
# Every way the sentinel could be written down; compared without case.
TRACES = [
    "zqxjwv",
    "vqxzjk",
    "zqxjwv@example.be",
    "zqxjwvstraat",
    "+32486930752",
    "+32 486 93 07 52",
    "0486 93 07 52",
    "0486930752",
    "486930752",
]


def signup_form(group, rules) -> dict:
    return eloket_form(
        group,
        rules,
        **{
            field: SENTINEL[field]
            for field in ("first_name", "last_name", "street_name", "phone", "email")
        },
    )


def traces_in_database() -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", errors="replace")
                    text = str(value).lower()
                    found += [f"{table}: {t}" for t in TRACES if t in text]
    return found


def traces_in_log(records: list[logging.LogRecord]) -> list[str]:
    found = []
    for record in records:
        text = " ".join(
            [record.getMessage(), str(record.args), record.exc_text or ""]
        ).lower()
        found += [f"{record.name}: {t}" for t in TRACES if t in text]
    return found


@pytest.fixture
def every_log_record(caplog):
    """Capture every log record, also of loggers that do not propagate."""
    caplog.set_level(logging.DEBUG)
    silent = [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    for logger in silent:
        logger.addHandler(caplog.handler)
    yield caplog
    for logger in silent:
        logger.removeHandler(caplog.handler)


def test_after_erasure_the_person_is_in_no_table_and_no_log_line(
    client,
    every_log_record,
    open_group,
    rules,
    zone_staff,
    coordinator_user,
    deliver_mail,
):
    coordinator = coordinator_user.coordinator
    # The resident signs up on the public form and confirms from the mail.
    response = client.post("/aanmelden/", signup_form(open_group, rules))
    assert response.status_code == HTTPStatus.FOUND
    signup = Signup.objects.get()
    [confirmation] = Email.objects.filter(to=SENTINEL["email"])
    link = re.search(
        r"https?://\S+?(/aanmelden/bevestigen/\S+?/)\s", confirmation.message
    )
    assert client.post(link.group(1)).status_code == HTTPStatus.OK
    assert Email.objects.filter(to=coordinator.email).exists()  # new signup
    deliver_mail()
    # The coordinator opens the signup, approves it and exports the members.
    client.force_login(coordinator_user)
    opened = client.get(
        reverse("admin:registrations_pendingsignup_change", args=[signup.pk])
    )
    assert SENTINEL["last_name"] in opened.content.decode()
    approved = client.post(
        reverse("admin:registrations_pendingsignup_approve", args=[signup.pk])
    )
    assert approved.status_code == HTTPStatus.FOUND
    exported = client.post(
        reverse("admin:registrations_member_changelist"),
        {"action": "export_csv", ACTION_CHECKBOX_NAME: [signup.pk], "index": 0},
    )
    assert SENTINEL["last_name"] in exported.content.decode()
    sent = deliver_mail()
    assert any(SENTINEL["email"] in message.to for message in sent)
    assert traces_in_database()  # the test can see the person before

    # Staff of the zone find the person and erase them.
    client.force_login(zone_staff)
    with translation.override("en"):
        searched = post(client, "search", email=SENTINEL["email"].upper())
        assert searched.context["data"].signups == [signup]
        erased = post(client, "erase", email=SENTINEL["email"], confirm="on")
    assert erased.status_code == HTTPStatus.FOUND
    client.get(erased["Location"])

    assert traces_in_database() == []
    assert traces_in_log(every_log_record.records) == []
    signup.refresh_from_db()
    assert (signup.status, signup.group) == (SignupStatus.WITHDRAWN, open_group)
    assert signup.erased_at is not None
    assert PrivacyRequest.objects.get().kind == PrivacyRequestKind.ERASURE
    assert timezone.now() - signup.erased_at < timedelta(minutes=1)
