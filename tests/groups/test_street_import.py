"""Importing a municipality's streets from the address register's CSV.

``import_streets_csv`` and ``read_street_rows`` in ``groups.services.streets``,
the import page of the municipality admin and the ``import_streets``
management command: the file formats the register and spreadsheets produce,
idempotence, and bad rows and bad files reported clearly.
"""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from groups.constants import StreetImportStatus
from groups.models import Municipality, Street, StreetImport
from groups.services import (
    StreetFileError,
    import_streets_csv,
    run_next_street_import,
)
from groups.services.streets import read_street_rows
from tests.factories import MunicipalityFactory, StreetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alken(zone) -> Municipality:
    return MunicipalityFactory(
        zone=zone, name="Alken", slug="alken", postcodes="3570, 3571"
    )


def csv_bytes(*lines: str, encoding: str = "utf-8", sep: str = ";") -> bytes:
    return "\r\n".join(line.replace(";", sep) for line in lines).encode(encoding)


REGISTER_FILE = csv_bytes(
    "straatnaam;postcode;gemeente;status",
    "Motstraat;3570;Alken;inGebruik",
    "Rode Kruisstraat;3570;Alken;inGebruik",
    "Terkoest;3570;Alken;inGebruik",
)


def names(municipality: Municipality) -> list[tuple[str, str]]:
    return list(municipality.streets.order_by("name").values_list("name", "postcode"))


# --- import_streets_csv -------------------------------------------------------


def test_import_creates_the_streets_of_a_semicolon_file(alken):
    report = import_streets_csv(alken, REGISTER_FILE)

    assert (report.created, report.existing, report.refused) == (3, 0, [])
    assert names(alken) == [
        ("Motstraat", "3570"),
        ("Rode Kruisstraat", "3570"),
        ("Terkoest", "3570"),
    ]


def test_imported_streets_get_their_search_key(alken):
    import_streets_csv(alken, REGISTER_FILE)

    assert Street.objects.matching("rode kruisstr").get().name == "Rode Kruisstraat"


def test_import_reads_a_comma_separated_file(alken):
    data = csv_bytes(
        "straatnaam;postcode", "Motstraat;3570", "Stationsstraat;3571", sep=","
    )

    report = import_streets_csv(alken, data)

    assert report.created == 2
    assert names(alken) == [("Motstraat", "3570"), ("Stationsstraat", "3571")]


def test_import_reads_utf8_with_a_byte_order_mark(alken):
    data = "\ufeff".encode() + csv_bytes("straatnaam;postcode", "Pénestraat;3570")

    report = import_streets_csv(alken, data)

    assert report.created == 1
    assert names(alken) == [("Pénestraat", "3570")]


def test_import_reads_windows_1252(alken):
    data = csv_bytes(
        "straatnaam;postcode", "Pénestraat;3570", "Kapelleké;3571", encoding="cp1252"
    )

    report = import_streets_csv(alken, data)

    assert report.created == 2
    assert names(alken) == [("Kapelleké", "3571"), ("Pénestraat", "3570")]


def test_import_finds_the_columns_whatever_their_case_accents_and_order(alken):
    data = csv_bytes(
        "Gemeente;Pöstcode;Status;STRAATNAAM",
        "Alken;3570;inGebruik;Motstraat",
    )

    report = import_streets_csv(alken, data)

    assert report.created == 1
    assert names(alken) == [("Motstraat", "3570")]


def test_import_ignores_blank_lines_and_extra_spaces(alken):
    data = csv_bytes(
        "straatnaam;postcode", "", "  Rode   Kruisstraat ; 3570 ", ";", "Motstraat;3570"
    )

    report = import_streets_csv(alken, data)

    assert (report.created, report.refused) == (2, [])
    assert names(alken) == [("Motstraat", "3570"), ("Rode Kruisstraat", "3570")]


def test_importing_the_same_file_twice_changes_nothing(alken):
    import_streets_csv(alken, REGISTER_FILE)

    report = import_streets_csv(alken, REGISTER_FILE)

    assert (report.created, report.existing, report.refused) == (0, 3, [])
    assert alken.streets.count() == 3


def test_a_street_twice_in_one_file_is_created_once(alken):
    data = csv_bytes("straatnaam;postcode", "Motstraat;3570", "Motstraat ;3570")

    report = import_streets_csv(alken, data)

    assert (report.created, report.existing) == (1, 1)
    assert alken.streets.count() == 1


def test_a_street_with_the_same_name_in_another_postcode_is_another_street(alken):
    StreetFactory(municipality=alken, name="Motstraat", postcode="3570")
    data = csv_bytes("straatnaam;postcode", "Motstraat;3570", "Motstraat;3571")

    report = import_streets_csv(alken, data)

    assert (report.created, report.existing) == (1, 1)


def test_bad_rows_are_refused_with_their_line_and_the_good_ones_imported(alken):
    data = csv_bytes(
        "straatnaam;postcode",
        "Motstraat;3570",
        "Hasseltsesteenweg;3500",
        ";3570",
        "Terkoest;",
        "Stationsstraat;3571",
    )

    report = import_streets_csv(alken, data)

    assert report.created == 2
    assert names(alken) == [("Motstraat", "3570"), ("Stationsstraat", "3571")]
    assert [line for line, _reason in report.refused] == [3, 4, 5]
    reasons = dict(report.refused)
    assert "postcode" in reasons[3].lower()
    assert reasons[4] and reasons[5]
    assert report.total == 5


def test_streets_of_another_municipality_are_left_alone(alken, zone):
    neighbour = MunicipalityFactory(zone=zone, postcodes="3570")
    StreetFactory(municipality=neighbour, name="Motstraat", postcode="3570")

    report = import_streets_csv(alken, REGISTER_FILE)

    assert report.created == 3
    assert neighbour.streets.count() == 1


# --- whole files that are not a street list ----------------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "leeg"),
        (b"\xef\xbb\xbf", "leeg"),
        (csv_bytes("naam;code", "Motstraat;3570"), "straatnaam"),
        (csv_bytes("straatnaam;gemeente", "Motstraat;Alken"), "postcode"),
        (csv_bytes("postcode", "3570"), "straatnaam"),
    ],
    ids=["empty", "only-bom", "unknown-headings", "no-postcode", "one-column"],
)
def test_a_file_without_the_columns_is_refused_with_a_clear_message(alken, data, words):
    with pytest.raises(StreetFileError) as error:
        read_street_rows(data)

    assert words in str(error.value)
    assert not alken.streets.exists()


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x81\x8d\x8f\x90\x9d",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\x81\x90xl/workbook.xml",
        bytes(range(256)) * 4,
    ],
    ids=["png", "xlsx", "all-bytes"],
)
def test_a_binary_file_is_refused(alken, data):
    with pytest.raises(StreetFileError) as error:
        import_streets_csv(alken, data)

    assert str(error.value)
    assert not alken.streets.exists()


def test_read_street_rows_gives_line_numbers_from_the_file(alken):
    data = csv_bytes("straatnaam;postcode", "Motstraat;3570", "", "Terkoest;3570")

    assert read_street_rows(data) == [
        (2, "Motstraat", "3570"),
        (4, "Terkoest", "3570"),
    ]


def test_a_file_of_too_many_streets_is_refused(alken, monkeypatch):
    monkeypatch.setattr("groups.services.streets.MAX_ROWS", 2)
    data = csv_bytes("straatnaam;postcode", "A;3570", "B;3570", "C;3570")

    with pytest.raises(StreetFileError):
        import_streets_csv(alken, data)

    assert not alken.streets.exists()


# --- the admin page -----------------------------------------------------------


def import_url(municipality: Municipality) -> str:
    return reverse("admin:groups_municipality_import_streets", args=[municipality.pk])


def upload(data: bytes, name: str = "straten.csv") -> dict:
    return {"file": SimpleUploadedFile(name, data, content_type="text/csv")}


def test_zone_staff_open_the_import_page(client, zone_staff, alken):
    client.force_login(zone_staff)

    response = client.get(import_url(alken))

    assert response.status_code == HTTPStatus.OK
    assert "3570, 3571" in response.content.decode()


def test_municipality_change_page_links_to_the_import(client, zone_staff, alken):
    client.force_login(zone_staff)

    response = client.get(reverse("admin:groups_municipality_change", args=[alken.pk]))

    assert import_url(alken) in response.content.decode()


def test_zone_staff_upload_a_file_and_the_worker_imports_it(client, zone_staff, alken):
    client.force_login(zone_staff)
    data = csv_bytes("straatnaam;postcode", "Motstraat;3570", "Hasseltsesteenweg;3500")

    response = client.post(import_url(alken), upload(data))

    job = StreetImport.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == job.get_absolute_url()
    # Nothing is imported inside the request.
    assert not alken.streets.exists()
    assert job.status == StreetImportStatus.QUEUED

    run_next_street_import()

    page = client.get(job.get_absolute_url())
    assert names(alken) == [("Motstraat", "3570")]
    content = page.content.decode()
    assert "<td>3</td>" in content
    assert "3500" in content


def test_a_file_without_the_columns_is_a_form_error_in_the_admin(
    client, zone_staff, alken
):
    client.force_login(zone_staff)

    response = client.post(
        import_url(alken), upload(csv_bytes("naam;code", "Motstraat;3570"))
    )

    assert response.status_code == HTTPStatus.OK
    assert not StreetImport.objects.exists()
    assert "straatnaam" in " ".join(response.context["form"].errors["file"])
    assert not alken.streets.exists()


def test_a_binary_file_is_a_form_error_in_the_admin(client, zone_staff, alken):
    client.force_login(zone_staff)

    response = client.post(
        import_url(alken), upload(b"\x89PNG\r\n\x1a\n\x00\x81\x8d", "foto.png")
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["file"]
    assert not alken.streets.exists()


def test_posting_no_file_is_a_form_error(client, zone_staff, alken):
    client.force_login(zone_staff)

    # A browser always sends the CSRF token along, even without a file.
    response = client.post(import_url(alken), {"csrfmiddlewaretoken": "x"})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["file"]


def test_a_file_over_5_mb_is_refused_in_the_admin(client, zone_staff, alken):
    client.force_login(zone_staff)
    header = b"straatnaam;postcode\r\nMotstraat;3570\r\n"
    data = header + b" " * (5 * 1024 * 1024 + 1 - len(header))

    response = client.post(import_url(alken), upload(data))

    assert response.status_code == HTTPStatus.OK
    assert "5 MB" in " ".join(response.context["form"].errors["file"])
    assert not alken.streets.exists()


def test_zone_staff_cannot_import_into_a_municipality_of_another_zone(
    client, zone_staff
):
    foreign = MunicipalityFactory()
    client.force_login(zone_staff)

    get = client.get(import_url(foreign))
    post = client.post(import_url(foreign), upload(REGISTER_FILE))

    assert get.status_code == post.status_code == HTTPStatus.NOT_FOUND
    assert not foreign.streets.exists()


def test_coordinator_cannot_import_streets(client, coordinator_user, group):
    client.force_login(coordinator_user)
    municipality = group.municipality

    get = client.get(import_url(municipality))
    post = client.post(import_url(municipality), upload(REGISTER_FILE))

    assert get.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)
    assert post.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)
    assert not municipality.streets.exists()


def test_anonymous_visitor_is_sent_to_the_login(client, alken):
    response = client.get(import_url(alken))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:login"))


# --- the management command ---------------------------------------------------


def test_command_imports_a_file_and_reports(alken, tmp_path, capsys):
    path = tmp_path / "straten.csv"
    path.write_bytes(csv_bytes("straatnaam;postcode", "Motstraat;3570", "Elders;3500"))

    call_command("import_streets", "alken", str(path))

    out, err = capsys.readouterr()
    assert "1 created, 0 already known, 1 refused" in out
    assert "line 3:" in err
    assert names(alken) == [("Motstraat", "3570")]


def test_command_is_idempotent(alken, tmp_path, capsys):
    path = tmp_path / "straten.csv"
    path.write_bytes(REGISTER_FILE)
    call_command("import_streets", "alken", str(path))

    call_command("import_streets", "alken", str(path))

    assert "0 created, 3 already known, 0 refused" in capsys.readouterr().out
    assert alken.streets.count() == 3


def test_command_refuses_an_unknown_municipality(alken, tmp_path):
    path = tmp_path / "straten.csv"
    path.write_bytes(REGISTER_FILE)

    with pytest.raises(CommandError, match="nergens"):
        call_command("import_streets", "nergens", str(path))


def test_command_refuses_a_missing_file(alken, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_streets", "alken", str(tmp_path / "weg.csv"))


def test_command_refuses_a_file_without_the_columns(alken, tmp_path):
    path = tmp_path / "straten.csv"
    path.write_bytes(csv_bytes("naam;code", "Motstraat;3570"))

    with pytest.raises(CommandError, match="straatnaam"):
        call_command("import_streets", "alken", str(path))

    assert not alken.streets.exists()


def test_a_street_in_other_capitals_is_the_street_already_known():
    municipality = MunicipalityFactory(postcodes="3570")
    import_streets_csv(municipality, b"straatnaam;postcode\nMotstraat;3570\n")

    report = import_streets_csv(municipality, b"straatnaam;postcode\nMOTSTRAAT;3570\n")

    assert (report.created, report.existing) == (0, 1)
    assert municipality.streets.count() == 1
