"""Comparing places on an indicator page (statistics/compare.py): the places chosen, a
logarithmic value axis, small multiples and the wide table, all in the address (canonical,
bounded), applied alike to the chart, the tables, the chart files, the embed and the data
downloads, without a query more per place."""

import csv
import io
import re
from statistics.charts import geometry
from statistics.models import Derivation

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.factories import (
    CountryFactory,
    IndicatorFactory,
    ObservationFactory,
    RegionFactory,
)
from tests.statistics.test_views import _grow

pytestmark = pytest.mark.django_db


def url(code="population", query=""):
    return reverse("statistics:indicator-detail", args=[code]) + query


def html_of(client, address):
    response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
    return response.content.decode()


def section(html, anchor):
    return html.split(f'<section id="{anchor}"')[1].split("</section>")[0]


# --- the address: parsed, bounded, canonical -------------------------------------------------


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("?places=TR,AL", "?places=AL,TR"),
        ("?places=tr&places=al", "?places=AL,TR"),
        ("?places=AL,TR,AL", "?places=AL,TR"),
        ("?view=multiples&places=TR,AL&axis=log", "?axis=log&places=AL,TR&view=multiples"),
        ("?places=AL,BA,ME,MK,RS,TR,XK", ""),  # every place: the page itself
        ("?axis=linear&view=lines", ""),  # the defaults are not written
    ],
)
def test_equivalent_addresses_lead_to_one_canonical_address(client, demo, query, canonical):
    response = client.get(url(query=query))
    assert response.status_code == 302
    assert response["Location"] == url(query=canonical)
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "?places=AL,ZZ",
        "?places=" + "A" * 300,
        "?axis=cubic",
        "?view=pie",
        "?sort=1999",
        "?axis=log&axis=linear",
    ],
)
def test_unknown_places_and_options_are_dropped_and_said(client, demo, query):
    response = client.get(url(query=query))
    assert response.status_code == 302
    assert "ignored=1" in response["Location"]
    assert "ZZ" not in response["Location"] and "pie" not in response["Location"]
    html = html_of(client, response["Location"])
    assert "Some places or options in this address are not available" in html
    assert "not available" not in html_of(client, url())


def test_the_choices_are_bounded_by_the_indicators_own_areas(client, demo):
    html = html_of(client, url())
    form = html.split('<form class="compare-form"')[1].split("</form>")[0]
    codes = [part.split('"')[0] for part in form.split('name="places" value="')[1:]]
    assert codes == ["AL", "BA", "XK", "ME", "MK", "RS", "TR"]  # by name: Kosovo* third
    # A place of the portal that this indicator has no figures for is not on offer.
    other = IndicatorFactory(code="other")
    country = CountryFactory(iso_code="QQ", name="Q-land", slug="q-land")
    RegionFactory(code="QR", countries=[country])
    ObservationFactory(indicator=other, region=None, country=country)
    response = client.get(url(query="?places=QQ"))
    assert response["Location"] == url(query="?ignored=1")


def test_a_log_axis_is_not_offered_for_values_at_or_below_zero(client):
    indicator = IndicatorFactory(code="net", name="Net migration")
    region = RegionFactory(code="NR")
    a = CountryFactory(iso_code="NA", name="Aland", slug="aland")
    b = CountryFactory(iso_code="NB", name="Bland", slug="bland")
    region.countries.add(a, b)
    for year, (x, y) in {2022: (-500, 10), 2023: (300, 20000)}.items():
        ObservationFactory(indicator=indicator, region=None, country=a, period=str(year), value=x)
        ObservationFactory(indicator=indicator, region=None, country=b, period=str(year), value=y)
    html = html_of(client, url("net"))
    assert 'name="places"' in html and 'name="axis"' not in html
    response = client.get(url("net", "?axis=log"))
    assert response["Location"] == url("net", "?ignored=1")
    # Bland alone is all above zero and spans an order of magnitude: there it is offered.
    html = html_of(client, url("net", "?places=NB"))
    assert 'name="axis" value="log"' in html
    assert client.get(url("net", "?axis=log&places=NB")).status_code == 200


# --- the views ------------------------------------------------------------------------------


def test_log_ticks_are_powers_of_ten_around_the_values():
    assert geometry.log_ticks(623_525, 85_518_661) == [1e5, 1e6, 1e7, 1e8]
    assert geometry.log_ticks(1, 10) == [1, 10]
    assert geometry.log_ticks(3, 8) == [1, 10]  # never a single tick
    assert geometry.log_ticks(0.02, 4) == [0.01, 0.1, 1, 10]


def test_log_axis_is_labelled_and_said_on_the_chart_and_its_files(client, demo):
    html = html_of(client, url(query="?axis=log"))
    chart = section(html, "chart")
    assert "Population, by period and area, logarithmic scale" in chart
    wide_svg = chart.split('class="chart chart-wide"')[1].split("</svg>")[0]
    ticks = [
        part.split(">")[1].split("<")[0]
        for part in wide_svg.split('text-anchor="end" fill="#4a5562"')[1:]
    ]
    assert ticks == ["100,000", "1 million", "10 million", "100 million"]
    assert "each grid line is ten times the one below" in chart
    # Equal ratios, equal gaps: the grid lines are evenly spaced.
    ys = [float(part.split('"')[0]) for part in wide_svg.split(' y1="')[1:5]]
    gaps = [b - a for a, b in zip(ys, ys[1:], strict=False)]
    assert max(gaps) - min(gaps) < 0.25  # positions are rounded to 0.1
    files = reverse("statistics:indicator-chart-file-svg", args=["population", "chart"])
    assert f'href="{files}?axis=log"' in chart
    svg = client.get(f"{files}?axis=log").content.decode()
    assert "logarithmic scale" in svg and "100 million" in svg
    linear = client.get(files).content.decode()
    assert "logarithmic" not in linear


@pytest.mark.parametrize(
    ("view", "words", "panel"),
    [
        ("multiples", "own scale for each area", 'Population, Montenegro, by period"'),
        (
            "multiples-shared",
            "same scale for all areas",
            "Population, Montenegro, by period, on the same scale as the other areas&#x27; charts",
        ),
    ],
)
def test_small_multiples_one_chart_a_place_saying_which_axis(client, demo, view, words, panel):
    html = html_of(client, url(query=f"?places=ME,TR&view={view}"))
    chart = section(html, "chart")
    assert chart.count('<li class="multiple">') == 2
    assert f"Population, by period, one chart for each area, {words}" in chart
    assert panel in chart
    panels = chart.split('<li class="multiple">')[1:]
    montenegro = panels[0].split("</svg>")[0]
    # Its own axis reaches 800,000 (Montenegro: 0.6 million); the shared one 100 million.
    assert ("800,000" in montenegro) == (view == "multiples")
    assert ("100 million" in montenegro) == (view == "multiples-shared")
    files = reverse("statistics:indicator-chart-file-svg", args=["population", "chart-me"])
    assert f'href="{files}?places=ME,TR&amp;view={view}"' in chart
    svg = client.get(f"{files}?places=ME,TR&view={view}")
    assert svg.status_code == 200 and "Montenegro" in svg.content.decode()
    # The embed shows the same view.
    embed = reverse("statistics:indicator-embed", args=["population"])
    assert f"{embed}?places=ME,TR&amp;view={view}" in section(html, "download")
    embedded = html_of(client, f"{embed}?places=ME,TR&view={view}")
    assert embedded.count('<li class="multiple">') == 2 and words in embedded
    # The table below is the one long table of both places, and the wide one.
    table = section(html, "table")
    assert "Montenegro" in table and "Türkiye" in table and "Serbia" not in table


def test_small_multiples_need_several_places(client, demo):
    response = client.get(url(query="?places=TR&view=multiples"))
    assert response["Location"] == url(query="?ignored=1&places=TR")


def test_chosen_places_apply_to_chart_tables_map_files_embed_and_downloads(client, demo):
    html = html_of(client, url(query="?places=AL,RS"))
    chart, table, download = (section(html, s) for s in ("chart", "table", "download"))
    assert "Albania" in chart and "Serbia" in chart and "Türkiye</text>" not in chart
    assert "85,518,661" not in table and "6,586,476" in table and "2,377,128" in table
    for name in ("chart", "map"):
        svg = reverse("statistics:indicator-chart-file-svg", args=["population", name])
        assert f'href="{svg}?places=AL,RS"' in html
    embed = reverse("statistics:indicator-embed", args=["population"])
    assert f"{embed}?places=AL,RS" in download
    csv_url = reverse("statistics:indicator-csv", args=["population"])
    json_url = reverse("statistics:indicator-json", args=["population"])
    assert f'href="{csv_url}?places=AL,RS"' in download
    assert f'href="{json_url}?places=AL,RS"' in download
    embedded = html_of(client, f"{embed}?places=AL,RS")
    assert "2,377,128" in embedded and "85,518,661" not in embedded
    rows = csv_rows(client, f"{csv_url}?places=AL,RS")
    assert rows and {row["area"] for row in rows} == {"AL", "RS"}
    everything = csv_rows(client, csv_url)
    assert len({row["area"] for row in everything}) == 7


def test_downloads_keep_to_known_places_in_canonical_order(client, demo):
    csv_url = reverse("statistics:indicator-csv", args=["population"])
    response = client.get(f"{csv_url}?places=RS,AL")
    assert response.status_code == 302 and response["Location"] == f"{csv_url}?places=AL,RS"
    assert client.get(f"{csv_url}?places=ZZ").status_code == 404


def test_chart_files_refuse_unknown_choices(client, demo):
    svg = reverse("statistics:indicator-chart-file-svg", args=["population", "chart"])
    png = reverse("statistics:indicator-chart-file-png", args=["population", "chart"])
    assert client.get(f"{svg}?places=ZZ").status_code == 404
    assert client.get(f"{svg}?view=pie").status_code == 404
    assert client.get(f"{svg}?ignored=1").status_code == 404
    response = client.get(f"{svg}?places=RS,AL")
    assert response.status_code == 302 and response["Location"] == f"{svg}?places=AL,RS"
    response = client.get(f"{png}?places=AL,RS&scale=2")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert 'filename="population-AL-RS-chart-2x.png"' in response["Content-Disposition"]


def test_each_small_multiple_is_a_file_at_1200_and_2400_px(client, demo):
    """Small multiples: each place's chart is its own file, offered in both PNG sizes."""
    html = client.get(url("population", "?view=multiples")).content.decode()
    doubles = [
        link.replace("&amp;", "&")
        for link in re.findall(r'href="(/statistics/population/chart-[a-z]{2}\.png[^"]*)"', html)
        if "scale=2" in link
    ]
    assert len(doubles) >= 6  # one for each place of the region at least
    for link in doubles[:2]:
        response = client.get(link)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert Image.open(io.BytesIO(response.content)).size[0] == 2400
        assert response["Content-Disposition"].endswith('-2x.png"')
        single = client.get(link.replace("&scale=2", ""))
        assert Image.open(io.BytesIO(single.content)).size[0] == 1200


# --- the wide table -------------------------------------------------------------------------


@pytest.fixture
def marked():
    indicator = IndicatorFactory(code="asylum", name="Asylum applications")
    region = RegionFactory(code="MR")
    a = CountryFactory(iso_code="MA", name="Aland", slug="aland")
    b = CountryFactory(iso_code="MB", name="Bland", slug="bland")
    region.countries.add(a, b)
    rows = [
        (a, "2023", 50, "provisional", ""),
        (a, "2024", 70, "as_published", "more_than"),
        (b, "2023", 900, "estimated", ""),
        (b, "2024", 10, "as_published", ""),
    ]
    for country, period, value, status, qualifier in rows:
        ObservationFactory(
            indicator=indicator,
            region=None,
            country=country,
            period=period,
            value=value,
            status=status,
            qualifier=qualifier,
        )
    ObservationFactory(
        indicator=indicator,
        region=None,
        country=b,
        period="2022",
        value=None,
        status="suppressed",
    )
    return indicator


def csv_rows(client, address):
    response = client.get(address)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def wide_rows(html):
    table = html.split('<table class="data-table wide-table">')[1].split("</table>")[0]
    body = table.split("<tbody>")[1]
    return [row for row in body.split("<tr>")[1:]]


def test_wide_table_cells_keep_statuses_and_qualifiers(client, marked):
    html = html_of(client, url("asylum"))
    assert '<h3 id="wide-table">Places by period</h3>' in html
    head = html.split('<table class="data-table wide-table">')[1].split("</thead>")[0]
    assert [p for p in ("2022", "2023", "2024") if f">{p}<" in head] == ["2022", "2023", "2024"]
    aland, bland = wide_rows(html)
    assert "Aland" in aland and "Bland" in bland  # by name
    assert "more than 70" in aland
    assert '<span class="status-mark" aria-hidden="true">p</span>' in aland
    assert '<span class="visually-hidden"> (provisional)</span>' in aland
    assert '<span class="status-mark" aria-hidden="true">e</span>' in bland
    assert "suppressed" in bland
    assert "no figure" in aland  # Aland has nothing for 2022
    assert "p</span> provisional" in html and "e</span> estimated" in html  # the key
    assert 'class="scroll-cue"' in html


def test_wide_table_sorts_on_the_server(client, marked):
    html = html_of(client, url("asylum"))
    head = html.split('<table class="data-table wide-table">')[1].split("</thead>")[0]
    assert f'href="{url("asylum", "?sort=2023#wide-table")}"' in head
    assert 'aria-sort="ascending"' in head
    html = html_of(client, url("asylum", "?sort=2024"))
    aland, bland = wide_rows(html)  # 70 before 10
    assert "Aland" in aland
    html = html_of(client, url("asylum", "?sort=2023"))
    first, second = wide_rows(html)  # 900 before 50
    assert "Bland" in first
    head = html.split('<table class="data-table wide-table">')[1].split("</thead>")[0]
    assert 'aria-sort="descending"' in head
    assert "sorted by 2023, largest first" in html


# --- per 1,000 inhabitants ------------------------------------------------------------------


def test_per_capita_is_offered_only_where_the_portal_derives_it(client, marked):
    html = html_of(client, url("asylum", "?places=MA"))
    assert "Per 1,000 inhabitants" not in html
    population = IndicatorFactory(code="pop", name="Population")
    rate = IndicatorFactory(code="asylum-rate", name="Asylum applications per 1,000 inhabitants")
    Derivation.objects.create(
        indicator=rate, method="ratio", numerator=marked, denominator=population, scale=1000
    )
    html = html_of(client, url("asylum", "?sort=2023"))
    assert f'<a href="{url("asylum-rate")}">Asylum applications per 1,000' in html
    html = html_of(client, url("asylum", "?places=MA"))
    assert f'<a href="{url("asylum-rate", "?places=MA")}">' in html
    # The rate's page links back to the absolute numbers.
    ObservationFactory(indicator=rate, region=None, country=marked.observations.first().country)
    ObservationFactory(
        indicator=rate, region=None, country=marked.observations.last().country, value=3
    )
    back = html_of(client, url("asylum-rate"))
    assert f'Absolute numbers: <a href="{url("asylum")}">Asylum applications</a>' in back


# --- speed ----------------------------------------------------------------------------------


@pytest.mark.parametrize("factor", [1, 10])
def test_compare_options_add_no_query(client, demo, factor, django_assert_num_queries):
    _grow(factor)
    # As the page without a choice (tests/statistics/test_views.py, its dataset record's two
    # queries included): the choice is read against the figures the page reads anyway.
    # ... and the next scheduled change, which caps how long its charts are kept (read once a
    # generation and process, so by the first render only; the page cache reads the same).
    with django_assert_num_queries(11):
        html_of(client, url("grown", "?view=multiples"))
    with django_assert_num_queries(10):
        html_of(client, url("population", "?places=AL,BA,ME,RS&view=multiples-shared"))
    with django_assert_num_queries(10):
        html_of(client, url("population", "?places=AL,RS&sort=2020"))


def test_the_page_cache_keeps_choices_apart_and_follows_the_redirect(settings, demo):
    """The compare parameters are among those the page cache keys on: a choice is never
    served for another, and a form's address (repeated places) lands on the one cached copy
    of its canonical address."""
    settings.PAGE_CACHE = True
    visitor = Client()
    for _round in range(2):
        chosen = visitor.get(url(query="?places=RS&places=AL&utm=x"), follow=True)
        assert chosen.redirect_chain[-1][0] == url(query="?places=AL,RS")
        assert "85,518,661" not in section(chosen.content.decode(), "table")
        log = visitor.get(url(query="?axis=log"))
        assert "logarithmic scale" in log.content.decode()
        everything = visitor.get(url())
        assert "85,518,661" in section(everything.content.decode(), "table")
        assert "logarithmic scale" not in everything.content.decode()
    assert {chosen["X-Page-Cache"], log["X-Page-Cache"], everything["X-Page-Cache"]} == {"hit"}


def test_one_place_dwarfing_the_others_is_said_with_what_helps(client, demo):
    html = html_of(client, url())
    assert (
        "The latest figure of Türkiye is 137 times that of Montenegro: on one linear axis "
        "the smaller places look flat." in html
    )
    assert f'<a href="{url(query="?axis=log#chart")}">Show a logarithmic axis</a>' in html
    assert f'<a href="{url(query="?view=multiples#chart")}">Show a small chart' in html
    for query in ("?axis=log", "?view=multiples", "?places=AL,BA"):
        assert "look flat" not in html_of(client, url(query=query))
