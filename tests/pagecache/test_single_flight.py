"""After a change every page is cold: one request renders each page, the others wait for it."""

import threading

import pytest

from tests.pagecache.conftest import get, in_thread, plain_page_app

pytestmark = pytest.mark.django_db


def test_concurrent_misses_render_the_page_once(settings, no_schedule):
    settings.PAGE_CACHE_WAIT_SECONDS = 30  # far longer than the render: nobody gives up
    calls = []
    entered, release = threading.Event(), threading.Event()

    def slow_render():
        entered.set()
        release.wait(timeout=30)

    app = plain_page_app("<p>Rendered once</p>", calls=calls, before=slow_render)
    responses = []

    def request():
        responses.append(get(app))

    holder = threading.Thread(target=in_thread, args=(request,))
    holder.start()
    assert entered.wait(timeout=30)  # the first request holds the lock, rendering
    waiters = [threading.Thread(target=in_thread, args=(request,)) for _ in range(7)]
    for thread in waiters:
        thread.start()
    release.set()
    for thread in [holder, *waiters]:
        thread.join()

    assert len(calls) == 1
    assert len(responses) == 8
    assert {response.content for response in responses} == {b"<p>Rendered once</p>"}
    assert sorted(response["X-Page-Cache"] for response in responses) == ["hit"] * 7 + ["miss"]


def test_when_the_renderer_dies_the_others_still_answer(settings, no_schedule):
    settings.PAGE_CACHE_WAIT_SECONDS = 0.2
    calls = []

    def die():
        if len(calls) == 1:
            raise RuntimeError("worker killed mid-render")

    app = plain_page_app("<p>Page</p>", calls=calls, before=die)
    with pytest.raises(RuntimeError):
        in_thread(get, app)  # took the lock and never released it
    response = in_thread(get, app)
    assert response.status_code == 200
    assert response.content == b"<p>Page</p>"
    assert len(calls) == 2


def test_a_page_that_cannot_be_stored_does_not_keep_the_others_waiting(settings, no_schedule):
    """The renderer's 404 is not stored: it tells the waiters to render for themselves."""
    from django.http import HttpResponseNotFound

    from pagecache.middleware import PageCacheMiddleware

    settings.PAGE_CACHE_WAIT_SECONDS = 30
    calls = []
    app = PageCacheMiddleware(lambda request: calls.append(1) or HttpResponseNotFound("gone"))
    for _ in range(3):
        assert in_thread(get, app).status_code == 404
    assert len(calls) == 3
