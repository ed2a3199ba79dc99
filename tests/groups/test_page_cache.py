"""The public pages answered whole from the cache, before most of the middleware.

``groups.page_cache.SharedPageCacheMiddleware`` answers a cookie-less GET of
the home page, a municipality page or the house rules from the cache, with
the headers the whole stack gave it, and never runs the session, the user,
the second factor, the audit log or the lockout for it. A login, any other
cookie, a query string, a POST, a HEAD, or a page that sets a cookie always
go through the whole stack. The pages change as soon as the table does.
"""

from http import HTTPStatus
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse

from groups import page_cache, services
from registrations.services import publish_house_rules
from tests.factories import (
    HouseRulesFactory,
    UserFactory,
    current_house_rules,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def new_process():
    """Each test starts as a process that has not served a page yet."""
    page_cache._known_paths.clear()
    yield
    page_cache._known_paths.clear()


def cached(response) -> bool:
    """Whether the response came from the cache: nothing below it ran."""
    request = response.wsgi_request
    return not hasattr(request, "session") and not hasattr(request, "user")


def headers(response) -> dict[str, str]:
    return {name: value for name, value in response.items() if name != "Date"}


@pytest.fixture
def pages(group) -> dict[str, str]:
    current_house_rules(group.municipality.zone)
    return {
        "home": reverse("groups:home"),
        "municipality": reverse("groups:municipality", args=[group.municipality.slug]),
        "house rules": reverse("registrations:house-rules"),
    }


@pytest.mark.parametrize("page", ["home", "municipality", "house rules"])
def test_a_cookie_less_visitor_gets_the_page_from_the_cache(
    client, pages, page, django_assert_num_queries
):
    path = pages[page]
    first = client.get(path)
    with django_assert_num_queries(0):
        second = client.get(path)

    assert first.status_code == second.status_code == 200
    assert not cached(first)
    assert cached(second)
    assert second.content == first.content


@pytest.mark.parametrize("page", ["home", "municipality", "house rules"])
def test_a_page_from_the_cache_carries_the_same_headers(client, settings, pages, page):
    settings.SECURE_HSTS_SECONDS = 3600
    path = pages[page]
    rendered = client.get(path, secure=True)
    from_cache = client.get(path, secure=True)

    assert cached(from_cache) and not cached(rendered)
    assert headers(from_cache) == headers(rendered)
    for name in (
        "Content-Security-Policy",
        "Strict-Transport-Security",
        "Content-Language",
        "Vary",
        "Cache-Control",
        "Permissions-Policy",
        "X-Frame-Options",
    ):
        assert name in from_cache.headers, name


def test_each_language_has_its_own_page(client, pages):
    path = pages["home"]
    for _ in range(3):
        dutch = client.get(path)
        english = client.get(path, headers={"accept-language": "en"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    for _ in range(3):
        french = client.get(path)

    assert cached(dutch) and cached(english) and cached(french)
    assert (dutch["Content-Language"], english["Content-Language"]) == ("nl", "en")
    assert french["Content-Language"] == "fr"
    assert len({dutch.content, english.content, french.content}) == 3


def test_a_logged_in_user_never_gets_a_page_from_the_cache(client, pages):
    path = pages["home"]
    for _ in range(3):
        client.get(path)
    client.force_login(UserFactory())

    response = client.get(path)

    assert response.status_code == 200
    assert not cached(response)
    assert response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"cookie": "csrftoken=abc"},
        {"cookie": "messages=abc"},
        {"cookie": "anything=else"},
        {"cookie": f"{settings.LANGUAGE_COOKIE_NAME}=nl; other=1"},
        {"query": "?x=1"},
        {"method": "post"},
        {"method": "head"},
    ],
    ids=lambda kwargs: next(iter(kwargs.values())),
)
def test_any_cookie_query_or_other_method_goes_through_the_whole_stack(
    client, pages, request_kwargs
):
    path = pages["home"]
    for _ in range(3):
        client.get(path)
    assert cached(client.get(path))
    if "cookie" in request_kwargs:
        for pair in request_kwargs["cookie"].split("; "):
            name, value = pair.split("=")
            client.cookies[name] = value
    method = getattr(client, request_kwargs.get("method", "get"))

    response = method(path + request_kwargs.get("query", ""))

    assert not cached(response)


def test_a_change_to_the_table_shows_at_once(client, pages, group):
    path = pages["municipality"]
    for _ in range(3):
        client.get(path)
    group.name = "WABP Nieuwe Naam"
    services.save_whatsapp_group(group)

    response = client.get(path)

    assert "WABP Nieuwe Naam" in response.content.decode()


def test_new_house_rules_show_at_once(client, pages, group, zone_staff):
    path = pages["house rules"]
    for _ in range(3):
        client.get(path)
    publish_house_rules(
        HouseRulesFactory.build(
            zone=group.municipality.zone, title="Nieuw reglement", version=0
        ),
        by=zone_staff,
    )

    response = client.get(path)

    assert "Nieuw reglement" in response.content.decode()


def test_an_unknown_host_is_refused_also_for_a_page_in_the_cache(client, pages):
    path = pages["home"]
    for _ in range(3):
        client.get(path)

    response = client.get(path, headers={"host": "attacker.example"})

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_without_the_cache_the_pages_are_served_from_the_database(client, pages):
    with (
        mock.patch.object(cache, "get", side_effect=ConnectionError),
        mock.patch.object(cache, "set", side_effect=ConnectionError),
    ):
        responses = [client.get(pages["home"]) for _ in range(3)]

    assert all(response.status_code == 200 for response in responses)


def test_a_response_that_sets_a_cookie_or_is_not_shared_is_never_kept():
    shared = HttpResponse(b"page")
    setattr(shared, page_cache.SHARED, True)
    with_cookie = HttpResponse(b"page")
    setattr(with_cookie, page_cache.SHARED, True)
    with_cookie.set_cookie("csrftoken", "abc")
    not_found = HttpResponse(b"page", status=404)
    setattr(not_found, page_cache.SHARED, True)

    assert page_cache._keepable(shared)
    assert not page_cache._keepable(with_cookie)
    assert not page_cache._keepable(HttpResponse(b"page"))
    assert not page_cache._keepable(not_found)
