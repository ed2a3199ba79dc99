"""The database goes away: the real app, served by gunicorn, through a proxy.

The app runs as it does in production (gunicorn, one worker with threads,
DEBUG off, persistent connections with health checks, connect and statement
timeouts) in a process of its own, and reaches PostgreSQL through
``tests.pgproxy``, which drops connections on command. A visitor then gets
the 503 page, quickly; nothing half done is stored; and once the database is
back the same server process answers again without being restarted.

The tests commit their rows (``transaction=True``) so the server can read
them; the server is stopped before the test database is flushed.
"""

import html
import itertools
import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

import psycopg2
import pytest
import requests
from django.conf import settings
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext
from post_office.models import Email

from groups.models import WhatsAppGroup
from registrations.models import HouseRules, Signup, StatusChange
from tests.eloket import eloket_form
from tests.factories import HouseRulesFactory, RegionStreetFactory, StreetFactory
from tests.pgproxy import PgProxy
from tests.subprocesses import (
    child_environment,
    database_url,
    free_port,
    start_gunicorn,
    wait_for_server_sessions_to_end,
)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="cutting the database connection needs PostgreSQL over TCP "
        "(a proxy between the app server and the database); SQLite is a file",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STATEMENT_TIMEOUT = 2
# A page that fails must still answer quickly: never the gunicorn timeout.
QUICK = 5
# Marks the server's database sessions, to wait for them to end.
APPLICATION_NAME = "wabp-fault-tests"
EMAIL = "griet.vanhoudt@example.be"
PHONE = "0470 55 12 34"
# What the server sends right after the signup's own rows, in the same
# transaction: the confirmation mail, queued in the outbox.
QUEUE_MAIL = b'INSERT INTO "post_office_email"'
# The server's answer to COMMIT (CommandComplete, "C", length 11).
COMMITTED = b"C\x00\x00\x00\x0bCOMMIT\x00"


@dataclass
class Portal:
    base_url: str
    process: subprocess.Popen
    proxy: PgProxy
    log_path: Path
    session: requests.Session

    def get(self, path: str, *, timeout: float = 30) -> requests.Response:
        return self.session.get(self.base_url + path, timeout=timeout)

    def post(self, path: str, data: dict) -> requests.Response:
        return self.session.post(
            self.base_url + path, data=data, timeout=30, allow_redirects=False
        )

    def look_up(self, *, timeout: float = 30) -> requests.Response:
        """The finder's search for a house of ``LOOK_UP``'s street: a page that
        reads the database. Each time another house number: the finder keeps
        the answer to a search it has seen (groups/finder.py), which would
        need no database."""
        data = {**LOOK_UP, "nummer": str(next(HOUSE_NUMBERS))}
        return self.session.post(self.base_url + FINDER, data=data, timeout=timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def worker_pids(self) -> set[int]:
        """The gunicorn workers: a worker that crashed or hung is replaced."""
        children = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended while we looked
            if int(fields[1]) == self.process.pid:
                children.add(int(stat.parent.name))
        return children


@pytest.fixture
def proxy(transactional_db) -> Iterator[PgProxy]:
    database = connection.settings_dict
    with PgProxy((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432))) as p:
        yield p
    assert not [t for t in threading.enumerate() if t.name.startswith("pgproxy")]
    # The server's sessions end a moment after their sockets: wait, so the
    # flush and the final DROP DATABASE find no one else connected.
    wait_for_server_sessions_to_end(APPLICATION_NAME)


@pytest.fixture
def portal(proxy, tmp_path) -> Iterator[Portal]:
    """The app under gunicorn, reaching the test database through ``proxy``.

    Set up after the database and torn down before it is flushed: the flush
    must not wait for (or be blocked by) the server's connections.
    """
    env = child_environment(
        drop={"DJANGO_ENV", "GUNICORN_CMD_ARGS", "REDIS_URL"},
        DJANGO_SETTINGS_MODULE="wabp_portal.settings",
        DATABASE_URL=database_url(
            application_name=APPLICATION_NAME, host="127.0.0.1", port=proxy.port
        ),
        DEBUG="0",
        CONN_MAX_AGE="60",
        DB_STATEMENT_TIMEOUT=str(STATEMENT_TIMEOUT),
        DB_CONNECT_TIMEOUT="2",
        RATE_LIMIT_SIGNUP="1000",
        MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONUNBUFFERED="1",
    )
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    process = start_gunicorn(
        port=port, env=env, log_path=log_path, cwd=settings.BASE_DIR, threads=3
    )
    portal = Portal(
        base_url=f"http://127.0.0.1:{port}",
        process=process,
        proxy=proxy,
        log_path=log_path,
        session=requests.Session(),
    )
    try:
        _wait_until_healthy(portal)
        yield portal
    finally:
        portal.session.close()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        # Shown with the report of a failing test.
        print(f"--- gunicorn log ---\n{portal.log()}")


def _wait_until_healthy(portal: Portal) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if portal.process.poll() is not None:
            pytest.fail(f"gunicorn did not start:\n{portal.log()}")
        try:
            if portal.get("/healthz").status_code == HTTPStatus.OK:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    pytest.fail(f"gunicorn did not answer /healthz in time:\n{portal.log()}")


# A page that reads the database on every request: the finder looking up the
# street of ``open_group`` (a POST: the address stays out of the URL). The
# home page would not do: its table, even the whole page, is served from the
# cache (groups.network_cache), and stays up while the database is down.
FINDER = "/zoek-je-groep/"
LOOK_UP = {"straat": "Motstraat", "nummer": "12"}
HOUSE_NUMBERS = itertools.count(12)


@pytest.fixture
def open_group(group) -> WhatsAppGroup:
    """``group``, open for signups: current house rules and a street covered."""
    HouseRulesFactory(zone=group.municipality.zone)
    street = StreetFactory(municipality=group.municipality, name="Motstraat")
    RegionStreetFactory(region=group.region, street=street)
    return group


def signup_form(portal: Portal, group: WhatsAppGroup) -> dict:
    """A valid e-loket form for ``group``, with the CSRF token of a fresh GET."""
    page = portal.get("/aanmelden/")
    assert page.status_code == HTTPStatus.OK, page.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the signup form"
    rules = HouseRules.objects.current().get(zone=group.municipality.zone_id)
    return eloket_form(
        group, rules, csrfmiddlewaretoken=token.group(1), phone=PHONE, email=EMAIL
    )


def unavailable_title() -> str:
    """The 503 page's heading in Dutch (the msgid until it is translated)."""
    with translation.override("nl"):
        return gettext("The portal is briefly unavailable")


def assert_unavailable_page(response: requests.Response) -> None:
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE, response.text
    assert int(response.headers["Retry-After"]) > 0
    page = html.unescape(response.text)
    assert '<html lang="nl">' in page
    assert f"<h1>{unavailable_title()}</h1>" in page


def timed_get(portal: Portal, path: str) -> tuple[requests.Response, float]:
    """The answer and how long it took; a page that hangs fails the test."""
    started = time.monotonic()
    response = portal.get(path, timeout=STATEMENT_TIMEOUT + QUICK)
    return response, time.monotonic() - started


def timed_look_up(portal: Portal) -> tuple[requests.Response, float]:
    """The finder's answer and how long it took."""
    started = time.monotonic()
    response = portal.look_up(timeout=STATEMENT_TIMEOUT + QUICK)
    return response, time.monotonic() - started


def signup_id_sequence() -> tuple[int, bool]:
    """Where the signup ids are: it moves on even when the insert is rolled back."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_serial_sequence(%s, 'id')", [Signup._meta.db_table]
        )
        (sequence,) = cursor.fetchone()
        cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
        return cursor.fetchone()


def test_signup_cut_mid_transaction_leaves_nothing_and_can_be_sent_again(
    portal, open_group
):
    workers = portal.worker_pids()
    sequence_before = signup_id_sequence()
    form = signup_form(portal, open_group)
    portal.proxy.cut_on(QUEUE_MAIL)

    response = portal.post("/aanmelden/", form)

    assert portal.proxy.tripped, "the confirmation mail was never queued"
    assert_unavailable_page(response)
    # The signup was inserted on the server, then rolled back with the rest.
    assert signup_id_sequence() != sequence_before
    assert not Signup.objects.filter(email=EMAIL).exists()
    assert not StatusChange.objects.exists()
    assert not Email.objects.filter(to__icontains=EMAIL).exists()
    # Logs carry no personal data, not even those of the failed request.
    log = portal.log()
    assert "Service Unavailable: /aanmelden/" in log
    assert EMAIL not in log
    assert "Vanhoudt" not in log
    assert PHONE not in log

    # The visitor goes back and sends the form again: the same server copes.
    response = portal.post("/aanmelden/", signup_form(portal, open_group))

    assert response.status_code == HTTPStatus.FOUND, response.text
    assert response.headers["Location"] == "/aanmelden/verstuurd/"
    signup = Signup.objects.get(email=EMAIL)
    assert StatusChange.objects.filter(signup=signup).count() == 1
    assert Email.objects.filter(to__icontains=EMAIL).count() == 1
    assert portal.worker_pids() == workers


def test_signup_committed_but_answer_lost_is_not_stored_twice_when_sent_again(
    portal, open_group
):
    """The one case the app cannot know: the database saved it, then vanished.

    The visitor sees the 503 page and, as it asks, sends the form again: the
    signup is then recognised, not stored a second time.
    """
    form = signup_form(portal, open_group)
    portal.proxy.cut_on(COMMITTED, from_server=True)

    response = portal.post("/aanmelden/", form)

    assert portal.proxy.tripped, "the signup was never committed"
    assert_unavailable_page(response)
    assert Signup.objects.filter(email=EMAIL).count() == 1

    response = portal.post("/aanmelden/", signup_form(portal, open_group))

    assert response.status_code == HTTPStatus.FOUND, response.text
    assert response.headers["Location"] == "/aanmelden/verstuurd/"
    signup = Signup.objects.get(email=EMAIL)
    assert StatusChange.objects.filter(signup=signup).count() == 1


# The e-loket's list of groups as it is read when nothing is kept yet (the
# first form after a change to the table; registrations.forms
# ``kept_published_groups``): the groups of the municipality, in the table's order.
GROUP_LIST = b'"groups_whatsappgroup"."display_order" ASC'


def test_cut_while_a_form_reads_its_choices_gives_the_503_page(portal, open_group):
    """A connection lost as the e-loket reads its list of groups: the 503 page.

    The lists are kept with the networks table once read, so the cut comes
    at the first form the worker shows (the home page before it opens the
    connection without reading them). The worker is not lost, and the next
    form reads the list again and is shown.
    """
    workers = portal.worker_pids()
    assert portal.get("/").status_code == HTTPStatus.OK
    portal.proxy.cut_on(GROUP_LIST)

    response, seconds = timed_get(portal, "/aanmelden/")

    assert portal.proxy.tripped, "the list of groups was not read"
    assert_unavailable_page(response)
    assert seconds < QUICK
    again = portal.get("/aanmelden/")
    assert again.status_code == HTTPStatus.OK
    assert open_group.name in html.unescape(again.text)
    assert portal.worker_pids() == workers


def test_database_down_gives_the_503_page_and_the_server_recovers_by_itself(
    portal, open_group
):
    assert portal.look_up().status_code == HTTPStatus.OK
    home = portal.get("/")
    assert open_group.name in html.unescape(home.text)
    workers = portal.worker_pids()
    assert workers

    portal.proxy.cut()

    # The home page, rendered before, is still served from the cache.
    assert portal.get("/").text == home.text

    response, seconds = timed_look_up(portal)
    assert_unavailable_page(response)
    assert seconds < QUICK
    health, seconds = timed_get(portal, "/healthz")
    assert health.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert health.json()["status"] == "error"
    assert health.json()["database"] == "error"
    assert health.json()["cache"] == "ok"
    assert seconds < QUICK

    portal.proxy.restore()

    health = portal.get("/healthz")
    assert health.status_code == HTTPStatus.OK, health.text
    assert health.json()["database"] == "ok"
    response = portal.look_up()
    assert response.status_code == HTTPStatus.OK
    assert open_group.name in html.unescape(response.text)
    assert portal.process.poll() is None
    assert portal.worker_pids() == workers


def test_database_restart_between_requests_goes_unnoticed(portal, open_group):
    """Kept connections that died in between are replaced before they are used."""
    for _ in range(6):
        assert portal.look_up().status_code == HTTPStatus.OK
    assert portal.proxy.open_connections >= 1

    # Down and up again while no request runs, as a database restart.
    portal.proxy.cut()
    assert portal.proxy.open_connections == 0
    portal.proxy.restore()

    statuses = [portal.look_up().status_code for _ in range(6)]
    assert statuses == [HTTPStatus.OK] * 6
    assert "Service Unavailable" not in portal.log()


def test_locked_table_gives_the_503_page_after_the_statement_timeout(
    portal, open_group
):
    assert portal.look_up().status_code == HTTPStatus.OK
    database = connection.settings_dict
    # Straight to PostgreSQL, not through the proxy: someone else's long
    # transaction holding the table the page reads.
    locker = psycopg2.connect(
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        user=database["USER"],
        password=database["PASSWORD"],
        dbname=database["NAME"],
    )
    try:
        with locker.cursor() as cursor:
            cursor.execute(
                f'LOCK TABLE "{WhatsAppGroup._meta.db_table}" IN ACCESS EXCLUSIVE MODE'
            )

        response, seconds = timed_look_up(portal)

        assert_unavailable_page(response)
        assert STATEMENT_TIMEOUT - 0.5 < seconds < STATEMENT_TIMEOUT + QUICK
        assert "statement timeout" in portal.log()
    finally:
        locker.rollback()
        locker.close()

    response = portal.look_up()
    assert response.status_code == HTTPStatus.OK
    assert open_group.name in html.unescape(response.text)
