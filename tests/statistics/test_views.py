"""The public statistics pages: chart, table, downloads, query budgets."""

import csv
import io
import json
import re
from statistics.charts import LATEST_PERIODS
from statistics.imports.pipeline import import_observations
from statistics.models import Observation

import pytest
from django.urls import reverse

from regions.models import Country, Region
from tests.factories import IndicatorFactory, ObservationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_list_links_every_indicator_with_downloads(client, demo):
    html = page(client, reverse("statistics:indicator-list"))
    assert html.count("<h1>") == 1
    assert '<caption id="indicators-caption">Indicators</caption>' in html
    assert 'href="/statistics/reception-accommodated/"' in html
    assert 'href="/statistics/reception-accommodated.csv"' in html
    assert 'href="/statistics/reception-accommodated.json"' in html
    assert '<nav class="breadcrumbs" aria-label="Breadcrumb">' in html


def test_breakdown_page_has_sorted_bars_with_shares_and_a_table(client, demo):
    html = page(client, reverse("statistics:indicator-detail", args=["arrivals-top-nationalities"]))
    assert html.count("<h1>") == 1
    assert re.search(r'<svg [^>]*class="chart chart-wide"[^>]* role="img" aria-label="', html)
    assert '<desc id="chart-0-wide-desc">' in html
    assert 'scope="col"' in html and 'scope="row"' in html and '-caption">Data: ' in html
    svg = html[html.index('class="chart chart-wide"') :].split("</svg>")[0]
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)]
    assert widths == sorted(widths, reverse=True) and len(widths) >= 2
    assert "largest first" in html


def test_provisional_values_are_marked_in_chart_table_and_downloads(client, db):
    indicator = IndicatorFactory(code="arrivals", name="Arrivals")
    region = Region.objects.create(name="Western Balkans", slug="wb", code="WB", is_published=True)
    source = SourceFactory(name="Border Police of Montenegro", code="me-border-police")
    ObservationFactory(indicator=indicator, region=region, period="2023", value=1200, source=source)
    ObservationFactory(
        indicator=indicator,
        region=region,
        period="2024",
        value=900,
        status="provisional",
        source=source,
        note="Until 30 June",
    )
    html = page(client, reverse("statistics:indicator-detail", args=["arrivals"]))
    svg = html[html.index('class="chart chart-wide"') :].split("</svg>")[0]
    # 2024 is an open circle, explained in the legend; the table says "Provisional".
    assert svg.count('r="4.5" fill="#ffffff"') == 2  # the point and its legend symbol
    assert ">Provisional</text>" in svg
    assert "<td>Provisional</td>" in html and '<td class="number">900</td>' in html
    assert "1,200" in html  # numbers through localisation, with grouping
    assert "Border Police of Montenegro" in html and "Until 30 June" in html
    assert "2023\u20132024" in html

    data = client.get(reverse("statistics:indicator-csv", args=["arrivals"]))
    rows = list(csv.reader(io.StringIO(b"".join(data.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [
        "indicator", "area", "period", "category", "value", "status", "source", "note",
        "qualifier", "area_label", "area_name", "area_note", "indicator_name", "unit",
        "source_name", "source_url", "licence", "licence_url",
    ]  # fmt: skip
    # The contract's columns first (the file imports again), then names for people.
    assert [
        "arrivals", "WB", "2024", "", "900", "provisional", "me-border-police", "Until 30 June",
        "", "", "Western Balkans", "", "Arrivals", indicator.unit,
        "Border Police of Montenegro", source.url, "", "",
    ] in rows  # fmt: skip

    document = json.loads(
        client.get(reverse("statistics:indicator-json", args=["arrivals"])).content
    )
    assert document["indicator"]["unit"] == "people"
    # The source states no terms: no licence covers the download, the figures are its own.
    assert document["licence"] is None
    assert document["attribution"] == "Border Police of Montenegro"
    assert [(s["code"], s["name"], s["terms_stated"]) for s in document["sources"]] == [
        ("me-border-police", "Border Police of Montenegro", False)
    ]
    statuses = {o["period"]: (o["value"], o["status"]) for o in document["observations"]}
    assert statuses == {"2023": (1200, "as_published"), "2024": (900, "provisional")}


def test_long_series_becomes_a_line_and_kosovo_footnote_is_shown_once(client, demo):
    lines = ["indicator,area,period,value"]
    lines += [f"reception-accommodated,XK,{2000 + n // 12}-{n % 12 + 1:02d},{n}" for n in range(40)]
    assert not import_observations("\n".join(lines).encode()).has_errors
    html = page(client, reverse("statistics:indicator-detail", args=["reception-accommodated"]))
    assert '<path d="M' in html
    kosovo = Country.objects.get(iso_code="XK")
    # Once on the page (the head's dataset record carries it as data: test_open_data_catalogue).
    assert html.split("</head>", 1)[1].count(kosovo.footnote) == 1
    assert '<li id="footnote-xk">' in html
    # The first linked mention's asterisk links to the note and is linked back.
    assert re.search(r'Kosovo<a class="footnote-ref" href="#footnote-xk" id="fnref-xk">\*', html)
    assert '<a href="#fnref-xk" class="footnote-back">' in html


def test_formula_and_markup_text_is_escaped_on_the_page(client, demo):
    data = (
        "indicator,area,period,category,value,note\n"
        'arrivals-top-nationalities,WB,2030,<b>x</b>,1,"=HYPERLINK(""http://x.test"")"\n'
    )
    assert not import_observations(data.encode()).has_errors
    html = page(client, reverse("statistics:indicator-detail", args=["arrivals-top-nationalities"]))
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_unknown_indicator_is_404(client, db):
    for name in ("indicator-detail", "indicator-csv", "indicator-json"):
        assert client.get(reverse(f"statistics:{name}", args=["nope"])).status_code == 404


def test_downloaded_csv_reimports_unchanged(client, demo):
    response = client.get(reverse("statistics:indicator-csv", args=["arrivals-top-nationalities"]))
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    report = import_observations(data)
    assert (
        report.counts["unchanged"]
        == Observation.objects.filter(indicator__code="arrivals-top-nationalities").count()
    )
    assert report.counts["new"] == report.counts["updated"] == 0


def _grow(factor):
    """`factor` x more observations in countries and regions, totals and breakdowns."""
    indicator = IndicatorFactory(code="grown", breakdown_label="Nationality")
    region = Region.objects.get(code="WB")
    country = Country.objects.get(iso_code="XK")
    sources = [SourceFactory() for _ in range(3)]
    rows = []
    for n in range(10 * factor):
        area = {"region": region} if n % 2 else {"country": country}
        rows.append(
            Observation(
                indicator=indicator,
                period=f"{1990 + n}",
                value=n,
                source=sources[n % 3],
                status="provisional" if n % 4 == 0 else "final",
                **area,
            )
        )
        if n < 5 * factor:
            rows.append(
                Observation(
                    indicator=indicator,
                    period="2024",
                    category=f"Cat {n}",
                    value=n,
                    source=sources[n % 3],
                    country=country,
                    note="n",
                )
            )
    for observation in rows:
        observation.set_period_bounds()
    Observation.objects.bulk_create(rows)
    IndicatorFactory.create_batch(factor)


@pytest.mark.parametrize("factor", [1, 10])
def test_query_counts_do_not_grow_with_the_data(client, demo, factor, django_assert_num_queries):
    _grow(factor)
    # The indicators with their counts, the sources; the site settings, the footnoted countries.
    with django_assert_num_queries(4):
        page(client, reverse("statistics:indicator-list"))
    # The indicator (with its first and last period, its latest change), each area's latest
    # totals, latest breakdowns, the totals their shares are of, the sources, the related
    # projects; the site settings, the footnoted countries; for its dataset record in the
    # head, the areas and sources of its figures and the footnoted countries (a registry of
    # its own: scanning it must not mark the page's mentions).
    # ... and the next scheduled change, which caps how long its charts are kept (read once a
    # generation and process; the page cache reads the same).
    with django_assert_num_queries(11):
        html = page(client, reverse("statistics:indicator-detail", args=["grown"]))
    # 5 x factor totals an area: all shown up to LATEST_PERIODS, then the latest ones.
    shown = min(5 * factor, LATEST_PERIODS)
    # Table rows: two areas' shown totals in one line chart (area and period name each
    # row), then the 5 x factor categories of the breakdown, then the wide table's two
    # places (a row each).
    assert html.count('<th scope="row">') == 2 * 2 * shown + 5 * factor + 2
    if 5 * factor > LATEST_PERIODS:
        assert html.count(f"The latest {shown} of {5 * factor} periods are shown") == 2
    else:
        assert "periods are shown" not in html
    # The indicator (with its data version), its observations (with their sources), the site
    # settings (the portal's licence for own compilations, the citation), related projects.
    with django_assert_num_queries(4):
        client.get(reverse("statistics:indicator-json", args=["grown"]))
    # The indicator (with its periods), the sources (with their licences), the countries
    # (names, footnotes), the names of areas that take in a footnoted one, the observations.
    with django_assert_num_queries(5):
        response = client.get(reverse("statistics:indicator-csv", args=["grown"]))
        b"".join(response.streaming_content)


def test_page_shows_latest_periods_and_the_downloads_have_all(client, demo):
    """A long series: the page charts and tables the latest LATEST_PERIODS periods of each
    area, says so, and the CSV/JSON downloads keep every value."""
    IndicatorFactory(code="long-series", name="Long series", unit="people")
    count = LATEST_PERIODS + 14
    lines = ["indicator,area,period,value,status"]
    lines += [
        f"long-series,XK,{2000 + n // 12}-{n % 12 + 1:02d},{n},"
        + ("provisional" if n == count - 1 else "final")
        for n in range(count)
    ]
    assert not import_observations("\n".join(lines).encode()).has_errors
    html = page(client, reverse("statistics:indicator-detail", args=["long-series"]))
    section = html.split('<section id="table"')[1].split("</section>")[0]
    rows = re.findall(r'<th scope="row">([A-Z][a-z]+ \d{4})</th>', section)
    first_shown = count - LATEST_PERIODS
    months = ["January", "February", "March", "April", "May", "June", "July", "August"]
    months += ["September", "October", "November", "December"]
    assert rows == [f"{months[n % 12]} {2000 + n // 12}" for n in range(first_shown, count)]
    assert f"The latest {LATEST_PERIODS} of {count} periods are shown" in section
    assert "<td>Provisional</td>" in section  # the newest value is provisional and says so
    # Periods covered names the whole series, not only what is shown.
    assert "<dd>January 2000 \u2013 February 2004</dd>" in html
    json_url = reverse("statistics:indicator-json", args=["long-series"])
    data = json.loads(client.get(json_url).content)
    assert len(data["observations"]) == count


def test_breakdown_share_uses_its_total_even_when_older_than_the_shown_periods(client, demo):
    IndicatorFactory(code="by-nationality", unit="people", breakdown_label="Nationality")
    lines = ["indicator,area,period,category,value"]
    lines += ["by-nationality,ME,1990,,200", "by-nationality,ME,1990,A,50"]
    lines += [f"by-nationality,ME,{2000 + n},,{n}" for n in range(LATEST_PERIODS)]
    assert not import_observations("\n".join(lines).encode()).has_errors
    html = page(client, reverse("statistics:indicator-detail", args=["by-nationality"]))
    # LATEST_PERIODS + 1 totals: the 1990 one is not charted, yet the shares are of it.
    assert f"The latest {LATEST_PERIODS} of {LATEST_PERIODS + 1} periods are shown" in html
    section = html.split("Montenegro, 1990, by nationality</caption>")[1].split("</table>")[0]
    assert '<td class="number">25%</td>' in section  # 50 of the 1990 total 200, not 100%
