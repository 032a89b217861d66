"""Projects and the figures they move: a project page shows the latest public values of the
indicators it addresses, and each indicator page lists the published projects."""

import pytest

from tests.factories import (
    CountryFactory,
    IndicatorFactory,
    ObservationFactory,
    ProjectFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def world():
    serbia = CountryFactory(name="Serbia", slug="serbia", iso_code="RS")
    region = RegionFactory(name="Western Balkans", slug="wb", code="WB", countries=[serbia])
    draft_region = RegionFactory(name="Draft area", slug="draft", code="DR", is_published=False)
    returns = IndicatorFactory(code="returns", name="Assisted returns", unit="returns")
    ObservationFactory(indicator=returns, region=region, period="2023", value=3000)
    ObservationFactory(indicator=returns, region=region, period="2024", value=3353)
    ObservationFactory(indicator=returns, region=draft_region, period="2025", value=99999)
    project = ProjectFactory(title="Return systems", slug="return-systems", regions=[region])
    project.indicators.add(returns)
    return {"region": region, "serbia": serbia, "returns": returns, "project": project}


def test_project_page_shows_the_latest_public_value_with_a_link(client, world):
    html = html_of(client, "/projects/return-systems/")
    section = html.split('<h2 id="figures-heading">')[1].split("</section>")[0]
    assert section.startswith("Figures the project addresses</h2>")
    assert "<h3>Latest figures for Western Balkans</h3>" in section
    assert "3,353 returns" in section and "3,000" not in section
    assert "99,999" not in html  # a draft region's figure stays out
    assert 'href="/statistics/returns/?area=WB"' in section
    assert '<li><a href="/statistics/returns/">Assisted returns</a></li>' in section


def test_a_project_without_regions_shows_its_countries_figures(client, world):
    population = IndicatorFactory(code="population", name="Population", unit="people")
    ObservationFactory(
        indicator=population, region=None, country=world["serbia"], period="2024", value=6600000
    )
    project = ProjectFactory(slug="serbia-only", countries=[world["serbia"]])
    project.indicators.add(population)
    html = html_of(client, "/projects/serbia-only/")
    assert "<h3>Latest figures for Serbia</h3>" in html
    assert "6,600,000 people" in html and 'href="/statistics/population/?area=RS"' in html


def test_a_project_without_indicators_has_no_figures_section(client, world):
    ProjectFactory(slug="plain", regions=[world["region"]])
    assert "figures-heading" not in html_of(client, "/projects/plain/")


def test_indicator_page_lists_the_published_projects(client, world):
    ProjectFactory(title="Unpublished one", is_published=False).indicators.add(world["returns"])
    html = html_of(client, "/statistics/returns/")
    assert '<a href="/projects/return-systems/">Return systems</a>' in html
    assert "Unpublished one" not in html


def test_a_draft_project_shows_no_figures_to_the_public(client, world):
    world["project"].is_published = False
    world["project"].save()
    assert client.get("/projects/return-systems/").status_code == 404
    assert "Return systems" not in html_of(client, "/statistics/returns/")


def _grow(world, factor):
    """`factor` x more indicators linked, values, and projects linked to the indicator."""
    for n in range(10 * factor):
        indicator = IndicatorFactory(code=f"grown-{n}")
        world["project"].indicators.add(indicator)
        for year in range(2015, 2020):
            ObservationFactory(indicator=indicator, region=world["region"], period=str(year))
        ObservationFactory(
            indicator=indicator,
            region=world["region"],
            period="2019",
            category=f"Category {n}",
        )
        ProjectFactory(regions=[world["region"]]).indicators.add(world["returns"])


@pytest.mark.parametrize("factor", [1, 10])
def test_query_budgets_do_not_grow_with_the_data(client, world, factor, django_assert_num_queries):
    _grow(world, factor)
    # Project (+facility), countries, themes, donors, partners, regions, indicators; each
    # region's latest period per indicator, then the values at it; its documents; the site
    # settings, the footnoted countries.
    with django_assert_num_queries(12):
        html = html_of(client, "/projects/return-systems/")
    assert (
        html.count('class="tile"') + html.count('<article class="card figure">') == 10 * factor + 1
    )
    # The indicator page: its budget of tests/statistics/test_views.py less the query for
    # the totals of a breakdown (it has none), the related projects and the dataset record's
    # two included.
    # ... and the next scheduled change, which caps how long its charts are kept (read once a
    # generation and process; the page cache reads the same).
    with django_assert_num_queries(10):
        html = html_of(client, "/statistics/returns/")
    related = html.split('<section id="projects"')[1].split("</section>")[0]
    assert related.count('<li><a href="/projects/') == 10 * factor + 1
