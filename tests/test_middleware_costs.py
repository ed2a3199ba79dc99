"""Each middleware does nothing for a request it does not concern.

An anonymous GET without a cookie (most requests of a public site) makes no
session, looks no user up, connects no audit-log receiver and leaves no
message storage behind; what is the same for every response (the
Content-Security-Policy, the Permissions-Policy, the language chosen for an
Accept-Language) is worked out once. Whatever concerns a request (a login,
a nonce, a message, a language cookie) still gets Django's and the
packages' own behaviour. ``make bench`` measures what it saves
(loadtest/middleware_profile.py).
"""

import pytest
from csp.constants import NONCE, SELF
from csp.utils import build_policy
from django.contrib import messages
from django.db.models.signals import pre_save
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import path
from django.utils.functional import SimpleLazyObject, empty

from tests.factories import UserFactory
from wabp_portal import middleware
from wabp_portal.middleware import (
    LanguageMiddleware,
    LazyMessageMiddleware,
    LazySessionMiddleware,
    PolicyCachingCSPMiddleware,
    content_security_policy,
    language_for,
)

seen: dict = {}


def empty_view(request):
    seen["request"] = request
    seen["audit receivers"] = len(pre_save.receivers)
    return HttpResponse(b"ok", content_type="text/plain")


def nonce_view(request):
    return HttpResponse(f"nonce {request.csp_nonce}".encode())


def message_view(request):
    messages.info(request, "Opgeslagen.")
    return HttpResponse(b"ok")


def session_view(request):
    request.session["kept"] = 1
    return HttpResponse(b"ok")


urlpatterns = [
    path("empty/", empty_view),
    path("nonce/", nonce_view),
    path("message/", message_view),
    path("session/", session_view),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture(autouse=True)
def forget():
    seen.clear()


def unused(lazy) -> bool:
    return isinstance(lazy, SimpleLazyObject) and lazy._wrapped is empty


def test_an_anonymous_get_without_cookies_makes_no_session_user_or_audit_context(
    client, django_assert_num_queries
):
    receivers = len(pre_save.receivers)
    with django_assert_num_queries(0):
        response = client.get("/empty/")

    request = seen["request"]
    assert response.status_code == 200
    assert unused(request.session)
    assert unused(request._messages)
    # auditlog connects a pre_save receiver for the length of a request
    # that may have an actor: not for this one.
    assert seen["audit receivers"] == receivers
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_a_logged_in_request_gets_the_audit_context_and_its_session(client):
    receivers = len(pre_save.receivers)
    client.force_login(UserFactory())

    client.get("/empty/")

    request = seen["request"]
    assert seen["audit receivers"] == receivers + 1
    assert not unused(request.session)
    assert request.user.is_authenticated
    # Disconnected again once the request is answered.
    assert len(pre_save.receivers) == receivers


def test_a_session_used_without_a_cookie_is_made_and_saved(client):
    response = client.get("/session/")

    assert response.cookies["sessionid"].value
    assert client.session["kept"] == 1


def test_a_message_added_without_a_cookie_is_kept_for_the_next_page(client):
    response = client.get("/message/", follow=False)

    assert response.cookies["messages"].value
    next_page = client.get("/empty/")
    assert [str(m) for m in messages.get_messages(next_page.wsgi_request)] == [
        "Opgeslagen."
    ]


def test_the_policy_is_the_one_django_csp_builds(client):
    response = client.get("/empty/")

    assert response["Content-Security-Policy"] == build_policy()


@override_settings(
    CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": [SELF, NONCE]}}
)
def test_a_page_asking_for_a_nonce_gets_it_in_its_policy(client):
    response = client.get("/nonce/")

    nonce = response.content.decode().split()[-1]
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_a_changed_policy_is_built_again():
    before = content_security_policy()
    with override_settings(
        CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}
    ):
        assert content_security_policy() == "default-src 'none'"
    assert content_security_policy() == before


@pytest.mark.parametrize(
    ("cookie", "accept", "language"),
    [
        (None, "", "nl"),
        (None, "fr-BE,fr;q=0.9", "fr"),
        (None, "en-GB,en;q=0.8", "en"),
        (None, "de-DE", "nl"),
        ("en", "fr-BE", "en"),
        ("xx", "fr-BE", "fr"),
        (None, "x" * 1000, "nl"),
    ],
)
def test_the_language_is_the_one_django_chooses(client, cookie, accept, language):
    if cookie:
        client.cookies["django_language"] = cookie

    response = client.get("/empty/", headers={"accept-language": accept})

    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]


def test_the_language_choices_kept_are_bounded():
    language_for.cache_clear()
    for number in range(2000):
        language_for(None, f"x-{number}")

    assert language_for.cache_info().currsize <= 512


@pytest.mark.parametrize(
    "lazy_middleware",
    [LazySessionMiddleware, LazyMessageMiddleware, PolicyCachingCSPMiddleware],
)
def test_a_lazy_middleware_passes_the_response_on_unchanged_when_unused(
    lazy_middleware,
):
    request = RequestFactory().get("/")
    answer = HttpResponse(b"ok")
    layer = lazy_middleware(lambda request: answer)

    response = layer(request)

    assert response is answer
    assert not response.cookies


def test_the_language_middleware_sets_the_language_of_the_request():
    request = RequestFactory().get("/", headers={"accept-language": "fr"})
    LanguageMiddleware(lambda request: HttpResponse())(request)

    assert request.LANGUAGE_CODE == "fr"


def test_middleware_module_answers_the_session_question_from_the_cookie():
    with_cookie = RequestFactory().get("/", headers={"cookie": "sessionid=abc"})
    without = RequestFactory().get("/", headers={"cookie": "csrftoken=abc"})

    assert middleware.has_session(with_cookie)
    assert not middleware.has_session(without)
