"""Real-browser checks: Debian's Chromium driven by Playwright against a live server, with
axe-core and the Nu HTML Checker from node_modules/ (package-lock.json).

`make test` installs all of it (see the Makefile). Without it these tests fail with a message
saying what to install; SKIP_BROWSER_TESTS=1 skips them explicitly, never silently. Every test
here carries the `browser` marker: `pytest -m "not browser"` (`make test-fast`) runs the rest.

One browser and one live server per pytest process (each xdist worker is one). Checks that only
read share the demo content, committed once; a check that writes is marked
`@pytest.mark.django_db(transaction=True)` and gets the demo to itself (see `site`).
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import modify_settings
from pytest_django.live_server_helper import LiveServer

from tests.shared_demo import database_writes

HERE = Path(__file__).resolve().parent
ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Every public page type: (id, path, expected status).
PAGES = [
    ("home", "/", 200),
    ("region-wb", "/regions/western-balkans/", 200),
    ("region-wbt", "/regions/western-balkans-turkiye/", 200),
    ("country-kosovo", "/countries/kosovo/", 200),
    ("country-serbia", "/countries/serbia/", 200),
    ("projects", "/projects/", 200),
    ("projects-search", "/projects/?q=return", 200),
    ("projects-filtered-empty", "/projects/?status=closed", 200),
    ("project-psmm", "/projects/psmm/", 200),  # with its Open data section
    # The read API's documentation: our page around django-ninja's Swagger UI (the axe check
    # after Swagger UI has drawn every endpoint is in test_api_docs.py).
    ("api-docs", "/api/v1/docs", 200),
    ("documents", "/documents/", 200),
    ("documents-filtered", "/documents/?region=western-balkans&language=en", 200),
    ("document", "/documents/iom-emwp-presentation-2025-05-14/", 200),
    ("contacts", "/contacts/", 200),
    ("statistics", "/statistics/", 200),
    ("indicator", "/statistics/arrivals-top-nationalities/", 200),
    ("indicator-area", "/statistics/population/?area=XK", 200),
    ("indicator-line-map", "/statistics/population/", 200),
    ("indicator-number", "/statistics/returns-avr-cumulative/", 200),
    # Places compared (issue 24): a choice on a log axis, small multiples on their own axes.
    ("indicator-places-log", "/statistics/population/?places=AL,BA,RS,TR&axis=log", 200),
    ("indicator-multiples", "/statistics/population/?view=multiples", 200),
    ("indicator-embed", "/statistics/population/embed/?area=XK", 200),
    ("indicator-embed-breakdown", "/statistics/arrivals-top-nationalities/embed/", 200),
    ("indicator-embed-places", "/statistics/population/embed/?places=AL,RS,TR&axis=log", 200),
    ("country-turkiye", "/countries/turkiye/", 200),
    ("search", "/search/", 200),
    ("search-results", "/search/?q=Pristina", 200),
    ("search-many", "/search/?q=migration", 200),
    ("search-office", "/search/?q=Sarajevo", 200),
    ("search-person", "/search/?q=Adrian", 200),
    ("page-about", "/pages/about/", 200),
    ("page-data-licence", "/pages/data-licence/", 200),
    ("not-found", "/no-such-page/", 404),
]


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


def _missing_tools():
    missing = []
    if not (os.path.isfile(CHROMIUM_PATH) and os.access(CHROMIUM_PATH, os.X_OK)):
        missing.append(f"Chromium at {CHROMIUM_PATH} (Debian: apt-get install chromium)")
    if shutil.which("java") is None:
        missing.append("java (Debian: apt-get install default-jre-headless)")
    for path in (AXE_JS, VNU_JAR, LIGHTHOUSE):
        if not path.is_file():
            missing.append(f"{path.relative_to(ROOT)} (run: npm ci)")
    return missing


@pytest.fixture(scope="session", autouse=True)
def _browser_tools():
    """Skip only when asked to; otherwise a missing tool is an error, not a skip."""
    if os.environ.get("SKIP_BROWSER_TESTS") == "1":
        pytest.skip("SKIP_BROWSER_TESTS=1: browser and HTML-validity checks not run")
    missing = _missing_tools()
    if missing:
        pytest.fail(
            "The browser checks need: "
            + "; ".join(missing)
            + ". `make test` installs them (or set SKIP_BROWSER_TESTS=1 to skip these checks).",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session.

    Playwright's sync API runs an event loop in the main thread, which makes Django refuse
    database access from it (flushes, fixture loading) unless DJANGO_ALLOW_ASYNC_UNSAFE is set;
    it is set only while the browser runs. Playwright gives each launch a fresh temporary
    user-data directory (it rejects --user-data-dir in args) and deletes it on close.
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def site_server(django_db_setup):
    """One live server for the process (pytest-django's, started here rather than through its
    `live_server` fixture, which would make every test using it transactional). With SQLite's
    in-memory test database it serves through the tests' own connection."""
    with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
        server = LiveServer("localhost")
        yield server
        server.stop()


@pytest.fixture
def site(request, browser, site_server, demo_database, db):
    """The live server over the demo content.

    A check that only reads shares the demo committed once for this process's read-only checks
    (tests/shared_demo.py); on SQLite, where the server writes through the tests' connection,
    any write is counted and fails the check, since on PostgreSQL it would reach the checks
    after it. A check that writes is transactional (`@pytest.mark.django_db(transaction=True)`):
    the demo is loaded for it alone and the tables are emptied after it.
    """
    if not demo_database.holds_demo:
        call_command("load_demo", without_source_files=True, verbosity=0)
        yield site_server
        return
    before = database_writes()
    yield site_server
    written = (database_writes() or 0) - (before or 0)
    if written:
        pytest.fail(
            f"{request.node.nodeid} wrote {written} row(s) to the demo content it shares with "
            "the other browser checks: mark it @pytest.mark.django_db(transaction=True) to "
            "give it a copy of its own.",
            pytrace=False,
        )


class RecordingContext:
    """A browser context that records every request its pages make, and the errors they
    report (console errors such as a Content-Security-Policy refusal, uncaught exceptions)."""

    def __init__(self, browser, base_url, **options):
        self.base_url = base_url
        self.requests = []
        self.errors = []
        self.context = browser.new_context(base_url=base_url, **options)
        self.context.on("request", lambda request: self.requests.append(request.url))

    def grant_permissions(self, permissions):
        """Browser permissions for the site (e.g. the clipboard, for a Copy button)."""
        self.context.grant_permissions(permissions, origin=self.base_url)

    def new_page(self):
        page = self.context.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        return page

    def _console(self, message):
        # (The site has a /favicon.ico: a 404 for it is an error like any other.)
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location.get('url')})")

    def offsite_requests(self):
        """URLs of requests that left the live server (data: and about: never leave)."""
        host = urlsplit(self.base_url).netloc
        offsite = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.scheme not in ("http", "https") or parts.netloc != host:
                offsite.append(url)
        return offsite

    def close(self):
        self.context.close()


@pytest.fixture
def make_context(browser, site):
    contexts = []

    def make(**options):
        context = RecordingContext(browser, site.url, **options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
