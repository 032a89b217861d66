"""Indicator charts: which chart the data gets, what it marks, and what its table says.

Builders are tested on observations read back from the database (as the page reads them);
the page through the test client.
"""

import re
import xml.etree.ElementTree as ET
from statistics.charts import LATEST_PERIODS, chart_for, charts_for, files, geometry, map_bins
from statistics.models import Observation

import pytest
from django.urls import reverse

from pages.models import SiteSettings
from regions.models import Country
from tests.factories import (
    IndicatorFactory,
    ObservationFactory,
    RegionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def shown(indicator):
    return list(Observation.objects.filter(indicator=indicator).public().with_related())


def build(indicator, **kwargs):
    return charts_for(indicator, shown(indicator), **kwargs)


def page(client, code):
    response = client.get(reverse("statistics:indicator-detail", args=[code]))
    assert response.status_code == 200
    return response.content.decode()


def wide_svg(chart):
    """The chart's drawing as a chart file has it, parsed (well-formed XML on its own)."""
    return files.plot_drawing(chart, geometry.WIDE).element


def texts(root):
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


@pytest.fixture
def region():
    return RegionFactory(name="Western Balkans", code="WB")


@pytest.fixture
def indicator():
    return IndicatorFactory(code="arrivals", name="Arrivals", unit="people")


def series(indicator, area, values, status="as_published", **kwargs):
    for year, value in values.items():
        ObservationFactory(
            indicator=indicator,
            region=area,
            period=str(year),
            value=value,
            status=status,
            **kwargs,
        )


# --- choosing the chart ------------------------------------------------------------------


def test_one_value_is_a_big_number_with_qualifier_unit_period_status_and_source(
    client, region, indicator
):
    source = SourceFactory(name="IOM")
    ObservationFactory(
        indicator=indicator,
        region=region,
        period="2025-03",
        value=1200,
        qualifier="more_than",
        status="estimated",
        source=source,
    )
    [chart] = build(indicator)
    assert chart.kind == "number"
    assert chart.tile.value_text == "more than 1,200"
    assert (chart.tile.unit, chart.tile.period_text, chart.tile.status_text) == (
        "people",
        "March 2025",
        "Estimated",
    )
    html = page(client, "arrivals")
    assert '<p class="number-value" id="chart-0-number">more than 1,200' in html
    assert "<svg" not in html.split('id="chart-0-heading"')[1].split("</figure>")[0]
    assert "Source: IOM" in html
    # The tile's standalone drawing says the same.
    assert "more than 1,200 people" in texts(wide_svg(chart))


def test_several_periods_of_one_area_are_a_line(region, indicator):
    series(indicator, region, {2021: 10, 2022: 30, 2023: 20})
    [chart] = build(indicator)
    assert chart.kind == "line"
    assert [view.name for view in chart.views] == ["narrow", "wide"]
    [line] = chart.views[1].series
    assert line.path.count("M") == 1 and line.path.count("L") == 2
    assert [label.text for label in chart.views[1].x_ticks] == ["2021", "2022", "2023"]
    assert chart.title == "Arrivals, Western Balkans, by period"


def test_several_areas_over_time_are_one_line_each_with_direct_labels(region, indicator):
    other = RegionFactory(name="Türkiye region", code="TRR")
    series(indicator, region, {2021: 10, 2022: 30})
    series(indicator, other, {2021: 15, 2022: 25})
    [chart] = build(indicator)
    assert chart.kind == "line"
    wide = chart.views[1]
    assert [s.label.text for s in wide.series] == ["Türkiye region", "Western Balkans"]
    assert len({s.colour for s in wide.series}) == 2
    assert chart.table.has_area and len(chart.table.rows) == 4


def test_one_period_of_several_areas_is_sorted_bars(region, indicator):
    ObservationFactory(indicator=indicator, region=region, value=5)
    ObservationFactory(indicator=indicator, region=RegionFactory(name="Bigger"), value=50)
    [chart] = build(indicator)
    assert chart.kind == "bars"
    assert [bar.label.text for bar in chart.views[1].bars] == ["Bigger", "Western Balkans"]


def test_a_breakdown_is_bars_largest_first_with_shares(region):
    indicator = IndicatorFactory(breakdown_label="Nationality")
    ObservationFactory(indicator=indicator, region=region, value=200)
    for name, value in (("Syria", 50), ("Afghanistan", 150)):
        ObservationFactory(indicator=indicator, region=region, category=name, value=value)
    charts = build(indicator)
    # A total of one period next to a breakdown: the breakdown is the chart.
    assert [chart.kind for chart in charts] == ["bars"]
    bars = charts[0].views[0].bars
    assert [bar.label.text for bar in bars] == ["Afghanistan", "Syria"]
    assert bars[0].value.text == "150 (75%)"
    assert [row.share_text for row in charts[0].table.rows] == ["75%", "25%"]


def test_chart_for_is_the_first_chart_and_none_without_data(region, indicator):
    assert chart_for(indicator, []) is None
    series(indicator, region, {2021: 10, 2022: 30})
    assert chart_for(indicator, shown(indicator)).kind == "line"


# --- statuses, qualifiers, values without a number ----------------------------------------


def test_provisional_estimated_and_qualified_points_are_marked_and_explained(region, indicator):
    series(indicator, region, {2020: 10})
    series(indicator, region, {2021: 12}, status="provisional")
    series(indicator, region, {2022: 14}, status="estimated", qualifier="more_than")
    [chart] = build(indicator)
    points = chart.views[1].series[0].points
    assert [(p.marker, p.glyph) for p in points] == [
        ("plain", ""),
        ("provisional", ""),
        ("estimated", ">"),
    ]
    root = wide_svg(chart)
    drawn = ET.tostring(root, encoding="unicode")
    assert 'r="4.5" fill="#ffffff"' in drawn  # the open circle
    assert 'd="M0,-5.5L5.5,0L0,5.5L-5.5,0Z" fill="#ffffff"' in drawn  # the open diamond
    assert {"Provisional", "Estimated", "More than the value shown"} <= set(texts(root))
    assert "more than 14" in texts(root)  # the last value, written with its qualifier
    assert "Marked: provisional, estimated, more than the value shown." in chart.description


def test_no_legend_and_no_status_column_when_nothing_needs_them(client, region, indicator):
    series(indicator, region, {2020: 10, 2021: 12})
    [chart] = build(indicator)
    assert chart.legend == [] and chart.views[1].legend == []
    assert not chart.table.has_status
    html = page(client, "arrivals")
    assert "Provisional" not in html and "Estimated" not in html
    assert '<th scope="col">Status</th>' not in html


def test_estimated_bars_are_marked_too(region):
    indicator = IndicatorFactory(breakdown_label="Nationality")
    for name, value, status in (("A", 5, "estimated"), ("B", 9, "provisional"), ("C", 7, "")):
        ObservationFactory(
            indicator=indicator,
            region=region,
            category=name,
            value=value,
            status=status or "as_published",
        )
    [chart] = build(indicator)
    assert [(bar.label.text, bar.marker) for bar in chart.views[1].bars] == [
        ("B", "provisional"),
        ("C", "plain"),
        ("A", "estimated"),
    ]
    drawn = ET.tostring(wide_svg(chart), encoding="unicode")
    assert 'stroke-dasharray="4 2"' in drawn and "-hatch)" in drawn
    assert [kind for kind, _text, _glyph in chart.legend] == ["provisional", "estimated"]


def test_values_without_a_number_are_gaps_in_the_line_and_named_in_the_table(
    client, region, indicator
):
    series(indicator, region, {2020: 10, 2022: 14, 2023: 15})
    ObservationFactory(
        indicator=indicator, region=region, period="2021", value=None, status="not_available"
    )
    [chart] = build(indicator)
    [line] = chart.views[1].series
    assert line.path.count("M") == 2  # the line stops at 2021 and starts again
    assert len(line.points) == 3
    assert [row.value_text for row in chart.table.rows] == ["10", "not available", "14", "15"]
    html = page(client, "arrivals")
    assert '<td class="number"><span class="no-value">not available</span></td>' in html
    assert "<td>Not available</td>" in html


def test_suppressed_bars_are_not_drawn_but_listed(region):
    indicator = IndicatorFactory(breakdown_label="Nationality")
    ObservationFactory(indicator=indicator, region=region, category="Shown", value=9)
    ObservationFactory(
        indicator=indicator, region=region, category="Hidden", value=None, status="suppressed"
    )
    [chart] = build(indicator)
    assert [bar.label.text for bar in chart.views[1].bars] == ["Shown"]
    assert [(row.header, row.value_text) for row in chart.table.rows] == [
        ("Shown", "9"),
        ("Hidden", "suppressed"),
    ]
    assert "not drawn" in chart.description


# --- the time axis --------------------------------------------------------------------------


def test_periods_of_different_lengths_sit_on_one_true_time_axis(region, indicator):
    """A month is drawn inside its year, a year at its middle, and a range across its span."""
    series(indicator, region, {2020: 100, 2022: 120})
    ObservationFactory(indicator=indicator, region=region, period="2021-01", value=10)
    ObservationFactory(indicator=indicator, region=region, period="2021-12", value=11)
    ObservationFactory(indicator=indicator, region=region, period="2016/2019", value=400)
    [chart] = build(indicator)
    view = chart.views[1]
    [line] = view.series
    by_x = sorted(line.points, key=lambda p: p.x)
    ticks = {tick.text: tick.x for tick in view.x_ticks}
    x_2020, x_jan, x_dec, x_2022 = (p.x for p in by_x[1:])
    year = ticks["2022"] - ticks["2021"]
    assert x_jan - ticks["2021"] == pytest.approx(-year / 2 + year / 24, abs=1)
    assert x_dec - ticks["2021"] == pytest.approx(year / 2 - year / 24, abs=1)
    assert x_2022 == pytest.approx(ticks["2022"], abs=0.2)
    assert x_2020 - ticks["2021"] == pytest.approx(-year, abs=0.2)
    cumulative = by_x[0]  # 2016-2019: its middle, with its span drawn
    assert cumulative.span_x2 - cumulative.span_x1 == pytest.approx(4 * year, abs=1)
    assert cumulative.x == pytest.approx((cumulative.span_x1 + cumulative.span_x2) / 2, abs=0.1)


def test_value_axis_has_round_ticks_from_zero_in_compact_words(region, indicator):
    series(indicator, region, {2020: 2_731_293, 2024: 85_518_661})
    [chart] = build(indicator)
    assert [tick.text for tick in chart.views[1].y_ticks] == [
        "0",
        "20 million",
        "40 million",
        "60 million",
        "80 million",
        "100 million",
    ]


def test_monthly_data_over_a_year_reads_in_months(region, indicator):
    for month in range(1, 13):
        ObservationFactory(indicator=indicator, region=region, period=f"2024-{month:02d}")
    [chart] = build(indicator)
    labels = [tick.text for tick in chart.views[0].x_ticks]
    assert labels[0] == "January 2024" and all(label.endswith("2024") for label in labels)
    assert 2 <= len(labels) < 12  # thinned to fit the narrow layout


def test_labels_of_the_narrow_layout_do_not_overlap(region, indicator):
    for year in range(1990, 1990 + LATEST_PERIODS):
        ObservationFactory(indicator=indicator, region=region, period=str(year), value=year)
    [chart] = build(indicator)
    for view in chart.views:
        ticks = view.x_ticks
        widths = [geometry.text_width(t.text, view.font_size) for t in ticks]
        for (left, w1), (right, w2) in zip(
            zip(ticks, widths, strict=True), list(zip(ticks, widths, strict=True))[1:], strict=False
        ):
            assert left.x + w1 / 2 < right.x - w2 / 2


# --- the map --------------------------------------------------------------------------------


def test_map_bins_are_round_numbers_splitting_the_countries():
    population = [623_525, 1_594_353, 1_824_359, 2_377_128, 3_164_253, 6_586_476, 85_518_661]
    assert map_bins(population) == [1_000_000, 2_000_000, 2_500_000, 25_000_000]
    assert map_bins([5, 5, 5]) == []


def test_several_countries_get_a_map_with_a_legend_and_the_same_values_in_the_table(client, demo):
    html = page(client, "population")
    [line, choropleth] = charts_for(
        indicator := Observation.objects.filter(indicator__code="population").first().indicator,
        list(
            Observation.objects.filter(indicator=indicator)
            .public()
            .latest_totals(LATEST_PERIODS)
            .with_related()
        ),
        countries=Country.objects.public(),
    )
    assert (line.kind, choropleth.kind) == ("line", "map")
    assert [item.label for item in choropleth.map.legend] == [
        "under 1 million",
        "1 million to under 2 million",
        "2 million to under 2.5 million",
        "2.5 million to under 25 million",
        "25 million or more",
    ]
    fills = {item.country.iso_code: item for item in choropleth.map.countries}
    assert fills["ME"].css_class == "map-fill-1" and fills["TR"].css_class == "map-fill-5"
    assert fills["RS"].accessible_name == "Serbia: 6,586,476 (2024, estimated)"
    # On the page: each country a link named with its value, the legend, the table.
    assert 'aria-label="Serbia: 6,586,476 (2024, estimated)"' in html
    assert "25 million or more" in html
    assert "Data: Population, 2024, by country" in html
    # Kosovo* keeps its footnote, listed once on the page (the head's dataset record carries
    # it as data: test_open_data_catalogue).
    kosovo = Country.objects.get(iso_code="XK")
    assert html.split("</head>", 1)[1].count(kosovo.footnote) == 1


def test_countries_without_a_value_are_neutral_and_said_so(demo):
    indicator = IndicatorFactory(code="two-countries")
    for code, value in (("RS", 10), ("AL", 30)):
        ObservationFactory(
            indicator=indicator,
            region=None,
            country=Country.objects.get(iso_code=code),
            value=value,
        )
    ObservationFactory(
        indicator=indicator,
        region=None,
        country=Country.objects.get(iso_code="ME"),
        value=None,
        status="suppressed",
    )
    countries = Country.objects.public()
    charts = build(indicator, countries=countries)
    [choropleth] = [chart for chart in charts if chart.kind == "map"]
    fills = {item.country.iso_code: item for item in choropleth.map.countries}
    assert fills["ME"].css_class == "map-fill-0"
    assert fills["ME"].accessible_name == "Montenegro: suppressed (2024)"
    assert fills["BA"].css_class == "map-fill-0"
    assert fills["BA"].accessible_name == "Bosnia and Herzegovina: no value published"
    assert choropleth.map.legend[-1].label == "No value published"
    rows = [(row.header, row.value_text) for row in choropleth.table.rows]
    assert rows[:3] == [("Albania", "30"), ("Serbia", "10"), ("Montenegro", "suppressed")]
    assert ("Bosnia and Herzegovina", "no value published") in rows
    assert len(rows) == countries.count()


# --- tables, sources and the standalone file ---------------------------------------------


def test_table_names_each_source_once_right_aligns_numbers(client, region, indicator):
    source = SourceFactory(name="Border Police")
    series(indicator, region, {2020: 1200, 2021: 1300, 2022: 1400}, source=source)
    html = page(client, "arrivals")
    table = html[html.index('<table class="data-table">') :]
    # the facts, below the table, the Sources section, the citation and its BibTeX (and, in
    # the head, the dataset record's creator, licence terms and credit text)
    assert html.split("</head>", 1)[1].count("Border Police") == 5
    assert '<p class="table-source">Source: Border Police</p>' in table
    assert table.count('<td class="number">') == 3


def test_several_sources_are_numbered_notes(region, indicator):
    series(indicator, region, {2020: 1}, source=SourceFactory(name="First office"))
    series(indicator, region, {2021: 2}, source=SourceFactory(name="Second office"))
    [chart] = build(indicator)
    assert [(n, str(s)) for n, s in chart.table.sources] == [
        (1, "First office"),
        (2, "Second office"),
    ]
    assert [row.source_number for row in chart.table.rows] == [1, 2]
    made = files.chart_file(
        indicator, chart, "http://testserver/x/", SiteSettings.objects.current()
    )
    assert any(
        text.startswith("Sources: First office (terms of use not stated by the source); Second")
        for text in texts(ET.fromstring(made.svg))
    )


def test_chart_file_needs_no_stylesheet_and_renders_to_png(region, indicator):
    series(indicator, region, {2020: 10, 2021: 12}, status="provisional")
    [chart] = build(indicator)
    site = SiteSettings.objects.current()
    made = files.chart_file(indicator, chart, "http://testserver/x/", site)
    root = ET.fromstring(made.svg)
    assert root.get("width") == "1200" and float(root.get("height")) > 300
    assert root.find(f"{SVG}title").text.startswith(indicator.name)
    assert "class=" not in made.svg  # no CSS needed
    assert root.get("font-family").startswith("DejaVu Sans")
    cairosvg = pytest.importorskip("cairosvg")
    png = cairosvg.svg2png(bytestring=made.svg.encode())
    assert png.startswith(b"\x89PNG")


def test_chart_text_stays_legible_in_each_layout():
    """At the narrowest width each drawing is shown at (site.css), its text is >= 12 px."""
    shown_from = {"narrow": 375 - 32, "wide": 42 * 16 - 32}
    for layout in geometry.LAYOUTS:
        assert layout.font_size * shown_from[layout.name] / layout.width >= 12


def test_query_count_with_a_map_does_not_grow_with_the_data(
    client, demo, django_assert_num_queries
):
    indicator = IndicatorFactory(code="grown-map")
    countries = list(Country.objects.filter(iso_code__in=["RS", "AL", "ME"]))
    counts = []
    for factor in (1, 10):
        Observation.objects.filter(indicator=indicator).delete()
        rows = [
            Observation(indicator=indicator, country=country, period=str(1990 + n), value=n)
            for country in countries
            for n in range(3 * factor)
        ]
        for row in rows:
            row.set_period_bounds()
        Observation.objects.bulk_create(rows)
        # The indicator, its totals, breakdowns and their totals, the public countries (the
        # map), the sources, the site settings and the related projects; for the dataset
        # record in the head, the areas and sources of its figures and the footnoted countries.
        # ... and the next scheduled change, which caps how long its charts are kept (read once a
        # generation and process; the page cache reads the same).
        with django_assert_num_queries(11) as captured:
            html = page(client, "grown-map")
        counts.append(len(captured.captured_queries))
        assert 'class="region-map"' in html and re.search(r'class="chart chart-wide"', html)
    assert counts[0] == counts[1]
