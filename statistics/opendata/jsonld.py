"""Datasets as JSON-LD: schema.org `Dataset` for search engines (the indicator page) and
DCAT-AP for data catalogues such as data.europa.eu (`/catalog.jsonld`).

Both say the same thing from the same facts (statistics.opendata.facts): whose figures they
are (each source as creator, under its own licence or terms: never the portal's licence for
a third party's figures; a source that states none is said to), who publishes them here (the
organisation in the site settings), the periods and areas covered (with the territory
footnote), and every download the indicator page offers, as `downloads()` lists them.
"""

import datetime
import html
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pages.models import SiteSettings
from wbportal.views import absolute_url

from ..attribution import common_licence, source_licence
from ..citation import cite_indicator
from ..downloads import XLSX_TYPE
from ..models import Indicator, Source
from .facts import Dataset

FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
DATA_THEME_SOCIETY = "http://publications.europa.eu/resource/authority/data-theme/SOCI"
ACCESS_PUBLIC = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
# The EU's language codes of the site's languages (and those it may add).
EU_LANGUAGES = {
    "en": "ENG",
    "sq": "SQI",
    "sr": "SRP",
    "mk": "MKD",
    "bs": "BOS",
    "hr": "HRV",
    "tr": "TUR",
    "de": "DEU",
    "fr": "FRA",
}

DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


# --- the downloads -----------------------------------------------------------------------


@dataclass(frozen=True)
class Download:
    key: str  # the page's name for it: csv, csv_regional, xlsx, zip, json
    title: str
    description: str
    url: str  # absolute
    file_type: str  # the EU file-type authority's code
    media_type: str  # IANA

    @property
    def file_type_uri(self) -> str:
        return FILE_TYPE + self.file_type

    @property
    def media_type_uri(self) -> str:
        return MEDIA_TYPE + self.media_type


def downloads(indicator: Indicator) -> list[Download]:
    """Every data file the indicator page's "Download and reuse" section offers, for all
    its areas (`views.download_links` and the JSON beside them)."""
    # The views import this module: theirs are read when called.
    from ..views import download_links, readme_csv_description

    links = download_links(indicator)
    links["json"] = reverse("statistics:indicator-json", args=[indicator.code])
    kinds = {
        # The README's words for the two CSV files, as a sentence.
        "csv": (_("CSV"), capfirst(readme_csv_description("")), "CSV", "text/csv"),
        "csv_regional": (
            _("CSV for Excel (regional)"),
            capfirst(readme_csv_description("regional")),
            "CSV",
            "text/csv",
        ),
        "xlsx": (
            _("XLSX"),
            _(
                "The figures as an Excel workbook: values as numbers, periods as text, "
                "and the README."
            ),
            "XLSX",
            XLSX_TYPE,
        ),
        "zip": (
            _("ZIP"),
            _("The CSV and its README (what every column means, the terms, how to cite)."),
            "ZIP",
            "application/zip",
        ),
        "json": (
            _("JSON"),
            _("The figures with each source's licence or terms, the statuses and the citation."),
            "JSON",
            "application/json",
        ),
    }
    return [
        Download(key, title, description, absolute_url(links[key]), file_type, media_type)
        for key, (title, description, file_type, media_type) in kinds.items()
    ]


# --- terms -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """Under what terms one source's figures are published."""

    source: Source | None  # None: figures that name no source
    text: str  # one sentence, as the pages word it
    licence_name: str = ""  # set only where the source states a licence
    licence_url: str = ""


def source_terms(source: Source, site: SiteSettings) -> Terms:
    """The source's licence (the portal's only for its own compilations), or its terms, or
    that it states none: the sentence of templates/statistics/_source_terms.html."""
    rendered = render_to_string(
        "statistics/_source_terms.html", {"source": source, "site_settings": site}
    )
    sentence = " ".join(html.unescape(strip_tags(rendered)).split())
    text = _("%(source)s: %(terms)s") % {"source": source.name, "terms": sentence}
    licence = source_licence(source, site)
    if licence is None:
        return Terms(source, text)
    return Terms(source, text, licence["name"], licence["url"])


def dataset_terms(dataset: Dataset, site: SiteSettings) -> list[Terms]:
    terms = [source_terms(source, site) for source in dataset.sources]
    if dataset.unsourced:
        terms.append(Terms(None, _("Some of these figures name no source: no terms are stated.")))
    return terms


def shared_licence(dataset: Dataset, site: SiteSettings) -> dict[str, str] | None:
    """{"name", "url"} of the one licence every figure is under, or None (sources under
    different terms, one stating none, figures without a source)."""
    return common_licence(dataset.sources, site, unsourced=dataset.unsourced)


def rights_text(dataset: Dataset, site: SiteSettings) -> str:
    return " ".join(
        [
            _("Each value is under its source's licence or terms, not the portal's:"),
            *(terms.text for terms in dataset_terms(dataset, site)),
        ]
    )


def creator_name(source: Source) -> str:
    """Who made the figures: the publisher the source names, else the source itself."""
    return source.publisher or source.name


def organisation_name(site: SiteSettings) -> str:
    return site.organisation_name or site.short_name


# --- schema.org --------------------------------------------------------------------------


def _keywords(dataset: Dataset) -> list[str]:
    words = [_("migration"), *(area.name for area in dataset.areas)]
    if dataset.indicator.breakdown_label:
        words.append(dataset.indicator.breakdown_label)
    return list(dict.fromkeys(words))


def schema_org_dataset(dataset: Dataset, site: SiteSettings) -> dict:
    """The schema.org `Dataset` of an indicator page (Google's Dataset rich result: name,
    description, licence, creator, distributions with their format and address)."""
    indicator = dataset.indicator
    licence = shared_licence(dataset, site)
    # One licence for every figure: its address. Otherwise each source's terms in words (its
    # licence's address where it has one), that it states none, or that a figure names none.
    licences: str | list[dict[str, str]] = [
        {"@type": "CreativeWork", "name": terms.text}
        | ({"url": terms.licence_url} if terms.licence_url else {})
        for terms in dataset_terms(dataset, site)
    ]
    if licence and licence["url"]:
        licences = licence["url"]
    document = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": f"{dataset.url}#dataset",
        "name": dataset.name,
        "description": dataset.description,
        "url": dataset.url,
        "identifier": dataset.url,
        "keywords": _keywords(dataset),
        "license": licences,
        "isAccessibleForFree": True,
        "creator": [
            {"@type": "Organization", "name": creator_name(source)}
            | ({"url": source.url} if source.url else {})
            for source in dataset.sources
        ],
        "publisher": {
            "@type": "Organization",
            "name": organisation_name(site),
            "url": absolute_url("/"),
        },
        "creditText": cite_indicator(indicator, dataset.url, site, dataset.sources).text,
        "temporalCoverage": f"{dataset.start.isoformat()}/{dataset.end.isoformat()}",
        "spatialCoverage": [
            {"@type": "Place", "name": area.name, "url": area.url}
            | ({"description": area.footnote} if area.footnote else {})
            for area in dataset.areas
        ],
        "variableMeasured": {
            "@type": "PropertyValue",
            "name": dataset.name,
            "unitText": indicator.unit,
        },
        "distribution": [
            {
                "@type": "DataDownload",
                "name": download.title,
                "description": download.description,
                "encodingFormat": download.media_type,
                "contentUrl": download.url,
            }
            for download in downloads(indicator)
        ],
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "name": settings.SITE_NAME,
            "url": absolute_url(reverse("statistics:indicator-list")),
        },
    }
    if dataset.modified:
        document["dateModified"] = dataset.modified.isoformat()
    return document


# JSON inside <script>: no "</script>", "<!--" or "&" can end or change the element (as
# Django's json_script escapes them; its element is always "application/json").
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script_json(document: dict) -> SafeString:
    text = json.dumps(document, ensure_ascii=False, indent=1)
    return mark_safe(text.translate(_SCRIPT_ESCAPES))  # noqa: S308 - escaped for <script>


# --- DCAT-AP -----------------------------------------------------------------------------


def _text(value: str) -> dict:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return {"@value": value, "@language": language}


def _date(value: datetime.date) -> dict:
    return {"@value": value.isoformat(), "@type": "xsd:date"}


def _moment(value: datetime.datetime) -> dict:
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"}


def publisher_agent(site: SiteSettings) -> dict:
    return {
        "@id": absolute_url("/#publisher"),
        "@type": "foaf:Agent",
        "foaf:name": organisation_name(site),
        "foaf:homepage": {"@id": absolute_url("/")},
    }


def contact_point(site: SiteSettings) -> dict:
    contact = {
        "@type": "vcard:Organization",
        "vcard:fn": organisation_name(site),
        "vcard:hasURL": {"@id": absolute_url(reverse("regions:contacts"))},
    }
    if site.contact_email:
        contact["vcard:hasEmail"] = {"@id": f"mailto:{site.contact_email}"}
    return contact


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]+", "-", text).strip("-")


def dcat_dataset(dataset: Dataset, site: SiteSettings) -> dict:
    """One public indicator as a DCAT-AP `dcat:Dataset` with a `dcat:Distribution` a file."""
    indicator = dataset.indicator
    licence = shared_licence(dataset, site)
    rights = {"@type": "dct:RightsStatement", "rdfs:label": _text(rights_text(dataset, site))}
    terms = {"dct:rights": rights}
    if licence and licence["url"]:
        terms["dct:license"] = {
            "@id": licence["url"],
            "@type": "dct:LicenseDocument",
            "rdfs:label": licence["name"],
        }
    modified = {"dct:modified": _moment(dataset.modified)} if dataset.modified else {}
    sources_page = absolute_url(reverse("statistics:indicator-list"))
    record = {
        "@id": f"{dataset.url}#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.url,
        "dct:title": _text(dataset.name),
        "dct:description": _text(dataset.description),
        "dcat:keyword": [_text(word) for word in _keywords(dataset)],
        "dcat:theme": {"@id": DATA_THEME_SOCIETY},
        "dct:accessRights": {"@id": ACCESS_PUBLIC},
        "dct:publisher": publisher_agent(site),
        "dct:creator": [
            {
                # The source's entry on the statistics page: one address for every dataset.
                "@id": f"{sources_page}#source-{_slug(source.code)}",
                "@type": "foaf:Agent",
                "foaf:name": creator_name(source),
            }
            | ({"foaf:homepage": {"@id": source.url}} if source.url else {})
            for source in dataset.sources
        ],
        "dct:source": [{"@id": source.url} for source in dataset.sources if source.url],
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": _date(dataset.start),
            "dcat:endDate": _date(dataset.end),
        },
        "dct:spatial": [
            {
                "@id": area.url,
                "@type": "dct:Location",
                "dct:identifier": area.code,
                "skos:prefLabel": _text(area.name),
            }
            | ({"skos:scopeNote": _text(area.footnote)} if area.footnote else {})
            | ({"skos:altLabel": [_text(label) for label in area.labels]} if area.labels else {})
            for area in dataset.areas
        ],
        "dcat:landingPage": {"@id": dataset.url},
        "dcat:contactPoint": contact_point(site),
        "dcat:distribution": [
            {
                "@id": f"{dataset.url}#distribution-{download.key}",
                "@type": "dcat:Distribution",
                "dct:title": _text(download.title),
                "dct:description": _text(download.description),
                "dcat:accessURL": {"@id": download.url},
                "dcat:downloadURL": {"@id": download.url},
                "dct:format": {"@id": download.file_type_uri},
                "dcat:mediaType": {"@id": download.media_type_uri},
                **terms,
                **modified,
            }
            for download in downloads(indicator)
        ],
        **terms,
        **modified,
    }
    if not record["dct:source"]:
        del record["dct:source"]
    return record


def dcat_catalog(datasets: list[Dataset], site: SiteSettings) -> dict:
    """The portal's catalogue (DCAT-AP `dcat:Catalog`) of `datasets`."""
    language = EU_LANGUAGES.get((get_language() or settings.LANGUAGE_CODE).split("-")[0])
    changes = [dataset.modified for dataset in datasets if dataset.modified]
    catalogue = {
        "@context": DCAT_CONTEXT,
        "@id": absolute_url(reverse("catalog")),
        "@type": "dcat:Catalog",
        "dct:title": _text(_("%(site)s: migration statistics") % {"site": settings.SITE_NAME}),
        "dct:description": _text(
            _(
                "Migration statistics for the Western Balkans and Türkiye published on "
                "%(site)s by %(organisation)s: every indicator with public figures, with its "
                "sources (each value under its source's licence or terms), periods, areas and "
                "downloads."
            )
            % {"site": settings.SITE_NAME, "organisation": organisation_name(site)}
        ),
        "dct:publisher": publisher_agent(site),
        "foaf:homepage": {"@id": absolute_url(reverse("statistics:indicator-list"))},
        "dcat:themeTaxonomy": {
            "@id": "http://publications.europa.eu/resource/authority/data-theme"
        },
        "dcat:dataset": [dcat_dataset(dataset, site) for dataset in datasets],
    }
    if language:
        catalogue["dct:language"] = {"@id": LANGUAGE + language}
    if changes:
        catalogue["dct:modified"] = _moment(max(changes))
    return catalogue
