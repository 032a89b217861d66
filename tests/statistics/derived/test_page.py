"""The indicator page of a derived indicator says how its figures are computed and from
what: the inputs linked, each with its sources and their terms; others say nothing of it."""

import io
import re
import zipfile
from statistics.derived import recompute, recompute_for
from statistics.models import DerivationMethod

import pytest
from django.urls import reverse

from tests.factories import IndicatorFactory, SourceFactory

from .build import derive, put, total_of

pytestmark = pytest.mark.django_db


def page(client, indicator):
    response = client.get(reverse("statistics:indicator-detail", args=[indicator.code]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_totals_page_names_its_input_its_source_and_when_totals_are_shown(
    client, country, unhcr, hosted, hosted_total
):
    put(hosted, country, "2024", "Syria", 600, source=unhcr)
    put(hosted, country, "2024", "Iraq", 400, source=unhcr)
    recompute(total_of(hosted_total, hosted, explanation="UNHCR counts at the end of the year."))

    html = page(client, hosted_total)

    assert "How these figures are computed" in html
    assert (
        "for each area and period, the sum of the categories (origin) of "
        f'<a href="{hosted.get_absolute_url()}">Refugees hosted</a>.'
    ) in html
    assert "A total is shown only where every category has a value" in html
    assert "UNHCR counts at the end of the year." in html
    assert "Refugees hosted</a>: UNHCR. Licence: CC BY 4.0." in html
    assert "1,000" in html  # the total itself


def test_a_rates_page_names_both_inputs_the_scale_and_the_area_rule(
    client, country, unhcr, hosted_total
):
    world_bank = SourceFactory(publisher="World Bank", licence="CC BY 4.0")
    population = IndicatorFactory(name="Population", unit="people")
    rate = IndicatorFactory(name="Refugees per 1,000 inhabitants", unit="per 1,000", decimals=1)
    put(hosted_total, country, "2024", "", 100, source=unhcr)
    put(population, country, "2024", "", 1000, source=world_bank)
    derive(rate, DerivationMethod.RATIO, hosted_total, population, scale=1000)
    recompute_for([population.pk])

    html = page(client, rate)

    assert (
        f'<a href="{hosted_total.get_absolute_url()}">Refugees hosted, all origins</a> divided '
        f'by <a href="{population.get_absolute_url()}">Population</a>, times 1,000. Each '
        "rate is rounded half up to 1 decimal place."
    ) in html
    assert "Serbia and Kosovo: S/RES/1244 (1999)" in html
    assert "Population</a>: World Bank. Licence: CC BY 4.0." in html
    assert "100.0" in html


def test_an_imported_indicators_page_says_nothing_of_computing(client, country, hosted):
    put(hosted, country, "2024", "Syria", 600)
    assert "How these figures are computed" not in page(client, hosted)


def test_a_breakdown_naming_unhcr_keeps_its_capitals_in_sentences_and_chart_titles(
    client, country, unhcr, hosted, hosted_total
):
    hosted.breakdown_label = "Country of origin (as UNHCR names it)"
    hosted.save()
    put(hosted, country, "2024", "Syria", 600, source=unhcr)
    put(hosted, country, "2024", "Iraq", 400, source=unhcr)
    recompute(total_of(hosted_total, hosted))

    total_page = page(client, hosted_total)
    assert "the sum of the categories (country of origin (as UNHCR names it)) of" in total_page
    by_origin = page(client, hosted)
    assert "by country of origin (as UNHCR names it)</" in by_origin
    assert "as unhcr names it" not in by_origin and "as unhcr names it" not in total_page


def test_a_rates_sources_and_attribution_name_its_denominators_source_too(
    client, country, unhcr, hosted_total
):
    world_bank = SourceFactory(
        name="World Development Indicators", publisher="World Bank", licence="CC BY 4.0"
    )
    population = IndicatorFactory(name="Population", unit="people")
    rate = IndicatorFactory(name="Refugees per 1,000 inhabitants", unit="per 1,000", decimals=1)
    put(hosted_total, country, "2024", "", 100, source=unhcr)
    put(population, country, "2024", "", 1000, source=world_bank)
    derive(rate, DerivationMethod.RATIO, hosted_total, population, scale=1000)
    recompute_for([population.pk])

    html = page(client, rate)
    sources = re.search(r"<dt>Sources</dt><dd>(.*?)</dd>", html).group(1)
    assert "UNHCR" in sources and "World Bank" in sources

    document = client.get(reverse("statistics:indicator-json", args=[rate.code])).json()
    assert "World Bank" in str(document)
    assert {"UNHCR", "World Bank"} <= {s.get("publisher") for s in document["sources"]}

    archive = client.get(reverse("statistics:indicator-zip", args=[rate.code])).content
    readme = zipfile.ZipFile(io.BytesIO(archive)).read("README.md").decode()
    assert "World Development Indicators" in readme
