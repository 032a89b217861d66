"""Observations are public only where their area is (ObservationQuerySet.public()).

A draft region, a country that belongs only to it and a scheduled region all hold figures
with their own value, note, source and name; none of it may reach an anonymous visitor on
any page, download or sitemap, while the published region's figures do (so every check can
fail both ways).
"""

import csv
import io
import json
from datetime import timedelta
from statistics.imports.rows import DOWNLOAD_COLUMNS
from statistics.models import Observation

import pytest
from django.utils import timezone

from regions.models import Country
from tests.factories import (
    CountryFactory,
    IndicatorFactory,
    ObservationFactory,
    ProjectFactory,
    RegionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

# What the hidden areas hold: names, values (as pages and downloads write them), notes,
# sources, and a period later than any public one (the "latest period" must not reveal it).
HIDDEN = {
    "draft region": ["Zanzibar Draft Region", "ZDR", "777,701", "777701", "Draft region note"],
    "draft country": ["Secretistan", "secretistan", "666,601", "666601", "Secret country note"],
    "scheduled region": ["Scheduled Region", "SCHED", "555,501", "555501", "Scheduled note"],
    "draft-only indicator": ["333,301", "333301", "Draft only note"],
    "breakdown": ["Secret category", "222,201", "222201"],
    "source": ["Draft-only Ministry", "draft-ministry"],
    "period": ["2030"],
}
SHOWN = {
    "published region": ["Open Region", "111,101", "Open region note"],
    "shared country": ["Bridgeland", "444,401", "Shared country note"],
    "source": ["Open Statistics Office"],
}


def hidden_texts():
    return [text for texts in HIDDEN.values() for text in texts]


@pytest.fixture
def areas():
    """The published region, a draft region with a country of its own and one it shares with
    the published region, a scheduled region, and their figures."""
    bridgeland = CountryFactory(name="Bridgeland", slug="bridgeland", iso_code="BL")
    secretistan = CountryFactory(name="Secretistan", slug="secretistan", iso_code="SX")
    published = RegionFactory(name="Open Region", slug="open", code="OPEN", countries=[bridgeland])
    draft = RegionFactory(
        name="Zanzibar Draft Region",
        slug="zanzibar",
        code="ZDR",
        is_published=False,
        countries=[secretistan, bridgeland],
    )
    scheduled = RegionFactory(
        name="Scheduled Region",
        slug="scheduled",
        code="SCHED",
        publish_at=timezone.now() + timedelta(days=1),
    )
    open_source = SourceFactory(name="Open Statistics Office", code="open-office")
    secret_source = SourceFactory(name="Draft-only Ministry", code="draft-ministry")
    arrivals = IndicatorFactory(
        code="arrivals", name="Arrivals", is_featured=True, breakdown_label="Nationality"
    )
    draft_only = IndicatorFactory(code="draft-only", name="Draft only", is_featured=True)

    def observe(area, value, note, period="2024", indicator=arrivals, **kwargs):
        where = {"region": area} if area in (published, draft, scheduled) else {"country": area}
        return ObservationFactory(
            indicator=indicator,
            region=where.get("region"),
            country=where.get("country"),
            period=period,
            value=value,
            note=note,
            source=kwargs.pop("source", open_source),
            **kwargs,
        )

    observe(published, 111101, "Open region note")
    observe(published, 100, "", category="Open category")
    observe(bridgeland, 444401, "Shared country note", period="2023")
    for area, value, note in [
        (draft, 777701, "Draft region note"),
        (secretistan, 666601, "Secret country note"),
        (scheduled, 555501, "Scheduled note"),
    ]:
        observe(area, value, note, period="2030", source=secret_source, status="provisional")
        observe(area, 222201, "", period="2030", category="Secret category", source=secret_source)
    observe(draft, 333301, "Draft only note", indicator=draft_only, source=secret_source)
    observe(secretistan, 333301, "Draft only note", indicator=draft_only, period="2030")
    return published


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def assert_nothing_hidden(text, url):
    leaked = [hidden for hidden in hidden_texts() if hidden in text]
    assert not leaked, f"{url} shows {leaked}"


PUBLIC_PATHS = [
    "/",
    "/statistics/",
    "/statistics/arrivals/",
    "/statistics/arrivals.csv",
    "/statistics/arrivals.json",
    "/statistics/draft-only/",
    "/statistics/draft-only.csv",
    "/statistics/draft-only.json",
    "/sitemap.xml",
    "/regions/open/",
    "/countries/bridgeland/",
    "/contacts/",
    "/projects/",
]


@pytest.mark.parametrize("url", PUBLIC_PATHS)
def test_no_public_path_shows_anything_of_a_hidden_area(client, areas, url):
    assert_nothing_hidden(get(client, url), url)


@pytest.mark.parametrize(
    "url", ["/regions/zanzibar/", "/regions/scheduled/", "/countries/secretistan/"]
)
def test_hidden_areas_have_no_page(client, areas, url):
    get(client, url, status=404)


def test_indicator_list_counts_only_public_values(client, areas):
    html = get(client, "/statistics/")
    arrivals = html[html.index('href="/statistics/arrivals/"') :].split("</tr>")[0]
    # Three public values (the region's total and category, the shared country's total),
    # none provisional, covering 2023 to 2024 (the hidden ones are of 2030), from the one
    # public source.
    assert '<td data-label="Values">3</td>' in arrivals and "provisional" not in arrivals
    assert (
        '<td data-label="Periods covered">2023\u20132024</td>' in arrivals
        and "2030" not in arrivals
    )
    assert "Secret" not in arrivals
    draft_only = html[html.index('href="/statistics/draft-only/"') :].split("</tr>")[0]
    assert (
        '<td data-label="Values">0</td>' in draft_only
        and 'data-label="Periods covered">–</td>' in draft_only
    )
    sources = html[html.index('id="sources"') :]
    assert "Open Statistics Office" in sources


def test_indicator_page_charts_tables_and_sources_are_public_only(client, areas):
    html = get(client, "/statistics/arrivals/")
    for texts in SHOWN.values():
        for text in texts:
            assert text in html, text
    # Chart headings name the public areas only; the periods covered end with public data.
    # The two public areas' totals (one period each) as bars, the region's breakdown.
    assert html.count('class="chart-block"') == 2
    assert "Open category" in html
    assert "<dd>2023\u20132024</dd>" in html
    assert "Provisional" not in html  # only hidden values are provisional


def test_downloads_hold_public_rows_only(client, areas):
    rows = list(csv.DictReader(io.StringIO(get(client, "/statistics/arrivals.csv"))))
    assert sorted((r["area"], r["category"], r["value"], r["note"]) for r in rows) == [
        ("BL", "", "444401", "Shared country note"),
        ("OPEN", "", "111101", "Open region note"),
        ("OPEN", "Open category", "100", ""),
    ]
    document = json.loads(get(client, "/statistics/arrivals.json"))
    assert sorted(o["area_name"] for o in document["observations"]) == [
        "Bridgeland",
        "Open Region",
        "Open Region",
    ]
    assert [s["code"] for s in document["sources"]] == ["open-office"]


def test_indicator_with_only_hidden_values_says_so_and_shows_none(client, areas):
    html = get(client, "/statistics/draft-only/")
    assert "<h1>Draft only</h1>" in html
    assert "No figures have been published for this indicator yet." in html
    # The page's sections stay, saying there is nothing: no hidden period or source.
    assert "<dt>Periods covered</dt><dd>none published yet</dd>" in html
    assert "No source is stated for these figures." in html
    assert "2030" not in html and "Draft-only Ministry" not in html
    assert get(client, "/statistics/draft-only.csv").splitlines() == [",".join(DOWNLOAD_COLUMNS)]
    document = json.loads(get(client, "/statistics/draft-only.json"))
    assert document["observations"] == [] and document["sources"] == []


def test_key_figures_of_home_region_and_shared_country(client, areas):
    home = get(client, "/")
    assert "Open Region" in home and "111,101 people" in home
    region = get(client, "/regions/open/")
    assert "111,101 people" in region and "Open region note" in region
    country = get(client, "/countries/bridgeland/")
    assert "444,401 people" in country and "Shared country note" in country


def test_sitemap_lists_public_areas_only(client, areas):
    xml = get(client, "/sitemap.xml")
    assert "/regions/open/" in xml and "/countries/bridgeland/" in xml
    # Indicator pages are public, with or without public values (nothing tells them apart).
    assert "/statistics/arrivals/" in xml and "/statistics/draft-only/" in xml
    for slug in ("zanzibar", "scheduled", "secretistan"):
        assert slug not in xml


def test_a_scheduled_region_shows_its_figures_once_due(client, areas, monkeypatch):
    """ "Published" is read at each request: no queryset may keep the time it was built."""
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "555,501" in get(client, "/statistics/arrivals/")
    assert "Scheduled note" in get(client, "/statistics/arrivals.json")
    assert "2023\u20132030" in get(client, "/statistics/")
    assert "555,501" in get(client, "/regions/scheduled/")


def test_staff_preview_of_a_draft_region_shows_its_figures_but_downloads_stay_public(
    client, staff_client, areas
):
    preview = get(staff_client, "/regions/zanzibar/")
    assert "Draft - not public" in preview and "777,701" in preview
    assert "666,601" in get(staff_client, "/countries/secretistan/")
    # The statistics pages and downloads are the same for everyone (and cached as such).
    assert get(staff_client, "/statistics/arrivals.json") == get(
        client, "/statistics/arrivals.json"
    )
    assert_nothing_hidden(get(staff_client, "/statistics/arrivals/"), "/statistics/arrivals/")


def test_public_is_the_published_areas_and_their_countries(areas):
    public = Observation.objects.public()
    assert {o.area.name for o in public} == {"Open Region", "Bridgeland"}
    assert public.count() == 3
    hidden = Observation.objects.exclude(pk__in=public.values("pk"))
    assert {o.area.name for o in hidden} == {
        "Zanzibar Draft Region",
        "Secretistan",
        "Scheduled Region",
    }


def test_a_country_in_a_draft_and_a_published_region_stays_public(client, areas):
    html = get(client, "/countries/bridgeland/")
    assert "Open Region" in html and "Zanzibar" not in html
    assert "444,401 people" in html


def test_latest_per_indicator_keeps_the_querysets_filters(areas):
    """The latest period is looked up among the rows of the queryset it is called on: a
    filter (such as `public()`) never leaves an indicator without its latest kept row."""
    region = areas
    indicator = IndicatorFactory(code="revised")
    ObservationFactory(indicator=indicator, region=region, period="2023", value=10, status="final")
    ObservationFactory(
        indicator=indicator, region=region, period="2024", value=20, status="estimated"
    )
    final = Observation.objects.filter(status="final", indicator=indicator)
    assert [o.value for o in final.latest_per_indicator(region)] == [10]


@pytest.mark.parametrize(
    "url", ["/projects/", "/projects/crossing/", "/regions/open/", "/countries/bridgeland/"]
)
def test_projects_name_only_public_countries(client, areas, url):
    """A project working in a public and a draft-only country names the public one only:
    listing the other would reveal it (and link to a 404)."""
    project = ProjectFactory(title="Crossing", slug="crossing", regions=[areas], countries=[])
    project.countries.set(Country.objects.filter(slug__in=["bridgeland", "secretistan"]))
    html = get(client, url)
    assert "Crossing" in html and "Bridgeland" in html
    assert_nothing_hidden(html, url)


def test_staff_preview_of_a_project_names_its_draft_country(staff_client, areas):
    project = ProjectFactory(title="Crossing", slug="crossing", regions=[areas])
    project.countries.set(Country.objects.filter(slug__in=["bridgeland", "secretistan"]))
    assert "Secretistan" in get(staff_client, "/projects/crossing/")
