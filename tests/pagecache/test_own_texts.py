"""Pages that show no item's own texts (the indicator pages, their files and downloads, the
statistics list: `page_cache_shows_own_texts = False`) stay cached while only such a text
changes (a region's summary, a country's profile: settings.PAGE_CACHE_OWN_TEXT); any other
change makes them stale, as every page."""

import pytest

from tests.builders import edit
from tests.factories import IndicatorFactory, ObservationFactory, ProjectFactory

from .conftest import get_twice

pytestmark = pytest.mark.django_db

INDICATOR = "/statistics/arrivals/"
KEPT = [INDICATOR, "/statistics/", "/statistics/arrivals.json", "/statistics/arrivals/chart.svg"]


@pytest.fixture
def figures(region, committed):
    def make():
        indicator = IndicatorFactory(code="arrivals", name="Arrivals")
        ObservationFactory(indicator=indicator, region=region, period="2024", value=5)
        project = ProjectFactory(title="Return support", regions=[region])
        project.indicators.add(indicator)
        return project

    return committed(make)  # committed: this thread has no change pending afterwards


def cache_all(visitor):
    for url in KEPT:
        first = visitor.get(url)
        assert first.status_code == 200, url
        assert visitor.get(url)["X-Page-Cache"] == "hit", url


@pytest.mark.parametrize(
    ("item", "text"),
    [("region", "summary"), ("region", "body"), ("country", "profile")],
)
def test_an_edit_of_an_own_text_keeps_them(visitor, region, figures, committed, item, text):
    cache_all(visitor)
    get_twice(visitor, region.get_absolute_url())
    instance = region if item == "region" else region.countries.get()
    committed(edit(instance, **{text: "Written just now."}))
    for url in KEPT:
        assert visitor.get(url)["X-Page-Cache"] == "hit", url
    # The page that shows it is rendered again.
    page = visitor.get(instance.get_absolute_url())
    assert page["X-Page-Cache"] == "miss" and "Written just now." in page.content.decode()


def test_any_other_change_makes_them_stale(visitor, region, figures, committed):
    cache_all(visitor)
    committed(edit(figures, title="Return and reintegration support"))
    page = visitor.get(INDICATOR)
    assert page["X-Page-Cache"] == "miss"
    assert "Return and reintegration support" in page.content.decode()
    cache_all(visitor)
    committed(edit(region, name="Balkans West"))
    for url in KEPT:
        assert visitor.get(url)["X-Page-Cache"] == "miss", url
    assert "Balkans West" in visitor.get(INDICATOR).content.decode()


def test_a_page_that_shows_own_texts_is_not_kept_past_them(visitor, region, figures):
    from django.core.cache import caches

    import pagecache

    get_twice(visitor, region.get_absolute_url())
    get_twice(visitor, INDICATOR)
    entries = caches["default"].get_many(caches["default"].keys(pagecache.PAGE_KEY_PREFIX))
    shared = sorted(entry.get("shared") is not None for entry in entries.values())
    assert shared == [False, True]  # the region page's entry carries no shared part
