"""Query budgets: computing a derivation over thousands of input rows is a few queries (the
inputs, the stored figures, the sources, the writes in batches), never one per row."""

import datetime
from statistics.derived import recompute
from statistics.models import DerivationMethod, Observation

import pytest

from tests.factories import CountryFactory, IndicatorFactory

from .build import derive, total_of

pytestmark = pytest.mark.django_db

COUNTRIES, YEARS, CATEGORIES = 6, 10, 50  # 3,000 rows an input


def bulk_rows(indicator, countries, categories, value, source):
    rows = [
        Observation(
            indicator=indicator,
            country=country,
            period=str(year),
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            category=category,
            value=value,
            source=source,
        )
        for country in countries
        for year in range(2015, 2015 + YEARS)
        for category in categories
    ]
    Observation.objects.bulk_create(rows)
    return len(rows)


@pytest.fixture
def countries(db):
    return [CountryFactory() for _ in range(COUNTRIES)]


def test_a_total_over_3000_rows_takes_a_few_queries(
    countries, unhcr, hosted, hosted_total, django_assert_max_num_queries
):
    origins = [f"Origin {n}" for n in range(CATEGORIES)]
    assert bulk_rows(hosted, countries, origins, 7, unhcr) == 3000
    derivation = total_of(hosted_total, hosted)

    with django_assert_max_num_queries(8):
        result = recompute(derivation)
    assert result.created == COUNTRIES * YEARS

    with django_assert_max_num_queries(5):
        unchanged = recompute(derivation)
    assert unchanged.unchanged == COUNTRIES * YEARS and unchanged.written == 0


def test_a_rate_of_3000_rows_writes_in_batches_and_rereads_in_a_few_queries(
    countries, unhcr, django_assert_max_num_queries
):
    recognised = IndicatorFactory(unit="people")
    decided = IndicatorFactory(unit="people")
    rate = IndicatorFactory(unit="%", decimals=1)
    origins = [f"Origin {n}" for n in range(CATEGORIES)]
    bulk_rows(recognised, countries, origins, 1, unhcr)
    bulk_rows(decided, countries, origins, 3, unhcr)
    derivation = derive(rate, DerivationMethod.RATIO, recognised, decided, scale=100)

    # The writes go in batches (SQLite binds at most 999 values a statement: ~58 rows).
    with django_assert_max_num_queries(10 + 3000 // 50):
        assert recompute(derivation).created == 3000

    # A savepoint and its release, both inputs, the sources, the stored figures, the stamp.
    with django_assert_max_num_queries(7):
        assert recompute(derivation).unchanged == 3000
