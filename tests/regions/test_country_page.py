"""Country pages: profile, figures as tiles, data sources, per-indicator links, the map."""

import pytest

from tests.builders import build_world
from tests.factories import ObservationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_profile_is_markdown_and_omitted_when_blank(client):
    world = build_world()
    world.kosovo.profile = "A **short** profile.\n\n<script>alert(1)</script>"
    world.kosovo.save()
    html = client.get("/countries/kosovo/").content.decode()
    profile = '<div class="profile"><div class="prose"><p>A <strong>short</strong> profile.</p>'
    assert profile in html
    assert "<script>alert" not in html
    html = client.get("/countries/montenegro/").content.decode()
    assert 'class="profile"' not in html


def test_latest_figures_sources_and_indicator_links(client):
    world = build_world()
    national = SourceFactory(name="Kosovo* Border Police")
    ObservationFactory(
        indicator=world.indicators["hidden"],
        region=None,
        country=world.kosovo,
        period="2024-03",
        value=42,
        source=national,
    )
    html = client.get("/countries/kosovo/").content.decode()
    tiles = html[html.index('class="tiles"') : html.index('id="data-heading"')]
    assert "42 people" in tiles and "Period: March 2024" in tiles
    assert "502 people" in tiles  # the latest of the arrivals series (500 + 2)
    assert tiles.count('<li class="tile">') == 2
    data = html[html.index('id="data-heading"') : html.index('id="offices-heading"')]
    # Sources of the country's own observations, each once.
    # The name carries its footnote mark; the source states no terms, and the page says so.
    assert data.count("Border Police</") == 1 and "Source " in data
    assert "The source states no licence or terms of use." in data
    assert 'href="/statistics/arrivals/?area=XK"' in data
    assert 'href="/statistics/not-featured/?area=XK"' in data
    assert "asylum-share" not in data  # no Kosovo value: no link


def test_country_page_map_marks_the_country(client):
    build_world()
    html = client.get("/countries/kosovo/").content.decode()
    assert 'class="map-country map-current"' in html and 'aria-label="Kosovo*"' in html
    assert 'href="/countries/montenegro/" class="map-link"' in html


def test_demo_profiles_come_from_the_seeds(client, demo):
    turkiye = client.get("/countries/turkiye/").content.decode()
    assert "hosting the most significant number of refugees in the world" in turkiye
    albania = client.get("/countries/albania/").content.decode()
    assert 'class="profile"' not in albania
    serbia = client.get("/countries/serbia/").content.decode()
    assert "6,586,476 people" in serbia  # World Bank, 2024
    assert "World Bank, World Development Indicators (SP.POP.TOTL)" in serbia
