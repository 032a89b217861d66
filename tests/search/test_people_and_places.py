"""Site search finds offices (by name and city), contacts (by name and role) and a country's
page by the cities of its offices, on both engines; only what the contacts and country
pages show the public. Tests marked `postgresql_only` skip on SQLite; CI runs both."""

import pytest

from search.engine import search
from tests.builders import build_world
from tests.factories import ContactFactory, CountryFactory, OfficeFactory
from tests.search.test_search import ENGINES, titles

pytestmark = pytest.mark.django_db


def kinds(results):
    return {(str(result.kind), result.title) for result in results}


@pytest.fixture
def world():
    world = build_world()
    podgorica = OfficeFactory(
        region=world.region,
        country=world.montenegro,
        name="Office in Podgorica",
        slug="podgorica",
        city="Podgorica",
        street_address="Bulevar Svetog Petra Cetinjskog 1, Vektra Business Centre, 5th floor, "
        "entrance from the Square of the Republic",
        postal_code="81000",
        email="podgorica@example.org",
    )
    ContactFactory(
        region=world.region,
        office=podgorica,
        name="Adrian Cooper",
        role="Project Manager – Montenegro",
        email="adrian.cooper@example.org",
        phone="+382 20 000 000",
    )
    draft_office = OfficeFactory(
        region=world.region,
        country=world.turkiye,
        name="Office in Gaziantep",
        slug="gaziantep",
        city="Gaziantep",
        is_published=False,
    )
    ContactFactory(
        region=world.region,
        office=draft_office,
        name="Zeynep Kaya",
        role="Head of the Gaziantep office",
    )
    return world


@pytest.mark.parametrize("engine", ENGINES)
def test_contacts_by_name_and_role(world, engine):
    assert ("Contact", "Adrian Cooper") in kinds(search("Adrian", engine))
    assert ("Contact", "Ayşe Yılmaz") in kinds(search("special representative", engine))
    assert ("Contact", "Adrian Cooper") in kinds(search("project manager", engine))


@pytest.mark.parametrize("engine", ENGINES)
def test_offices_by_city_and_name(world, engine):
    found = kinds(search("Podgorica", engine))
    assert ("Office", "Office in Podgorica") in found
    # Montenegro's page lists the office: the country is found by the office's city.
    assert ("Country", "Montenegro") in found
    assert ("Office", "Office in Prishtina/Priština") in kinds(search("Priština", engine))


@pytest.mark.parametrize("engine", ENGINES)
def test_never_what_the_contacts_page_hides(world, engine):
    # A draft contact; a published contact of a draft office (the page lists neither); a
    # draft office, and a country is not found by a draft office's city.
    for query in ("Hidden Colleague", "Zeynep", "Gaziantep"):
        assert search(query, engine) == [], query
    # Email and phone are not searched: the result for a name shows the role only.
    assert not [r for r in search("adrian.cooper@example.org", engine) if r.kind == "Contact"]
    assert search("382", engine) == []
    result = next(r for r in search("Adrian", engine) if r.kind == "Contact")
    assert "example.org" not in result.snippet and "382" not in result.snippet
    assert result.snippet == "Project Manager – Montenegro"


@pytest.mark.parametrize("engine", ENGINES)
def test_office_snippet_is_its_address(world, engine):
    result = next(r for r in search("Podgorica", engine) if r.kind == "Office")
    # The whole address: 21 words, all shown although the match is the 19th.
    assert result.snippet == (
        "Bulevar Svetog Petra Cetinjskog 1, Vektra Business Centre, 5th floor, entrance from "
        "the Square of the Republic, 81000 <mark>Podgorica</mark>, Montenegro"
    )
    country = next(r for r in search("Podgorica", engine) if r.kind == "Country")
    assert "Our offices: <mark>Podgorica</mark>" in country.snippet


@pytest.mark.parametrize("engine", ENGINES)
def test_a_draft_countrys_name_is_not_in_an_office_snippet(world, engine):
    # As on the contacts page (tests/regions/test_attack_draft_country_of_office.py).
    draft = CountryFactory(name="Unreviewedland", slug="unreviewed", iso_code="QU")
    draft.is_published = False
    draft.save()
    world.region.countries.add(draft)
    OfficeFactory(region=world.region, country=draft, name="Seat office", city="Capital")
    result = next(r for r in search("Capital", engine) if r.kind == "Office")
    assert result.snippet.endswith(" <mark>Capital</mark>")  # no country after the city
    assert search("Unreviewedland", engine) == []


def test_results_page_links_to_the_contact_and_office(client, world):
    html = client.get("/search/", {"q": "Adrian"}).content.decode()
    assert 'href="/contacts/#contact-' in html and "Adrian Cooper" in html
    html = client.get("/search/", {"q": "Podgorica"}).content.decode()
    assert 'href="/contacts/#office-podgorica"' in html
    assert 'href="/countries/montenegro/"' in html


@pytest.mark.parametrize("engine", ENGINES)
def test_demo_people_and_places(demo, engine):
    """The issue's examples on the demo content (fixtures/offices_contacts.json)."""
    assert ("Contact", "Adrian Cooper") in kinds(search("Adrian", engine))
    found = search("Sarajevo", engine)
    assert titles(found)[0] == "ICMPD Office in Sarajevo"
    assert ("Country", "Bosnia and Herzegovina") in kinds(found)
