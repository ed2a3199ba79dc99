"""The network table: its invariants, search keys, coverage and services."""

import importlib
from datetime import datetime
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from groups.constants import ROLE_COORDINATOR, ROLE_ZONE_STAFF, NumberParity
from groups.models import (
    Coordinator,
    Download,
    Meeting,
    Municipality,
    PoliceZone,
    RegionStreet,
    Street,
    WhatsAppGroup,
    is_zone_staff,
    normalize_street_name,
)
from groups.services import add_zone_staff, import_street, link_coordinator_login
from tests.factories import (
    CoordinatorFactory,
    DownloadFactory,
    MeetingFactory,
    MunicipalityFactory,
    PoliceZoneFactory,
    RegionFactory,
    RegionStreetFactory,
    StreetFactory,
    UmbrellaGroupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

ALL, EVEN, ODD = NumberParity.ALL, NumberParity.EVEN, NumberParity.ODD


def errors_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.message_dict


# Factories ---------------------------------------------------------------


@pytest.mark.parametrize(
    "factory",
    [
        PoliceZoneFactory,
        MunicipalityFactory,
        StreetFactory,
        RegionFactory,
        RegionStreetFactory,
        WhatsAppGroupFactory,
        UmbrellaGroupFactory,
        CoordinatorFactory,
        MeetingFactory,
        DownloadFactory,
    ],
)
def test_factory_builds_a_row_that_passes_validation(factory):
    factory().full_clean()


# Police zones and municipalities -----------------------------------------


def test_police_zone_name_is_unique():
    PoliceZoneFactory(name="PZ Kempenland")

    with pytest.raises(IntegrityError), transaction.atomic():
        PoliceZoneFactory(name="PZ Kempenland")


def test_two_police_zones_never_share_an_email_address():
    """Residents reply to it: another zone would read their replies."""
    zone = PoliceZoneFactory(email="info@pz-one.example")

    with pytest.raises(ValidationError) as error:
        PoliceZoneFactory.build(email="INFO@pz-one.example").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        PoliceZoneFactory(email="Info@PZ-one.example")

    assert gettext("Another police zone already uses this e-mail address.") in (
        error.value.messages
    )
    assert PoliceZone.objects.get() == zone


def test_staff_cannot_give_their_zone_another_zones_address(client, zone_staff, zone):
    other = PoliceZoneFactory(email="info@pz-other.example")
    client.force_login(zone_staff)
    url = reverse("admin:groups_policezone_change", args=[zone.pk])
    data = {
        "contact_name": zone.contact_name,
        "email": "Info@PZ-Other.example",
        "phone": zone.phone.as_international,
        "website": zone.website,
    }

    response = client.post(url, data)

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors
    zone.refresh_from_db()
    assert zone.email != other.email


def test_municipality_name_is_unique_within_a_zone():
    zone = PoliceZoneFactory()
    MunicipalityFactory(zone=zone, name="Alken", slug="alken")

    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalityFactory(zone=zone, name="Alken", slug="alken-2")


def test_municipality_name_may_repeat_in_another_zone():
    MunicipalityFactory(name="Alken", slug="alken")

    MunicipalityFactory(name="Alken", slug="alken-2")


def test_municipality_slug_is_unique_across_zones():
    MunicipalityFactory(slug="alken")

    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalityFactory(slug="alken")


@pytest.mark.parametrize("postcodes", ["3570", "3570,3740", "3570, 3740, 3741"])
def test_municipality_accepts_postcodes_separated_by_commas(postcodes):
    MunicipalityFactory(postcodes=postcodes).full_clean()


@pytest.mark.parametrize(
    "postcodes", ["", "357", "0570", "3570;3740", "3570,", "B-3570"]
)
def test_municipality_refuses_malformed_postcodes(postcodes):
    municipality = MunicipalityFactory.build(
        zone=PoliceZoneFactory(), postcodes=postcodes
    )

    assert "postcodes" in errors_of(municipality)


def test_municipality_postcode_list_splits_and_trims():
    municipality = MunicipalityFactory.build(postcodes="3570, 3740,3741")

    assert municipality.postcode_list == ["3570", "3740", "3741"]


def test_municipality_url_is_its_public_page():
    municipality = MunicipalityFactory(slug="alken")

    assert municipality.get_absolute_url() == "/gemeente/alken/"


# Streets ------------------------------------------------------------------


def test_street_is_unique_per_municipality_and_postcode():
    street = StreetFactory(name="Kerkstraat")

    with pytest.raises(IntegrityError), transaction.atomic():
        StreetFactory(
            municipality=street.municipality,
            name="Kerkstraat",
            postcode=street.postcode,
        )


def test_street_name_may_repeat_under_another_postcode_of_the_municipality():
    municipality = MunicipalityFactory(postcodes="3570, 3740")
    StreetFactory(municipality=municipality, name="Kerkstraat", postcode="3570")

    StreetFactory(municipality=municipality, name="Kerkstraat", postcode="3740")


def test_street_postcode_must_belong_to_its_municipality():
    street = StreetFactory.build(
        municipality=MunicipalityFactory(postcodes="3570"), postcode="3740"
    )

    assert "postcode" in errors_of(street)


@pytest.mark.parametrize("postcode", ["357", "0570", "35a0"])
def test_street_postcode_has_four_digits(postcode):
    street = StreetFactory.build(municipality=MunicipalityFactory(), postcode=postcode)

    assert "postcode" in errors_of(street)


def test_street_validation_derives_the_search_key():
    street = Street(
        municipality=MunicipalityFactory(postcodes="3570"),
        name="Oude Stwg.",
        postcode="3570",
    )

    street.full_clean()

    assert street.search_name == "oudesteenweg"


def test_street_str_shows_name_and_postcode():
    street = StreetFactory.build(name="Kerkstraat", postcode="3570")

    assert str(street) == "Kerkstraat, 3570"


@pytest.mark.parametrize(
    "typed, key",
    [
        ("Motstraat", "motstraat"),
        ("MOTSTRAAT", "motstraat"),
        ("Motstr", "motstraat"),
        ("Motstr.", "motstraat"),
        ("Mot str.", "motstraat"),
        ("Mot  Str", "motstraat"),
        ("Oude Stwg.", "oudesteenweg"),
        ("oude stw", "oudesteenweg"),
        ("Tiensestwg", "tiensesteenweg"),
        ("Oude steenw.", "oudesteenweg"),
        ("Stationsln", "stationslaan"),
        ("Marktpl.", "marktplein"),
        ("Rue de l'Église", "ruedeleglise"),
        ("Sint-Jans-Baptistplein", "sintjansbaptistplein"),
        ("Hoogstraat 12", "hoogstraat12"),
        ("  ", ""),
        ("St-Truidersteenweg", "sinttruidersteenweg"),
        ("St. Jorisstraat", "sintjorisstraat"),
        ("Saint-Gilles", "sintgilles"),
        ("Ste-Anna", "sinteanna"),
        ("O.L.Vrouwstraat", "onzelievevrouwstraat"),
        ("O.-L.-V.-plein", "onzelievevrouwplein"),
        ("Dr. Vanderlindenstraat", "doktervanderlindenstraat"),
        ("Burg. Lambrechtslaan", "burgemeesterlambrechtslaan"),
        ("Av. Louise", "avenuelouise"),
        ("Bd Anspach", "boulevardanspach"),
        ("Chée de Waterloo", "chausseedewaterloo"),
        # Words that merely start like an abbreviation are left alone.
        ("Stijn Streuvelsstraat", "stijnstreuvelsstraat"),
        ("Olmenlaan", "olmenlaan"),
        ("Burgstraat", "burgstraat"),
        ("Drevestraat", "drevestraat"),
    ],
)
def test_normalize_street_name(typed, key):
    assert normalize_street_name(typed) == key


@pytest.mark.parametrize(
    "typed, official",
    [
        ("Motstr", "Motstraat"),
        ("oude stwg", "Oude Steenweg"),
        ("kerkln.", "Kerklaan"),
        ("sint truidersteenweg", "Sint-Truidersteenweg"),
        ("Hoogstr.", "Hoogstraat"),
        ("Dorp Straat", "Dorpstraat"),
        ("Eglise", "Église"),
        ("St-Truidersteenweg", "Sint-Truidersteenweg"),
        ("st truiderstwg", "Sint-Truidersteenweg"),
        ("OLV-straat", "Onze-Lieve-Vrouwstraat"),
        ("Dokter Vanderlindenstraat", "Dr. Vanderlindenstraat"),
        ("Chaussée de Waterloo", "Chée de Waterloo"),
        ("Saint-Gilles", "St-Gilles"),
    ],
)
def test_typed_and_official_street_names_share_a_search_key(typed, official):
    assert normalize_street_name(typed) == normalize_street_name(official)


def test_different_street_kinds_keep_different_search_keys():
    assert normalize_street_name("Kapelstraat") != normalize_street_name("Kapellaan")


@pytest.fixture
def streets():
    municipality = MunicipalityFactory(postcodes="3570")
    return {
        name: import_street(municipality, name=name, postcode="3570")
        for name in ("Motstraat", "Oude Steenweg", "Kerkstraat", "Kapellaan")
    }


@pytest.mark.parametrize(
    "typed, found",
    [
        ("Motstr", {"Motstraat"}),
        ("mot", {"Motstraat"}),
        ("oude stwg.", {"Oude Steenweg"}),
        ("KERK", {"Kerkstraat"}),
        ("straat", {"Motstraat", "Kerkstraat"}),
        ("kapel ln", {"Kapellaan"}),
        ("Dorpstraat", set()),
        (" - ", set()),
        ("", set()),
    ],
)
def test_street_matching_finds_streets_however_typed(streets, typed, found):
    assert {street.name for street in Street.objects.matching(typed)} == found


# Regions and their streets -----------------------------------------------


def test_region_name_is_unique_within_a_municipality():
    region = RegionFactory(name="Centrum")

    with pytest.raises(IntegrityError), transaction.atomic():
        RegionFactory(municipality=region.municipality, name="Centrum")


def test_region_name_may_repeat_in_another_municipality():
    RegionFactory(name="Centrum")

    RegionFactory(name="Centrum")


def test_region_street_range_must_be_in_order():
    with pytest.raises(IntegrityError), transaction.atomic():
        RegionStreetFactory(number_from=20, number_to=10)


def test_region_street_parity_must_be_a_known_choice():
    with pytest.raises(IntegrityError), transaction.atomic():
        RegionStreetFactory(parity="some")


def test_region_street_range_is_not_entered_twice():
    row = RegionStreetFactory(parity=EVEN, number_from=2, number_to=20)

    with pytest.raises(IntegrityError), transaction.atomic():
        RegionStreetFactory(
            region=row.region,
            street=row.street,
            parity=EVEN,
            number_from=2,
            number_to=20,
        )


def test_whole_street_is_not_entered_twice_in_a_region():
    row = RegionStreetFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        RegionStreetFactory(region=row.region, street=row.street)


def test_region_street_may_split_a_street_into_ranges():
    row = RegionStreetFactory(number_from=1, number_to=49)

    RegionStreetFactory(region=row.region, street=row.street, number_from=50)


def test_region_street_validation_refuses_range_out_of_order():
    region = RegionFactory()
    row = RegionStreetFactory.build(
        region=region,
        street=StreetFactory(municipality=region.municipality),
        number_from=20,
        number_to=10,
    )

    assert "number_to" in errors_of(row)


def test_region_street_validation_refuses_number_zero():
    row = RegionStreetFactory(number_from=1)
    row.number_from = 0

    assert "number_from" in errors_of(row)


def test_region_street_validation_refuses_street_of_another_municipality():
    row = RegionStreetFactory.build(region=RegionFactory(), street=StreetFactory())

    assert "street" in errors_of(row)


@pytest.mark.parametrize(
    "parity, number_from, number_to, number, covered",
    [
        (ALL, None, None, 1, True),
        (ALL, None, None, 2, True),
        (EVEN, None, None, 8, True),
        (EVEN, None, None, 7, False),
        (ODD, None, None, 7, True),
        (ODD, None, None, 8, False),
        (ALL, 10, 20, 9, False),
        (ALL, 10, 20, 10, True),
        (ALL, 10, 20, 20, True),
        (ALL, 10, 20, 21, False),
        (EVEN, 10, 20, 15, False),
        (EVEN, 10, 20, 16, True),
        (ODD, 11, 21, 21, True),
        (ODD, 11, 21, 23, False),
        (ALL, 10, None, 9, False),
        (ALL, 10, None, 999, True),
        (ALL, None, 20, 1, True),
        (ALL, None, 20, 21, False),
        (EVEN, 10, 20, None, True),
        (ODD, 101, None, None, True),
    ],
)
def test_region_street_covers_and_covering_agree(
    parity, number_from, number_to, number, covered
):
    row = RegionStreetFactory(
        parity=parity, number_from=number_from, number_to=number_to
    )

    assert row.covers(number) is covered
    assert RegionStreet.objects.covering(number).filter(pk=row.pk).exists() is covered


def test_region_street_covering_matches_covers_for_every_number():
    region = RegionFactory()
    street = StreetFactory(municipality=region.municipality)
    for parity, number_from, number_to in [
        (ALL, None, None),
        (EVEN, None, None),
        (ODD, 1, 19),
        (EVEN, 20, None),
        (ALL, None, 5),
        (ODD, 7, 7),
    ]:
        RegionStreetFactory(
            region=region,
            street=street,
            parity=parity,
            number_from=number_from,
            number_to=number_to,
        )
    rows = list(RegionStreet.objects.all())

    for number in [None, *range(1, 31)]:
        expected = {row for row in rows if row.covers(number)}
        assert set(RegionStreet.objects.covering(number)) == expected, number


@pytest.mark.parametrize(
    "parity, number_from, number_to, text",
    [
        (ALL, None, None, "Kerkstraat (all numbers)"),
        (EVEN, 2, 20, "Kerkstraat (even numbers 2–20)"),
        (ODD, 31, None, "Kerkstraat (odd numbers 31–…)"),
        (ALL, None, 19, "Kerkstraat (all numbers 1–19)"),
    ],
)
def test_region_street_str_shows_street_and_numbers(
    parity, number_from, number_to, text
):
    row = RegionStreetFactory.build(
        street=StreetFactory.build(name="Kerkstraat"),
        parity=parity,
        number_from=number_from,
        number_to=number_to,
    )

    with translation.override("en"):
        assert str(row) == text


# WhatsApp groups ---------------------------------------------------------


def test_group_name_is_unique_within_a_municipality():
    group = WhatsAppGroupFactory(name="WABP Centrum")

    with pytest.raises(IntegrityError), transaction.atomic():
        WhatsAppGroupFactory(municipality=group.municipality, name="WABP Centrum")


def test_group_name_may_repeat_in_another_municipality():
    WhatsAppGroupFactory(name="WABP Centrum")

    WhatsAppGroupFactory(name="WABP Centrum")


def test_neighbourhood_group_needs_a_region_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        WhatsAppGroupFactory(region=None)


def test_umbrella_group_needs_no_region():
    group = UmbrellaGroupFactory()

    group.full_clean()
    assert group.region is None


def test_group_kind_must_be_a_known_choice():
    with pytest.raises(IntegrityError), transaction.atomic():
        UmbrellaGroupFactory(kind="family")


def test_neighbourhood_group_validation_asks_for_a_region():
    group = WhatsAppGroupFactory.build(municipality=MunicipalityFactory(), region=None)

    assert "region" in errors_of(group)


def test_group_validation_refuses_region_of_another_municipality():
    group = WhatsAppGroupFactory.build(
        municipality=MunicipalityFactory(), region=RegionFactory()
    )

    assert "region" in errors_of(group)


@pytest.mark.parametrize(
    "link",
    [
        "https://chat.whatsapp.com/AbCdEf1234567890",
        "https://chat.whatsapp.com/invite/AbCdEf1234567890",
        "",
    ],
)
def test_group_accepts_whatsapp_invite_links(link):
    WhatsAppGroupFactory(invite_link=link).full_clean()


@pytest.mark.parametrize(
    "link",
    [
        "http://chat.whatsapp.com/AbCdEf1234567890",
        "https://chat.whatsapp.com/short",
        "https://example.com/AbCdEf1234567890",
        "https://wa.me/32470000001",
    ],
)
def test_group_refuses_links_that_are_not_whatsapp_invites(link):
    group = WhatsAppGroupFactory()
    group.invite_link = link

    assert "invite_link" in errors_of(group)


def test_published_groups_are_active_public_neighbourhood_groups():
    shown = WhatsAppGroupFactory()
    municipality = shown.municipality
    WhatsAppGroupFactory(municipality=municipality, is_active=False)
    WhatsAppGroupFactory(municipality=municipality, is_public=False)
    UmbrellaGroupFactory(municipality=municipality)

    assert list(WhatsAppGroup.objects.published()) == [shown]


def test_group_str_is_its_name():
    assert str(WhatsAppGroupFactory.build(name="WABP Centrum")) == "WABP Centrum"


# Coordinators, meetings, downloads ---------------------------------------


def test_coordinator_email_is_unique_within_a_zone():
    coordinator = CoordinatorFactory(email="jan@example.be")

    with pytest.raises(IntegrityError), transaction.atomic():
        CoordinatorFactory(zone=coordinator.zone, email="jan@example.be")


def test_coordinator_email_may_repeat_in_another_zone():
    CoordinatorFactory(email="jan@example.be")

    CoordinatorFactory(email="jan@example.be")


def test_a_login_belongs_to_one_coordinator_only():
    user = UserFactory()
    CoordinatorFactory(user=user)

    with pytest.raises(IntegrityError), transaction.atomic():
        CoordinatorFactory(user=user)


def test_listed_coordinators_are_active_and_agreed_to_be_shown():
    shown = CoordinatorFactory(listed_publicly=True)
    CoordinatorFactory(listed_publicly=True, is_active=False)
    CoordinatorFactory(listed_publicly=False)

    assert list(Coordinator.objects.listed()) == [shown]


def test_coordinator_str_is_full_name():
    coordinator = CoordinatorFactory.build(first_name="An", last_name="Peeters")

    assert str(coordinator) == "An Peeters"


def test_published_downloads_are_the_public_ones():
    shown = DownloadFactory()
    DownloadFactory(zone=shown.zone, is_public=False)

    assert list(Download.objects.published()) == [shown]


def test_download_file_is_stored_under_media_root(media_root):
    download = DownloadFactory()

    assert (media_root / download.file.name).is_file()


def test_meeting_str_shows_zone_and_start():
    meeting = MeetingFactory.build(
        zone=PoliceZoneFactory.build(name="PZ Kempenland"),
        starts_at=datetime(2025, 1, 15, 19, 30, tzinfo=ZoneInfo("Europe/Brussels")),
    )

    assert str(meeting) == "PZ Kempenland — 2025-01-15 19:30"


def test_meeting_str_shows_local_time_after_loading_from_database():
    meeting = MeetingFactory(
        zone=PoliceZoneFactory(name="PZ Kempenland"),
        starts_at=datetime(2025, 1, 15, 19, 30, tzinfo=ZoneInfo("Europe/Brussels")),
    )

    assert str(Meeting.objects.get(pk=meeting.pk)) == "PZ Kempenland — 2025-01-15 19:30"


# Services ----------------------------------------------------------------


def test_import_street_creates_the_street_with_its_search_key():
    municipality = MunicipalityFactory(postcodes="3570")

    street = import_street(municipality, name="Oude Stwg.", postcode="3570")

    assert Street.objects.get() == street
    assert street.search_name == "oudesteenweg"
    assert list(Street.objects.matching("oude steenweg")) == [street]


def test_import_street_is_idempotent():
    municipality = MunicipalityFactory(postcodes="3570")
    first = import_street(municipality, name="Kerkstraat", postcode="3570")

    again = import_street(municipality, name="  Kerkstraat ", postcode="3570")

    assert again == first
    assert Street.objects.count() == 1


def test_import_street_collapses_whitespace_in_the_name():
    municipality = MunicipalityFactory(postcodes="3570")

    street = import_street(
        municipality, name="  Sint-Jan   Baptist  straat ", postcode="3570"
    )

    assert street.name == "Sint-Jan Baptist straat"


def test_import_street_refuses_postcode_of_another_municipality():
    municipality = MunicipalityFactory(postcodes="3570")

    with pytest.raises(ValidationError) as excinfo:
        import_street(municipality, name="Kerkstraat", postcode="3740")

    assert "postcode" in excinfo.value.message_dict
    assert not Street.objects.exists()


def test_import_street_refuses_an_empty_name():
    municipality = MunicipalityFactory(postcodes="3570")

    with pytest.raises(ValidationError):
        import_street(municipality, name="   ", postcode="3570")

    assert not Street.objects.exists()


def test_add_zone_staff_gives_the_staff_role_for_that_zone():
    zone = PoliceZoneFactory()
    user = UserFactory()

    add_zone_staff(zone, user=user)

    user.refresh_from_db()
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [ROLE_ZONE_STAFF]
    assert list(user.police_zones.all()) == [zone]
    assert user.has_perm("groups.add_region")


def test_add_zone_staff_twice_changes_nothing():
    zone = PoliceZoneFactory()
    user = UserFactory()
    add_zone_staff(zone, user=user)

    add_zone_staff(zone, user=user)

    assert user.groups.count() == 1
    assert zone.staff.count() == 1


def test_add_zone_staff_keeps_other_zones(zone_staff, zone):
    other = PoliceZoneFactory()

    add_zone_staff(other, user=zone_staff)

    assert set(zone_staff.police_zones.all()) == {zone, other}


def test_link_coordinator_login_gives_the_coordinator_role():
    coordinator = CoordinatorFactory()
    user = UserFactory()

    link_coordinator_login(coordinator, user=user)

    coordinator.refresh_from_db()
    user.refresh_from_db()
    assert coordinator.user == user
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [ROLE_COORDINATOR]
    assert user.has_perm("registrations.change_signup")
    assert not user.has_perm("groups.add_region")
    assert not user.police_zones.exists()


def test_coordinator_user_fixture_coordinates_its_group(coordinator_user, group):
    assert list(WhatsAppGroup.objects.coordinated_by(coordinator_user)) == [group]


def test_link_coordinator_login_refuses_a_login_of_another_coordinator(
    coordinator_user,
):
    other = CoordinatorFactory()

    with pytest.raises(ValidationError) as excinfo:
        link_coordinator_login(other, user=coordinator_user)

    assert "user" in excinfo.value.message_dict
    other.refresh_from_db()
    assert other.user is None


def test_zone_staff_keep_the_table(zone_staff):
    assert is_zone_staff(zone_staff)


def test_superuser_keeps_the_table():
    assert is_zone_staff(UserFactory(is_superuser=True))


def test_coordinator_does_not_keep_the_table(coordinator_user):
    assert not is_zone_staff(coordinator_user)


def test_deactivated_zone_staff_no_longer_keep_the_table(zone_staff):
    zone_staff.is_active = False

    assert not is_zone_staff(zone_staff)


@pytest.mark.parametrize("make_user", [UserFactory, AnonymousUser])
def test_user_without_role_does_not_keep_the_table(make_user):
    assert not is_zone_staff(make_user())


def test_the_migration_derives_the_stored_search_keys_again():
    migration = importlib.import_module(
        "groups.migrations.0009_derive_street_search_keys_again"
    )
    stale = StreetFactory(name="St-Truidersteenweg", search_name="sttruidersteenweg")
    current = StreetFactory(name="Motstraat")

    migration.derive_keys(django_apps, None)

    stale.refresh_from_db()
    current.refresh_from_db()
    assert stale.search_name == "sinttruidersteenweg"
    assert current.search_name == "motstraat"


@pytest.mark.parametrize(
    ("parity", "start", "end", "text"),
    [
        (NumberParity.ALL, None, None, "hele straat"),
        (NumberParity.ALL, None, 49, "huisnummers 1–49"),
        (NumberParity.ALL, 50, None, "huisnummers vanaf 50"),
        (NumberParity.ALL, 10, 20, "huisnummers 10–20"),
        (NumberParity.EVEN, None, None, "even huisnummers"),
        (NumberParity.EVEN, 2, 40, "even huisnummers 2–40"),
        (NumberParity.ODD, 51, None, "oneven huisnummers vanaf 51"),
        (NumberParity.ODD, None, 99, "oneven huisnummers 1–99"),
    ],
)
def test_coverage_says_its_house_numbers(parity, start, end, text):
    part = RegionStreet(parity=parity, number_from=start, number_to=end)

    assert part.numbers_text == text
    assert part.is_whole_street == (text == "hele straat")


def test_coverage_says_its_house_numbers_in_french_and_english():
    part = RegionStreet(parity=NumberParity.ODD, number_from=1, number_to=99)

    with translation.override("fr"):
        assert part.numbers_text == "numéros impairs 1 à 99"
    with translation.override("en"):
        assert part.numbers_text == "odd numbers 1–99"


def test_municipalities_with_a_postcode_are_found_by_any_of_theirs():
    hasselt = MunicipalityFactory(name="Hasselt", postcodes="3500, 3510,3511")
    MunicipalityFactory(name="Alken", postcodes="3570")

    def names(postcode):
        return [m.name for m in Municipality.objects.with_postcode(postcode)]

    assert names("3500") == names("3510") == names("3511") == [hasselt.name]
    assert names("3570") == ["Alken"]
    for not_one in ("351", "5100", "3", "", "35.0", "3500|3570"):
        assert names(not_one) == []


def test_groups_nearest_first_covers_the_street_then_the_postcode():
    municipality = MunicipalityFactory(postcodes="3500,3510")
    markt = StreetFactory(municipality=municipality, name="Markt", postcode="3500")
    kermt = StreetFactory(municipality=municipality, name="Kermt", postcode="3510")
    plein = StreetFactory(municipality=municipality, name="Plein", postcode="3510")
    other = WhatsAppGroupFactory(municipality=municipality, name="A elders")
    in_postcode = WhatsAppGroupFactory(municipality=municipality, name="B postcode")
    on_street = WhatsAppGroupFactory(municipality=municipality, name="C straat")
    RegionStreetFactory(region=other.region, street=markt)
    RegionStreetFactory(region=in_postcode.region, street=plein)
    RegionStreetFactory(region=on_street.region, street=kermt, number_from=11)

    nearest = WhatsAppGroup.objects.nearest_first(
        street_ids=[kermt.pk], postcodes=["3510"]
    )
    by_postcode = WhatsAppGroup.objects.nearest_first(postcodes=["3510"])

    assert list(nearest) == [on_street, in_postcode, other]
    assert list(by_postcode) == [in_postcode, on_street, other]
