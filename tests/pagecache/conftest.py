import threading

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory

import pagecache
from tests.factories import CountryFactory, RegionFactory

RECORDING = {"BACKEND": "tests.pagecache.doubles.RecordingCache", "LOCATION": "pagecache"}
# The same data, but every write refused.
REFUSING = {"BACKEND": "tests.pagecache.doubles.WriteRefusingCache", "LOCATION": "pagecache"}


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """The page cache is on here, on a cache whose keys the tests can list; elsewhere tests
    (and their query budgets) see the views alone."""
    settings.PAGE_CACHE = True
    settings.CACHES = {"default": RECORDING}
    caches["default"].clear()
    pagecache.reset()


@pytest.fixture
def refuse_writes(settings):
    """Call to make the cache answer reads but refuse writes from then on."""

    def refuse():
        settings.CACHES = {"default": REFUSING}

    return refuse


@pytest.fixture
def accept_writes(settings):
    """Call to make the cache accept writes again (same data)."""

    def accept():
        settings.CACHES = {"default": RECORDING}

    return accept


@pytest.fixture
def visitor():
    """An anonymous visitor (its own client: `client` may be logged in by admin_client)."""
    return Client()


@pytest.fixture
def region(db):
    country = CountryFactory(name="Montenegro", slug="montenegro", iso_code="QM")
    return RegionFactory(
        name="Western Balkans",
        slug="western-balkans",
        summary="Lead text one.",
        countries=[country],
    )


def get_twice(visitor, url):
    """Render a page, then fetch it again from the cache; returns the cached response."""
    first = visitor.get(url)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    second = visitor.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    return second


def stored_pages():
    """Keys of the pages in the shared store."""
    return caches["default"].keys(pagecache.PAGE_KEY_PREFIX)


def sign_in(client, user):
    """Log `user` in as the login form would, and open one admin page, which gives the
    browser the signed-in marker the page cache checks (force_login sets only the session)."""
    client.force_login(user)
    assert client.get("/admin/").status_code in (200, 302)
    return client


@pytest.fixture
def no_schedule(monkeypatch):
    """Nothing scheduled, without a query: for requests made in other threads, whose own
    database connections cannot read the test's uncommitted rows."""
    from pagecache import schedule

    monkeypatch.setattr(schedule, "next_scheduled_change", lambda now=None: None)


def plain_page_app(text="<p>A page</p>", calls=None, before=None):
    """The page cache middleware in front of a view that needs no database."""
    from pagecache.middleware import PageCacheMiddleware

    def view(request):
        if calls is not None:
            calls.append(threading.get_ident())
        if before is not None:
            before()
        return HttpResponse(text, content_type="text/html; charset=utf-8")

    return PageCacheMiddleware(view)


def get(app, path="/plain/"):
    return app(RequestFactory().get(path))


def in_thread(function, *args):
    """Run function(*args) in a new thread (its own database connection); its result."""
    result = {}

    def run():
        try:
            result["value"] = function(*args)
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            result["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]
