"""A resident's own page: where the signup stands, change a detail, withdraw.

The page is reached through the signed link in every mail to a resident
(``my_signup_link``), bound to the signup's e-mail address. The services
(``registrations.services.own_details``) first, then the pages, then the
links: who can still open what after the address changed.
"""

import html
import json
import re
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from auditlog.models import LogEntry
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from phonenumber_field.phonenumber import PhoneNumber
from post_office.models import Email

from registrations import notifications, services
from registrations.constants import SignupRole, SignupStatus
from registrations.models import Signup
from registrations.notifications import (
    CONFIRM_SALT,
    MY_SIGNUP_SALT,
    REACCEPT_SALT,
    WITHDRAW_SALT,
    confirmation_link,
    email_change_link,
    my_signup_link,
    reacceptance_link,
    withdrawal_link,
)
from registrations.services.privacy import (
    PersonQuery,
    erase_person,
    export_person,
    find_person,
)
from registrations.services.retention import erase_signup_data, purge_personal_data
from tests.factories import (
    ApplicationFactory,
    CoordinatorFactory,
    SignupFactory,
    WhatsAppGroupFactory,
)
from wabp_portal.signed_links import InvalidLink, SupersededLink

pytestmark = pytest.mark.django_db

NEW_PHONE = "+32471987654"
NEW_EMAIL = "griet.nieuw@example.org"


def text(response) -> str:
    return html.unescape(response.content.decode())


def path_of(url: str) -> str:
    return urlsplit(url).path


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def phone(number: str) -> PhoneNumber:
    return PhoneNumber.from_string(number, region="BE")


def links_in(mail: Email) -> list[str]:
    return re.findall(r"https?://\S+?/(?=\s|$)", mail.message) + re.findall(
        r'href="(https?://[^"]+)"', mail.html_message
    )


def mails_to(address: str) -> list[Email]:
    return [mail for mail in Email.objects.order_by("pk") if address in mail.to]


@pytest.fixture
def member(open_group) -> Signup:
    CoordinatorFactory(
        zone=open_group.municipality.zone,
        groups=[open_group],
        email="coordinator@example.be",
    )
    return SignupFactory(
        group=open_group,
        status=SignupStatus.APPROVED,
        decided_at=timezone.now(),
        first_name="Griet",
        last_name="Vanhoudt",
        email="griet@example.be",
        phone="+32470551234",
    )


@pytest.fixture
def pending(open_group) -> Signup:
    return SignupFactory(
        group=open_group,
        first_name="Jan",
        email="jan@example.be",
        phone="+32470112233",
    )


@pytest.fixture
def unconfirmed(open_group) -> Signup:
    return SignupFactory(
        group=open_group, status=SignupStatus.UNCONFIRMED, confirmed_at=None
    )


def page_of(signup: Signup) -> str:
    return path_of(my_signup_link(signup))


def sub_page(signup: Signup, name: str) -> str:
    token = page_of(signup).rstrip("/").rsplit("/", 1)[-1]
    return reverse(f"registrations:my-signup-{name}", kwargs={"token": token})


# --- Services: the mobile number ------------------------------------------------


def test_a_member_changes_their_mobile_number(member, mailoutbox):
    services.change_phone(member, phone=phone(NEW_PHONE))

    member.refresh_from_db()
    assert member.phone == phone(NEW_PHONE)
    resident = mails_to("griet@example.be")
    assert len(resident) == 1
    assert "54." in resident[0].message  # the last two digits, nothing more
    assert NEW_PHONE not in resident[0].message
    assert "987654" not in resident[0].message


def test_a_members_coordinators_are_told_without_name_or_number(member):
    services.change_phone(member, phone=phone(NEW_PHONE))

    coordinator = mails_to("coordinator@example.be")
    assert len(coordinator) == 1
    mail = coordinator[0]
    for personal in ("Griet", "Vanhoudt", "987654", "551234", "griet@example.be"):
        assert personal not in mail.message + mail.html_message + mail.subject
    assert f"/admin/registrations/member/{member.pk}/" in mail.message


def test_coordinators_see_the_new_number_of_a_pending_signup_without_a_mail(
    pending, coordinator_user
):
    services.change_phone(pending, phone=phone(NEW_PHONE))

    assert Signup.objects.visible_to(coordinator_user).get(pk=pending.pk).phone == (
        phone(NEW_PHONE)
    )
    assert [mail.to for mail in Email.objects.all()] == [["jan@example.be"]]


def test_the_same_mobile_number_changes_nothing_and_mails_nobody(member):
    services.change_phone(member, phone=phone("0470 55 12 34"))

    assert not Email.objects.exists()


def test_a_number_another_open_signup_of_the_group_has_is_refused(member, pending):
    with pytest.raises(services.PhoneTaken):
        services.change_phone(pending, phone=member.phone)

    pending.refresh_from_db()
    assert pending.phone == phone("+32470112233")
    assert not Email.objects.exists()


def test_a_number_of_an_ended_signup_or_of_another_group_is_free(member, open_group):
    SignupFactory(
        group=open_group,
        status=SignupStatus.REJECTED,
        decided_at=timezone.now(),
        phone=NEW_PHONE,
    )
    SignupFactory(group=WhatsAppGroupFactory(), phone="+32471000001")

    services.change_phone(member, phone=phone(NEW_PHONE))
    services.change_phone(member, phone=phone("+32471000001"))

    member.refresh_from_db()
    assert member.phone == phone("+32471000001")


def test_an_application_is_refused_a_number_of_another_application_there(db):
    first = ApplicationFactory(phone="+32470000011")
    second = ApplicationFactory(municipality=first.municipality, phone="+32470000022")

    with pytest.raises(services.PhoneTaken):
        services.change_phone(second, phone=first.phone)


def test_an_invalid_number_is_refused_and_nothing_is_stored(member):
    with pytest.raises(ValidationError):
        services.change_phone(member, phone=PhoneNumber.from_string("+3212"))

    member.refresh_from_db()
    assert member.phone == phone("+32470551234")
    assert not Email.objects.exists()


@pytest.mark.parametrize(
    "status",
    [
        SignupStatus.UNCONFIRMED,
        SignupStatus.REJECTED,
        SignupStatus.LEFT,
        SignupStatus.REMOVED,
        SignupStatus.WITHDRAWN,
    ],
)
def test_details_change_only_between_confirmation_and_the_end(open_group, status):
    signup = SignupFactory(group=open_group, status=status, decided_at=timezone.now())

    with pytest.raises(services.DetailsNotChangeable):
        services.change_phone(signup, phone=phone(NEW_PHONE))
    with pytest.raises(services.DetailsNotChangeable):
        services.request_email_change(signup, email=NEW_EMAIL)
    assert not Email.objects.exists()


def test_an_accepted_applicant_changes_their_details_as_a_coordinator(db):
    applicant = ApplicationFactory(
        status=SignupStatus.APPROVED,
        group=WhatsAppGroupFactory(),
        decided_at=timezone.now(),
    )

    with pytest.raises(services.DetailsNotChangeable):
        services.change_phone(applicant, phone=phone(NEW_PHONE))


# --- Services: the e-mail address -----------------------------------------------


def test_a_new_address_waits_for_its_link_and_only_it_is_mailed(member):
    services.request_email_change(member, email=" Griet.Nieuw@Example.org ")

    member.refresh_from_db()
    assert member.email == "griet@example.be"
    assert member.pending_email == NEW_EMAIL
    assert member.pending_email_requested_at is not None
    [mail] = Email.objects.all()
    assert mail.to == [NEW_EMAIL]
    assert "/mijn-inschrijving/nieuw-e-mailadres/" in mail.message


def test_the_mail_to_an_unproven_address_opens_nothing_of_the_signup(member):
    services.request_email_change(member, email=NEW_EMAIL)

    [mail] = Email.objects.all()
    for link in links_in(mail):
        assert "/mijn-inschrijving/nieuw-e-mailadres/" in link
    assert "uitschrijven" not in mail.message + mail.html_message
    assert "griet@example.be" not in mail.message + mail.html_message


def test_no_link_carries_the_address(member):
    services.request_email_change(member, email=NEW_EMAIL)
    member.refresh_from_db()

    for link in [email_change_link(member), my_signup_link(member)]:
        token = link.rstrip("/").rsplit("/", 1)[-1]
        readable = signing.b64_decode(token.split(":")[0].encode()).decode()
        assert "griet" not in link + readable
        assert "example" not in link + readable


def test_an_invalid_address_is_refused_and_nothing_is_stored(member):
    with pytest.raises(ValidationError):
        services.request_email_change(member, email="griet@")

    member.refresh_from_db()
    assert member.pending_email == ""
    assert not Email.objects.exists()


def test_asking_for_the_current_address_withdraws_a_pending_change(member):
    services.request_email_change(member, email=NEW_EMAIL)
    link = token_of(email_change_link(Signup.objects.get(pk=member.pk)))

    services.request_email_change(member, email="griet@example.be")

    member.refresh_from_db()
    assert (member.pending_email, member.pending_email_requested_at) == ("", None)
    assert Email.objects.count() == 1
    with pytest.raises(SupersededLink):
        services.signup_from_email_change_link(link)
    with pytest.raises(ValueError):
        email_change_link(member)


def test_opening_the_link_moves_the_signup_to_the_new_address(member):
    services.request_email_change(member, email=NEW_EMAIL)
    member.refresh_from_db()
    Email.objects.all().delete()

    services.apply_email_change(member, email=NEW_EMAIL)

    member.refresh_from_db()
    assert member.email == NEW_EMAIL
    assert (member.pending_email, member.pending_email_requested_at) == ("", None)
    assert member.email_changed_at is not None
    [to_new] = mails_to(NEW_EMAIL)
    assert "/mijn-inschrijving/" in to_new.message
    assert "/aanmelden/uitschrijven/" in to_new.message


def test_the_previous_address_is_told_without_a_link_or_the_new_address(member):
    services.request_email_change(member, email=NEW_EMAIL)
    member.refresh_from_db()

    services.apply_email_change(member, email=NEW_EMAIL)

    [to_previous] = mails_to("griet@example.be")
    body = to_previous.message + to_previous.html_message + to_previous.subject
    assert "g•••@e•••.org" in body
    assert NEW_EMAIL not in body
    assert "griet.nieuw" not in body
    assert links_in(to_previous) == []


def test_a_link_for_another_address_than_the_waiting_one_changes_nothing(member):
    services.request_email_change(member, email=NEW_EMAIL)
    member.refresh_from_db()

    with pytest.raises(services.EmailChangeSuperseded):
        services.apply_email_change(member, email="iemand.anders@example.org")
    member.refresh_from_db()
    assert member.email == "griet@example.be"


def test_a_used_change_cannot_be_applied_twice(member):
    services.request_email_change(member, email=NEW_EMAIL)
    member.refresh_from_db()
    services.apply_email_change(member, email=NEW_EMAIL)

    with pytest.raises(services.EmailChangeSuperseded):
        services.apply_email_change(member, email=NEW_EMAIL)


def test_masked_address_keeps_a_hint_only():
    assert notifications.masked_address("jan.peeters@example.org") == "j•••@e•••.org"
    assert notifications.masked_address("x@localhost") == "x•••@l•••"


def test_withdrawing_after_a_change_forgets_the_mails_to_every_address(member):
    services.request_email_change(member, email=NEW_EMAIL)
    member.refresh_from_db()
    services.apply_email_change(member, email=NEW_EMAIL)
    services.request_email_change(member, email="nog.een@example.org")
    assert mails_to("griet@example.be")

    services.withdraw_signup(Signup.objects.get(pk=member.pk))

    member.refresh_from_db()
    assert (member.email, member.pending_email) == ("", "")
    assert member.pending_email_requested_at is None
    for address in ("griet@example.be", NEW_EMAIL, "nog.een@example.org"):
        assert mails_to(address) == []


# --- Services: reading the links --------------------------------------------------


def test_an_earlier_change_link_dies_with_a_later_request_for_the_same_address(
    member,
):
    services.request_email_change(member, email=NEW_EMAIL)
    first = token_of(email_change_link(Signup.objects.get(pk=member.pk)))
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        services.request_email_change(member, email=NEW_EMAIL)
    second = token_of(email_change_link(Signup.objects.get(pk=member.pk)))

    with pytest.raises(SupersededLink):
        services.signup_from_email_change_link(first)
    assert services.signup_from_email_change_link(second) == member


def test_a_change_link_expires_with_the_confirmation_time(member):
    services.request_email_change(member, email=NEW_EMAIL)
    token = token_of(email_change_link(Signup.objects.get(pk=member.pk)))

    with time_machine.travel(timezone.now() + timedelta(hours=48, minutes=1)):
        with pytest.raises(InvalidLink) as error:
            services.signup_from_email_change_link(token)
    assert not isinstance(error.value, SupersededLink)


def test_a_page_link_made_for_another_purpose_cannot_change_the_address(member):
    services.request_email_change(member, email=NEW_EMAIL)
    page_token = token_of(my_signup_link(member))

    with pytest.raises(InvalidLink):
        services.signup_from_email_change_link(page_token)


@pytest.mark.parametrize(
    ("salt", "make"),
    [
        (MY_SIGNUP_SALT, my_signup_link),
        (WITHDRAW_SALT, withdrawal_link),
        (REACCEPT_SALT, reacceptance_link),
    ],
    ids=["page", "withdraw", "reaccept"],
)
def test_every_link_to_the_old_address_dies_when_the_address_changes(
    member, salt, make
):
    old = token_of(make(member))
    legacy = signing.dumps(member.pk, salt=salt)  # mailed before links were bound
    assert services.signup_from_link(old, salt=salt, max_age=None) == member
    assert services.signup_from_link(legacy, salt=salt, max_age=None) == member

    services.request_email_change(member, email=NEW_EMAIL)
    services.apply_email_change(Signup.objects.get(pk=member.pk), email=NEW_EMAIL)

    for token in (old, legacy):
        with pytest.raises(SupersededLink):
            services.signup_from_link(token, salt=salt, max_age=None)
    new = token_of(make(Signup.objects.get(pk=member.pk)))
    assert services.signup_from_link(new, salt=salt, max_age=None) == member


def test_a_confirmation_link_is_bound_to_the_address_too(unconfirmed):
    token = token_of(confirmation_link(unconfirmed))

    assert (
        services.signup_from_link(token, salt=CONFIRM_SALT, max_age=timedelta(hours=1))
        == unconfirmed
    )
    Signup.objects.filter(pk=unconfirmed.pk).update(email="ander@example.org")
    with pytest.raises(SupersededLink):
        services.signup_from_link(token, salt=CONFIRM_SALT, max_age=timedelta(hours=1))


def test_the_links_of_a_withdrawn_signup_still_say_what_became_of_it(member):
    token = token_of(my_signup_link(member))
    services.withdraw_signup(member)

    assert services.signup_from_link(token, salt=MY_SIGNUP_SALT, max_age=None) == (
        member
    )


# --- Every mail to a resident links to their page ----------------------------------


@pytest.mark.parametrize(
    ("status", "template"),
    [
        (SignupStatus.APPROVED, "signup_approved"),
        (SignupStatus.REJECTED, "signup_rejected"),
        (SignupStatus.LEFT, "member_left"),
        (SignupStatus.REMOVED, "member_removed"),
        (SignupStatus.PENDING, "signup_moved"),
    ],
)
def test_every_decision_mail_links_to_the_residents_page(open_group, status, template):
    signup = SignupFactory(group=open_group, status=status, decided_at=timezone.now())

    # A signed link holds the second it was made in: the clock stands still.
    with time_machine.travel(timezone.now(), tick=False):
        notifications.send_decision(signup, template, previous_group=open_group)
        link = my_signup_link(signup)

    [mail] = Email.objects.all()
    assert link in mail.message
    assert link in mail.html_message


def test_the_confirmation_duplicate_and_house_rules_mails_link_to_the_page(
    unconfirmed, member, rules
):
    notifications.send_confirmation_request(unconfirmed)
    notifications.send_duplicate_notice(unconfirmed)
    notifications.send_reacceptance_request(member, rules)
    notifications.send_decision(
        ApplicationFactory(status=SignupStatus.APPROVED, decided_at=timezone.now()),
        "application_approved",
    )

    for mail in Email.objects.all():
        assert "/mijn-inschrijving/" in mail.message, mail.subject
        assert "/mijn-inschrijving/" in mail.html_message, mail.subject


def test_every_resident_mail_template_links_to_the_page_or_says_why_not():
    """A mail about a signup added later must link to the page too."""
    folder = Path(settings.BASE_DIR) / "templates/registrations/email"
    to_coordinators_or_staff = {
        "member_withdrew",
        "member_phone_changed",
        "new_group_application",
        "new_signup",
    }
    # The two mails to an address that is not (or no longer) the signup's.
    without_link = {"email_change_confirm", "email_changed_previous"}
    checked = set()
    for body in folder.glob("*.txt"):
        name = body.name.removesuffix(".txt")
        source = body.read_text()
        about_a_signup = re.search(r"\bsignup\.", source)
        if name.startswith("_") or name.endswith(".subject") or not about_a_signup:
            continue
        if name in to_coordinators_or_staff | without_link:
            continue
        for part in (body, body.with_suffix(".html")):
            text = part.read_text()
            # The _withdraw footer includes _my_signup.
            assert "_my_signup" in text or "_withdraw" in text, part.name
        checked.add(name)
    assert {"confirm_signup", "signup_approved", "phone_changed"} <= checked


# --- The page ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (SignupStatus.UNCONFIRMED, "We wachten tot je je e-mailadres bevestigt"),
        (SignupStatus.PENDING, "Wacht op de coördinator"),
        (SignupStatus.APPROVED, "Lid van "),
        (SignupStatus.REJECTED, "Niet aanvaard"),
        (SignupStatus.LEFT, "Je hebt de groep verlaten"),
        (SignupStatus.REMOVED, "Verwijderd uit de groep"),
    ],
)
def test_the_page_says_where_the_signup_stands_in_plain_words(
    client, open_group, status, words
):
    signup = SignupFactory(
        group=open_group,
        status=status,
        decided_at=timezone.now(),
        first_name="Griet",
        email="griet@example.be",
    )

    response = client.get(page_of(signup))

    assert response.status_code == HTTPStatus.OK
    page = text(response)
    assert words in page
    assert open_group.name in page
    assert "griet@example.be" in page
    assert str(signup.phone.as_international) in page


def test_an_application_waits_for_the_police_zone(client, db):
    application = ApplicationFactory()

    page = text(client.get(page_of(application)))

    assert "Wacht op de politiezone" in page
    assert application.proposed_group_name in page


def test_a_withdrawn_signups_link_says_so_without_an_error(client, member):
    link = page_of(member)
    services.withdraw_signup(member)

    response = client.get(link)

    assert response.status_code == HTTPStatus.OK
    assert "Je hebt deze inschrijving ingetrokken. Je gegevens zijn gewist." in (
        text(response)
    )
    for name in ("phone", "email", "withdraw"):
        assert client.get(sub_page(member, name)).status_code == HTTPStatus.OK


def test_an_erased_signups_link_says_so_without_an_error(client, open_group):
    signup = SignupFactory(
        group=open_group, status=SignupStatus.REJECTED, decided_at=timezone.now()
    )
    link = page_of(signup)
    erase_signup_data(signup, now=timezone.now())

    response = client.get(link)

    assert response.status_code == HTTPStatus.OK
    assert "je gegevens zijn gewist" in text(response)


def test_the_page_shows_only_its_own_signup(client, member, pending):
    page = text(client.get(page_of(member)))

    assert "Griet" in page
    assert "jan@example.be" not in page
    assert str(pending.phone.as_international) not in page


def test_opening_the_page_and_its_forms_changes_nothing(client, member):
    before = Signup.objects.values().get(pk=member.pk)

    for url in [page_of(member)] + [
        sub_page(member, name) for name in ("phone", "email", "withdraw")
    ]:
        assert client.get(url).status_code == HTTPStatus.OK

    assert Signup.objects.values().get(pk=member.pk) == before
    assert not Email.objects.exists()


@pytest.mark.parametrize(
    "token",
    ["niet-geldig", "1:abc:def", "Wzk5OTk5OSwiYWJjIl0:1tXvZl:bad", "%C2%B2"],
)
@pytest.mark.parametrize("name", ["my-signup", "phone", "email", "withdraw"])
def test_a_made_up_or_tampered_link_is_refused_with_a_clear_page(
    client, member, token, name
):
    route = "registrations:my-signup" + ("" if name == "my-signup" else f"-{name}")
    url = reverse(route, kwargs={"token": token})

    for method in ("get", "post"):
        response = getattr(client, method)(url, {"phone": NEW_PHONE})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "Deze link is niet geldig." in text(response)
    member.refresh_from_db()
    assert member.phone == phone("+32470551234")
    assert member.status == SignupStatus.APPROVED


def test_a_link_of_one_signup_with_another_signups_number_is_refused(
    client, member, pending
):
    mine = token_of(my_signup_link(member))
    theirs = signing.dumps(pending.pk, salt=MY_SIGNUP_SALT)
    forged = theirs.split(":")[0] + mine[mine.index(":") :]

    response = client.get(reverse("registrations:my-signup", args=[forged]))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "jan@example.be" not in text(response)


def test_the_page_speaks_french_to_a_french_browser(client, member):
    page = text(client.get(page_of(member), HTTP_ACCEPT_LANGUAGE="fr"))

    assert "Votre inscription" in page
    assert "Membre de" in page


# --- The page: change the mobile number -------------------------------------------


def test_a_new_mobile_number_is_stored_from_the_page(client, member, time_machine):
    # The page's link is signed with the time: the clock stands still, so the
    # one made here is the one the view gave, even across a second's tick.
    time_machine.move_to(timezone.now(), tick=False)
    response = client.post(sub_page(member, "phone"), {"phone": "0471 98 76 54"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == page_of(member)
    member.refresh_from_db()
    assert member.phone == phone(NEW_PHONE)
    page = text(client.get(response["Location"]))
    assert "Je gsm-nummer is gewijzigd." in page
    assert "+32 471 98 76 54" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("011 12 34 56", "Dit is geen gsm-nummer"),
        ("abc", "Vul een geldig gsm-nummer in"),
        ("", "Dit veld is verplicht"),
        ("0470 55 12 34", "Dit is al je gsm-nummer."),
    ],
)
def test_a_bad_mobile_number_gets_a_clear_message_and_stores_nothing(
    client, member, typed, message
):
    response = client.post(sub_page(member, "phone"), {"phone": typed})

    assert response.status_code == HTTPStatus.OK
    assert message in text(response)
    member.refresh_from_db()
    assert member.phone == phone("+32470551234")
    assert not Email.objects.exists()


def test_the_number_of_someone_else_in_the_group_is_refused_on_the_page(
    client, member, pending
):
    response = client.post(sub_page(pending, "phone"), {"phone": "0470 55 12 34"})

    assert response.status_code == HTTPStatus.OK
    assert "Een andere inschrijving voor deze groep heeft dit gsm-nummer al." in (
        text(response)
    )
    pending.refresh_from_db()
    assert pending.phone == phone("+32470112233")


def test_a_change_without_the_forms_csrf_token_is_refused(member):
    client = Client(enforce_csrf_checks=True)

    response = client.post(sub_page(member, "phone"), {"phone": "0471 98 76 54"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    member.refresh_from_db()
    assert member.phone == phone("+32470551234")


def test_an_unconfirmed_signup_confirms_before_changing(
    client, unconfirmed, time_machine
):
    # The page's link is signed with the time: the clock stands still, so the
    # one made here is the one the view gave, even across a second's tick.
    time_machine.move_to(timezone.now(), tick=False)
    page = text(client.get(page_of(unconfirmed)))
    assert "Zodra je je inschrijving bevestigd hebt" in page
    assert sub_page(unconfirmed, "phone") not in page

    assert client.get(sub_page(unconfirmed, "phone"))["Location"] == (
        page_of(unconfirmed)
    )
    response = client.post(
        sub_page(unconfirmed, "phone"), {"phone": "0471 98 76 54"}, follow=True
    )

    assert "Er is niets gewijzigd" in text(response)
    unconfirmed.refresh_from_db()
    assert unconfirmed.phone != phone(NEW_PHONE)


def test_an_ended_signup_has_nothing_to_change(client, open_group):
    left = SignupFactory(
        group=open_group, status=SignupStatus.LEFT, decided_at=timezone.now()
    )

    page = text(client.get(page_of(left)))

    assert "Je inschrijving is beëindigd: er valt niets te wijzigen." in page
    assert "Wis mijn gegevens nu" in page
    response = client.post(sub_page(left, "email"), {"email": NEW_EMAIL})
    assert response.status_code == HTTPStatus.FOUND
    left.refresh_from_db()
    assert left.pending_email == ""


def test_too_many_changes_from_one_address_get_the_429_page(client, member, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "own-details": (2, 3600)}
    for number in ("0471 00 00 01", "0471 00 00 02"):
        client.post(sub_page(member, "phone"), {"phone": number})

    response = client.post(sub_page(member, "phone"), {"phone": "0471 98 76 54"})

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    member.refresh_from_db()
    assert member.phone == phone("+32471000002")


# --- The page: change the e-mail address -----------------------------------------


def ask_for_new_address(client, signup: Signup, address: str = NEW_EMAIL) -> str:
    """Ask on the page; return the path of the link mailed to the new address."""
    response = client.post(sub_page(signup, "email"), {"email": address})
    assert response.status_code == HTTPStatus.FOUND, text(response)
    mail = mails_to(address)[-1]
    match = re.search(
        r"https?://\S+?(/mijn-inschrijving/nieuw-e-mailadres/\S+?/)", mail.message
    )
    assert match
    return match.group(1)


def test_a_new_address_is_asked_on_the_page_and_shown_as_waiting(client, member):
    ask_for_new_address(client, member)

    page = text(client.get(page_of(member)))
    assert "We stuurden een link naar je nieuwe e-mailadres." in page
    assert f"Wacht op bevestiging: {NEW_EMAIL}." in page
    member.refresh_from_db()
    assert member.email == "griet@example.be"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("griet@", "Voer een geldig e-mailadres in."),
        ("", "Dit veld is verplicht"),
        ("GRIET@example.be", "Dit is al je e-mailadres."),
        (
            "a" * 250 + "@example.be",
            "niet meer dan 254 tekens",
        ),
    ],
)
def test_a_bad_address_gets_a_clear_message_and_stores_nothing(
    client, member, typed, message
):
    response = client.post(sub_page(member, "email"), {"email": typed})

    assert response.status_code == HTTPStatus.OK
    assert message in text(response)
    member.refresh_from_db()
    assert member.pending_email == ""
    assert not Email.objects.exists()


def test_the_link_to_the_new_address_asks_first_and_changes_nothing(client, member):
    link = ask_for_new_address(client, member)

    response = client.get(link)

    assert response.status_code == HTTPStatus.OK
    page = text(response)
    assert f"Je staat op het punt {NEW_EMAIL} te gebruiken" in page
    assert re.search(r'<form method="post"', page)
    member.refresh_from_db()
    assert member.email == "griet@example.be"


def test_the_link_to_the_new_address_moves_the_signup_there(
    client, member, time_machine
):
    # The page's link is signed with the time: the clock stands still, so the
    # one made here is the one the view gave, even across a second's tick.
    time_machine.move_to(timezone.now(), tick=False)
    old_page = page_of(member)
    link = ask_for_new_address(client, member)

    response = client.post(link)

    assert response.status_code == HTTPStatus.FOUND
    member.refresh_from_db()
    assert member.email == NEW_EMAIL
    assert response["Location"] == page_of(member) != old_page
    page = text(client.get(response["Location"]))
    assert "Je e-mailadres is gewijzigd." in page
    assert NEW_EMAIL in page


def test_whoever_reads_the_old_mailbox_holds_dead_links(client, member):
    """The anti-takeover case: the old address's links open nothing any more."""
    old_links = [
        page_of(member),
        sub_page(member, "phone"),
        sub_page(member, "email"),
        sub_page(member, "withdraw"),
        path_of(withdrawal_link(member)),
        reverse(
            "registrations:signup-withdraw",
            args=[signing.dumps(member.pk, salt=WITHDRAW_SALT)],
        ),
        path_of(reacceptance_link(member)),
    ]
    client.post(ask_for_new_address(client, member))

    for link in old_links:
        for method in ("get", "post"):
            response = getattr(client, method)(
                link, {"phone": "0471 00 00 09", "email": "dief@example.org"}
            )
            assert response.status_code == HTTPStatus.BAD_REQUEST, link
            page = text(response)
            assert "niet meer gebruikt" in page, link
            assert NEW_EMAIL not in page
    member.refresh_from_db()
    assert member.status == SignupStatus.APPROVED
    assert member.phone == phone("+32470551234")
    assert (member.email, member.pending_email) == (NEW_EMAIL, "")


def test_the_old_mailbox_cannot_take_the_signup_back(client, member):
    """Even with a link of its own from before the change."""
    old_email_page = sub_page(member, "email")
    client.post(ask_for_new_address(client, member))

    response = client.post(old_email_page, {"email": "griet@example.be"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    member.refresh_from_db()
    assert member.pending_email == ""
    assert mails_to("griet@example.be")[-1].subject.startswith("Je e-mailadres")


def test_an_earlier_change_link_is_refused_after_a_later_request(client, member):
    first = ask_for_new_address(client, member)
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        second = ask_for_new_address(client, member, "ander.adres@example.org")

    response = client.post(first)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "je vroeg daarna een andere wijziging aan" in text(response)
    member.refresh_from_db()
    assert member.email == "griet@example.be"
    assert client.post(second).status_code == HTTPStatus.FOUND
    member.refresh_from_db()
    assert member.email == "ander.adres@example.org"


def test_a_change_link_used_twice_changes_nothing_the_second_time(client, member):
    link = ask_for_new_address(client, member)
    client.post(link)

    response = client.post(link)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert mails_to(NEW_EMAIL)[-1].subject.startswith("Je e-mailadres")
    assert len(mails_to(NEW_EMAIL)) == 2  # the link, then "changed"


def test_an_expired_change_link_says_so(client, member):
    link = ask_for_new_address(client, member)

    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        response = client.post(link)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "verlopen" in text(response)
    member.refresh_from_db()
    assert member.email == "griet@example.be"


def test_a_tampered_change_link_is_refused(client, member):
    link = ask_for_new_address(client, member)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    tampered = link.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))

    for method in ("get", "post"):
        response = getattr(client, method)(tampered)
        assert response.status_code == HTTPStatus.BAD_REQUEST
    member.refresh_from_db()
    assert member.email == "griet@example.be"


def test_a_change_link_of_a_withdrawn_signup_says_so(client, member):
    link = ask_for_new_address(client, member)
    services.withdraw_signup(Signup.objects.get(pk=member.pk))

    response = client.post(link)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Deze inschrijving werd ingetrokken." in text(response)


def test_a_change_link_after_the_membership_ended_changes_nothing(client, member):
    link = ask_for_new_address(client, member)
    Signup.objects.filter(pk=member.pk).update(status=SignupStatus.LEFT)

    response = client.post(link)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    member.refresh_from_db()
    assert member.email == "griet@example.be"


# --- The page: withdraw -------------------------------------------------------------


def test_withdrawing_from_the_page_asks_first(client, member, time_machine):
    # The page's link is signed with the time: the clock stands still, so the
    # one made here is the one the view gave, even across a second's tick.
    time_machine.move_to(timezone.now(), tick=False)
    response = client.get(sub_page(member, "withdraw"))

    assert response.status_code == HTTPStatus.OK
    page = text(response)
    assert "Schrijf me uit en wis mijn gegevens" in page
    assert f'href="{page_of(member)}"' in page  # "cancel" goes back to the page
    member.refresh_from_db()
    assert member.status == SignupStatus.APPROVED


def test_withdrawing_from_the_page_erases_the_signup(client, member):
    response = client.post(sub_page(member, "withdraw"))

    assert response["Location"] == reverse("registrations:signup-withdrawn")
    member.refresh_from_db()
    assert member.status == SignupStatus.WITHDRAWN
    assert (member.first_name, member.email) == ("", "")
    # The coordinators are told, as from the withdrawal link.
    assert mails_to("coordinator@example.be")


def test_erasing_an_ended_signup_from_the_page(client, open_group):
    rejected = SignupFactory(
        group=open_group,
        status=SignupStatus.REJECTED,
        decided_at=timezone.now(),
        role=SignupRole.PARTICIPANT,
    )

    client.post(sub_page(rejected, "withdraw"))

    rejected.refresh_from_db()
    assert rejected.status == SignupStatus.WITHDRAWN
    assert rejected.first_name == ""


# --- The addresses in the privacy rules ---------------------------------------------


def test_a_new_address_nobody_confirmed_is_forgotten_when_its_link_expires(member):
    services.request_email_change(member, email=NEW_EMAIL)

    with time_machine.travel(timezone.now() + timedelta(hours=47)):
        early = purge_personal_data()
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        late = purge_personal_data()
        again = purge_personal_data()

    assert (early.pending_emails_forgotten, late.pending_emails_forgotten) == (0, 1)
    assert again.pending_emails_forgotten == 0
    member.refresh_from_db()
    assert (member.email, member.pending_email) == ("griet@example.be", "")
    assert member.pending_email_requested_at is None


def test_staff_find_a_resident_by_the_address_waiting_for_confirmation(
    member, zone_staff
):
    services.request_email_change(member, email=NEW_EMAIL)

    data = find_person(PersonQuery(email=NEW_EMAIL), by=zone_staff)

    assert data.signups == [member]
    assert [mail.to for mail in data.mails] == [[NEW_EMAIL]]


def test_an_access_request_shows_the_address_waiting_and_when_it_changed(
    member, zone_staff
):
    services.request_email_change(member, email=NEW_EMAIL)
    services.apply_email_change(Signup.objects.get(pk=member.pk), email=NEW_EMAIL)
    services.request_email_change(member, email="nog.een@example.org")

    _record, export = export_person(PersonQuery(email=NEW_EMAIL), by=zone_staff)

    [signup] = export["signups"]
    assert signup["email"] == NEW_EMAIL
    assert signup["new_email_waiting_for_confirmation"] == "nog.een@example.org"
    assert signup["email_changed_at"] is not None


def test_erasing_a_resident_takes_the_mails_to_every_address_they_had(
    member, zone_staff
):
    services.request_email_change(member, email=NEW_EMAIL)
    services.apply_email_change(Signup.objects.get(pk=member.pk), email=NEW_EMAIL)
    services.request_email_change(member, email="nog.een@example.org")
    # A mail to the old address about someone else: a household's partner.
    partner = SignupFactory(group=member.group, email="griet@example.be")
    notifications.send_confirmation_request(partner)

    erase_person(PersonQuery(email=NEW_EMAIL), by=zone_staff)

    for address in (NEW_EMAIL, "nog.een@example.org"):
        assert mails_to(address) == []
    assert [
        mail.headers[notifications.SIGNUP_HEADER]
        for mail in mails_to("griet@example.be")
    ] == [str(partner.pk)]
    member.refresh_from_db()
    assert (member.email, member.pending_email) == ("", "")


def test_an_address_change_is_audited_and_shown_to_staff_without_the_address(
    client, member, zone_staff, settings
):
    settings.TWO_FACTOR_REQUIRED = False
    services.request_email_change(member, email=NEW_EMAIL)
    services.apply_email_change(Signup.objects.get(pk=member.pk), email=NEW_EMAIL)

    entries = LogEntry.objects.get_for_object(member).order_by("pk")
    assert "email_changed_at" in entries.last().changes_dict
    logged = json.dumps([entry.changes_dict for entry in entries])
    assert "griet" not in logged.lower()
    client.force_login(zone_staff)
    page = text(
        client.get(reverse("admin:registrations_member_change", args=[member.pk]))
    )
    assert "E-mailadres gewijzigd op" in page
