"""Chart files fit to publish: each chart its own file, 1,200 px wide (2,400 at ?scale=2), with
its title, place, period, as-of date, sources with their terms and the territory note, and no
line of text that overlaps another or leaves the canvas.

The layout code keeps every line of text it draws as a box (ChartFile.boxes, measured with the
font the PNG is drawn in); these tests check the boxes, that the SVG writes each of them, and
the PNG's size. With CHART_SHOTS=<folder> the files are also written there to be looked at.
"""

import datetime
import os
import struct
from pathlib import Path
from statistics.charts import files
from statistics.charts.files import FILE_WIDTH, SHARE_HEIGHT, SHARE_WIDTH
from statistics.models import Indicator
from statistics.views import IndicatorChartSVGView, place_regions
from xml.etree import ElementTree

import pytest
from django.test import RequestFactory
from django.urls import reverse

from pages.models import SiteSettings
from tests.factories import (
    CountryFactory,
    IndicatorFactory,
    ObservationFactory,
    RegionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
SHOTS = os.environ.get("CHART_SHOTS", "")
SEVEN = (
    ("AL", "Albania", 2_800_000),
    ("BA", "Bosnia and Herzegovina", 3_200_000),
    ("XK", "Kosovo", 1_700_000),
    ("ME", "Montenegro", 620_000),
    ("MK", "North Macedonia", 1_800_000),
    ("RS", "Serbia", 6_600_000),
    ("TR", "Türkiye", 85_000_000),
)


def png_size(data):
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", data[16:24])


def charts_of(code, area=None):
    view = IndicatorChartSVGView()
    query = f"?area={area}" if area else ""
    view.setup(RequestFactory().get(f"/statistics/{code}/{query}"), code=code)
    view.area = None
    if area:
        from statistics.views import public_area

        view.area = public_area(area)
    view.object = view.get_queryset().get(code=code)
    return view.object, view.get_charts(), view.area


def check_layout(boxes, width, height, svg):
    """No box leaves the canvas, none overlaps another, and the SVG writes each one."""
    assert boxes
    for box in boxes:
        assert box.x0 >= 0 and box.y0 >= 0, box
        assert box.x1 <= width and box.y1 <= height, box
    for n, box in enumerate(boxes):
        for other in boxes[n + 1 :]:
            assert not box.overlaps(other), (box, other)
    # CairoSVG (the PNG) ignores paint-order: a haloed text must be drawn as two texts,
    # else its white stroke covers it.
    assert "paint-order" not in svg
    root = ElementTree.fromstring(svg.encode())
    written = set()
    for node in root.iter(f"{SVG}text"):
        written.add("".join(node.itertext()).strip())
        written.update((t.text or "").strip() for t in node.iter(f"{SVG}tspan"))
    missing = [box.text for box in boxes if box.text.strip() not in written]
    assert not missing


def render_all(indicator, charts, area=None, label=None):
    """Each chart's file, checked, and (with CHART_SHOTS) saved as PNG."""
    site = SiteSettings.objects.current()
    made = []
    for chart in charts:
        page_url = f"http://testserver{indicator.get_absolute_url()}"
        chart_file = files.chart_file(
            indicator, chart, page_url, site, area=area, regions=place_regions()
        )
        assert chart_file.width == FILE_WIDTH
        check_layout(chart_file.boxes, chart_file.width, chart_file.height, chart_file.svg)
        if SHOTS:
            png = files.render_png(chart_file.svg)
            assert png_size(png)[0] == FILE_WIDTH
            name = f"charts-{label or indicator.code}-{chart_file.name}"
            Path(SHOTS, f"{name}.png").write_bytes(png)
            Path(SHOTS, f"{name}.svg").write_text(chart_file.svg, encoding="utf-8")
        made.append(chart_file)
    svg, boxes = files.share_image_layout(indicator, charts, site, regions=place_regions())
    check_layout(boxes, SHARE_WIDTH, SHARE_HEIGHT, svg)
    if SHOTS:
        png = files.render_png(svg, width=SHARE_WIDTH, height=SHARE_HEIGHT)
        Path(SHOTS, f"charts-{label or indicator.code}-share.png").write_bytes(png)
    return made, boxes


def all_text(chart_file):
    return " ".join(box.text for box in chart_file.boxes)


# --- the demo indicators ------------------------------------------------------------------------


def test_every_demo_chart_file_is_laid_out_without_overlaps(demo):
    codes = Indicator.objects.filter(observations__isnull=False).distinct()
    checked = 0
    for code in codes.values_list("code", flat=True):
        indicator, charts, _area = charts_of(code)
        if charts:
            render_all(indicator, charts)
            checked += len(charts)
    assert checked >= 5
    # One area (a single line with its first and last values written), and a region.
    for code, area in (("population", "XK"), ("arrivals-top-nationalities", "WB")):
        indicator, charts, area_object = charts_of(code, area)
        made, _share = render_all(indicator, charts, area=area_object, label=f"{code}-{area}")
        title = " ".join(box.text for box in made[0].boxes[:2])
        assert title.startswith(f"{indicator.name}, {area_object}, ")


def test_population_chart_and_map_are_separate_files_saying_place_period_and_terms(demo):
    indicator, charts, _area = charts_of("population")
    made, share = render_all(indicator, charts)
    names = [f.name for f in made]
    assert names[:2] == ["chart", "map"]
    chart, map_file = made[:2]
    first_line = chart.boxes[0].text
    assert first_line.startswith("Population, ") and "20" in first_line
    assert "World Bank" in all_text(chart) and "CC BY 4.0" in all_text(chart)
    assert "<svg" in map_file.svg and 'fill="#000' not in map_file.svg
    # The map names Kosovo* and carries its note, in full.
    assert "Kosovo*" in all_text(map_file)
    assert any(box.text.startswith("*Kosovo: ") for box in map_file.boxes)
    assert any(box.text.startswith("*Kosovo: ") for box in share)


def test_chart_and_map_urls_serve_each_file_at_1200_and_2400_px(client, demo):
    for name in ("chart", "map"):
        svg = client.get(reverse("statistics:indicator-chart-file-svg", args=["population", name]))
        assert svg.status_code == 200
        assert svg["Content-Disposition"] == f'attachment; filename="population-{name}.svg"'
        root = ElementTree.fromstring(svg.content)
        assert root.get("width") == str(FILE_WIDTH)
        png_url = reverse("statistics:indicator-chart-file-png", args=["population", name])
        assert png_size(client.get(png_url).content)[0] == 1200
        double = client.get(png_url + "?scale=2")
        assert double["Content-Disposition"] == f'attachment; filename="population-{name}-2x.png"'
        assert png_size(double.content)[0] == 2400
    png_url = reverse("statistics:indicator-chart-file-png", args=["population", "chart"])
    for bad in ("3", "0", "2.5", "x"):
        assert client.get(f"{png_url}?scale={bad}").status_code == 404
    unknown = reverse("statistics:indicator-chart-file-svg", args=["population", "pie"])
    assert client.get(unknown).status_code == 404


def test_the_page_links_each_chart_to_its_own_files(client, demo):
    html = client.get(reverse("statistics:indicator-detail", args=["population"])).content.decode()
    chart_section = html.split('<section id="chart"')[1].split("</section>")[0]
    for name in ("chart", "map"):
        assert f'href="/statistics/population/{name}.svg" download' in chart_section
        assert f'href="/statistics/population/{name}.png" download' in chart_section
        assert f'href="/statistics/population/{name}.png?scale=2" download' in chart_section


def test_a_chart_file_costs_a_fixed_number_of_queries(client, demo, django_assert_num_queries):
    # The indicator, totals, breakdowns, the map's countries, the site settings, the regions
    # with their countries (the place), the footnoted countries: whatever the data's size;
    # the first file also the next scheduled change, which caps how long files are kept
    # (read once a generation and process; the page cache reads the same), and the site
    # settings (read once a data generation and process).
    for name, queries in (("chart", 9), ("map", 7)):
        with django_assert_num_queries(queries):
            client.get(reverse("statistics:indicator-chart-file-svg", args=["population", name]))


def test_a_second_request_is_served_from_the_cache(client, demo, django_assert_max_num_queries):
    url = reverse("statistics:indicator-chart-file-png", args=["population", "map"])
    client.get(url)
    with django_assert_max_num_queries(2):
        client.get(url)


# --- edge cases -------------------------------------------------------------------------------


@pytest.fixture
def seven():
    countries = [
        CountryFactory(
            iso_code=code,
            name=name,
            slug=name.lower().replace(" ", "-"),
            footnote="This designation is without prejudice to positions on status, and is in "
            "line with UNSCR 1244/1999 and the ICJ Opinion on the Kosovo declaration of "
            "independence."
            if code == "XK"
            else "",
        )
        for code, name, _value in SEVEN
    ]
    region = RegionFactory(
        name="Western Balkans and Türkiye", code="WBT", countries=countries, slug="wbt"
    )
    return region, countries


def test_seven_areas_with_huge_and_tiny_values(seven):
    region, countries = seven
    source = SourceFactory(
        name="World Development Indicators",
        publisher="World Bank",
        licence="CC BY 4.0",
        reference_date=datetime.date(2025, 7, 1),
    )
    indicator = IndicatorFactory(code="pop", name="Population")
    for country, (_code, _name, value) in zip(countries, SEVEN, strict=True):
        for year in range(2015, 2025):
            tiny = value if country.iso_code != "ME" or year < 2020 else 3
            ObservationFactory(
                indicator=indicator,
                region=None,
                country=country,
                period=str(year),
                value=tiny,
                source=source,
            )
    indicator, charts, _area = charts_of("pop")
    made, _share = render_all(indicator, charts, label="seven")
    assert [f.name for f in made] == ["chart", "map"]
    title = made[0].boxes[0].text
    assert title == "Population, Western Balkans and Türkiye, 2015–2024"
    assert "As of 1 July 2025" in all_text(made[0])
    assert "World Bank: World Development Indicators" in all_text(made[0])


def test_one_value_with_its_qualifier_in_full(seven):
    _region, countries = seven
    source = SourceFactory(name="IOM presentation", publisher="IOM", edition="2025.12.1")
    indicator = IndicatorFactory(
        code="reception",
        name="Migrants and asylum seekers accommodated in temporary reception centres",
    )
    ObservationFactory(
        indicator=indicator,
        region=None,
        country=countries[2],
        period="2025-03",
        value=1200,
        qualifier="more_than",
        source=source,
    )
    indicator, charts, _area = charts_of("reception")
    made, share = render_all(indicator, charts, label="one-value")
    text = all_text(made[0])
    assert "more than 1,200 people" in text and "\u2026" not in text
    title = " ".join(box.text for box in made[0].boxes[:2])
    assert title.endswith("reception centres, Kosovo*, March 2025")
    assert "Edition 2025.12.1" in text  # as of: the source's edition, not the import
    assert any(box.text.startswith("*Kosovo: ") for box in made[0].boxes)
    assert any(box.text.startswith("*Kosovo: ") for box in share)


def test_long_category_names_wrap_and_are_never_cut(seven):
    _region, countries = seven
    indicator = IndicatorFactory(code="nationality", name="Arrivals by nationality")
    names = [
        "Syrian Arab Republic",
        "Afghanistan",
        "Democratic Republic of the Congo and other Central African countries not listed",
        "Venezuela (Bolivarian Republic of)",
        "Unknown or stateless persons whose nationality could not be established",
    ]
    for n, name in enumerate(names):
        ObservationFactory(
            indicator=indicator,
            region=None,
            country=countries[5],
            period="2024",
            category=name,
            value=1000 - n * 150,
            status="provisional" if n == 1 else "as_published",
            qualifier="about" if n == 2 else "",
        )
    indicator, charts, _area = charts_of("nationality")
    made, _share = render_all(indicator, charts, label="long-names")
    text = " ".join(box.text for box in made[0].boxes)
    for name in names:
        for word in name.split():
            assert word in text
    assert "\u2026" not in text


def test_a_share_image_of_many_categories_draws_the_largest_at_full_size(seven):
    _region, countries = seven
    indicator = IndicatorFactory(code="origins", name="Refugees by country of origin")
    source = SourceFactory(name="UNHCR Refugee Data Finder", publisher="UNHCR", licence="CC BY 4.0")
    for n in range(40):
        ObservationFactory(
            indicator=indicator,
            region=None,
            country=countries[6],
            period="2024",
            category=f"Country of origin number {n}",
            value=10_000 - n * 200,
            source=source,
        )
    indicator, charts, _area = charts_of("origins")
    made, share = render_all(indicator, charts, label="many-categories")
    assert sum(box.text.startswith("Country of origin") for box in made[0].boxes) == 40
    note = [box.text for box in share if box.text.startswith("The largest ")]
    assert note and note[0].endswith(" of 40; all of them on the page.")
    shown = int(note[0].split()[2])
    labels = [box for box in share if box.text.startswith("Country of origin")]
    assert len(labels) == shown >= 3
    # Drawn at full size: a label's box is as tall as 16 px text.
    assert all(box.y1 - box.y0 > 15 for box in labels)


def test_a_share_image_of_very_many_sources_names_the_first_and_counts_the_rest(seven):
    _region, countries = seven
    indicator = IndicatorFactory(code="offices", name="Registrations by office")
    for n in range(70):  # each figure from an office of its own
        ObservationFactory(
            indicator=indicator,
            region=None,
            country=countries[5],
            period="2024",
            category=f"Office {n}",
            value=1000 + n,
            source=SourceFactory(name=f"Regional registration office number {n}"),
        )
    indicator, charts, _area = charts_of("offices")
    _made, share = render_all(indicator, charts, label="many-sources")
    text = " ".join(box.text for box in share)
    assert "and 67 more, each with its terms on the page." in text


def test_wrapping_never_cuts_text():
    from statistics.charts.geometry import text_width, wrap_text

    text = "Bosnia and Herzegovina " + "Supercalifragilistic" * 6
    lines = wrap_text(text, 16, 200)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(text_width(line, 16) <= 200 for line in lines)
    assert wrap_text("", 16, 200) == [""]


def test_a_label_with_a_line_break_is_measured_as_drawn():
    from statistics.charts.geometry import text_width

    # SVG draws whitespace runs as one space; Pillow's layout engine refused a line break.
    assert text_width("Syrian Arab\r\nRepublic\x1c", 16) == text_width("Syrian Arab Republic", 16)
