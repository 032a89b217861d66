"""The home page: purpose, map, headline figures as tiles, region cards, latest projects."""

import pytest

from regions.views import HOME_PROJECTS
from tests.builders import build_world
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_home_reads_figures_and_map_first(client, demo):
    html = client.get("/").content.decode()
    purpose = html.index('class="lead purpose"')
    the_map = html.index('class="region-map"')
    tiles = html.index('class="tiles"')
    regions = html.index('id="regions-heading"')
    projects = html.index('id="projects-heading"')
    assert purpose < the_map < tiles < regions < projects
    assert "developing and implementing migration policies" in html


def test_headline_tiles_say_value_unit_period_status_and_source(client, demo):
    html = client.get("/").content.decode()
    tiles = html[html.index('class="tiles"') : html.index('class="tiles-source"')]
    assert tiles.count('<li class="tile">') == 4  # the demo's featured single values
    assert "3,353 returns" in tiles and "Period: 2016 – May 2025, as of 14 May 2025" in tiles
    # The seed's "+1,200": more than 1,200, not an estimate; no status mark on any tile.
    assert "more than 1,200 people" in tiles and "mark-" not in tiles
    # The one source they share: once in text below the strip, and on every tile's tooltip.
    assert "Source of these figures: IOM presentation" in html
    assert tiles.count('title="Source: IOM presentation') == 4
    # ... and in each tile's text, shown on hover or focus (read by screen readers).
    assert tiles.count('<span class="tile-source tile-source-shared">Source: IOM') == 4
    assert 'href="/statistics/returns-avr-cumulative/?area=WB"' in tiles


def test_tiles_name_each_source_when_they_differ(client):
    world = build_world()
    other = world.indicators["share"].observations.get(period="1992")
    other.source = None
    other.save()
    html = client.get("/").content.decode()
    assert "Source: Ministry of Interior" in html and "Source not stated" in html
    assert "Source of these figures" not in html and "tile-source-shared" not in html


def test_region_cards_and_latest_projects(client, demo):
    html = client.get("/").content.decode()
    assert html.count('class="card region-card"') == 2
    assert "6 countries" in html and "7 countries" in html
    assert html.count('class="card project-card"') == 2


def test_latest_projects_are_published_and_bounded(client):
    world = build_world(scale=3)
    ProjectFactory(title="Draft on the home page", is_published=False)
    html = client.get("/").content.decode()
    assert html.count('class="card project-card"') == HOME_PROJECTS
    assert "Draft on the home page" not in html
    assert world.projects
