"""A figure the portal computed says so, and owes its inputs' sources, as on its page."""

from statistics.derived import recompute
from statistics.models import DerivationMethod

from tests.api.conftest import get_json
from tests.factories import IndicatorFactory, ObservationFactory, SourceFactory
from tests.statistics.derived.build import derive


def test_a_computed_figure_says_so_and_names_its_inputs_sources(world, api):
    population_source = SourceFactory(code="api-population-source", name="Api population")
    population = IndicatorFactory(code="api-population", unit="people")
    ObservationFactory(
        indicator=population,
        country=world.serbia,
        region=None,
        period="2020",
        value=7_000_000,
        source=population_source,
    )
    rate = IndicatorFactory(code="api-rate", unit="per 1,000", decimals=1)
    recompute(derive(rate, DerivationMethod.RATIO, world.indicator, population, scale=1000))

    [figure] = get_json(api, "/api/v1/observations?indicator=api-rate")["results"]
    assert figure["computed"] is True
    # Stored with its numerator's source: alone, that would credit the rate to UNHCR.
    assert figure["source"]["code"] == "api-source"
    imported = get_json(api, "/api/v1/observations?indicator=api-arrivals&limit=1")["results"]
    assert imported[0]["computed"] is False

    sources = get_json(api, "/api/v1/indicators/api-rate")["sources"]
    assert [s["code"] for s in sources] == ["api-population-source", "api-source"]
    listed = get_json(api, "/api/v1/indicators?limit=1000")["results"]
    [row] = [r for r in listed if r["code"] == "api-rate"]
    assert [s["code"] for s in row["sources"]] == ["api-population-source", "api-source"]
