"""The one helper behind every link the portal mails (wabp_portal.signed_links)."""

import base64
import hashlib
import json
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from groups.models import PoliceZone
from tests.factories import PoliceZoneFactory
from wabp_portal.signed_links import (
    InvalidLink,
    SupersededLink,
    row_from_link,
    signed_url,
)

pytestmark = pytest.mark.django_db

SALT = "tests.signed-links"


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture
def zone():
    return PoliceZoneFactory()


def test_a_link_names_its_row(zone, settings):
    settings.SITE_URL = "https://wabp.example"
    url = signed_url("groups:meeting-response", zone.pk, salt=SALT)

    assert url.startswith("https://wabp.example/")
    assert row_from_link(PoliceZone.objects, token_of(url), salt=SALT) == zone


def test_a_link_made_for_another_purpose_is_refused(zone):
    token = signing.dumps(zone.pk, salt="another purpose")

    with pytest.raises(InvalidLink):
        row_from_link(PoliceZone.objects, token, salt=SALT)


def test_a_tampered_link_is_refused(zone):
    other = PoliceZoneFactory()
    token = signing.dumps(zone.pk, salt=SALT)
    forged = (
        signing.dumps(other.pk, salt=SALT).split(":")[0] + token[token.index(":") :]
    )

    with pytest.raises(InvalidLink):
        row_from_link(PoliceZone.objects, forged, salt=SALT)


def test_an_expired_link_says_so(zone):
    token = signing.dumps(zone.pk, salt=SALT)

    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        with pytest.raises(InvalidLink) as error:
            row_from_link(
                PoliceZone.objects, token, salt=SALT, max_age=timedelta(hours=2)
            )
    assert "expired" in str(error.value.args[0]) or "verlopen" in str(
        error.value.args[0]
    )


@pytest.mark.parametrize("value", [True, False, "1", [1], {"pk": 1}, 1.0, None])
def test_a_signed_value_that_is_not_a_whole_number_names_no_row(value):
    # True is an int to Python: it must not open the row with pk 1.
    PoliceZoneFactory(pk=1)
    token = signing.dumps(value, salt=SALT)

    with pytest.raises(InvalidLink):
        row_from_link(PoliceZone.objects, token, salt=SALT)


def test_a_link_to_a_row_that_is_gone_says_what_the_caller_says(zone):
    token = signing.dumps(zone.pk, salt=SALT)
    zone.delete()

    with pytest.raises(InvalidLink) as error:
        row_from_link(PoliceZone.objects, token, salt=SALT, gone_message="gone")
    assert error.value.args[0] == "gone"


def test_a_link_reads_only_the_rows_it_is_given(zone):
    token = signing.dumps(zone.pk, salt=SALT)

    with pytest.raises(InvalidLink):
        row_from_link(PoliceZone.objects.exclude(pk=zone.pk), token, salt=SALT)


# --- Links bound to a value of their row ---------------------------------------


def current_name(zone: PoliceZone) -> str:
    return zone.name


def payload_of(token: str) -> str:
    """The signed value as anyone reading the URL sees it (it is not hidden)."""
    data = token.split(":")[0]
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)).decode()


def test_a_bound_link_opens_its_row_while_the_value_stays(zone):
    token = token_of(
        signed_url("groups:meeting-response", zone.pk, salt=SALT, bind=zone.name)
    )

    assert (
        row_from_link(PoliceZone.objects, token, salt=SALT, bind=current_name) == zone
    )


def test_a_bound_link_stops_working_once_the_value_changes(zone):
    token = token_of(
        signed_url("groups:meeting-response", zone.pk, salt=SALT, bind=zone.name)
    )
    zone.name = "PZ Nieuw"
    zone.save()

    with pytest.raises(SupersededLink) as error:
        row_from_link(
            PoliceZone.objects,
            token,
            salt=SALT,
            bind=current_name,
            superseded_message="moved on",
        )
    assert error.value.args[0] == "moved on"


def test_a_bound_link_carries_no_trace_a_reader_can_check_the_value_against(zone):
    zone.name = "geheim.adres@example.be"
    token = token_of(
        signed_url("groups:meeting-response", zone.pk, salt=SALT, bind=zone.name)
    )

    payload = payload_of(token)
    assert zone.name not in payload
    for digest in (hashlib.sha256, hashlib.md5, hashlib.sha1):
        assert digest(zone.name.encode()).hexdigest()[:32] not in payload


def test_the_same_value_binds_differently_for_another_purpose(zone):
    one = payload_of(
        token_of(signed_url("groups:meeting-response", zone.pk, salt=SALT, bind="x"))
    )
    other = payload_of(
        token_of(signed_url("groups:meeting-response", zone.pk, salt="other", bind="x"))
    )

    assert json.loads(one)[1] != json.loads(other)[1]


def test_a_bound_link_is_refused_where_links_are_not_bound(zone):
    token = signing.dumps([zone.pk, "0" * 32], salt=SALT)

    with pytest.raises(InvalidLink):
        row_from_link(PoliceZone.objects, token, salt=SALT)


def test_an_unbound_link_is_refused_where_links_are_bound(zone):
    token = signing.dumps(zone.pk, salt=SALT)

    with pytest.raises(SupersededLink):
        row_from_link(PoliceZone.objects, token, salt=SALT, bind=current_name)


def test_an_unbound_link_is_accepted_where_the_caller_still_allows_it(zone):
    token = signing.dumps(zone.pk, salt=SALT)

    assert (
        row_from_link(
            PoliceZone.objects,
            token,
            salt=SALT,
            bind=current_name,
            unbound=lambda z: True,
        )
        == zone
    )
    with pytest.raises(SupersededLink):
        row_from_link(
            PoliceZone.objects,
            token,
            salt=SALT,
            bind=current_name,
            unbound=lambda z: False,
        )


def test_a_row_with_nothing_to_bind_accepts_any_of_its_links(zone):
    bound = signing.dumps([zone.pk, "0" * 32], salt=SALT)

    assert (
        row_from_link(PoliceZone.objects, bound, salt=SALT, bind=lambda z: None) == zone
    )


def test_a_digest_made_up_by_hand_is_refused(zone):
    # Signed with the secret but with a digest of the attacker's choosing:
    # only a server bug could make such a link; it still opens nothing.
    token = signing.dumps([zone.pk, "f" * 32], salt=SALT)

    with pytest.raises(SupersededLink):
        row_from_link(PoliceZone.objects, token, salt=SALT, bind=current_name)


def test_a_bound_link_with_its_digest_swapped_is_refused(zone):
    other = PoliceZoneFactory(name="PZ Andere")
    mine = token_of(
        signed_url("groups:meeting-response", zone.pk, salt=SALT, bind=zone.name)
    )
    theirs = token_of(
        signed_url("groups:meeting-response", other.pk, salt=SALT, bind=other.name)
    )
    # The payload of one link with the signature of the other.
    forged = theirs.split(":")[0] + mine[mine.index(":") :]

    with pytest.raises(InvalidLink):
        row_from_link(PoliceZone.objects, forged, salt=SALT, bind=current_name)


@pytest.mark.parametrize(
    "value",
    [[1], [1, ""], [1, 2], [True, "ab"], ["1", "ab"], [1, "ab", "cd"], [[1], "ab"]],
    ids=[
        "one",
        "empty-digest",
        "number-digest",
        "bool-pk",
        "str-pk",
        "three",
        "nested",
    ],
)
def test_a_signed_list_of_another_shape_names_no_row(value):
    PoliceZoneFactory(pk=1)
    token = signing.dumps(value, salt=SALT)

    with pytest.raises(InvalidLink):
        row_from_link(PoliceZone.objects, token, salt=SALT, bind=lambda z: None)
