"""No public page transfers more than 200 kB, and none calls another host.

Each page is opened in Chromium at phone width, in a browser context of its
own (an empty cache): what a resident on a mobile connection downloads the
first time they come. The app is served the way production serves it:
WhiteNoise answers /static/ with the Brotli or gzip files ``collectstatic``
made. pytest-django's ``live_server`` would hand out the raw files instead
(Bootstrap's CSS is ~230 kB raw, ~23 kB in Brotli), so it is not used here.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread
from django.test.utils import override_settings
from django.urls import reverse
from playwright.sync_api import Browser, Page, Request

from groups.models import Municipality, WhatsAppGroup
from registrations.constants import SignupStatus
from registrations.notifications import confirmation_link, withdrawal_link
from tests.e2e.conftest import PHONE, browser_page
from tests.e2e.wording import dutch
from tests.factories import SignupFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BUDGET = 200_000  # bytes per page: response headers and bodies as sent
COMPRESSED_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
# Compressing all of Bootstrap's variants and the admin's files takes ~25 s,
# and public pages use none of them. A page that starts to use a file left out
# here gets a server error (the manifest has no entry for it), which the
# status check reports: no page is weighed without its files.
NOT_PUBLIC_STATIC = [
    "admin",
    "import_export",
    "django_otp",
    "otp_totp",
    "bootstrap-*",
    "bootstrap.css*",
    "bootstrap.rtl*",
    "bootstrap*.js*",
]


def production_storages() -> dict:
    return {**django_settings.STORAGES, "staticfiles": {"BACKEND": COMPRESSED_STORAGE}}


@pytest.fixture(scope="module")
def compressed_static(tmp_path_factory) -> Path:
    """STATIC_ROOT as a deployment builds it: hashed names, .br and .gz."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=production_storages()):
        call_command(
            "collectstatic",
            interactive=False,
            verbosity=0,
            ignore_patterns=NOT_PUBLIC_STATIC,
        )
    return root


class JoiningServer(ThreadedWSGIServer):
    # Closing the server waits for the threads of open connections, so none
    # touches the shared SQLite connection after it is taken back.
    daemon_threads = False


class ProductionServerThread(LiveServerThread):
    server_class = JoiningServer


@pytest.fixture
def production_server(
    transactional_db, settings, compressed_static: Path
) -> Iterator[str]:
    """The app in Django's live-server thread, /static/ through WhiteNoise."""
    settings.DEBUG = False  # WhiteNoise serves STATIC_ROOT, not the finders
    settings.STATIC_ROOT = compressed_static
    settings.STORAGES = production_storages()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]

    # As pytest-django's LiveServer and LiveServerTestCase do: an in-memory
    # SQLite database lives in this connection, so the server thread shares
    # it. PostgreSQL needs nothing: the test is transactional, the server sees
    # what was committed.
    shared = {
        conn.alias: conn
        for conn in connections.all()
        if conn.vendor == "sqlite" and conn.is_in_memory_db()
    }
    for conn in shared.values():
        conn.inc_thread_sharing()
    # No static handler in front of the app (the live server's would serve
    # /static/ raw): requests reach the WhiteNoiseMiddleware of MIDDLEWARE.
    thread = ProductionServerThread(
        "localhost", static_handler=lambda app: app, connections_override=shared
    )
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://localhost:{thread.port}"
    finally:
        thread.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()


@pytest.fixture
def demo_site(production_server: str, settings) -> str:
    """The demo municipality, on the production-style server."""
    settings.SITE_URL = production_server
    call_command("load_demo", verbosity=0)
    return production_server


@dataclass
class Weight:
    page: str
    address: str = ""  # where the browser ended up
    status: int = 0
    transferred: int = 0
    files: list[tuple[str, int, str]] = field(default_factory=list)
    other_hosts: list[str] = field(default_factory=list)

    def details(self) -> str:
        return "\n".join(
            f"  {size:>9,} {encoding or '-':<4} {path}"
            for path, size, encoding in self.files
        )


def weigh(
    browser: Browser,
    origin: str,
    name: str,
    path: str,
    then: Callable[[Page], None] | None = None,
) -> Weight:
    """What loading ``path`` fetched, in a browser context of its own.

    ``then`` acts on the loaded page; the page it leads to is weighed instead.
    """
    # Without the policy a reference to another host shows up as a request,
    # where the policy would block it quietly (the policy has a test of its
    # own, and refuses nothing our pages load).
    with browser_page(browser, PHONE, bypass_csp=True) as page:
        requested: list[Request] = []
        finished: list[Request] = []
        page.on("request", lambda request: requested.append(request))
        page.on("requestfinished", lambda request: finished.append(request))

        # Network idle, not load: the browser asks for the icon after the
        # load event, and a script could call out later still.
        response = page.goto(origin + path, wait_until="networkidle")
        if then is not None:
            requested.clear()
            finished.clear()
            with page.expect_navigation(wait_until="networkidle") as navigation:
                then(page)
            response = navigation.value
        weight = Weight(name, urlsplit(page.url).path, response.status)

        # data: URLs (Bootstrap's icons inside its CSS) are not fetched:
        # their bytes came with the stylesheet, already counted.
        for request in requested:
            parts = urlsplit(request.url)
            if parts.scheme != "data" and f"{parts.scheme}://{parts.netloc}" != origin:
                weight.other_hosts.append(request.url)
        for request in finished:
            if request.url.startswith("data:"):
                continue
            # Chromium's own count of the bytes received (CDP loadingFinished
            # encodedDataLength), which Playwright splits into the headers and
            # the body as sent, compressed. Only the sum is reliable: for a
            # file from the cache the body comes out as minus the headers.
            sizes = request.sizes()
            size = sizes["responseHeadersSize"] + sizes["responseBodySize"]
            answer = request.response()
            encoding = (answer and answer.header_value("content-encoding")) or ""
            weight.files.append((urlsplit(request.url).path, size, encoding))
            weight.transferred += size
        return weight


def submit_empty_signup(page: Page) -> None:
    # Empty the cache first: the page with the errors is weighed as if it
    # were the first one, its stylesheets included.
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")
    page.get_by_role("button", name=dutch("Send my signup")).click()


def search_an_address(page: Page) -> None:
    page.get_by_label(dutch("Street")).fill("beukenl")
    page.get_by_label(dutch("House number")).fill("12")
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")
    page.get_by_role("button", name=dutch("Search")).click()


def table(weights: list[Weight]) -> str:
    lines = [f"{'page':<30} {'status':>6} {'files':>5} {'bytes':>9}"]
    lines += [
        f"{w.page:<30} {w.status:>6} {len(w.files):>5} {w.transferred:>9,}"
        for w in weights
    ]
    return "\n".join(lines)


def test_no_public_page_weighs_over_200_kb_or_calls_another_host(
    browser: Browser, demo_site: str
):
    municipality = Municipality.objects.order_by("pk").first()
    group = WhatsAppGroup.objects.filter(is_public=True).order_by("pk").first()
    signup = SignupFactory(
        group=group, status=SignupStatus.UNCONFIRMED, confirmed_at=None
    )
    signup_form = reverse("registrations:signup") + f"?groep={group.pk}"
    finder = reverse("groups:finder")
    pages = [
        ("home", "/"),
        ("municipality", reverse("groups:municipality", args=[municipality.slug])),
        ("finder", finder),
        ("finder, address searched", finder, search_an_address),
        ("privacy", reverse("registrations:privacy")),
        ("house rules", reverse("registrations:house-rules")),
        ("signup form", signup_form),
        ("signup form, refused", signup_form, submit_empty_signup),
        ("signup sent", reverse("registrations:signup-sent")),
        ("signup withdrawn", reverse("registrations:signup-withdrawn")),
        ("confirmation link", urlsplit(confirmation_link(signup)).path),
        ("withdrawal link", urlsplit(withdrawal_link(signup)).path),
        ("not found", "/bestaat-niet/"),
    ]

    weights = [weigh(browser, demo_site, *page) for page in pages]
    print(f"\n{table(weights)}")

    # Error pages are light: make sure the pages themselves were weighed.
    expected = {name: 200 for name, *_ in pages} | {"not found": 404}
    assert {w.page: w.status for w in weights} == expected, table(weights)
    refused = next(w for w in weights if w.page == "signup form, refused")
    assert refused.address == reverse("registrations:signup")  # not sent
    signup.refresh_from_db()
    assert signup.status == SignupStatus.UNCONFIRMED  # opening it only asks

    # What was weighed is what production sends: stylesheets and scripts
    # compressed by WhiteNoise, Bootstrap's among them.
    for weight in weights:
        assets = [
            (path, encoding)
            for path, _, encoding in weight.files
            if path.endswith((".css", ".js"))
        ]
        assert any("bootstrap" in path for path, _ in assets), weight.details()
        assert all(encoding in {"br", "gzip"} for _, encoding in assets), (
            f"{weight.page}: sent uncompressed\n{weight.details()}"
        )

    assert {w.page: w.other_hosts for w in weights if w.other_hosts} == {}

    too_heavy = [w for w in weights if w.transferred > BUDGET]
    assert too_heavy == [], "\n".join(
        [f"over {BUDGET:,} bytes:", table(weights)]
        + [f"{w.page}:\n{w.details()}" for w in too_heavy]
    )
