"""Fixtures of the e-loket tests: an open group with a street it covers.

The rate limit counts in the cache, which outlives a test: every test here
starts with an empty cache so that earlier POSTs do not count against it.
"""

import pytest
from django.core.cache import cache

from groups.models import Street, WhatsAppGroup
from registrations.models import HouseRules
from tests.factories import HouseRulesFactory, RegionStreetFactory, StreetFactory


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    cache.clear()


@pytest.fixture
def rules(zone) -> HouseRules:
    """The current house rules of ``zone``."""
    return HouseRulesFactory(
        zone=zone,
        version=2,
        title="Huishoudelijk reglement WABP",
        body="Wees beleefd in de groep.\n\nDeel geen foto's van verdachten.",
    )


@pytest.fixture
def street(group) -> Street:
    """A street that ``group``'s region covers completely."""
    street = StreetFactory(municipality=group.municipality, name="Motstraat")
    RegionStreetFactory(region=group.region, street=street)
    return street


@pytest.fixture
def open_group(group, rules, street) -> WhatsAppGroup:
    """``group``, open for signups: house rules published, a street covered."""
    return group
