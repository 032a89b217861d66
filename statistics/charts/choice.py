"""Server-rendered charts of an indicator: which chart fits the data, and what it shows.

`charts_for(indicator, observations, ...)` is the one place a chart type is chosen:

- several periods for an area: a **line chart** on a true time axis, one line per area;
- one period for each of several areas: **bars** by area, sorted;
- one value in all: a **big number** (value with its qualifier, unit, period, status, source);
- values for several countries: a **map** (choropleth) of each country's latest value;
- a breakdown (categories of an area's latest period): **bars** sorted by value, with shares.

`chart_for(...)` returns the first of them (what an embed or a share image shows).

Values the source publishes without a number (not available, suppressed) are never drawn
(a gap in a line, no bar) and are always in the chart's table as such. Provisional and
estimated values and qualified ones ("more than") are marked in the drawing, never by colour
alone, and explained in a legend drawn only when the chart has such values. The data table is
built in tables.py, axis ticks and map classes in scales.py, the geometry in geometry.py;
markup in templates/statistics/_chart*.html.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from formatting.display import (
    format_observation,
    format_percent,
    format_period,
    format_period_span,
    format_value,
    lower_first,
)
from regions.maps import LegendItem, MapFill, region_map

from ..models import ObservationStatus
from . import geometry, scales
from .tables import ChartTable, TableRow, chart_table, status_labels, table_row, wide_table

LATEST_PERIODS = 36  # a page shows each area's latest 36 periods; downloads have them all
QUALIFIER_GLYPHS = {"more_than": ">", "less_than": "<", "about": "\u2248"}


def _marker(observation):
    if observation.is_provisional:
        return "provisional"
    if observation.is_estimated:
        return "estimated"
    return "plain"


def _number(value):
    return float(value) if value is not None else None


def _legend_entries(observations):
    """(kind, text, glyph) for the markers these values need, in a fixed order; none when
    no value has a status or qualifier to mark."""
    entries = []
    if any(o.is_provisional and o.has_value for o in observations):
        entries.append(("provisional", _("Provisional"), ""))
    if any(o.is_estimated and o.has_value for o in observations):
        entries.append(("estimated", _("Estimated"), ""))
    qualifiers = {o.qualifier for o in observations if o.has_value}
    for key, text in (
        ("more_than", _("More than the value shown")),
        ("less_than", _("Less than the value shown")),
        ("about", _("About the value shown")),
    ):
        if key in qualifiers:
            entries.append((key, text, QUALIFIER_GLYPHS[key]))
    return entries


def _marks_sentence(entries):
    """What the legend says, for the chart's text description."""
    if not entries:
        return ""
    return _("Marked: %(kinds)s.") % {"kinds": ", ".join(text.lower() for _k, text, _g in entries)}


@dataclass
class NumberTile:
    value_text: str
    unit: str
    period_text: str
    status_text: str  # empty when "as published"
    source: object
    area: object
    is_marked: bool


@dataclass
class Chart:
    key: str
    kind: str  # "line", "bars", "number" or "map"
    title: str
    description: str
    table: ChartTable
    views: list = field(default_factory=list)  # geometry LineView/BarView, narrow and wide
    legend: list = field(default_factory=list)  # (kind, text, glyph) of the markers
    tile: NumberTile = None
    map: object = None  # regions.maps.RegionMap
    truncated: list = field(default_factory=list)  # (area, shown, all) periods per area
    # The chart's own file name (statistics/charts/files.py): "chart" for the main chart,
    # "map", "breakdown-<area code>" for an area's breakdown.
    file_name: str = "chart"
    file_links: dict = field(default_factory=dict)  # its files' addresses (set by the view)
    panels: list = field(default_factory=list)  # small multiples: one line chart per place
    wide: object = None  # a line chart of several places: its places x periods table
    place: str = ""  # a small multiple: the place it shows
    # How the standalone drawing is built again for another layout (downloads, PNG).
    _build: object = None

    @property
    def has_markers(self):
        return bool(self.legend)

    def drawing(self, layout=geometry.WIDE):
        """The chart's drawing in `layout` (a geometry view for _chart_svg.html), or None for
        a map (drawn by the region map's own template)."""
        if self.kind == "map" or self._build is None:
            return None
        return self._build(layout)


def chart_for(indicator, observations, **kwargs):
    """The indicator's main chart (the first `charts_for` would show), or None."""
    charts = charts_for(indicator, observations, **kwargs)
    return charts[0] if charts else None


def charts_for(indicator, observations, *, extra_totals=(), countries=(), compare=None):
    """The charts of an indicator page, chosen from the data (see the module docstring).

    `observations`: each area's latest totals (with `area_total_count` from
    `ObservationQuerySet.latest_totals`, else all are assumed shown) and its latest
    breakdown, with related objects. `extra_totals`: totals not charted, only the wholes a
    breakdown's shares are of. `countries`: the countries a map may show (those without a
    value are drawn as such); a queryset is only evaluated when a map is chosen.
    `compare` (statistics.compare.Compare, already bounded to what the figures allow): a
    logarithmic value axis, small multiples instead of one line chart, the wide table's sort.
    """
    log = bool(compare and compare.is_log)
    totals, breakdowns = {}, {}
    for observation in observations:
        target = breakdowns if observation.category else totals
        target.setdefault(observation.area_code, []).append(observation)
    for rows in totals.values():
        rows.sort(key=lambda o: (o.period_start, o.period_end))
    wholes = {(o.area_code, o.period): o for o in extra_totals}

    def area_order(rows):
        return (rows[0].country_id is not None, str(rows[0].shown_area))

    total_series = sorted(totals.values(), key=area_order)
    charts = []
    keys = (f"chart-{n}" for n in range(1000))
    if any(len(rows) > 1 for rows in total_series):
        if compare and compare.is_multiples and len(total_series) > 1:
            chart = _multiples(
                next(keys), indicator, total_series, log=log, shared=compare.shared_axis
            )
        else:
            chart = _line_chart(next(keys), indicator, total_series, log=log)
        if len(total_series) > 1:
            chart.wide = wide_table(total_series, indicator, sort=compare.sort if compare else "")
        charts.append(chart)
    elif len(total_series) > 1:
        charts.append(_area_bars(next(keys), indicator, [rows[-1] for rows in total_series]))
    elif total_series and not breakdowns:
        charts.append(_big_number(next(keys), indicator, total_series[0][-1]))
    with_country = [rows[-1] for rows in total_series if rows[-1].country_id]
    if len(with_country) > 1:
        choropleth = _map(next(keys), indicator, with_country, countries)
        if choropleth is not None:
            charts.append(choropleth)
    for rows in sorted(breakdowns.values(), key=area_order):
        latest_end = max(o.period_end for o in rows)
        latest = [o for o in rows if o.period_end == latest_end]
        period = latest[0].period
        area_totals = totals.get(latest[0].area_code, [])
        total = next(
            (o for o in area_totals if o.period_end == latest_end and o.period == period),
            wholes.get((latest[0].area_code, period)),
        )
        breakdown = _breakdown(next(keys), indicator, latest, total)
        breakdown.file_name = f"breakdown-{latest[0].area_code.lower()}"
        charts.append(breakdown)
    return charts


def _axis(indicator, values, log):
    """The value axis's ticks and their labels: from zero, or powers of ten (log)."""
    values = values or [0.0]
    if log:
        y_ticks = geometry.log_ticks(min(values), max(values))
        return y_ticks, scales.tick_formatter(indicator, y_ticks[0])
    y_ticks, step = geometry.nice_ticks(min(0.0, *values), max(0.0, *values))
    return y_ticks, scales.tick_formatter(indicator, step)


def _log_words():
    return _("logarithmic scale")


def _line_chart(
    key,
    indicator,
    series_rows,
    *,
    log=False,
    axis_values=None,
    scale_note="",
    layouts=geometry.LAYOUTS,
):
    """A line chart of `series_rows` (one line an area). log: a logarithmic value axis (said
    in the title). axis_values: the values the axis spans (default: these series'), for a
    small multiple on the same axis as the others; scale_note: what its title says of that."""
    labels = status_labels()
    observations = [o for rows in series_rows for o in rows]
    with_value = [o for o in observations if o.has_value]
    values = [float(o.value) for o in with_value]
    y_ticks, tick_text = _axis(indicator, values if axis_values is None else axis_values, log)
    legend = _legend_entries(observations)
    series = [
        geometry.SeriesInput(
            str(rows[0].shown_area),
            [
                geometry.PointInput(
                    o.period_start,
                    o.period_end,
                    _number(o.value) if o.has_value else None,
                    _marker(o),
                    QUALIFIER_GLYPHS.get(o.qualifier, ""),
                    format_observation(o, indicator),
                )
                for o in rows
            ],
        )
        for rows in series_rows
    ]
    time_ticks = scales.time_ticks(observations)

    def build(layout):
        return geometry.line_view(
            series,
            layout,
            y_ticks=y_ticks,
            time_ticks=time_ticks,
            tick_text=tick_text,
            legend_entries=legend,
            log=log,
        )

    several = len(series_rows) > 1
    first_period = min(observations, key=lambda o: (o.period_start, o.period_end)).period
    last_period = max(observations, key=lambda o: (o.period_end, o.period_start)).period
    if several:
        title = _("%(indicator)s, by period and area") % {"indicator": indicator.name}
        latest = "; ".join(
            f"{rows[0].shown_area} {format_observation(last, indicator)} "
            f"({format_period(last.period)})"
            for rows in series_rows
            for last in [([o for o in rows if o.has_value] or rows)[-1]]
        )
        description = _(
            "%(count)d lines, one for each area, %(span)s. Latest values: %(latest)s."
        ) % {
            "count": len(series_rows),
            "span": format_period_span(first_period, last_period),
            "latest": latest,
        }
    else:
        rows = series_rows[0]
        title = _("%(indicator)s, %(area)s, by period") % {
            "indicator": indicator.name,
            "area": rows[0].shown_area,
        }
        shown = [o for o in rows if o.has_value] or rows
        highest = max(shown, key=lambda o: o.value if o.has_value else Decimal(0))
        description = _(
            "%(count)d periods from %(first)s (%(first_value)s) to %(last)s (%(last_value)s); "
            "highest %(high)s in %(high_period)s."
        ) % {
            "count": len(rows),
            "first": format_period(shown[0].period),
            "first_value": format_observation(shown[0], indicator),
            "last": format_period(shown[-1].period),
            "last_value": format_observation(shown[-1], indicator),
            "high": format_observation(highest, indicator),
            "high_period": format_period(highest.period),
        }
    if log:
        title = f"{title}, {_log_words()}"
        description += " " + _(
            "Logarithmic scale: each grid line is ten times the one below, so equal gaps "
            "are equal ratios."
        )
    if scale_note:
        title = f"{title}, {scale_note}"
    if len(with_value) < len(observations):
        description += " " + _("Values the source does not give are left as gaps.")
    description = f"{description} {_marks_sentence(legend)}".strip()
    table_rows = [
        table_row(
            o, format_period(o.period), indicator, labels, area=o.shown_area if several else None
        )
        for rows in series_rows
        for o in rows
    ]
    truncated = [
        (rows[0].shown_area, len(rows), rows[0].area_total_count)
        for rows in series_rows
        if getattr(rows[0], "area_total_count", len(rows)) > len(rows)
    ]
    return Chart(
        key=key,
        kind="line",
        title=title,
        description=description,
        table=chart_table(table_rows, _("Period"), has_area=several),
        views=[build(layout) for layout in layouts],
        legend=legend,
        truncated=truncated,
        _build=build if layouts else None,
    )


def _multiples(key, indicator, series_rows, *, log=False, shared=False):
    """Small multiples: one small line chart a place, each on its own value axis (a place
    dwarfed by another keeps its shape) or, `shared`, all on the same (sizes compare)."""
    all_values = [float(o.value) for rows in series_rows for o in rows if o.has_value]
    note = _("same scale for all areas") if shared else _("own scale for each area")
    # A place's small chart on its own axis is an ordinary chart (its file says nothing
    # more); on the shared axis, its file says that the axis is the others' too.
    panel_note = _("on the same scale as the other areas' charts") if shared else ""
    panels = []
    for number, rows in enumerate(series_rows):
        panel = _line_chart(
            f"{key}-{number}",
            indicator,
            [rows],
            log=log,
            axis_values=all_values if shared else None,
            scale_note=panel_note,
            # On the page a small chart is drawn narrow at every width (site.css); its files
            # draw it wide when asked for (Chart.drawing).
            layouts=(geometry.LAYOUTS[0],),
        )
        panel.file_name = f"chart-{rows[0].area_code.lower()}"
        panel.place = str(rows[0].shown_area)
        panels.append(panel)
    # The table and description of all places together (not drawn: the panels are).
    combined = _line_chart(key, indicator, series_rows, log=log, layouts=())
    if shared:
        how = _(
            "One small chart for each of %(count)d areas, all on the same value scale: "
            "their sizes compare."
        )
    else:
        how = _(
            "One small chart for each of %(count)d areas, each on its own value scale: "
            "compare their shapes, not their heights."
        )
    title = _("%(indicator)s, by period, one chart for each area") % {"indicator": indicator.name}
    if log:
        title = f"{title}, {_log_words()}"
    return Chart(
        key=key,
        kind="multiples",
        title=f"{title}, {note}",
        description=f"{how % {'count': len(panels)}} {combined.description}",
        table=combined.table,
        legend=combined.legend,
        truncated=combined.truncated,
        panels=panels,
        file_name="multiples",
    )


def _bars(key, indicator, rows, *, title, description, table, shares=None):
    shares = shares or {}
    drawn = [o for o in rows if o.has_value]
    legend = _legend_entries(rows)
    bars = [
        geometry.BarInput(
            str(o.category or o.shown_area),
            float(o.value),
            format_observation(o, indicator) + (f" ({shares[o.pk]})" if shares.get(o.pk) else ""),
            _marker(o),
        )
        for o in drawn
    ]

    def build(layout):
        return geometry.bar_view(bars, layout, legend_entries=legend)

    if len(drawn) < len(rows):
        description += " " + _("Values the source does not give are not drawn; see the table.")
    description = f"{description} {_marks_sentence(legend)}".strip()
    return Chart(
        key=key,
        kind="bars",
        title=title,
        description=description,
        table=table,
        views=[build(layout) for layout in geometry.LAYOUTS] if bars else [],
        legend=legend,
        _build=build if bars else None,
    )


def _sorted_for_bars(rows, name):
    return sorted(rows, key=lambda o: (not o.has_value, -(o.value or 0), name(o)))


def _area_bars(key, indicator, rows):
    labels = status_labels()
    rows = _sorted_for_bars(rows, lambda o: str(o.shown_area))
    periods = {o.period for o in rows}
    period_text = format_period(rows[0].period) if len(periods) == 1 else ""
    names = {"indicator": indicator.name, "period": period_text}
    title = (
        _("%(indicator)s, %(period)s, by area") % names
        if period_text
        else _("%(indicator)s, latest period of each area") % names
    )
    listing = "; ".join(f"{o.shown_area} {format_observation(o, indicator)}" for o in rows[:5])
    description = _("%(count)d areas, largest first: %(listing)s.") % {
        "count": len(rows),
        "listing": listing,
    }
    table_rows = [
        table_row(o, str(o.shown_area), indicator, labels, period_text=format_period(o.period))
        for o in rows
    ]
    table = chart_table(table_rows, _("Area"), has_period=not period_text)
    return _bars(key, indicator, rows, title=title, description=description, table=table)


def _breakdown(key, indicator, rows, total):
    labels = status_labels()
    rows = _sorted_for_bars(rows, lambda o: o.category)
    drawn = [o for o in rows if o.has_value]
    shares = {}
    # A share is only as exact as both its numbers: none of a qualified value ("more than
    # 50"), and none at all when the whole is qualified or, without a total, when a category
    # has no number or a qualified one (the sum would not be the whole).
    if total is not None:
        whole = total.value if total.has_value and not total.qualifier else None
    elif all(o.has_value and not o.qualifier for o in rows):
        whole = sum((o.value for o in drawn), Decimal(0))
    else:
        whole = None
    if not indicator.is_percentage and whole:
        for o in drawn:
            if not o.qualifier:
                share = o.value / whole * 100
                shares[o.pk] = format_percent(share, 1 if share < 10 else 0)
    period = format_period(rows[0].period)
    listing = "; ".join(f"{o.category} {format_observation(o, indicator)}" for o in rows[:5])
    description = _("%(count)d categories in %(period)s, largest first: %(listing)s.") % {
        "count": len(rows),
        "period": period,
        "listing": listing,
    }
    title = _("%(indicator)s, %(area)s, %(period)s, by %(breakdown)s") % {
        "indicator": indicator.name,
        "area": rows[0].shown_area,
        "period": period,
        "breakdown": lower_first(indicator.breakdown_label or _("category")),
    }
    table_rows = [
        table_row(
            o,
            o.category,
            indicator,
            labels,
            period_text=format_period(o.period),
            share_text=shares.get(o.pk, ""),
        )
        for o in rows
    ]
    table = chart_table(
        table_rows,
        indicator.breakdown_label or _("Category"),
        has_period=False,  # one period, named in the title
        share_header=_("Share of total") if not indicator.is_percentage else "",
    )
    return _bars(
        key, indicator, rows, title=title, description=description, table=table, shares=shares
    )


def _big_number(key, indicator, observation):
    labels = status_labels()
    status = observation.status
    tile = NumberTile(
        value_text=format_observation(observation, indicator),
        unit="" if indicator.is_percentage or not observation.has_value else indicator.unit,
        period_text=format_period(observation.period),
        status_text="" if status == ObservationStatus.AS_PUBLISHED else labels[status],
        source=observation.source,
        area=observation.shown_area,
        is_marked=observation.is_provisional or observation.is_estimated,
    )
    title = _("%(indicator)s, %(area)s, %(period)s") % {
        "indicator": indicator.name,
        "area": observation.shown_area,
        "period": tile.period_text,
    }
    description = " ".join(
        part for part in (tile.value_text, tile.unit, tile.status_text.lower()) if part
    )
    table = chart_table(
        [table_row(observation, format_period(observation.period), indicator, labels)], _("Period")
    )
    return Chart(
        key=key,
        kind="number",
        title=title,
        description=description,
        table=table,
        tile=tile,
        legend=[],
        _build=lambda layout: geometry.number_view(
            " ".join(part for part in (tile.value_text, tile.unit) if part),
            ", ".join(
                part for part in (str(tile.area), tile.period_text, tile.status_text) if part
            ),
            layout,
        ),
    )


def _map(key, indicator, rows, countries):
    labels = status_labels()
    countries = list(countries)
    # A figure under a source's own name for an area (UNHCR's "Serbia and Kosovo: S/RES/1244
    # (1999)") is not the country's: it shades no country (the country reads "no value
    # published") and stands in the map's table under its name.
    shared = [o for o in rows if o.area_label]
    rows = [o for o in rows if not o.area_label]
    if not rows:
        return None
    with_value = [o for o in rows if o.has_value]
    breaks = scales.map_bins([float(o.value) for o in with_value]) if with_value else []
    classes = len(breaks) + 1
    spread = (
        [1 + round(n * (scales.MAP_CLASSES - 1) / (classes - 1)) for n in range(classes)]
        if (classes > 1)
        else [scales.MAP_CLASSES]
    )
    texts = [scales.break_text(b, indicator) for b in breaks]
    legend = []
    for n in range(classes if with_value else 0):
        if classes == 1:
            label = format_value(with_value[0].value, indicator)
        elif n == 0:
            label = _("under %(high)s") % {"high": texts[0]}
        elif n == classes - 1:
            label = _("%(low)s or more") % {"low": texts[-1]}
        else:
            label = _("%(low)s to under %(high)s") % {"low": texts[n - 1], "high": texts[n]}
        legend.append(LegendItem(f"map-fill-{spread[n]}", label))
    fills = {}
    by_code = {o.country.iso_code: o for o in rows}
    for o in rows:
        detail = format_period(o.period)
        if o.is_provisional or o.is_estimated:
            detail = f"{detail}, {labels[o.status].lower()}"
        value_text = f"{format_observation(o, indicator)} ({detail})"
        if o.has_value:
            index = sum(1 for b in breaks if float(o.value) >= b)
            fills[o.country.iso_code] = MapFill(f"map-fill-{spread[index]}", value_text)
        else:
            fills[o.country.iso_code] = MapFill("map-fill-0", value_text)
    missing = [c for c in countries if c.iso_code not in by_code]
    no_value = missing or any(not o.has_value for o in rows)
    for country in missing:
        fills[country.iso_code] = MapFill("map-fill-0", _("no value published"))
    if no_value:
        legend.append(LegendItem("map-fill-0", _("No value published")))
    periods = {o.period for o in rows}
    period_text = format_period(rows[0].period) if len(periods) == 1 else ""
    names = {"indicator": indicator.name, "period": period_text}
    title = (
        _("%(indicator)s, %(period)s, by country") % names
        if period_text
        else _("%(indicator)s, latest period of each country, by country") % names
    )
    drawn = countries or [o.country for o in rows]
    region_map_ = region_map(drawn, fills=fills, legend=legend, title=title)
    if region_map_ is None:
        return None
    ordered = _sorted_for_bars(rows + shared, lambda o: str(o.shown_area))
    table_rows = [
        table_row(o, str(o.shown_area), indicator, labels, period_text=format_period(o.period))
        for o in ordered
    ]
    table_rows += [
        TableRow(observation=None, header=str(c), value_text=_("no value published"))
        for c in missing
    ]
    description = _("Map of %(count)d countries shaded by value, in %(classes)d classes.") % {
        "count": len(drawn),
        "classes": classes,
    }
    return Chart(
        key=key,
        kind="map",
        title=title,
        description=description,
        table=chart_table(table_rows, _("Country"), has_period=not period_text),
        map=region_map_,
        file_name="map",
    )
