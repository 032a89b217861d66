"""A page or file read today says so (a citation's "accessed" date): nothing cached is
served past the midnight of the site's time zone."""

import io
import zipfile
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

import pagecache
from formatting.display import format_date
from tests.clock import midday
from tests.factories import IndicatorFactory, ObservationFactory

from .conftest import get_twice

pytestmark = pytest.mark.django_db
URL = "/statistics/arrivals/"


def late_evening():
    """Thirty seconds to midnight today, in the site's time zone."""
    return timezone.make_aware(
        datetime.combine(midday().date(), time(23, 59, 30)),
        timezone.get_current_timezone(),
    )


def test_the_lifetime_ends_at_midnight_in_the_sites_time_zone(settings):
    settings.PAGE_CACHE_SECONDS = 600
    assert settings.TIME_ZONE == "Europe/Belgrade"
    assert pagecache.page_lifetime("g", late_evening()) == 30
    assert pagecache.page_lifetime("g", midday()) == 600


def readme_of(response):
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return archive.read("README.md").decode()


def test_a_page_and_its_zip_read_after_midnight_give_the_new_date(visitor, region):
    assert settings.PAGE_CACHE
    indicator = IndicatorFactory(code="arrivals", name="Arrivals")
    ObservationFactory(indicator=indicator, region=region, period="2024", value=5)
    evening = late_evening()
    today, tomorrow = format_date(evening), format_date(evening + timedelta(days=1))
    zip_url = "/statistics/arrivals.zip"
    with time_machine.travel(evening, tick=False) as clock:
        assert f"accessed {today}" in get_twice(visitor, URL).content.decode()
        assert f"accessed {today}" in readme_of(visitor.get(zip_url))

        clock.shift(timedelta(seconds=29))
        assert visitor.get(URL)["X-Page-Cache"] == "hit"

        clock.shift(timedelta(seconds=2))  # 00:00:01
        page = visitor.get(URL)
        assert page["X-Page-Cache"] == "miss"
        assert f"accessed {tomorrow}" in page.content.decode()
        assert f"accessed {tomorrow}" in readme_of(visitor.get(zip_url))
