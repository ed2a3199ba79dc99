"""Every page carries the security headers; none may be kept in a cache."""

from http import HTTPStatus

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db


def public_pages(network) -> list[str]:
    municipality = network.group_a1.municipality
    return [
        "/",
        reverse("groups:finder") + f"?municipality={municipality.slug}&street=x",
        reverse("groups:municipality", args=[municipality.slug]),
        reverse("registrations:signup") + f"?group={network.group_a1.pk}",
        reverse("registrations:privacy"),
        "/bestaat-niet/",
        reverse("admin:login"),
        reverse("admin_password_reset"),
    ]


def admin_pages() -> list[str]:
    """The list page of every model in the admin, found, not listed by hand."""
    pages = [reverse("admin:index"), reverse("statistics")]
    for model in admin.site._registry:
        try:
            pages.append(
                reverse(
                    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
                )
            )
        except NoReverseMatch:  # pragma: no cover - every admin has a list
            continue
    return pages


def assert_secure_headers(response, url: str) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy, url
    assert "script-src 'self'" in policy, url
    assert "frame-ancestors 'none'" in policy, url
    assert "unsafe-inline" not in policy, url
    assert "unsafe-eval" not in policy, url
    assert response.headers.get("X-Frame-Options") == "DENY", url
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert response.headers.get("Referrer-Policy") == "same-origin", url
    assert "no-store" in response.headers.get("Cache-Control", ""), url


def test_public_pages_send_the_security_headers(client, network):
    for url in public_pages(network):
        response = client.get(url)
        assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR, url
        assert_secure_headers(response, url)


@pytest.mark.parametrize("role", ["superuser", "staff_a", "coordinator_a1"])
def test_admin_pages_send_the_security_headers(network, role):
    client = Client()
    client.force_login(network.users[role])
    for url in admin_pages():
        response = client.get(url)
        assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR, url
        assert_secure_headers(response, url)


def test_a_signups_page_with_personal_data_is_not_stored(client, network):
    from registrations.constants import SignupStatus

    member = network.group_a1.signups.get(status=SignupStatus.APPROVED)
    client.force_login(network.users["coordinator_a1"])

    response = client.get(
        reverse("admin:registrations_member_change", args=[member.pk])
    )

    assert response.status_code == HTTPStatus.OK
    assert "no-store" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]


def test_https_responses_carry_hsts_in_production(client, settings, network):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = client.get("/", secure=True)

    assert response.headers["Strict-Transport-Security"].startswith(
        "max-age=31536000; includeSubDomains"
    )


def test_static_files_keep_their_cache_headers(client):
    from django.test import override_settings

    with override_settings(DEBUG=False):
        response = client.get("/static/css/site.css")
    # Served by WhiteNoise above the no-store middleware (or absent in tests
    # without collectstatic): never marked no-store.
    assert "no-store" not in response.headers.get("Cache-Control", "") or (
        response.status_code == HTTPStatus.NOT_FOUND
    )


def test_an_error_shows_the_friendly_page_without_a_traceback(
    client, settings, monkeypatch
):
    from groups import views

    settings.DEBUG = False

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail of the failure")

    monkeypatch.setattr(views.NetworkListView, "get", broken)
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    body = response.content.decode()
    assert "Traceback" not in body
    assert "secret detail" not in body
    assert "RuntimeError" not in body
    assert "<main" in body
    assert "no-store" in response.headers["Cache-Control"]
