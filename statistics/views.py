import json

from django.db.models import F, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from pages.models import SiteSettings
from regions.models import Country, Region
from wbportal.formatting import format_period_span
from wbportal.publishing import last_change

from .attribution import (
    attribution_text,
    common_licence,
    portal_licence,
    qualifier_records,
    source_record,
    status_records,
)
from .charts import LATEST_PERIODS, charts_for
from .importing import export_csv_chunks, format_number
from .models import Indicator, Observation, Source, public_observation_q


def json_number(value):
    """A Decimal as a JSON number: an integer when whole, else the shortest exact float;
    None (null) for a cell the source publishes without a number."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(format_number(value))


class IndicatorListView(ListView):
    template_name = "statistics/indicator_list.html"
    context_object_name = "indicators"

    def get_queryset(self):
        # Built per request: "published" compares with the current time.
        return Indicator.objects.with_public_counts().with_public_periods()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicators = context["indicators"]
        # Each source once per indicator it has public values of, in one query (a row per
        # pair, not per observation): the list names each indicator's own sources.
        pairs = (
            Source.objects.filter(public_observation_q("observations__"))
            .annotate(indicator_id=F("observations__indicator"))
            .distinct()
            .order_by("name", "indicator_id")
        )
        sources, by_indicator = {}, {}
        for source in pairs:
            sources.setdefault(source.pk, source)
            by_indicator.setdefault(source.indicator_id, []).append(sources[source.pk])
        for indicator in indicators:
            indicator.public_sources = by_indicator.get(indicator.pk, [])
        context["sources"] = list(sources.values())
        context.update(
            page_title=_("Statistics"),
            page_description=_(
                "Migration statistics for the Western Balkans and Türkiye: every indicator "
                "with its source, period and status, as charts, tables and open data."
            ),
            last_updated=last_change(
                *[i.updated_at for i in indicators], *[i.latest_change for i in indicators]
            ),
        )
        return context


class IndicatorMixin:
    slug_field = "code"
    slug_url_kwarg = "code"
    queryset = Indicator.objects.all()

    def public_observations(self):
        """The indicator's observations that anyone may see, the same for every visitor:
        these pages and downloads are cached and shared, drafts never among them."""
        return self.object.observations.public()

    def get_observations(self):
        return list(
            self.public_observations()
            .with_related()
            .order_by(
                "region__name", "country__name", "period_start", "period_end", "-value", "category"
            )
        )


# Longest area code: ISO 3166-1 alpha-2 for countries, up to 6 letters for regions.
AREA_CODE_MAX_LENGTH = 6


def public_area(code):
    """The public country (ISO code) or region (code) named by `?area=`, else 404."""
    if not code or len(code) > AREA_CODE_MAX_LENGTH or not code.isalpha():
        raise Http404(_("Unknown area."))
    area = Country.objects.public().filter(iso_code=code).first()
    if area is None:
        area = Region.objects.published().filter(code=code).first()
    if area is None:
        raise Http404(_("Unknown area."))
    return area


class IndicatorDetailView(IndicatorMixin, DetailView):
    """An indicator's charts and tables, each area's latest LATEST_PERIODS periods and its
    latest breakdown: a bounded page whatever the data; all of it is in the downloads.

    `?area=RS` (a public country's ISO code or a published region's code) shows only that
    area's values: what a country page links to for each of its indicators.
    """

    template_name = "statistics/indicator_detail.html"
    context_object_name = "indicator"
    page_cache_query_params = ("area",)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.area = None

    def get(self, request, *args, **kwargs):
        if "area" in request.GET:
            self.area = public_area(request.GET["area"])
        return super().get(request, *args, **kwargs)

    def public_observations(self):
        observations = super().public_observations()
        return observations.for_area(self.area) if self.area else observations

    def get_queryset(self):
        return Indicator.objects.with_public_periods(self.area).annotate(
            latest_change=Subquery(
                Observation.objects.public()
                .filter(indicator=OuterRef("pk"))
                .order_by("-updated_at")
                .values("updated_at")[:1]
            ),
        )

    def get_shown_observations(self):
        observations = self.public_observations()
        totals = list(
            observations.latest_totals(LATEST_PERIODS)
            .with_related()
            .order_by("region__name", "country__name", "period_start", "period_end")
        )
        breakdowns = list(
            observations.latest_breakdowns()
            .with_related()
            .order_by("region__name", "country__name", "-value", "category")
        )
        # A breakdown's shares are of its period's total, which may be older than the
        # latest totals shown: one query for those totals (a handful of rows, one an area).
        wanted = Q()
        for key in {(o.region_id, o.country_id, o.period) for o in breakdowns}:
            wanted |= Q(region_id=key[0], country_id=key[1], period=key[2])
        extra_totals = (
            list(observations.filter(wanted, category="").with_related()) if wanted else []
        )
        return totals, breakdowns, extra_totals

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicator = self.object
        totals, breakdowns, extra_totals = self.get_shown_observations()
        observations = totals + breakdowns
        context["charts"] = charts_for(
            indicator,
            observations,
            extra_totals=extra_totals,
            # Read only when a map is chosen: every public country, those without a value too.
            countries=Country.objects.public().order_by("name"),
        )
        context["latest_periods"] = LATEST_PERIODS
        context["sources_url"] = reverse("statistics:indicator-list")  # once, not per row
        context["sources"] = list(
            Source.objects.filter(pk__in=self.public_observations().values("source")).order_by(
                "name"
            )
        )
        context["area"] = self.area
        context.update(
            page_title=(
                _("%(indicator)s, %(area)s – Statistics")
                % {"indicator": indicator.name, "area": self.area}
                if self.area
                else _("%(indicator)s – Statistics") % {"indicator": indicator.name}
            ),
            page_description=self.description(indicator),
            last_updated=last_change(indicator.updated_at, indicator.latest_change),
        )
        return context

    @staticmethod
    def description(indicator):
        """A sentence for search engines and sharing: what, where, over which periods."""
        if indicator.first_period:
            covered = format_period_span(indicator.first_period, indicator.last_period)
            return _(
                "%(name)s (%(unit)s), %(covered)s: chart, data table with the source, period "
                "and status of each value, and open-data downloads."
            ) % {"name": indicator.name, "unit": indicator.unit, "covered": covered}
        return _(
            "%(name)s (%(unit)s): chart, data table with the source, period and status of "
            "each value, and open-data downloads."
        ) % {"name": indicator.name, "unit": indicator.unit}


class IndicatorCSVView(IndicatorMixin, DetailView):
    """The contract format, so a download re-imports as it is (status and qualifier columns
    included). A CSV holds no metadata: the JSON download is its sidecar, with each source's
    publisher, licence or terms, and the statuses and qualifiers; the `Link` header names it.
    No `rel="license"`: the values are under their sources' terms, which may differ."""

    def render_to_response(self, context):
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in export_csv_chunks(self.public_observations())),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{self.object.code}.csv"'
        sidecar = reverse("statistics:indicator-json", args=[self.object.code])
        response["Link"] = f'<{sidecar}>; rel="describedby"; type="application/json"'
        return response


class IndicatorJSONView(IndicatorMixin, DetailView):
    def render_to_response(self, context):
        indicator = self.object
        observations = self.get_observations()
        sources = sorted(
            {o.source_id: o.source for o in observations if o.source_id}.values(),
            key=lambda s: s.code,
        )
        site = SiteSettings.objects.current()
        licence = common_licence(
            sources, site, unsourced=any(o.source_id is None for o in observations)
        )
        document = {
            "indicator": {
                "code": indicator.code,
                "name": indicator.name,
                "description": indicator.description,
                "unit": indicator.unit,
                "decimals": indicator.decimals,
                "breakdown": indicator.breakdown_label,
                "url": self.request.build_absolute_uri(indicator.get_absolute_url()),
            },
            # Set only when one licence covers every value; else each source's own terms.
            "licence": licence,
            "terms": _(
                "Each value is published under its source's licence or terms (see "
                '"sources"; "terms_stated": false where the source states none). The '
                "portal's licence, %(licence)s, covers only the sources marked "
                '"own_compilation".'
            )
            % {"licence": site.data_licence_name},
            "portal_licence": portal_licence(site),
            "attribution": "; ".join(attribution_text(source) for source in sources),
            "sources": [source_record(source, site) for source in sources],
            "statuses": status_records(),
            "qualifiers": qualifier_records(),
            "observations": [
                {
                    "area": o.area_code,
                    "area_name": str(o.area),
                    "period": o.period,
                    "period_start": o.period_start.isoformat(),
                    "period_end": o.period_end.isoformat(),
                    "category": o.category,
                    "value": json_number(o.value),
                    "qualifier": o.qualifier or None,
                    "status": o.status,
                    "source": o.source.code if o.source_id else None,
                    "note": o.note,
                }
                for o in observations
            ],
        }
        response = HttpResponse(
            json.dumps(document, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'inline; filename="{indicator.code}.json"'
        if licence:
            response["Link"] = f'<{licence["url"]}>; rel="license"'
        return response
