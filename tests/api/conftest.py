"""Data for the API's tests: the shared demo, plus a world built once per module on top of it
(in a savepoint rolled back after the module), with everything the public must not see
beside what it may: a draft region holding data, a draft project, staged data releases."""

from dataclasses import dataclass, field
from datetime import timedelta
from statistics.models import DataRelease, Indicator, Observation, Source

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from regions.models import Country, Region
from tests.factories import (
    CountryFactory,
    DocumentFactory,
    IndicatorFactory,
    ObservationFactory,
    ProjectFactory,
    RegionFactory,
    SourceFactory,
)
from tests.shared_demo import DemoState


@dataclass
class ApiWorld:
    indicator: Indicator = None
    other: Indicator = None
    source: Source = None
    own: Source = None
    serbia: Country = None
    kosovo: Country = None
    region: Region = None
    draft_region: Region = None
    draft_country: Country = None
    hidden: list[Observation] = field(default_factory=list)
    project: object = None
    draft_project: object = None
    scheduled_project: object = None
    document: object = None
    draft_document: object = None


def build_world() -> ApiWorld:
    w = ApiWorld()
    w.serbia = Country.objects.get(iso_code="RS")
    w.kosovo = Country.objects.get(iso_code="XK")
    w.region = Region.objects.get(code="WB")
    w.source = SourceFactory(
        name="Api Source",
        code="api-source",
        publisher="UNHCR",
        licence="CC BY 4.0",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        citation="UNHCR, Refugee Data Finder.",
    )
    w.own = SourceFactory(name="Api Own", code="api-own", is_own_compilation=True)
    w.indicator = IndicatorFactory(
        code="api-arrivals", name="Api arrivals", unit="people", decimals=0
    )
    w.other = IndicatorFactory(code="api-share", name="Api share", unit="%", decimals=1)
    for year in range(2015, 2025):
        ObservationFactory(
            indicator=w.indicator,
            region=None,
            country=w.serbia,
            period=str(year),
            value=1000 + year,
            source=w.source,
            status=Observation.Status.FINAL if year < 2023 else Observation.Status.PROVISIONAL,
        )
    ObservationFactory(
        indicator=w.indicator,
        region=None,
        country=w.kosovo,
        period="2024-Q1",
        value=1234.5,
        qualifier="more_than",
        source=w.source,
    )
    ObservationFactory(
        indicator=w.indicator,
        region=None,
        country=w.kosovo,
        period="2024-Q2",
        value=None,
        status=Observation.Status.SUPPRESSED,
        source=w.source,
    )
    for category, value in (("Syria", 40), ("Afghanistan", 60)):
        ObservationFactory(
            indicator=w.indicator,
            region=w.region,
            period="2016/2024",
            category=category,
            value=value,
            source=w.source,
        )
    ObservationFactory(
        indicator=w.other, region=w.region, period="2024-03", value=12.35, source=w.own
    )

    # What nobody outside may see: a draft region and its own country, with data...
    w.draft_country = CountryFactory(name="Draftland", slug="draftland")
    w.draft_region = RegionFactory(
        name="Draft region", slug="draft-region", is_published=False, countries=[w.draft_country]
    )
    w.hidden.append(
        ObservationFactory(
            indicator=w.indicator, region=w.draft_region, period="2024", value=7, source=w.source
        )
    )
    w.hidden.append(
        ObservationFactory(
            indicator=w.indicator,
            region=None,
            country=w.draft_country,
            period="2024",
            value=8,
            source=w.source,
        )
    )
    # ...and data releases not yet due: held, and scheduled for tomorrow.
    held = DataRelease.objects.create(name="Held", release_at=None)
    later = DataRelease.objects.create(
        name="Tomorrow", release_at=timezone.now() + timedelta(days=1)
    )
    for release, period in ((held, "2025"), (later, "2026")):
        w.hidden.append(
            ObservationFactory(
                indicator=w.indicator,
                region=None,
                country=w.serbia,
                period=period,
                value=99,
                source=w.source,
                release=release,
            )
        )
    released = DataRelease.objects.create(name="Out", release_at=timezone.now() - timedelta(days=1))
    ObservationFactory(
        indicator=w.indicator,
        region=None,
        country=w.serbia,
        period="2014",
        value=1,
        source=w.source,
        release=released,
    )

    w.project = ProjectFactory(
        title="Api project",
        slug="api-project",
        regions=[w.region, w.draft_region],
        countries=[w.serbia, w.draft_country],
    )
    w.project.indicators.set([w.indicator])
    w.draft_project = ProjectFactory(title="Draft project", slug="api-draft", is_published=False)
    w.scheduled_project = ProjectFactory(
        title="Scheduled project",
        slug="api-scheduled",
        publish_at=timezone.now() + timedelta(days=1),
    )
    w.document = DocumentFactory(
        title="Api document", slug="api-document", projects=[w.project, w.draft_project]
    )
    w.draft_document = DocumentFactory(
        title="Draft document", slug="api-draft-document", is_published=False
    )
    return w


@pytest.fixture(scope="module")
def _api_world(demo_database, django_db_blocker):
    """Built once for the tests of a module, on top of the shared demo, in a savepoint rolled
    back after them (as tests/statistics/demo_data/conftest.py loads the source files)."""
    demo_database.prepare(DemoState.IN_TRANSACTION)
    with django_db_blocker.unblock():
        savepoint = transaction.atomic()
        savepoint.__enter__()
        try:
            world = build_world()
        except BaseException:
            transaction.set_rollback(True)
            savepoint.__exit__(None, None, None)
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        savepoint.__exit__(None, None, None)


@pytest.fixture
def world(_api_world, demo):
    """The demo and the API world; each test's changes rolled back."""
    return _api_world


@pytest.fixture
def api():
    """An anonymous client that gets a response for every request, a 500 included."""
    return Client(raise_request_exception=False)


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response.json()
