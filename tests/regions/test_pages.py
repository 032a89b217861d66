import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regions.views import PAGE_PROJECTS
from tests.builders import KOSOVO_NOTE, build_world
from tests.factories import (
    ApproachSectionFactory,
    ContactFactory,
    CountryFactory,
    ObservationFactory,
    OfficeFactory,
    ProjectFactory,
    RegionFactory,
    ThematicAreaFactory,
)
from tests.htmlcheck import assert_page_basics

pytestmark = pytest.mark.django_db

# Region page: region, countries, approach sections, projects (+countries), their count,
# themes, key figures (latest period ends, then the rows), offices (+public contacts),
# region-wide contacts, the site settings, the footnoted countries, and (to keep the content
# as a fragment: statistics/fragments.py) the next scheduled change: at most this many
# queries, whatever the content, when the page's content is rendered.
REGION_PAGE_QUERY_BUDGET = 16


@pytest.fixture
def world():
    return build_world()


def get_html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_region_page_sections(client, world):
    html = get_html(client, "/regions/wbt/")
    page = assert_page_basics(html)
    assert page.title == "Western Balkans and Türkiye | WB Portal"
    assert "<h1>Western Balkans and Türkiye</h1>" in html
    assert page.meta["og:type"] == "article"
    assert page.meta["canonical"] == "http://testserver/regions/wbt/"
    # Overview (Markdown), countries in their own scripts, member state year.
    assert "<strong>Crna Gora</strong>" in html
    assert "Северна Македонија" in html
    # Membership names the organisation (site settings' short name), never a bare "member state".
    assert "ICMPD Member State since 2015" in html
    assert "Route-based approach" in html
    # Thematic areas of the region's projects, linking to the filtered list.
    assert "/projects/?region=wbt&amp;thematic_area=return" in html
    # Current projects, not the draft.
    assert "Regional project 000" in html and "Secret draft project" not in html
    # Offices with addresses and public contacts, region-wide contacts; never a hidden one.
    assert "Office in Prishtina/Priština" in html and "Rruga Agim Ramadani" in html
    assert "Канцеларија Скопје" in html and "Бул. Гоце Делчев" in html
    assert "Public Person 0" in html and "Ayşe Yılmaz" in html
    assert "Hidden Colleague" not in html
    # In-page links to every section.
    for anchor in ("overview", "where-we-work", "approach", "themes", "projects", "key-figures"):
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    assert 'href="#offices"' in html


def test_region_page_key_figures(client, world):
    html = get_html(client, "/regions/wbt/")
    # Latest observation of each featured indicator, localised, with unit, period and source.
    assert "12,347 people" in html  # 12345 + 2, the 1992 figure
    assert "12,346" not in html  # older periods are not key figures
    assert "4.3%" in html  # one decimal, as the indicator says
    assert "Period: 1992" in html and "Source: Ministry of Interior" in html
    # Each tile links to its indicator, filtered to the region.
    assert f'href="/statistics/arrivals/?area={world.region.code}"' in html
    assert "A figure not featured" not in html
    # Provisional is marked in text, not colour only.
    assert re.search(r"12,347 people <span class=\"mark-provisional\">\(provisional\)</span>", html)
    assert html.count("(provisional)") == 1


def test_kosovo_footnote_once_linked_both_ways(client, world):
    html = get_html(client, "/regions/wbt/")
    assert html.count(KOSOVO_NOTE) == 1
    footer = html.split('<footer class="site-footer">')[1]
    assert KOSOVO_NOTE in footer
    assert 'id="footnote-xk"' in html and 'href="#footnote-xk"' in html
    assert html.count('id="fnref-xk"') == 1 and 'href="#fnref-xk"' in footer


def test_country_without_footnote_has_no_notes(client):
    RegionFactory(slug="plain", countries=[CountryFactory(name="Montenegro", iso_code="ME")])
    html = get_html(client, "/regions/plain/")
    assert "footnote-" not in html


def region_page_queries(client):
    """(number of queries, HTML) of one anonymous request for the region page."""
    with CaptureQueriesContext(connection) as queries:
        html = get_html(client, "/regions/wbt/")
    return len(queries), html


def test_region_page_query_budget(client):
    """Measured with the small world, then with ten times its projects, contacts, themes,
    countries, sections and figures: the same number of queries, within the budget."""
    world = build_world()
    small, html = region_page_queries(client)
    assert html.count('class="card project-card"') == 3
    theme = ThematicAreaFactory(name="Labour migration", slug="labour")
    for i in range(3, 30):
        ProjectFactory(
            title=f"Regional project {i:03d}",
            regions=[world.region],
            countries=[world.kosovo, world.north_macedonia],
            thematic_areas=[theme],
        )
        ContactFactory(region=world.region, office=world.offices[i % 2], name=f"Public Person {i}")
        for indicator in world.indicators.values():
            ObservationFactory(indicator=indicator, region=world.region, period=str(1990 + i))
    for _ in range(9):
        ApproachSectionFactory(region=world.region)
        world.region.countries.add(CountryFactory())
    large, html = region_page_queries(client)
    # At most PAGE_PROJECTS cards, then a link to all of them; every contact and theme.
    assert html.count('class="card project-card"') == PAGE_PROJECTS
    assert "All 30 current projects in" in html
    assert "Public Person 29" in html and "Labour migration" in html
    assert "Period: 2019" in html  # the latest figures are the new ones
    assert large == small <= REGION_PAGE_QUERY_BUDGET


def test_draft_region_is_404_for_public_and_bannered_for_staff(client, staff_client):
    RegionFactory(slug="draft", name="Draft region", is_published=False)
    get_html(client, "/regions/draft/", status=404)
    html = get_html(staff_client, "/regions/draft/")
    assert "Draft - not public" in html


def test_published_region_has_no_draft_banner_for_staff(admin_client, world):
    assert "Draft - not public" not in get_html(admin_client, "/regions/wbt/")


def test_non_staff_user_does_not_see_drafts(client, django_user_model):
    RegionFactory(slug="draft", is_published=False)
    client.force_login(django_user_model.objects.create_user("reader", password="x-123456789"))
    get_html(client, "/regions/draft/", status=404)


def test_home_lists_published_regions_with_headline_figures(client, world):
    RegionFactory(name="Hidden draft region", slug="hidden", is_published=False)
    html = get_html(client, "/")
    assert_page_basics(html)
    assert "Western Balkans and Türkiye" in html
    assert "Our work from Prishtina/Priština to Ankara." in html
    assert "12,347 people" in html and "(provisional)" in html
    assert "Hidden draft region" not in html


@pytest.mark.parametrize("scale", [1, 10])
def test_home_query_budget(client, django_assert_num_queries, scale):
    build_world(scale)
    # Regions (+ their countries), two figures queries per region, the map's countries and
    # offices, the latest projects (+ their countries); the site settings, the footnoted
    # countries.
    with django_assert_num_queries(10):
        get_html(client, "/")


def test_country_page(client, world):
    html = get_html(client, "/countries/kosovo/")
    page = assert_page_basics(html)
    assert page.title == "Kosovo* | WB Portal"
    assert html.count(KOSOVO_NOTE) == 1
    assert 'id="fnref-xk"' in html
    assert "Office in Prishtina/Priština" in html and "Public Person 0" in html
    assert "Hidden Colleague" not in html
    assert "Regional project 000" in html and "Secret draft project" not in html
    assert "500 people" not in html and "502 people" in html  # its own latest figure
    assert 'href="/regions/wbt/"' in html


def test_country_page_in_own_script(client, world):
    html = get_html(client, "/countries/north-macedonia/")
    assert "Северна Македонија" in html and "Канцеларија Скопје" in html
    assert KOSOVO_NOTE in html  # its projects name Kosovo*, so the note is at the foot


@pytest.mark.parametrize("scale", [1, 10])
def test_country_page_query_budget(client, django_assert_num_queries, scale):
    build_world(scale)
    # country, regions, offices (+contacts), projects (+countries), their count, figures (2),
    # the figures' sources, their indicators, the map's countries (the region's); the site
    # settings, the footnoted countries; the next scheduled change (the content is kept as a
    # fragment)
    with django_assert_num_queries(15):
        html = get_html(client, "/countries/kosovo/")
    assert html.count('class="card project-card"') == min(3 * scale, PAGE_PROJECTS)
    assert f"All {3 * scale} projects in Kosovo*" in html


def test_country_outside_published_regions_is_404(client, staff_client):
    RegionFactory(slug="draft", is_published=False, countries=[CountryFactory(slug="lonely")])
    CountryFactory(slug="nowhere")
    get_html(client, "/countries/lonely/", status=404)
    get_html(client, "/countries/nowhere/", status=404)
    assert "Draft - not public" in get_html(staff_client, "/countries/lonely/")


def test_contacts_page_grouped_by_country(client, world):
    html = get_html(client, "/contacts/")
    assert_page_basics(html)
    kosovo = html.index('id="country-kosovo"')
    north_macedonia = html.index('id="country-north-macedonia"')
    assert kosovo < html.index("Office in Prishtina/Priština") < north_macedonia
    assert north_macedonia < html.index("Канцеларија Скопје")
    assert "Ayşe Yılmaz" in html and "Special Representative" in html
    assert "Hidden Colleague" not in html
    assert html.count(KOSOVO_NOTE) == 1


def test_contacts_of_unpublished_region_are_not_public(client):
    draft = RegionFactory(is_published=False)
    OfficeFactory(region=draft, name="Office of a draft region")
    ContactFactory(region=draft, name="Draft Region Person")
    html = get_html(client, "/contacts/")
    assert "Office of a draft region" not in html and "Draft Region Person" not in html


@pytest.mark.parametrize("scale", [1, 10])
def test_contacts_page_query_budget(client, django_assert_num_queries, scale):
    build_world(scale)
    # offices, their public contacts, region-wide contacts; the site settings, the footnoted
    # countries
    with django_assert_num_queries(5):
        get_html(client, "/contacts/")


def project_titles(html):
    return re.findall(r'<a href="/projects/[^"]+/">([^<]+)</a>', html)


def test_region_page_shows_the_latest_started_projects_and_links_to_all(client):
    world = build_world(5)  # 15 current projects in the region, one draft
    for i, project in enumerate(world.projects):
        # Started one month apart; project 000 is the latest started (its actual start
        # overrides a later planned one), the rest by planned start.
        project.planned_start = date(2020, 1, 1) + timedelta(days=30 * (len(world.projects) - i))
        project.actual_start = date(2030, 1, 1) if i == 0 else None
        project.save()
    closed = world.projects[-1]
    closed.status = closed.Status.CLOSED
    closed.save()
    html = get_html(client, "/regions/wbt/")
    titles = project_titles(html.split('id="projects"')[1].split("</section>")[0])
    assert titles == [f"Regional project {i:03d}" for i in range(PAGE_PROJECTS)]
    assert "The 12 most recently started are shown." in html
    # The count is of the current (in implementation) published projects: 15 - 1 closed.
    link = '<a href="/projects/?region=wbt&amp;status=implementation">'
    assert link + "All 14 current projects in Western Balkans and Türkiye</a>" in html
    # The link leads to exactly those 14 (20 a page).
    listed = get_html(client, "/projects/?region=wbt&status=implementation")
    assert ">14 projects</h2>" in listed
    assert "Secret draft project" not in listed and closed.title not in listed


def test_region_page_with_few_projects_has_no_cap_note(client, world):
    html = get_html(client, "/regions/wbt/")
    assert html.count('class="card project-card"') == 3
    assert "most recently started" not in html
    assert "All 3 current projects in Western Balkans and Türkiye" in html


def test_country_page_caps_projects_and_links_to_the_country_list(client):
    build_world(5)
    html = get_html(client, "/countries/kosovo/")
    assert html.count('class="card project-card"') == PAGE_PROJECTS
    assert "The 12 most recently started are shown." in html
    assert '<a href="/projects/?country=kosovo">All 15 projects in Kosovo*</a>' in html
    listed = get_html(client, "/projects/?country=kosovo")
    assert ">15 projects</h2>" in listed
