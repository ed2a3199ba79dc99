"""The 500 and 503 pages: any database error is "try again soon".

The views here raise what Django, psycopg2 or sqlite3 raise when the
database connection is lost, a statement runs past its timeout or the
database refuses a statement; the portal's own URLs, middleware and error
handler are used around them. The fault itself, on a real server and
database, is tested in ``test_database_faults.py``.
"""

import html
import sqlite3
import sys
import types
from http import HTTPStatus

import psycopg2
import psycopg2.errors
import pytest
from django.db import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
)
from django.test import Client
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext

from wabp_portal import urls as portal_urls
from wabp_portal import views as portal_views

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls(__name__),
]


def raising(error: Exception):
    def view(request):
        raise error

    return view


def raised_from(error: Exception, cause: BaseException) -> Exception:
    """``error`` as ``raise error from cause`` leaves it."""
    try:
        raise error from cause
    except Exception as raised:
        return raised


def raised_during(error: Exception, context: BaseException) -> Exception:
    """``error`` raised while ``context`` was being handled."""
    try:
        try:
            raise context
        except BaseException:
            raise error  # noqa: B904 (the implicit context is the point)
    except Exception as raised:
        return raised


# Every database error a view can meet, whichever layer raised it.
DATABASE_ERRORS = {
    "django-operational": OperationalError("server closed the connection unexpectedly"),
    "django-interface": InterfaceError("connection already closed"),
    "django-timeout": OperationalError("canceling statement due to statement timeout"),
    "django-integrity": IntegrityError("duplicate key value"),
    "django-database": DatabaseError("syntax error"),
    "django-data": DataError("value too long for type character varying(8)"),
    "django-programming": ProgrammingError('relation "x" does not exist'),
    "django-internal": InternalError("current transaction is aborted"),
    "django-not-supported": NotSupportedError("not supported"),
    # Closing a server-side cursor on a dead connection: not wrapped by Django.
    "psycopg2-operational": psycopg2.OperationalError(
        "server closed the connection unexpectedly"
    ),
    "psycopg2-interface": psycopg2.InterfaceError("connection already closed"),
    "psycopg2-integrity": psycopg2.IntegrityError("duplicate key value"),
    "psycopg2-serialization": psycopg2.errors.SerializationFailure(
        "could not serialize access"
    ),
    "psycopg2-timeout": psycopg2.errors.QueryCanceled(
        "canceling statement due to statement timeout"
    ),
    "sqlite3-locked": sqlite3.OperationalError("database is locked"),
    "sqlite3-interface": sqlite3.InterfaceError("bad parameter or other API misuse"),
    "sqlite3-integrity": sqlite3.IntegrityError("UNIQUE constraint failed"),
    # Wrapped by other code: the database error is the cause or the context.
    "from-django": raised_from(
        ValueError("could not load"), OperationalError("connection lost")
    ),
    "during-psycopg2": raised_during(
        RuntimeError("cleanup failed"), psycopg2.OperationalError("connection lost")
    ),
    "deep-in-the-chain": raised_from(
        KeyError("group"),
        raised_during(TypeError("bad row"), sqlite3.OperationalError("disk I/O")),
    ),
}
OTHER_ERRORS = {
    "bug": ValueError("a bug"),
    "runtime": RuntimeError("something else"),
    "key": KeyError("missing"),
    "from-a-bug": raised_from(RuntimeError("again"), ValueError("a bug")),
}

urlpatterns = [
    path(
        "kapot/verbinding/",
        raising(OperationalError("server closed the connection unexpectedly")),
    ),
    path("kapot/gesloten/", raising(InterfaceError("connection already closed"))),
    path(
        "kapot/timeout/",
        raising(OperationalError("canceling statement due to statement timeout")),
    ),
    *(
        path(f"kapot/database/{name}/", raising(error))
        for name, error in DATABASE_ERRORS.items()
    ),
    *(
        path(f"kapot/fout/{name}/", raising(error))
        for name, error in OTHER_ERRORS.items()
    ),
    *portal_urls.urlpatterns,
]
# The portal's own handler: this module stands in for its URLconf.
handler500 = portal_urls.handler500


@pytest.fixture
def client() -> Client:
    """A browser: it gets the error page, not the exception."""
    return Client(raise_request_exception=False)


def page(response) -> str:
    return html.unescape(response.content.decode())


def dutch(msgid: str) -> str:
    with translation.override("nl"):
        return gettext(msgid)


@pytest.mark.parametrize(
    "url", ["/kapot/verbinding/", "/kapot/gesloten/", "/kapot/timeout/"]
)
def test_lost_database_gives_the_503_page(client, django_assert_num_queries, url):
    with django_assert_num_queries(0):
        response = client.get(url)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert int(response["Retry-After"]) > 0
    text = page(response)
    assert '<html lang="nl">' in text
    assert f"<h1>{dutch('The portal is briefly unavailable')}</h1>" in text
    assert dutch("Go to the overview of the networks") in text


def test_503_page_after_a_failed_post_says_nothing_is_half_done(client):
    response = client.post("/kapot/verbinding/", {"email": "griet@example.be"})

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    text = page(response)
    assert (
        dutch(
            "We are working on it. Nothing is half done: what you sent was stored "
            "whole or not at all."
        )
        in text
    )
    assert "griet@example.be" not in text


def test_503_page_follows_the_visitors_language(client):
    response = client.get("/kapot/verbinding/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert '<html lang="en">' in page(response)
    assert "<h1>The portal is briefly unavailable</h1>" in page(response)


def assert_unavailable_page(response) -> None:
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert int(response["Retry-After"]) > 0
    assert f"<h1>{dutch('The portal is briefly unavailable')}</h1>" in page(response)


@pytest.mark.parametrize("name", DATABASE_ERRORS)
def test_every_database_error_gives_the_503_page_whatever_raised_it(client, name):
    response = client.get(f"/kapot/database/{name}/")

    assert_unavailable_page(response)
    assert dutch("Something went wrong") not in page(response)


@pytest.mark.parametrize("name", ["psycopg2-operational", "from-django"])
def test_database_error_gives_the_503_page_with_debug_on(client, settings, name):
    """Answered by the middleware: not Django's debug page, with its traceback."""
    settings.DEBUG = True

    response = client.get(f"/kapot/database/{name}/")

    assert_unavailable_page(response)


def test_database_error_is_a_503_page_in_tests_too():
    """A test client that re-raises a view's exception gets the page instead."""
    response = Client().get("/kapot/database/psycopg2-operational/")

    assert_unavailable_page(response)


def test_database_error_is_logged_with_its_traceback(client, caplog):
    with caplog.at_level("ERROR", logger="django.request"):
        client.get("/kapot/database/psycopg2-interface/")

    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == (
        "Service Unavailable: /kapot/database/psycopg2-interface/"
    )
    assert record.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "psycopg2.InterfaceError" in caplog.text


class RaisingMiddleware:
    """A middleware that meets the database error: past the views' middleware."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        self.get_response(request)
        raise psycopg2.OperationalError("server closed the connection unexpectedly")


def test_database_error_in_a_middleware_gives_the_503_page(client, settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:1],
        f"{__name__}.RaisingMiddleware",
        *settings.MIDDLEWARE[1:],
    ]

    response = client.get("/kapot/fout/bug/")

    assert_unavailable_page(response)


def test_a_driver_installed_later_is_recognised(monkeypatch):
    """psycopg (3), when installed, is one of the drivers whose errors count."""
    driver = types.ModuleType("psycopg")
    driver.Error = type("Error", (Exception,), {})
    monkeypatch.setitem(sys.modules, "psycopg", driver)

    assert driver.Error in portal_views._database_errors()


@pytest.mark.parametrize("name", OTHER_ERRORS)
def test_other_errors_give_the_plain_500_page(client, name):
    """A bug is not cured by waiting: the 500 page, no Retry-After."""
    response = client.get(f"/kapot/fout/{name}/")

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Retry-After" not in response
    text = page(response)
    assert f"<h1>{dutch('Something went wrong')}</h1>" in text
    assert dutch("The portal is briefly unavailable") not in text
