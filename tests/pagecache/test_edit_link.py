"""The staff-only "Edit this page" link is never stored in or served from the page cache."""

import pytest

from staff.roles import EDITOR
from tests.factories import UserFactory

from .conftest import get_twice, sign_in, stored_pages

pytestmark = pytest.mark.django_db
LINK_TEXT = "Edit this page"


def test_a_cached_anonymous_page_never_holds_the_link(visitor, client, region, staff_with_role):
    url = region.get_absolute_url()
    cached = get_twice(visitor, url)
    assert LINK_TEXT not in cached.content.decode()
    stored = stored_pages()

    sign_in(client, staff_with_role(EDITOR))
    staff = client.get(url)
    assert LINK_TEXT in staff.content.decode()
    assert staff["X-Page-Cache"] == "bypass"
    assert "no-store" in staff["Cache-Control"]
    assert stored_pages() == stored

    again = visitor.get(url)
    assert again["X-Page-Cache"] == "hit"
    assert LINK_TEXT not in again.content.decode()


def test_a_staff_request_on_a_cold_cache_stores_nothing(visitor, client, region, staff_with_role):
    url = region.get_absolute_url()
    sign_in(client, staff_with_role(EDITOR))
    assert LINK_TEXT in client.get(url).content.decode()
    assert stored_pages() == []

    first = visitor.get(url)
    assert first["X-Page-Cache"] == "miss"
    assert LINK_TEXT not in first.content.decode()


def test_staff_cookies_without_the_signed_in_marker_get_the_public_page(visitor, client, region):
    """A session the page cache cannot trust as signed in is treated as anonymous: its
    cookies are dropped before the view, so the page it renders (and stores) has no link."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))  # no marker cookie
    response = client.get(region.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert LINK_TEXT not in response.content.decode()
    assert LINK_TEXT not in visitor.get(region.get_absolute_url()).content.decode()
