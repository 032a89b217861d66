"""The cache key covers only the query parameters the view reads; the store stays bounded."""

import pytest

from pagecache.pages import query_params
from tests.factories import ProjectFactory
from tests.pagecache.conftest import get_twice, stored_pages

pytestmark = pytest.mark.django_db


def test_unknown_parameters_share_one_page(visitor):
    get_twice(visitor, "/robots.txt")
    for number in range(300):
        response = visitor.get(f"/robots.txt?utm={number}&fbclid=x{number}")
        assert response["X-Page-Cache"] == "hit"
    assert len(stored_pages()) == 1


def test_unknown_parameters_are_dropped_before_the_view(visitor, region):
    ProjectFactory(title="Alpha project", regions=[region])
    response = visitor.get("/projects/?utm=<b>x</b>&region=" + region.slug)
    assert response["X-Page-Cache"] == "miss"
    assert "utm" not in response.content.decode()
    assert visitor.get(f"/projects/?region={region.slug}")["X-Page-Cache"] == "hit"


def test_declared_parameters_are_keyed_in_a_stable_order(visitor, region):
    ProjectFactory(title="Alpha project", regions=[region])
    get_twice(visitor, f"/projects/?q=alpha&region={region.slug}")
    assert visitor.get(f"/projects/?region={region.slug}&q=alpha")["X-Page-Cache"] == "hit"
    assert visitor.get(f"/projects/?region={region.slug}")["X-Page-Cache"] == "miss"


def test_the_project_list_declares_its_filters_and_page():
    from projects.filters import ProjectFilter
    from projects.views import ProjectListView

    declared = query_params(ProjectListView.as_view())
    assert declared == {*ProjectFilter.base_filters, "page"}


def test_an_invalid_filter_value_is_not_stored(visitor):
    ProjectFactory(title="Alpha project")
    for number in range(5):
        response = visitor.get(f"/projects/?region=nowhere-{number}")
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "miss"
    assert stored_pages() == []


def test_a_flood_of_new_pages_is_bounded(visitor, settings):
    settings.PAGE_CACHE_MAX_NEW_PAGES = 5
    ProjectFactory(title="Alpha project")
    for number in range(20):
        assert visitor.get(f"/projects/?q=word{number}").status_code == 200
    assert len(stored_pages()) == 5
    # Pages already stored are still served and refreshed.
    assert visitor.get("/projects/?q=word0")["X-Page-Cache"] == "hit"


def test_a_flood_of_queries_leaves_pages_without_parameters_cached(visitor, region, settings):
    """The budget counts pages with query parameters only: a flood of search terms must not
    keep the site's own pages (bounded by its content) out of the cache."""
    settings.PAGE_CACHE_MAX_NEW_PAGES = 3
    ProjectFactory(title="Alpha project", slug="alpha")
    for number in range(10):
        visitor.get(f"/projects/?q=flood{number}")
    for path in (region.get_absolute_url(), "/projects/", "/projects/alpha/"):
        assert visitor.get(path)["X-Page-Cache"] == "miss"
        assert visitor.get(path)["X-Page-Cache"] == "hit", path


def test_the_port_is_not_part_of_the_key(visitor):
    """Django accepts any port for an allowed host: ports must not multiply the pages."""
    get_twice(visitor, "/robots.txt")
    for port in range(10000, 10020):
        response = visitor.get("/robots.txt", headers={"host": f"testserver:{port}"})
        assert response["X-Page-Cache"] == "hit"
    assert len(stored_pages()) == 1


def test_the_sitemap_keeps_its_page_parameter():
    """Django's sitemap pages with `?p=` past 50,000 URLs."""
    from django.urls import resolve

    assert query_params(resolve("/sitemap.xml").func) == {"p"}
