"""Pages and downloads say no more than the sources: statuses, qualifiers, cells without a
number, as-of dates, and whose figures they are under what terms."""

import csv
import datetime
import io
import json
from statistics.models import Observation

import pytest
from django.urls import reverse

from pages.models import SiteSettings
from regions.models import Country, Region
from tests.factories import IndicatorFactory, ObservationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def detail(client, code):
    return page(client, reverse("statistics:indicator-detail", args=[code]))


def as_json(client, code):
    return json.loads(client.get(reverse("statistics:indicator-json", args=[code])).content)


def csv_rows(client, code):
    response = client.get(reverse("statistics:indicator-csv", args=[code]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return response, list(csv.DictReader(io.StringIO(text)))


def section(html, heading_id):
    return html.split(f'id="{heading_id}"', 1)[1].split("</ul>", 1)[0]


# --- The demo content: IOM's presentation of 14 May 2025 -----------------------------------


def test_more_than_1200_reads_as_the_source_wrote_it_everywhere(client, demo):
    html = detail(client, "reception-accommodated")
    assert "more than 1,200" in html
    assert "(estimate)" not in html and "Estimated" not in html
    document = as_json(client, "reception-accommodated")
    (observation,) = document["observations"]
    assert (observation["value"], observation["qualifier"], observation["status"]) == (
        1200,
        "more_than",
        "as_published",
    )
    _response, rows = csv_rows(client, "reception-accommodated")
    assert [(row["value"], row["qualifier"], row["status"]) for row in rows] == [
        ("1200", "more_than", "as_published")
    ]
    home = page(client, reverse("home"))
    assert "more than 1,200 people" in home


def test_a_period_ending_in_may_reads_2016_to_may_2025_never_the_end_of_the_year(client, demo):
    html = detail(client, "returns-avr-cumulative")
    assert "<dd>2016 \u2013 May 2025</dd>" in html
    listing = page(client, reverse("statistics:indicator-list"))
    row = listing.split('href="/statistics/returns-avr-cumulative/"', 1)[1].split("</tr>", 1)[0]
    assert '<td data-label="Periods covered">2016 \u2013 May 2025</td>' in row
    for text in (listing, html):
        assert "31 December 2025" not in text and "Dec. 31, 2025" not in text
        assert "Latest period ends" not in text
    document = as_json(client, "returns-avr-cumulative")
    assert document["observations"][0]["period"] == "2016/2025-05"
    assert document["observations"][0]["period_end"] == "2025-05-31"


def test_iom_figures_are_attributed_to_iom_under_no_stated_terms(client, demo):
    site = SiteSettings.objects.current()
    html = detail(client, "returns-avr-cumulative")
    sources = html.split('<h2 id="sources-heading">', 1)[1]
    assert "Publisher: International Organization for Migration (IOM)." in sources
    assert "As of 14 May 2025." in sources
    assert "The source states no licence or terms of use." in sources
    content = html.split("<footer", 1)[0]  # the footer states the portal's own licence rule
    assert 'rel="license"' not in content and "Attribution:" not in content
    assert site.data_licence_name not in content

    document = as_json(client, "returns-avr-cumulative")
    assert document["licence"] is None  # no one licence covers IOM's figures
    (source,) = document["sources"]
    assert source["publisher"] == "International Organization for Migration (IOM)"
    assert source["licence"] is None and source["terms"] == "" and not source["terms_stated"]
    assert source["reference_date"] == "2025-05-14" and not source["own_compilation"]
    assert not document["attribution"].startswith("Attribution")
    assert document["attribution"] == source["attribution"]
    assert source["attribution"].startswith("International Organization for Migration (IOM): ")
    assert source["attribution"].endswith(", as of 14 May 2025")
    response = client.get(reverse("statistics:indicator-json", args=["returns-avr-cumulative"]))
    assert "Link" not in response


def test_world_bank_figures_carry_cc_by_with_its_link(client, demo):
    html = detail(client, "population")
    assert "Publisher: World Bank." in html
    assert (
        'Licence: <a href="https://creativecommons.org/licenses/by/4.0/" rel="license">'
        "CC BY 4.0</a>." in html
    )
    assert "How to cite: <q>World Bank, World Development Indicators (SP.POP.TOTL)" in html
    document = as_json(client, "population")
    licence = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    assert document["licence"] == licence
    assert document["sources"][0]["licence"] == licence
    response = client.get(reverse("statistics:indicator-json", args=["population"]))
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'


def test_the_csv_names_its_sidecar_and_claims_no_licence(client, demo):
    response, _rows = csv_rows(client, "returns-avr-cumulative")
    assert response["Link"] == (
        '</statistics/returns-avr-cumulative.json>; rel="describedby"; type="application/json"'
    )
    html = detail(client, "returns-avr-cumulative")
    assert "name the places, the unit, the source and its licence beside every value" in html


def test_the_json_documents_statuses_and_qualifiers(client, demo):
    document = as_json(client, "reception-accommodated")
    statuses = {s["code"]: s for s in document["statuses"]}
    assert list(statuses) == [
        "as_published", "final", "provisional", "estimated", "not_available", "suppressed",
    ]  # fmt: skip
    assert statuses["as_published"]["label"] == "As published"
    assert "states that the value is final" in statuses["final"]["meaning"]
    assert "not zero" in statuses["suppressed"]["meaning"]
    qualifiers = {q["code"]: q["label"] for q in document["qualifiers"]}
    assert qualifiers == {"more_than": "more than", "less_than": "less than", "about": "about"}
    assert "own_compilation" in document["terms"]


def test_tiles_say_the_value_its_date_and_its_source_terms(client, demo):
    home = page(client, reverse("home"))
    assert "Period: 2016 \u2013 May 2025, as of 14 May 2025" in home
    assert "Source of these figures: IOM presentation" in home
    strip = home.split('<p class="tiles-source">', 1)[1].split("</p>", 1)[0]
    assert "Publisher: International Organization for Migration (IOM)." in strip
    assert "The source states no licence or terms of use." in strip
    assert "(final)" not in home  # the seed calls nothing final

    country = page(client, reverse("regions:country-detail", args=["serbia"]))
    assert "6,586,476 people" in country and "(estimate)" in country
    assert (
        "Source: World Bank, World Development Indicators (SP.POP.TOTL). "
        'Licence: <a href="https://creativecommons.org/licenses/by/4.0/" rel="license">'
    ) in country


def test_the_indicator_list_names_each_indicators_own_sources(client, demo):
    listing = page(client, reverse("statistics:indicator-list"))

    def row(code):
        return listing.split(f'href="/statistics/{code}/"', 1)[1].split("</tr>", 1)[0]

    assert "World Bank" in row("population") and "IOM" not in row("population")
    assert 'href="#source-iom-emwp-2025-05-14"' in row("reception-accommodated")
    assert "World Bank" not in row("reception-accommodated")
    assert "(70 estimated)" in row("population")
    assert '<li id="source-worldbank-wdi-sp-pop-totl">' in listing


# --- Statuses, qualifiers and cells without a number on a page -----------------------------


@pytest.fixture
def mixed(db):
    region = Region.objects.create(name="Western Balkans", slug="wb", code="WB", is_published=True)
    serbia = Country.objects.create(name="Serbia", slug="serbia", iso_code="RS")
    region.countries.add(serbia)
    indicator = IndicatorFactory(code="mixed", name="Mixed", unit="people", is_featured=True)
    source = SourceFactory(name="Statistical Office", publisher="Statistical Office")
    rows = [
        ("2019", 100, "", "final"),
        ("2020", 120, "more_than", "as_published"),
        ("2021", None, "", "not_available"),
        ("2022", None, "", "suppressed"),
        ("2023", 90, "about", "estimated"),
        ("2024", 80, "less_than", "provisional"),
    ]
    for period, value, qualifier, status in rows:
        ObservationFactory(
            indicator=indicator,
            region=region,
            period=period,
            value=value,
            qualifier=qualifier,
            status=status,
            source=source,
        )
    ObservationFactory(
        indicator=indicator,
        region=region,
        period="2024",
        category="Town A",
        value=None,
        status="suppressed",
        source=source,
    )
    ObservationFactory(
        indicator=indicator,
        region=region,
        period="2024",
        category="Town B",
        value=50,
        source=source,
    )
    return indicator


def test_every_status_and_qualifier_on_the_page_and_never_a_zero(client, mixed):
    html = detail(client, "mixed")
    tables = html.split('<section id="table"', 1)[1].split("</section>", 1)[0]
    table = tables.split("by period</caption>", 1)[1].split("</table>", 1)[0]
    for text in ("100", "more than 120", "about 90", "less than 80"):
        assert f'<td class="number">{text}</td>' in table, text
    for text in ("not available", "suppressed"):
        assert f'<td class="number"><span class="no-value">{text}</span></td>' in table, text
    for label in ("Final", "As published", "Not available", "Suppressed", "Estimated"):
        assert f"<td>{label}</td>" in table
    assert '<td class="number">0' not in html
    # The line chart: a point for each of the four numbers, none for 2021/22 (a gap), and
    # the legend's two markers (provisional, estimated).
    chart = html.split('<section id="chart"', 1)[1].split("</section>", 1)[0]
    wide = chart.split('class="chart chart-wide"', 1)[1].split("</svg>", 1)[0]
    assert wide.count("<circle") + wide.count('d="M0,-5.5L5.5,0L0,5.5L-5.5,0Z"') == 4 + 2
    breakdown = tables.split("by category</caption>", 1)[1].split("</table>", 1)[0]
    assert breakdown.index("Town B") < breakdown.index("Town A")  # without a number: last
    assert '<span class="no-value">suppressed</span>' in breakdown
    # The total is "less than 80": a share of it would claim a precision the source lacks.
    assert "%" not in breakdown


def test_every_status_and_qualifier_in_the_downloads(client, mixed):
    document = as_json(client, "mixed")
    read = {
        (o["period"], o["category"]): (o["value"], o["qualifier"], o["status"])
        for o in document["observations"]
    }
    assert read == {
        ("2019", ""): (100, None, "final"),
        ("2020", ""): (120, "more_than", "as_published"),
        ("2021", ""): (None, None, "not_available"),
        ("2022", ""): (None, None, "suppressed"),
        ("2023", ""): (90, "about", "estimated"),
        ("2024", ""): (80, "less_than", "provisional"),
        ("2024", "Town A"): (None, None, "suppressed"),
        ("2024", "Town B"): (50, None, "as_published"),
    }
    _response, rows = csv_rows(client, "mixed")
    written = {
        (r["period"], r["category"]): (r["value"], r["qualifier"], r["status"]) for r in rows
    }
    assert written[("2021", "")] == ("", "", "not_available")
    assert written[("2020", "")] == ("120", "more_than", "as_published")


def test_a_final_label_only_for_final_and_a_mark_for_estimates(client, mixed):
    region = Region.objects.get(code="WB")
    tile = {"region": region, "source": None}
    for code, status in (("f", "final"), ("p", "as_published"), ("e", "estimated")):
        indicator = IndicatorFactory(code=code, name=f"Tile {code}", is_featured=True)
        ObservationFactory(indicator=indicator, period="2024", value=7, status=status, **tile)
    html = page(client, reverse("regions:region-detail", args=["wb"]))

    def tile_of(name):
        return html.split(f'<span class="tile-label">{name}</span>', 1)[0].rsplit("<li", 1)[1]

    assert '<span class="mark-final">(final)</span>' in tile_of("Tile f")
    assert "mark-" not in tile_of("Tile p")
    assert '<span class="mark-estimated">(estimate)</span>' in tile_of("Tile e")
    # The indicator with a breakdown is a card: its total and categories read the same way.
    card = html.split('<h3 class="card-title">', 1)[1].split("</article>", 1)[0]
    assert "less than 80 people" in card and "<td>suppressed</td>" in card


def test_the_portal_licence_only_for_its_own_compilations(client, mixed):
    site = SiteSettings.objects.current()
    own = SourceFactory(name="Our compilation", is_own_compilation=True)
    stated = SourceFactory(name="Ministry", terms="Reuse allowed with attribution.")
    Observation.objects.filter(period="2019").update(source=own)
    Observation.objects.filter(period="2020").update(source=stated)
    html = detail(client, "mixed")
    sources = html.split('<h2 id="sources-heading">', 1)[1]
    own_item = sources.split(f'id="source-{own.code}"', 1)[1].split("</li>", 1)[0]
    assert (
        f'Licence: <a href="{site.data_licence_url}" rel="license">{site.data_licence_name}</a> '
        "(the portal's own compilation)." in own_item
    )
    stated_item = sources.split(f'id="source-{stated.code}"', 1)[1].split("</li>", 1)[0]
    assert "Terms of use: Reuse allowed with attribution." in stated_item
    assert 'rel="license"' not in stated_item
    document = as_json(client, "mixed")
    records = {s["code"]: s for s in document["sources"]}
    assert records[own.code]["licence"]["name"] == site.data_licence_name
    assert records[stated.code]["licence"] is None and records[stated.code]["terms_stated"]
    assert document["licence"] is None  # three sources under three sets of terms


def test_a_source_reference_date_shows_with_its_figures(client, mixed):
    source = Observation.objects.filter(indicator=mixed).first().source
    source.reference_date = datetime.date(2025, 5, 14)
    source.save()
    html = page(client, reverse("regions:region-detail", args=["wb"]))
    assert "as of 14 May 2025" in html
    assert "As of 14 May 2025." in detail(client, "mixed")
