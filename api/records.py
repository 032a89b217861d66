"""Rows as the API answers them: each record says what the portal's pages say of the same
row (the same formatting, the same attribution), and names only public rows beside it."""

from collections.abc import Iterable
from statistics.attribution import source_record
from statistics.models import Indicator, Observation, Source
from statistics.views import download_links, json_number
from typing import Any

from django.urls import reverse

from documents.models import Document
from formatting.display import format_observation, format_period, format_period_span
from pages.models import SiteSettings
from projects.models import Project
from regions.footnotes import footnoted_countries, name_pattern
from regions.models import Country, Region
from wbportal.views import absolute_url


class Footnotes:
    """The footnotes of the footnoted countries (Kosovo*) a record names, in its texts or its
    countries: the texts are given as written, the notes beside them, as the pages give a
    note wherever the name is used (regions.footnotes). One query an answer."""

    def __init__(self) -> None:
        countries = footnoted_countries()
        self.pattern = name_pattern(countries)
        self.by_name = {country.name: country for country in countries}
        self.by_code = {country.iso_code: country for country in countries}

    def __call__(self, texts: list[str], codes: Iterable[str] = ()) -> list[dict[str, str]]:
        named: dict[str, Country] = {}
        for code in codes:
            if code in self.by_code:
                named.setdefault(code, self.by_code[code])
        if self.pattern is not None:
            for text in texts:
                for match in self.pattern.finditer(text or ""):
                    country = self.by_name[match["name"]]
                    named.setdefault(country.iso_code, country)
        return [
            {"country": country.iso_code, "name": country.name, "note": country.footnote}
            for country in named.values()
        ]


def area_record(area: Country | Region) -> dict[str, Any]:
    """A country (with its published regions as `region_codes`) or a region (with its public
    countries as `country_codes`): both prefetched by the caller."""
    is_country = isinstance(area, Country)
    return {
        "code": area.iso_code if isinstance(area, Country) else area.code,
        "kind": "country" if is_country else "region",
        "name": str(area),
        "footnote": (area.footnote or None) if isinstance(area, Country) else None,
        "local_name": area.local_name if isinstance(area, Country) else "",
        "url": absolute_url(area.get_absolute_url()),
        "regions": [r.code for r in area.regions.all()] if is_country else [],
        "countries": [] if is_country else [c.iso_code for c in area.countries.all()],
    }


def indicator_record(
    indicator: Indicator, sources: list[Source], site: SiteSettings, footnotes: Footnotes
) -> dict:
    """An indicator annotated by `with_public_counts()` and `with_public_periods()`."""
    first, last = indicator.first_period, indicator.last_period
    files = {kind: absolute_url(url) for kind, url in download_links(indicator).items()}
    files["json"] = absolute_url(reverse("statistics:indicator-json", args=[indicator.code]))
    return {
        "code": indicator.code,
        "name": indicator.name,
        "description": indicator.description,
        "unit": indicator.unit,
        "decimals": indicator.decimals,
        "breakdown_label": indicator.breakdown_label,
        "next_update": indicator.next_update or None,
        "observation_count": indicator.observation_count,
        "provisional_count": indicator.provisional_count,
        "estimated_count": indicator.estimated_count,
        "first_period": first,
        "last_period": last,
        "periods_label": format_period_span(first, last) if first and last else "",
        "latest_change": indicator.latest_change,
        "url": absolute_url(indicator.get_absolute_url()),
        "data_files": files,
        "sources": [source_record(source, site) for source in sources],
        "footnotes": footnotes([indicator.name, indicator.description, indicator.breakdown_label]),
    }


# What an observation record reads of its row and the rows joined to it: no long text (a
# country's profile, a region's overview, descriptions) is fetched with each of 100 rows.
OBSERVATION_FIELDS = (
    "indicator__code",
    "indicator__unit",
    "indicator__decimals",
    "country__name",
    "country__iso_code",
    "country__footnote",
    "region__name",
    "region__code",
    "period",
    "period_start",
    "period_end",
    "category",
    "value",
    "qualifier",
    "status",
    "note",
    "area_label",
    "is_derived",
    *(
        f"source__{name}"
        for name in (
            "code",
            "name",
            "url",
            "publisher",
            "is_own_compilation",
            "licence",
            "licence_url",
            "terms",
            "citation",
            "edition",
            "reference_date",
        )
    ),
)


class ObservationRecords:
    """Observations (fetched with OBSERVATION_FIELDS) as the API answers them. What many rows
    share (a source's record, an area, a period's label) is worked out once per answer."""

    def __init__(self, site: SiteSettings) -> None:
        self.site = site
        self.sources: dict[int, dict[str, Any]] = {}
        self.areas: dict[tuple[int | None, int | None], dict[str, Any]] = {}
        self.periods: dict[str, str] = {}

    def source(self, source: Source) -> dict[str, Any]:
        if source.pk not in self.sources:
            full = source_record(source, self.site)
            self.sources[source.pk] = {
                "code": source.code,
                "name": source.name,
                "attribution": full["attribution"],
                "licence": full["licence"],
                "terms_stated": full["terms_stated"],
            }
        return self.sources[source.pk]

    def area(self, o: Observation) -> dict[str, Any]:
        key = (o.country_id, o.region_id)
        if key not in self.areas:
            country = o.country if o.country_id else None
            self.areas[key] = {
                "area": o.area_code,
                "area_kind": "country" if country else "region",
                "area_name": str(o.area),
                "area_footnote": (country.footnote or None) if country else None,
            }
        return self.areas[key]

    def period_label(self, period: str) -> str:
        if period not in self.periods:
            self.periods[period] = format_period(period)
        return self.periods[period]

    def __call__(self, o: Observation) -> dict[str, Any]:
        return {
            "indicator": o.indicator.code,
            **self.area(o),
            "area_label": o.area_label or None,
            "period": o.period,
            "period_label": self.period_label(o.period),
            "period_start": o.period_start,
            "period_end": o.period_end,
            "category": o.category,
            "value": json_number(o.value),
            "value_label": format_observation(o, o.indicator),
            "qualifier": o.qualifier or None,
            "qualifier_label": str(o.get_qualifier_display()) if o.qualifier else None,
            "status": o.status,
            "status_label": str(o.get_status_display()),
            "unit": o.indicator.unit,
            "note": o.note,
            "computed": o.is_derived,
            "source": self.source(o.source) if o.source_id else None,
        }


def _organisations(organisations: Any) -> list[dict[str, str]]:
    return [{"slug": o.slug, "name": o.name} for o in organisations]


def project_record(project: Project, footnotes: Footnotes) -> dict[str, Any]:
    """A published project with its public regions and countries prefetched (`projects()`)."""
    countries = [c.iso_code for c in project.countries.all()]
    texts = [project.title, project.acronym, project.summary, project.description]
    return {
        "slug": project.slug,
        "title": project.title,
        "acronym": project.acronym,
        "iati_identifier": project.iati_identifier,
        "summary": project.summary,
        "description": project.description,
        "status": project.status,
        "status_label": str(project.get_status_display()),
        "planned_start": project.planned_start,
        "planned_end": project.planned_end,
        "actual_start": project.actual_start,
        "actual_end": project.actual_end,
        "regions": [r.code for r in project.regions.all()],
        "countries": countries,
        "thematic_areas": [t.name for t in project.thematic_areas.all()],
        "facility": project.facility.name if project.facility_id else None,
        "donors": _organisations(project.donors.all()),
        "implementing_partners": _organisations(project.implementing_partners.all()),
        "budget": json_number(project.budget),
        "currency": project.currency,
        "website": project.website,
        "indicators": [i.code for i in project.indicators.all()],
        "url": absolute_url(project.get_absolute_url()),
        "footnotes": footnotes(texts, countries),
    }


def document_record(document: Document, footnotes: Footnotes) -> dict[str, Any]:
    """A published document with its live regions and projects prefetched (`for_listing()`)."""
    file = None
    if document.file:
        file = {
            "url": absolute_url(document.file_url),
            "name": document.download_name,
            "type": document.file_type,
            "size": document.file_size or 0,
        }
    return {
        "slug": document.slug,
        "title": document.title,
        "date": document.date,
        "language": document.language,
        "author": document.author,
        "description": document.description,
        "file": file,
        "note_without_file": None if document.file else str(document.note_without_file),
        "regions": [r.code for r in document.regions.all()],
        "projects": [p.slug for p in document.projects.all()],
        "url": absolute_url(document.get_absolute_url()),
        "footnotes": footnotes([document.title, document.description]),
    }
