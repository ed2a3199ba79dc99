"""Small parts of the scale-out and benchmark set-up, and lists of a country."""

import re
import socket
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registrations.models import Signup
from tests.factories import SignupFactory, UserFactory, WhatsAppGroupFactory
from wabp_portal.benchmark_floor import floor
from wabp_portal.cache import SharedClientRedisCache
from wabp_portal.paginator import CappedCountPaginator


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def test_the_redis_cache_shares_one_client_per_connection_pool():
    cache = SharedClientRedisCache("redis://127.0.0.1:6379/13", {})

    first = cache._cache.get_client()
    second = cache._cache.get_client(write=True)

    assert first is second
    assert first.connection_pool is cache._cache._get_connection_pool(False)


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_the_redis_cache_stores_and_counts():
    cache = SharedClientRedisCache(
        "redis://127.0.0.1:6379/13", {"KEY_PREFIX": "wabp-test"}
    )
    try:
        cache.set("fragment", "<p>tabel</p>", 30)
        cache.add("count", 0, 30)
        cache.incr("count")

        assert cache.get("fragment") == "<p>tabel</p>"
        assert cache.get("count") == 1
    finally:
        cache.delete_many(["fragment", "count"])


def test_the_floor_view_is_the_least_a_view_can_do(rf):
    response = floor(rf.get("/benchmark/floor/"))

    assert response.status_code == HTTPStatus.OK
    assert response.content == b"ok"


@pytest.mark.django_db
def test_the_floor_view_is_not_served_unless_asked(client):
    assert client.get("/benchmark/floor/").status_code == HTTPStatus.NOT_FOUND


@pytest.fixture
def five_signups(db):
    group = WhatsAppGroupFactory()
    return SignupFactory.create_batch(5, group=group)


def test_the_paginator_counts_no_further_than_its_cap(five_signups, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 3)
    paginator = CappedCountPaginator(Signup.objects.order_by("pk"), 2)

    with CaptureQueriesContext(connection) as queries:
        count = paginator.count

    assert count == 4
    assert paginator.capped
    assert paginator.num_pages == 2
    assert "LIMIT 4" in queries.captured_queries[0]["sql"]


def test_the_paginator_counts_without_sorting(five_signups):
    # Sorting the rows before counting them made PostgreSQL read every one of
    # a staff member's 13,000 signups from the table instead of the index.
    paginator = CappedCountPaginator(Signup.objects.order_by("-created_at"), 2)

    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 5

    assert "ORDER BY" not in queries.captured_queries[0]["sql"]
    assert list(paginator.page(1).object_list) == list(
        Signup.objects.order_by("-created_at")[:2]
    )


def test_the_paginator_counts_a_list_that_is_not_a_queryset():
    assert CappedCountPaginator(list(range(7)), 2).count == 7


def test_the_paginator_counts_a_short_list_exactly(five_signups):
    paginator = CappedCountPaginator(Signup.objects.order_by("pk"), 2)

    assert paginator.count == 5
    assert not paginator.capped


def test_a_list_longer_than_the_cap_says_more_than(client, five_signups, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 3)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    content = client.get(
        reverse("admin:registrations_pendingsignup_changelist")
    ).content.decode()

    assert "Meer dan 3 wachtende inschrijvingen" in content
    assert "Selecteer alle (meer dan 3)" in content
    assert "5 wachtende inschrijvingen" not in content


def test_a_list_within_the_cap_says_how_many(client, five_signups):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    content = client.get(
        reverse("admin:registrations_signup_changelist")
    ).content.decode()

    assert "5 inschrijvingen" in content
    assert "Meer dan" not in content


def test_runs_taking_turns_add_up_to_one_run():
    from loadtest.bench import Run

    turns = [
        Run("home", 1000, 5.0, {200: 999, 500: 1}, 0, 4.0, 9.0, 12.0),
        Run("home", 1500, 5.0, {200: 1500}, 2, 3.0, 7.0, 20.0),
        Run("home", 1100, 5.0, {200: 1100}, 0, 5.0, 8.0, 11.0),
    ]

    run = Run.combined(turns)

    assert (run.requests, run.seconds, run.rps) == (3600, 15.0, 240.0)
    assert run.statuses == {200: 3599, 500: 1}
    assert run.errors == 3  # the 500 and two sockets
    # The median of the medians; the worst p95 and p99 of any turn.
    assert (run.p50_ms, run.p95_ms, run.p99_ms) == (4.0, 9.0, 20.0)


def test_the_load_scripts_lift_every_rate_limit():
    """All load comes from one address: every limit per address is raised,
    or the benchmark and the soak measure the 429 page."""
    from pathlib import Path

    from django.conf import settings

    from loadtest.harness import server_environment

    source = (Path(settings.BASE_DIR) / "wabp_portal/settings.py").read_text()
    limits = set(re.findall(r'env\("(RATE_LIMIT_[A-Z_]+)"', source))
    environment = server_environment(
        database_url="postgres://x/y", redis_url="redis://x", port=1, static_root=Path()
    )

    assert limits
    assert {name: environment.get(name) for name in limits} == dict.fromkeys(
        limits, "1000000"
    )
