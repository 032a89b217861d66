"""The SDMX-CSV 2.0 files, read back with sdmx1 against the published structure: every
value, status, qualifier and period of the shared demo's indicators as in the database, one
indicator at a time and a selection at once; derived figures with their status."""

import csv
import io
from statistics.models import Indicator, Observation

import pytest
from django.urls import reverse

from regions.models import Country
from tests.factories import IndicatorFactory, ObservationFactory

from .reading import assert_matches_database, read_data, read_structure

pytestmark = pytest.mark.django_db


def public(**filters):
    return list(Observation.objects.public().filter(**filters).with_related())


def test_every_indicator_reads_back_as_in_the_database(client, demo):
    structure = read_structure(client)
    indicators = list(Indicator.objects.all())
    assert indicators
    periods = set()
    for indicator in indicators:
        url = reverse("statistics:indicator-sdmx", args=[indicator.code])
        rows, response = read_data(client, url, structure)
        observations = public(indicator=indicator)
        assert_matches_database(rows, observations, structure)
        assert response["Content-Disposition"].startswith(f'attachment; filename="{indicator.code}')
        assert response["Content-Disposition"].split(";")[1].strip().endswith('_sdmx.csv"')
        periods |= {key["TIME_PERIOD"] for key, _value, _attributes in rows}
    # The demo has years, a month and a range: the range is SDMX's start and length.
    assert {"2024", "2025-03", "2016-01-01/P9Y5M"} <= periods


def test_file_columns_and_structure_reference(client, demo):
    indicator = Indicator.objects.filter(observations__isnull=False).first()
    response = client.get(reverse("statistics:indicator-sdmx", args=[indicator.code]))
    lines = response.content.decode("utf-8").splitlines()
    assert lines[0] == (
        "STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,CATEGORY,TIME_PERIOD,OBS_VALUE,"
        "OBS_STATUS,VALUE_QUALIFIER,UNIT_MEASURE,SOURCE,COMPUTED,AREA_LABEL,COMMENT_OBS"
    )
    assert all(line.startswith("dataflow,WBPORTAL:DF_INDICATORS(1.0),I,") for line in lines[1:])
    assert not response.content.startswith(b"\xef\xbb\xbf")
    assert "/statistics/sdmx/structure.xml" in response["Link"]


def test_a_selection_of_indicators_in_one_file(client, demo, django_assert_max_num_queries):
    structure = read_structure(client)
    chosen = sorted(
        Indicator.objects.filter(observations__isnull=False)
        .distinct()
        .values_list("code", flat=True)
    )[:3]
    assert len(chosen) == 3
    url = reverse("statistics:sdmx-data") + "?indicators=" + ",".join(chosen)
    with django_assert_max_num_queries(3):
        client.get(url)
    rows, response = read_data(client, url, structure)
    assert_matches_database(rows, public(indicator__code__in=chosen), structure)
    assert {key["INDICATOR"] for key, _v, _a in rows} == set(chosen)
    assert 'filename="3-indicators_' in response["Content-Disposition"]


def test_another_spelling_of_a_selection_goes_to_the_canonical_one(client, demo):
    codes = sorted(Indicator.objects.values_list("code", flat=True))[:2]
    url = reverse("statistics:sdmx-data")
    for query in (
        f"?indicators={codes[1]},{codes[0]}",
        f"?indicators={codes[0]},{codes[1]},{codes[0]}",
        f"?indicators={codes[0]}&indicators={codes[1]}",
        f"?indicators=%20{codes[0]},,{codes[1]}",
    ):
        response = client.get(url + query)
        assert response.status_code == 302, query
        assert response["Location"] == f"{url}?indicators={codes[0]},{codes[1]}"


def test_derived_figures_qualifiers_and_missing_values(client, demo):
    """A derived figure keeps its status and is marked as the portal's computation; a
    qualifier and a cell without a number come through as such."""
    indicator = IndicatorFactory(code="asylum-rate", unit="per 1,000 inhabitants")
    kwargs = {"indicator": indicator, "country": demo_country(), "region": None}
    ObservationFactory(period="2024", value="1.25", status="estimated", is_derived=True, **kwargs)
    ObservationFactory(period="2023", value="12", qualifier="about", status="final", **kwargs)
    ObservationFactory(period="2022", value=None, status="suppressed", **kwargs)
    ObservationFactory(period="2021", value=None, status="not_available", **kwargs)
    ObservationFactory(period="2024-Q3", value="-3.5", category="Côte d'Ivoire", **kwargs)
    serbia = Country.objects.get(iso_code="RS")
    label = "Serbia and Kosovo: S/RES/1244 (1999)"
    ObservationFactory(indicator=indicator, country=serbia, region=None, area_label=label)
    structure = read_structure(client)
    url = reverse("statistics:indicator-sdmx", args=[indicator.code])
    rows, _response = read_data(client, url, structure)
    assert_matches_database(rows, public(indicator=indicator), structure)
    by_period = {
        key["TIME_PERIOD"]: (value, attrs) for key, value, attrs in rows if key["REF_AREA"] == "AL"
    }
    assert by_period["2024"][1]["COMPUTED"] == "PORTAL"
    assert by_period["2024"][1]["OBS_STATUS"] == "E"
    assert by_period["2023"][1]["VALUE_QUALIFIER"] == "ABOUT"
    assert by_period["2022"] == ("", by_period["2022"][1])
    assert by_period["2022"][1]["OBS_STATUS"] == "Q"
    assert by_period["2021"][1]["OBS_STATUS"] == "O"
    assert by_period["2024-Q3"][0] == "-3.5"
    labelled = [attrs for key, _value, attrs in rows if key["REF_AREA"] == "RS"]
    assert [attrs["AREA_LABEL"] for attrs in labelled] == [label]


def demo_country():
    return Country.objects.public().get(iso_code="AL")


def test_indicator_page_links_to_the_sdmx_files(client, demo):
    indicator = Indicator.objects.first()
    html = client.get(indicator.get_absolute_url()).content.decode()
    assert f'href="/statistics/{indicator.code}/sdmx.csv"' in html
    assert 'href="/statistics/sdmx/structure.xml"' in html
    assert "SDMX-CSV" in html and "SDMX structure (DSD)" in html


def test_places_chosen_on_the_page_as_the_other_downloads(client, demo):
    structure = read_structure(client)
    indicator = Indicator.objects.get(code="population")
    url = reverse("statistics:indicator-sdmx", args=[indicator.code])
    rows, _response = read_data(client, url + "?places=AL,RS", structure)
    chosen = public(indicator=indicator, country__iso_code__in=["AL", "RS"])
    assert_matches_database(rows, chosen, structure)
    assert {key["REF_AREA"] for key, _v, _a in rows} == {"AL", "RS"}
    assert client.get(url + "?places=RS,AL")["Location"] == url + "?places=AL,RS"
    assert client.get(url + "?places=ZZ").status_code == 404


def test_a_note_over_several_lines_stays_one_field(client, demo):
    """RFC 4180 quoting, as SDMX-CSV asks. (sdmx1 2.28 splits its input into lines before
    parsing the CSV, so it joins such a field's lines: read here with Python's csv.)"""
    indicator = IndicatorFactory(code="noted")
    note = 'First line, "quoted".\r\nSecond line.'
    ObservationFactory(indicator=indicator, country=demo_country(), region=None, note=note)
    response = client.get(reverse("statistics:indicator-sdmx", args=[indicator.code]))
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8"), newline=""))
    assert [row["COMMENT_OBS"] for row in reader] == [note]
