"""'Last updated' on every content page: the latest change of the item or of its figures."""

import datetime
from statistics.models import Indicator, Observation

import pytest
from django.utils import timezone

from pages.models import Page
from projects.models import Project
from regions.models import Country, Office, Region
from tests.factories import (
    CountryFactory,
    IndicatorFactory,
    ObservationFactory,
    OfficeFactory,
    ProjectFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

OLD = timezone.make_aware(datetime.datetime(2025, 1, 10, 12, 0))
NEWER = timezone.make_aware(datetime.datetime(2025, 3, 31, 12, 0))


def last_updated(client, path):
    html = client.get(path).content.decode()
    assert html.count('class="last-updated"') == 1, path
    return html.split('class="last-updated">')[1].split("</p>")[0]


@pytest.fixture
def world():
    serbia = CountryFactory(name="Serbia", slug="serbia", iso_code="RS")
    region = RegionFactory(slug="wb", countries=[serbia])
    indicator = IndicatorFactory(code="arrivals", is_featured=True)
    ObservationFactory(indicator=indicator, region=region, period="2024")
    ObservationFactory(indicator=indicator, region=None, country=serbia, period="2024")
    OfficeFactory(region=region, country=serbia)
    ProjectFactory(slug="rms", regions=[region])
    Page.objects.create(title="About", slug="about", is_published=True)
    for model in (Region, Country, Indicator, Observation, Office, Project, Page):
        model.objects.update(updated_at=OLD)
    return region


@pytest.mark.parametrize(
    "path",
    ["/", "/regions/wb/", "/countries/serbia/", "/projects/", "/projects/rms/", "/statistics/",
     "/statistics/arrivals/", "/contacts/", "/pages/about/"],
)  # fmt: skip
def test_every_content_page_says_when_it_last_changed(client, world, path):
    text = last_updated(client, path)
    assert '<time datetime="2025-01-10">10 January 2025</time>' in text


@pytest.mark.parametrize("path", ["/", "/regions/wb/", "/statistics/", "/statistics/arrivals/"])
def test_a_newer_figure_makes_the_page_newer(client, world, path):
    Observation.objects.filter(region=world).update(updated_at=NEWER)
    assert "31 March 2025" in last_updated(client, path)


def test_a_country_page_follows_its_own_figures(client, world):
    Observation.objects.filter(country__iso_code="RS").update(updated_at=NEWER)
    assert "31 March 2025" in last_updated(client, "/countries/serbia/")
    assert "10 January 2025" in last_updated(client, "/regions/wb/")  # not the region's figure
