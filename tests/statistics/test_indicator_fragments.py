"""The indicator page's charts, maps and tables are rendered once per data version
(statistics/fragments.py): a second render reads them, any change of the data shows fresh
output, and what staff see never fills the public fragment."""

import re
import statistics.views as views
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.clock import midday
from tests.factories import (
    CountryFactory,
    IndicatorFactory,
    ObservationFactory,
    RegionFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def arrivals():
    region = RegionFactory(name="Western Balkans", slug="wb", code="WB")
    indicator = IndicatorFactory(code="arrivals", name="Arrivals", unit="people")
    source = SourceFactory(name="Ministry of Arrivals")
    for year, value in ((2023, 777), (2024, 888)):
        ObservationFactory(
            indicator=indicator, region=region, period=str(year), value=value, source=source
        )
    return indicator


def shows(html, number):
    """Whether `number` is on the page as a number of its own (not inside a longer one, such
    as the microseconds of a timestamp in the page's head)."""
    return re.search(rf"(?<![\d.,]){number}(?![\d.,])", html) is not None


def render(client, path="/statistics/arrivals/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_second_render_reads_the_fragments_and_draws_nothing(client, arrivals, monkeypatch):
    first, first_queries = render(client)
    assert "888" in first

    def no_charts(*args, **kwargs):
        raise AssertionError("charts drawn again")

    def no_dataset(*args, **kwargs):
        raise AssertionError("schema.org Dataset read again")

    monkeypatch.setattr(views, "charts_for", no_charts)
    monkeypatch.setattr(views, "page_dataset", no_dataset)
    second, second_queries = render(client)
    assert '<script type="application/ld+json">' in second
    assert second == first  # footnotes, ids and all
    assert second_queries < first_queries


def test_an_area_has_fragments_of_its_own(client, arrivals):
    whole, _ = render(client)
    area, _ = render(client, "/statistics/arrivals/?area=WB")
    assert area != whole
    assert "Showing the figures for Western Balkans" in area
    assert render(client, "/statistics/arrivals/?area=WB")[0] == area


def test_an_observation_edit_shows_at_once(client, arrivals):
    render(client)
    observation = arrivals.observations.get(period="2024")
    observation.value = 999
    observation.save()
    html, _ = render(client)
    assert shows(html, "999") and not shows(html, "888")


def test_new_figures_show_at_once(client, arrivals):
    render(client)
    ObservationFactory(
        indicator=arrivals, region=arrivals.observations.first().region, period="2025", value=555
    )
    assert "555" in render(client)[0]


def test_a_source_renamed_shows_at_once(client, arrivals):
    assert "Ministry of Arrivals" in render(client)[0]
    source = arrivals.observations.first().source
    source.name = "Office of Arrivals"
    source.save()
    html, _ = render(client)
    assert "Office of Arrivals" in html and "Ministry of Arrivals" not in html


def test_staff_never_fill_the_public_fragment_with_a_draft(client, arrivals):
    draft = RegionFactory(name="Draft Region", slug="draft", code="DR", is_published=False)
    ObservationFactory(indicator=arrivals, region=draft, period="2024", value=444)
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    client.force_login(staff)
    staff_html, _ = render(client)
    client.logout()
    public_html, _ = render(client)
    assert not shows(staff_html, "444") and not shows(public_html, "444")
    # The region going public is a change: its figures show.
    draft.is_published = True
    draft.save()
    assert "444" in render(client)[0]


@pytest.mark.parametrize("described", [False, True])
def test_a_footnoted_country_reads_the_same_from_the_fragment(client, described):
    """The markers in the fragments depend on what the page named before them (the first
    linked mention carries the note's back-link id); the footer lists the note either way."""
    kosovo = CountryFactory(name="Kosovo", slug="kosovo", iso_code="XK", footnote="UNSCR note.")
    region = RegionFactory(name="Western Balkans", slug="wb", code="WB", countries=[kosovo])
    indicator = IndicatorFactory(
        code="arrivals", name="Arrivals", description="Arrivals in Kosovo." if described else ""
    )
    for area in ({"region": region}, {"region": None, "country": kosovo}):
        ObservationFactory(indicator=indicator, period="2024", value=900, **area)
    first, _ = render(client)
    second, _ = render(client)
    assert second == first
    assert 'id="fnref-xk"' in second and "UNSCR note." in second


def test_a_second_embed_render_reads_its_fragments(client, arrivals, monkeypatch):
    first, first_queries = render(client, "/statistics/arrivals/embed/")
    assert "888" in first and "Ministry of Arrivals" in first

    def no_charts(*args, **kwargs):
        raise AssertionError("charts drawn again")

    monkeypatch.setattr(views, "charts_for", no_charts)
    second, second_queries = render(client, "/statistics/arrivals/embed/")
    assert second == first
    assert second_queries < first_queries
    # The page's fragments are not the embed's.
    monkeypatch.undo()
    assert '<section id="chart"' in render(client)[0]


def test_a_region_text_edit_redraws_no_chart_a_rename_does(client, monkeypatch, committed):
    """Committed changes, as the admin makes them: a region's lead text is not in any chart,
    so the charts are read from the fragments (the page itself is rendered anew); its name
    is, so a rename shows in them at once."""

    def make():
        region = RegionFactory(name="Western Balkans", slug="wb", code="WB", summary="Lead.")
        indicator = IndicatorFactory(code="arrivals", name="Arrivals", unit="people")
        ObservationFactory(indicator=indicator, region=region, period="2024", value=888)
        return region

    region = committed(make)
    first, _ = render(client)
    assert "Western Balkans" in first
    files = ("/statistics/arrivals/chart.svg", "/statistics/arrivals/embed/")
    drawn = [client.get(path).content for path in files]

    def no_charts(*args, **kwargs):
        raise AssertionError("charts drawn again")

    monkeypatch.setattr(views, "charts_for", no_charts)
    region.summary = "A new lead."
    committed(region.save)
    assert render(client)[0] == first
    assert [client.get(path).content for path in files] == drawn
    monkeypatch.undo()

    region.name = "Balkans West"
    committed(region.save)
    html, _ = render(client)
    assert "Balkans West" in html and "Western Balkans" not in html
    assert b"Balkans West" in client.get(files[0]).content


def test_a_country_going_public_at_its_time_joins_the_map_and_its_file_then(
    client, django_capture_on_commit_callbacks
):
    """Time alone makes it public (nothing is saved then): the charts and chart files kept
    before must not outlive that moment. Montenegro has no figure: the map shows it, once
    public, as such.
    Made as the admin would (committed), so only time changes afterwards."""
    start = midday()

    def make():
        later = CountryFactory(
            name="Montenegro",
            slug="montenegro",
            iso_code="ME",
            publish_at=start + timedelta(minutes=10),
        )
        indicator = IndicatorFactory(code="arrivals", name="Arrivals")
        countries = [later]
        for code, name in (("RS", "Serbia"), ("AL", "Albania")):
            country = CountryFactory(name=name, slug=name.lower(), iso_code=code)
            countries.append(country)
            ObservationFactory(
                indicator=indicator, region=None, country=country, period="2024", value=5
            )
        RegionFactory(name="Western Balkans", slug="wb", code="WB", countries=countries)

    with time_machine.travel(start, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            make()
        first, _ = render(client)
        assert "Albania" in first and "Montenegro" not in first
        drawn = client.get("/statistics/arrivals/map.svg").content
        assert b"Albania" in drawn and b"Montenegro" not in drawn
        clock.shift(timedelta(minutes=9))
        assert render(client)[0] == first
        clock.shift(timedelta(minutes=2))
        assert "Montenegro" in render(client)[0]
        assert b"Montenegro" in client.get("/statistics/arrivals/map.svg").content
