"""Checks across every public page type: unique titles, escaping of hostile text, scripts."""

import pytest

from projects.models import Project
from tests.builders import build_world
from tests.factories import (
    ApproachSectionFactory,
    ContactFactory,
    CountryFactory,
    FacilityFactory,
    IndicatorFactory,
    ObservationFactory,
    OfficeFactory,
    OrganisationFactory,
    ProjectFactory,
    RegionFactory,
    SourceFactory,
    ThematicAreaFactory,
)
from tests.htmlcheck import assert_page_basics, parse

pytestmark = pytest.mark.django_db


def test_every_demo_page_has_a_unique_title_and_description(client, demo):
    from projects.models import Project as P
    from regions.models import Country, Region

    urls = ["/", "/projects/", "/contacts/"]
    urls += [r.get_absolute_url() for r in Region.objects.published()]
    urls += [c.get_absolute_url() for c in Country.objects.public()]
    urls += [p.get_absolute_url() for p in P.objects.published()]
    titles, descriptions = {}, {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = assert_page_basics(response.content.decode())
        titles.setdefault(page.title, []).append(url)
        descriptions.setdefault(page.meta["description"], []).append(url)
    assert len(urls) > 10
    assert {t: u for t, u in titles.items() if len(u) > 1} == {}
    assert {d: u for d, u in descriptions.items() if len(u) > 1} == {}


def test_names_in_their_own_scripts_on_titles_headings_and_footnotes(client):
    world = build_world()
    world.kosovo.footnote = "Kosovo/Kosova: Prishtina/Priština, Crna Gora, Северна Македонија."
    world.kosovo.save()
    html = client.get("/regions/wbt/").content.decode()
    assert "<title>Western Balkans and Türkiye | WB Portal</title>" in html
    assert 'content="Western Balkans and Türkiye"' in html  # og:title
    assert "<h1>Western Balkans and Türkiye</h1>" in html
    assert "Kosovo/Kosova: Prishtina/Priština, Crna Gora, Северна Македонија." in html
    html = client.get("/countries/north-macedonia/").content.decode()
    assert "<title>North Macedonia | WB Portal</title>" in html
    assert '<p class="lead local-name">Северна Македонија</p>' in html
    html = client.get("/countries/turkiye/").content.decode()
    assert "<h1>Türkiye</h1>" in html
    html = client.get("/contacts/").content.decode()
    assert '<h3 class="card-title">Office in Prishtina/Priština' in html
    assert "Канцеларија Скопје" in html


EVIL = "<script>alert('{}')</script>"


def evil(field):
    return EVIL.format(field)


@pytest.fixture
def hostile_world():
    country = CountryFactory(
        name=evil("country.name"),
        local_name=evil("country.local_name"),
        slug="evil-country",
        iso_code="EV",
        footnote=evil("country.footnote"),
    )
    region = RegionFactory(
        name=evil("region.name"),
        slug="evil",
        summary=evil("region.summary"),
        body=evil("region.body") + " [x](javascript:alert(1))",
        countries=[country],
    )
    ApproachSectionFactory(region=region, title=evil("approach.title"), body=evil("approach.body"))
    office = OfficeFactory(
        region=region,
        country=country,
        name=evil("office.name"),
        city=evil("office.city"),
        street_address=evil("office.street"),
        postal_code="<b>1</b>",
        phone=evil("office.phone"),
    )
    contact = ContactFactory(
        region=region,
        office=office,
        name=evil("contact.name"),
        role=evil("contact.role"),
        phone=evil("contact.phone"),
    )
    ContactFactory(region=region, name=evil("regioncontact.name"), role=evil("rc.role"))
    ProjectFactory(
        title=evil("project.title"),
        acronym="<i>A</i>",
        slug="evil-project",
        summary=evil("project.summary"),
        description=evil("project.description"),
        iati_identifier=evil("project.iati"),
        regions=[region],
        countries=[country],
        thematic_areas=[ThematicAreaFactory(name=evil("theme.name"))],
        facility=FacilityFactory(name=evil("facility.name"), acronym="<u>F</u>"),
        donors=[OrganisationFactory(name=evil("donor.name"), acronym="<s>D</s>")],
        contact=contact,
        status=Project.Status.IMPLEMENTATION,
    )
    indicator = IndicatorFactory(
        code="evil-indicator",
        name=evil("indicator.name"),
        unit="<em>u</em>",
        breakdown_label=evil("indicator.breakdown"),
        is_featured=True,
    )
    source = SourceFactory(name=evil("source.name"))
    ObservationFactory(
        indicator=indicator,
        region=region,
        category=evil("obs.category"),
        source=source,
        note=evil("obs.note"),
    )
    ObservationFactory(
        indicator=indicator, region=None, country=country, source=source, note=evil("obs.note2")
    )


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/regions/evil/",
        "/countries/evil-country/",
        "/contacts/",
        "/projects/",
        "/projects/evil-project/",
        "/projects/?q=%3Cscript%3E",
    ],
)
def test_hostile_text_is_escaped_everywhere(client, hostile_world, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html and "javascript:" not in html
    for tag in ("<b>1</b>", "<i>A</i>", "<u>F</u>", "<s>D</s>", "<em>u</em>"):
        assert tag not in html
    assert "&lt;script&gt;alert(" in html
    assert parse(html).tags["h1"] == 1


def test_one_small_stylesheet_with_print_rules_and_no_external_requests(client, demo):
    import gzip
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    # One file for the whole site: the map, the key-figure tiles, the charts, the indicator
    # page's sections and the phone layouts included. What travels is the compressed file
    # (WhiteNoise serves it gzipped): it must stay well under one round trip (about 14 KB).
    assert len(gzip.compress(css.encode())) < 7_000
    assert "@media print" in css and "@import" not in css and "url(" not in css
    for url in ["/", "/regions/western-balkans/", "/projects/", "/contacts/"]:
        html = client.get(url).content.decode()
        assert html.count('rel="stylesheet"') == 1
        assert "<script" not in html
        assert 'src="http' not in html and 'rel="stylesheet" href="http' not in html
        assert 'href="/static/css/site.css"' in html
