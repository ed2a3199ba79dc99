"""Find my group: the street finder page, lookup_address and the suggestions."""

import html
import math
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.test import Client

from groups.constants import NumberParity
from groups.models import Municipality, Street, WhatsAppGroup
from groups.public import lookup_address
from tests.factories import (
    HouseRulesFactory,
    MunicipalityFactory,
    RegionStreetFactory,
    StreetFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

FINDER_URL = "/zoek-je-groep/"
# The finder's forms post to the page and open it at the result.
FINDER_ACTION = FINDER_URL + "#results-heading"
SUGGESTIONS_URL = "/zoek-je-groep/straten/"


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """The rate limit counts in the cache, which outlives a test."""
    cache.clear()


@dataclass
class Town:
    municipality: Municipality
    groups: dict[str, WhatsAppGroup]


def _covering(municipality, name: str, *streets) -> WhatsAppGroup:
    """A group named ``name`` whose region covers (street, parity, from, to)."""
    group = WhatsAppGroupFactory(municipality=municipality, name=name)
    for street, parity, number_from, number_to in streets:
        RegionStreetFactory(
            region=group.region,
            street=street,
            parity=parity,
            number_from=number_from,
            number_to=number_to,
        )
    return group


@pytest.fixture
def town(zone) -> Town:
    """Alken-like streets split between groups by house number and side."""
    municipality = MunicipalityFactory(zone=zone, name="Alken", postcodes="3570")

    def street(name: str):
        return StreetFactory(municipality=municipality, name=name)

    mot = street("Motstraat")
    doktoor = street("Doktoorstraat")
    station = street("Stationsstraat")
    steenweg = street("Oude Steenweg")
    dutrieu = street("Hélène Dutrieustraat")
    street("Kerkstraat")
    street("Kerkplein")
    all_ = NumberParity.ALL
    groups = {
        "low": _covering(municipality, "WABP Motstraat laag", (mot, all_, None, 49)),
        "high": _covering(municipality, "WABP Motstraat hoog", (mot, all_, 50, None)),
        "even": _covering(
            municipality, "WABP Doktoor noord", (doktoor, NumberParity.EVEN, None, None)
        ),
        "odd": _covering(
            municipality, "WABP Doktoor zuid", (doktoor, NumberParity.ODD, None, None)
        ),
        "centre": _covering(
            municipality,
            "WABP Centrum",
            (station, all_, 10, 20),
            (dutrieu, all_, None, None),
        ),
        "steenweg": _covering(
            municipality, "WABP Steenweg", (steenweg, all_, None, None)
        ),
    }
    return Town(municipality=municipality, groups=groups)


def find(client, street: str, number: int | str | None = None, *, postcode="", **extra):
    params = {"straat": street}
    if number is not None:
        params["nummer"] = number
    if postcode:
        params["postcode"] = postcode
    return client.post(FINDER_URL, params, **extra)


@dataclass
class Form:
    """A form on the page: where it sends what, and its button."""

    method: str
    action: str
    hidden: dict[str, str] = field(default_factory=dict)
    button: str = ""


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.urls: list[str] = []
        self._in_button = False

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        self.urls += [attrs[name] for name in ("href", "action") if name in attrs]
        if tag == "form":
            self.forms.append(Form(attrs.get("method", "get"), attrs.get("action")))
        elif tag == "input" and attrs.get("type") == "hidden" and self.forms:
            self.forms[-1].hidden[attrs["name"]] = attrs.get("value", "")
        elif tag == "button" and self.forms:
            self._in_button = True

    def handle_endtag(self, tag) -> None:
        if tag == "button":
            self._in_button = False

    def handle_data(self, data) -> None:
        if self._in_button:
            self.forms[-1].button += data


def parsed(markup: str) -> _Forms:
    parser = _Forms()
    parser.feed(markup)
    return parser


def result_forms(response) -> list[Form]:
    """The forms of the result: the other streets, "Sign up for …", a new group."""
    return parsed(_results(response)).forms


def urls_on_the_page(response) -> list[str]:
    return parsed(response.content.decode()).urls


def found_groups(response) -> set[str]:
    """The names of the groups the result shows."""
    assert response.status_code == HTTPStatus.OK
    results = _results(response)
    return {
        html.unescape(name)
        for name in re.findall(r'<h3 class="h5 card-title">(.*?)</h3>', results)
    }


def _results(response) -> str:
    match = re.search(
        r'<section aria-labelledby="results-heading".*?</section>',
        response.content.decode(),
        re.S,
    )
    return match.group(0) if match else ""


def results_text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", _results(response))).split())


# Number ranges and sides


@pytest.mark.parametrize(
    ("number", "expected"),
    [(1, "WABP Motstraat laag"), (49, "WABP Motstraat laag")]
    + [(50, "WABP Motstraat hoog"), (99999, "WABP Motstraat hoog")],
)
def test_house_number_picks_the_group_of_its_range(client, town, number, expected):
    assert found_groups(find(client, "Motstraat", number)) == {expected}


@pytest.mark.parametrize(
    ("number", "expected"),
    [(9, set()), (10, {"WABP Centrum"}), (20, {"WABP Centrum"}), (21, set())],
)
def test_closed_range_includes_both_ends_only(client, town, number, expected):
    assert found_groups(find(client, "Stationsstraat", number)) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [(12, "WABP Doktoor noord"), (2, "WABP Doktoor noord")]
    + [(13, "WABP Doktoor zuid"), (1, "WABP Doktoor zuid")],
)
def test_even_and_odd_sides_belong_to_different_groups(client, town, number, expected):
    assert found_groups(find(client, "Doktoorstraat", number)) == {expected}


def test_without_house_number_every_group_of_the_street_is_shown(client, town):
    response = find(client, "Motstraat")

    assert found_groups(response) == {"WABP Motstraat laag", "WABP Motstraat hoog"}
    assert "Deze groepen horen bij je adres:" in results_text(response)


def test_number_outside_every_range_offers_groups_nearby_then_a_new_group(client, town):
    response = find(client, "Stationsstraat", 21)

    assert "Er is nog geen groep voor dit adres." in results_text(response)
    *nearby, wait, start = result_forms(response)
    # The group with other numbers of the street first, then the others.
    assert nearby[0] == Form(
        "post",
        "/aanmelden/vanuit-zoeker/",
        {
            "groep": str(town.groups["centre"].pk),
            "gemeente": str(town.municipality.pk),
            "straat": "Stationsstraat",
            "nummer": "21",
            "postcode": "3570",
        },
        "Inschrijven bij WABP Centrum",
    )
    assert len(nearby) == 5
    # Or wait for one: the waiting list, for the street found.
    assert wait == Form(
        "post",
        "/wachtlijst/vanuit-zoeker/",
        {
            "gemeente": str(town.municipality.pk),
            "straat": "Stationsstraat",
            "nummer": "21",
        },
        "Laat me weten wanneer mijn straat een groep krijgt",
    )
    assert start == Form(
        "post",
        "/aanmelden/vanuit-zoeker/",
        {"rol": "coordinator", "straat": "Stationsstraat", "nummer": "21"},
        "Richt een nieuwe groep op als coördinator",
    )


# How the street is written


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("MOTSTRAAT", "WABP Motstraat laag"),
        ("motstraat", "WABP Motstraat laag"),
        ("Motstr.", "WABP Motstraat laag"),
        ("motstr", "WABP Motstraat laag"),
        ("Mot straat", "WABP Motstraat laag"),
        ("Doktoorstraat", "WABP Doktoor noord"),
        ("doktoorstraat", "WABP Doktoor noord"),
        ("Dóktoorstraat", "WABP Doktoor noord"),
        ("Oude Stwg", "WABP Steenweg"),
        ("oude stwg.", "WABP Steenweg"),
        ("Oude Steenw.", "WABP Steenweg"),
        ("helene dutrieustraat", "WABP Centrum"),
        ("HÉLÈNE DUTRIEUSTR", "WABP Centrum"),
        ("  Motstraat\t", "WABP Motstraat laag"),
    ],
)
def test_case_accents_and_abbreviations_do_not_matter(client, town, typed, expected):
    assert found_groups(find(client, typed, 12)) == {expected}


def test_several_matching_streets_are_offered_as_choices(client, town):
    response = find(client, "kerk", 5)

    assert found_groups(response) == set()
    assert "Er passen meerdere straten. Welke bedoel je?" in results_text(response)
    assert result_forms(response) == [
        Form(
            "post",
            FINDER_ACTION,
            {"straat": name, "postcode": "3570", "nummer": "5"},
            f"{name}, 3570 Alken",
        )
        for name in ("Kerkplein", "Kerkstraat")
    ]


def test_following_a_choice_shows_the_result(client, town):
    response = client.post(
        FINDER_URL, {"straat": "Kerkstraat", "postcode": "3570", "nummer": "5"}
    )

    assert "Er passen meerdere straten" not in results_text(response)
    assert "Er is nog geen groep voor dit adres." in results_text(response)


def test_exact_name_wins_over_longer_names_that_contain_it(client, town):
    StreetFactory(municipality=town.municipality, name="Oude Motstraat")

    assert found_groups(find(client, "Motstraat", 3)) == {"WABP Motstraat laag"}
    assert "Er passen meerdere straten" in results_text(find(client, "motst", 3))


def test_unknown_street_offers_to_start_a_group_as_coordinator(client, town):
    response = find(client, "Nergensdreef", 4)

    assert found_groups(response) == set()
    assert "We kennen deze straat niet, of er is nog geen groep voor." in (
        results_text(response)
    )
    wait, start = result_forms(response)
    assert start == Form(
        "post",
        "/aanmelden/vanuit-zoeker/",
        {"rol": "coordinator", "straat": "Nergensdreef", "nummer": "4"},
        "Richt een nieuwe groep op als coördinator",
    )
    # An unknown street: the waiting-list form asks the municipality.
    assert wait == Form(
        "post",
        "/wachtlijst/vanuit-zoeker/",
        {"straat": "Nergensdreef", "nummer": "4"},
        "Laat me weten wanneer mijn straat een groep krijgt",
    )


def test_hidden_and_inactive_groups_are_not_found(client, town):
    town.groups["low"].is_public = False
    town.groups["low"].save()
    town.groups["high"].is_active = False
    town.groups["high"].save()

    response = find(client, "Motstraat")

    assert found_groups(response) == set()
    assert "Er is nog geen groep voor dit adres." in results_text(response)


# A POST form: no address in a URL


def test_finder_page_is_a_post_form_without_a_cookie(client, town):
    response = client.get(FINDER_URL)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert '<form method="post" action="/zoek-je-groep/#results-heading"' in page
    assert 'name="straat"' in page
    assert 'name="nummer"' in page
    assert "<h1>Zoek je groep</h1>" in page
    assert _results(response) == ""
    # No CSRF token, so no cookie: the page is the same for everyone.
    assert "csrfmiddlewaretoken" not in page
    assert not response.cookies


def test_search_needs_no_csrf_token_and_sets_no_cookie(town):
    browser = Client(enforce_csrf_checks=True)

    response = find(browser, "Motstraat", 12)

    assert found_groups(response) == {"WABP Motstraat laag"}
    assert not response.cookies


def test_no_url_on_the_results_page_holds_the_address(client, town):
    """Not a link, not a form's address: the street and number go in POSTs."""
    pages = [
        find(client, "doktoorstr", 12),  # a group found
        find(client, "kerk", 5),  # which street?
        find(client, "Nergensdreef", 4),  # start a group
    ]

    for response in pages:
        assert _results(response)
        for url in urls_on_the_page(response):
            for part in ("straat", "nummer", "Doktoor", "Kerk", "Nergens"):
                assert part not in url, url
        assert all(form.method == "post" for form in result_forms(response))


def test_a_search_in_the_query_string_is_not_read(client, town):
    """An old link with the address in it: the empty form, no result."""
    response = client.get(FINDER_URL, {"straat": "Motstraat", "nummer": "12"})

    assert response.status_code == HTTPStatus.OK
    assert _results(response) == ""
    assert not response.context["form"].is_bound


def test_result_sends_group_and_address_to_the_signup_form(client, town):
    group = town.groups["even"]

    response = find(client, "doktoorstr", 12)

    assert result_forms(response) == [
        Form(
            "post",
            "/aanmelden/vanuit-zoeker/",
            {
                "groep": str(group.pk),
                "gemeente": str(town.municipality.pk),
                "straat": "Doktoorstraat",
                "nummer": "12",
                "postcode": "3570",
            },
            "Inschrijven bij WABP Doktoor noord",
        )
    ]


def test_the_result_button_opens_the_signup_form_filled_in(client, town):
    group = town.groups["even"]
    HouseRulesFactory(zone=town.municipality.zone)
    (join,) = result_forms(find(client, "doktoorstr", 12))

    response = Client(enforce_csrf_checks=True).post(join.action, join.hidden)

    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    assert not form.is_bound
    assert form.initial["group"] == group.pk
    page = response.content.decode()
    assert re.search(rf'<option value="{group.pk}"\s+selected>', page)
    assert 'name="street_name" value="Doktoorstraat"' in page
    assert 'name="house_number" value="12"' in page


@pytest.mark.parametrize(
    "params",
    [
        {"straat": ""},
        {"straat": "\x00\x07"},
        {"straat": "Motstraat", "nummer": "0"},
        {"straat": "Motstraat", "nummer": "twaalf"},
        {"straat": "Motstraat", "nummer": "100000"},
        {"straat": "M" * 151},
    ],
    ids=["empty", "control", "zero", "word", "too-big", "too-long"],
)
def test_invalid_search_shows_an_error_and_no_result(client, town, params):
    response = client.post(FINDER_URL, params)

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors
    assert 'class="invalid-feedback"' in response.content.decode()
    assert _results(response) == ""


def test_finder_speaks_english_when_asked(client, town):
    response = find(client, "Motstraat", 12, HTTP_ACCEPT_LANGUAGE="en")

    assert "This group covers your address:" in results_text(response)


# lookup_address


def test_lookup_address_chooses_the_exact_street(town):
    lookup = lookup_address("Motstr.", 60)

    assert [street.name for street in lookup.chosen] == ["Motstraat"]
    assert lookup.groups == [town.groups["high"]]
    assert not lookup.ambiguous


def test_lookup_address_of_a_partial_name_is_ambiguous(town):
    lookup = lookup_address("kerk", None)

    assert lookup.ambiguous
    assert [street.name for street in lookup.streets] == ["Kerkplein", "Kerkstraat"]
    assert lookup.chosen == []
    assert lookup.groups == []


def test_lookup_address_of_a_single_partial_match_chooses_it(town):
    lookup = lookup_address("dutrieu", 3)

    assert [street.name for street in lookup.chosen] == ["Hélène Dutrieustraat"]
    assert lookup.groups == [town.groups["centre"]]


def test_lookup_address_without_number_finds_every_group(town):
    lookup = lookup_address("doktoorstraat", None)

    assert set(lookup.groups) == {town.groups["even"], town.groups["odd"]}


@pytest.mark.parametrize("text", ["", "   ", "!!!", "Nergensdreef"])
def test_lookup_address_of_nothing_known_finds_nothing(town, text):
    lookup = lookup_address(text, 1)

    assert (lookup.streets, lookup.chosen, lookup.groups) == ([], [], [])
    assert not lookup.ambiguous


def test_lookup_address_finds_the_same_street_name_in_two_municipalities(town, zone):
    elsewhere = MunicipalityFactory(zone=zone, name="Hasselt", postcodes="3500")
    other = _covering(
        elsewhere,
        "WABP Hasselt Motstraat",
        (StreetFactory(municipality=elsewhere, name="Motstraat"), "all", None, None),
    )

    lookup = lookup_address("Motstraat", 12)

    assert set(lookup.groups) == {town.groups["low"], other}


# The suggestions while typing


def suggest(client, text: str):
    response = client.get(SUGGESTIONS_URL, {"q": text})
    assert response["Content-Type"] == "application/json"
    return response


@pytest.mark.parametrize("typed", ["mot", "MOT", "Mót", "motstr"])
def test_suggestions_ignore_case_and_accents(client, town, typed):
    response = suggest(client, typed)

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"streets": [{"name": "Motstraat", "postcode": "3570"}]}


def test_suggestions_find_accented_names_typed_without_accents(client, town):
    streets = suggest(client, "helene").json()["streets"]

    assert [street["name"] for street in streets] == ["Hélène Dutrieustraat"]


def test_suggestions_are_at_most_ten_in_alphabetical_order(client, town):
    names = [f"{prefix}veldstraat" for prefix in "ABCDEFGHIJKL"]
    for name in reversed(names):
        StreetFactory(municipality=town.municipality, name=name)

    streets = suggest(client, "veld").json()["streets"]

    assert [street["name"] for street in streets] == names[:10]


@pytest.mark.parametrize("typed", ["", "m", " m ", "!!", "é"])
def test_suggestions_need_two_letters(client, town, typed):
    assert suggest(client, typed).json() == {"streets": []}


def test_suggestions_without_match_are_empty(client, town):
    assert suggest(client, "xyz").json() == {"streets": []}


# Rate limit


def test_finder_over_the_rate_limit_gets_the_429_page(client, settings, town):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "finder": (2, 600)}
    find(client, "Motstraat", 1)
    find(client, "Motstraat", 2)

    response = find(client, "Motstraat", 3)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Te veel pogingen" in response.content.decode()
    assert "WABP Motstraat" not in response.content.decode()
    # How long to wait: in the page and for programs.
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 600
    assert response.context["minutes"] == math.ceil(wait / 60)
    # The empty form is not counted and stays available.
    assert client.get(FINDER_URL).status_code == HTTPStatus.OK
    assert client.get(FINDER_URL).status_code == HTTPStatus.OK


def test_suggestions_do_not_use_up_the_searches(client, settings, town):
    # Typing "Heiligenbornstraat" asks for suggestions about 17 times.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "finder": (1, 600)}
    for _ in range(17):
        assert suggest(client, "mot").status_code == HTTPStatus.OK

    assert found_groups(find(client, "Motstraat", 1)) == {"WABP Motstraat laag"}


def test_suggestions_over_their_own_limit_say_when_to_ask_again(client, settings, town):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "suggestions": (2, 600)}
    suggest(client, "mot")
    suggest(client, "mot")

    response = suggest(client, "mot")

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response.json() == {"streets": []}
    assert 1 <= int(response["Retry-After"]) <= 600
    # The searches are still there.
    assert find(client, "Motstraat", 1).status_code == HTTPStatus.OK


def test_finder_rate_limit_is_per_client_address(client, settings, town):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "finder": (1, 600)}
    find(client, "Motstraat", 1)

    response = find(client, "Motstraat", 1, REMOTE_ADDR="198.51.100.20")

    assert found_groups(response) == {"WABP Motstraat laag"}


def test_a_street_name_in_many_municipalities_is_asked_about_by_postcode(
    client, town, zone
):
    elsewhere = []
    for number, name in enumerate(["Bilzen", "Genk", "Hasselt", "Tongeren"]):
        municipality = MunicipalityFactory(
            zone=zone, name=name, postcodes=str(3600 + number)
        )
        elsewhere.append(
            _covering(
                municipality,
                f"WABP {name} Motstraat",
                (
                    StreetFactory(municipality=municipality, name="Motstraat"),
                    "all",
                    None,
                    None,
                ),
            )
        )

    lookup = lookup_address("Motstraat", 12)
    assert lookup.ambiguous
    assert lookup.groups == []
    assert len(lookup.streets) == 5

    page = client.post(FINDER_URL, {"straat": "Motstraat", "nummer": "12"})
    assert {"straat": "Motstraat", "postcode": "3602", "nummer": "12"} in [
        form.hidden for form in result_forms(page)
    ]

    chosen = client.post(
        FINDER_URL, {"straat": "Motstraat", "postcode": "3602", "nummer": "12"}
    )
    assert list(chosen.context["lookup"].groups) == [elsewhere[2]]


def test_a_postcode_that_is_not_one_is_refused_without_an_error_page(client, town):
    response = client.post(FINDER_URL, {"straat": "Motstraat", "postcode": "abc"})

    assert response.status_code == HTTPStatus.OK
    assert "lookup" not in response.context


def test_when_the_list_may_not_hold_every_municipality_the_postcode_is_asked(
    client, town, zone
):
    for number, name in enumerate(["Bilzen", "Genk", "Hasselt", "Tongeren"]):
        municipality = MunicipalityFactory(
            zone=zone, name=name, postcodes=str(3600 + number)
        )
        StreetFactory(municipality=municipality, name="Motstraat")

    response = client.post(FINDER_URL, {"straat": "Motstraat", "nummer": "12"})
    content = response.content.decode()

    assert "Staat je gemeente er niet bij? Je postcode:" in content
    assert 'name="postcode"' in content
    (ask,) = [form for form in result_forms(response) if "postcode" not in form.hidden]
    assert (ask.method, ask.action) == ("post", FINDER_ACTION)
    assert ask.hidden == {"straat": "Motstraat", "nummer": "12"}


def test_a_wrong_postcode_says_so(client, town):
    content = client.post(
        FINDER_URL, {"straat": "Motstraat", "postcode": "abc"}
    ).content.decode()

    assert "postcode" in content.lower()
    assert "vier cijfers" in content


# Misspelt streets: "Did you mean …?" before anything else


@pytest.fixture
def more_streets(town) -> Town:
    """Streets residents misspell, each covered by a group."""
    for name, group in [
        ("Heiligenbornstraat", "WABP Heiligenborn"),
        ("Sint-Truidersteenweg", "WABP Steenweg Sint-Truiden"),
        ("Onze-Lieve-Vrouwstraat", "WABP Vrouwstraat"),
    ]:
        street = StreetFactory(municipality=town.municipality, name=name)
        town.groups[name] = _covering(
            town.municipality, group, (street, NumberParity.ALL, None, None)
        )
    return town


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("mottstraat", "Motstraat"),
        ("Motstrat", "Motstraat"),
        ("Motsraat", "Motstraat"),
        ("Moltstraat", "Motstraat"),
        ("Heiligenbornstrat", "Heiligenbornstraat"),
        ("Heiligeborn straat", "Heiligenbornstraat"),
        ("hijligenbornstraat", "Heiligenbornstraat"),
        ("Doktorstraat", "Doktoorstraat"),
        ("Dokterstraat", "Doktoorstraat"),
        ("Sint-Truiderssteenweg", "Sint-Truidersteenweg"),
        ("St Truyersteenweg", "Sint-Truidersteenweg"),
        ("Helene Dutriestraat", "Hélène Dutrieustraat"),
        ("Stationstraat", "Stationsstraat"),
        ("Kerkstrat", "Kerkstraat"),
        ("Oude Steenwg", "Oude Steenweg"),
    ],
)
def test_a_misspelt_street_is_answered_with_the_street_meant(
    client, more_streets, typed, meant
):
    response = find(client, typed, 12)

    assert found_groups(response) == set()
    assert meant in [street.name for street in response.context["lookup"].suggestions]
    first, *_others, start = result_forms(response)
    # The closest spelling is the first thing offered, the new group the last.
    assert first == Form(
        "post",
        FINDER_ACTION,
        {"straat": meant, "postcode": "3570", "nummer": "12"},
        f"{meant}, 3570 Alken",
    )
    assert start.hidden["rol"] == "coordinator"


def test_one_close_spelling_is_asked_about_by_name(client, town):
    text = results_text(find(client, "mottstraat"))

    assert "Bedoel je Motstraat?" in text
    assert text.index("Bedoel je Motstraat?") < text.index(
        "Richt een nieuwe groep op als coördinator"
    )
    assert "Staat je straat er niet bij?" in text


def test_several_close_spellings_are_offered_closest_first(client, town):
    StreetFactory(municipality=town.municipality, name="Molstraat")

    response = find(client, "Moltstraat")

    assert "Bedoel je een van deze straten?" in results_text(response)
    names = [street.name for street in response.context["lookup"].suggestions]
    assert set(names[:2]) == {"Molstraat", "Motstraat"}


def test_following_a_close_spelling_finds_the_group(client, town):
    suggestion, *_ = result_forms(find(client, "Motstrat", 60))

    response = client.post(FINDER_URL, suggestion.hidden)

    assert found_groups(response) == {"WABP Motstraat hoog"}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Heiligenbornstr", "WABP Heiligenborn"),
        ("heiligenbornstr.", "WABP Heiligenborn"),
        ("St-Truidersteenweg", "WABP Steenweg Sint-Truiden"),
        ("St. Truidersteenweg", "WABP Steenweg Sint-Truiden"),
        ("sint truiderstwg", "WABP Steenweg Sint-Truiden"),
        ("St-Truiderstwg.", "WABP Steenweg Sint-Truiden"),
        ("O.L.Vrouwstraat", "WABP Vrouwstraat"),
        ("OLV-straat", "WABP Vrouwstraat"),
        ("Onze Lieve Vrouwstr", "WABP Vrouwstraat"),
        ("Kerkstr.", None),
        ("HELENE DUTRIEUSTRAAT", "WABP Centrum"),
    ],
)
def test_abbreviations_and_accents_find_the_street_itself(
    client, more_streets, typed, expected
):
    response = find(client, typed, 12)

    assert response.context["lookup"].suggestions == []
    assert len(response.context["lookup"].chosen) == 1
    assert found_groups(response) == ({expected} if expected else set())


@pytest.mark.parametrize("typed", ["Motstraat 60", "Motstraat 60A", "motstr. 60 bus 2"])
def test_the_house_number_typed_after_the_street_is_used(client, town, typed):
    response = find(client, typed)

    assert found_groups(response) == {"WABP Motstraat hoog"}
    # The signup button carries the number read.
    assert '<input type="hidden" name="nummer" value="60">' in _results(response)


def test_a_street_far_from_every_name_gets_no_suggestion(client, town):
    lookup = find(client, "Zonnebloemdreef", 3).context["lookup"]

    assert lookup.suggestions == []


def test_close_spellings_prefer_the_postcode_given(client, town, zone):
    elsewhere = MunicipalityFactory(zone=zone, name="Hasselt", postcodes="3500")
    StreetFactory(municipality=elsewhere, name="Motstraat")

    lookup = find(client, "Motstrat", postcode="3500").context["lookup"]

    assert [(s.name, s.postcode) for s in lookup.suggestions] == [("Motstraat", "3500")]


def test_a_wrong_postcode_does_not_hide_the_street_meant(client, town, zone):
    MunicipalityFactory(zone=zone, name="Hasselt", postcodes="3500")

    lookup = find(client, "Motstraat", postcode="3500").context["lookup"]

    assert [(s.name, s.postcode) for s in lookup.suggestions] == [("Motstraat", "3570")]


def test_close_to_is_closest_first_within_its_limit(town):
    for name in ("Motstraatje", "Molstraat", "Mostraat", "Motsstraat", "Mottstraat"):
        StreetFactory(municipality=town.municipality, name=name)

    streets = Street.objects.close_to("Motstrat", limit=3)

    assert len(streets) == 3
    assert streets[0].name == "Motstraat"


@pytest.mark.parametrize("typed", ["", "!!", "mo"])
def test_close_to_needs_three_letters(town, typed):
    assert Street.objects.close_to(typed) == []


def test_close_to_keeps_the_queryset_filter(town, zone):
    elsewhere = MunicipalityFactory(zone=zone, name="Hasselt", postcodes="3500")
    StreetFactory(municipality=elsewhere, name="Motstraat")

    streets = Street.objects.filter(municipality=elsewhere).close_to("Motstrat")

    assert [street.municipality for street in streets] == [elsewhere]


# A street split between groups: the ranges are shown


def address_coverage(response) -> dict[str, str]:
    """Each found group's "Your street" line."""
    cards = re.findall(
        r'<h3 class="h5 card-title">(.*?)</h3>.*?finder-address-coverage">(.*?)</p>',
        _results(response),
        re.S,
    )
    return {
        html.unescape(name): " ".join(html.unescape(line).split())
        for name, line in cards
    }


def test_a_split_street_without_number_shows_each_groups_numbers(client, town):
    assert address_coverage(find(client, "Motstraat")) == {
        "WABP Motstraat laag": "Je straat: Motstraat (huisnummers 1–49)",
        "WABP Motstraat hoog": "Je straat: Motstraat (huisnummers vanaf 50)",
    }
    assert address_coverage(find(client, "Doktoorstraat")) == {
        "WABP Doktoor noord": "Je straat: Doktoorstraat (even huisnummers)",
        "WABP Doktoor zuid": "Je straat: Doktoorstraat (oneven huisnummers)",
    }


def test_a_found_group_lists_all_its_streets(client, town):
    response = find(client, "Stationsstraat", 12)

    assert address_coverage(response) == {
        "WABP Centrum": "Je straat: Stationsstraat (huisnummers 10–20)"
    }
    streets = re.search(
        r'<details class="group-streets">(.*?)</details>', _results(response), re.S
    )
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", streets.group(1))).split())
    assert text == (
        "Straten van WABP Centrum Hélène Dutrieustraat "
        "Stationsstraat (huisnummers 10–20)"
    )


# No group for the address: the groups nearby first


def nearby_groups(response) -> list[str]:
    return [
        html.unescape(name)
        for name in re.findall(
            r'<h4 class="h5 card-title">(.*?)</h4>', _results(response)
        )
    ]


def test_an_uncovered_number_offers_the_groups_of_the_same_street_first(client, town):
    names = nearby_groups(find(client, "Stationsstraat", 30))

    assert names[0] == "WABP Centrum"
    assert len(names) == 5  # NEARBY_GROUPS
    content = find(client, "Stationsstraat", 30).content.decode()
    assert "Groepen in de buurt in Alken" in content
    assert f'href="{town.municipality.get_absolute_url()}"' in content


def test_an_uncovered_street_offers_the_groups_of_its_postcode_first(client, zone):
    municipality = MunicipalityFactory(zone=zone, name="Hasselt", postcodes="3500,3510")

    def street(name, postcode):
        return StreetFactory(municipality=municipality, name=name, postcode=postcode)

    all_ = NumberParity.ALL
    _covering(municipality, "A Centrum", (street("Markt", "3500"), all_, None, None))
    _covering(
        municipality, "B Kermt", (street("Kermtstraat", "3510"), all_, None, None)
    )
    street("Dorpsstraat", "3510")

    response = find(client, "Dorpsstraat", 4)

    assert "Er is nog geen groep voor dit adres." in results_text(response)
    assert nearby_groups(response) == ["B Kermt", "A Centrum"]
    assert "Alle groepen van Hasselt" not in results_text(response)


def test_an_unknown_street_with_a_postcode_offers_that_municipalitys_groups(
    client, town
):
    response = find(client, "Nergensdreef", 4, postcode="3570")

    assert "We kennen deze straat niet" in results_text(response)
    assert len(nearby_groups(response)) == 5
    *_nearby, start = result_forms(response)
    assert start.hidden == {
        "rol": "coordinator",
        "straat": "Nergensdreef",
        "nummer": "4",
    }


def test_an_unknown_street_without_postcode_offers_no_groups(client, town):
    response = find(client, "Nergensdreef", 4)

    assert nearby_groups(response) == []


def test_groups_nearby_are_only_published_ones(client, town):
    for group in town.groups.values():
        if group.name != "WABP Centrum":
            group.is_public = False
            group.save()

    assert nearby_groups(find(client, "Stationsstraat", 30)) == ["WABP Centrum"]


def test_the_nearby_offer_comes_before_the_new_group(client, town):
    text = results_text(find(client, "Stationsstraat", 30))

    assert text.index("WABP Centrum") < text.index("Richt een nieuwe groep op")


# A postcode alone, or with the street


def test_a_postcode_alone_shows_the_groups_of_its_municipality(client, town):
    response = client.post(FINDER_URL, {"postcode": "3570"})

    assert response.status_code == HTTPStatus.OK
    assert "Groepen in Alken (3570)" in results_text(response)
    assert set(nearby_groups(response)) == {g.name for g in town.groups.values()}
    joins = [form for form in result_forms(response) if "groep" in form.hidden]
    assert len(joins) == len(town.groups)
    # The postcode searched goes with the group to the signup form.
    assert all(
        set(form.hidden) == {"groep", "gemeente", "postcode"}
        and form.hidden["postcode"] == "3570"
        for form in joins
    )


def test_a_postcode_alone_lists_the_groups_of_that_postcode_first(client, zone):
    municipality = MunicipalityFactory(zone=zone, name="Hasselt", postcodes="3500,3510")
    all_ = NumberParity.ALL
    _covering(
        municipality,
        "A Centrum",
        (
            StreetFactory(municipality=municipality, name="Markt", postcode="3500"),
            all_,
            None,
            None,
        ),
    )
    _covering(
        municipality,
        "B Kermt",
        (
            StreetFactory(
                municipality=municipality, name="Kermtstraat", postcode="3510"
            ),
            all_,
            None,
            None,
        ),
    )

    response = client.post(FINDER_URL, {"postcode": "3510"})

    assert nearby_groups(response) == ["B Kermt", "A Centrum"]


def test_a_postcode_without_groups_offers_to_start_one(client, zone):
    MunicipalityFactory(zone=zone, name="Heers", postcodes="3870")

    response = client.post(FINDER_URL, {"postcode": "3870", "nummer": "3"})

    assert "Er is nog geen netwerk in Heers" in results_text(response)
    (start,) = result_forms(response)
    assert start.hidden == {"rol": "coordinator"}


def test_an_unknown_postcode_says_so(client, town):
    response = client.post(FINDER_URL, {"postcode": "9999"})

    assert "Geen enkele gemeente met postcode 9999 doet mee" in results_text(response)
    assert result_forms(response) == []


def test_street_and_postcode_narrow_to_that_municipality(client, town, zone):
    elsewhere = MunicipalityFactory(zone=zone, name="Hasselt", postcodes="3500")
    other = _covering(
        elsewhere,
        "WABP Hasselt Motstraat",
        (StreetFactory(municipality=elsewhere, name="Motstraat"), "all", None, None),
    )

    response = client.post(FINDER_URL, {"straat": "motstr", "postcode": "3500"})

    assert found_groups(response) == {other.name}


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({}, "Vul je straat in, of je postcode."),
        ({"straat": "  "}, "Vul je straat in, of je postcode."),
        ({"nummer": "12"}, "Vul je straat in, of je postcode."),
        ({"postcode": "357"}, "vier cijfers"),
        ({"postcode": "0123"}, "vier cijfers"),
    ],
)
def test_neither_street_nor_a_postcode_is_refused_with_a_message(
    client, town, params, error
):
    response = client.post(FINDER_URL, params)

    assert response.status_code == HTTPStatus.OK
    assert error in response.content.decode()
    assert _results(response) == ""


def test_the_finder_form_has_a_visible_postcode_field(client):
    page = client.get(FINDER_URL).content.decode()

    assert re.search(r'<label\s+for="id_postcode"[^>]*>\s*Postcode', page)
    assert 'autocomplete="postal-code"' in page
    assert 'type="hidden" name="postcode"' not in page


# Focus on the result


def test_the_result_heading_can_take_the_focus(client, town):
    response = find(client, "Motstraat", 12)

    assert '<h2 id="results-heading" tabindex="-1">' in response.content.decode()


# Queries: a fixed number per page


@pytest.mark.parametrize("extra_groups", [0, 12])
def test_finder_pages_make_a_fixed_number_of_queries(
    client, town, extra_groups, django_assert_max_num_queries
):
    for n in range(extra_groups):
        _covering(
            town.municipality,
            f"WABP Extra {n}",
            (
                town.groups["centre"].region.coverage.first().street,
                "all",
                100 + n,
                100 + n,
            ),
        )
    # streets, groups, their coordinators, their streets
    with django_assert_max_num_queries(4):
        find(client, "Stationsstraat", 12)
    # + the groups nearby and theirs
    with django_assert_max_num_queries(5):
        find(client, "Stationsstraat", 30)
    # streets, close spellings
    with django_assert_max_num_queries(2):
        find(client, "Motstrat", 30)
    # municipalities, groups, coordinators, streets
    with django_assert_max_num_queries(4):
        client.post(FINDER_URL, {"postcode": "3570"})


@pytest.mark.parametrize("typed", ["oude st", "Oude Ste", "oude stwg", "oude steenw"])
def test_suggestions_follow_a_word_still_being_typed(client, town, typed):
    # "st" is also "Sint", but half-way through "Steenweg" it is not (the
    # town has an Oude Steenweg).
    names = [street["name"] for street in suggest(client, typed).json()["streets"]]

    assert "Oude Steenweg" in names
