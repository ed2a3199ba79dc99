"""The waiting list for a group: "tell me when my street gets a group".

A resident whose street no published group covers leaves an e-mail address,
confirms it through a signed link, and is mailed once, in their language,
when a published group covers their street (and house number, if given).
The page looks the same whether or not the address was on the list already;
bad input gets a message and stores nothing; every mail has a link to leave;
the retention purge and an erasure request remove the entries; police-zone
staff see their zone's entries and the demand per street, nobody else does.
"""

import html
import re
from datetime import timedelta
from http import HTTPStatus
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from phonenumber_field.phonenumber import PhoneNumber
from post_office.models import Email

from groups.constants import NumberParity
from groups.services import add_zone_staff
from registrations import notifications, services
from registrations.models import PrivacyRequest, WaitingListEntry
from registrations.services import privacy
from registrations.services.retention import purge_personal_data
from registrations.services.waiting_list import (
    WaitingListRequest,
    entry_from_confirmation_link,
)
from tests.concurrency import at_once
from tests.factories import (
    MunicipalityFactory,
    PoliceZoneFactory,
    RegionStreetFactory,
    SignupFactory,
    StreetFactory,
    UserFactory,
    WaitingListEntryFactory,
    WhatsAppGroupFactory,
)
from wabp_portal.signed_links import InvalidLink

pytestmark = pytest.mark.django_db

FORM_URL = reverse("registrations:waiting-list")
SENT_URL = reverse("registrations:waiting-list-sent")
FROM_FINDER_URL = reverse("registrations:waiting-list-from-finder")
EMAIL = "an.peeters@example.be"


def text(response) -> str:
    return html.unescape(response.content.decode())


def path_of(url: str) -> str:
    return urlsplit(url).path


def mail_link(mail: Email, route: str) -> str:
    match = re.search(rf"https?://\S+?(/{route}/\S+?/)\s", mail.message)
    assert match, f"no /{route}/ link in the mail"
    return match.group(1)


def links_in(mail: Email) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", f"{mail.message}\n{mail.html_message}")


@pytest.fixture
def municipality(group):
    """The municipality of ``group`` (a published group with a region)."""
    return group.municipality


@pytest.fixture
def street(municipality):
    """A street of the municipality that no group covers."""
    return StreetFactory(municipality=municipality, name="Motstraat")


def cover(street, group, **numbers):
    """Let ``group``'s region cover ``street`` (or part of it)."""
    return RegionStreetFactory(region=group.region, street=street, **numbers)


def join(municipality, street_name="Motstraat", **overrides):
    values = {
        "municipality": municipality,
        "street_name": street_name,
        "email": EMAIL,
        "language": "nl",
        "house_number": "",
        **overrides,
    }
    return services.join_waiting_list(WaitingListRequest(**values))


def form(place, **overrides) -> dict:
    data = {
        "municipality": place.pk,
        "street_name": "Motstraat",
        "house_number": "12",
        "email": EMAIL,
        "accept_privacy": "on",
        "website": "",
        **overrides,
    }
    return {key: value for key, value in data.items() if value is not None}


# --- the model ------------------------------------------------------------------


def test_full_clean_refuses_a_street_name_without_letters_or_digits(municipality):
    entry = WaitingListEntry(municipality=municipality, street_name="!!!", email=EMAIL)

    with pytest.raises(ValidationError) as refused:
        entry.full_clean()

    assert "street_name" in refused.value.message_dict


def test_full_clean_refuses_a_bad_email_address_and_a_street_elsewhere(municipality):
    elsewhere = StreetFactory()
    entry = WaitingListEntry(
        municipality=municipality,
        street=elsewhere,
        street_name=elsewhere.name,
        email="not an address",
    )

    with pytest.raises(ValidationError) as refused:
        entry.full_clean()

    assert {"email", "street"} <= set(refused.value.message_dict)


def test_full_clean_derives_the_search_key(municipality):
    entry = WaitingListEntry(
        municipality=municipality, street_name="Oude Stwg.", email=EMAIL
    )
    entry.full_clean()
    assert entry.street_key == "oudesteenweg"


def test_one_open_entry_per_address_and_street_in_the_database(street):
    WaitingListEntryFactory(street=street, email=EMAIL)

    with pytest.raises(IntegrityError), transaction.atomic():
        WaitingListEntryFactory(street=street, email=EMAIL)


def test_a_resident_told_of_a_group_may_wait_again(street):
    WaitingListEntryFactory(street=street, email=EMAIL, notified_at=timezone.now())
    WaitingListEntryFactory(street=street, email=EMAIL)

    assert WaitingListEntry.objects.filter(email=EMAIL).count() == 2


def test_an_entry_is_told_only_once_confirmed_in_the_database(street):
    with pytest.raises(IntegrityError), transaction.atomic():
        WaitingListEntryFactory(
            street=street, confirmed_at=None, notified_at=timezone.now()
        )


def test_an_entry_is_described_by_its_number_never_its_address(street):
    entry = WaitingListEntryFactory(street=street, email=EMAIL)
    assert EMAIL not in str(entry)
    assert "Motstraat" not in str(entry)
    assert str(entry.pk) in str(entry)


# --- joining, confirming, leaving -------------------------------------------------


def test_joining_stores_an_unconfirmed_entry_and_mails_the_link(street, municipality):
    entry, created = join(municipality, "MOTSTRAAT", email=" An.Peeters@Example.be ")

    assert created
    assert entry.confirmed_at is None
    assert entry.email == EMAIL
    assert entry.street == street
    assert entry.street_name == "Motstraat"  # as the portal knows it
    [mail] = Email.objects.all()
    assert mail.to == [EMAIL]
    assert "/wachtlijst/bevestigen/" in mail.message
    assert "/wachtlijst/uitschrijven/" in mail.message
    assert "Motstraat" in mail.message
    assert mail.headers[notifications.WAITING_LIST_HEADER] == str(entry.pk)


def test_a_street_the_portal_does_not_know_is_kept_as_typed(municipality):
    entry, created = join(municipality, "Nieuwe  Verkaveling")

    assert created
    assert entry.street is None
    assert entry.street_name == "Nieuwe  Verkaveling"
    assert entry.street_key == "nieuweverkaveling"


def test_joining_twice_stores_one_entry_and_tells_the_address(street, municipality):
    first, _ = join(municipality)
    again, created = join(municipality, "motstr.")

    assert not created
    assert again == first
    assert WaitingListEntry.objects.count() == 1
    confirmation, reminder = Email.objects.order_by("pk")
    assert reminder.to == [EMAIL]
    assert reminder.subject == "Je staat al op de wachtlijst"
    # Not confirmed yet: the reminder carries the confirmation link again.
    assert "/wachtlijst/bevestigen/" in reminder.message


def test_joining_again_once_confirmed_sends_no_confirmation_link(street, municipality):
    WaitingListEntryFactory(street=street, email=EMAIL)

    _entry, created = join(municipality)

    assert not created
    [reminder] = Email.objects.all()
    assert "/wachtlijst/bevestigen/" not in reminder.message
    assert "/wachtlijst/uitschrijven/" in reminder.message


def test_a_street_with_a_group_is_not_put_on_the_list(street, municipality, group):
    cover(street, group)

    with pytest.raises(services.StreetHasGroup) as covered:
        join(municipality)

    assert covered.value.groups == [group]
    assert not WaitingListEntry.objects.exists()
    assert not Email.objects.exists()


def test_a_number_outside_the_groups_part_of_the_street_may_wait(
    street, municipality, group
):
    cover(street, group, number_from=1, number_to=50)

    entry, created = join(municipality, house_number="80")

    assert created and entry.house_number == "80"


def test_confirming_makes_the_entry_count_once(street, municipality):
    entry, _ = join(municipality)

    confirmed, first = services.confirm_waiting_list_entry(entry)
    again, second = services.confirm_waiting_list_entry(entry)

    assert first and not second
    assert confirmed.confirmed_at is not None
    assert again.confirmed_at == confirmed.confirmed_at
    assert list(WaitingListEntry.objects.waiting()) == [entry]


def test_leaving_deletes_the_entry_and_its_mail_only(street, municipality, group):
    # A household: the same mailbox has a signup, whose mail stays.
    signup = SignupFactory(group=group, email=EMAIL)
    notifications.send_confirmation_request(signup)
    entry, _ = join(municipality)

    services.leave_waiting_list(entry)
    services.leave_waiting_list(entry)  # a second tab: nothing left to do

    assert not WaitingListEntry.objects.exists()
    [kept] = Email.objects.all()
    assert kept.headers[notifications.SIGNUP_HEADER] == str(signup.pk)


def test_withdrawing_a_signup_keeps_the_waiting_lists_mail(street, municipality, group):
    signup = SignupFactory(group=group, email=EMAIL)
    entry, _ = join(municipality)

    services.withdraw_signup(signup)

    [kept] = Email.objects.all()
    assert kept.headers[notifications.WAITING_LIST_HEADER] == str(entry.pk)


# --- telling the residents ----------------------------------------------------------


def test_a_confirmed_resident_is_told_once_when_a_group_covers_the_street(
    street, group
):
    waiting = WaitingListEntryFactory(street=street, email=EMAIL)
    unconfirmed = WaitingListEntryFactory(street=street, confirmed_at=None)
    assert services.notify_waiting_list() == 0
    cover(street, group)

    told = services.notify_waiting_list()
    again = services.notify_waiting_list()

    assert (told, again) == (1, 0)
    waiting.refresh_from_db()
    unconfirmed.refresh_from_db()
    assert waiting.notified_at is not None
    assert unconfirmed.notified_at is None
    [mail] = Email.objects.all()
    assert mail.to == [EMAIL]
    assert mail.subject == "Je straat heeft nu een buurtpreventiegroep"
    assert group.name in mail.message
    assert f"/aanmelden/?groep={group.pk}" in mail.message
    assert "/wachtlijst/uitschrijven/" in mail.message


def test_the_resident_is_told_in_their_own_language(street, group):
    WaitingListEntryFactory(street=street, email=EMAIL, language="fr")
    WaitingListEntryFactory(street=street, email="jo@example.be", language="en")
    cover(street, group)

    services.notify_waiting_list()

    subjects = {mail.to[0]: mail.subject for mail in Email.objects.all()}
    assert subjects == {
        EMAIL: "Votre rue a maintenant un groupe de prévention de quartier",
        "jo@example.be": "Your street now has a neighbourhood watch group",
    }


def test_a_house_number_outside_the_groups_part_is_not_told(street, group):
    inside = WaitingListEntryFactory(street=street, house_number="12")
    outside = WaitingListEntryFactory(street=street, house_number="13")
    anywhere = WaitingListEntryFactory(street=street, house_number="")
    cover(street, group, parity=NumberParity.EVEN)

    assert services.notify_waiting_list() == 2

    told = set(WaitingListEntry.objects.notified())
    assert told == {inside, anywhere}
    assert outside not in told


def test_a_street_added_later_is_found_by_its_name(municipality, group):
    entry, _ = join(municipality, "Nieuwe Verkaveling")
    services.confirm_waiting_list_entry(entry)
    Email.objects.all().delete()
    street = StreetFactory(municipality=municipality, name="Nieuwe verkaveling")
    cover(street, group)

    assert services.notify_waiting_list() == 1
    assert Email.objects.get().to == [EMAIL]


@pytest.mark.parametrize("change", [{"is_public": False}, {"is_active": False}])
def test_a_group_residents_cannot_join_tells_nobody(street, change):
    hidden = WhatsAppGroupFactory(municipality=street.municipality, **change)
    WaitingListEntryFactory(street=street)
    cover(street, hidden)

    assert services.notify_waiting_list() == 0
    assert not Email.objects.exists()


def test_the_mail_names_every_group_of_a_split_street(street, group):
    other = WhatsAppGroupFactory(municipality=street.municipality)
    cover(street, group, number_from=1, number_to=50)
    cover(street, other, number_from=51)
    WaitingListEntryFactory(street=street)

    services.notify_waiting_list()

    mail = Email.objects.get()
    assert group.name in mail.message and other.name in mail.message


def test_the_command_tells_and_counts(street, group):
    WaitingListEntryFactory(street=street)
    cover(street, group)
    out = StringIO()

    call_command("notify_waiting_list", stdout=out)

    assert "1 resident(s) told of a group." in out.getvalue()


def test_no_address_is_put_in_a_link(street, municipality, group):
    entry, _ = join(municipality)
    join(municipality)  # the reminder
    services.confirm_waiting_list_entry(entry)
    cover(street, group)
    services.notify_waiting_list()

    links = [link for mail in Email.objects.all() for link in links_in(mail)]
    assert len(links) >= 6
    for link in links:
        assert "@" not in link and "peeters" not in link.lower(), link
        assert "motstraat" not in link.lower(), link


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two runs at once need concurrent transactions and row locks",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_runs_at_once_tell_each_resident_once(attempt, group):
    street = StreetFactory(municipality=group.municipality)
    entries = [WaitingListEntryFactory(street=street) for _ in range(20)]
    cover(street, group)

    told = at_once([services.notify_waiting_list, services.notify_waiting_list])

    assert not [each for each in told if isinstance(each, Exception)], told
    assert sum(told) == len(entries)
    assert Email.objects.count() == len(entries)
    assert sorted(mail.to[0] for mail in Email.objects.all()) == sorted(
        entry.email for entry in entries
    )


# --- the pages ------------------------------------------------------------------


def test_the_form_is_shown_with_the_municipality_of_the_link(client, municipality):
    response = client.get(FORM_URL, {"gemeente": municipality.pk})

    assert response.status_code == HTTPStatus.OK
    assert "Laat me weten wanneer mijn straat een groep krijgt" in text(response)
    assert f'<option value="{municipality.pk}" selected>' in text(response)


def test_the_only_municipality_is_chosen_already(client, municipality):
    response = client.get(FORM_URL)

    assert f'<option value="{municipality.pk}" selected>' in text(response)


def test_a_valid_form_stores_an_entry_and_the_page_says_check_your_mail(
    client, street, municipality
):
    response = client.post(FORM_URL, form(municipality))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == SENT_URL
    entry = WaitingListEntry.objects.get()
    assert (entry.email, entry.house_number, entry.language) == (EMAIL, "12", "nl")
    sent = client.get(SENT_URL)
    assert "Bijna klaar: bekijk je e-mail" in text(sent)


def test_the_page_is_the_same_whether_or_not_the_address_was_on_the_list(
    client, street, municipality
):
    first = client.post(FORM_URL, form(municipality), follow=True)
    again = client.post(FORM_URL, form(municipality), follow=True)

    assert first.redirect_chain == again.redirect_chain == [(SENT_URL, 302)]
    assert first.content == again.content
    assert WaitingListEntry.objects.count() == 1
    assert Email.objects.count() == 2  # the confirmation, then the reminder


def test_the_form_in_french_mails_in_french(client, street, municipality):
    client.post(FORM_URL, form(municipality), HTTP_ACCEPT_LANGUAGE="fr")

    assert WaitingListEntry.objects.get().language == "fr"
    assert Email.objects.get().subject == (
        "Confirmez votre adresse pour la liste d\u2019attente"
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": None}, "Dit veld is verplicht."),
        ({"email": "an.peeters@"}, "Voer een geldig e-mailadres in."),
        ({"street_name": ""}, "Dit veld is verplicht."),
        ({"street_name": "!!! ???"}, "Vul de naam van je straat in."),
        ({"street_name": "\x01\x02"}, "Vul gewone tekst in."),
        ({"street_name": "Mot\x00straat"}, "Null-tekens zijn niet toegestaan."),
        ({"street_name": "x" * 151}, "151"),
        ({"house_number": "twaalf"}, "Vul een huisnummer in"),
        ({"municipality": "987654"}, "Selecteer een geldige keuze."),
        ({"municipality": "x"}, "Selecteer een geldige keuze."),
        ({"municipality": None}, "Dit veld is verplicht."),
        ({"accept_privacy": None}, "privacyverklaring"),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(
    client, street, municipality, overrides, message
):
    response = client.post(FORM_URL, form(municipality, **overrides))

    assert response.status_code == HTTPStatus.OK
    assert "Controleer het formulier" in text(response)
    assert message in text(response)
    assert not WaitingListEntry.objects.exists()
    assert not Email.objects.exists()


def test_a_filled_in_honeypot_stores_nothing_and_looks_the_same(
    client, street, municipality
):
    response = client.post(FORM_URL, form(municipality, website="http://spam"))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == SENT_URL
    assert not WaitingListEntry.objects.exists()
    assert not Email.objects.exists()


def test_a_street_with_a_group_shows_the_group_to_sign_up_for(
    client, street, municipality, group
):
    cover(street, group)

    response = client.post(FORM_URL, form(municipality, street_name="MOTSTR."))

    assert response.status_code == HTTPStatus.OK
    page = text(response)
    assert "Goed nieuws: je straat heeft al een groep" in page
    assert f"Inschrijven bij {group.name}" in page
    assert reverse("registrations:signup-from-finder") in page
    # The signup form starts from the street as the portal knows it.
    assert 'name="straat" value="Motstraat"' in page
    assert not WaitingListEntry.objects.exists()
    assert not Email.objects.exists()


def test_the_forms_that_send_mail_have_a_rate_limit(
    client, settings, street, municipality
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "waiting-list": (2, 3600)}
    # A form sent back with an error costs nothing.
    client.post(FORM_URL, form(municipality, email="wrong"))
    for number in range(2):
        client.post(FORM_URL, form(municipality, email=f"r{number}@example.be"))

    refused = client.post(FORM_URL, form(municipality, email="r3@example.be"))

    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert refused["Retry-After"]
    assert WaitingListEntry.objects.count() == 2


def test_every_form_sent_counts_towards_a_generous_limit(
    client, settings, street, municipality
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "waiting-list-form": (3, 600)}
    for _ in range(3):
        client.post(FORM_URL, form(municipality, email="wrong"))

    refused = client.post(FORM_URL, form(municipality))

    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert not WaitingListEntry.objects.exists()


def test_the_finders_no_group_result_offers_the_waiting_list(client, street):
    response = client.post(reverse("groups:finder"), {"straat": "Motstraat"})

    page = text(response)
    assert "Laat me weten wanneer mijn straat een groep krijgt" in page
    assert f'action="{FROM_FINDER_URL}"' in page
    assert f'name="gemeente" value="{street.municipality_id}"' in page


def test_the_finders_result_with_a_group_does_not(client, street, group):
    cover(street, group)

    response = client.post(reverse("groups:finder"), {"straat": "Motstraat"})

    assert FROM_FINDER_URL not in text(response)


def test_the_form_from_the_finder_is_filled_in_and_stores_nothing(
    client, street, municipality
):
    response = client.post(
        FROM_FINDER_URL,
        {"gemeente": municipality.pk, "straat": "Motstraat", "nummer": "7"},
    )

    assert response.status_code == HTTPStatus.OK
    page = text(response)
    assert 'value="Motstraat"' in page and 'value="7"' in page
    assert "Controleer het formulier" not in page
    assert not WaitingListEntry.objects.exists()
    # Reloaded: the address went with the POST.
    assert client.get(FROM_FINDER_URL)["Location"] == FORM_URL


def test_the_confirmation_link_asks_then_confirms(client, street, municipality):
    client.post(FORM_URL, form(municipality))
    link = mail_link(Email.objects.get(), "wachtlijst/bevestigen")

    asked = client.get(link)
    entry = WaitingListEntry.objects.get()
    assert entry.confirmed_at is None
    confirmed = client.post(link)
    again = client.get(link)

    assert asked.status_code == HTTPStatus.OK
    assert "Bevestig je e-mailadres" in text(asked)
    assert "Motstraat" in text(asked)
    assert "Bedankt, je e-mailadres is bevestigd" in text(confirmed)
    assert "Je e-mailadres was al bevestigd" in text(again)
    entry.refresh_from_db()
    assert entry.confirmed_at is not None


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps(1, salt="registrations.signup.confirm"),
        signing.dumps("1", salt=notifications.WAITING_LIST_CONFIRM_SALT),
    ],
    # Stable ids: a signed token differs from one collection to the next.
    ids=["garbage", "a-signups-link", "not-a-number"],
)
def test_a_bad_link_says_so_and_changes_nothing(client, street, token):
    WaitingListEntryFactory(street=street, confirmed_at=None)
    url = reverse("registrations:waiting-list-confirm", kwargs={"token": token})

    for response in (client.get(url), client.post(url)):
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "Deze link kan niet gebruikt worden" in text(response) or (
            "niet geldig" in text(response)
        )
    assert WaitingListEntry.objects.get().confirmed_at is None


def test_an_expired_confirmation_link_says_so(client, settings, street):
    entry = WaitingListEntryFactory(street=street, confirmed_at=None)
    link = notifications.waiting_list_confirmation_link(entry)
    settings.SIGNUP_CONFIRMATION_HOURS = 0

    response = client.post(path_of(link))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "verlopen" in text(response)
    entry.refresh_from_db()
    assert entry.confirmed_at is None


def test_the_leave_link_asks_then_erases(client, street, municipality):
    client.post(FORM_URL, form(municipality))
    link = mail_link(Email.objects.get(), "wachtlijst/uitschrijven")

    asked = client.get(link)
    assert WaitingListEntry.objects.exists()
    left = client.post(link, follow=True)
    after = client.get(link)

    assert "Van de wachtlijst gaan" in text(asked)
    assert left.redirect_chain == [(reverse("registrations:waiting-list-left"), 302)]
    assert "Je staat niet meer op de wachtlijst" in text(left)
    assert not WaitingListEntry.objects.exists()
    assert not Email.objects.exists()
    assert after.status_code == HTTPStatus.BAD_REQUEST
    assert "Je staat niet meer op de wachtlijst." in text(after)


def test_a_confirmation_link_after_leaving_says_the_address_is_off_the_list(street):
    entry = WaitingListEntryFactory(street=street, confirmed_at=None)
    token = path_of(notifications.waiting_list_confirmation_link(entry)).split("/")[-2]
    services.leave_waiting_list(entry)

    with pytest.raises(InvalidLink) as gone:
        entry_from_confirmation_link(token)

    assert str(gone.value) == "Je staat niet meer op de wachtlijst."


# --- retention --------------------------------------------------------------------


def test_the_purge_deletes_entries_past_their_time_with_their_mail(
    settings, street, municipality
):
    now = timezone.now()
    settings.UNCONFIRMED_RETENTION_DAYS = 7
    settings.WAITING_LIST_NOTIFIED_RETENTION_DAYS = 14
    settings.WAITING_LIST_MAX_AGE_DAYS = 365
    unconfirmed_old, _ = join(municipality, email="old@example.be")
    unconfirmed_new, _ = join(municipality, email="new@example.be")
    told_long_ago = WaitingListEntryFactory(
        street=street, notified_at=now - timedelta(days=15)
    )
    told_lately = WaitingListEntryFactory(
        street=street, notified_at=now - timedelta(days=13)
    )
    waiting_too_long = WaitingListEntryFactory(street=street)
    waiting = WaitingListEntryFactory(street=street)
    WaitingListEntry.objects.filter(pk=unconfirmed_old.pk).update(
        created_at=now - timedelta(days=8)
    )
    WaitingListEntry.objects.filter(pk=waiting_too_long.pk).update(
        created_at=now - timedelta(days=366)
    )

    report = purge_personal_data(now=now)

    assert report.waiting_list_unconfirmed_deleted == 1
    assert report.waiting_list_notified_deleted == 1
    assert report.waiting_list_expired_deleted == 1
    assert report.mails_deleted == 1  # the old confirmation request
    assert set(WaitingListEntry.objects.all()) == {
        unconfirmed_new,
        told_lately,
        waiting,
    }
    assert [mail.to for mail in Email.objects.all()] == [["new@example.be"]]
    assert told_long_ago.pk not in WaitingListEntry.objects.values_list("pk")
    assert purge_personal_data(now=now).total == 0


def test_a_dry_run_counts_and_keeps_everything(street):
    WaitingListEntryFactory(street=street, notified_at=timezone.now())

    report = purge_personal_data(now=timezone.now() + timedelta(days=30), dry_run=True)

    assert report.waiting_list_notified_deleted == 1
    assert WaitingListEntry.objects.exists()


def test_erasing_an_old_signup_keeps_the_mail_of_a_waiting_list_entry(
    street, municipality, group
):
    signup = SignupFactory(
        group=group, email=EMAIL, status="rejected", decided_at=timezone.now()
    )
    notifications.send_confirmation_request(signup)
    entry, _ = join(municipality)
    services.confirm_waiting_list_entry(entry)

    purge_personal_data(now=timezone.now() + timedelta(days=31))

    signup.refresh_from_db()
    assert signup.erased_at is not None
    kept = [
        mail.headers.get(notifications.WAITING_LIST_HEADER)
        for mail in Email.objects.all()
    ]
    assert str(entry.pk) in kept


# --- access and erasure requests ------------------------------------------------------


@pytest.fixture
def staff(zone):
    user = UserFactory()
    add_zone_staff(zone, user=user)
    return user


def test_an_access_request_finds_and_exports_the_waiting_list(staff, street):
    entry = WaitingListEntryFactory(street=street, email=EMAIL)
    elsewhere = WaitingListEntryFactory(email=EMAIL)  # another zone

    data = privacy.find_person(privacy.PersonQuery(email=EMAIL.upper()), by=staff)
    record, export = privacy.export_person(privacy.PersonQuery(email=EMAIL), by=staff)

    assert data.waiting_list == [entry]
    assert elsewhere not in data.waiting_list
    assert not data.is_empty and data.erasable
    [exported] = export["waiting_list_for_a_group"]
    assert exported["email"] == EMAIL
    assert exported["street"] == "Motstraat"
    assert record.waiting_list_count == 1


def test_an_erasure_request_deletes_the_entries_and_their_mail(
    client, staff, street, municipality
):
    entry, _ = join(municipality)
    other, _ = join(municipality, email="buur@example.be")
    client.force_login(staff)

    found = client.post(
        reverse("privacy-requests"), {"action": "search", "email": EMAIL, "phone": ""}
    )
    erased = client.post(
        reverse("privacy-requests"),
        {"action": "erase", "email": EMAIL, "phone": "", "confirm": "on"},
        follow=True,
    )

    assert "1 inschrijving op de wachtlijst voor een groep" in text(found)
    assert "1 inschrijving op de wachtlijst voor een groep is gewist." in text(erased)
    assert list(WaitingListEntry.objects.all()) == [other]
    assert [mail.to for mail in Email.objects.all()] == [["buur@example.be"]]
    record = PrivacyRequest.objects.get()
    assert record.waiting_list_count == 1
    assert entry.pk not in WaitingListEntry.objects.values_list("pk", flat=True)


def test_an_erasure_by_phone_takes_the_entries_of_the_signups_address(
    staff, street, group
):
    SignupFactory(group=group, email=EMAIL, phone="+32470551234")
    WaitingListEntryFactory(street=street, email=EMAIL)

    privacy.erase_person(
        privacy.PersonQuery(phone=PhoneNumber.from_string("+32470551234")), by=staff
    )

    assert not WaitingListEntry.objects.exists()


# --- what staff see ---------------------------------------------------------------


CHANGELIST = reverse("admin:registrations_waitinglistentry_changelist")


def change_url(entry) -> str:
    return reverse("admin:registrations_waitinglistentry_change", args=[entry.pk])


@pytest.fixture
def two_zones(staff, street):
    """An entry of the staff's zone (A), and one of another zone (B)."""
    zone_b = PoliceZoneFactory()
    street_b = StreetFactory(
        municipality=MunicipalityFactory(zone=zone_b), name="Bravostraat"
    )
    return (
        WaitingListEntryFactory(street=street, email="aquila@example.be"),
        WaitingListEntryFactory(street=street_b, email="bravo@example.be"),
    )


def test_visible_to_zone_staff_superusers_and_nobody_else(
    staff, two_zones, coordinator_user, django_user_model
):
    entry_a, entry_b = two_zones
    superuser = django_user_model.objects.create_superuser("root", "r@example.be")

    assert set(WaitingListEntry.objects.visible_to(staff)) == {entry_a}
    assert set(WaitingListEntry.objects.visible_to(superuser)) == {entry_a, entry_b}
    assert not WaitingListEntry.objects.visible_to(coordinator_user).exists()


def test_zone_staff_see_their_zones_entries_and_not_another_zones(
    client, staff, two_zones
):
    entry_a, entry_b = two_zones
    client.force_login(staff)

    listed = client.get(CHANGELIST)
    own = client.get(change_url(entry_a))
    other = client.get(change_url(entry_b))

    assert listed.status_code == HTTPStatus.OK
    assert "aquila@example.be" in text(listed)
    assert "bravo@example.be" not in text(listed)
    assert "Bravostraat" not in text(listed)
    assert own.status_code == HTTPStatus.OK
    assert "aquila@example.be" in text(own)
    # Another zone's entry is as unknown as a missing one.
    assert other.status_code == HTTPStatus.FOUND
    assert other["Location"] == reverse("admin:index")


def test_a_superuser_sees_where_residents_wait_but_no_address(client, two_zones):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    listed = client.get(CHANGELIST)
    opened = client.get(change_url(two_zones[1]))

    assert "Motstraat" in text(listed) and "Bravostraat" in text(listed)
    assert "@example.be" not in text(listed).replace("r@example.be", "")
    assert "bravo@example.be" not in text(opened)


def test_coordinators_cannot_open_the_waiting_list(client, coordinator_user, two_zones):
    client.force_login(coordinator_user)

    assert client.get(CHANGELIST).status_code == HTTPStatus.FORBIDDEN
    assert client.get(change_url(two_zones[0])).status_code in (
        HTTPStatus.FORBIDDEN,
        HTTPStatus.FOUND,
    )


def test_the_list_is_read_only(client, staff, two_zones):
    entry_a, _ = two_zones
    client.force_login(staff)

    added = client.get(reverse("admin:registrations_waitinglistentry_add"))
    deleted = client.post(
        reverse("admin:registrations_waitinglistentry_delete", args=[entry_a.pk]),
        {"post": "yes"},
    )
    changed = client.post(change_url(entry_a), {"email": "x@example.be"})

    assert added.status_code == HTTPStatus.FORBIDDEN
    assert deleted.status_code == HTTPStatus.FORBIDDEN
    assert changed.status_code == HTTPStatus.FORBIDDEN
    entry_a.refresh_from_db()
    assert entry_a.email == "aquila@example.be"


def test_the_list_shows_the_demand_per_street(client, staff, street, municipality):
    for number in range(3):
        WaitingListEntryFactory(street=street, email=f"m{number}@example.be")
    WaitingListEntryFactory(street=street, confirmed_at=None)  # does not count
    join(municipality, "Kerkstraat", email="k@example.be")
    kerk = WaitingListEntry.objects.get(street_key="kerkstraat")
    services.confirm_waiting_list_entry(kerk)
    client.force_login(staff)

    page = text(client.get(CHANGELIST))

    assert "4 bewoners wachten op een groep, per straat" in page
    rows = re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td>[^<]+</td>\s*<td class="number">(\d+)',
        page,
    )
    assert rows == [("Motstraat", "3"), ("Kerkstraat", "1")]


def test_the_statistics_page_counts_the_residents_waiting(client, staff, street):
    WaitingListEntryFactory(street=street)
    WaitingListEntryFactory(street=street, confirmed_at=None)
    WaitingListEntryFactory(email="elders@example.be")  # another zone
    client.force_login(staff)

    page = text(client.get(reverse("statistics")))

    assert re.search(
        r"Bewoners die op een groep wachten</dt><dd><a [^>]+>1</a>", page
    ), page


@pytest.mark.parametrize(
    "typed", ["{% debug %} {{ settings.SECRET_KEY }}", '=HYPERLINK("http://x")']
)
def test_a_typed_street_is_data_in_the_mail_and_the_staff_list(
    municipality, admin_client, typed
):
    """Template syntax or a formula as a street: shown as typed, never run."""
    entry, _created = join(municipality, typed)

    [mail] = Email.objects.filter(to=[EMAIL])
    assert typed in mail.message
    assert "SECRET_KEY" not in mail.message.replace(typed, "")
    assert "{'" not in mail.message  # {% debug %} would print context dicts
    listing = admin_client.get(
        reverse("admin:registrations_waitinglistentry_changelist")
    )
    assert listing.status_code == 200
    assert typed in text(listing)
    assert "SECRET_KEY" not in text(listing).replace(typed, "")
