"""/healthz: what a load balancer asks each app server, and what it is told."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import DatabaseError
from django.test import override_settings
from django.utils import timezone
from post_office.models import STATUS, Email

from tests.factories import PoliceZoneFactory, SignupFactory
from wabp_portal import health
from wabp_portal.mail.queue import queue_mail

pytestmark = pytest.mark.django_db


def queue(address: str = "griet.vanhoudt@example.be") -> Email:
    queue_mail(
        to=[address],
        template="registrations/email/confirm_signup",
        context={"confirm_url": "https://example.be/x", "withdraw_url": ""},
        language="nl",
        zone=PoliceZoneFactory(),
    )
    return Email.objects.latest("pk")


def test_healthy_server_answers_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "mail": {
            "status": "ok",
            "oldest_unsent_seconds": None,
            "failed": 0,
            "worker_heartbeat_seconds": None,
        },
    }


@override_settings(ALLOWED_HOSTS=["wabp.example.be"], SECURE_SSL_REDIRECT=True)
def test_load_balancer_may_ask_by_address_and_over_plain_http(client):
    # Probes use the server's own address: no host check, no HTTPS redirect.
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200


def test_probe_opens_no_session_and_sets_no_cookie(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get("/healthz")

    assert not response.cookies


def test_only_get_and_head_are_answered(client):
    assert client.head("/healthz").status_code == 200
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_oldest_unsent_mail_age_and_failed_mail_are_reported(client, settings):
    settings.MAIL_LATE_SECONDS = 900
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        queue()
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        failed = queue("tweede@example.be")
        Email.objects.filter(pk=failed.pk).update(status=STATUS.failed)
        queue("derde@example.be")

    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        response = client.get("/healthz")

    # Late mail is reported, but the server stays in the pool.
    assert response.status_code == 200
    assert response.json()["mail"] == {
        "status": "late",
        "oldest_unsent_seconds": 20 * 60,
        "failed": 1,
        "worker_heartbeat_seconds": None,
    }


def test_answer_names_no_one(client):
    signup = SignupFactory()
    queue(signup.email)

    body = client.get("/healthz").content.decode()

    for value in (signup.email, signup.first_name, signup.last_name, str(signup.phone)):
        assert value not in body
    assert set(json.loads(body)) == {"status", "database", "cache", "mail"}


def test_database_down_takes_the_server_out_of_the_pool(client, monkeypatch):
    def no_database():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", no_database)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert response.json()["status"] == "error"
    assert response.json()["mail"] == {"status": "unknown"}


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 1: the cache is down.
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
)
def test_cache_down_takes_the_server_out_of_the_pool(client):
    try:
        response = client.get("/healthz")
    finally:
        cache.close()

    assert response.status_code == 503
    assert response.json()["cache"] == "error"
    assert response.json()["database"] == "ok"
