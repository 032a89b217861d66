"""The sitemap and robots.txt: every public page and no draft, at SITE_URL."""

import re

import pytest
from django.test import override_settings

from tests.factories import (
    CountryFactory,
    DocumentFactory,
    IndicatorFactory,
    ProjectFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    country = CountryFactory(name="Türkiye", slug="turkiye", iso_code="TR")
    RegionFactory(slug="wbt", countries=[country])
    RegionFactory(slug="draft-region", is_published=False, countries=[CountryFactory(slug="x")])
    ProjectFactory(slug="live-project")
    ProjectFactory(slug="draft-project", is_published=False)
    IndicatorFactory(code="arrivals")
    DocumentFactory(slug="live-document")
    DocumentFactory(slug="draft-document", is_published=False)


def locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def test_sitemap_lists_every_public_page_and_no_draft(client, content):
    locs = locations(client)
    for path in [
        "/",
        "/projects/",
        "/contacts/",
        "/statistics/",
        "/regions/wbt/",
        "/countries/turkiye/",
        "/projects/live-project/",
        "/statistics/arrivals/",
        "/documents/",
        "/documents/live-document/",
    ]:
        assert f"http://testserver{path}" in locs, path
    assert not [loc for loc in locs if "draft" in loc or loc.endswith("/countries/x/")]
    # every listed page really is public
    for loc in locs:
        assert client.get(loc.removeprefix("http://testserver")).status_code == 200, loc


def test_sitemap_query_budget(client, content, django_assert_num_queries):
    for i in range(20):
        ProjectFactory(slug=f"more-{i}")
    # a count and a page of items for each of the five model sitemaps; the count of pages
    # (none here)
    with django_assert_num_queries(11):
        assert len(locations(client)) == 5 + 1 + 1 + 21 + 1 + 1


@override_settings(SITE_URL="https://wb.example.org")
def test_sitemap_and_robots_use_site_url(client, content):
    assert "https://wb.example.org/regions/wbt/" in locations(client)
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://wb.example.org/sitemap.xml" in robots
    html = client.get("/regions/wbt/").content.decode()
    assert '<link rel="canonical" href="https://wb.example.org/regions/wbt/">' in html
    assert '<meta property="og:url" content="https://wb.example.org/regions/wbt/">' in html


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert "User-agent: *" in body and "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert client.post("/robots.txt").status_code == 405
