"""What catalogues and search engines read of the indicators: the DCAT-AP catalogue at
/catalog.jsonld and each indicator page's schema.org Dataset, read back as plain JSON (no RDF
library): the properties DCAT-AP and Google's Dataset rich result ask for, every download
answering, each figure's licence and creator its source's (never the portal's licence for a
third party's figures), the territory note, drafts and staged releases left out, and a
number of queries that does not grow with the indicators."""

import json
import re
from statistics.models import Derivation, DerivationMethod, Indicator, Observation, Source
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from pages.models import SiteSettings
from regions.models import Country, Region
from tests.factories import IndicatorFactory, ObservationFactory, SourceFactory
from tests.statistics.test_data_release import HIDDEN as STAGED
from tests.statistics.test_data_release import clock, release  # noqa: F401 - fixtures
from tests.statistics.test_draft_visibility import areas, hidden_texts  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

CATALOG = "/catalog.jsonld"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA = "https://www.iana.org/assignments/media-types/"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
NO_TERMS = "The source states no licence or terms of use."
DOWNLOADS = {
    "csv": ("CSV", "text/csv"),
    "csv_regional": ("CSV", "text/csv"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "zip": ("ZIP", "application/zip"),
    "json": ("JSON", "application/json"),
}


def catalogue(client):
    response = client.get(CATALOG)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    return json.loads(response.content)


def by_code(document):
    """The catalogue's datasets by indicator code (the last part of the landing page)."""
    return {
        d["dcat:landingPage"]["@id"].rstrip("/").rsplit("/", 1)[1]: d
        for d in document["dcat:dataset"]
    }


def public_codes():
    """Indicators with at least one public figure, worked out here from the one rule."""
    return set(Observation.objects.public().values_list("indicator__code", flat=True))


def page_datasets(html):
    """The schema.org documents of a page's <script type="application/ld+json">."""
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def text(value):
    return value["@value"]


def local(url):
    """A catalogue address as the test client asks for it (it names SITE_URL's host)."""
    assert url.startswith(settings.SITE_URL), url
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- the catalogue -------------------------------------------------------------------------


def test_the_catalogue_is_dcat_ap_and_lists_every_public_indicator(client, demo):
    IndicatorFactory(code="no-figures-yet", name="No figures yet")
    document = catalogue(client)
    site = SiteSettings.objects.current()
    assert document["@type"] == "dcat:Catalog"
    assert document["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert document["@context"]["dct"] == "http://purl.org/dc/terms/"
    assert text(document["dct:title"]) and text(document["dct:description"])
    assert document["dct:publisher"]["foaf:name"] == site.organisation_name
    assert document["dct:language"]["@id"].endswith("/language/ENG")
    datasets = by_code(document)
    assert set(datasets) == public_codes() and len(datasets) >= 9
    assert "no-figures-yet" not in datasets  # an indicator without a figure is no dataset
    for code, dataset in datasets.items():
        indicator = Indicator.objects.get(code=code)
        page = settings.SITE_URL + indicator.get_absolute_url()
        assert dataset["@type"] == "dcat:Dataset"
        assert dataset["dct:identifier"] == page == dataset["dcat:landingPage"]["@id"]
        assert text(dataset["dct:title"]) == indicator.name
        assert len(text(dataset["dct:description"])) >= 50
        assert [text(k) for k in dataset["dcat:keyword"]]
        assert dataset["dcat:theme"]["@id"].endswith("/data-theme/SOCI")
        assert dataset["dct:publisher"]["foaf:name"] == site.organisation_name
        assert dataset["dct:creator"], code
        temporal = dataset["dct:temporal"]
        assert temporal["dcat:startDate"]["@type"] == "xsd:date"
        assert text(temporal["dcat:startDate"]) <= text(temporal["dcat:endDate"])
        assert dataset["dct:spatial"] and all(
            text(area["skos:prefLabel"]) and area["dct:identifier"]
            for area in dataset["dct:spatial"]
        )
        assert dataset["dct:modified"]["@type"] == "xsd:dateTime"
        assert dataset["dcat:contactPoint"]["vcard:hasURL"]["@id"].endswith("/contacts/")
        kinds = {d["@id"].rsplit("-", 1)[1]: d for d in dataset["dcat:distribution"]}
        assert set(kinds) == set(DOWNLOADS), code
        for kind, distribution in kinds.items():
            file_type, media_type = DOWNLOADS[kind]
            assert distribution["@type"] == "dcat:Distribution"
            assert distribution["dct:format"]["@id"] == FILE_TYPE + file_type
            assert distribution["dcat:mediaType"]["@id"] == IANA + media_type
            assert distribution["dcat:accessURL"] == distribution["dcat:downloadURL"]
            assert text(distribution["dct:rights"]["rdfs:label"])


def test_every_download_the_catalogue_names_answers(client, demo):
    datasets = catalogue(client)["dcat:dataset"]
    urls = [d["dcat:downloadURL"]["@id"] for s in datasets for d in s["dcat:distribution"]]
    assert len(urls) == 5 * len(datasets)
    for url in urls:
        response = client.get(local(url))
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)


def test_licence_and_creator_are_the_sources_never_the_portals(client, demo):
    # The portal's own licence told apart from the World Bank's CC BY 4.0.
    site = SiteSettings.objects.current()
    site.data_licence_name, site.data_licence_url = "Portal Licence", "https://example.org/pl"
    site.save()
    datasets = by_code(catalogue(client))
    # The World Bank's population: its CC BY 4.0, World Bank as the creator.
    population = datasets["population"]
    assert [c["foaf:name"] for c in population["dct:creator"]] == ["World Bank"]
    assert population["dct:creator"][0]["foaf:homepage"]["@id"] == (
        "https://data.worldbank.org/indicator/SP.POP.TOTL"
    )
    assert population["dct:license"]["@id"] == CC_BY
    assert population["dcat:distribution"][0]["dct:license"]["@id"] == CC_BY
    # IOM's presentation states no terms: no licence at all, and it says so.
    iom = Source.objects.get(code="iom-emwp-2025-05-14")
    returns = datasets["returns-avr-cumulative"]
    assert [c["foaf:name"] for c in returns["dct:creator"]] == [iom.publisher or iom.name]
    assert "dct:license" not in returns
    assert all("dct:license" not in d for d in returns["dcat:distribution"])
    rights = text(returns["dct:rights"]["rdfs:label"])
    assert f"{iom.name}: {NO_TERMS}" in rights
    # The portal's own licence is named for no third party's figures.
    written = json.dumps(datasets)
    assert site.data_licence_url not in written and site.data_licence_name not in written


def test_a_computed_figure_owes_its_inputs_sources(client, demo):
    """A rate per 1,000 inhabitants: its own figures carry the numerator's source, the World
    Bank's population is a creator too, and two sources under different terms share no
    licence."""
    ministry = SourceFactory(name="Ministry of Arrivals", code="ministry", licence="")
    arrivals = IndicatorFactory(code="arrivals-count", name="Arrivals")
    rate = IndicatorFactory(code="arrivals-per-1000", name="Arrivals per 1,000 inhabitants")
    Derivation.objects.create(
        indicator=rate,
        method=DerivationMethod.RATIO,
        numerator=arrivals,
        denominator=Indicator.objects.get(code="population"),
        scale=1000,
    )
    albania = Country.objects.get(iso_code="AL")
    ObservationFactory(
        indicator=arrivals, region=None, country=albania, period="2020", source=ministry
    )
    ObservationFactory(indicator=rate, region=None, country=albania, period="2020", source=ministry)
    dataset = by_code(catalogue(client))["arrivals-per-1000"]
    assert [c["foaf:name"] for c in dataset["dct:creator"]] == [
        "Ministry of Arrivals",
        "World Bank",
    ]
    assert "dct:license" not in dataset
    rights = text(dataset["dct:rights"]["rdfs:label"])
    assert f"Ministry of Arrivals: {NO_TERMS}" in rights and "CC BY 4.0" in rights


def test_kosovo_is_named_with_its_footnote(client, demo):
    kosovo = Country.objects.get(iso_code="XK")
    assert kosovo.footnote
    population = by_code(catalogue(client))["population"]
    place = next(a for a in population["dct:spatial"] if a["dct:identifier"] == "XK")
    assert text(place["skos:prefLabel"]) == "Kosovo*"
    assert text(place["skos:scopeNote"]) == kosovo.footnote
    assert f"* Kosovo: {kosovo.footnote}" in text(population["dct:description"])
    serbia = next(a for a in population["dct:spatial"] if a["dct:identifier"] == "RS")
    assert "skos:scopeNote" not in serbia
    # A dataset that names no footnoted country carries no note.
    returns = by_code(catalogue(client))["returns-avr-cumulative"]
    assert kosovo.footnote not in json.dumps(returns)


def test_draft_areas_and_their_figures_are_never_listed(client, areas):  # noqa: F811
    document = catalogue(client)
    assert set(by_code(document)) == {"arrivals"}  # not "draft-only"
    dataset = document["dcat:dataset"][0]
    assert {text(a["skos:prefLabel"]) for a in dataset["dct:spatial"]} == {
        "Open Region",
        "Bridgeland",
    }
    assert text(dataset["dct:temporal"]["dcat:endDate"]) == "2024-12-31"
    written = json.dumps(document, ensure_ascii=False)
    assert [hidden for hidden in hidden_texts() if hidden in written] == []


def test_staged_releases_are_never_listed_until_released(client, release, clock):  # noqa: F811
    written = json.dumps(catalogue(client), ensure_ascii=False)
    assert "staged-only" not in written
    assert [hidden for hidden in STAGED if hidden in written] == []


@pytest.mark.parametrize("count", [1, 12])
def test_the_catalogue_reads_the_same_queries_for_one_indicator_or_many(
    client, count, django_assert_num_queries
):
    source = SourceFactory(licence="CC BY 4.0", licence_url=CC_BY)
    for n in range(count):
        indicator = IndicatorFactory(code=f"indicator-{n}")
        for year in (2020, 2021):
            ObservationFactory(indicator=indicator, period=str(year), source=source)
    # The site settings, the indicators (periods, counts), the sources and areas of their
    # figures, the sources, the footnoted countries.
    with django_assert_num_queries(5):
        document = catalogue(client)
    assert len(document["dcat:dataset"]) == count


def test_the_catalogue_is_served_from_the_page_cache(settings, demo):
    settings.PAGE_CACHE = True
    visitor = Client()
    first, second = visitor.get(CATALOG), visitor.get(CATALOG)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert first.content == second.content
    # A change of the figures is seen at once.
    Indicator.objects.filter(code="population").update(name="Population (mid-year)")
    Observation.objects.filter(indicator__code="population").first().save()
    third = visitor.get(CATALOG)
    assert third["X-Page-Cache"] == "miss" and b"Population (mid-year)" in third.content


def test_the_statistics_page_links_the_catalogue(client, demo):
    html = client.get(reverse("statistics:indicator-list")).content.decode()
    assert f'<link rel="alternate" type="application/ld+json" href="{CATALOG}"' in html
    assert f'href="{CATALOG}">the portal\'s catalogue</a>' in html
    assert 'id="open-data"' in html


# --- the indicator page's schema.org Dataset -----------------------------------------------


def test_an_indicator_page_describes_its_dataset_for_search_engines(client, demo):
    html = client.get(reverse("statistics:indicator-detail", args=["population"])).content.decode()
    [dataset] = page_datasets(html)
    assert dataset["@context"] == "https://schema.org" and dataset["@type"] == "Dataset"
    assert dataset["name"] == "Population"
    assert 50 <= len(dataset["description"]) <= 5000
    assert dataset["url"] == settings.SITE_URL + "/statistics/population/"
    assert dataset["license"] == CC_BY  # the World Bank's, one licence for every figure
    assert dataset["creator"] == [
        {
            "@type": "Organization",
            "name": "World Bank",
            "url": "https://data.worldbank.org/indicator/SP.POP.TOTL",
        }
    ]
    assert dataset["publisher"]["name"] == SiteSettings.objects.current().organisation_name
    assert dataset["temporalCoverage"] == "2015-01-01/2024-12-31"
    kosovo = next(p for p in dataset["spatialCoverage"] if p["name"] == "Kosovo*")
    assert kosovo["description"] == Country.objects.get(iso_code="XK").footnote
    assert dataset["creditText"].startswith("World Bank, World Development Indicators")
    assert {d["encodingFormat"] for d in dataset["distribution"]} == {
        media for _file, media in DOWNLOADS.values()
    }
    for distribution in dataset["distribution"]:
        assert distribution["@type"] == "DataDownload"
        assert client.get(local(distribution["contentUrl"])).status_code == 200
    # The same dataset as the catalogue's, and the page links the catalogue.
    assert f'<link rel="alternate" type="application/ld+json" href="{CATALOG}"' in html
    assert 'href="/statistics/#open-data">How to cite and reuse' in html


def test_a_source_without_terms_is_said_to_state_none(client, demo):
    html = client.get(
        reverse("statistics:indicator-detail", args=["returns-avr-cumulative"])
    ).content.decode()
    [dataset] = page_datasets(html)
    iom = Source.objects.get(code="iom-emwp-2025-05-14")
    assert dataset["license"] == [{"@type": "CreativeWork", "name": f"{iom.name}: {NO_TERMS}"}]
    assert [c["name"] for c in dataset["creator"]] == [iom.publisher or iom.name]
    assert SiteSettings.objects.current().data_licence_url not in html.split("</head>")[0]


def test_pages_without_the_whole_dataset_carry_none(client, demo, areas):  # noqa: F811
    # Filtered by area: the page of all areas is the canonical one, and carries it.
    html = client.get("/statistics/population/?area=XK").content.decode()
    assert page_datasets(html) == []
    # No public figure (all in a draft area): no dataset.
    html = client.get("/statistics/draft-only/").content.decode()
    assert page_datasets(html) == []


def test_the_dataset_cannot_end_its_script_element(client, demo):
    name = "Arrivals </script><script>alert(1)</script> & more"
    indicator = IndicatorFactory(code="hostile", name=name, description="")
    ObservationFactory(indicator=indicator, period="2024", source=None)
    html = client.get(indicator.get_absolute_url()).content.decode()
    head = html.split("</head>")[0]
    assert "<script>alert(1)" not in head
    [dataset] = page_datasets(html)
    assert dataset["name"] == name
    # A figure with no source: no creator is invented, and the licence says so.
    assert dataset["creator"] == []
    assert dataset["license"] == [
        {
            "@type": "CreativeWork",
            "name": "Some of these figures name no source: no terms are stated.",
        }
    ]
    assert 50 <= len(dataset["description"])


def test_the_portals_licence_only_for_its_own_compilations(client, demo):
    site = SiteSettings.objects.current()
    site.data_licence_name, site.data_licence_url = "Portal Licence", "https://example.org/pl"
    site.save()
    own = SourceFactory(name="Portal compilation", code="own", is_own_compilation=True)
    indicator = IndicatorFactory(code="compiled", name="Compiled figures")
    ObservationFactory(indicator=indicator, region=Region.objects.get(code="WB"), source=own)
    dataset = by_code(catalogue(client))["compiled"]
    assert dataset["dct:license"]["@id"] == "https://example.org/pl"
    html = client.get(indicator.get_absolute_url()).content.decode()
    assert page_datasets(html)[0]["license"] == "https://example.org/pl"


def test_a_long_description_is_cut_to_fit_and_keeps_its_note(client, demo):
    kosovo = Country.objects.get(iso_code="XK")
    indicator = IndicatorFactory(code="long", name="Long", description="Word " * 1500)
    ObservationFactory(indicator=indicator, region=None, country=kosovo)
    [dataset] = page_datasets(client.get(indicator.get_absolute_url()).content.decode())
    assert len(dataset["description"]) <= 5000
    assert dataset["description"].endswith(f"…\n* Kosovo: {kosovo.footnote}")
