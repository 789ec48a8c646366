"""Browser tests: Playwright (Python) driving Debian's Chromium against Django's live server.

Playwright's sync API runs an event loop in the test thread, so Django's
async-safety check is switched off during these tests only (the ORM calls made
here are ordinary synchronous setup). Chromium must be at /usr/bin/chromium; without
it the tests are skipped, unless REQUIRE_SERVICES=1, when they fail.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.urls import get_resolver

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Every test that opens Chromium is a browser test, marked or not.
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def chromium() -> Iterator[object]:
    """One Chromium for the browser tests, closed when they end (not at session end,
    so the event loop Playwright runs does not outlive them)."""
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # While Playwright's loop exists, Django would refuse the tests' plain ORM calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _serialised(app: Callable) -> Callable:
    """Handle one request at a time.

    The test database is SQLite in memory, and the live server's threads share
    its one connection; a page that sends several API requests at once would
    otherwise use that connection from two threads together and can hang.
    """
    lock = threading.Lock()

    def serialised_app(environ, start_response):
        with lock:
            return list(app(environ, start_response))

    serialised_app.serialised = True  # type: ignore[attr-defined]
    return serialised_app


@pytest.fixture
def site(live_server, transactional_db) -> str:
    """The live server's base URL, with a transactional database behind it.

    The URL conf (and with it every view module) is imported here, in the process
    the server's thread shares, so that a first page is not charged the imports.
    """
    get_resolver().url_patterns  # noqa: B018
    httpd = live_server.thread.httpd
    if not getattr(httpd.get_app(), "serialised", False):
        httpd.set_app(_serialised(httpd.get_app()))
    return live_server.url


@pytest.fixture
def new_page(chromium, site) -> Iterator[Callable[..., object]]:
    """Open a fresh browser context (its own cookies) and return its page.

    Uncaught JavaScript errors on any page fail the test, and so does anything
    the Content-Security-Policy blocks (Chromium reports it on the console).
    """
    contexts = []
    errors: list[str] = []

    def open_page(viewport: dict[str, int] | None = None, **options: object):
        context = chromium.new_context(
            base_url=site, viewport=viewport or DESKTOP, accept_downloads=True, **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        page.on(
            "console",
            lambda message: (
                errors.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], "JavaScript errors on the pages"


def log_in(page, username: str, password: str, next_path: str = "") -> None:
    """Log in through the login form, with the keyboard."""
    page.goto("/login" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(re.compile(r"/(dashboard|teach/|study|quiz|decks|attempts)"))


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/login\?reason=logged_out"))
