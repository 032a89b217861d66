import json
from dataclasses import replace
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.conf import settings
from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.generic import DetailView, ListView

from formatting.display import format_number as display_number
from formatting.display import format_period_span
from pages.models import SiteSettings
from projects.models import Project
from publishing.models import last_change
from regions.models import Country, Region
from wbportal.views import absolute_url

from .area_labels import area_label_notes
from .attribution import (
    attribution_text,
    common_licence,
    portal_licence,
    qualifier_records,
    source_dating,
    source_record,
    status_records,
)
from .charts import LATEST_PERIODS, charts_for
from .charts.files import (
    PNG_SCALES,
    SHARE_HEIGHT,
    SHARE_WIDTH,
    cached_file,
    chart_file,
    chart_sources,
    chart_subtitle,
    render_png,
    share_image,
    share_image_svg,
    share_image_version,
)
from .citation import cite_indicator
from .compare import (
    IGNORED_PARAM,
    LOG_MIN_RATIO,
    PARAMS,
    Compare,
    Offer,
    bounded,
    log_allowed,
    multiples_allowed,
    offer_for,
    parse,
)
from .derived.page import derivation_of, input_sources, with_input_sources
from .downloads import (
    XLSX_TYPE,
    ReadmeFile,
    TooLarge,
    content_disposition,
    file_stem,
    max_rows,
    readme_text,
    xlsx_bytes,
    zip_bytes,
)
from .embed import EMBED_MESSAGE_TYPE, embed_snippet
from .fragments import indicator_fragments
from .imports.cells import format_number
from .imports.export import download_csv_chunks, download_rows
from .models import (
    Derivation,
    DerivationMethod,
    Indicator,
    Observation,
    Source,
    public_observation_q,
)
from .opendata.facts import page_dataset
from .opendata.jsonld import schema_org_dataset, script_json


def json_number(value):
    """A Decimal as a JSON number: an integer when whole, else the shortest exact float;
    None (null) for a cell the source publishes without a number."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(format_number(value))


class IndicatorListView(ListView):
    template_name = "statistics/indicator_list.html"
    context_object_name = "indicators"
    # No region's or country's own text on it: an edit of one keeps it cached (pagecache).
    page_cache_shows_own_texts = False

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
            # The data files its page offers (charts are drawn there, not for a list).
            indicator.data_files = download_links(indicator)
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
    # The downloads keep to the places chosen on the page (`?places=AL,RS`, canonical: the
    # indicator's own areas in code order, else sent there); the chart views read the whole
    # compare choice themselves (IndicatorChartsMixin).
    page_cache_query_params = ("places",)
    # Its pages, files and downloads show no region's or country's own text (summary,
    # profile): an edit of one keeps them cached (pagecache.pages.ViewFacts).
    page_cache_shows_own_texts = False

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.choose_places(request):
            return redirect_to(request.path, None, Compare(self.places))
        return self.render_to_response(self.get_context_data(object=self.object))

    def choose_places(self, request):
        """`self.places` from `?places=` (all of them when absent); 404 for a place the
        indicator has no public figure of. False when the address writes a known choice
        otherwise than canonically (the caller sends it there)."""
        self.places = ()
        if "places" not in request.GET:
            return True
        codes = self.public_observations().area_codes()
        choice, unknown = parse(request.GET, Offer(tuple((code, code) for code in codes)))
        if unknown:
            raise Http404(_("Unknown place."))
        self.places = choice.places
        return request.GET.getlist("places") == [",".join(self.places)]

    def public_observations(self):
        """The indicator's observations that anyone may see, the same for every visitor:
        these pages and downloads are cached and shared, drafts never among them."""
        observations = self.object.observations.public()
        if getattr(self, "places", ()):
            places = list(self.places)
            observations = observations.filter(
                Q(country__iso_code__in=places) | Q(region__code__in=places)
            )
        return observations

    def get_observations(self):
        return list(
            self.public_observations()
            .with_related()
            .order_by(
                "region__name", "country__name", "period_start", "period_end", "-value", "category"
            )
        )


def page_query(area, choice, *, sort=True):
    """`?area=XK&places=...`: the query of an indicator page's own links (its chart files,
    embed and downloads carry the same choice), "" for the defaults."""
    params = [("area", area_code(area))] if area else []
    params += choice.params(sort=sort, ignored=False)
    return f"?{urlencode(sorted(params), safe=',')}" if params else ""


def redirect_to(path, area, choice):
    params = [("area", area_code(area))] if area else []
    params += choice.params()
    query = urlencode(sorted(params), safe=",")
    return HttpResponseRedirect(f"{path}?{query}" if query else path)


def area_code(area):
    """The code `?area=` names an area by: a country's ISO code, a region's code."""
    return area.iso_code if isinstance(area, Country) else area.code


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


class IndicatorChartsMixin(IndicatorMixin):
    """An indicator with the charts its page shows: each area's latest LATEST_PERIODS periods
    and its latest breakdown, a bounded page whatever the data (all of it is in the CSV and
    JSON downloads). The page, its chart files and its embed view all draw these.

    `?area=RS` (a public country's ISO code or a published region's code) keeps only that
    area's values: what a country page links to for each of its indicators.

    The compare choices (statistics/compare.py: `?places=`, `axis=log`, `view=multiples`,
    `sort=`) are read against the figures the page shows anyway, so they add no query; an
    address that writes them otherwise than canonically is sent to the canonical one (one
    cached copy a choice), with `ignored=1` when it asked for something not on offer.
    """

    page_cache_query_params = ("area", *PARAMS, IGNORED_PARAM)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.area = None
        self.compare = Compare()
        self.offer = None
        self._shown = None

    def get(self, request, *args, **kwargs):
        if "area" in request.GET:
            self.area = public_area(request.GET["area"])
        self.object = self.get_object()
        # Without a choice nothing is read before the page (or a cached file) is served.
        if any(name in request.GET for name in (*PARAMS, IGNORED_PARAM)):
            self.compare, unknown = self.choose(request.GET)
            if not self.compare.matches(request.GET):
                return self.not_canonical(unknown)
        context = self.get_context_data(object=self.object)
        return self.render_to_response(context)

    def get_offer(self):
        """The places (and sort keys) this page may be asked for."""
        if self.offer is None:
            totals, breakdowns, _extra = self.get_shown_observations()
            self.offer = offer_for(totals, breakdowns)
        return self.offer

    def choose(self, query):
        """The compare choice `query` asks for, within what the figures shown allow, and
        whether it asked for something not on offer."""
        totals, _breakdowns, _extra = self.get_shown_observations()
        choice, unknown = parse(query, self.get_offer())
        choice, dropped = bounded(choice, choice.filter_rows(totals))
        unknown = unknown or dropped
        flagged = query.get(IGNORED_PARAM) == "1"
        return replace(choice, ignored=unknown or flagged), unknown

    def not_canonical(self, unknown):
        """The same page at its canonical address."""
        return redirect_to(self.request.path, self.area, self.compare)

    def public_observations(self):
        observations = super().public_observations()
        return self.area_observations(observations) if self.area else observations

    def get_queryset(self):
        indicators = Indicator.objects.with_public_periods(self.area).with_data_version()
        if self.area is None:
            return indicators
        # When this area's figures last changed on the portal ("Added to the portal"): a
        # subquery of the same query, no query of its own.
        own = self.area_observations(Observation.objects.public()).filter(indicator=OuterRef("pk"))
        return indicators.annotate(
            area_latest_change=Subquery(own.order_by("-updated_at").values("updated_at")[:1])
        )

    def area_observations(self, observations):
        if isinstance(self.area, Country):
            # Its own figures and those under a source's name that takes it in too (UNHCR's
            # "Serbia and Kosovo: S/RES/1244 (1999)" on Kosovo*'s), shown under that name.
            return observations.shown_for_country(self.area)
        return observations.for_area(self.area)

    def get_shown_observations(self):
        """Each area's latest totals and latest breakdown, and the totals the breakdowns'
        shares are of: read once a request (the compare choice is read against them)."""
        if self._shown is None:
            self._shown = self.read_shown_observations()
        return self._shown

    def read_shown_observations(self):
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

    def get_charts(self):
        totals, breakdowns, extra_totals = self.get_shown_observations()
        choice = self.compare
        # Read only when a map is chosen: every public country, those without a value too
        # (only the chosen places when some are).
        countries = Country.objects.public().order_by("name")
        if choice.places:
            countries = countries.filter(iso_code__in=choice.places)
        return charts_for(
            self.object,
            choice.filter_rows(totals) + choice.filter_rows(breakdowns),
            extra_totals=extra_totals,
            countries=countries,
            compare=choice,
        )

    def area_query(self, *, sort=True):
        """The `?area=` and compare part of this page's own links ("" when unfiltered)."""
        return page_query(self.area, self.compare, sort=sort)

    def page_url(self):
        return absolute_url(self.object.get_absolute_url() + self.area_query())


FRAGMENT_META = ("has_charts", "has_area_label_notes")


class IndicatorDetailView(IndicatorChartsMixin, DetailView):
    """An indicator's page: facts, then the sections Chart, Table, Sources and method,
    Download (data, chart files, embed, citation), and the projects that address it."""

    template_name = "statistics/indicator_detail.html"
    context_object_name = "indicator"

    def get_queryset(self):
        # How a derived indicator is computed (templates/statistics/_derivation.html), in
        # the indicator's own query: no query more for the others.
        related = ("derivation__numerator", "derivation__denominator")
        # Its "per 1,000 inhabitants" figures, where the portal derives them (the compare
        # form links to them): subqueries of the same query.
        per_capita = Derivation.objects.filter(
            numerator=OuterRef("pk"), method=DerivationMethod.RATIO, scale=1000
        ).order_by("indicator__code")
        return (
            super()
            .get_queryset()
            .select_related(*related)
            .annotate(
                per_capita_code=Subquery(per_capita.values("indicator__code")[:1]),
                per_capita_name=Subquery(per_capita.values("indicator__name")[:1]),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicator = self.object
        # The charts, maps and tables are rendered once per data version, area, compare
        # choice and language (statistics/fragments.py): on a hit the figures are not read.
        fragments = context["fragments"] = indicator_fragments(
            indicator, f"{self.area_query()}|{self.compare.ignored}"
        )
        meta = fragments.meta
        if meta is None:
            # A miss: the charts are needed now (given as they are: a lazy proxy in every
            # template lookup of the charts and tables costs more than it saves).
            heavy = self.heavy_context()
            context.update(heavy)
            meta = {
                "has_charts": bool(heavy["charts"]),
                "has_area_label_notes": bool(heavy["area_label_notes"]),
            }
        else:
            # A hit: read only if a fragment cannot be used after all (see FragmentNode).
            heavy = SimpleLazyObject(self.heavy_context)
            for name in ("charts", "compare", "area_label_notes"):
                context[name] = SimpleLazyObject(lambda name=name: heavy[name])
        # What the rest of the page needs to know of them, kept with the fragments.
        context.update((name, meta[name]) for name in FRAGMENT_META)
        self.fragments_meta = meta
        # Read once for the citation, then given to the template (the context processor's
        # lazy copy is then never read: one query, not two).
        site = context["site_settings"] = SiteSettings.objects.current()
        # The downloads hold the chosen places (and area); axis and view change no data.
        context["download_query"] = page_query(self.area, Compare(self.compare.places))
        context["latest_periods"] = LATEST_PERIODS
        context["sources_url"] = reverse("statistics:indicator-list")  # once, not per row
        context["sources"] = with_input_sources(
            indicator,
            list(
                Source.objects.filter(pk__in=self.public_observations().values("source")).order_by(
                    "name"
                )
            ),
        )
        # The source's own date is the headline (when it published the figures, which
        # release): the day they reached the portal says nothing of how recent they are.
        context["source_dates"] = [(s, source_dating(s)) for s in context["sources"]]
        # "Added to the portal": the latest `updated_at` of the figures shown, i.e. the last
        # time an import or an edit wrote one of them (an import leaves unchanged rows
        # alone). Not the latest ImportRecord: records do not say which indicators they
        # touched, and a hand edit has none. Read with the page's indicator (get_queryset).
        context["added_to_portal"] = (
            indicator.area_latest_change if self.area else indicator.latest_change
        )
        context["area"] = self.area
        # Kept with the fragments too: it depends on nothing their key does not.
        jsonld = meta.get("dataset_jsonld")
        if jsonld is None:
            jsonld = dataset_jsonld(indicator, self.area, context["sources"], site)
        context["dataset_jsonld"] = self.fragments_meta["dataset_jsonld"] = jsonld
        context["projects"] = list(related_projects(indicator))
        context.update(
            reuse_links(indicator, self.area_query(sort=False), site, context["sources"])
        )
        context["data_files"] = download_links(indicator, context["download_query"])
        context.update(
            page_sections=page_sections(bool(context["projects"])),
            page_title=(
                _("%(indicator)s, %(area)s – Statistics")
                % {"indicator": indicator.name, "area": self.area}
                if self.area
                else _("%(indicator)s – Statistics") % {"indicator": indicator.name}
            ),
            page_description=self.description(indicator),
            last_updated=last_change(indicator.updated_at, indicator.latest_change),
            share_image=share_image_meta(indicator),
        )
        return context

    def heavy_context(self):
        """The charts and what is worked out from them: only on a fragment miss."""
        indicator = self.object
        charts = self.get_charts()
        return {
            "charts": chart_file_links(indicator, charts, self.area_query(sort=False)),
            "compare": compare_context(
                indicator, self.area, self.get_offer(), self.compare, charts
            ),
            "area_label_notes": area_label_notes(
                row.observation for chart in charts for row in chart.table.rows
            ),
        }

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        fragments = context["fragments"]
        response.add_post_render_callback(
            lambda _response: fragments.save(
                {name: bool(self.fragments_meta[name]) for name in FRAGMENT_META}
                | {"dataset_jsonld": self.fragments_meta["dataset_jsonld"]}
            )
        )
        return response

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


# --- the page's sections, reuse links, citation and related projects ---------------------


def dataset_jsonld(indicator, area, sources, site):
    """The page's schema.org Dataset (statistics.opendata), for the page of all areas only:
    a page filtered by area names the whole indicator's page as its canonical one. "" when
    there is none (no public figure)."""
    dataset = page_dataset(indicator, sources) if area is None else None
    return script_json(schema_org_dataset(dataset, site)) if dataset else ""


def per_capita_indicator(indicator):
    """The portal's derived indicator "per 1,000 inhabitants" of `indicator` (a rate with
    it as the numerator, scale 1,000; read with the indicator, see IndicatorDetailView), or
    None: the page links to its figures, computed and explained there, never to a rate
    worked out on the fly."""
    code = getattr(indicator, "per_capita_code", None)
    return Indicator(code=code, name=indicator.per_capita_name) if code else None


def absolute_of(indicator):
    """For a derived "per 1,000" indicator, the indicator it is a rate of (its numerator),
    already read with the page's indicator; else None."""
    derivation = derivation_of(indicator)
    if derivation and derivation.method == DerivationMethod.RATIO and derivation.scale == 1000:
        return derivation.numerator
    return None


def compare_context(indicator, area, offer, choice, charts):
    """What the page's "Compare places" form offers: the places (each checked or not), the
    value axis and the views the figures allow, the per-1,000 switch where the portal derives
    that figure; None where there is nothing to compare (one place, or a filter by area)."""
    if area is not None or offer is None or len(offer.places) < 2:
        return None
    chosen = set(choice.places or offer.codes)
    line = next((c for c in charts if c.kind in ("line", "multiples")), None)
    shown = [row.observation for c in charts[:1] for row in c.table.rows if row.observation]
    per_capita = per_capita_indicator(indicator)
    absolute = absolute_of(indicator)
    switch_query = page_query(None, replace(choice, sort="", ignored=False))
    return {
        # By name on the page; in code order in the address.
        "places": [
            (code, name, code in chosen)
            for code, name in sorted(offer.places, key=lambda place: place[1])
        ],
        "choice": choice,
        "offers_log": line is not None and log_allowed(shown),
        "offers_multiples": line is not None and multiples_allowed(shown),
        "per_capita": per_capita,
        "per_capita_url": per_capita.get_absolute_url() + switch_query if per_capita else "",
        "absolute": absolute,
        "absolute_url": absolute.get_absolute_url() + switch_query if absolute else "",
        "wide": line.wide if line is not None else None,
        "hint": dwarf_hint(shown)
        if line is not None and line.kind == "line" and not choice.is_log
        else "",
        # The hint's links: the same places on a logarithmic axis, or as small multiples.
        "log_url": indicator.get_absolute_url()
        + page_query(None, replace(choice, axis="log", sort="", ignored=False))
        + "#chart",
        "multiples_url": indicator.get_absolute_url()
        + page_query(None, replace(choice, view="multiples", sort="", ignored=False))
        + "#chart",
        "sort_links": sort_links(indicator, choice, line.wide) if line and line.wide else {},
    }


def dwarf_hint(observations):
    """A word for a reader of one linear chart where one place dwarfs another (its latest
    value at least LOG_MIN_RATIO times the other's): "" otherwise."""
    latest = {}
    for o in observations:
        if o.has_value and o.value > 0 and not o.category:
            known = latest.get(o.area_code)
            if known is None or o.period_end > known.period_end:
                latest[o.area_code] = o
    if len(latest) < 2:
        return ""
    largest = max(latest.values(), key=lambda o: o.value)
    smallest = min(latest.values(), key=lambda o: o.value)
    ratio = largest.value / smallest.value
    if ratio < LOG_MIN_RATIO:
        return ""
    return _(
        "The latest figure of %(largest)s is %(ratio)s times that of %(smallest)s: on one "
        "linear axis the smaller places look flat. A logarithmic axis or a small chart for "
        "each place shows them better."
    ) % {
        "largest": largest.shown_area,
        "smallest": smallest.shown_area,
        "ratio": display_number(ratio, 0),
    }


def sort_links(indicator, choice, wide):
    """The wide table's sort links: by place name ("name"), and by each period's values
    (`columns`: period, text, address, whether sorted by it)."""
    base = indicator.get_absolute_url()

    def link(sort):
        return base + page_query(None, choice.with_sort(sort)) + "#wide-table"

    return {
        "name": link(""),
        "columns": [
            (period, text, link(period), period == wide.sort) for period, text in wide.periods
        ],
        "sorted_text": next((text for period, text in wide.periods if period == wide.sort), ""),
    }


def page_sections(has_projects):
    """(anchor, heading) of the indicator page's sections, in order: its in-page navigation."""
    sections = [
        ("chart", _("Chart")),
        ("table", _("Table")),
        ("sources", _("Sources and method")),
        ("download", _("Download and reuse")),
    ]
    if has_projects:
        sections.append(("projects", _("Related projects")))
    return sections


def related_projects(indicator):
    """The published projects that address `indicator` (one query)."""
    return Project.objects.published().filter(indicators=indicator).order_by("title")


def chart_file_urls(indicator, area_query=""):
    """The first chart's files, in the sizes the page offers for each chart
    (chart_file_links)."""
    png = reverse("statistics:indicator-chart-png", args=[indicator.code]) + area_query
    return {
        "svg": reverse("statistics:indicator-chart-svg", args=[indicator.code]) + area_query,
        "png": png,
        "png2x": f"{png}{'&' if area_query else '?'}scale=2",
    }


def reuse_links(indicator, area_query, site, sources=()):
    """The Download section's links, the embed snippet and the citation (naming `sources`,
    those of the figures shown), absolute where they leave the site (an embed or a citation
    is read elsewhere)."""
    files = chart_file_urls(indicator, area_query)
    embed_url = absolute_url(
        reverse("statistics:indicator-embed", args=[indicator.code]) + area_query
    )
    return {
        "chart_files": files,
        "embed_url": embed_url,
        "embed_snippet": embed_snippet(embed_url, indicator.name),
        "citation": cite_indicator(
            indicator, absolute_url(indicator.get_absolute_url()), site, sources
        ),
    }


def share_image_meta(indicator):
    """The og:image of an indicator page: its chart as a PNG, versioned by its data."""
    url = reverse("statistics:indicator-share-image", args=[indicator.code])
    return {
        "url": absolute_url(f"{url}?v={share_image_version(indicator)}"),
        "width": SHARE_WIDTH,
        "height": SHARE_HEIGHT,
        "alt": _("Chart of %(indicator)s, %(site)s")
        % {
            "indicator": indicator.name,
            "site": settings.SITE_NAME,
        },
    }


# --- chart files, embed, share image -------------------------------------------------------


class IndicatorChartSVGView(IndicatorChartsMixin, DetailView):
    """One of the page's charts as a standalone SVG document (`<name>.svg`: chart, map,
    breakdown-<area>), with its title, place, period, as-of date, sources and terms."""

    extension = "svg"
    content_type = "image/svg+xml; charset=utf-8"

    def chart_file(self):
        charts = self.get_charts()
        # Small multiples: each place's small chart is a file of its own (chart-<code>).
        drawn = [panel for c in charts for panel in (c.panels or [c])]
        name = self.kwargs.get("name", "chart")
        chart = next((c for c in drawn if c.file_name == name), None)
        if chart is None and name == "chart" and drawn:
            chart = drawn[0]  # only breakdowns, or small multiples: the first is the chart
        if chart is None:  # nothing public (for this area): no empty picture
            raise Http404(_("No figures have been published for this indicator yet."))
        return chart_file(
            self.object,
            chart,
            self.page_url(),
            SiteSettings.objects.current(),
            area=self.area,
            regions=place_regions(),
        )

    def scale(self):
        return 1

    def content(self):
        return self.chart_file().svg.encode("utf-8")

    def choose(self, query):
        """A file asked for with a place or option not on offer does not exist (no picture
        of something else under its name); one written otherwise is sent to its canonical
        address."""
        choice, unknown = super().choose(query)
        if choice.ignored:
            raise Http404(_("Unknown place or option."))
        return choice, unknown

    def file_name(self):
        parts = [self.object.code]
        if self.area:
            parts.append(area_code(self.area))
        parts += [code for code in self.compare.places]
        parts.append(self.kwargs.get("name", "chart"))
        if self.compare.is_log:
            parts.append("log")
        if self.scale() != 1:
            parts.append(f"{self.scale()}x")
        return "-".join(parts) + f".{self.extension}"

    def render_to_response(self, context):
        parts = (
            self.kwargs.get("name", "chart"),
            self.extension,
            self.area_query(sort=False),
            self.scale(),
        )
        response = HttpResponse(
            cached_file(self.object, parts, self.content), content_type=self.content_type
        )
        response["Content-Disposition"] = f'attachment; filename="{self.file_name()}"'
        return response


class IndicatorChartPNGView(IndicatorChartSVGView):
    """The same document as a PNG, 1,200 px wide, or 2,400 px with `?scale=2` (sharp in
    print); no other size."""

    extension = "png"
    content_type = "image/png"
    page_cache_query_params = ("area", "scale", *PARAMS, IGNORED_PARAM)

    def scale(self):
        text = self.request.GET.get("scale", "1")
        if not text.isdigit() or int(text) not in PNG_SCALES:
            raise Http404(_("Unknown size."))
        return int(text)

    def content(self):
        return render_png(self.chart_file().svg, scale=self.scale())


def place_regions():
    """The published regions with their countries' codes: what names the place of a chart of
    several areas ("Western Balkans"). Two queries, made only when a file is drawn."""
    countries = Prefetch("countries", queryset=Country.objects.only("pk", "iso_code"))
    return list(Region.objects.published().prefetch_related(countries))


def chart_file_links(indicator, charts, area_query=""):
    """Give each chart (and each of its small multiples) the addresses of its files
    (`chart.file_links`: svg, png, png2x)."""
    joiner = "&" if area_query else "?"
    for chart in [panel for c in charts for panel in (c, *c.panels)]:
        base = reverse(
            "statistics:indicator-chart-file-svg", args=[indicator.code, chart.file_name]
        )
        png = reverse("statistics:indicator-chart-file-png", args=[indicator.code, chart.file_name])
        chart.file_links = {
            "svg": base + area_query,
            "png": png + area_query,
            "png2x": f"{png}{area_query}{joiner}scale=2",
        }
    return charts


@method_decorator([xframe_options_exempt, csp_replace({"frame-ancestors": ["*"]})], name="dispatch")
class IndicatorEmbedView(IndicatorChartsMixin, DetailView):
    """The chart alone, for other sites to frame: the only page any site may frame (its
    Content-Security-Policy says `frame-ancestors *`, and it sends no X-Frame-Options)."""

    template_name = "statistics/indicator_embed.html"
    context_object_name = "indicator"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Its charts and sources are rendered once per data version, area, choice and
        # language, as the page's are (statistics/fragments.py), under a key of their own.
        fragments = context["fragments"] = indicator_fragments(
            self.object, f"embed|{self.area_query()}|{self.compare.ignored}"
        )
        if fragments.found:
            heavy = SimpleLazyObject(self.drawn_context)
            for name in ("charts", "sources"):
                context[name] = SimpleLazyObject(lambda name=name: heavy[name])
        else:
            context.update(self.drawn_context())
        context.update(
            area=self.area,
            page_url=self.page_url(),
            page_title=self.object.name,
            # Not listed by search engines (noindex), but read by link previews and tools.
            page_description=_(
                "%(name)s (%(unit)s): the chart of %(site)s with its sources and their terms, "
                "for other sites to show."
            )
            % {"name": self.object.name, "unit": self.object.unit, "site": settings.SITE_NAME},
            embed_message_type=EMBED_MESSAGE_TYPE,
        )
        return context

    def drawn_context(self):
        charts = self.get_charts()
        return {
            "charts": [(chart, chart_subtitle(self.object, chart)) for chart in charts],
            "sources": chart_sources(charts),
        }

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        fragments = context["fragments"]
        response.add_post_render_callback(lambda _response: fragments.save({}))
        return response


class IndicatorShareImageView(IndicatorChartsMixin, DetailView):
    """The indicator's share image (og:image, 1200 x 630 PNG): its first chart with its
    name and sources, for all areas. Rendered once per change of the data
    (chart_files.share_image); the `?v=` of its address changes with the data, so social
    networks fetch it anew, and the view reads no parameter (one cached copy)."""

    page_cache_query_params = ()

    def get(self, request, *args, **kwargs):
        return DetailView.get(self, request, *args, **kwargs)  # no ?area=: always all areas

    def render_to_response(self, context):
        indicator = self.object

        def draw():
            charts = self.get_charts()
            site = SiteSettings.objects.current()
            svg = share_image_svg(indicator, charts, site, regions=place_regions())
            return render_png(svg, width=SHARE_WIDTH, height=SHARE_HEIGHT)

        response = HttpResponse(share_image(indicator, draw), content_type="image/png")
        response["Content-Disposition"] = f'inline; filename="{indicator.code}-share.png"'
        return response


# The layouts a CSV download comes in, chosen by `?layout=` (never guessed from the browser):
# "regional" is the CSV for Excel in the region (";", decimal comma).
LAYOUTS = ("", "regional")


class IndicatorDownloadMixin(IndicatorChartsMixin):
    """A data download of an indicator: its public figures, of one area with `?area=` (as
    its page), named for what they hold (`refugees-hosted_TR_2015-2025.csv`)."""

    page_cache_query_params = ("area", "layout", "places")
    extension = ""

    def get(self, request, *args, **kwargs):
        self.layout = request.GET.get("layout", "")
        if self.layout not in LAYOUTS:
            raise Http404(_("Unknown layout."))
        if "area" in request.GET:
            self.area = public_area(request.GET["area"])
        self.object = self.get_object()
        # The places chosen on the page (`?places=AL,RS`); axis and view change no data. An
        # unknown place is a 404, another spelling of a known choice goes to the canonical one.
        canonical = self.choose_places(request)
        self.compare = Compare(self.places)
        if not canonical:
            query = page_query(self.area, self.compare)
            if self.layout:
                query += f"&layout={self.layout}" if query else f"?layout={self.layout}"
            return HttpResponseRedirect(request.path + query)
        return self.render_to_response(self.get_context_data(object=self.object))

    def file_name(self, extension=None, suffix=""):
        indicator = self.object
        return (
            file_stem(
                indicator.code,
                area_code(self.area) if self.area else "",
                indicator.first_period or "",
                indicator.last_period or "",
                suffix,
            )
            + f".{extension or self.extension}"
        )

    def layout_suffix(self):
        return "regional" if self.layout == "regional" else ""

    def rows(self):
        return download_rows(self.public_observations())

    def readme(self, files=()):
        return readme_text(
            self.object,
            self.public_observations(),
            site=SiteSettings.objects.current(),
            page_url=self.page_url(),
            area=self.area,
            files=files,
        )

    def cache_parts(self):
        """Which file this is, for charts.files.cached_file (which adds the data version):
        its kind, area and layout, and the day (the README's citation names it)."""
        return ("download", self.extension, self.area_query(), self.layout, timezone.localdate())

    def too_large(self):
        return HttpResponse(
            _("This download is too large to build; download the CSV instead."),
            status=413,
            content_type="text/plain; charset=utf-8",
        )


class IndicatorCSVView(IndicatorDownloadMixin, DetailView):
    """The figures as CSV: the contract's columns (so a download imports again as it is),
    then the area's and the indicator's names, the unit, the source's name and address and
    the licence (statistics.imports.export.download_rows). `?layout=regional`: ";" and decimal
    commas, for Excel in the region. UTF-8 with a BOM either way (Excel reads Š, Ç, Ђ). The
    README of the zip and the JSON (the `Link` header names it) describe it in full. No
    `rel="license"`: the values are under their sources' terms, which may differ."""

    extension = "csv"

    def render_to_response(self, context):
        regional = self.layout == "regional"
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in download_csv_chunks(self.rows(), regional)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = content_disposition(
            self.file_name(suffix=self.layout_suffix())
        )
        sidecar = reverse("statistics:indicator-json", args=[self.object.code])
        response["Link"] = f'<{sidecar}>; rel="describedby"; type="application/json"'
        return response


class IndicatorXLSXView(IndicatorDownloadMixin, DetailView):
    """The figures as an XLSX workbook: the CSV's columns on a "Data" sheet, values as
    numbers and periods as text, and the README on an "About" sheet. Built once per data
    version, in memory, up to DOWNLOAD_MAX_ROWS rows, as the zip."""

    extension = "xlsx"

    def render_to_response(self, context):
        try:
            data = cached_file(
                self.object,
                self.cache_parts(),
                lambda: xlsx_bytes(self.rows(), self.readme().splitlines()),
            )
        except TooLarge:
            return self.too_large()
        response = HttpResponse(data, content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition(self.file_name())
        return response


class IndicatorZipView(IndicatorDownloadMixin, DetailView):
    """The figures and their README in one zip, as Our World in Data gives them: the CSV (in
    the chosen layout) and README.md. Built once per data version (charts.files.cached_file),
    in memory, up to DOWNLOAD_MAX_ROWS rows."""

    extension = "zip"

    def render_to_response(self, context):
        csv_name = self.file_name("csv", suffix=self.layout_suffix())

        def build():
            rows = self.rows()
            chunks = []
            for count, chunk in enumerate(
                download_csv_chunks(rows, self.layout == "regional"), start=-1
            ):
                if count > max_rows():
                    raise TooLarge
                chunks.append(chunk)
            files = [
                ReadmeFile(csv_name, readme_csv_description(self.layout)),
                ReadmeFile("README.md", _("This file.")),
            ]
            return zip_bytes(
                [
                    (csv_name, "".join(chunks).encode("utf-8")),
                    ("README.md", self.readme(files).encode("utf-8")),
                ]
            )

        try:
            data = cached_file(self.object, self.cache_parts(), build)
        except TooLarge:
            return self.too_large()
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = content_disposition(
            self.file_name(suffix=self.layout_suffix())
        )
        return response


def readme_csv_description(layout):
    if layout == "regional":
        return _(
            "the figures, CSV for Excel in the region: “;” between columns, decimal comma, "
            "UTF-8 with a byte order mark."
        )
    return _("the figures, CSV: “,” between columns, decimal point, UTF-8 with a byte order mark.")


def download_links(indicator, area_query=""):
    """The Download section's data links: the CSV, the CSV for Excel, the XLSX, the zip."""
    regional = f"{area_query}&layout=regional" if area_query else "?layout=regional"
    return {
        "csv": reverse("statistics:indicator-csv", args=[indicator.code]) + area_query,
        "csv_regional": reverse("statistics:indicator-csv", args=[indicator.code]) + regional,
        "xlsx": reverse("statistics:indicator-xlsx", args=[indicator.code]) + area_query,
        "zip": reverse("statistics:indicator-zip", args=[indicator.code]) + area_query,
    }


def reuse_document(indicator, site, sources=()):
    """The indicator JSON's description of its page and what readers may do with it: the
    page's sections, the citation, the chart files, the embed, the share image, the next
    expected update and the projects that address it."""
    page_url = absolute_url(indicator.get_absolute_url())
    links = reuse_links(indicator, "", site, sources)
    projects = list(related_projects(indicator))
    share = share_image_meta(indicator)
    return {
        "page": {
            "url": page_url,
            "sections": [
                {"id": anchor, "title": title, "url": f"{page_url}#{anchor}"}
                for anchor, title in page_sections(bool(projects))
            ],
        },
        "next_update": indicator.next_update or None,
        "citation": {"text": links["citation"].text, "bibtex": links["citation"].bibtex},
        "chart_downloads": {kind: absolute_url(url) for kind, url in links["chart_files"].items()},
        "data_downloads": {
            kind: absolute_url(url) for kind, url in download_links(indicator).items()
        },
        "embed": {"url": links["embed_url"], "snippet": links["embed_snippet"]},
        "share_image": {
            "url": share["url"],
            "width": share["width"],
            "height": share["height"],
            "type": "image/png",
        },
        "projects": [
            {"title": str(project), "url": absolute_url(project.get_absolute_url())}
            for project in projects
        ],
    }


class IndicatorJSONView(IndicatorMixin, DetailView):
    # With its data version: the share image's address is versioned by it.
    queryset = Indicator.objects.with_data_version().select_related("derivation")

    def render_to_response(self, context):
        indicator = self.object
        observations = self.get_observations()
        own = {o.source_id: o.source for o in observations if o.source_id}
        # A computed figure owes its inputs' sources too (a rate's population).
        own.update((source.pk, source) for source in input_sources(indicator))
        sources = sorted(own.values(), key=lambda s: s.code)
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
                "url": absolute_url(indicator.get_absolute_url()),
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
                    # The area as the source names it when that is not simply the area:
                    # such a value is not the area's alone (UNHCR's "Serbia and Kosovo:
                    # S/RES/1244 (1999)" under RS).
                    "area_label": o.area_label or None,
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
            **reuse_document(indicator, site, sources),
        }
        response = HttpResponse(
            json.dumps(document, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'inline; filename="{indicator.code}.json"'
        if licence:
            response["Link"] = f'<{licence["url"]}>; rel="license"'
        return response
