"""The public downloads (presentation, forms) as the zone's staff keep them.

``DownloadAdmin`` and ``DownloadForm``: office documents and PDF only, in the
order staff set, shown on the public house-rules page unless hidden.
"""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from groups.admin.downloads import DownloadForm
from groups.models import Download
from tests.factories import DownloadFactory, HouseRulesFactory, PoliceZoneFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def upload(name: str, data: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def add(client, zone, name: str, **overrides):
    data = {
        "zone": zone.pk,
        "title": "Presentatie infoavond",
        "file": upload(name),
        "is_public": "on",
        "display_order": "1",
    }
    data.update(overrides)
    return client.post(reverse("admin:groups_download_add"), data)


def test_zone_staff_see_the_add_form(client, zone_staff):
    client.force_login(zone_staff)

    response = client.get(reverse("admin:groups_download_add"))

    assert response.status_code == HTTPStatus.OK


def test_zone_staff_upload_a_pdf(client, zone_staff, zone, media_root):
    client.force_login(zone_staff)

    response = add(client, zone, "presentatie.pdf")

    assert response.status_code == HTTPStatus.FOUND
    download = Download.objects.get()
    assert download.zone == zone
    assert download.title == "Presentatie infoavond"
    assert download.file.name.startswith("downloads/")
    assert download.file.name.endswith(".pdf")
    assert (media_root / download.file.name).read_bytes() == PDF


@pytest.mark.parametrize(
    "name", ["presentatie.pptx", "Formulier.DOCX", "leden.ods", "folder.PDF"]
)
def test_office_documents_are_accepted(client, zone_staff, zone, name):
    client.force_login(zone_staff)

    response = add(client, zone, name)

    assert response.status_code == HTTPStatus.FOUND
    assert Download.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("setup.exe", "application/octet-stream"),
        ("pagina.html", "text/html"),
        ("script.js", "text/javascript"),
        ("afbeelding.svg", "image/svg+xml"),
        ("presentatie.pdf.exe", "application/octet-stream"),
        ("zonder-extensie", "application/pdf"),
    ],
)
def test_other_files_are_refused_with_a_message(
    client, zone_staff, zone, name, content_type, media_root
):
    client.force_login(zone_staff)

    response = add(client, zone, name, file=upload(name, b"MZ\x90\x00", content_type))

    assert response.status_code == HTTPStatus.OK
    errors = " ".join(response.context["adminform"].form.errors["file"])
    assert "pdf" in errors
    assert not Download.objects.exists()
    assert not (media_root / "downloads").exists()


def test_a_file_too_large_is_refused(client, zone_staff, zone, monkeypatch):
    monkeypatch.setattr(DownloadForm, "MAX_BYTES", len(PDF) - 1)
    client.force_login(zone_staff)

    response = add(client, zone, "presentatie.pdf")

    assert response.status_code == HTTPStatus.OK
    assert "20 MB" in " ".join(response.context["adminform"].form.errors["file"])
    assert not Download.objects.exists()


def test_zone_staff_cannot_upload_for_another_zone(client, zone_staff):
    other = PoliceZoneFactory()
    client.force_login(zone_staff)

    response = add(client, other, "presentatie.pdf")

    assert response.status_code == HTTPStatus.OK
    assert "zone" in response.context["adminform"].form.errors
    assert not Download.objects.exists()


def test_changing_the_title_keeps_the_file(client, zone_staff, zone):
    download = DownloadFactory(zone=zone, title="Oud")
    name = download.file.name
    client.force_login(zone_staff)
    url = reverse("admin:groups_download_change", args=[download.pk])

    page = client.get(url)
    response = client.post(
        url,
        {"zone": zone.pk, "title": "Nieuw", "is_public": "on", "display_order": "0"},
    )

    assert page.status_code == HTTPStatus.OK
    assert response.status_code == HTTPStatus.FOUND
    download.refresh_from_db()
    assert (download.title, download.file.name) == ("Nieuw", name)


def test_replacing_the_file_by_an_exe_is_refused(client, zone_staff, zone):
    download = DownloadFactory(zone=zone)
    name = download.file.name
    client.force_login(zone_staff)

    response = client.post(
        reverse("admin:groups_download_change", args=[download.pk]),
        {
            "zone": zone.pk,
            "title": download.title,
            "file": upload("setup.exe", b"MZ", "application/octet-stream"),
            "display_order": "0",
        },
    )

    assert response.status_code == HTTPStatus.OK
    download.refresh_from_db()
    assert download.file.name == name


@pytest.fixture
def three(zone):
    """Three downloads of the zone, out of alphabetical order, one hidden."""
    return {
        "folder": DownloadFactory(zone=zone, title="A folder", display_order=3),
        "presentatie": DownloadFactory(
            zone=zone, title="B presentatie", display_order=1
        ),
        "verborgen": DownloadFactory(
            zone=zone, title="C verborgen", display_order=2, is_public=False
        ),
    }


def test_the_list_is_in_the_order_staff_set(client, zone_staff, three):
    DownloadFactory(title="Andere zone")
    client.force_login(zone_staff)

    response = client.get(reverse("admin:groups_download_changelist"))

    assert response.status_code == HTTPStatus.OK
    titles = [download.title for download in response.context["cl"].result_list]
    assert titles == ["B presentatie", "C verborgen", "A folder"]


def test_staff_reorder_and_hide_in_the_list(client, zone_staff, three):
    client.force_login(zone_staff)
    order = {"presentatie": 5, "verborgen": 1, "folder": 2}
    data = {
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "3",
        "_save": "Opslaan",
    }
    for index, key in enumerate(["presentatie", "verborgen", "folder"]):
        data[f"form-{index}-id"] = three[key].pk
        data[f"form-{index}-display_order"] = order[key]
        if key != "folder":  # the folder is hidden, the hidden one shown
            data[f"form-{index}-is_public"] = "on"

    response = client.post(reverse("admin:groups_download_changelist"), data)

    assert response.status_code == HTTPStatus.FOUND
    three["folder"].refresh_from_db()
    three["verborgen"].refresh_from_db()
    assert not three["folder"].is_public
    assert three["verborgen"].is_public
    ordered = list(Download.objects.filter(zone=three["folder"].zone))
    assert [d.title for d in ordered] == ["C verborgen", "A folder", "B presentatie"]


def test_a_negative_order_is_refused_in_the_list(client, zone_staff, three):
    client.force_login(zone_staff)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": three["folder"].pk,
        "form-0-display_order": "-1",
        "form-0-is_public": "on",
        "_save": "Opslaan",
    }

    response = client.post(reverse("admin:groups_download_changelist"), data)

    assert response.status_code == HTTPStatus.OK
    three["folder"].refresh_from_db()
    assert three["folder"].display_order == 3


def test_the_house_rules_page_shows_the_public_downloads_in_order(client, zone, three):
    HouseRulesFactory(zone=zone)
    DownloadFactory(title="Andere zone")

    response = client.get(reverse("registrations:house-rules"), {"zone": zone.pk})

    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "C verborgen" not in content
    assert "Andere zone" not in content
    assert content.index("B presentatie") < content.index("A folder")
    assert three["presentatie"].file.url in content


def test_a_zone_without_public_downloads_shows_no_download_section(client, zone):
    HouseRulesFactory(zone=zone)
    DownloadFactory(zone=zone, title="Verborgen", is_public=False)

    response = client.get(reverse("registrations:house-rules"), {"zone": zone.pk})

    assert 'id="downloads-heading"' not in response.content.decode()


def test_zone_staff_do_not_open_another_zones_download(client, zone_staff):
    foreign = DownloadFactory(title="Andere zone")
    client.force_login(zone_staff)

    listing = client.get(reverse("admin:groups_download_changelist"))
    change = client.get(reverse("admin:groups_download_change", args=[foreign.pk]))

    assert "Andere zone" not in listing.content.decode()
    assert change.status_code == HTTPStatus.FOUND  # "not found", to the index


def test_coordinators_do_not_keep_downloads(client, coordinator_user, zone):
    DownloadFactory(zone=zone)
    client.force_login(coordinator_user)

    listing = client.get(reverse("admin:groups_download_changelist"))
    adding = add(client, zone, "presentatie.pdf")

    assert listing.status_code == HTTPStatus.FORBIDDEN
    assert adding.status_code == HTTPStatus.FORBIDDEN
    assert Download.objects.count() == 1
