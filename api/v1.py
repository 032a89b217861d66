"""Version 1 of the read API: /api/v1/ (django-ninja), its OpenAPI 3 schema at
/api/v1/openapi.json and its documentation page at /api/v1/docs.

Only what the public pages show: each endpoint reads through the apps' own public QuerySet
methods (`Observation.objects.public()`, `Region.objects.published()`,
`Country.objects.public()`, `Project.objects.published()`, `Document.objects.published()`),
the same for every visitor, signed in or not, so any answer may be cached and shared.
Every list has the same envelope (count, page, pages, limit, next, previous, results) and a
fixed number of queries whatever the page size.
"""

from statistics.derived.page import derivation_of
from statistics.models import (
    Indicator,
    Observation,
    ObservationStatus,
    Source,
    public_observation_q,
)
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Path, Query, Swagger

from documents.models import Document
from pages.models import SiteSettings
from projects.models import Organisation, Project, ProjectStatus
from regions.models import Country, Region
from wbportal.views import absolute_url

from . import errors, params, records, schemas

DESCRIPTION = """
The public data of the portal, read-only, as JSON: areas, indicators (with their sources and
licences), observations, projects and documents. Only what the portal's public pages show:
no draft, no data release before its time.

Every list answers `count`, `page`, `pages`, `limit`, `next`, `previous` and `results`;
`page` past the last page, an unknown code or a bad period is a 400 with a JSON message.
Answers carry an `ETag` (send `If-None-Match` for a 304), may be read from any origin
(CORS, no credentials) and are limited per client address (429 with `Retry-After`).

Each value belongs to its source: cite the source (its `attribution` and `citation`) under its
`licence` or terms, and the portal as where you found it: see
[how to cite and reuse the portal's data](/statistics/#open-data).
"""


class PortalSwagger(Swagger):
    """Swagger UI in a page of the site's own (templates/api/docs.html): its language, a phone
    viewport and colours that meet WCAG AA; the files are still django-ninja's own."""

    template = "api/docs.html"


api = NinjaAPI(
    title="WB Portal API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Swagger UI from django-ninja's own static files ("ninja" in INSTALLED_APPS), never a CDN;
    # no validator badge (it would load an image from validator.swagger.io); read-only. No deep
    # links: with them each operation's path is a link inside its toggle button, a nested
    # control that screen readers and axe (nested-interactive) rightly reject.
    docs=PortalSwagger(
        settings={
            "validatorUrl": None,
            "supportedSubmitMethods": ["get", "head"],
            "deepLinking": False,
        }
    ),
)
errors.install(api)

ERRORS: dict[int, Any] = {400: schemas.Error, 429: schemas.Error}
DETAIL_ERRORS: dict[int, Any] = {404: schemas.Error, 429: schemas.Error}

PAGE = Query(1, ge=1, le=1_000_000, description="Page number, from 1.")
LIMIT = Query(
    params.DEFAULT_LIMIT,
    ge=1,
    le=settings.API_MAX_LIMIT,
    description=f"Items a page, at most {settings.API_MAX_LIMIT}.",
)


def envelope(
    request: HttpRequest, page: params.Page, results: list[dict], names: tuple[str, ...]
) -> dict[str, Any]:
    """The list envelope; `next`/`previous` keep the request's own parameters among `names`
    (absolute, on SITE_URL: never the request's Host)."""

    def link(number: int) -> str:
        query = [(name, request.GET[name]) for name in sorted(names) if name in request.GET]
        query = [(k, v) for k, v in query if k != "page"]
        if number > 1:
            query.append(("page", str(number)))
        encoded = urlencode(query)
        return absolute_url(request.path + (f"?{encoded}" if encoded else ""))

    return {
        "count": page.count,
        "page": page.number,
        "pages": page.pages,
        "limit": page.limit,
        "next": link(page.number + 1) if page.number < page.pages else None,
        "previous": link(page.number - 1) if page.number > 1 else None,
        "results": results,
    }


# --- areas -------------------------------------------------------------------------------


def public_areas() -> list[Country | Region]:
    """Published regions, then public countries, each with the other side's public codes."""
    regions = Region.objects.published().prefetch_related(
        Prefetch("countries", queryset=Country.objects.public().order_by("iso_code"))
    )
    countries = Country.objects.public().prefetch_related(
        Prefetch("regions", queryset=Region.objects.published().order_by("code"))
    )
    return [*regions.order_by("code"), *countries.order_by("iso_code")]


@api.get(
    "/areas",
    response={200: schemas.AreaPage, **ERRORS},
    tags=["areas"],
    summary="Public regions and countries",
)
def areas(request: HttpRequest, page: int = PAGE, limit: int = LIMIT) -> dict[str, Any]:
    """Published regions and their public countries (codes as observations name them)."""
    found = public_areas()
    paging = params.page(page, limit, len(found))
    shown = found[paging.offset : paging.offset + limit]
    return envelope(request, paging, [records.area_record(a) for a in shown], ("limit",))


@api.get(
    "/areas/{code}",
    response={200: schemas.Area, **DETAIL_ERRORS},
    tags=["areas"],
    summary="One region or country",
)
def area(request: HttpRequest, code: str = Path(..., example="RS")) -> dict[str, Any]:
    wanted = code.upper()
    for found in public_areas() if params.AREA_CODE.match(wanted) else []:
        if records.area_record(found)["code"] == wanted:
            return records.area_record(found)
    raise errors.not_found(_("No public area has the code “%(code)s”.") % {"code": code[:50]})


# --- indicators --------------------------------------------------------------------------


def sources_by_indicator(indicator_ids: list[int]) -> dict[int, list[Source]]:
    """Each indicator's sources of public values, in one query (a row per pair)."""
    pairs = (
        Source.objects.filter(
            public_observation_q("observations__"), observations__indicator__in=indicator_ids
        )
        .annotate(indicator_id=F("observations__indicator"))
        .distinct()
        .order_by("code", "indicator_id")
    )
    by_indicator: dict[int, list[Source]] = {}
    for source in pairs:
        by_indicator.setdefault(source.indicator_id, []).append(source)
    return by_indicator


def indicator_rows(indicators: Any) -> list[dict[str, Any]]:
    """Each indicator with its sources; a computed one's (a rate) with its inputs' sources too
    (the population's), as its page, its downloads and the catalogue name them: a figure the
    portal computed is not its numerator's source's alone."""
    indicators = list(indicators.select_related("derivation"))
    site = SiteSettings.objects.current()
    inputs: dict[int, list[int]] = {}
    for indicator in indicators:
        derivation = derivation_of(indicator)
        if derivation is not None:
            inputs[indicator.pk] = [
                pk for pk in (derivation.numerator_id, derivation.denominator_id) if pk
            ]
    wanted = {i.pk for i in indicators} | {pk for ids in inputs.values() for pk in ids}
    sources = sources_by_indicator(sorted(wanted))
    rows = []
    footnotes = records.Footnotes()
    for indicator in indicators:
        merged = {
            source.pk: source
            for pk in (indicator.pk, *inputs.get(indicator.pk, ()))
            for source in sources.get(pk, [])
        }
        own = sorted(merged.values(), key=lambda source: source.code)
        rows.append(records.indicator_record(indicator, own, site, footnotes))
    return rows


@api.get(
    "/indicators",
    response={200: schemas.IndicatorPage, **ERRORS},
    tags=["indicators"],
    summary="Indicators, with their metadata, sources and licences",
)
def indicators(request: HttpRequest, page: int = PAGE, limit: int = LIMIT) -> dict[str, Any]:
    paging = params.page(page, limit, Indicator.objects.count())
    order = ("order", "name", "pk")
    # The page's indicators first, then their figures' counts and periods: annotating every
    # indicator and slicing afterwards would count every public observation.
    ids = Indicator.objects.order_by(*order).values_list("pk", flat=True)
    shown = (
        Indicator.objects.filter(pk__in=list(ids[paging.offset : paging.offset + limit]))
        .with_public_counts()
        .with_public_periods()
        .order_by(*order)
    )
    return envelope(request, paging, indicator_rows(shown), ("limit",))


@api.get(
    "/indicators/{code}",
    response={200: schemas.Indicator, **DETAIL_ERRORS},
    tags=["indicators"],
    summary="One indicator",
)
def indicator(request: HttpRequest, code: str = Path(..., example="population")) -> dict[str, Any]:
    found = []
    if params.SLUG.match(code):
        found = indicator_rows(
            Indicator.objects.with_public_counts().with_public_periods().filter(code=code)
        )
    if not found:
        raise errors.not_found(_("No indicator has the code “%(code)s”.") % {"code": code[:50]})
    return found[0]


# --- observations ------------------------------------------------------------------------

OBSERVATION_SORT_KEYS: dict[str, list[Any]] = {
    "indicator": ["indicator__code"],
    "area": [Coalesce("country__iso_code", "region__code")],
    "period": ["period_start", "period_end"],
    "category": ["category"],
    "value": ["value"],
}
OBSERVATION_DEFAULT_SORT = "indicator,area,period,category"
OBSERVATION_PARAMS = (
    "indicator",
    "area",
    "period_from",
    "period_to",
    "category",
    "status",
    "sort",
    "limit",
)


def observation_filter(
    indicator: str | None,
    area: str | None,
    period_from: str | None,
    period_to: str | None,
    category: str | None,
    status: str | None,
) -> Q:
    """The filters as one condition, each value checked first (a 400 naming it if bad):
    an unknown indicator or an area without a public page is refused, not answered empty."""
    condition = Q()
    codes = params.slugs(indicator, "indicator")
    if codes:
        ids = dict(Indicator.objects.filter(code__in=codes).values_list("code", "pk"))
        params.unknown("indicator", codes, set(ids), _("indicator"))
        condition &= Q(indicator_id__in=ids.values())
    area_codes = params.area_codes(area)
    if area_codes:
        countries = dict(
            Country.objects.public().filter(iso_code__in=area_codes).values_list("iso_code", "pk")
        )
        regions = dict(
            Region.objects.published().filter(code__in=area_codes).values_list("code", "pk")
        )
        params.unknown("area", area_codes, {*countries, *regions}, _("area"))
        condition &= Q(country_id__in=countries.values()) | Q(region_id__in=regions.values())
    start = params.period_bound(period_from, "period_from", end=False)
    end = params.period_bound(period_to, "period_to", end=True)
    if start and end and end < start:
        raise errors.ApiError(_("period_to is before period_from."), param="period_to")
    if start:
        condition &= Q(period_start__gte=start)
    if end:
        condition &= Q(period_end__lte=end)
    category = params.text(category, "category")
    if category is not None:
        condition &= Q(category=category)
    statuses = params.choices(status, "status", list(ObservationStatus.values))
    if statuses:
        condition &= Q(status__in=statuses)
    return condition


@api.get(
    "/observations",
    response={200: schemas.ObservationPage, **ERRORS},
    tags=["observations"],
    summary="Observations (the figures), filtered, sorted and paged",
)
def observations(
    request: HttpRequest,
    indicator: str | None = Query(
        None,
        description="Indicator codes, comma-separated (at most 20).",
        max_length=4200,
        example="population",
    ),
    area: str | None = Query(
        None,
        description="Area codes, comma-separated: a country's ISO 3166-1 alpha-2 code (XK for "
        "Kosovo*) or a region's code (WB). Values filed under that area.",
        max_length=200,
        example="RS,WB",
    ),
    period_from: str | None = Query(
        None,
        description="Only periods that start on or after the start of this ISO 8601 period.",
        max_length=30,
        example="2015",
    ),
    period_to: str | None = Query(
        None,
        description="Only periods that end on or before the end of this ISO 8601 period.",
        max_length=30,
        example="2025",
    ),
    category: str | None = Query(
        None,
        description="One breakdown value, exactly; empty (`category=`) for totals only.",
        max_length=200,
    ),
    status: str | None = Query(
        None,
        description="Statuses, comma-separated: " + ", ".join(ObservationStatus.values) + ".",
        max_length=200,
        example="final,as_published",
    ),
    sort: str | None = Query(
        None,
        description="Up to 4 keys, comma-separated, each with “-” for descending: "
        + ", ".join(OBSERVATION_SORT_KEYS)
        + f". Default: {OBSERVATION_DEFAULT_SORT}.",
        max_length=100,
        example="-period",
    ),
    page: int = PAGE,
    limit: int = LIMIT,
) -> dict[str, Any]:
    """The public observations: each with its status, qualifier, unit, the period as the
    portal writes it, and its source with its licence."""
    condition = observation_filter(indicator, area, period_from, period_to, category, status)
    order = params.ordering(sort, OBSERVATION_SORT_KEYS, OBSERVATION_DEFAULT_SORT)
    found = Observation.objects.public().filter(condition)
    paging = params.page(page, limit, found.count())
    rows = (
        found.select_related("indicator", "country", "region", "source")
        .only(*records.OBSERVATION_FIELDS)
        .order_by(*order)[paging.offset : paging.offset + limit]
    )
    record = records.ObservationRecords(SiteSettings.objects.current())
    results = [record(o) for o in rows]
    return envelope(request, paging, results, OBSERVATION_PARAMS)


# --- projects ----------------------------------------------------------------------------


def public_projects() -> Any:
    """Published projects, naming only published regions and public countries."""
    organisations = Organisation.objects.order_by("name")
    return (
        Project.objects.published()
        .for_listing()
        .prefetch_related(
            Prefetch("regions", queryset=Region.objects.published().order_by("code")),
            Prefetch("donors", queryset=organisations),
            Prefetch("implementing_partners", queryset=organisations),
            Prefetch("indicators", queryset=Indicator.objects.order_by("code")),
        )
    )


@api.get(
    "/projects",
    response={200: schemas.ProjectPage, **ERRORS},
    tags=["projects"],
    summary="Published projects",
)
def projects(
    request: HttpRequest,
    status: str | None = Query(
        None,
        description="Statuses, comma-separated: " + ", ".join(ProjectStatus.values) + ".",
        max_length=200,
        example="implementation",
    ),
    page: int = PAGE,
    limit: int = LIMIT,
) -> dict[str, Any]:
    found = Project.objects.published()
    statuses = params.choices(status, "status", list(ProjectStatus.values))
    if statuses:
        found = found.filter(status__in=statuses)
    paging = params.page(page, limit, found.count())
    shown = public_projects().filter(pk__in=found.values("pk")).order_by("title", "pk")
    footnotes = records.Footnotes()
    rows = [
        records.project_record(p, footnotes) for p in shown[paging.offset : paging.offset + limit]
    ]
    return envelope(request, paging, rows, ("status", "limit"))


@api.get(
    "/projects/{slug}",
    response={200: schemas.Project, **DETAIL_ERRORS},
    tags=["projects"],
    summary="One published project",
)
def project(request: HttpRequest, slug: str = Path(..., example="psmm")) -> dict[str, Any]:
    found = list(public_projects().filter(slug=slug)) if params.SLUG.match(slug) else []
    if not found:
        raise errors.not_found(
            _("No published project has the slug “%(slug)s”.") % {"slug": slug[:50]}
        )
    return records.project_record(found[0], records.Footnotes())


# --- documents ---------------------------------------------------------------------------


def public_documents() -> Any:
    return Document.objects.published().for_listing()


@api.get(
    "/documents",
    response={200: schemas.DocumentPage, **ERRORS},
    tags=["documents"],
    summary="Published documents, newest first",
)
def documents(request: HttpRequest, page: int = PAGE, limit: int = LIMIT) -> dict[str, Any]:
    found = Document.objects.published()
    paging = params.page(page, limit, found.count())
    shown = public_documents().newest_first()[paging.offset : paging.offset + limit]
    footnotes = records.Footnotes()
    rows = [records.document_record(d, footnotes) for d in shown]
    return envelope(request, paging, rows, ("limit",))


@api.get(
    "/documents/{slug}",
    response={200: schemas.Document, **DETAIL_ERRORS},
    tags=["documents"],
    summary="One published document",
)
def document(
    request: HttpRequest, slug: str = Path(..., example="iom-emwp-presentation-2025-05-14")
) -> dict[str, Any]:
    found = list(public_documents().filter(slug=slug)) if params.SLUG.match(slug) else []
    if not found:
        raise errors.not_found(
            _("No published document has the slug “%(slug)s”.") % {"slug": slug[:50]}
        )
    return records.document_record(found[0], records.Footnotes())
