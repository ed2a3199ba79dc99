"""Deny by default: every URL the project resolves, walked by strangers.

The walk discovers the URL patterns (``get_resolver()``, through every
include: the admin with each model admin's own URLs, the apps, Django's i18n)
and builds a concrete URL for each by filling its path converters and regex
groups with sample values: the key of a row that exists and one that does
not, a garbage signed token, a slug, a path. An anonymous visitor and a
logged-in user with no role (active, no permissions, not staff) then GET and
POST (empty body) each of them.

Only the pages named in ``PUBLIC`` may answer them; everything else has to
send them to the admin's login or answer 401, 403, 404 or 405. Nothing may
answer with a server error. A URL added later is walked too: if it answers a
stranger with a page, the walk fails until it is protected or added to
``PUBLIC`` with the reason it is public.
"""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.cache import cache
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from post_office import mail

from groups.models import Municipality
from groups.services import link_coordinator_login
from registrations.constants import SignupStatus
from registrations.models import HouseRules
from tests.factories import (
    ApplicationFactory,
    CoordinatorFactory,
    DownloadFactory,
    ExportRecordFactory,
    HouseRulesFactory,
    MeetingInvitationFactory,
    MunicipalityFactory,
    RegionStreetFactory,
    SignupFactory,
    UmbrellaGroupFactory,
    UserFactory,
    WhatsAppGroupFactory,
)

pytestmark = pytest.mark.django_db

# The pages anyone may open, by URL name (unnamed patterns by their route).
# Keep it small: every entry is a page a stranger can read.
PUBLIC = {
    # The public site: what buurtpreventie is, the networks, the finder.
    "groups:home": "the networks table",
    "groups:municipality": "the networks of one municipality",
    "groups:finder": "find the group that covers a street",
    "groups:street-suggestions": "street names while typing in the finder",
    # The e-loket and the pages it leads to.
    "registrations:signup": "the signup form",
    "registrations:signup-from-finder": "the signup form, filled in by the finder",
    "registrations:signup-sent": "after the signup form",
    "registrations:signup-withdrawn": "after withdrawing",
    "registrations:house-rules": "the current house rules",
    "registrations:house-rules-version": "an older version of the house rules",
    "registrations:privacy": "the privacy notice",
    # The waiting list for a group and the pages it leads to.
    "registrations:waiting-list": "the waiting-list form",
    "registrations:waiting-list-from-finder": "the waiting-list form, filled in "
    "by the finder",
    "registrations:waiting-list-sent": "after the waiting-list form",
    "registrations:waiting-list-left": "after leaving the waiting list",
    # Signed links from e-mails: the token is the credential.
    "registrations:signup-confirm": "confirm a signup (signed link)",
    "registrations:signup-withdraw": "withdraw a signup (signed link)",
    "registrations:house-rules-accept": "accept new house rules (signed link)",
    "registrations:reconfirm": "answer the yearly question (signed link)",
    "registrations:waiting-list-confirm": "confirm a waiting-list entry (signed link)",
    "registrations:waiting-list-leave": "leave the waiting list (signed link)",
    "registrations:my-signup": "a resident's own signup (signed link)",
    "registrations:my-signup-phone": "change the mobile number (signed link)",
    "registrations:my-signup-email": "ask for another e-mail address (signed link)",
    "registrations:my-signup-withdraw": "withdraw from the own page (signed link)",
    "registrations:my-signup-email-confirm": "use a new e-mail address (signed link)",
    "groups:meeting-response": "answer a meeting invitation (signed link)",
    "groups:handover": "accept a group handed over (signed link)",
    # Choosing the language.
    "set_language": "Django's i18n view",
    # Logging in and setting a password (the e-mailed link is the credential).
    "admin:login": "the login form",
    "admin_password_reset": "ask for a password link",
    "password_reset_done": "after asking for a password link",
    "password_reset_confirm": "set a password (signed link)",
    "password_reset_complete": "after setting a password",
    # Uploaded files (house-rules PDFs, downloads), served by Django only when
    # DEBUG is on; in production the web server serves them.
    r"^media/(?P<path>.*)$": "uploaded files in development",
}

# Answers that refuse a stranger (besides a redirect to the login).
REFUSED = {
    HTTPStatus.UNAUTHORIZED,
    HTTPStatus.FORBIDDEN,
    HTTPStatus.NOT_FOUND,
    HTTPStatus.METHOD_NOT_ALLOWED,
}

# Rows that public URLs outside the admin name by a parameter.
ROW_OF: dict[str, type[Model]] = {
    "registrations:house-rules-version": HouseRules,
    "groups:municipality": Municipality,
}

MISSING_PK = 987654321
GARBAGE_TOKEN = "not-a-signed-token"


@dataclass(frozen=True, eq=False)
class Route:
    """One URL pattern with the patterns of the includes that lead to it."""

    patterns: tuple  # RoutePattern / RegexPattern, outermost first
    name: str | None
    callback: object

    @property
    def text(self) -> str:
        return "".join(str(pattern) for pattern in self.patterns)

    @property
    def id(self) -> str:
        return self.name or self.text

    @property
    def has_parameters(self) -> bool:
        return any(_parameters(pattern) for pattern in self.patterns)


def _parameters(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return list(pattern.regex.groupindex)
    raise TypeError(f"the walk cannot fill a {type(pattern).__name__}")


def discover(
    patterns=None, parents: tuple = (), namespace: str = ""
) -> Iterator[Route]:
    """Every URL pattern the project resolves, depth first."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from discover(entry.url_patterns, (*parents, entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = entry.name and ":".join(filter(None, [namespace, entry.name]))
            yield Route((*parents, entry.pattern), name or None, entry.callback)
        else:
            raise TypeError(f"unknown URL entry {entry!r}")


ROUTES = list(discover())
# The include of the admin site: its URLs are the ones under this prefix.
ADMIN_PREFIX = reverse("admin:index").lstrip("/")


def _cases() -> list:
    cases = []
    for route in ROUTES:
        if not route.has_parameters:
            variants = ["plain"]
        elif _names_a_row(route):
            variants = ["existing", "missing"]
        else:
            variants = ["sample"]
        for variant in variants:
            cases.append(pytest.param(route, variant, id=f"{route.id}-{variant}"))
    return cases


def _names_a_row(route: Route) -> bool:
    return route.name in ROW_OF or _admin_model(route) is not None


def _admin_model(route: Route) -> type[Model] | None:
    """The model of a model admin's URL (admin/<app>/<model>/...), if it is one."""
    parts = route.text.split("/")
    if len(parts) < 3 or f"{parts[0]}/" != ADMIN_PREFIX:
        return None
    try:
        model = apps.get_model(parts[1], parts[2])
    except (LookupError, ValueError):
        return None
    return model if admin.site.is_registered(model) else None


CASES = _cases()


# --- building a URL ---------------------------------------------------------


def row_model(route: Route) -> type[Model] | None:
    """The model whose rows the URL names by a parameter, if any."""
    return ROW_OF.get(route.name or "") or _admin_model(route)


def _row(route: Route, variant: str) -> Model | None:
    if variant != "existing":
        return None
    model = row_model(route)
    if model is None:
        return None
    return model._default_manager.order_by("pk").first()


def _converter_value(converter, parameter: str, row: Model | None) -> str:
    pk = row.pk if row is not None else MISSING_PK
    kind = type(converter)
    if kind is IntConverter:
        return converter.to_url(pk)
    if kind is SlugConverter:
        return getattr(row, parameter, None) or "no-such-slug"
    if kind is UUIDConverter:
        return str(uuid.UUID(int=0))
    if kind is PathConverter:
        return str(pk)
    if kind is StringConverter:
        # Signed tokens get garbage; admin object ids a key.
        return str(row.pk) if row is not None else GARBAGE_TOKEN
    raise NotImplementedError(
        f"the URL walk has no sample for {kind.__name__}: add one to _converter_value"
    )


PARAMETER_RE = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


def _fill_route(pattern: RoutePattern, row: Model | None) -> str:
    return PARAMETER_RE.sub(
        lambda match: _converter_value(
            pattern.converters[match["parameter"]], match["parameter"], row
        ),
        str(pattern),
    )


def _group_end(regex: str, start: int) -> int:
    """The index of the ``)`` that closes the group opened at ``start``."""
    depth, index, in_class = 0, start, False
    while index < len(regex):
        char = regex[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise ValueError(f"unbalanced group in {regex!r}")


def _group_value(inner: str, row: Model | None) -> str:
    """A value the group's own regex accepts: an alternative, a key, a word."""
    alternatives = inner.split("|") if re.fullmatch(r"[\w|]+", inner) else []
    pk = str(row.pk) if row is not None else str(MISSING_PK)
    for candidate in [*alternatives, pk, "0" * 32, "no-such-page/"]:
        if re.fullmatch(inner, candidate):
            return candidate
    raise NotImplementedError(f"the URL walk has no sample for the group {inner!r}")


def _fill_regex(pattern: RegexPattern, row: Model | None) -> str:
    regex = str(pattern).removeprefix("^").removesuffix("$")
    filled, index = [], 0
    while index < len(regex):
        if regex.startswith("(?P<", index):
            end = _group_end(regex, index)
            name_end = regex.index(">", index)
            filled.append(_group_value(regex[name_end + 1 : end], row))
            index = end + 1
        elif regex[index] == "\\":
            filled.append(regex[index + 1])
            index += 2
        else:
            filled.append(regex[index])
            index += 1
    url = "".join(filled)
    if not re.fullmatch(regex, url):
        raise NotImplementedError(f"the URL walk cannot fill {str(pattern)!r}")
    return url


def build_url(route: Route, variant: str) -> str:
    """A concrete URL that resolves to ``route``; fails loudly if it cannot."""
    return url_for(route, _row(route, variant))


def url_for(route: Route, row: Model | None) -> str:
    """The URL of ``route`` naming ``row`` (or a missing key, a garbage token)."""
    parts = [
        _fill_route(pattern, row)
        if isinstance(pattern, RoutePattern)
        else _fill_regex(pattern, row)
        for pattern in route.patterns
    ]
    url = "/" + "".join(parts)
    match = resolve(url)
    assert match.func is route.callback, f"{url} resolves to {match.view_name}"
    assert match.view_name == (route.name or match.view_name)
    return url


# --- the data and the visitors ----------------------------------------------


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Rate limits count in the cache: earlier cases do not count here."""
    cache.clear()


@pytest.fixture
def rows(zone, group) -> None:
    """Rows for the "existing" cases to name (a table left empty: a missing key)."""
    RegionStreetFactory(region=group.region)
    UmbrellaGroupFactory(municipality=group.municipality)
    HouseRulesFactory(zone=zone)
    now = timezone.now()
    SignupFactory(group=group)
    SignupFactory(group=group, status=SignupStatus.APPROVED, decided_at=now)
    SignupFactory(group=group, status=SignupStatus.UNCONFIRMED, confirmed_at=None)
    ApplicationFactory(municipality=group.municipality)
    coordinator = CoordinatorFactory(zone=zone, groups=[group])
    link_coordinator_login(coordinator, user=UserFactory())
    MeetingInvitationFactory(meeting__zone=zone, coordinator=coordinator)
    DownloadFactory(zone=zone)
    ExportRecordFactory(groups=[group])
    WhatsAppGroupFactory(municipality=MunicipalityFactory(zone=zone))
    mail.send("someone@example.be", subject="Test", message="Test")


@pytest.fixture
def no_role_client(client):
    """A logged-in user with no role: active, no permissions, not staff."""
    client.force_login(UserFactory(is_staff=False, is_superuser=False))
    return client


def refuses(response) -> bool:
    """Does the answer refuse the visitor (or send them to log in)?"""
    if response.status_code in REFUSED:
        return True
    if response.status_code == HTTPStatus.FOUND:
        target = urlsplit(response["Location"]).path
        # The admin sends a visitor who may not log out back to its index,
        # which asks them to log in (walked as a case of its own).
        return target in {reverse("admin:login"), reverse("admin:index")}
    return False


def walk(client, route: Route, variant: str, method: str) -> None:
    """Request ``route`` as the client's visitor; fail unless it is refused."""
    url = build_url(route, variant)

    response = getattr(client, method)(url)

    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR, url
    if route.id not in PUBLIC:
        assert refuses(response), (
            f"{method.upper()} {url} ({route.id}) answered a stranger with "
            f"{response.status_code}: protect it, or add it to PUBLIC with a reason"
        )


# --- the walk ---------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("route", "variant"), CASES)
def test_anonymous_visitor_is_refused_everything_not_public(
    request, client, route, variant, method
):
    if variant == "existing":
        request.getfixturevalue("rows")

    walk(client, route, variant, method)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("route", "variant"), CASES)
def test_user_without_role_is_refused_everything_not_public(
    request, no_role_client, route, variant, method
):
    if variant == "existing":
        request.getfixturevalue("rows")

    walk(no_role_client, route, variant, method)


# --- the walk itself --------------------------------------------------------


def test_walk_finds_the_admin_the_apps_and_the_included_urls():
    names = {route.name for route in ROUTES}

    assert {
        "admin:index",
        "admin:registrations_signup_change",
        "admin:registrations_pendingsignup_approve",
        "admin:groups_whatsappgroup_export",
        "registrations:signup",
        "groups:umbrella",
        "set_language",
        "statistics",
    } <= names
    assert len(ROUTES) > 150


def test_every_public_entry_names_an_existing_url():
    """A stale entry would let a future URL of that name through unchecked."""
    ids = {route.id for route in ROUTES}

    stale = set(PUBLIC) - ids - {r"^media/(?P<path>.*)$"}  # only with DEBUG on

    assert not stale


def test_walk_fails_for_a_page_left_off_the_allowlist(client, rows, monkeypatch):
    """The walk can fail: a page that answers strangers and is not public."""
    monkeypatch.delitem(PUBLIC, "registrations:privacy")
    privacy = next(route for route in ROUTES if route.name == "registrations:privacy")

    with pytest.raises(AssertionError, match="answered a stranger with 200"):
        walk(client, privacy, "plain", "get")
