"""The life of a signup: create, confirm, withdraw, and the signed links."""

import re
import threading
from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core import signing
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import timezone, translation
from phonenumber_field.phonenumber import PhoneNumber
from post_office.models import STATUS, Email

from groups.constants import NotificationMode
from registrations import services
from registrations.constants import SignupRole, SignupStatus
from registrations.models import Signup, StatusChange, WithdrawnMember
from registrations.notifications import (
    CONFIRM_SALT,
    WITHDRAW_SALT,
    confirmation_link,
    withdrawal_link,
)
from registrations.services import signups as signups_service
from tests.factories import (
    CoordinatorFactory,
    HouseRulesFactory,
    PoliceZoneFactory,
    RegionStreetFactory,
    SignupFactory,
    StreetFactory,
    WhatsAppGroupFactory,
)
from wabp_portal.mail import outbox
from wabp_portal.signed_links import InvalidLink

pytestmark = pytest.mark.django_db


def signup_request(group, rules, **overrides) -> services.SignupRequest:
    """What a resident of ``group``'s municipality typed, already validated."""
    municipality = overrides.pop("municipality", None) or group.municipality
    values = {
        "role": SignupRole.PARTICIPANT,
        "group": group,
        "municipality": municipality,
        "first_name": "Griet",
        "last_name": "Vanhoudt",
        "street_name": "Motstraat",
        "house_number": "12",
        "postcode": municipality.postcode_list[0],
        "phone": PhoneNumber.from_string("0470 55 12 34", region="BE"),
        "email": "griet.vanhoudt@example.be",
        "house_rules": rules,
        "language": "nl",
    }
    values.update(overrides)
    if isinstance(values["phone"], str):
        values["phone"] = PhoneNumber.from_string(values["phone"], region="BE")
    return services.SignupRequest(**values)


def mails_to(address: str) -> list[Email]:
    return [mail for mail in Email.objects.order_by("pk") if address in mail.to]


def mail_text(mail: Email) -> str:
    return "\n".join([mail.subject, mail.message, mail.html_message])


def phone_spellings(phone: str) -> list[str]:
    number = PhoneNumber.from_string(phone, region="BE")
    return [
        number.as_e164,
        number.as_international,
        number.as_national,
        number.as_e164.removeprefix("+32"),
        re.sub(r"\D", "", number.as_national),
    ]


def link_path(url: str, route: str) -> str:
    match = re.search(rf"https?://[^/\s\"]+(/{route}/[^\s\"<]+/)", url)
    assert match, f"no /{route}/ link in {url!r}"
    return match.group(1)


# create_signup


def test_create_signup_stores_an_unconfirmed_signup(open_group, rules):
    before = timezone.now()

    signup, created = services.create_signup(signup_request(open_group, rules))

    assert created is True
    signup.refresh_from_db()
    assert signup.status == SignupStatus.UNCONFIRMED
    assert signup.group == open_group
    assert signup.full_name == "Griet Vanhoudt"
    assert signup.phone.as_e164 == "+32470551234"
    assert signup.confirmed_at is None
    assert signup.house_rules == rules
    assert before <= signup.house_rules_accepted_at <= timezone.now()
    assert signup.privacy_accepted_at == signup.house_rules_accepted_at


def test_create_signup_records_the_first_status_change(open_group, rules):
    signup, _ = services.create_signup(signup_request(open_group, rules))

    changes = list(signup.status_changes.values_list("from_status", "to_status"))
    assert changes == [("", SignupStatus.UNCONFIRMED)]


def test_create_signup_queues_one_confirmation_mail_to_the_resident(open_group, rules):
    signup, _ = services.create_signup(signup_request(open_group, rules))

    assert Email.objects.count() == 1
    mail = Email.objects.get()
    assert mail.to == ["griet.vanhoudt@example.be"]
    confirm = link_path(mail.message, "aanmelden/bevestigen")
    withdraw = link_path(mail.message, "aanmelden/uitschrijven")
    assert confirm in mail.html_message
    assert withdraw in mail.html_message
    assert confirm != withdraw
    token = confirm.split("/")[-2]
    found = services.signup_from_link(token, salt=CONFIRM_SALT, max_age=None)
    assert found == signup


def test_confirmation_mail_is_written_in_the_residents_language(
    open_group, rules, deliver_mail
):
    services.create_signup(signup_request(open_group, rules, language="en"))

    [message] = deliver_mail()

    assert message.subject == "Confirm your signup for the neighbourhood watch"
    assert message.to == ["griet.vanhoudt@example.be"]
    assert message.extra_headers["Reply-To"] == open_group.municipality.zone.email


def test_create_signup_stores_the_known_street(open_group, rules, street):
    signup, _ = services.create_signup(
        signup_request(open_group, rules, street_name="MOTSTR.")
    )

    assert signup.street == street
    assert signup.street_name == "MOTSTR."


@pytest.mark.parametrize(
    "changed",
    [
        {"phone": "+32 470 55 12 34"},
        {"phone": "0032470551234", "email": "Griet.VANHOUDT@Example.be"},
    ],
    ids=["same-phone-spaced", "same-phone-written-otherwise"],
)
def test_second_signup_of_same_person_for_same_group_is_not_stored(
    open_group, rules, changed
):
    first, _ = services.create_signup(signup_request(open_group, rules))

    again, created = services.create_signup(
        signup_request(open_group, rules, first_name="Onbekend", **changed)
    )

    assert created is False
    assert again == first
    assert Signup.objects.count() == 1
    assert StatusChange.objects.count() == 1
    again.refresh_from_db()
    assert again.first_name == "Griet"


@pytest.mark.parametrize(
    ("changed", "replaces"),
    [({"email": "x@example.be"}, True), ({"first_name": "Onbekend"}, False)],
)
def test_a_duplicate_is_found_without_a_failing_statement(
    open_group, rules, changed, replaces
):
    """The database server logs a failed statement with its values: a
    resident's name, address, number and e-mail. A duplicate is expected, so
    it is found with ON CONFLICT DO NOTHING, never by an error."""
    services.create_signup(signup_request(open_group, rules))
    failed = []

    def watch(execute, sql, params, many, context):
        try:
            return execute(sql, params, many, context)
        except Exception as error:
            failed.append((sql, type(error).__name__))
            raise

    with connection.execute_wrapper(watch):
        _signup, created = services.create_signup(
            signup_request(open_group, rules, **changed)
        )

    assert created is replaces
    assert failed == []


def test_a_new_signup_is_audited_like_any_saved_row(open_group, rules):
    signup, created = services.create_signup(signup_request(open_group, rules))

    assert created
    entry = LogEntry.objects.get_for_object(signup).get()
    assert entry.action == LogEntry.Action.CREATE


def test_partners_sharing_a_mailbox_each_get_their_own_signup_and_mail(
    open_group, rules
):
    """A household is several people: one e-mail address, each their own
    mobile and membership, each confirmation addressed to the right person."""
    griet, griet_new = services.create_signup(signup_request(open_group, rules))
    jan, jan_new = services.create_signup(
        signup_request(open_group, rules, first_name="Jan", phone="0471 99 88 77")
    )

    assert griet_new and jan_new and griet != jan
    first, second = mails_to("griet.vanhoudt@example.be")
    assert "Griet" in first.message and "Jan" not in first.message
    assert "Jan" in second.message and "Griet" not in second.message
    assert link_path(first.message, "aanmelden/bevestigen") != link_path(
        second.message, "aanmelden/bevestigen"
    )


def test_one_partner_withdrawing_leaves_the_others_mail(open_group, rules):
    griet, _ = services.create_signup(signup_request(open_group, rules))
    jan, _ = services.create_signup(
        signup_request(open_group, rules, first_name="Jan", phone="0471 99 88 77")
    )

    services.withdraw_signup(griet)

    [left] = mails_to("griet.vanhoudt@example.be")
    assert "Jan" in left.message
    jan.refresh_from_db()
    assert jan.status == SignupStatus.UNCONFIRMED


def test_a_mistyped_address_is_corrected_by_signing_up_again(open_group, rules):
    """Same mobile, same group, another address, before confirming: the
    first address was a typo. The new signup replaces the unconfirmed one,
    and every link sent to the mistyped address stops working."""
    typo, _ = services.create_signup(
        signup_request(open_group, rules, email="griet@exampel.be")
    )
    [typo_mail] = mails_to("griet@exampel.be")
    confirm_typo = link_path(typo_mail.message, "aanmelden/bevestigen")

    signup, created = services.create_signup(signup_request(open_group, rules))

    assert created
    assert Signup.objects.get() == signup
    assert signup.email == "griet.vanhoudt@example.be"
    assert signup.status == SignupStatus.UNCONFIRMED
    # Nothing is left at, or works from, the mistyped address.
    assert mails_to("griet@exampel.be") == []
    assert not Signup.objects.filter(pk=typo.pk).exists()
    with pytest.raises(InvalidLink):
        services.signup_from_link(
            confirm_typo.rstrip("/").rsplit("/", 1)[-1],
            salt=CONFIRM_SALT,
            max_age=None,
        )
    [confirmation] = mails_to("griet.vanhoudt@example.be")
    assert "/aanmelden/bevestigen/" in confirmation.message


def test_the_same_address_again_gets_the_confirmation_link_again(open_group, rules):
    first, _ = services.create_signup(signup_request(open_group, rules))

    again, created = services.create_signup(signup_request(open_group, rules))

    assert (again, created) == (first, False)
    confirmation, notice = mails_to("griet.vanhoudt@example.be")
    assert notice.subject == "Je bent al ingeschreven"
    assert "/aanmelden/bevestigen/" in notice.message


@pytest.mark.parametrize("status", [SignupStatus.PENDING, SignupStatus.APPROVED])
def test_a_confirmed_signup_is_never_taken_over_by_another_address(
    open_group, rules, status
):
    """Once confirmed, the address is proven: someone who knows the mobile
    number cannot move the signup to their own mailbox."""
    confirmed, _ = services.create_signup(signup_request(open_group, rules))
    Signup.objects.filter(pk=confirmed.pk).update(
        status=status, confirmed_at=timezone.now(), decided_at=timezone.now()
    )

    kept, created = services.create_signup(
        signup_request(open_group, rules, email="vreemde@example.be")
    )

    assert (kept, created) == (confirmed, False)
    assert mails_to("vreemde@example.be") == []
    kept.refresh_from_db()
    assert kept.email == "griet.vanhoudt@example.be"
    notice = mails_to("griet.vanhoudt@example.be")[-1]
    assert notice.subject == "Je bent al ingeschreven"


def test_duplicate_of_a_member_gets_a_notice_without_confirmation_link(
    open_group, rules
):
    member = SignupFactory(
        group=open_group,
        status=SignupStatus.APPROVED,
        decided_at=timezone.now(),
        email="lid@example.be",
        phone="+32470551234",
    )

    signup, created = services.create_signup(
        signup_request(open_group, rules, email="LID@example.be")
    )

    assert (signup, created) == (member, False)
    [notice] = mails_to("lid@example.be")
    assert "/aanmelden/bevestigen/" not in notice.message
    assert "/aanmelden/uitschrijven/" in notice.message


def test_a_closed_signup_does_not_block_a_new_one(open_group, rules):
    SignupFactory(
        group=open_group,
        status=SignupStatus.REJECTED,
        decided_at=timezone.now(),
        email="griet.vanhoudt@example.be",
    )

    _, created = services.create_signup(signup_request(open_group, rules))

    assert created is True


def test_same_person_may_sign_up_for_another_group(open_group, rules):
    other = WhatsAppGroupFactory(municipality=open_group.municipality)
    services.create_signup(signup_request(open_group, rules))

    signup, created = services.create_signup(signup_request(other, rules))

    assert created is True
    assert signup.group == other
    assert Signup.objects.count() == 2


def test_create_signup_refuses_house_rules_that_are_no_longer_current(
    open_group, rules
):
    rules.is_current = False
    rules.save()
    HouseRulesFactory(zone=rules.zone, version=3)

    with pytest.raises(services.HouseRulesChanged):
        services.create_signup(signup_request(open_group, rules))

    assert not Signup.objects.exists()
    assert not Email.objects.exists()


def test_create_signup_refuses_house_rules_of_another_zone(open_group, rules):
    other_rules = HouseRulesFactory(zone=PoliceZoneFactory())

    with pytest.raises(services.HouseRulesChanged):
        services.create_signup(signup_request(open_group, other_rules))

    assert not Signup.objects.exists()


@pytest.mark.parametrize(
    "closed", [{"is_public": False}, {"is_active": False}], ids=["hidden", "inactive"]
)
def test_create_signup_refuses_a_group_that_is_not_open(open_group, rules, closed):
    for field, value in closed.items():
        setattr(open_group, field, value)
    open_group.save()

    with pytest.raises(services.GroupNotOpen):
        services.create_signup(signup_request(open_group, rules))

    assert not Signup.objects.exists()
    assert not Email.objects.exists()


def test_create_signup_refuses_a_group_of_another_zone(open_group, rules):
    foreign = WhatsAppGroupFactory()

    with pytest.raises(services.GroupNotOpen):
        services.create_signup(
            signup_request(foreign, rules, municipality=open_group.municipality)
        )

    assert not Signup.objects.exists()


def test_address_in_a_covered_street_is_inside_the_region(open_group, rules):
    signup, _ = services.create_signup(signup_request(open_group, rules))

    assert signup.outside_region is False


def test_address_in_a_street_of_another_group_is_outside_the_region(open_group, rules):
    other = WhatsAppGroupFactory(municipality=open_group.municipality)
    RegionStreetFactory(
        region=other.region,
        street=StreetFactory(municipality=other.municipality, name="Kerkstraat"),
    )

    signup, _ = services.create_signup(
        signup_request(open_group, rules, street_name="Kerkstraat")
    )

    assert signup.street.name == "Kerkstraat"
    assert signup.outside_region is True


def test_known_street_tells_a_name_in_two_postcodes_apart(group):
    municipality = group.municipality
    first, second = municipality.postcode_list[:2]
    in_first = StreetFactory(municipality=municipality, name="Kerkstraat")
    in_second = StreetFactory(
        municipality=municipality, name="Kerkstraat", postcode=second
    )
    assert in_first.postcode == first

    assert services.known_street(municipality, "kerkstr.", second) == in_second
    assert services.known_street(municipality, "Kerkstraat", first) == in_first
    # Without a postcode, or one without a Kerkstraat: the first, as listed.
    assert services.known_street(municipality, "Kerkstraat") == in_first
    assert services.known_street(municipality, "Kerkstraat", "9999") == in_first
    assert services.known_street(municipality, "  ", second) is None


def test_house_number_outside_the_covered_range_is_outside_the_region(group, rules):
    street = StreetFactory(municipality=group.municipality, name="Stationsstraat")
    RegionStreetFactory(region=group.region, street=street, number_to=40)

    inside, _ = services.create_signup(
        signup_request(group, rules, street_name="Stationsstraat", house_number="40")
    )
    outside, _ = services.create_signup(
        signup_request(
            group,
            rules,
            street_name="Stationsstraat",
            house_number="42B",
            phone="0471 00 00 01",
            email="buur@example.be",
        )
    )

    assert inside.outside_region is False
    assert outside.outside_region is True


def test_unknown_street_is_outside_the_region(open_group, rules):
    signup, _ = services.create_signup(
        signup_request(open_group, rules, street_name="Onbekende Dreef")
    )

    assert signup.street is None
    assert signup.outside_region is True


def test_coordinator_application_has_no_group(open_group, rules):
    signup, created = services.create_signup(
        signup_request(
            open_group,
            rules,
            role=SignupRole.COORDINATOR,
            proposed_group_name="WABP Kerkveld",
            proposed_area="Kerkveld en Dorpsstraat",
        )
    )

    assert created is True
    signup.refresh_from_db()
    assert signup.role == SignupRole.COORDINATOR
    assert signup.group is None
    assert signup.proposed_group_name == "WABP Kerkveld"
    assert signup.proposed_area == "Kerkveld en Dorpsstraat"
    assert signup.outside_region is False
    assert mails_to("griet.vanhoudt@example.be")


def test_second_coordinator_application_in_the_municipality_is_a_duplicate(
    open_group, rules
):
    application = {
        "role": SignupRole.COORDINATOR,
        "proposed_group_name": "WABP Kerkveld",
        "proposed_area": "Kerkveld",
    }
    first, _ = services.create_signup(signup_request(open_group, rules, **application))

    again, created = services.create_signup(
        signup_request(open_group, rules, **{**application, "first_name": "Jan"})
    )

    assert (again, created) == (first, False)
    assert Signup.objects.count() == 1

    # Before confirmation, another address corrects a typo: it replaces.
    corrected, created = services.create_signup(
        signup_request(open_group, rules, **{**application, "email": "x@example.be"})
    )
    assert created
    assert list(Signup.objects.all()) == [corrected]


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


def test_a_mail_server_that_is_down_loses_no_signup(open_group, rules, settings):
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": f"{__name__}.BrokenMailServer"},
    }
    signup, _ = services.create_signup(signup_request(open_group, rules))

    outbox.send_all()

    assert Signup.objects.filter(pk=signup.pk).exists()
    mail = Email.objects.get()
    assert mail.status == STATUS.requeued
    assert mail.scheduled_time > timezone.now()


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions: PostgreSQL only")


def submit_from_another_connection(request: services.SignupRequest) -> list:
    """The same form submitted again at once (a double click), committed."""
    results = []

    def submit() -> None:
        try:
            results.append(services.create_signup(request))
        finally:
            connection.close()

    thread = threading.Thread(target=submit)
    thread.start()
    thread.join(timeout=30)
    return results


def run_once_after(original, side_effect):
    fired = []

    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        if not fired:
            fired.append(True)
            side_effect()
        return result

    return wrapper


# serialized_rollback: a browser test before may have flushed the roles and
# content types; this restores them (the audit log writes rows that need them).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_double_submitted_signup_is_stored_once(open_group, rules, monkeypatch):
    needs_postgresql()
    request = signup_request(open_group, rules)
    other = []
    # The other submit commits after this one validated and before it inserts.
    monkeypatch.setattr(
        Signup,
        "full_clean",
        run_once_after(
            Signup.full_clean,
            lambda: other.extend(submit_from_another_connection(request)),
        ),
    )

    signup, created = services.create_signup(request)

    [(first, first_created)] = other
    assert (first_created, created) == (True, False)
    assert signup == first
    assert Signup.objects.count() == 1


# serialized_rollback: a browser test before may have flushed the roles and
# content types; this restores them (the audit log writes rows that need them).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_double_submit_committed_while_the_address_is_located_is_a_duplicate(
    open_group, rules, monkeypatch
):
    needs_postgresql()
    request = signup_request(open_group, rules)
    other = []
    # Nothing looks for a duplicate before the insert: the unique constraints
    # refuse the second one, whenever the first committed.
    monkeypatch.setattr(
        signups_service,
        "locate_address",
        run_once_after(
            signups_service.locate_address,
            lambda: other.extend(submit_from_another_connection(request)),
        ),
    )

    signup, created = services.create_signup(request)

    [(first, _)] = other
    assert (signup, created) == (first, False)
    assert Signup.objects.count() == 1


# confirm_signup


@pytest.fixture
def unconfirmed(open_group) -> Signup:
    return SignupFactory(
        group=open_group,
        status=SignupStatus.UNCONFIRMED,
        confirmed_at=None,
        first_name="Griet",
        last_name="Vanhoudt",
        street_name="Motstraat",
        house_number="12",
        phone="+32470551234",
        email="griet.vanhoudt@example.be",
    )


def test_confirm_signup_makes_it_pending(unconfirmed):
    before = timezone.now()

    signup = services.confirm_signup(unconfirmed)

    signup.refresh_from_db()
    assert signup.status == SignupStatus.PENDING
    assert before <= signup.confirmed_at <= timezone.now()
    last = signup.status_changes.last()
    assert (last.from_status, last.to_status) == (
        SignupStatus.UNCONFIRMED,
        SignupStatus.PENDING,
    )


def test_confirm_signup_tells_the_groups_coordinators_without_personal_data(
    unconfirmed, deliver_mail
):
    group = unconfirmed.group
    zone = group.municipality.zone
    first = CoordinatorFactory(zone=zone, groups=[group], email="coord1@example.be")
    second = CoordinatorFactory(zone=zone, groups=[group], email="coord2@example.be")
    CoordinatorFactory(zone=zone, groups=[group], is_active=False, email="old@x.be")
    CoordinatorFactory(zone=zone, groups=[WhatsAppGroupFactory()], email="other@x.be")

    services.confirm_signup(unconfirmed)
    [message] = deliver_mail()

    assert sorted(message.to) == [first.email, second.email]
    assert group.name in message.subject
    html = message.alternatives[0][0]
    text = "\n".join([message.subject, message.body, html])
    assert re.search(rf"/admin/registrations/\w+/{unconfirmed.pk}/change/", text)
    personal = ["Griet", "Vanhoudt", "Motstraat", "griet.vanhoudt@example.be"]
    for value in personal + phone_spellings("+32470551234"):
        assert value not in text, f"{value!r} is in the coordinators' mail"


def test_coordinators_who_chose_the_daily_digest_get_no_mail_at_once(unconfirmed):
    zone = unconfirmed.group.municipality.zone
    CoordinatorFactory(
        zone=zone,
        groups=[unconfirmed.group],
        notification_mode=NotificationMode.DIGEST,
        email="digest@example.be",
    )

    services.confirm_signup(unconfirmed)

    assert mails_to("digest@example.be") == []


def test_confirming_a_coordinator_application_mails_the_police_zone(open_group):
    application = SignupFactory(
        role=SignupRole.COORDINATOR,
        group=None,
        municipality=open_group.municipality,
        proposed_group_name="WABP Kerkveld",
        proposed_area="Kerkveld",
        status=SignupStatus.UNCONFIRMED,
        confirmed_at=None,
    )
    CoordinatorFactory(zone=open_group.municipality.zone, groups=[open_group])

    services.confirm_signup(application)

    [mail] = Email.objects.all()
    assert mail.to == [open_group.municipality.zone.email]
    assert "WABP Kerkveld" in mail.subject
    assert application.first_name not in mail_text(mail)
    assert application.email not in mail_text(mail)


def test_confirming_twice_is_refused(unconfirmed):
    services.confirm_signup(unconfirmed)

    with pytest.raises(services.InvalidTransition):
        services.confirm_signup(unconfirmed)

    assert unconfirmed.status_changes.count() == 1


@pytest.mark.parametrize(
    "status", [SignupStatus.APPROVED, SignupStatus.REJECTED, SignupStatus.WITHDRAWN]
)
def test_a_decided_or_withdrawn_signup_cannot_be_confirmed(open_group, status):
    signup = SignupFactory(group=open_group, status=status, decided_at=timezone.now())

    with pytest.raises(services.InvalidTransition):
        services.confirm_signup(signup)

    signup.refresh_from_db()
    assert signup.status == status
    assert not Email.objects.exists()


# withdraw_signup

SENTINELS = {
    "first_name": "Zorbalina",
    "last_name": "Quaxtenbergh",
    "street_name": "Xylofoonstraat",
    "house_number": "947",
    "box": "QZ9",
    "email": "zorbalina.quax@example.be",
    "phone": "+32470987654",
}


def sentinel_hits(*tables: str) -> list[tuple[str, str]]:
    """Every (table, sentinel) where the sentinel is still in some column."""
    needles = [
        value
        for field, value in SENTINELS.items()
        if field not in {"phone", "house_number"}
    ]
    needles += phone_spellings(SENTINELS["phone"])
    hits = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed names
            for row in cursor.fetchall():
                for cell in row:
                    hits += [(table, n) for n in needles if n in str(cell)]
    return hits


@pytest.fixture
def member(open_group, street) -> Signup:
    """An approved member whose every personal field holds a sentinel."""
    signup = SignupFactory(
        group=open_group,
        status=SignupStatus.PENDING,
        street=street,
        proposed_area="",
        decision_reason=f"{SENTINELS['first_name']} woont op de hoek",
        **SENTINELS,
    )
    StatusChange.objects.create(
        signup=signup,
        from_status=SignupStatus.PENDING,
        to_status=SignupStatus.APPROVED,
        reason=f"Ken {SENTINELS['last_name']} persoonlijk",
    )
    signup.status = SignupStatus.APPROVED
    signup.decided_at = timezone.now()
    signup.save()
    return signup


def test_sentinels_are_found_before_withdrawal(member):
    # Proves that the erasure test below can fail.
    hits = sentinel_hits("registrations_signup", "registrations_statuschange")

    assert {table for table, _ in hits} == {
        "registrations_signup",
        "registrations_statuschange",
    }


def test_withdraw_signup_erases_every_personal_field(member):
    services.withdraw_signup(member)

    assert sentinel_hits("registrations_signup", "registrations_statuschange") == []
    member.refresh_from_db()
    assert member.status == SignupStatus.WITHDRAWN
    assert member.street is None
    assert member.house_number == ""
    assert member.ended_at is not None
    assert member.group is not None  # statistics keep the group
    assert str(member) == f"Ingetrokken inschrijving #{member.pk}"


def test_withdraw_signup_records_the_change(member):
    services.withdraw_signup(member)

    assert member.status_changes.last().to_status == SignupStatus.WITHDRAWN
    assert member.status_changes.last().from_status == SignupStatus.APPROVED


def test_withdrawn_member_is_reported_to_the_coordinators_without_who(member):
    zone = member.group.municipality.zone
    coordinator = CoordinatorFactory(zone=zone, groups=[member.group])

    services.withdraw_signup(member)

    [mail] = mails_to(coordinator.email)
    assert member.group.name in mail.subject
    assert "/admin/registrations/withdrawnmember/" in mail.message
    assert "/admin/registrations/withdrawnmember/" in mail.html_message
    # The mail outlives the erasure in the coordinator's mailbox: no one named.
    text = mail_text(mail)
    for value in [*SENTINELS.values(), *phone_spellings(SENTINELS["phone"])]:
        assert value not in text
    assert mails_to(SENTINELS["email"]) == []


def test_withdrawn_member_leaves_only_name_and_number_for_the_coordinators(member):
    services.withdraw_signup(member)

    kept = WithdrawnMember.objects.get()
    assert (kept.signup, kept.group) == (member, member.group)
    assert kept.full_name == "Zorbalina Quaxtenbergh"
    assert kept.phone.as_e164 == SENTINELS["phone"]
    assert kept.withdrawn_at == Signup.objects.get(pk=member.pk).ended_at
    # Nothing else of the person is kept anywhere.
    assert {
        hit
        for _table, hit in sentinel_hits(
            "registrations_signup",
            "registrations_statuschange",
            "registrations_withdrawnmember",
        )
    } <= {
        SENTINELS["first_name"],
        SENTINELS["last_name"],
        *phone_spellings(SENTINELS["phone"]),
    }
    assert str(kept) == f"Uitgeschreven lid #{member.pk}"


def test_withdrawing_a_pending_signup_does_not_mail_the_coordinators(
    unconfirmed,
):
    coordinator = CoordinatorFactory(
        zone=unconfirmed.group.municipality.zone, groups=[unconfirmed.group]
    )
    services.confirm_signup(unconfirmed)
    Email.objects.all().delete()

    services.withdraw_signup(unconfirmed)

    assert mails_to(coordinator.email) == []
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == SignupStatus.WITHDRAWN
    assert unconfirmed.email == ""
    # Never in the WhatsApp group: nothing kept for the coordinators.
    assert not WithdrawnMember.objects.exists()


def test_withdrawing_twice_is_refused(member):
    services.withdraw_signup(member)

    with pytest.raises(services.InvalidTransition):
        services.withdraw_signup(member)


@pytest.mark.parametrize(
    "status", [SignupStatus.REJECTED, SignupStatus.LEFT, SignupStatus.REMOVED]
)
def test_a_closed_signup_is_erased_at_once_when_withdrawn(open_group, status):
    signup = SignupFactory(
        group=open_group,
        status=status,
        decided_at=timezone.now(),
        first_name="Sentinelle",
        decision_reason="Sentinelle woont elders",
    )

    services.withdraw_signup(signup)

    signup.refresh_from_db()
    assert signup.status == SignupStatus.WITHDRAWN
    assert signup.first_name == ""
    assert signup.decision_reason == ""
    assert not signup.status_changes.filter(reason__contains="Sentinelle").exists()


def test_withdrawn_signup_frees_the_place_for_a_new_signup(member, rules):
    services.withdraw_signup(member)

    _, created = services.create_signup(
        signup_request(
            member.group,
            rules,
            phone=SENTINELS["phone"],
            email=SENTINELS["email"],
        )
    )

    assert created is True


# signup_from_link


def test_signup_from_link_finds_the_signup(unconfirmed):
    token = link_path(confirmation_link(unconfirmed), "aanmelden/bevestigen")
    token = token.split("/")[-2]

    found = services.signup_from_link(
        token, salt=CONFIRM_SALT, max_age=services.confirmation_max_age()
    )

    assert found == unconfirmed


def test_signup_from_link_refuses_a_tampered_token(unconfirmed, open_group):
    other = SignupFactory(group=open_group)
    token = signing.dumps(unconfirmed.pk, salt=CONFIRM_SALT)
    other_token = signing.dumps(other.pk, salt=CONFIRM_SALT)
    # Another signup's number with this signup's signature.
    forged = other_token.split(":")[0] + ":" + token.split(":", 1)[1]

    with pytest.raises(InvalidLink):
        services.signup_from_link(forged, salt=CONFIRM_SALT, max_age=None)


def test_signup_from_link_refuses_an_expired_token(unconfirmed):
    token = signing.dumps(unconfirmed.pk, salt=CONFIRM_SALT)

    with time_machine.travel(timezone.now() + timedelta(hours=48, minutes=1)):
        with pytest.raises(InvalidLink) as error:
            services.signup_from_link(
                token, salt=CONFIRM_SALT, max_age=services.confirmation_max_age()
            )

    with translation.override("en"):
        assert str(error.value) == "This link has expired."


def test_signup_from_link_accepts_a_token_just_within_48_hours(unconfirmed):
    token = signing.dumps(unconfirmed.pk, salt=CONFIRM_SALT)

    with time_machine.travel(timezone.now() + timedelta(hours=47, minutes=59)):
        found = services.signup_from_link(
            token, salt=CONFIRM_SALT, max_age=services.confirmation_max_age()
        )

    assert found == unconfirmed


def test_signup_from_link_refuses_a_token_made_for_another_purpose(unconfirmed):
    withdraw_token = withdrawal_link(unconfirmed).rstrip("/").split("/")[-1]

    with pytest.raises(InvalidLink):
        services.signup_from_link(
            withdraw_token, salt=CONFIRM_SALT, max_age=timedelta(hours=48)
        )
    assert (
        services.signup_from_link(withdraw_token, salt=WITHDRAW_SALT, max_age=None)
        == unconfirmed
    )


@pytest.mark.parametrize(
    "payload", ["12", [1], {"pk": 1}, None], ids=["str", "list", "dict", "none"]
)
def test_signup_from_link_refuses_a_signed_value_that_is_not_a_number(
    unconfirmed, payload
):
    token = signing.dumps(payload, salt=CONFIRM_SALT)

    with pytest.raises(InvalidLink):
        services.signup_from_link(token, salt=CONFIRM_SALT, max_age=None)


def test_signup_from_link_refuses_a_deleted_signup(unconfirmed):
    token = signing.dumps(unconfirmed.pk, salt=CONFIRM_SALT)
    unconfirmed.delete()

    with pytest.raises(InvalidLink):
        services.signup_from_link(token, salt=CONFIRM_SALT, max_age=None)
