"""Public pages use only public countries: a draft or withdrawn country is neither listed,
linked nor footnoted on a live page, and the page cache shows it the moment it goes live."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import CountryFactory, RegionFactory
from tests.pagecache.conftest import get_twice

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(db):
    live = CountryFactory(name="Montenegro", slug="montenegro", iso_code="QM")
    return RegionFactory(
        name="Western Balkans",
        slug="western-balkans",
        summary="Migration policy in the region.",
        body="Labour Migration and mobility.",
        countries=[live],
    )


def test_an_unreviewed_countrys_footnote_is_never_on_a_public_page(region):
    # An Editor's new country is a draft: its name must not mark every use of the word.
    draft = CountryFactory(
        name="Migration", slug="migration", iso_code="QZ", footnote="Unreviewed note text."
    )
    draft.is_published = False
    draft.save()
    page = Client().get(region.get_absolute_url()).content.decode()
    assert "Unreviewed note text." not in page
    assert "footnote-qz" not in page and "Migration*" not in page
    home = Client().get("/").content.decode()
    assert "Unreviewed note text." not in home


def test_a_withdrawn_countrys_footnote_is_not_public_either(region):
    withdrawn = CountryFactory(
        name="Migration", slug="migration", iso_code="QZ", footnote="Withdrawn note text."
    )
    region.countries.add(withdrawn)
    withdrawn.unpublish_at = timezone.now() - timedelta(minutes=1)
    withdrawn.publish_at = timezone.now() - timedelta(days=1)
    withdrawn.save()
    page = Client().get(region.get_absolute_url()).content.decode()
    assert "Withdrawn note text." not in page


def test_a_public_countrys_footnote_still_shows(region):
    kosovo = CountryFactory(name="Kosovo", slug="kosovo", iso_code="XK", footnote="UNSCR note.")
    region.countries.add(kosovo)
    page = Client().get(region.get_absolute_url()).content.decode()
    assert "UNSCR note." in page and 'id="footnote-xk"' in page


def test_region_page_lists_and_links_only_public_countries(region):
    draft = CountryFactory(name="Draftland", slug="draftland", is_published=False)
    withdrawn = CountryFactory(
        name="Gonestan",
        slug="gonestan",
        publish_at=timezone.now() - timedelta(days=2),
        unpublish_at=timezone.now() - timedelta(days=1),
    )
    region.countries.add(draft, withdrawn)
    visitor = Client()
    page = visitor.get(region.get_absolute_url()).content.decode()
    assert "Montenegro" in page
    for country in (draft, withdrawn):
        assert country.name not in page
        assert country.get_absolute_url() not in page
        # The link it would have had leads nowhere for a visitor.
        assert visitor.get(country.get_absolute_url()).status_code == 404
    home = visitor.get("/").content.decode()
    assert "1 country" in home and "3 countries" not in home


def test_the_cached_region_page_lists_a_country_once_it_is_published(region, settings):
    from django.core.cache import caches

    import pagecache
    from tests.pagecache.conftest import RECORDING

    settings.PAGE_CACHE = True
    settings.CACHES = {"default": RECORDING}
    caches["default"].clear()
    pagecache.reset()
    draft = CountryFactory(
        name="Kosovo", slug="kosovo", iso_code="XK", footnote="UNSCR note.", is_published=False
    )
    region.countries.add(draft)
    visitor = Client()
    page = get_twice(visitor, region.get_absolute_url()).content.decode()
    assert "Kosovo" not in page and "UNSCR note." not in page

    draft.is_published = True
    draft.save()
    response = visitor.get(region.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    page = response.content.decode()
    assert "UNSCR note." in page and draft.get_absolute_url() in page
