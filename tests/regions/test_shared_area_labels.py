"""Figures a source gives for an area by its own name (`Observation.area_label`): UNHCR's
"Serbia and Kosovo: S/RES/1244 (1999)", filed under Serbia, is shown under that name with a
note that it covers Serbia and Kosovo* together, on Serbia's page, on Kosovo*'s page
(`AreaName.also_covers`) and in the indicator page's table: never as Serbia's alone."""

import json
import re
from statistics.models import AreaName, Observation

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from tests.builders import KOSOVO_NOTE
from tests.factories import (
    CountryFactory,
    IndicatorFactory,
    ObservationFactory,
    RegionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

LABEL = "Serbia and Kosovo: S/RES/1244 (1999)"
NOTE = (
    "“Serbia and Kosovo*: S/RES/1244 (1999)” is the source’s name for an area that covers "
    "Serbia and Kosovo* together: these figures are not for Serbia alone."
)


class World:
    pass


@pytest.fixture
def world():
    w = World()
    w.serbia = CountryFactory(name="Serbia", slug="serbia", iso_code="RS")
    w.kosovo = CountryFactory(name="Kosovo", slug="kosovo", iso_code="XK", footnote=KOSOVO_NOTE)
    w.montenegro = CountryFactory(name="Montenegro", slug="montenegro", iso_code="ME")
    RegionFactory(code="WB", countries=[w.serbia, w.kosovo, w.montenegro])
    shared = AreaName.objects.create(name=LABEL, country=w.serbia)
    shared.also_covers.add(w.kosovo)
    w.unhcr = SourceFactory(name="UNHCR Refugee Population Statistics", publisher="UNHCR")
    w.refugees = IndicatorFactory(code="refugees-hosted", name="Refugees hosted")
    for year, value in ((2024, 36068), (2025, 40863)):
        ObservationFactory(
            indicator=w.refugees, region=None, country=w.serbia, period=str(year), value=value,
            source=w.unhcr, area_label=LABEL,
        )  # fmt: skip
    return w


def text(html):
    """What a reader reads: no tags, the footnote marker's hidden words dropped."""
    return " ".join(strip_tags(html.replace(" (see note)", "")).split())


def key_figures(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    return html, html.split('id="key-figures"')[1].split("</section>")[0]


def test_serbias_page_shows_the_figure_under_the_sources_name_with_the_note(client, world):
    html, figures = key_figures(client, "/countries/serbia/")
    tile = text(figures)
    assert "40,863 people" in tile and "Refugees hosted" in tile
    assert "Serbia and Kosovo*: S/RES/1244 (1999)." in tile
    assert NOTE in tile
    # Kosovo is named, so its territory note is in the footer, and its marker links there.
    assert 'href="#footnote-xk"' in figures and KOSOVO_NOTE in html


def test_kosovos_page_shows_the_same_figure_under_the_same_name(client, world):
    html, figures = key_figures(client, "/countries/kosovo/")
    tile = text(figures)
    assert "40,863 people" in tile
    assert "Serbia and Kosovo*: S/RES/1244 (1999)." in tile
    assert NOTE in tile
    data = html.split('id="data-heading"')[1].split("</section>")[0]
    assert 'href="/statistics/refugees-hosted/?area=XK"' in data
    assert "UNHCR Refugee Population Statistics" in data


def test_only_names_that_take_the_country_in_reach_its_page(client, world):
    """A label that is no shared name of Kosovo*, or a shared name on the wrong country,
    stays off Kosovo*'s page."""
    Observation.objects.update(area_label="Serbia (incl. something else)")
    response = client.get("/countries/kosovo/")
    assert "40,863" not in response.content.decode()
    other = IndicatorFactory(code="other")
    ObservationFactory(
        indicator=other, region=None, country=world.montenegro, area_label=LABEL, value=7771234
    )
    assert "7,771,234" not in client.get("/countries/kosovo/").content.decode()
    assert Observation.objects.shown_for_country(world.kosovo).count() == 0


def test_a_countrys_own_figures_and_the_shared_ones_are_never_one_group(client, world):
    """Kosovo*'s own figure of the same indicator and period stays its own tile, beside the
    shared name's: the two are never summed or shown as one breakdown."""
    ObservationFactory(
        indicator=world.refugees, region=None, country=world.kosovo, period="2025", value=12,
        source=world.unhcr,
    )  # fmt: skip
    _html, figures = key_figures(client, "/countries/kosovo/")
    assert figures.count('<li class="tile">') == 2
    tiles = [text(tile.split("</li>")[0]) for tile in figures.split('<li class="tile">')[1:]]
    assert any("12 people" in tile and "S/RES/1244" not in tile for tile in tiles)
    assert any("40,863 people" in tile and "S/RES/1244" in tile for tile in tiles)


def test_the_indicator_table_names_the_area_as_the_source_does(client, world):
    ObservationFactory(
        indicator=world.refugees, region=None, country=world.montenegro, period="2025",
        value=18670, source=world.unhcr,
    )  # fmt: skip
    ObservationFactory(
        indicator=world.refugees, region=None, country=world.montenegro, period="2024",
        value=18000, source=world.unhcr,
    )  # fmt: skip
    html = client.get("/statistics/refugees-hosted/").content.decode()
    table = html.split('id="table-heading"')[1].split("</section>")[0]
    rows = [text(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)]
    assert "Serbia and Kosovo*: S/RES/1244 (1999) 2025 40,863" in rows  # the lines' table
    assert "Serbia and Kosovo*: S/RES/1244 (1999) 40,863" in rows  # the map's table
    assert "Montenegro 2025 18,670" in rows
    # Never as Serbia alone: the map shades no country with it, and says Serbia has none.
    assert [row for row in rows if row.startswith("Serbia ") and "S/RES" not in row] == [
        "Serbia no value published"
    ]
    assert NOTE in text(table)


def test_kosovos_view_of_the_indicator_has_the_shared_figures(client, world):
    html = client.get("/statistics/refugees-hosted/?area=XK").content.decode()
    assert "40,863" in html
    assert "Showing the figures for Kosovo* only." not in text(html)
    assert (
        "Showing the figures for Kosovo*, some of them under a source’s name for a wider area "
        "(see the note under the table)."
    ) in text(html)
    table = html.split('id="table-heading"')[1].split("</section>")[0]
    assert NOTE in text(table)
    facts = html.split('<dl class="facts">')[1].split("</dl>")[0]
    assert "2024\u20132025" in facts


def test_a_label_without_a_shared_name_says_where_the_portal_files_it(client, world):
    Observation.objects.update(area_label="Serbia (UNHCR)")
    _html, figures = key_figures(client, "/countries/serbia/")
    assert (
        "“Serbia (UNHCR)” is the area as the source names it; the portal files its figures "
        "under Serbia."
    ) in text(figures)


def test_kosovos_page_costs_the_same_queries_whatever_the_shared_figures(client, world):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/countries/kosovo/").status_code == 200
        return len(context)

    few = queries()
    for n in range(5):
        indicator = IndicatorFactory(code=f"more-{n}")
        ObservationFactory(
            indicator=indicator, region=None, country=world.serbia, area_label=LABEL,
            source=SourceFactory(),
        )  # fmt: skip
    assert queries() <= few


def test_the_json_download_carries_the_sources_name_for_the_area(client, world):
    document = json.loads(client.get("/statistics/refugees-hosted.json").content)
    names = {(o["area"], o["area_name"], o["area_label"]) for o in document["observations"]}
    assert names == {("RS", "Serbia", LABEL)}
