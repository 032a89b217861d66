"""Fixtures of the derived-figure tests: a country, UNHCR, refugees hosted by origin and the
indicator of their total."""

import pytest

from tests.factories import CountryFactory, IndicatorFactory, RegionFactory, SourceFactory


@pytest.fixture
def country(db):
    """A public country: one of a published region."""
    turkiye = CountryFactory(name="Türkiye")
    RegionFactory(countries=[turkiye])
    return turkiye


@pytest.fixture
def unhcr(db):
    return SourceFactory(name="UNHCR Refugee Data Finder", publisher="UNHCR", licence="CC BY 4.0")


@pytest.fixture
def hosted(db):
    return IndicatorFactory(name="Refugees hosted", unit="people", breakdown_label="Origin")


@pytest.fixture
def hosted_total(db):
    return IndicatorFactory(name="Refugees hosted, all origins", unit="people")
