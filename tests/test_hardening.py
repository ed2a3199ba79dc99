"""Hardening: hostile login input, no change on a GET, headers, the app server.

- Whatever is typed into the login, the second-factor or the password-reset
  form gets the normal answer (wrong user name or password, or the field's
  error), never a server error: django-axes keeps the user name in a column
  of 255 characters, which PostgreSQL enforces.
- No admin page changes anything on a GET: django-post-office's "Resend",
  its requeue action and our "Send again" act on a POST with a CSRF token.
- Every response carries Permissions-Policy; /healthz carries the same
  security headers as the pages; the language cookie is HttpOnly, SameSite
  and (in production) Secure.
- gunicorn, started with deploy/gunicorn.conf.py, sends no Server header.
"""

import runpy
import subprocess
import sys
import time
from http import HTTPStatus
from pathlib import Path

import pytest
import requests
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from post_office.models import STATUS, Email, Log

from tests.auth import log_in
from tests.factories import UserFactory
from tests.subprocesses import child_environment, free_port
from tests.test_login_security import PRODUCTION, run_settings
from tests.test_security_headers import assert_secure_headers
from tests.test_url_walk import (
    ADMIN_PREFIX,
    ROUTES,
    build_url,
    rows,  # noqa: F401 (a fixture: a row of every table the admin shows)
)
from wabp_portal import health
from wabp_portal.axes_input import axes_username
from wabp_portal.middleware import SecurityHeadersMiddleware

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = BASE_DIR / "deploy" / "gunicorn.conf.py"
PASSWORD = "correct horse battery staple"
LOCMEM_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

TOO_LONG = "a" * 300  # longer than axes' column (255) and a user name (150)


# --- the login form -----------------------------------------------------------


def wrong_credentials(response) -> bool:
    """The login page again, with Django's "wrong user name or password"."""
    if response.status_code != HTTPStatus.OK:
        return False
    errors = response.context["form"].non_field_errors().as_data()
    return any(error.code == "invalid_login" for error in errors)


def assert_axes_rows_fit_their_columns() -> None:
    """What SQLite stores anyway and PostgreSQL refuses with an error."""
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        for row in model.objects.all():
            for field in model._meta.concrete_fields:
                value = getattr(row, field.attname)
                if field.max_length and isinstance(value, str):
                    assert len(value) <= field.max_length, (model, field.name)


@pytest.mark.parametrize(
    "username", [TOO_LONG, "b" * 10_000, "é" * 256], ids=["300", "10000", "accents"]
)
def test_an_over_long_user_name_gets_the_wrong_credentials_answer(client, username):
    client.raise_request_exception = False

    response = client.post(
        reverse("admin:login"), {"username": username, "password": PASSWORD}
    )

    assert wrong_credentials(response)
    assert_axes_rows_fit_their_columns()
    # The attempt is still counted, under the name cut to its column.
    attempt = AccessAttempt.objects.get()
    assert attempt.username == username[:255]


def test_an_over_long_user_name_is_locked_out_like_any_other(client, settings):
    client.raise_request_exception = False
    data = {"username": TOO_LONG, "password": PASSWORD}

    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert wrong_credentials(client.post(reverse("admin:login"), data))
    # The last failure the limit allows locks the name.
    response = client.post(reverse("admin:login"), data)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


@pytest.mark.parametrize(
    "data",
    [
        {"username": "someone", "password": "p" * 10_000},
        {"username": "some\x00one", "password": PASSWORD},
        {"username": "someone", "password": "pass\x00word"},
        {"username": "someone", "password": PASSWORD, "next": "/" + "n" * 5000},
        {"username": "someone", "password": PASSWORD, "next": "/\x00"},
        {"username": "someone", "password": PASSWORD, "extra": "x" * 10_000},
        {"username": ["one", "two"], "password": [PASSWORD, "other"]},
    ],
    ids=[
        "long-password",
        "nul-username",
        "nul-password",
        "long-next",
        "nul-next",
        "long-extra",
        "repeated",
    ],
)
def test_no_login_field_causes_a_server_error(client, data):
    client.raise_request_exception = False

    response = client.post(reverse("admin:login"), data)

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors
    assert_axes_rows_fit_their_columns()


def test_a_long_user_agent_is_cut_by_axes_itself(client):
    client.raise_request_exception = False

    response = client.post(
        reverse("admin:login"),
        {"username": "someone", "password": PASSWORD},
        HTTP_USER_AGENT="u" * 5000,
        HTTP_ACCEPT="a" * 5000,
    )

    assert wrong_credentials(response)
    assert_axes_rows_fit_their_columns()


def test_axes_username_cuts_the_name_to_the_column(rf):
    request = rf.post("/admin/login/", {"username": "c" * 400})

    assert axes_username(request) == "c" * 255
    assert axes_username(request, {"username": "d\x00" * 300}) == "d" * 255
    assert axes_username(request, {"username": "short"}) == "short"
    assert axes_username(rf.post("/admin/login/", {})) is None


@pytest.fixture
def half_logged_in(client, settings, zone_staff):
    """A staff login that gave its password and is asked for its code."""
    settings.TWO_FACTOR_REQUIRED = True
    assert log_in(client, zone_staff.username, PASSWORD)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(
    "data",
    [
        {"token": "1" * 10_000},
        {"token": "12\x003456"},
        {"token": "１２３４５６"},
        {"token": ["123456", "654321"]},
        {"token": "123456", "next": "/" + "n" * 5000},
    ],
    ids=["long", "nul", "fullwidth-digits", "repeated", "long-next"],
)
def test_the_code_step_answers_hostile_input_with_a_form_error(half_logged_in, data):
    response = half_logged_in.post(reverse("admin:two_factor"), data)

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


@pytest.mark.parametrize(
    "email",
    ["x" * 300 + "@example.be", "someone\x00@example.be", "a@" + "b" * 300 + ".be"],
    ids=["long-local-part", "nul", "long-domain"],
)
def test_the_password_reset_form_answers_hostile_input_with_a_form_error(client, email):
    client.raise_request_exception = False

    response = client.post(reverse("admin_password_reset"), {"email": email})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["email"]
    assert not Email.objects.exists()


# --- no change on a GET -------------------------------------------------------


@pytest.fixture
def given_up_mail() -> Email:
    return Email.objects.create(
        from_email="noreply@wabp.localhost",
        to=["resident@example.be"],
        subject="Welcome",
        message="Welcome to the group.",
        status=STATUS.failed,
        number_of_retries=12,
    )


@pytest.fixture
def superuser_client(settings, mailoutbox) -> Client:
    """A superuser in the admin; mail it sends lands in ``mailoutbox``."""
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": LOCMEM_BACKEND},
    }
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_resend_of_the_outbox_sends_nothing_on_a_get(
    superuser_client, given_up_mail, mailoutbox
):
    url = reverse("admin:resend", args=[given_up_mail.pk])

    response = superuser_client.get(url)

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    given_up_mail.refresh_from_db()
    assert given_up_mail.status == STATUS.failed
    assert not Log.objects.exists()
    assert mailoutbox == []


def test_resend_of_the_outbox_sends_the_mail_on_a_post(
    superuser_client, given_up_mail, mailoutbox
):
    url = reverse("admin:resend", args=[given_up_mail.pk])

    response = superuser_client.post(url)

    assert response.status_code == HTTPStatus.FOUND
    given_up_mail.refresh_from_db()
    assert given_up_mail.status == STATUS.sent
    assert [message.to for message in mailoutbox] == [["resident@example.be"]]


def test_resend_of_the_outbox_needs_the_csrf_token(given_up_mail, mailoutbox):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(reverse("admin:resend", args=[given_up_mail.pk]))

    assert response.status_code == HTTPStatus.FORBIDDEN
    given_up_mail.refresh_from_db()
    assert given_up_mail.status == STATUS.failed
    assert mailoutbox == []


def test_the_mail_page_offers_resend_as_a_form(superuser_client, given_up_mail):
    resend = reverse("admin:resend", args=[given_up_mail.pk])

    response = superuser_client.get(
        reverse("admin:post_office_email_change", args=[given_up_mail.pk])
    )

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert f'<form method="post" action="{resend}">' in page
    assert f'href="{resend}"' not in page


@pytest.mark.parametrize(
    ("changelist", "action"),
    [
        ("admin:post_office_email_changelist", "requeue"),
        ("admin:wabp_portal_undeliveredmail_changelist", "send_again"),
    ],
)
def test_mail_actions_change_nothing_on_a_get(
    superuser_client, given_up_mail, changelist, action
):
    url = reverse(changelist)
    data = {"action": action, "_selected_action": given_up_mail.pk, "index": 0}

    superuser_client.get(url, data)
    given_up_mail.refresh_from_db()
    assert given_up_mail.status == STATUS.failed

    # The same request as a POST (the admin's form) does act.
    superuser_client.post(url, data)
    given_up_mail.refresh_from_db()
    assert given_up_mail.status == STATUS.queued


def database_state() -> dict[str, list[tuple]]:
    """Every row of every table, except the records of reading.

    Opening a signup writes an audit-log entry of the access (by design: who
    looked at whose data), and the visitor's own session keeps the time of
    their last request and their messages: the only changes a GET may make.
    """
    from auditlog.models import LogEntry
    from django.contrib.sessions.models import Session

    state = {}
    for model in apps.get_models():
        if model._meta.proxy or model is Session:
            continue
        table = model._base_manager.order_by("pk")
        if model is LogEntry:
            table = table.exclude(action=LogEntry.Action.ACCESS)
        state[model._meta.label] = list(table.values_list())
    return state


def test_no_admin_page_changes_anything_on_a_get(
    superuser_client,
    rows,  # noqa: F811 (the fixture imported above)
    given_up_mail,
    mailoutbox,
):
    """Every URL of the admin, each naming a row that exists, as a superuser."""
    TOTPDevice.objects.create(user=UserFactory(is_staff=True), name="phone")
    superuser_client.raise_request_exception = False
    urls = [
        build_url(route, "existing")
        for route in ROUTES
        if route.text.startswith(ADMIN_PREFIX)
    ]
    assert reverse("admin:resend", args=[Email.objects.first().pk]) in urls
    before = database_state()

    for url in urls:
        superuser_client.get(url)

    after = database_state()
    changed = [table for table in before if before[table] != after[table]]
    assert changed == []
    assert mailoutbox == []


# --- headers ------------------------------------------------------------------


def permissions_policy(response) -> dict[str, str]:
    header = response.headers["Permissions-Policy"]
    return dict(item.strip().split("=", 1) for item in header.split(","))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/"),
        ("get", "/admin/login/"),
        ("get", "/bestaat-niet/"),
        ("get", "/healthz"),
        ("post", "/healthz"),
        ("post", "/i18n/setlang/"),
    ],
)
def test_every_response_carries_the_permissions_policy(client, method, path):
    response = getattr(client, method)(path)

    policy = permissions_policy(response)
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert policy[feature] == "()", feature
    # FLoC's successor; interest-cohort itself is no longer known to browsers.
    assert policy["browsing-topics"] == "()"


# The script interfaces behind the features the policy refuses.
FEATURE_APIS = {
    "camera": ["getUserMedia", "mediaDevices"],
    "microphone": ["getUserMedia", "mediaDevices"],
    "geolocation": ["geolocation"],
    "clipboard-read": ["clipboard"],
    "clipboard-write": ["clipboard", "execCommand"],
    "fullscreen": ["requestFullscreen", "allowfullscreen"],
    "payment": ["PaymentRequest"],
    "usb": ["navigator.usb"],
    "serial": ["navigator.serial"],
    "hid": ["navigator.hid"],
    "bluetooth": ["navigator.bluetooth"],
    "web-share": ["navigator.share"],
    "screen-wake-lock": ["wakeLock"],
    "picture-in-picture": ["requestPictureInPicture"],
    "publickey-credentials-get": ["navigator.credentials"],
    "autoplay": ["autoplay"],
}


def test_no_page_of_ours_uses_a_feature_the_policy_refuses(settings):
    """A script or template that needs one must be allowed in the policy first."""
    sources = [
        *(BASE_DIR / "static" / "js").rglob("*.js"),
        *(BASE_DIR / "templates").rglob("*.html"),
    ]
    assert sources
    used = {
        (feature, source.relative_to(BASE_DIR).as_posix())
        for source in sources
        for feature, apis in FEATURE_APIS.items()
        if settings.PERMISSIONS_POLICY.get(feature) == []
        and any(api in source.read_text() for api in apis)
    }
    assert used == set()


@pytest.mark.parametrize("database", ["ok", "error"])
def test_healthz_carries_the_security_headers_of_the_pages(
    client, monkeypatch, database
):
    monkeypatch.setattr(health, "_check_database", lambda: database)

    response = client.get("/healthz")

    assert response.status_code in (HTTPStatus.OK, HTTPStatus.SERVICE_UNAVAILABLE)
    assert_secure_headers(response, "/healthz")
    assert "Permissions-Policy" in response.headers
    assert "Server" not in response.headers


def _middleware_response(response: HttpResponse) -> HttpResponse:
    request = RequestFactory().get("/")
    return SecurityHeadersMiddleware(lambda request: response)(request)


def test_a_response_keeps_the_headers_it_chose_itself():
    # django-post-office's preview of a mail: a sandbox, and no referrer.
    own = HttpResponse()
    own["Content-Security-Policy"] = "sandbox; default-src 'none'"
    own["Referrer-Policy"] = "no-referrer"

    response = _middleware_response(own)

    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "Permissions-Policy" in response


def test_an_exempted_response_stays_exempt():
    exempt = HttpResponse()
    exempt.xframe_options_exempt = True
    exempt._csp_exempt = True

    response = _middleware_response(exempt)

    assert "X-Frame-Options" not in response
    assert "Content-Security-Policy" not in response


def test_django_debug_pages_keep_their_styles(settings):
    settings.DEBUG = True

    response = _middleware_response(HttpResponse(status=HTTPStatus.NOT_FOUND))

    assert "Content-Security-Policy" not in response
    assert response["X-Frame-Options"] == "DENY"


def test_the_language_cookie_is_http_only_and_same_site(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    cookie = response.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_the_language_cookie_is_secure_in_production():
    code = (
        "from django.conf import settings as s; "
        "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY, "
        "s.LANGUAGE_COOKIE_SAMESITE)"
    )

    assert run_settings(code, **PRODUCTION) == "True True Lax"
    assert run_settings(code).startswith("False")


# --- gunicorn -----------------------------------------------------------------


def gunicorn_config(monkeypatch, **environ: str) -> dict:
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONFIG))


@pytest.mark.parametrize("environ", [{}, {"GUNICORN_BIND": "", "GUNICORN_WORKERS": ""}])
def test_gunicorn_listens_on_loopback_unless_told_otherwise(monkeypatch, environ):
    import os

    config = gunicorn_config(monkeypatch, **environ)

    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["workers"] == 2 * (os.cpu_count() or 1) + 1
    assert config["threads"] == 1
    assert config["wsgi_app"] == "wabp_portal.wsgi:application"
    assert Path(config["chdir"]) == BASE_DIR


def test_gunicorn_takes_its_sockets_and_workers_from_the_environment(monkeypatch):
    config = gunicorn_config(
        monkeypatch,
        GUNICORN_BIND="10.0.0.5:8000, unix:/run/wabp/gunicorn.sock",
        GUNICORN_WORKERS="3",
        GUNICORN_THREADS="4",
    )

    assert config["bind"] == ["10.0.0.5:8000", "unix:/run/wabp/gunicorn.sock"]
    assert config["workers"] == 3
    assert config["threads"] == 4


class FakeRequest:
    version = (1, 1)
    method = "GET"

    def should_close(self) -> bool:
        return False


def test_the_worker_hook_drops_gunicorns_server_header(monkeypatch):
    from gunicorn.config import Config
    from gunicorn.http import wsgi

    # The hook changes gunicorn's class; put it back after the test.
    monkeypatch.setattr(wsgi.Response, "default_headers", wsgi.Response.default_headers)
    response = wsgi.Response(FakeRequest(), None, Config())
    response.start_response("200 OK", [("Content-Length", "0")])
    assert any(line.startswith("Server:") for line in response.default_headers())

    hook = gunicorn_config(monkeypatch)["post_worker_init"]
    hook(None)
    hook(None)  # a second worker in the same process changes nothing more

    headers = response.default_headers()
    assert not any(line.lower().startswith("server:") for line in headers)
    assert headers[0] == "HTTP/1.1 200 OK\r\n"
    assert any(line.startswith("Date:") for line in headers)


def test_gunicorn_with_the_deploy_config_sends_no_server_header(tmp_path):
    port = free_port()
    env = child_environment(
        drop={"DJANGO_ENV", "REDIS_URL", "GUNICORN_THREADS"},
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("wb") as log:
        # From another directory: the config finds the project by itself.
        server = subprocess.Popen(  # noqa: S603 (our own interpreter and config)
            [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG)],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        response = None
        deadline = time.monotonic() + 30
        while response is None and time.monotonic() < deadline:
            assert server.poll() is None, log_path.read_text()
            try:
                response = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            except requests.ConnectionError:
                time.sleep(0.1)
        assert response is not None, log_path.read_text()
    finally:
        server.terminate()
        server.wait(10)

    assert response.status_code == HTTPStatus.OK
    assert "Server" not in response.headers
    assert "Permissions-Policy" in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"
