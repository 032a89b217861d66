"""A rate: numerator / denominator x scale, rounded half up to the derived indicator's
decimals, only where both inputs have an exact value for the same area, period, category and
area label; a rate over a total is computed after the total."""

from decimal import Decimal
from statistics.derived import recompute, recompute_for
from statistics.models import DerivationMethod, Observation, ObservationStatus, ValueQualifier

import pytest

from tests.factories import IndicatorFactory, SourceFactory

from .build import derive, figures, put, total_of, value_of

pytestmark = pytest.mark.django_db

KOSOVO_LABEL = "Serbia and Kosovo: S/RES/1244 (1999)"


@pytest.fixture
def world_bank(db):
    return SourceFactory(name="World Development Indicators", publisher="World Bank")


@pytest.fixture
def population(db):
    return IndicatorFactory(name="Population", unit="people")


@pytest.fixture
def per_thousand(db):
    return IndicatorFactory(
        name="Refugees hosted per 1,000 inhabitants", unit="per 1,000", decimals=1
    )


def per_capita(per_thousand, hosted_total, population):
    return derive(per_thousand, DerivationMethod.RATIO, hosted_total, population, scale=1000)


def test_a_rate_per_thousand_inhabitants_rounded_half_up_to_the_indicators_decimals(
    country, unhcr, world_bank, hosted_total, population, per_thousand
):
    put(hosted_total, country, "2024", "", 2940735, source=unhcr)
    put(population, country, "2024", "", 85518661, source=world_bank)
    put(hosted_total, country, "2023", "", 1, source=unhcr)
    put(population, country, "2023", "", 4000, source=world_bank)  # 0.25 -> 0.3, not 0.2

    recompute(per_capita(per_thousand, hosted_total, population))

    stored = Observation.objects.get(indicator=per_thousand, period="2024")
    assert stored.value == Decimal("34.4")  # 34.3871...
    assert stored.source == unhcr
    assert stored.is_derived
    assert stored.note == (
        "Refugees hosted, all origins ÷ Population × 1,000; Population: World Bank."
    )
    assert value_of(per_thousand, "2023") == Decimal("0.3")


def test_a_rate_is_stored_only_where_both_inputs_have_a_value(
    country, hosted_total, population, per_thousand
):
    put(hosted_total, country, "2024", "", 100)
    put(hosted_total, country, "2023", "", 100)  # no population for 2023
    put(population, country, "2022", "", 1000)  # no refugees for 2022
    put(hosted_total, country, "2021", "", None, status=ObservationStatus.NOT_AVAILABLE)
    put(population, country, "2021", "", 1000)
    put(hosted_total, country, "2020", "", 100)
    put(population, country, "2020", "", 0)
    put(population, country, "2024", "", 1000)

    result = recompute(per_capita(per_thousand, hosted_total, population))

    assert figures(per_thousand).keys() == {("2024", "")}
    assert value_of(per_thousand, "2024") == 100
    assert result.refused == {"no_denominator": 1, "no_value": 1, "zero_denominator": 1}


def test_a_rate_divides_each_category_by_the_same_category(country, unhcr):
    recognised = IndicatorFactory(name="Recognised", unit="people")
    decided = IndicatorFactory(name="Decisions", unit="people")
    rate = IndicatorFactory(name="Recognition rate", unit="%", decimals=1)
    put(recognised, country, "2024", "Syria", 2)
    put(decided, country, "2024", "Syria", 3)
    put(recognised, country, "2024", "Iraq", 1)
    put(decided, country, "2024", "Iraq", 8)
    put(decided, country, "2024", "", 11)  # not a denominator of any category

    recompute(derive(rate, DerivationMethod.RATIO, recognised, decided, scale=100))

    assert value_of(rate, "2024", "Syria") == Decimal("66.7")
    assert value_of(rate, "2024", "Iraq") == Decimal("12.5")
    assert value_of(rate, "2024") is None


def test_a_qualified_input_gives_no_rate(country, hosted_total, population, per_thousand):
    put(hosted_total, country, "2024", "", 100, qualifier=ValueQualifier.MORE_THAN)
    put(population, country, "2024", "", 1000)
    result = recompute(per_capita(per_thousand, hosted_total, population))
    assert figures(per_thousand) == {}
    assert result.refused == {"qualified": 1}


def test_a_figure_under_a_shared_label_is_never_divided_by_the_areas_own(
    country, hosted_total, population, per_thousand
):
    """UNHCR's Serbia-and-Kosovo figure over the World Bank's Serbia (without Kosovo)."""
    put(hosted_total, country, "2024", "", 36068, area_label=KOSOVO_LABEL)
    put(population, country, "2024", "", 6586476)
    result = recompute(per_capita(per_thousand, hosted_total, population))
    assert figures(per_thousand) == {}
    assert result.refused == {"area_labels": 1}


def test_a_rate_takes_the_weakest_status_of_its_two_inputs(
    country, hosted_total, population, per_thousand
):
    put(hosted_total, country, "2024", "", 100, status=ObservationStatus.FINAL)
    put(population, country, "2024", "", 1000, status=ObservationStatus.ESTIMATED)
    recompute(per_capita(per_thousand, hosted_total, population))
    assert figures(per_thousand)["2024", ""].status == ObservationStatus.ESTIMATED


def test_a_rate_over_a_total_follows_a_change_of_the_totals_inputs(
    country, hosted, hosted_total, population, per_thousand
):
    """Dependency order: the rate is recomputed after the total it divides."""
    syria = put(hosted, country, "2024", "Syria", 600)
    put(hosted, country, "2024", "Iraq", 400)
    put(population, country, "2024", "", 10000)
    # Defined rate first: its recompute must still wait for the total.
    rate = per_capita(per_thousand, hosted_total, population)
    total_of(hosted_total, hosted)
    recompute_for([hosted.pk])
    assert value_of(per_thousand, "2024") == 100

    syria.value = 1600
    syria.save()
    written = recompute_for([hosted.pk])

    assert written == 2  # the total and the rate
    assert value_of(hosted_total, "2024") == 2000
    assert value_of(per_thousand, "2024") == 200
    rate.refresh_from_db()
    assert rate.computed_at is not None
