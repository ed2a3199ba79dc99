"""Street imports as background work: the file formats staff upload, the job's
life in ``groups.services.street_imports`` (queue, claim with a lease, run,
fail), its progress page and list in the admin, the ``run_imports`` worker,
and a country-sized file.

The worker's one step (``run_next_street_import``) runs the job here, in
the test's own process and transaction.
"""

import time
from datetime import timedelta
from http import HTTPStatus

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from groups.constants import StreetImportStatus
from groups.models import Municipality, Street, StreetImport
from groups.services import StreetFileError, import_streets_csv
from groups.services import street_imports as jobs
from groups.services.streets import read_street_rows
from tests.factories import MunicipalityFactory, StreetFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alken(zone) -> Municipality:
    return MunicipalityFactory(
        zone=zone, name="Alken", slug="alken", postcodes="3570, 3571"
    )


def lines(*rows: str, sep: str = ";") -> str:
    return "\r\n".join(row.replace(";", sep) for row in rows) + "\r\n"


def names(municipality: Municipality) -> list[tuple[str, str]]:
    return list(municipality.streets.order_by("name").values_list("name", "postcode"))


def import_entries(municipality: Municipality):
    """The audit entries street imports wrote on the municipality."""
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Municipality),
        object_pk=str(municipality.pk),
        additional_data__has_key="street_import",
    )


def queue(municipality, data: bytes, by, name="straten.csv") -> StreetImport:
    return jobs.queue_street_import(municipality, data=data, file_name=name, by=by)


# --- what the file is: encoding and separator ---------------------------------

STREETS = lines("straatnaam;postcode", "Pénestraat;3570", "Kapelleké;3571")
EXPECTED = [(2, "Pénestraat", "3570"), (3, "Kapelleké", "3571")]


@pytest.mark.parametrize(
    "data",
    [
        STREETS.encode("utf-8"),
        STREETS.encode("utf-8-sig"),
        STREETS.encode("utf-16"),  # with its byte-order mark, as Excel saves
        STREETS.encode("utf-16-le"),
        STREETS.encode("utf-16-be"),
        "\ufeff".encode("utf-16-be") + STREETS.encode("utf-16-be"),
        STREETS.encode("cp1252"),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16-bom",
        "utf16le-no-bom",
        "utf16be-no-bom",
        "utf16be-bom",
        "windows-1252",
    ],
)
def test_every_usual_encoding_is_recognised(data):
    assert read_street_rows(data) == EXPECTED


@pytest.mark.parametrize("sep", [";", ",", "\t"], ids=["semicolon", "comma", "tab"])
def test_every_usual_separator_is_recognised(sep):
    data = lines("straatnaam;postcode", "Pénestraat;3570", "Kapelleké;3571", sep=sep)

    assert read_street_rows(data.encode()) == EXPECTED


def test_excels_unicode_text_is_read_utf16_with_tabs(alken):
    # Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated,
    # the file that had every row refused with "postcode … 9 characters".
    data = lines("straatnaam;postcode", "Motstraat;3570", sep="\t").encode("utf-16")

    report = import_streets_csv(alken, data)

    assert (report.created, report.refused) == (1, [])
    assert names(alken) == [("Motstraat", "3570")]


def test_a_quoted_name_with_the_separator_in_it_stays_one_name(alken):
    data = lines('"straatnaam","postcode"', '"Heide, Oude";3570', sep=",")

    assert read_street_rows(data.encode()) == [(2, "Heide, Oude", "3570")]


# --- the register's layouts ---------------------------------------------------


def test_the_crab_street_name_export_layout(alken):
    data = lines(
        "straatnaamid;straatnaam;gemeentenaam;postcode",
        "41021;Motstraat;Alken;3570",
        "41022;Rode Kruisstraat;Alken;3570",
        "41023;Stationsstraat;Alken;3571",
    ).encode("cp1252")

    report = import_streets_csv(alken, data)

    assert (report.created, report.existing, report.refused) == (3, 0, [])


def test_the_bosa_best_address_layout_one_line_per_address(alken):
    # BOSA's BeST address file: comma-separated, one line per address, the
    # Dutch street name in "streetname_nl" after the German and French ones.
    header = (
        "EPSG:31370_x,EPSG:31370_y,EPSG:4326_lat,EPSG:4326_lon,address_id,"
        "box_number,house_number,municipality_id,municipality_name_de,"
        "municipality_name_fr,municipality_name_nl,postcode,postname_fr,"
        "postname_nl,street_id,streetname_de,streetname_fr,streetname_nl,"
        "region_code,status"
    )
    row = (
        "1,2,50.8,5.3,{id},,{nr},73001,,,Alken,3570,,Alken,9,,,{street},BE-VLG,current"
    )
    data = "\n".join(
        [header]
        + [row.format(id=n, nr=n, street="Motstraat") for n in range(1, 4)]
        + [row.format(id=9, nr=1, street="Terkoest")]
    ).encode()

    report = import_streets_csv(alken, data)

    assert (report.created, report.existing, report.refused) == (2, 2, [])
    assert names(alken) == [("Motstraat", "3570"), ("Terkoest", "3570")]


def test_the_street_name_registry_extract_without_postcodes_is_refused_clearly():
    # The registry's own extract (STRAATNM, NISCODE) holds no postcode.
    data = lines(
        "ID;STRAATNMID;VERSIEID;NISCODE;STRAATNM;HOMONIEMTV;STATUS",
        "1;41021;1;73001;Motstraat;;inGebruik",
    ).encode()

    with pytest.raises(StreetFileError) as error:
        read_street_rows(data)

    assert "“postcode”" in str(error.value)
    assert "STRAATNM" in str(error.value)


# --- wrong files: a message that names the problem ---------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00xl/workbook.xml", "spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "spreadsheet"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"\xff\xfes\x00t\x00r", "UTF-16"),
        (b"straatnaam|postcode\nMotstraat|3570\n", "only one column"),
        (b"\r\n\r\n  \r\n", "empty"),
    ],
    ids=["xlsx", "xls", "pdf", "broken-utf16", "pipes", "blank-lines"],
)
def test_a_wrong_file_gets_a_message_naming_the_problem(settings, data, words):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(StreetFileError) as error:
        read_street_rows(data)

    assert words in str(error.value)


def test_a_bad_row_is_refused_naming_the_field(alken):
    report = import_streets_csv(
        alken,
        lines(
            "straatnaam;postcode", ";3570", "Motstraat;35700", "x" * 151 + ";3570"
        ).encode(),
    )

    reasons = dict(report.refused)
    assert sorted(reasons) == [2, 3, 4]
    assert reasons[2].startswith("Straatnaam:")
    assert reasons[3].startswith("Postcode:")
    assert reasons[4].startswith("Straatnaam:")
    assert not alken.streets.exists()


# --- the job: queued, claimed, run --------------------------------------------


def test_a_queued_job_imports_nothing_until_the_worker_runs_it(alken, zone_staff):
    data = lines("straatnaam;postcode", "Motstraat;3570", "Elders;3500").encode()

    job = queue(alken, data, zone_staff)

    assert (job.status, job.total_rows, job.processed_rows) == ("queued", 2, 0)
    assert not alken.streets.exists()

    done = jobs.run_next_street_import()

    assert done.pk == job.pk
    assert done.status == StreetImportStatus.DONE
    assert (done.created_count, done.existing_count, done.refused_count) == (1, 0, 1)
    assert done.refused[0][0] == 3
    assert "3500" in done.refused[0][1]
    assert (done.processed_rows, done.percent) == (2, 100)
    assert done.content == ""
    assert done.started_at and done.finished_at
    assert names(alken) == [("Motstraat", "3570")]
    assert jobs.run_next_street_import() is None


def test_a_bad_file_is_refused_at_upload_and_no_job_is_queued(alken, zone_staff):
    with pytest.raises(StreetFileError):
        queue(alken, b"naam;code\nMotstraat;3570\n", zone_staff)

    assert not StreetImport.objects.exists()


def test_jobs_run_oldest_first(alken, zone_staff):
    first = queue(alken, lines("straatnaam;postcode", "A;3570").encode(), zone_staff)
    second = queue(alken, lines("straatnaam;postcode", "B;3570").encode(), zone_staff)

    assert jobs.run_next_street_import().pk == first.pk
    assert jobs.run_next_street_import().pk == second.pk


def test_one_audit_entry_per_import_on_the_municipality(alken, zone_staff):
    rows = [f"Straat {n};3570" for n in range(50)]
    queue(alken, lines("straatnaam;postcode", *rows).encode(), zone_staff)

    job = jobs.run_next_street_import()

    street_entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Street)
    )
    assert not street_entries.exists()
    entry = import_entries(alken).get()
    assert entry.actor == zone_staff
    assert entry.changes_dict == {"streets": ["0", "50"]}
    assert entry.additional_data == {
        "zone": alken.zone_id,
        "street_import": job.pk,
        "added": 50,
        "unchanged": 0,
        "refused": 0,
    }


def test_the_audit_entry_reads_in_the_audit_log(client, zone_staff, alken):
    queue(alken, lines("straatnaam;postcode", "A;3570").encode(), zone_staff)
    jobs.run_next_street_import()
    client.force_login(zone_staff)

    response = client.get(reverse("admin:auditlog_logentry_changelist"))

    assert response.status_code == HTTPStatus.OK
    assert "Alken" in response.content.decode()


def test_a_street_added_by_hand_meanwhile_is_counted_as_known(alken, zone_staff):
    job = queue(
        alken, lines("straatnaam;postcode", "Motstraat;3570").encode(), zone_staff
    )
    claimed = jobs.claim_street_import()
    StreetFactory(municipality=alken, name="Motstraat", postcode="3570")

    done = jobs.run_street_import(claimed)

    assert done.pk == job.pk
    assert (done.created_count, done.existing_count) == (0, 1)
    assert alken.streets.count() == 1


def test_a_failure_while_writing_leaves_nothing_half_imported(
    alken, zone_staff, monkeypatch
):
    rows = [f"Straat {n};3570" for n in range(30)]
    queue(alken, lines("straatnaam;postcode", *rows).encode(), zone_staff)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    # The audit entry is written after the streets, in the same transaction.
    monkeypatch.setattr(LogEntry.objects, "log_create", broken)

    job = jobs.run_next_street_import()

    assert job.status == StreetImportStatus.FAILED
    assert "Nothing was imported" in job.error or "niets" in job.error.lower()
    assert not alken.streets.exists()


def test_a_running_job_is_left_to_its_worker_while_the_lease_holds(alken, zone_staff):
    queue(alken, lines("straatnaam;postcode", "A;3570").encode(), zone_staff)
    assert jobs.claim_street_import() is not None

    assert jobs.claim_street_import() is None


def test_a_job_whose_worker_died_is_taken_again_and_done_once(alken, zone_staff):
    queue(alken, lines("straatnaam;postcode", "A;3570").encode(), zone_staff)
    dead = jobs.claim_street_import()
    StreetImport.objects.filter(pk=dead.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )

    again = jobs.run_next_street_import()

    assert again.pk == dead.pk
    assert (again.status, again.attempts, again.created_count) == ("done", 2, 1)
    # The first worker wakes up: the job is no longer its, nothing is written.
    late = jobs.run_street_import(dead)
    assert late.status == StreetImportStatus.DONE
    assert alken.streets.count() == 1
    assert import_entries(alken).count() == 1


def test_a_job_whose_worker_died_again_and_again_is_given_up(alken, zone_staff):
    job = queue(alken, lines("straatnaam;postcode", "A;3570").encode(), zone_staff)
    StreetImport.objects.filter(pk=job.pk).update(
        status=StreetImportStatus.RUNNING,
        attempts=jobs.MAX_ATTEMPTS,
        lease_until=timezone.now() - timedelta(seconds=1),
    )

    assert jobs.run_next_street_import() is None

    job.refresh_from_db()
    assert job.status == StreetImportStatus.FAILED
    assert job.error
    assert job.content == ""
    assert not alken.streets.exists()


def test_progress_is_saved_while_the_rows_are_checked(alken, zone_staff, monkeypatch):
    monkeypatch.setattr("groups.services.streets.PROGRESS_EVERY", 2)
    rows = [f"Straat {n};3570" for n in range(5)]
    queue(alken, lines("straatnaam;postcode", *rows).encode(), zone_staff)
    seen = []
    original = jobs.plan_street_rows

    def watching(municipality, rows, *, progress):
        def spy(done):
            progress(done)
            job = StreetImport.objects.get()
            seen.append((job.processed_rows, job.percent))

        return original(municipality, rows, progress=spy)

    monkeypatch.setattr(jobs, "plan_street_rows", watching)

    jobs.run_next_street_import()

    assert seen == [(2, 40), (4, 80)]


# --- the admin: the upload, the progress page, the list ----------------------


def job_url(job: StreetImport) -> str:
    return reverse("admin:groups_streetimport_change", args=[job.pk])


def refused_url(job: StreetImport) -> str:
    return reverse("admin:groups_streetimport_refused", args=[job.pk])


def test_the_page_of_a_waiting_job_refreshes_itself(client, zone_staff, alken):
    job = queue(alken, lines("straatnaam;postcode", "A;3570").encode(), zone_staff)
    client.force_login(zone_staff)

    response = client.get(job_url(job))

    content = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert '<meta http-equiv="refresh" content="2">' in content
    assert "Wachten op" in content or "wacht" in content.lower()


def test_the_page_of_a_running_job_shows_its_progress(client, zone_staff, alken):
    job = queue(alken, lines("straatnaam;postcode", "A;3570").encode(), zone_staff)
    StreetImport.objects.filter(pk=job.pk).update(
        status=StreetImportStatus.RUNNING, total_rows=200, processed_rows=50
    )
    client.force_login(zone_staff)

    content = client.get(job_url(job)).content.decode()

    assert '<progress id="import-progress" max="100" value="25">' in content
    assert "50" in content and "200" in content
    assert 'http-equiv="refresh"' in content


def test_the_page_of_a_finished_job_shows_the_result_and_stops_refreshing(
    client, zone_staff, alken
):
    data = lines("straatnaam;postcode", "Motstraat;3570", "=Elders;3500").encode()
    job = queue(alken, data, zone_staff)
    jobs.run_next_street_import()
    client.force_login(zone_staff)

    content = client.get(job_url(job)).content.decode()
    download = client.get(refused_url(job))

    assert 'http-equiv="refresh"' not in content
    assert "<td>3</td>" in content
    assert download.status_code == HTTPStatus.OK
    csv_text = download.content.decode("utf-8-sig")
    assert csv_text.splitlines()[1].startswith("3;")
    assert "3500" in csv_text


def test_the_refused_download_makes_formulas_text(client, zone_staff, alken):
    job = queue(alken, lines("straatnaam;postcode", "A;3570").encode(), zone_staff)
    StreetImport.objects.filter(pk=job.pk).update(
        status=StreetImportStatus.DONE, refused=[[2, "=HYPERLINK(1)"]]
    )
    client.force_login(zone_staff)

    csv_text = client.get(refused_url(job)).content.decode("utf-8-sig")

    assert "2;'=HYPERLINK(1)" in csv_text


def test_a_failed_job_says_why_and_that_nothing_was_added(client, zone_staff, alken):
    job = queue(alken, lines("straatnaam;postcode", "A;3570").encode(), zone_staff)
    StreetImport.objects.filter(pk=job.pk).update(
        status=StreetImportStatus.FAILED, error="De reden."
    )
    client.force_login(zone_staff)

    content = client.get(job_url(job)).content.decode()

    assert "De reden." in content
    assert 'http-equiv="refresh"' not in content


def test_staff_list_their_zones_imports_only(client, zone_staff, alken):
    mine = queue(alken, lines("straatnaam;postcode", "A;3570").encode(), zone_staff)
    foreign_place = MunicipalityFactory(postcodes="9000")
    foreign = queue(
        foreign_place, lines("straatnaam;postcode", "A;9000").encode(), UserFactory()
    )
    client.force_login(zone_staff)

    response = client.get(reverse("admin:groups_streetimport_changelist"))

    assert response.status_code == HTTPStatus.OK
    shown = list(response.context["cl"].result_list)
    assert shown == [mine]
    assert foreign not in shown


def test_staff_of_another_zone_cannot_open_an_import(client, alken, zone_staff):
    job = queue(alken, lines("straatnaam;postcode", "A;3570").encode(), zone_staff)
    stranger = UserFactory()
    from groups.services import add_zone_staff
    from tests.factories import PoliceZoneFactory

    add_zone_staff(PoliceZoneFactory(), user=stranger)
    client.force_login(stranger)

    # As for any object of the admin that is not there: back to the index.
    assert client.get(job_url(job)).url == reverse("admin:index")
    assert client.get(refused_url(job)).status_code == HTTPStatus.NOT_FOUND


def test_a_coordinator_cannot_open_an_import(client, coordinator_user, zone_staff):
    municipality = coordinator_user.coordinator.zone.municipalities.first()
    job = queue(
        municipality,
        lines("straatnaam;postcode", f"A;{municipality.postcode_list[0]}").encode(),
        zone_staff,
    )
    client.force_login(coordinator_user)

    for url in (job_url(job), refused_url(job)):
        assert client.get(url).status_code in (
            HTTPStatus.FORBIDDEN,
            HTTPStatus.NOT_FOUND,
        )


def test_an_anonymous_visitor_is_sent_to_the_login(client, alken, zone_staff):
    job = queue(alken, lines("straatnaam;postcode", "A;3570").encode(), zone_staff)

    for url in (job_url(job), refused_url(job)):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("admin:login"))


def test_a_hand_typed_job_address_is_not_found(client, zone_staff):
    client.force_login(zone_staff)

    for object_id in ("999", "abc", "1%20OR%201=1"):
        url = reverse("admin:groups_streetimport_change", args=[object_id])
        # As for any object of the admin that is not there: back to the index.
        assert client.get(url).url == reverse("admin:index")


def test_nobody_adds_or_deletes_an_import_in_the_admin(admin_client, alken):
    job = queue(alken, lines("straatnaam;postcode", "A;3570").encode(), UserFactory())

    add = admin_client.get(reverse("admin:groups_streetimport_add"))
    delete = admin_client.get(
        reverse("admin:groups_streetimport_delete", args=[job.pk])
    )

    assert add.status_code == HTTPStatus.FORBIDDEN
    assert delete.status_code == HTTPStatus.FORBIDDEN


def test_the_upload_page_lists_the_earlier_imports(client, zone_staff, alken):
    job = queue(alken, lines("straatnaam;postcode", "A;3570").encode(), zone_staff)
    client.force_login(zone_staff)

    content = client.get(
        reverse("admin:groups_municipality_import_streets", args=[alken.pk])
    ).content.decode()

    assert job_url(job) in content


def test_a_utf16_upload_in_the_admin_is_imported(client, zone_staff, alken):
    client.force_login(zone_staff)
    data = lines("straatnaam;postcode", "Motstraat;3570", sep="\t").encode("utf-16")

    response = client.post(
        reverse("admin:groups_municipality_import_streets", args=[alken.pk]),
        {"file": SimpleUploadedFile("straten.txt", data)},
    )
    jobs.run_next_street_import()

    assert response.status_code == HTTPStatus.FOUND
    assert names(alken) == [("Motstraat", "3570")]


# --- the worker command --------------------------------------------------------


def test_run_imports_once_runs_every_waiting_job(alken, zone_staff):
    queue(alken, lines("straatnaam;postcode", "A;3570").encode(), zone_staff)
    queue(alken, lines("straatnaam;postcode", "B;3570").encode(), zone_staff)

    call_command("run_imports", "--once")

    assert names(alken) == [("A", "3570"), ("B", "3570")]
    assert not StreetImport.objects.unfinished().exists()


def test_run_imports_once_fails_loudly_when_the_round_fails(monkeypatch):
    def broken():
        raise RuntimeError("database gone")

    monkeypatch.setattr(
        "groups.management.commands.run_imports.run_next_street_import", broken
    )

    with pytest.raises(CommandError, match="RuntimeError"):
        call_command("run_imports", "--once")


# --- a country-sized file ------------------------------------------------------

COUNTRY_ROWS = 20_000


def country_file() -> bytes:
    """20,000 streets as the register exports them, one of them refused."""
    rows = [f"{40000 + n};Straat {n:05d};Alken;3570" for n in range(COUNTRY_ROWS - 1)]
    rows.append("99999;Elders;Hasselt;3500")
    return lines("straatnaamid;straatnaam;gemeentenaam;postcode", *rows).encode(
        "cp1252"
    )


def test_a_country_sized_file_is_imported_in_one_step(alken, zone_staff):
    StreetFactory(municipality=alken, name="Straat 00007", postcode="3570")
    job = queue(alken, country_file(), zone_staff)

    started = time.monotonic()
    done = jobs.run_next_street_import()
    seconds = time.monotonic() - started

    assert done.pk == job.pk
    assert (done.created_count, done.existing_count, done.refused_count) == (
        COUNTRY_ROWS - 2,
        1,
        1,
    )
    assert done.refused[0][0] == COUNTRY_ROWS + 1
    assert alken.streets.count() == COUNTRY_ROWS - 1
    assert import_entries(alken).count() == 1
    if connection.vendor == "postgresql":
        # The bar: 20,000 streets in under 10 s on PostgreSQL.
        assert seconds < 10, f"{seconds:.1f} s"


def test_the_import_takes_a_bounded_number_of_queries(
    alken, zone_staff, django_assert_max_num_queries
):
    rows = [f"Straat {n};3570" for n in range(3000)]
    queue(alken, lines("straatnaam;postcode", *rows).encode(), zone_staff)

    # Claim, a few progress updates, the write in batches (of 1,000 on
    # PostgreSQL; SQLite's limit of variables a statement makes them ~250),
    # the audit entry, the job's result: never a query a row.
    with django_assert_max_num_queries(45):
        jobs.run_next_street_import()

    assert alken.streets.count() == 3000
