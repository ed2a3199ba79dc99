"""Scaling out: two app servers behind one load balancer act as one portal.

In production the portal can run as

    load balancer (ends TLS) → N app servers (gunicorn) → one PostgreSQL
                                                        + one Redis

with no stickiness: any request of a person may reach any app server. That
works only if no app server keeps state of its own. Here TWO real app servers
(gunicorn, production settings, the same SECRET_KEY) run on two ports against
ONE PostgreSQL database (the pytest test database) and ONE Redis database
(REDIS_URL: cache, sessions and rate limits). The test plays the browser and
the load balancer in front of them (``Browser``): it sends the public host
name and ``X-Forwarded-Proto: https`` / ``X-Forwarded-For`` to whichever
server it picks, and shows that

- a login made on one server (password, then the TOTP code) is valid on the
  other, and logging out on the other ends it on the first too;
- a rate limit is the total over both servers, not a count per server;
- a change made in the admin on one server is on the other's public pages at
  once, even when that server has just shown the page before the change;
- the sessions are in Redis, not in the server's memory or in PostgreSQL.

The tests commit their rows (``transaction=True``) so the servers can read
them. The servers start once for the module and, like servers in production,
outlive what they serve: each test starts with the database as the
migrations leave it and an empty Redis database of the module's own.
"""

import html
import re
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from http import HTTPStatus
from http.cookies import SimpleCookie
from itertools import cycle, islice
from pathlib import Path

import pytest
import redis
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.cache.backends.base import default_key_func
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from groups import network_cache
from groups.models import WhatsAppGroup
from tests.auth import totp_code
from tests.factories import RegionStreetFactory, StreetFactory
from tests.shared_redis import redis_reachable
from tests.subprocesses import (
    child_environment,
    database_url,
    free_port,
    start_gunicorn,
    wait_for_server_sessions_to_end,
)

HOST = "127.0.0.1"
# A Redis database of this module's own: flushed before and after each test.
REDIS_URL = f"redis://{HOST}:6379/11"


pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the app servers share the tests' database over the network: "
        "PostgreSQL; SQLite's test database lives in the test process",
    ),
    pytest.mark.skipif(
        not redis_reachable(REDIS_URL),
        reason=f"the app servers share their cache and sessions in Redis, and "
        f"none answers at {HOST}:6379",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"
# Marks the servers' database sessions, to wait for them to end.
APPLICATION_NAME = "wabp-scale-out-tests"
FINDER_LIMIT = 4
# Addresses of residents, as the load balancer passes them on (RFC 5737).
RESIDENT = "203.0.113.25"
NEIGHBOUR = "203.0.113.26"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class AppServer:
    name: str
    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


class Browser:
    """One person's browser, reaching the app servers through the load balancer.

    Every request carries what the load balancer adds: the public host name
    (the same for every server), ``X-Forwarded-Proto: https`` as it ended TLS,
    and the client's address in ``X-Forwarded-For``. The cookies are the
    browser's, whichever server set them; the browser's side is HTTPS, so it
    sends the Secure ones back too (requests' own cookie jar would not, as
    the hop from the load balancer to the server is plain HTTP).
    """

    def __init__(self, address: str = RESIDENT, **cookies: str) -> None:
        self.headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": address,
        }
        self.cookies = dict(cookies)

    def get(self, server: AppServer, path: str, **params) -> requests.Response:
        return self._send("GET", server, path, params=params)

    def post(self, server: AppServer, path: str, data) -> requests.Response:
        # Django checks the origin of HTTPS posts against the host.
        return self._send("POST", server, path, data=data, origin=f"https://{HOST}")

    def _send(self, method, server, path, *, origin=None, **kwargs):
        headers = {**self.headers, **({"Origin": origin} if origin else {})}
        response = requests.request(
            method,
            server.url + path,
            headers=headers,
            cookies=self.cookies,
            timeout=30,
            allow_redirects=False,
            **kwargs,
        )
        for header in response.raw.headers.getlist("Set-Cookie"):
            received = SimpleCookie()
            received.load(header)
            for name, morsel in received.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:  # deleted, as at logout
                    self.cookies.pop(name, None)
        return response


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """Collected static files with the manifest production settings read.

    The servers use WhiteNoise's compressed manifest storage, which needs
    ``staticfiles.json``. Django's own manifest storage writes the same file
    in a second, where compressing every file (Brotli) takes some forty:
    serving compressed files is not what this module is about.
    """
    root = tmp_path_factory.mktemp("static")
    storages = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        },
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def shared_redis() -> Iterator[redis.Redis]:
    """The one Redis of every app server, empty at the start and at the end."""
    client = redis.Redis.from_url(REDIS_URL)
    empty_the_cache(client)
    try:
        yield client
    finally:
        empty_the_cache(client)
        client.close()


def empty_the_cache(client: redis.Redis) -> None:
    """Flush the servers' Redis and tell them, as ``invalidate()`` would.

    Each server keeps the version of the networks table it was last told
    (``groups.network_cache.VersionWatch``); told, it reads it again at once
    instead of at its next beat. The database is emptied between tests
    without the signals that move the version, so without this a server could
    show the previous test's table for up to a second.
    """
    client.flushdb()
    # The channel is the version's cache key: KEY_PREFIX "wabp" (settings.py).
    client.publish(default_key_func(network_cache.VERSION_KEY, "wabp", 1), b"")


def server_environment(static_root: Path, media_root: Path) -> dict[str, str]:
    """Production settings, the same for every app server, as deployed."""
    return child_environment(
        drop={"GUNICORN_CMD_ARGS", "DEBUG", "SECURE_SSL_REDIRECT", "CONN_MAX_AGE"},
        DJANGO_SETTINGS_MODULE="wabp_portal.settings",
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url(application_name=APPLICATION_NAME),
        REDIS_URL=REDIS_URL,
        TWO_FACTOR_REQUIRED="1",
        # The test plays the load balancer, from this host.
        TRUSTED_PROXIES="127.0.0.1",
        RATE_LIMIT_FINDER=str(FINDER_LIMIT),
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(media_root),
        MAIL_DELIVERY_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        PYTHONUNBUFFERED="1",
    )


def start_server(name: str, env: dict[str, str], log_path: Path) -> AppServer:
    port = free_port()
    process = start_gunicorn(
        port=port, env=env, log_path=log_path, cwd=settings.BASE_DIR, threads=2
    )
    return AppServer(name=name, port=port, process=process, log_path=log_path)


def stop_servers(servers: list[AppServer]) -> None:
    """Both at once; a server that does not stop within 10 s is killed."""
    for server in servers:
        server.process.send_signal(signal.SIGTERM)
    for server in servers:
        try:
            server.process.wait(10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def wait_until_healthy(servers: list[AppServer]) -> None:
    """/healthz answers 200 once a server reaches both PostgreSQL and Redis."""
    waiting = list(servers)
    deadline = time.monotonic() + 30
    while waiting and time.monotonic() < deadline:
        for server in list(waiting):
            if server.process.poll() is not None:
                pytest.fail(f"server {server.name} did not start:\n{server.log()}")
            try:
                health = requests.get(server.url + "/healthz", timeout=5)
            except requests.RequestException:  # not listening, or still booting
                continue
            if health.status_code == HTTPStatus.OK:
                waiting.remove(server)
        time.sleep(0.1)
    if waiting:
        logs = "\n".join(f"--- {s.name} ---\n{s.log()}" for s in waiting)
        pytest.fail(f"not healthy within 30 s: {[s.name for s in waiting]}\n{logs}")


@pytest.fixture(scope="module")
def app_servers(
    django_db_setup, django_db_blocker, static_root, tmp_path_factory
) -> Iterator[tuple[AppServer, AppServer]]:
    """App servers A and B, started together once for the module.

    Like servers in production they outlive what they serve: each test
    starts with the database as the migrations leave it and an empty Redis
    (``servers``). Between tests the servers' kept database connections are
    idle, in no transaction, so they do not hold up the flush.
    """
    directory = tmp_path_factory.mktemp("servers")
    env = server_environment(static_root, directory / "media")
    started: list[AppServer] = []
    try:
        for name in ("A", "B"):
            started.append(start_server(name, env, directory / f"{name}.log"))
        wait_until_healthy(started)
        yield started[0], started[1]
    finally:
        stop_servers(started)
        # The servers' sessions end a moment after their processes: wait, so
        # the final DROP DATABASE finds no one else connected.
        with django_db_blocker.unblock():
            wait_for_server_sessions_to_end(APPLICATION_NAME)


@pytest.fixture
def servers(
    app_servers, transactional_db, shared_redis
) -> Iterator[tuple[AppServer, AppServer]]:
    """A and B, running, with what they log during the test shown if it fails."""
    for server in app_servers:
        if server.process.poll() is not None:
            pytest.fail(f"server {server.name} stopped:\n{server.log()}")
    logged = {server.name: len(server.log()) for server in app_servers}
    yield app_servers
    for server in app_servers:
        print(
            f"--- server {server.name} log ---\n{server.log()[logged[server.name] :]}"
        )


@dataclass
class Login:
    user: User
    device: TOTPDevice


@pytest.fixture
def staff(zone_staff) -> Login:
    """Police-zone staff of ``group``'s zone, with an authenticator app linked.

    The servers check passwords with Django's default hashers, which do not
    read the tests' fast MD5 hashes: PBKDF2, with few iterations so the
    check is quick (the server upgrades the hash at login, as for any old one).
    """
    hasher = PBKDF2PasswordHasher()
    zone_staff.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    zone_staff.save(update_fields=["password"])
    device = TOTPDevice.objects.create(user=zone_staff, name="phone", confirmed=True)
    return Login(user=zone_staff, device=device)


def csrf_token(page: requests.Response) -> str:
    token = CSRF_TOKEN.search(page.text)
    assert token, f"no CSRF token on {page.url}"
    return token.group(1)


def give_password(browser: Browser, server: AppServer, login: Login) -> None:
    """The first step of a login: the session now holds the user."""
    page = browser.get(server, reverse("admin:login"))
    assert page.status_code == HTTPStatus.OK, page.text
    response = browser.post(
        server,
        reverse("admin:login"),
        {
            "csrfmiddlewaretoken": csrf_token(page),
            "username": login.user.username,
            "password": PASSWORD,
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.text


def log_in(browser: Browser, server: AppServer, login: Login) -> None:
    """Password, then the code of the authenticator app, both on ``server``."""
    give_password(browser, server, login)
    two_factor = reverse("admin:two_factor")
    page = browser.get(server, two_factor)
    assert page.status_code == HTTPStatus.OK, page.text
    response = browser.post(
        server,
        two_factor,
        {"csrfmiddlewaretoken": csrf_token(page), "token": totp_code(login.device)},
    )
    assert response.status_code == HTTPStatus.FOUND, response.text
    assert response.headers["Location"] == reverse("admin:index")


def assert_dashboard(page: requests.Response) -> None:
    """The admin's start page itself, not the login or code page."""
    assert page.status_code == HTTPStatus.OK, (
        f"{page.status_code} {page.headers.get('Location', '')}"
    )
    with translation.override("nl"):
        title = gettext("Neighbourhood watch networks")
    text = html.unescape(page.text)
    assert title in text
    assert 'id="login-form"' not in text
    assert f'action="{reverse("admin:logout")}"' in text


# Sessions --------------------------------------------------------------------


def test_a_login_on_one_server_is_valid_on_the_other(servers, staff):
    a, b = servers
    browser = Browser()
    assert browser.get(b, reverse("admin:index")).status_code == HTTPStatus.FOUND

    log_in(browser, a, staff)
    session_key = browser.cookies.get("sessionid")
    assert session_key

    page = browser.get(b, reverse("admin:index"))
    assert_dashboard(page)
    assert browser.cookies.get("sessionid") == session_key, (
        "B started a session of its own"
    )

    # Logging out on B ends the session everywhere: A no longer knows it.
    response = browser.post(
        b, reverse("admin:logout"), {"csrfmiddlewaretoken": csrf_token(page)}
    )
    assert response.status_code == HTTPStatus.OK, response.text
    with_old_cookie = Browser(sessionid=session_key)
    response = with_old_cookie.get(a, reverse("admin:index"))
    assert response.status_code == HTTPStatus.FOUND
    assert response.headers["Location"].startswith(reverse("admin:login"))


def test_each_server_keeps_its_sessions_in_the_shared_redis(
    servers, staff, shared_redis
):
    a, b = servers
    on_a, on_b = Browser(), Browser()

    log_in(on_a, a, staff)
    give_password(on_b, b, staff)

    for server, browser in ((a, on_a), (b, on_b)):
        session_key = browser.cookies.get("sessionid")
        assert session_key, f"no session from server {server.name}"
        # Django's cache key: KEY_PREFIX, version, the session engine's prefix.
        key = f"wabp:1:django.contrib.sessions.cache{session_key}"
        assert shared_redis.exists(key), f"server {server.name}'s session not in Redis"
    assert not Session.objects.exists(), "sessions stored in PostgreSQL"


# Rate limits -----------------------------------------------------------------


def wait_clear_of_window_edge(period: int) -> None:
    """The limit counts per fixed window: start well inside one."""
    left = period - time.time() % period
    if left < 10:
        time.sleep(left + 0.1)


def test_the_finder_limit_counts_look_ups_on_both_servers_together(servers, group):
    a, b = servers
    street = StreetFactory(municipality=group.municipality, name="Motstraat")
    RegionStreetFactory(region=group.region, street=street)
    resident = Browser(address=RESIDENT)
    finder = reverse("groups:finder")
    look_up = {"straat": "Motstraat", "nummer": "12"}
    wait_clear_of_window_edge(settings.RATE_LIMITS["finder"][1])

    for server in islice(cycle((a, b)), FINDER_LIMIT):
        answer = resident.post(server, finder, look_up)
        assert answer.status_code == HTTPStatus.OK, f"server {server.name}"
        assert group.name in html.unescape(answer.text)

    # Each server has answered only half the limit, yet both now refuse.
    assert resident.post(a, finder, look_up).status_code == (
        HTTPStatus.TOO_MANY_REQUESTS
    )
    assert resident.post(b, finder, look_up).status_code == (
        HTTPStatus.TOO_MANY_REQUESTS
    )
    # The limit is the resident's, not the portal's.
    neighbour = Browser(address=NEIGHBOUR)
    assert neighbour.post(b, finder, look_up).status_code == HTTPStatus.OK


# Changes ---------------------------------------------------------------------


class FormFields(HTMLParser):
    """What a browser posts back from the form with ``form_id``, unchanged."""

    UNSENT_INPUTS = {"submit", "button", "image", "reset", "file"}

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.select_options: list[str] = []
        self.select_chosen = False
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "disabled" in attributes:
            return
        name = attributes.get("name") or ""
        # The empty inline rows copied by JavaScript: not sent.
        if "__prefix__" in name:
            return
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.fields.append((name, attributes.get("value") or "on"))
            elif kind not in self.UNSENT_INPUTS:
                self.fields.append((name, attributes.get("value") or ""))
        elif tag == "select" and name:
            self.select, self.select_options, self.select_chosen = name, [], False
        elif tag == "option" and self.select:
            value = attributes.get("value") or ""
            self.select_options.append(value)
            if "selected" in attributes:
                self.fields.append((self.select, value))
                self.select_chosen = True
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            # A single choice with none marked sends the first option.
            if not self.select_chosen and self.select_options:
                self.fields.append((self.select, self.select_options[0]))
            self.select = None
        elif tag == "textarea" and self.textarea:
            # Browsers drop the newline right after <textarea>.
            text = self.text[2:] if self.text.startswith("\r\n") else self.text
            text = text[1:] if text.startswith("\n") else text
            self.fields.append((self.textarea, text))
            self.textarea = None


def change_form_fields(page: requests.Response, form_id: str) -> list[tuple]:
    parser = FormFields(form_id)
    parser.feed(page.text)
    assert parser.fields, f"no form {form_id} on {page.url}"
    return parser.fields


def rename(fields: list[tuple], new_name: str) -> list[tuple]:
    return [(key, new_name if key == "name" else value) for key, value in fields]


def hide(fields: list[tuple], _new_name: str) -> list[tuple]:
    return [(key, value) for key, value in fields if key != "is_public"]


def public_pages(group: WhatsAppGroup) -> list[str]:
    return [
        reverse("groups:home"),
        reverse("groups:municipality", args=[group.municipality.slug]),
    ]


@pytest.mark.parametrize("change", [rename, hide], ids=["rename", "hide"])
def test_a_change_on_one_server_shows_at_once_on_the_others_public_pages(
    servers, staff, group, change
):
    a, b = servers
    # Every row is made before the servers show a page: the test process's
    # own change signals reach its own local cache, not the servers' Redis.
    old_name = group.name
    new_name = "Buurtpreventie Motstraat en omgeving"
    visitor = Browser(address=RESIDENT)
    # Both servers show the page first: whatever they keep of it is warm.
    for server in (a, b):
        for path in public_pages(group):
            page = visitor.get(server, path)
            assert page.status_code == HTTPStatus.OK, f"{server.name} {path}"
            assert old_name in html.unescape(page.text), f"{server.name} {path}"

    staff_browser = Browser(address=NEIGHBOUR)
    log_in(staff_browser, a, staff)
    change_url = reverse("admin:groups_whatsappgroup_change", args=[group.pk])
    form = staff_browser.get(a, change_url)
    assert form.status_code == HTTPStatus.OK, form.text
    fields = change_form_fields(form, "whatsappgroup_form")
    response = staff_browser.post(a, change_url, change(fields, new_name))
    assert response.status_code == HTTPStatus.FOUND, re.findall(
        r'<ul class="errorlist.*?</ul>', response.text, re.S
    )
    group.refresh_from_db()
    assert (group.name, group.is_public) == (
        (new_name, True) if change is rename else (old_name, False)
    )

    # The very first request to B after the change.
    for path in public_pages(group):
        page = visitor.get(b, path)
        assert page.status_code == HTTPStatus.OK, f"B {path}"
        text = html.unescape(page.text)
        stale = (
            f"server B still shows the group as before the change on server A "
            f"at {path}: a page or fragment cached on B (or in the shared "
            f"cache) was not invalidated"
        )
        assert old_name not in text, stale
        if change is rename:
            assert new_name in text, stale
