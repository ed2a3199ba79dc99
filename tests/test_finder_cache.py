"""The finder's answers from the cache (groups/finder.py).

A search is answered once per street keys, number, postcode, language and
version of the networks table; the next visitor with the same search gets
that answer without a query, with their own typed text in it, and every
change of what the finder shows moves the version.
"""

import re
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.html import escape

from groups import network_cache, services
from groups.models import RegionStreet, Street, WhatsAppGroup
from tests.factories import (
    CoordinatorFactory,
    MunicipalityFactory,
    RegionStreetFactory,
    StreetFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

FINDER_URL = "/zoek-je-groep/"
# A covered street found: its streets, the groups covering it, their
# coordinators and streets (tests/test_query_budgets.py's "finder-group-found").
GROUP_FOUND_QUERIES = 4
# A postcode alone: its municipalities, their groups, coordinators and streets.
POSTCODE_QUERIES = 4


@pytest.fixture
def alken(zone):
    return MunicipalityFactory(zone=zone, name="Alken", postcodes="3570")


@pytest.fixture
def motstraat_group(alken) -> WhatsAppGroup:
    """WABP Motstraat covers all of Motstraat; Kerkstraat has no group."""
    group = WhatsAppGroupFactory(municipality=alken, name="WABP Motstraat")
    RegionStreetFactory(
        region=group.region, street=StreetFactory(municipality=alken, name="Motstraat")
    )
    StreetFactory(municipality=alken, name="Kerkstraat")
    return group


def find(client, street="", number=None, postcode="", **extra):
    data = {"straat": street, "postcode": postcode}
    if number is not None:
        data["nummer"] = number
    response = client.post(FINDER_URL, data, **extra)
    assert response.status_code == HTTPStatus.OK
    return response


def page(response) -> str:
    return response.content.decode()


def results(response) -> str:
    match = re.search(
        r'<section aria-labelledby="results-heading".*?</section>', page(response), re.S
    )
    assert match, "the page shows no result"
    return match[0]


def group_names(response) -> set[str]:
    """The groups shown: covering the address, or of the postcode."""
    return set(re.findall(r'<h\d class="h5 card-title">(.*?)</h\d>', results(response)))


def covering(response) -> set[str]:
    """The groups shown as covering the address (not those nearby)."""
    return set(re.findall(r'<h3 class="h5 card-title">(.*?)</h3>', results(response)))


def twice(client, django_assert_num_queries, queries: int, **search):
    """The search made twice: from the database, then from the cache."""
    with django_assert_num_queries(queries):
        miss = find(client, **search)
    with django_assert_num_queries(0):
        hit = find(client, **search)
    return miss, hit


def search_keys() -> list[str]:
    """The finder's entries in the tests' in-memory cache."""
    return [key for key in cache._cache if ":search:" in key]


# --- hit and miss --------------------------------------------------------------


def test_the_same_search_again_is_answered_without_a_query(
    client, motstraat_group, django_assert_num_queries
):
    miss, hit = twice(
        client,
        django_assert_num_queries,
        GROUP_FOUND_QUERIES,
        street="Motstraat",
        number=12,
    )

    assert group_names(miss) == group_names(hit) == {"WABP Motstraat"}
    assert page(hit) == page(miss)


def test_a_postcode_alone_is_answered_from_the_cache_too(
    client, motstraat_group, django_assert_num_queries
):
    miss, hit = twice(
        client, django_assert_num_queries, POSTCODE_QUERIES, postcode="3570"
    )

    assert group_names(hit) == {"WABP Motstraat"}
    assert page(hit) == page(miss)


def test_an_answer_from_the_cache_is_the_page_the_database_gives(
    client, motstraat_group, django_assert_num_queries
):
    find(client, "Motstraat", 12)
    with django_assert_num_queries(0):
        hit = find(client, "Motstraat", 12)
    network_cache.invalidate()

    with django_assert_num_queries(GROUP_FOUND_QUERIES):
        miss = find(client, "Motstraat", 12)

    assert page(hit) == page(miss)


def test_spellings_of_one_street_share_an_answer_each_with_its_own_text(
    client, alken, django_assert_num_queries
):
    with django_assert_num_queries(2):
        first = find(client, "Nergenslaan", 3)
    with django_assert_num_queries(0):
        second = find(client, " nergenslaan ", 3)

    # The answer carries the street typed to the waiting list and the
    # offer to start a group; the form shows it as typed.
    assert page(first).count('value="Nergenslaan"') >= 3
    assert "Nergenslaan" not in page(second)
    assert 'type="text" name="straat" value=" nergenslaan "' in page(second)
    as_typed_second = (
        page(first)
        .replace(
            'name="straat" value="Nergenslaan"', 'name="straat" value="nergenslaan"'
        )
        .replace(
            'text" name="straat" value="nergenslaan"',
            'text" name="straat" value=" nergenslaan "',
        )
    )
    assert page(second) == as_typed_second


def test_a_house_number_and_a_postcode_are_the_visitors_own_in_the_form(
    client, motstraat_group
):
    find(client, "Motstraat", 12)

    hit = find(client, "Motstraat", " 12 ")

    assert 'name="nummer" value=" 12 "' in page(hit)
    assert group_names(hit) == {"WABP Motstraat"}


def test_another_language_gets_its_own_answer(
    client, motstraat_group, django_assert_num_queries
):
    find(client, "Motstraat", 12)

    with django_assert_num_queries(GROUP_FOUND_QUERIES):
        french = find(client, "Motstraat", 12, HTTP_ACCEPT_LANGUAGE="fr")
    with django_assert_num_queries(0):
        dutch = find(client, "Motstraat", 12)

    with translation.override("fr"):
        in_french = translation.ngettext(
            "This group covers your address:", "These groups cover your address:", 1
        )
    with translation.override("nl"):
        in_dutch = translation.ngettext(
            "This group covers your address:", "These groups cover your address:", 1
        )
    assert in_french != in_dutch
    assert in_french in results(french)
    assert in_dutch not in results(french)
    assert '<html lang="fr">' in page(french)
    assert in_dutch in results(dutch)


# --- hostile input ---------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert(1)</script>straat",
        '"><img src=x onerror=alert(1)>',
        # What the page's own markers look like: still only text.
        "<wabp-echo results>",
        "<wabp-echo typed> <wabp-echo straat>",
    ],
)
def test_html_typed_in_the_street_is_text_from_the_database_and_the_cache(
    client, alken, django_assert_num_queries, typed
):
    miss = find(client, typed, 3)
    with django_assert_num_queries(0):
        hit = find(client, typed, 3)

    for response in (miss, hit):
        assert "<script>alert" not in page(response)
        assert "<img src=x" not in page(response)
        assert "<wabp-echo" not in page(response)
        assert page(response).count('aria-labelledby="results-heading"') == 1
        assert escape(typed) in page(response)
    assert page(hit) == page(miss)


def test_the_cache_key_holds_no_typed_text_and_is_bounded(client, alken):
    find(client, "Geheimestraat " + "x" * 120, 3)
    find(client, "Geheimestraat", 3)

    keys = search_keys()
    assert len(keys) == 2
    assert not [key for key in keys if "geheim" in key.lower()]
    assert len({len(key) for key in keys}) == 1


def test_a_refused_search_is_not_cached(client, alken):
    response = client.post(FINDER_URL, {"straat": "Motstraat", "nummer": "twaalf"})

    assert response.status_code == HTTPStatus.OK
    assert 'aria-labelledby="results-heading"' not in page(response)
    assert search_keys() == []


def test_every_search_counts_for_the_rate_limit_from_the_cache_or_not(
    client, motstraat_group, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "finder": (2, 600)}
    find(client, "Motstraat", 12)
    find(client, "Motstraat", 12)

    response = client.post(FINDER_URL, {"straat": "Motstraat", "nummer": 12})

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_without_its_cache_the_finder_answers_from_the_database(
    client, motstraat_group, monkeypatch, django_assert_num_queries
):
    def unavailable(*args, **kwargs):
        raise ConnectionError("cache down")

    # The finder's cache reads and writes; the rate limit counts with add
    # and incr, which still work.
    monkeypatch.setattr(cache, "get", unavailable)
    monkeypatch.setattr(cache, "set", unavailable)

    for _ in range(2):
        with django_assert_num_queries(GROUP_FOUND_QUERIES):
            response = find(client, "Motstraat", 12)
        assert group_names(response) == {"WABP Motstraat"}
        assert 'type="text" name="straat" value="Motstraat"' in page(response)


def test_a_visitor_with_a_session_gets_the_answer_in_a_page_of_their_own(
    client, motstraat_group
):
    find(client, "Motstraat", 12)
    client.cookies["sessionid"] = "no-such-session"

    response = find(client, "motstraat", 12)

    assert group_names(response) == {"WABP Motstraat"}
    assert 'type="text" name="straat" value="motstraat"' in page(response)


# --- each change of the table shows at once -------------------------------------


def cached_search(client, django_assert_num_queries, **search):
    """Search twice, the second answered from the cache: what is cached."""
    find(client, **search)
    with django_assert_num_queries(0):
        return find(client, **search)


def test_a_street_import_shows_at_once(
    client, alken, motstraat_group, django_assert_num_queries
):
    before = cached_search(
        client, django_assert_num_queries, street="Kapelstraat", number=3
    )
    assert "Kapelstraat" not in re.sub(r'value="[^"]*"', "", results(before))

    services.import_streets_csv(alken, b"straatnaam;postcode\nKapelstraat;3570\n")

    after = find(client, "Kapelstraat", 3)
    # The street is known now: offered to the waiting list by its own name.
    assert f'<input type="hidden" name="gemeente" value="{alken.pk}">' in page(after)
    assert results(after) != results(before)


def test_a_new_street_saved_by_hand_shows_at_once(
    client, alken, django_assert_num_queries
):
    cached_search(client, django_assert_num_queries, street="Kapelstraat", number=3)

    services.save_street(
        Street(municipality=alken, name="Kapelstraat", postcode="3570")
    )

    after = find(client, "Kapelstraat", 3)
    assert f'<input type="hidden" name="gemeente" value="{alken.pk}">' in page(after)


def test_a_street_renamed_shows_at_once(
    client, motstraat_group, django_assert_num_queries
):
    before = cached_search(
        client, django_assert_num_queries, street="Motstraat", number=12
    )
    assert group_names(before) == {"WABP Motstraat"}
    street = Street.objects.get(name="Motstraat")

    street.name = "Molenweg"
    services.save_street(street)

    assert group_names(find(client, "Motstraat", 12)) == set()
    assert group_names(find(client, "Molenweg", 12)) == {"WABP Motstraat"}


def test_a_street_added_to_a_region_and_taken_off_shows_at_once(
    client, motstraat_group, django_assert_num_queries
):
    before = cached_search(
        client, django_assert_num_queries, street="Kerkstraat", number=3
    )
    assert covering(before) == set()

    services.save_region_street(
        RegionStreet(
            region=motstraat_group.region, street=Street.objects.get(name="Kerkstraat")
        )
    )
    assert covering(find(client, "Kerkstraat", 3)) == {"WABP Motstraat"}

    services.delete_region_streets(
        RegionStreet.objects.filter(street__name="Kerkstraat")
    )
    assert covering(find(client, "Kerkstraat", 3)) == set()


@pytest.mark.parametrize(
    "search", [{"street": "Motstraat", "number": 12}, {"postcode": "3570"}]
)
def test_a_group_unpublished_and_published_again_shows_at_once(
    client, motstraat_group, django_assert_num_queries, search
):
    before = cached_search(client, django_assert_num_queries, **search)
    assert group_names(before) == {"WABP Motstraat"}

    motstraat_group.is_public = False
    services.save_whatsapp_group(motstraat_group)
    assert group_names(find(client, **search)) == set()

    motstraat_group.is_public = True
    services.save_whatsapp_group(motstraat_group)
    assert group_names(find(client, **search)) == {"WABP Motstraat"}


def test_a_group_renamed_shows_at_once(
    client, motstraat_group, django_assert_num_queries
):
    cached_search(client, django_assert_num_queries, street="Motstraat", number=12)

    motstraat_group.name = "WABP Mot"
    services.save_whatsapp_group(motstraat_group)

    assert group_names(find(client, "Motstraat", 12)) == {"WABP Mot"}


def test_a_coordinator_added_to_a_group_shows_at_once(
    client, zone, motstraat_group, django_assert_num_queries
):
    before = cached_search(
        client, django_assert_num_queries, street="Motstraat", number=12
    )
    coordinator = CoordinatorFactory(
        zone=zone, first_name="Greet", last_name="Vanhoof", listed_publicly=True
    )
    assert "Vanhoof" not in results(before)

    services.change_coordinators_of_group(motstraat_group, add=[coordinator])

    assert "Greet Vanhoof" in results(find(client, "Motstraat", 12))
