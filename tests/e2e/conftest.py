"""Browser tests: Playwright driving Debian's Chromium against live_server.

Playwright's own browser download does not work on our machines, so the
system Chromium is launched; without it the browser tests are skipped with a
reason, never silently passed.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Django's connections are context-local: once Playwright's event loop
    # runs, tests get fresh connection objects without the serialized copy of
    # the migrated data (the roles) that serialized_rollback restores. Carry
    # it over.
    serialized = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@contextmanager
def browser_page(browser, viewport: dict, **options) -> Iterator:
    """A page in a browser context of its own (no cookies, no cache), Dutch."""
    context = browser.new_context(locale="nl-BE", viewport=viewport, **options)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """Residents and coordinators mostly use a phone."""
    with browser_page(browser, PHONE) as page:
        yield page


@pytest.fixture
def desktop_page(browser, live_server) -> Iterator:
    """Staff work at a desk: a laptop-sized window, beside the phone ``page``."""
    with browser_page(browser, DESKTOP) as page:
        yield page


@pytest.fixture
def demo_data(live_server, settings) -> None:
    """The demo municipality. Tests using it mark themselves
    ``django_db(transaction=True, serialized_rollback=True)`` so the roles made
    by the data migration survive the flush between tests."""
    from django.core.cache import cache
    from django.core.management import call_command

    # Rate limits count in the cache, which outlives a test: start from zero.
    cache.clear()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = live_server.url
    call_command("load_demo", verbosity=0)
