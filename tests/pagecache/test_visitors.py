"""Only a request that really belongs to a signed-in user bypasses the page cache; forged
cookies and headers, and real ones kept after sign-out, get the cached page."""

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import signing
from django.test import Client

from pagecache.visitors import MARKER_COOKIE
from tests.factories import RegionFactory, UserFactory
from tests.pagecache.conftest import get_twice, sign_in, stored_pages

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("cookies", "headers"),
    [
        ({"sessionid": "x"}, {}),
        ({"sessionid": "a" * 32}, {}),
        ({"messages": "forged"}, {}),
        ({"sessionid": "a" * 32, MARKER_COOKIE: "forged:signature"}, {}),
        ({}, {"authorization": "Basic Zm9vOmJhcg=="}),
    ],
    ids=["short-session", "session", "messages", "session-and-marker", "authorization"],
)
def test_forged_cookies_and_headers_get_the_cached_page(visitor, region, cookies, headers):
    cached = get_twice(visitor, region.get_absolute_url())
    forger = Client(headers=headers)
    for name, value in cookies.items():
        forger.cookies[name] = value
    response = forger.get(region.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    assert response.content == cached.content


def test_forged_cookies_on_a_cold_cache_render_a_storable_page(region):
    """The first request may carry the forged cookie: its page is stored all the same (the
    cookie is dropped before the view, so no Set-Cookie deleting it spoils the response)."""
    forger = Client()
    forger.cookies["sessionid"] = "a" * 32
    forger.cookies["messages"] = "forged"
    first = forger.get(region.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    assert not first.cookies
    assert len(stored_pages()) == 1
    assert forger.get(region.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_signed_in_staff_user_bypasses_and_sees_his_draft(visitor, client):
    draft = RegionFactory(slug="draft-region", summary="Secret draft text.", is_published=False)
    sign_in(client, UserFactory(is_staff=True, is_superuser=True))
    assert MARKER_COOKIE in client.cookies
    response = client.get(draft.get_absolute_url())
    assert response["X-Page-Cache"] == "bypass"
    assert "Secret draft text." in response.content.decode()
    assert stored_pages() == []
    assert visitor.get(draft.get_absolute_url()).status_code == 404


def test_the_marker_of_another_session_does_not_count(visitor, client, region):
    get_twice(visitor, region.get_absolute_url())
    sign_in(client, UserFactory(is_staff=True))
    thief = Client()
    thief.cookies[MARKER_COOKIE] = client.cookies[MARKER_COOKIE].value
    thief.cookies["sessionid"] = "b" * 32
    assert thief.get(region.get_absolute_url())["X-Page-Cache"] == "hit"


def test_sign_out_removes_the_marker(client, region):
    sign_in(client, UserFactory(is_staff=True))
    response = client.post("/admin/logout/")
    assert response.status_code == 200
    assert client.cookies[MARKER_COOKIE].value == ""  # deleted
    assert client.get(region.get_absolute_url())["X-Page-Cache"] == "miss"


def test_a_real_message_alone_does_not_bypass(visitor, region):
    """Messages are only written for signed-in staff: replaying a messages cookie (even a
    genuine one, kept from an earlier session) proves nothing about the request."""
    get_twice(visitor, region.get_absolute_url())
    signer = signing.get_cookie_signer(salt=CookieStorage.key_salt)
    reader = Client()
    reader.cookies[CookieStorage.cookie_name] = signer.sign("[]")
    assert reader.get(region.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_signed_in_staff_user_with_a_message_sees_it(client, region):
    """After an admin action the message shows to its (signed-in) reader, never cached."""
    sign_in(client, UserFactory(is_staff=True, is_superuser=True))
    client.get("/admin/")
    response = client.get(region.get_absolute_url())
    assert response["X-Page-Cache"] == "bypass"


def test_the_cookies_of_a_signed_out_session_get_the_cached_page(visitor, client, region):
    """A copy of the session and marker cookies taken before sign-out bypasses nothing after
    it: the session behind them is gone."""
    get_twice(visitor, region.get_absolute_url())
    sign_in(client, UserFactory(is_staff=True))
    kept = Client()
    for name in ("sessionid", MARKER_COOKIE):
        kept.cookies[name] = client.cookies[name].value
    assert kept.get(region.get_absolute_url())["X-Page-Cache"] == "bypass"
    client.post("/admin/logout/")
    assert kept.get(region.get_absolute_url())["X-Page-Cache"] == "hit"


def test_an_old_marker_expires_with_the_session_age(visitor, client, region, settings):
    get_twice(visitor, region.get_absolute_url())
    sign_in(client, UserFactory(is_staff=True))
    assert client.get(region.get_absolute_url())["X-Page-Cache"] == "bypass"
    settings.SESSION_COOKIE_AGE = -1  # every marker is now older than a session may live
    kept = Client()
    for name in ("sessionid", MARKER_COOKIE):
        kept.cookies[name] = client.cookies[name].value
    assert kept.get(region.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_user_signed_in_before_the_marker_existed_gets_it_on_an_admin_page(client, region):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(region.get_absolute_url())["X-Page-Cache"] == "miss"  # as a visitor
    client.get("/admin/")
    assert client.get(region.get_absolute_url())["X-Page-Cache"] == "bypass"


@pytest.mark.parametrize(
    "personalise",
    [
        lambda response: response.set_cookie("tracking", "1"),
        lambda response: response.headers.__setitem__("Cache-Control", "private"),
        lambda response: response.headers.__setitem__("Cache-Control", "no-store"),
    ],
    ids=["sets-a-cookie", "private", "no-store"],
)
def test_a_personal_response_is_never_stored(personalise, no_schedule):
    from django.http import HttpResponse

    from pagecache.middleware import PageCacheMiddleware
    from tests.pagecache.conftest import get

    def view(request):
        response = HttpResponse("<p>Yours</p>", content_type="text/html")
        personalise(response)
        return response

    app = PageCacheMiddleware(view)
    assert get(app)["X-Page-Cache"] == "miss"
    assert get(app)["X-Page-Cache"] == "miss"
    assert stored_pages() == []
