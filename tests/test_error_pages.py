"""The 500 and 503 pages: a database that does not answer is "try again soon".

The views here raise what Django raises when the database connection is
lost or a statement runs past its timeout; the portal's own URLs and error
handler are used around them. The fault itself, on a real server and
database, is tested in ``test_database_faults.py``.
"""

import html
from http import HTTPStatus

import pytest
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError
from django.test import Client
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext

from wabp_portal import urls as portal_urls

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls(__name__),
]


def raising(error: Exception):
    def view(request):
        raise error

    return view


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
    path("kapot/integriteit/", raising(IntegrityError("duplicate key value"))),
    path("kapot/database/", raising(DatabaseError("syntax error"))),
    path("kapot/fout/", raising(ValueError("a bug"))),
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


@pytest.mark.parametrize(
    "url", ["/kapot/fout/", "/kapot/integriteit/", "/kapot/database/"]
)
def test_other_errors_give_the_plain_500_page(client, url):
    """A bug, or a refused write, is not cured by waiting: no Retry-After."""
    response = client.get(url)

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Retry-After" not in response
    text = page(response)
    assert f"<h1>{dutch('Something went wrong')}</h1>" in text
    assert dutch("The portal is briefly unavailable") not in text
