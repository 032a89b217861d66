import datetime
from decimal import Decimal
from statistics.models import Indicator, Observation

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from formatting.periods import parse_period
from tests.factories import (
    CountryFactory,
    IndicatorFactory,
    ObservationFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


def duplicate_of(observation, **changes):
    fields = {
        "indicator": observation.indicator,
        "country": observation.country,
        "region": observation.region,
        "period": observation.period,
        "category": observation.category,
        "value": Decimal("1"),
    }
    fields.update(changes)
    return Observation(**fields)


@pytest.mark.parametrize("category", ["", "Afghanistan"])
def test_database_rejects_duplicate_region_observation(category):
    first = ObservationFactory(category=category)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate_of(first).save()
    assert Observation.objects.count() == 1


@pytest.mark.parametrize("category", ["", "Syrian Arab Republic"])
def test_database_rejects_duplicate_country_observation(category):
    first = ObservationFactory(region=None, country=CountryFactory(), category=category)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate_of(first).save()
    assert Observation.objects.count() == 1


def test_same_key_in_other_area_period_or_category_is_allowed():
    first = ObservationFactory()
    duplicate_of(first, period="2023").save()
    duplicate_of(first, category="Morocco").save()
    duplicate_of(first, region=RegionFactory()).save()
    duplicate_of(first, region=None, country=CountryFactory()).save()
    assert Observation.objects.count() == 5


def test_database_rejects_observation_with_both_or_no_area():
    indicator = IndicatorFactory()
    region, country = RegionFactory(), CountryFactory()
    for area in ({"region": region, "country": country}, {"region": None, "country": None}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Observation(indicator=indicator, period="2024", value=1, **area).save()
    assert not Observation.objects.exists()


def test_full_clean_reports_duplicate_with_a_readable_message():
    first = ObservationFactory()
    with pytest.raises(ValidationError, match="already an observation"):
        duplicate_of(first).full_clean()


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        ("2025-03", datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)),
        ("2024-02", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        ("2025-Q1", datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)),
        ("2025-Q4", datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)),
        ("2025-03-31", datetime.date(2025, 3, 31), datetime.date(2025, 3, 31)),
        ("2016/2025", datetime.date(2016, 1, 1), datetime.date(2025, 12, 31)),
        ("2016-03/2025-Q2", datetime.date(2016, 3, 1), datetime.date(2025, 6, 30)),
    ],
)
def test_periods_parse_to_their_bounds(text, start, end):
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "text",
    ["", "25", "2025-13", "2025-Q5", "2025-02-30", "2025/2016", "2025-3", "March 2025", "1/2/3"],
)
def test_malformed_periods_are_rejected_with_the_accepted_formats(text):
    with pytest.raises(ValueError, match=r"2025|period|calendar|starts|'/'|year|month"):
        parse_period(text)


def test_saving_derives_period_bounds_and_validation_names_the_formats():
    observation = ObservationFactory(period="2025-Q2")
    assert observation.period_start == datetime.date(2025, 4, 1)
    assert observation.period_end == datetime.date(2025, 6, 30)
    observation.period = "Q2 2025"
    with pytest.raises(ValidationError) as error:
        observation.full_clean()
    assert "2025-Q1" in str(error.value.message_dict["period"])


def test_latest_per_indicator_keeps_the_whole_latest_breakdown():
    region = RegionFactory()
    arrivals, shares = IndicatorFactory(), IndicatorFactory(breakdown_label="Nationality")
    ObservationFactory(indicator=arrivals, region=region, period="2023", value=5)
    latest = ObservationFactory(indicator=arrivals, region=region, period="2024-Q1", value=7)
    ObservationFactory(indicator=arrivals, region=RegionFactory(), period="2025", value=9)
    ObservationFactory(indicator=shares, region=region, period="2023", category="Syria", value=1)
    syria = ObservationFactory(indicator=shares, region=region, period="2024", category="Syria")
    egypt = ObservationFactory(indicator=shares, region=region, period="2024", category="Egypt")

    result = set(Observation.objects.latest_per_indicator(region))

    assert result == {latest, syria, egypt}


def test_latest_per_indicator_per_country_scope_and_empty_area():
    country, other = CountryFactory(), CountryFactory()
    featured, plain = IndicatorFactory(is_featured=True), IndicatorFactory()
    ObservationFactory(indicator=featured, country=country, region=None, period="2022", value=1)
    mine = ObservationFactory(
        indicator=featured, country=country, region=None, period="2023", value=2
    )
    ObservationFactory(indicator=featured, country=other, region=None, period="2030", value=3)
    ObservationFactory(indicator=plain, country=country, region=None, period="2031", value=4)

    featured_only = Indicator.objects.filter(is_featured=True)
    result = list(Observation.objects.latest_per_indicator(country, indicators=featured_only))
    assert result == [mine]  # the other country's later period is not this one's latest
    assert len(Observation.objects.latest_per_indicator(country)) == 2  # featured and plain
    assert list(Observation.objects.latest_per_indicator(CountryFactory())) == []
