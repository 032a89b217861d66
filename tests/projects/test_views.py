import datetime
import re
from decimal import Decimal

import pytest

from projects.models import Project
from tests.builders import KOSOVO_NOTE, build_world
from tests.factories import (
    ContactFactory,
    CountryFactory,
    FacilityFactory,
    OfficeFactory,
    OrganisationFactory,
    ProjectFactory,
    RegionFactory,
    ThematicAreaFactory,
)
from tests.htmlcheck import assert_page_basics

pytestmark = pytest.mark.django_db


def get_html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


@pytest.fixture
def full_project():
    kosovo = CountryFactory(name="Kosovo", slug="kosovo", iso_code="XK", footnote="UNSCR note.")
    montenegro = CountryFactory(name="Montenegro", slug="montenegro", iso_code="ME")
    region = RegionFactory(
        name="Western Balkans", slug="western-balkans", countries=[kosovo, montenegro]
    )
    office = OfficeFactory(region=region, country=montenegro, name="Podgorica office")
    contact = ContactFactory(
        region=region,
        office=office,
        name="Ana Marković",
        role="Project Manager",
        email="ana@example.org",
    )
    project = ProjectFactory(
        title="Return management systems",
        acronym="RMS",
        slug="rms",
        summary="Strengthening return systems.",
        description="## Aims\n\nBetter **returns**.",
        status=Project.Status.IMPLEMENTATION,
        planned_start=datetime.date(2024, 1, 1),
        planned_end=datetime.date(2026, 12, 31),
        actual_start=datetime.date(2024, 3, 15),
        regions=[region],
        countries=[kosovo, montenegro],
        thematic_areas=[ThematicAreaFactory(name="Return and readmission", slug="return")],
        facility=FacilityFactory(name="Return and Reintegration Facility", slug="rrf"),
        donors=[OrganisationFactory(name="European Union", acronym="EU", slug="eu")],
        budget=Decimal("1500000.50"),
        currency="EUR",
        website="https://example.org/rms",
        contact=contact,
        iati_identifier="XM-DAC-1-RMS",
    )
    project.implementing_partners.set([OrganisationFactory(name="Partner NGO", slug="ngo")])
    return project


def test_project_detail_shows_every_field(client, full_project):
    html = get_html(client, "/projects/rms/")
    page = assert_page_basics(html)
    assert page.title == "Return management systems (RMS) | WB Portal"
    assert page.meta["description"] == "Strengthening return systems."
    for text in [
        "Return management systems",
        "Implementation",
        'href="/regions/western-balkans/"',
        'href="/countries/montenegro/"',
        "Return and readmission",
        "Return and Reintegration Facility",
        "European Union (EU)",
        "Partner NGO",
        "EUR 1,500,000.50",
        "15 March 2024",  # actual start: one date style site-wide, never "Mar. 15, 2024"
        'datetime="2024-03-15"',
        "31 December 2026",
        "Planned end",
        "https://example.org/rms",
        "XM-DAC-1-RMS",
        "<h2>Aims</h2>",
        "Ana Marković",
        "ana@example.org",
        "Podgorica office",
    ]:
        assert text in html, text
    assert html.count("UNSCR note.") == 1 and 'id="fnref-xk"' in html


def test_project_detail_hides_non_public_contact(client, full_project):
    full_project.contact.is_published = False
    full_project.contact.save()
    html = get_html(client, "/projects/rms/")
    assert "Ana Marković" not in html and "ana@example.org" not in html


def test_project_detail_hides_unpublished_regions(client, full_project):
    full_project.regions.add(RegionFactory(name="Draft Region X", is_published=False))
    assert "Draft Region X" not in get_html(client, "/projects/rms/")


def test_draft_project_is_404_for_public_and_bannered_for_staff(client, staff_client):
    ProjectFactory(slug="draft", title="Draft project", is_published=False)
    get_html(client, "/projects/draft/", status=404)
    html = get_html(staff_client, "/projects/draft/")
    assert "Draft - not public" in html and "Draft project" in html
    get_html(client, "/projects/does-not-exist/", status=404)


def test_published_project_has_no_banner_for_staff(staff_client, full_project):
    assert "Draft - not public" not in get_html(staff_client, "/projects/rms/")


def test_project_detail_query_budget(client, django_assert_num_queries, full_project):
    # project (+facility), its contact if public now (+office), countries, themes, donors,
    # partners, regions, indicators addressed (none here), its published documents; the site
    # settings (header, footer) and the footnoted countries (free text is scanned for them)
    with django_assert_num_queries(11):
        get_html(client, "/projects/rms/")


def test_project_list(client):
    world = build_world()
    html = get_html(client, "/projects/")
    page = assert_page_basics(html)
    assert page.title == "Projects | WB Portal"
    assert "3 projects" in html
    assert "Regional project 000" in html and "Secret draft project" not in html
    assert html.count(KOSOVO_NOTE) == 1
    assert 'aria-current="page">Projects</span>' in html  # breadcrumbs
    assert world.draft_project.slug not in html


@pytest.mark.parametrize("scale", [1, 10])
@pytest.mark.parametrize(
    "query,queries",
    [
        # count, page, countries, themes; the form's choices: region, country, theme,
        # facility, donor; the site settings and the footnoted countries
        ("", 11),
        # plus one lookup for each chosen region and theme slug as the form validates them
        ("?region=wbt&q=regional&thematic_area=border", 13),
    ],
)
def test_project_list_query_budget(client, django_assert_num_queries, scale, query, queries):
    build_world(scale)
    with django_assert_num_queries(queries):
        html = get_html(client, "/projects/" + query)
    assert html.count('class="card project-card"') == min(3 * scale, 20)


def test_project_list_choices_are_read_without_server_side_cursors(client, monkeypatch):
    """QuerySet.iterator() (a server-side cursor on PostgreSQL) is not used for the form's
    choices: one plain query per select (listing.filters.ListedModelChoiceIterator)."""
    from django.db.models import QuerySet

    build_world()

    def no_iterator(self, *args, **kwargs):
        raise AssertionError(f"QuerySet.iterator() used for {self.model.__name__}")

    monkeypatch.setattr(QuerySet, "iterator", no_iterator)
    html = get_html(client, "/projects/?region=wbt")
    for select in ("region", "country", "thematic_area", "facility", "donor"):
        options = re.search(rf'<select name="{select}"[^>]*>(.*?)</select>', html, re.S)
        assert options and options.group(1).count("<option") > 1, select
    assert re.search(r'<option value="wbt" selected>', html)


def test_project_list_paginates_and_keeps_filters(client):
    build_world(10)  # 30 published projects
    html = get_html(client, "/projects/?region=wbt&q=regional")
    assert "30 projects" in html and "Page 1 of 2" in html
    assert 'href="?region=wbt&amp;q=regional&amp;page=2"' in html
    html = get_html(client, "/projects/?region=wbt&q=regional&page=2")
    assert "Regional project 029" in html and "Regional project 000" not in html
    assert 'href="?region=wbt&amp;q=regional&amp;page=1"' in html
    assert "Projects, page 2 | WB Portal" in html
