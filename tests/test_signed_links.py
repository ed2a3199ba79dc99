"""The one helper behind every link the portal mails (wabp_portal.signed_links)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from groups.models import PoliceZone
from tests.factories import PoliceZoneFactory
from wabp_portal.signed_links import InvalidLink, row_from_link, signed_url

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
