"""`/statistics/<code>/?area=XX`: an indicator page showing one area's values (what country
pages link to)."""

import pytest
from django.test import Client
from django.urls import reverse

from regions.models import Country
from tests.factories import CountryFactory, ObservationFactory, RegionFactory
from tests.statistics.test_views import _grow

pytestmark = pytest.mark.django_db


def url(code="population", **query):
    path = reverse("statistics:indicator-detail", args=[code])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_area_shows_only_that_area(client, demo):
    html = client.get(url(area="RS")).content.decode()
    assert "Showing the figures for Serbia only." in html
    assert "6,586,476" in html and "1,594,353" not in html  # Serbia's 2024, not Kosovo's
    assert "Population, Serbia, by period" in html
    assert "Population, Kosovo" not in html
    everything = client.get(url()).content.decode()
    assert "6,586,476" in everything and "1,594,353" in everything
    assert "Showing the figures for" not in everything


def test_kosovo_area_carries_its_footnote(client, demo):
    html = client.get(url(area="XK")).content.decode()
    assert "Showing the figures for Kosovo* only." in html
    assert 'id="footnote-xk"' in html


def test_region_code_is_an_area_too(client, demo):
    html = client.get(url("returns-avr-cumulative", area="WB")).content.decode()
    assert "Showing the figures for Western Balkans only." in html and "3,353" in html


@pytest.mark.parametrize(
    "area", ["", "ZZ", "rs", "R%25S", "%3Cscript%3E", "A" * 300, "XK'--", "WB%00"]
)
def test_unknown_or_hostile_area_is_404(area):
    client = Client(raise_request_exception=False)
    from django.core.management import call_command

    call_command("load_demo", without_source_files=True, verbosity=0)
    response = client.get(url(area=area))
    assert response.status_code == 404


def test_area_of_a_draft_region_is_404(client):
    hidden = CountryFactory(iso_code="QH", name="Hidden", slug="hidden")
    RegionFactory(code="DRAFT", is_published=False, countries=[hidden])
    observation = ObservationFactory(region=None, country=hidden, value=5)
    code = observation.indicator.code
    assert client.get(url(code, area="QH")).status_code == 404
    assert client.get(url(code, area="DRAFT")).status_code == 404


@pytest.mark.parametrize("factor", [1, 10])
def test_area_filter_query_budget(client, demo, factor, django_assert_num_queries):
    _grow(factor)
    # The area (a country: one query), then the page's eight, as without a filter.
    # ... and the next scheduled change, which caps how long its charts are kept (read once a
    # generation and process; the page cache reads the same).
    with django_assert_num_queries(10):
        response = client.get(url("grown", area="XK"))
    html = response.content.decode()
    assert response.status_code == 200 and "Kosovo" in html
    assert Country.objects.get(iso_code="XK").observations.exists()


def test_the_page_cache_keeps_areas_apart(settings, demo):
    """The page cache keys on the parameters a view reads: `area` is one of them, so the
    filtered page is never served for the whole indicator, nor the other way round."""
    settings.PAGE_CACHE = True
    visitor = Client()
    for _round in range(2):
        serbia = visitor.get(url(area="RS", utm="x"))
        assert "Showing the figures for Serbia only." in serbia.content.decode()
        everything = visitor.get(url())
        assert "Showing the figures for" not in everything.content.decode()
    assert serbia["X-Page-Cache"] == "hit" and everything["X-Page-Cache"] == "hit"
