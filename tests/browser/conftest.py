"""Real-browser fixtures: Playwright drives Debian's chromium against the live server.

One browser per session, a fresh context (cookies, storage) per test. Every page the
browser ends up on must pass axe (see `tests/browser/axe.py`); a test that navigates
somewhere without checking it fails at tear-down.

Without chromium or axe-core the suite skips with a hint; CI sets
WIJK_REQUIRE_BROWSER=1 so that a missing browser fails instead of passing silently.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

from tests.browser import axe

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright, ViewportSize

# Sync Playwright runs an asyncio event loop in this thread; Django would otherwise
# refuse database access from the test code ("You cannot call this from an async
# context"). The live server runs in its own thread and is not affected.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
# Pages may answer 400 (a form with errors); the files they load may not.
SUBRESOURCES = frozenset({"stylesheet", "script", "image", "font"})
# Fail fast: a local server answers in milliseconds, so a five-second wait means a bug.
TIMEOUT_MS = 5_000


def _unavailable(reason: str) -> None:
    message = (
        f"{reason} Install it with `sudo apt-get install chromium` (the browser) and "
        "`npm ci` (axe-core), or simply run `make test`."
    )
    if os.environ.get("WIJK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"WIJK_REQUIRE_BROWSER=1 but the browser suite cannot run: {message}")
    pytest.skip(message)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing.")
    if not axe.AXE_SCRIPT.exists():
        _unavailable(f"{axe.AXE_SCRIPT} is missing.")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("The playwright Python package is missing (pip install -e '.[dev]').")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(autouse=True)
def _dutch_default_as_in_production(_english_by_default: None) -> Iterator[None]:
    """The browser sees the app as deployed: Dutch unprefixed, English under /en/.

    tests/conftest.py makes English the default for the other tests; with that, /en/
    would not exist and the language switch would lead to /nl/ instead. The URL
    resolver caches its reverse map per language, prefixes included, so it is
    cleared whenever the default language changes.
    """
    with override_settings(LANGUAGE_CODE="nl"):
        clear_url_caches()
        yield
    clear_url_caches()


@pytest.fixture(autouse=True)
def _fresh_cache(transactional_db: None) -> None:
    """The database cache outlives the flush between tests; clear it.

    It holds allauth's login rate-limit counters and its record of used TOTP codes,
    which would otherwise leak from one test into the next.
    """
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def context(browser: Browser, live_server) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    # Chromium asks for /favicon.ico after every page; answer it here so the live
    # server (which shares the test's in-memory database) only sees what tests do.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    page = context.new_page()
    tracker = axe.track(page)
    broken: list[str] = []
    page.on(
        "response",
        lambda response: (
            broken.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.request.resource_type in SUBRESOURCES
            else None
        ),
    )
    yield page
    tracker.assert_all_checked()
    assert broken == [], "Stylesheets, scripts or images failed to load"
