"""Behind nginx: the deployed site in front of two app servers.

As in production (README.md, "Deploying"):

    client → nginx (deploy/nginx/wabp.conf) → app servers A and B (gunicorn,
             deploy/gunicorn.conf.py)       → one PostgreSQL + one Redis

A real nginx runs the site file with only the test host's port, paths and
app servers put in (tests/nginx.py), in front of two real app servers with
the production settings, the production default of TRUSTED_PROXIES
included (nginx on the same host). The clients connect from 127.0.0.2 and
127.0.0.3 (this host as well, but addresses the portal does not trust) and
send only what a browser, or someone pretending, sends. The test shows that

- pages, static files and the public uploads come through, with the
  portal's security headers, and nginx names no app server;
- a client cannot choose its address with X-Forwarded-For, nor HTTPS with
  X-Forwarded-Proto: the login lockout locks a client that rotates the
  header, by the address nginx saw;
- a change made through one app server shows at once on the other;
- /healthz answers this host only; other host names get no answer; bodies
  are limited as the forms need;
- the access log holds no query string, no e-mail link's token and no
  client address.

Like tests/test_scale_out.py, the tests commit their rows and each starts
with the database as the migrations leave it and an empty Redis database of
the module's own. The servers and nginx start once for the module.
"""

import html
import re
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
import redis
import requests
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from requests.adapters import HTTPAdapter

from tests.auth import totp_code
from tests.nginx import Nginx, nginx_binary, start_nginx
from tests.shared_redis import redis_reachable
from tests.subprocesses import (
    child_environment,
    database_url,
    free_port,
    start_gunicorn,
    wait_for_server_sessions_to_end,
)
from tests.test_scale_out import (
    change_form_fields,
    empty_the_cache,
    public_pages,
    rename,
)

HOST = "127.0.0.1"
# A Redis database of this module's own: flushed before and after each test.
REDIS_URL = f"redis://{HOST}:6379/10"
APPLICATION_NAME = "wabp-nginx-tests"
PASSWORD = "correct horse battery staple"
# Clients: addresses of this host that nginx sees, and the portal does not
# trust (TRUSTED_PROXIES is 127.0.0.1, ::1 and unix, nginx's own).
CLIENT = "127.0.0.2"
NEIGHBOUR = "127.0.0.3"
# What a client writes into X-Forwarded-For to pass for someone else.
FORGED = ["198.51.100.7", "198.51.100.8", "10.0.0.1", "127.0.0.1", "::1", "unix"]
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# $wabp_client_network [$time] "$method $path $protocol" $status ... upstream=…
LOG_LINE = re.compile(
    r'^(?P<network>\S+) \[[^\]]+\] "(?P<method>\S+) (?P<path>\S+) [^"]+" '
    r"(?P<status>\d+) .* upstream=(?P<upstream>\S+) "
)

pytestmark = [
    # One nginx and its app servers for the module, and Redis database 10,
    # emptied around each test: a second worker would start its own on it.
    pytest.mark.serial,
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
    pytest.mark.skipif(
        nginx_binary() is None,
        reason="nginx is not installed (Debian: apt-get install nginx)",
    ),
]
# For the tests that make rows: committed, so the servers read them.
commits_rows = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@dataclass
class AppServer:
    name: str
    port: int
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


class FromAddress(HTTPAdapter):
    """Connections made from ``address`` (all of 127.0.0.0/8 is this host)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Browser:
    """A client at ``address`` that talks to nginx, as a browser does.

    It sends what it is told to, forged headers included, and nothing of a
    proxy's. The site is plain HTTP here, so requests' cookie jar would keep
    the portal's Secure cookies to itself: the browser keeps them instead,
    as one on the HTTPS site would.
    """

    def __init__(self, address: str = CLIENT, **headers: str) -> None:
        self.session = requests.Session()
        self.session.trust_env = False  # no proxy from the environment
        self.session.mount("http://", FromAddress(address))
        self.headers = headers
        self.cookies: dict[str, str] = {}

    def get(self, site: Nginx, path: str, **params) -> requests.Response:
        return self.send("GET", site, path, params=params)

    def post(self, site: Nginx, path: str, data, **headers) -> requests.Response:
        return self.send("POST", site, path, data=data, headers=headers)

    def send(self, method, site, path, *, headers=None, **kwargs) -> requests.Response:
        response = self.session.request(
            method,
            site.url + path,
            headers={**self.headers, **(headers or {})},
            cookies=self.cookies,
            timeout=30,
            allow_redirects=False,
            **kwargs,
        )
        self.session.cookies.clear()
        for header in response.raw.headers.getlist("Set-Cookie"):
            received = SimpleCookie()
            received.load(header)
            for name, morsel in received.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response


# The servers -----------------------------------------------------------------


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """Collected static files with the manifest the production settings read.

    Django's manifest storage writes the same staticfiles.json as WhiteNoise's
    compressed one, without compressing every file (tests/test_scale_out.py).
    """
    root = tmp_path_factory.mktemp("static")
    storage = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": storage}}
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture(scope="module")
def uploads(tmp_path_factory) -> Path:
    """MEDIA_ROOT: house rules and a download, and an attachment of the outbox."""
    root = tmp_path_factory.mktemp("media")
    files = {
        "house-rules/huishoudelijk-reglement.pdf": b"%PDF-1.4\n% house rules\n",
        "house-rules/pagina.html": b"<script>alert(document.cookie)</script>",
        "downloads/presentatie.pptx": b"PK\x03\x04 a presentation",
        "post_office_attachments/2026/3/1/overleg.ics": (
            b"BEGIN:VCALENDAR\nLOCATION:Motstraat 12\nEND:VCALENDAR\n"
        ),
    }
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return root


def server_environment(static_root: Path, media_root: Path) -> dict[str, str]:
    """Production settings behind nginx, the same for both app servers.

    TRUSTED_PROXIES is left to its production default. The HTTPS redirect is
    off, as nginx serves plain HTTP here: everything else is as deployed.
    """
    return child_environment(
        drop={"GUNICORN_CMD_ARGS", "DEBUG", "CONN_MAX_AGE", "TRUSTED_PROXIES"},
        DJANGO_SETTINGS_MODULE="wabp_portal.settings",
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url(application_name=APPLICATION_NAME),
        REDIS_URL=REDIS_URL,
        TWO_FACTOR_REQUIRED="1",
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(media_root),
        MAIL_DELIVERY_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        PYTHONUNBUFFERED="1",
    )


def wait_until_healthy(servers: list[AppServer]) -> None:
    """Each app server's /healthz answers 200 (it reaches PostgreSQL and Redis)."""
    waiting = list(servers)
    deadline = time.monotonic() + 30
    while waiting and time.monotonic() < deadline:
        for server in list(waiting):
            if server.process.poll() is not None:
                pytest.fail(f"server {server.name} did not start:\n{server.log()}")
            try:
                health = requests.get(f"http://{HOST}:{server.port}/healthz", timeout=5)
            except requests.RequestException:  # not listening yet
                continue
            if health.status_code == HTTPStatus.OK:
                waiting.remove(server)
        time.sleep(0.1)
    if waiting:
        logs = "\n".join(f"--- {s.name} ---\n{s.log()}" for s in waiting)
        pytest.fail(f"not healthy within 30 s: {[s.name for s in waiting]}\n{logs}")


@pytest.fixture(scope="module")
def site(
    django_db_setup, django_db_blocker, static_root, uploads, tmp_path_factory
) -> Iterator[tuple[Nginx, list[AppServer]]]:
    """nginx in front of app servers A and B, started once for the module."""
    directory = tmp_path_factory.mktemp("servers")
    env = server_environment(static_root, uploads)
    servers: list[AppServer] = []
    nginx = None
    try:
        for name in ("A", "B"):
            port = free_port()
            log_path = directory / f"{name}.log"
            process = start_gunicorn(
                port=port, env=env, log_path=log_path, cwd=settings.BASE_DIR, threads=2
            )
            servers.append(AppServer(name, port, process, log_path))
        wait_until_healthy(servers)
        nginx = start_nginx(
            host=HOST,
            port=free_port(),
            upstreams=[server.port for server in servers],
            media_root=uploads,
            prefix=directory / "nginx",
        )
        yield nginx, servers
    finally:
        if nginx:
            nginx.stop()
        for server in servers:
            server.process.send_signal(signal.SIGTERM)
        for server in servers:
            try:
                server.process.wait(10)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait()
        with django_db_blocker.unblock():
            wait_for_server_sessions_to_end(APPLICATION_NAME)


@pytest.fixture
def nginx(site) -> Iterator[Nginx]:
    """nginx and the servers running, an empty Redis; their logs if it fails."""
    proxy, servers = site
    for process, name in [(proxy.process, "nginx")] + [
        (server.process, server.name) for server in servers
    ]:
        if process.poll() is not None:
            pytest.fail(f"{name} stopped:\n{proxy.logs()}")
    client = redis.Redis.from_url(REDIS_URL)
    empty_the_cache(client)
    yield proxy
    empty_the_cache(client)
    client.close()
    print(proxy.logs())
    for server in servers:
        print(f"--- server {server.name} ---\n{server.log()}")


def log_marker(site: Nginx) -> str:
    """A request of its own, once it is in the access log; its path."""
    path = f"/media/log-marker-{secrets.token_hex(8)}"
    Browser(HOST).get(site, path)
    deadline = time.monotonic() + 5
    while path not in site.access_log.read_text():
        if time.monotonic() > deadline:
            pytest.fail(f"{path} not in the access log within 5 s")
        time.sleep(0.02)
    return path


@contextmanager
def logged(site: Nginx) -> Iterator[list[str]]:
    """The access log's lines of the requests made in the block.

    nginx writes a request's line once it has sent the answer: a moment after
    the client has it. Two requests of its own frame the block, each awaited
    in the log (one nginx worker logs in the order it answers), so the lines
    between them are the block's and all of them.
    """
    lines: list[str] = []
    start = log_marker(site)
    yield lines
    end = log_marker(site)
    log = site.access_log.read_text().splitlines()
    first = next(i for i, line in enumerate(log) if start in line)
    last = next(i for i, line in enumerate(log) if end in line)
    lines.extend(log[first + 1 : last])


def parsed(lines: list[str]) -> list[re.Match]:
    return [LOG_LINE.match(line) or pytest.fail(line) for line in lines]


def csrf_token(page: requests.Response) -> str:
    token = CSRF_TOKEN.search(page.text)
    assert token, f"no CSRF token on {page.url}"
    return token.group(1)


@pytest.fixture
def staff(zone_staff) -> User:
    """Zone staff with an authenticator app, and a password the servers read.

    The servers use Django's default hashers, not the tests' fast MD5:
    PBKDF2 with few iterations, so the check stays quick.
    """
    hasher = PBKDF2PasswordHasher()
    zone_staff.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    zone_staff.save(update_fields=["password"])
    TOTPDevice.objects.create(user=zone_staff, name="phone", confirmed=True)
    return zone_staff


def post_login(browser: Browser, site: Nginx, username: str, password: str, **headers):
    page = browser.get(site, reverse("admin:login"))
    assert page.status_code == HTTPStatus.OK, page.text
    return browser.post(
        site,
        reverse("admin:login"),
        {
            "csrfmiddlewaretoken": csrf_token(page),
            "username": username,
            "password": password,
        },
        **headers,
    )


# Pages -----------------------------------------------------------------------


def test_pages_come_from_both_app_servers_with_the_security_headers(nginx):
    browser = Browser()
    with logged(nginx) as lines:
        pages = [browser.get(nginx, reverse("groups:home")) for _ in range(2)]
    for page in pages:
        assert page.status_code == HTTPStatus.OK, page.text
        headers = page.headers
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "camera=()" in headers["Permissions-Policy"]
        assert "no-store" in headers["Cache-Control"]
        # nginx without its version, and nothing of the app server.
        assert headers["Server"] == "nginx"
        assert "gunicorn" not in str(headers).lower()

    upstreams = {line["upstream"] for line in parsed(lines)}
    assert len(upstreams) == 2, f"nginx used {upstreams}, not both app servers"


def test_static_files_come_through_from_the_app_with_long_caching(nginx):
    page = Browser().get(nginx, reverse("groups:home"))
    stylesheet = re.search(r'<link[^>]+href="(/static/[^"]+\.css)"', page.text)
    assert stylesheet, "no stylesheet on the home page"

    response = Browser().get(nginx, stylesheet.group(1))
    assert response.status_code == HTTPStatus.OK
    assert response.headers["Content-Type"].startswith("text/css")
    # WhiteNoise's caching of a file whose name holds its content's hash.
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_client_cannot_claim_https_for_a_plain_http_request(nginx):
    # Had nginx passed the client's header on, the portal would take the
    # request for HTTPS and pin the site to it (HSTS) and so would trust it
    # for everything HTTPS decides (secure cookies, the redirect).
    page = Browser(**{"X-Forwarded-Proto": "https"}).get(nginx, reverse("groups:home"))
    assert page.status_code == HTTPStatus.OK
    assert "Strict-Transport-Security" not in page.headers


# Client addresses ------------------------------------------------------------


@commits_rows
def test_the_lockout_counts_the_address_nginx_saw_whatever_the_client_forwards(
    nginx, staff, settings
):
    attacker = Browser(CLIENT)
    limit = settings.AXES_FAILURE_LIMIT
    # Each failure names another address; had the portal believed them, each
    # would count once, for an address of its own, and none would lock.
    for attempt, forged in enumerate(FORGED[:limit], start=1):
        response = post_login(
            attacker,
            nginx,
            staff.username,
            "wrong password!",
            **{"X-Forwarded-For": forged, "X-Real-IP": forged, "Forwarded": forged},
        )
        expected = HTTPStatus.TOO_MANY_REQUESTS if attempt == limit else HTTPStatus.OK
        assert response.status_code == expected, f"attempt {attempt}"

    # Locked: even the right password is refused, whatever address it names.
    response = post_login(
        attacker,
        nginx,
        staff.username,
        PASSWORD,
        **{"X-Forwarded-For": "203.0.113.99"},
    )
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT}

    # The lock is that address's: the user logs in from another.
    response = post_login(Browser(NEIGHBOUR), nginx, staff.username, PASSWORD)
    assert response.status_code == HTTPStatus.FOUND
    assert not response.headers["Location"].startswith(reverse("admin:login"))


# A change through one app server, read through the other ---------------------


@commits_rows
def test_a_change_through_one_app_server_shows_at_once_on_the_other(
    nginx, staff, group
):
    new_name = "Buurtpreventie Motstraat en omgeving"
    visitor = Browser(NEIGHBOUR)
    pages = public_pages(group)
    # Each page from both servers (nginx takes them in turn): both warm.
    for path in pages * 2:
        page = visitor.get(nginx, path)
        assert page.status_code == HTTPStatus.OK, path
        assert group.name in html.unescape(page.text), path

    staff_browser = Browser(CLIENT)
    response = post_login(staff_browser, nginx, staff.username, PASSWORD)
    assert response.status_code == HTTPStatus.FOUND, response.text
    two_factor = reverse("admin:two_factor")
    page = staff_browser.get(nginx, two_factor)
    response = staff_browser.post(
        nginx,
        two_factor,
        {
            "csrfmiddlewaretoken": csrf_token(page),
            "token": totp_code(staff.totpdevice_set.get()),
        },
    )
    assert response.headers.get("Location") == reverse("admin:index")
    change_url = reverse("admin:groups_whatsappgroup_change", args=[group.pk])
    form = staff_browser.get(nginx, change_url)
    assert form.status_code == HTTPStatus.OK, form.text
    with logged(nginx) as lines:
        response = staff_browser.post(
            nginx,
            change_url,
            rename(change_form_fields(form, "whatsappgroup_form"), new_name),
        )
        assert response.status_code == HTTPStatus.FOUND, re.findall(
            r'<ul class="errorlist.*?</ul>', response.text, re.S
        )
        for path in pages * 2:
            page = visitor.get(nginx, path)
            assert page.status_code == HTTPStatus.OK, path
            assert new_name in html.unescape(page.text), (
                f"{path} still shows the group as before the change"
            )

    change, *reads = parsed(lines)
    assert change["method"] == "POST"
    read_on = {line["upstream"] for line in reads}
    assert read_on - {change["upstream"]}, "no page was read from the other server"


# What nginx itself decides ---------------------------------------------------


def test_healthz_answers_this_host_only(nginx):
    for path in ("/healthz", "/healthz/"):
        health = Browser(HOST).get(nginx, path)
        assert health.status_code == HTTPStatus.OK, path
        assert health.json()["status"] == "ok"

    for path in ("/healthz", "/healthz/", "/healthz/mail", "/healthz/mail/"):
        response = Browser(CLIENT).get(nginx, path)
        assert response.status_code == HTTPStatus.FORBIDDEN, path


def test_another_host_name_gets_no_answer(nginx):
    with pytest.raises(requests.ConnectionError):
        Browser(CLIENT, Host="scanner.example").get(nginx, reverse("groups:home"))


def test_public_forms_take_small_bodies_and_the_admin_its_uploads(nginx):
    browser = Browser(CLIENT)
    two_mb = b"x" * (2 * 1024 * 1024)
    response = browser.post(nginx, reverse("registrations:signup"), two_mb)
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE

    # A street list of 5 MB reaches the portal (which refuses this post for
    # having no CSRF token, not nginx for its size).
    five_mb = b"x" * (5 * 1024 * 1024)
    response = browser.post(nginx, reverse("admin:login"), five_mb)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Content-Security-Policy" in response.headers


def test_only_the_public_uploads_are_served(nginx, uploads):
    browser = Browser(CLIENT)
    pdf = browser.get(nginx, "/media/house-rules/huishoudelijk-reglement.pdf")
    assert pdf.status_code == HTTPStatus.OK
    assert (
        pdf.content
        == (uploads / "house-rules/huishoudelijk-reglement.pdf").read_bytes()
    )
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
    assert pdf.headers["X-Frame-Options"] == "DENY"

    download = browser.get(nginx, "/media/downloads/presentatie.pptx")
    assert download.status_code == HTTPStatus.OK
    assert "presentationml" in download.headers["Content-Type"]

    # An uploaded page is a download, never a page of the portal's origin.
    uploaded_page = browser.get(nginx, "/media/house-rules/pagina.html")
    assert uploaded_page.headers["Content-Type"] == "application/octet-stream"

    for path in [
        "/media/post_office_attachments/2026/3/1/overleg.ics",
        "/media/house-rules/%2e%2e/post_office_attachments/2026/3/1/overleg.ics",
        "/media/",
        "/media/house-rules/",
    ]:
        response = browser.get(nginx, path)
        assert response.status_code in {HTTPStatus.NOT_FOUND, HTTPStatus.BAD_REQUEST}
        assert b"Motstraat" not in response.content, path


# The access log --------------------------------------------------------------


def test_the_access_log_holds_no_query_string_token_or_client_address(nginx):
    token = secrets.token_urlsafe(24)
    browser = Browser(CLIENT)
    with logged(nginx) as lines:
        browser.get(nginx, reverse("groups:finder"), straat="Motstraat", nummer="12")
        for path in [
            reverse("registrations:signup-confirm", args=[token]),
            reverse("registrations:signup-withdraw", args=[token]),
            reverse("registrations:house-rules-accept", args=[token]),
            reverse("password_reset_confirm", args=["MQ", token]),
        ]:
            browser.get(nginx, path)

    log = "\n".join(lines)
    assert len(lines) == 5
    assert reverse("groups:finder") in log
    assert "Motstraat" not in log
    assert "?" not in log
    assert token not in log
    assert log.count("[token]") == 4
    assert CLIENT not in log
    assert {line["network"] for line in parsed(lines)} == {"127.0.0.0"}
