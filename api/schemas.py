"""What the API answers, as typed schemas: django-ninja turns them into the OpenAPI 3 schema
(/api/v1/openapi.json) and checks every answer against them."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema


class Error(Schema):
    error: str = Field(description="bad_request, not_found or rate_limited.")
    message: str = Field(description="What was wrong, and what the API accepts.")
    param: str | None = Field(None, description="The query parameter at fault, if one.")


class Licence(Schema):
    name: str
    url: str


class Source(Schema):
    """A source, as the indicator JSON download describes it."""

    code: str
    name: str
    url: str
    publisher: str
    attribution: str = Field(description="One line naming whose figures they are.")
    own_compilation: bool = Field(
        description="Figures the portal compiles itself: under the portal's data licence."
    )
    licence: Licence | None = Field(description="The licence the source states; null if none.")
    terms: str
    terms_url: str
    terms_stated: bool = Field(description="False where the source states no licence or terms.")
    citation: str = Field(description="The citation the source asks for, word for word.")
    reference_date: str | None
    edition: str | None


class ObservationSource(Schema):
    code: str
    name: str
    attribution: str
    licence: Licence | None
    terms_stated: bool


class Area(Schema):
    code: str = Field(
        description="A country's ISO 3166-1 alpha-2 code (XK: Kosovo*), a region's code."
    )
    kind: Literal["country", "region"]
    name: str = Field(description="As published: Kosovo* with its asterisk.")
    footnote: str | None = Field(description="The footnote the asterisk refers to.")
    local_name: str
    url: str
    regions: list[str] = Field(description="A country's published regions (codes).")
    countries: list[str] = Field(description="A region's public countries (codes).")


class Footnote(Schema):
    country: str = Field(description="The footnoted country's code (XK).")
    name: str
    note: str = Field(description="The footnote, to give wherever the name is used.")


FOOTNOTES = Field(
    description="The footnote of each footnoted country (Kosovo*) the item names, in its "
    "texts or its countries, as the portal's pages give it beside the name."
)


class Indicator(Schema):
    code: str
    name: str
    description: str = Field(description="Markdown.")
    unit: str
    decimals: int = Field(description="Decimal places the portal shows.")
    breakdown_label: str = Field(description="What a category is, e.g. Nationality; blank if none.")
    next_update: str | None = Field(description="When the source announces new figures (ISO 8601).")
    observation_count: int
    provisional_count: int
    estimated_count: int
    first_period: str | None
    last_period: str | None
    periods_label: str = Field(description="The periods covered, as the portal writes them.")
    latest_change: dt.datetime | None = Field(
        description="When one of its public figures last changed."
    )
    url: str
    data_files: dict[str, str] = Field(
        description="The indicator's downloads: csv, csv_regional, xlsx, zip, json."
    )
    sources: list[Source]
    footnotes: list[Footnote] = FOOTNOTES


class Observation(Schema):
    indicator: str
    area: str
    area_kind: Literal["country", "region"]
    area_name: str = Field(description="As published: Kosovo* with its asterisk.")
    area_footnote: str | None
    area_label: str | None = Field(
        description="The area as the source names it, when that is not simply the area: such a "
        "value is not the area's alone."
    )
    period: str = Field(description="ISO 8601: 2025, 2025-03, 2025-Q1, 2025-03-31 or 2016/2025.")
    period_label: str = Field(description="The period as the portal writes it: “Q1 2025”.")
    period_start: dt.date
    period_end: dt.date
    category: str = Field(description="The breakdown value; blank for a total.")
    value: int | float | None = Field(
        description="null for a cell the source publishes without a number (see status)."
    )
    value_label: str = Field(
        description="The value as the portal shows it: rounded to the indicator's decimals, "
        "with its qualifier (“more than 1,200”) or what stands instead of a number."
    )
    qualifier: str | None = Field(description="more_than, less_than or about; null if exact.")
    qualifier_label: str | None
    status: str = Field(
        description="as_published, final, provisional, estimated, not_available or suppressed."
    )
    status_label: str
    unit: str
    note: str
    computed: bool = Field(
        description="True for a figure the portal computed from other indicators' figures (a "
        "total or a rate, see the indicator's page), not one a source published: its source "
        "is the first input's, and the indicator's sources name the others."
    )
    source: ObservationSource | None


class Organisation(Schema):
    slug: str
    name: str


class Project(Schema):
    slug: str
    title: str
    acronym: str
    iati_identifier: str
    summary: str
    description: str = Field(description="Markdown.")
    status: str
    status_label: str
    planned_start: dt.date | None
    planned_end: dt.date | None
    actual_start: dt.date | None
    actual_end: dt.date | None
    regions: list[str]
    countries: list[str]
    thematic_areas: list[str]
    facility: str | None
    donors: list[Organisation]
    implementing_partners: list[Organisation]
    budget: int | float | None
    currency: str
    website: str
    indicators: list[str]
    url: str
    footnotes: list[Footnote] = FOOTNOTES


class DocumentFile(Schema):
    url: str
    name: str
    type: str
    size: int


class Document(Schema):
    slug: str
    title: str
    date: dt.date | None
    language: str
    author: str
    description: str = Field(description="Markdown.")
    file: DocumentFile | None
    note_without_file: str | None
    regions: list[str]
    projects: list[str]
    url: str
    footnotes: list[Footnote] = FOOTNOTES


class PageInfo(Schema):
    count: int = Field(description="How many items match, on all pages.")
    page: int
    pages: int
    limit: int
    next: str | None
    previous: str | None


class AreaPage(PageInfo):
    results: list[Area]


class IndicatorPage(PageInfo):
    results: list[Indicator]


class ObservationPage(PageInfo):
    results: list[Observation]


class ProjectPage(PageInfo):
    results: list[Project]


class DocumentPage(PageInfo):
    results: list[Document]
