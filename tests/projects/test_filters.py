"""Each filter of the public project list, combinations, and bad parameters (never a 500)."""

import re

import pytest

from projects.models import Project
from tests.factories import (
    CountryFactory,
    FacilityFactory,
    OrganisationFactory,
    ProjectFactory,
    RegionFactory,
    ThematicAreaFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    wb = RegionFactory(name="Western Balkans", slug="wb")
    tr = RegionFactory(name="Türkiye region", slug="tr")
    serbia = CountryFactory(name="Serbia", slug="serbia", iso_code="RS")
    turkiye = CountryFactory(name="Türkiye", slug="turkiye", iso_code="TR")
    wb.countries.set([serbia])
    tr.countries.set([turkiye])
    returns = ThematicAreaFactory(name="Returns", slug="returns")
    borders = ThematicAreaFactory(name="Borders", slug="borders")
    mpf = FacilityFactory(name="Migration Partnership Facility", slug="mpf")
    eu = OrganisationFactory(name="European Union", slug="eu")
    ch = OrganisationFactory(name="Switzerland", slug="ch")
    ProjectFactory(
        title="Alpha returns",
        acronym="ALR",
        summary="Return counselling in Serbia.",
        regions=[wb],
        countries=[serbia],
        thematic_areas=[returns],
        donors=[eu],
        facility=mpf,
    )
    ProjectFactory(
        title="Beta borders",
        acronym="BEB",
        summary="Border posts.",
        status=Project.Status.CLOSED,
        regions=[tr],
        countries=[turkiye],
        thematic_areas=[borders],
        donors=[ch],
    )
    ProjectFactory(
        title="Gamma mixed",
        acronym="GAM",
        summary="Both themes, both donors, Kočani and Niš.",
        regions=[wb, tr],
        countries=[serbia, turkiye],
        thematic_areas=[returns, borders],
        donors=[eu, ch],
        facility=mpf,
    )
    ProjectFactory(
        title="Delta draft returns", regions=[wb], thematic_areas=[returns], is_published=False
    )


def titles(client, query):
    response = client.get("/projects/" + query)
    assert response.status_code == 200, query
    html = response.content.decode()
    found = re.findall(r'class="card-title"><a href="/projects/[^"]+/">([^<]+)</a>', html)
    return set(found), html


@pytest.mark.parametrize(
    "query,expected",
    [
        ("", {"Alpha returns", "Beta borders", "Gamma mixed"}),
        ("?region=wb", {"Alpha returns", "Gamma mixed"}),
        ("?region=tr", {"Beta borders", "Gamma mixed"}),
        ("?country=turkiye", {"Beta borders", "Gamma mixed"}),
        ("?thematic_area=returns", {"Alpha returns", "Gamma mixed"}),
        ("?status=closed", {"Beta borders"}),
        ("?status=implementation", {"Alpha returns", "Gamma mixed"}),
        ("?facility=mpf", {"Alpha returns", "Gamma mixed"}),
        ("?donor=ch", {"Beta borders", "Gamma mixed"}),
        ("?q=beta", {"Beta borders"}),
        ("?q=gam", {"Gamma mixed"}),  # acronym
        ("?q=counselling", {"Alpha returns"}),  # summary
        ("?q=Niš", {"Gamma mixed"}),
        ("?q=draft", set()),  # drafts are never listed
        ("?q=Türkiye", {"Beta borders", "Gamma mixed"}),  # a country's name
        ("?q=türkiye borders", {"Beta borders"}),  # a country name and a title word
        # combinations
        ("?region=wb&donor=ch", {"Gamma mixed"}),
        ("?region=tr&status=closed&thematic_area=borders", {"Beta borders"}),
        ("?country=serbia&thematic_area=returns&facility=mpf&q=alpha", {"Alpha returns"}),
        ("?region=wb&country=serbia&donor=eu", {"Alpha returns", "Gamma mixed"}),
        ("?status=closed&facility=mpf", set()),
        ("?region=&country=&status=&q=", {"Alpha returns", "Beta borders", "Gamma mixed"}),
    ],
)
def test_filters(client, catalogue, query, expected):
    found, html = titles(client, query)
    assert found == expected
    assert "Delta draft returns" not in html


def test_text_search_ignores_names_of_countries_without_a_public_page(client, catalogue):
    hidden = CountryFactory(name="Hiddenland", slug="hiddenland", iso_code="QH")
    RegionFactory(is_published=False, countries=[hidden])
    ProjectFactory(title="Epsilon", countries=[hidden])
    assert titles(client, "?q=Hiddenland")[0] == set()


def test_each_filter_offers_all_by_name_not_a_row_of_dashes(client, catalogue):
    _, html = titles(client, "")
    for label in (
        "All regions",
        "All countries",
        "All thematic areas",
        "All statuses",
        "All facilities",
        "All donors",
    ):
        assert f'<option value="" selected>{label}</option>' in html
    assert "---------" not in html


def test_filtered_form_keeps_its_values(client, catalogue):
    _, html = titles(client, "?region=wb&q=returns")
    assert '<option value="wb" selected>' in html
    assert 'value="returns"' in html
    assert "Clear filters" in html


def test_multi_valued_filters_list_each_project_once(client, catalogue):
    _, html = titles(client, "?region=wb&thematic_area=returns&donor=eu&country=serbia")
    assert html.count(">Gamma mixed<") == 1
    assert "2 projects" in html


def test_empty_result_says_so_and_offers_to_clear(client, catalogue):
    found, html = titles(client, "?q=nothing-matches-this")
    assert found == set()
    assert "No project matches these filters." in html
    assert '<a href="/projects/">Clear filters</a>' in html


@pytest.mark.parametrize(
    "query,field",
    [
        ("?status=unknown", "status"),
        ("?country=atlantis", "country"),
        ("?region=draft-or-nothing", "region"),
        ("?donor=nobody", "donor"),
        ("?facility=%3Cscript%3E", "facility"),
        ("?thematic_area=x&region=wb", "thematic_area"),
    ],
)
def test_invalid_filter_values_show_an_error_not_a_500(client, catalogue, query, field):
    found, html = titles(client, query)
    assert found == set()
    assert f'id="id_{field}-error"' in html
    assert "Select a valid choice" in html
    assert "Some filter values are not valid" in html
    assert "<script>" not in html


def test_draft_region_is_not_a_filter_choice(client, catalogue):
    RegionFactory(name="Hidden draft region", slug="hidden", is_published=False)
    found, html = titles(client, "?region=hidden")
    assert found == set() and "Hidden draft region" not in html


@pytest.mark.parametrize(
    "query,status",
    [
        ("?page=abc", 404),
        ("?page=999", 404),
        ("?page=0", 404),
        ("?page=-1", 404),
        ("?page=1", 200),
        ("?page=last", 200),
        ("?q=" + "x" * 500, 200),
        ("?unknown=1", 200),
        ("?region=wb&region=tr", 200),
        ("?q=%00", 200),
        ("?q=%27%22%3B--", 200),
    ],
)
def test_nonsense_parameters_never_500(client, catalogue, query, status):
    assert client.get("/projects/" + query).status_code == status


def test_404_page_is_ours(client, catalogue):
    response = client.get("/projects/?page=999")
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html and "<title>Page not found | WB Portal</title>" in html
