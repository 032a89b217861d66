"""Server-rendered charts of an indicator: geometry here, markup in templates/statistics/.

Time series (totals over periods) become vertical bars, or a line when there are many
periods; breakdowns (categories of the latest period, e.g. nationalities) become horizontal
bars sorted by value with each one's share. Provisional values are marked by a hatch pattern
and a text marker, never by colour alone. Every chart comes with the rows of its data table.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from wbportal.formatting import format_observation, format_percent, format_period

WIDTH = 640
MAX_BARS = 24  # more periods than this: a line
LATEST_PERIODS = 36  # a page shows each area's latest 36 periods; downloads have them all
PROVISIONAL_MARK = "(p)"


@dataclass
class Mark:
    """One bar or point, with its position and its labels."""

    label: str
    value_text: str
    provisional: bool
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    share_text: str = ""
    show_label: bool = True
    show_value: bool = True
    value_x: float = 0
    label_x: float = 0
    status_text: str = ""  # the observation's status label (one translation per chart)
    has_value: bool = True  # False: a cell without a number, drawn as no bar and no point

    def place(self, value_x, label_x):
        self.x, self.y = round(self.x, 1), round(self.y, 1)
        self.width, self.height = round(self.width, 1), round(self.height, 1)
        self.value_x, self.label_x = round(value_x, 1), round(label_x, 1)


@dataclass
class Chart:
    key: str
    kind: str  # "bars", "line" or "breakdown"
    title: str
    description: str
    height: int
    marks: list
    rows: list  # the observations in the data table, in chart order
    baseline: float = 0
    plot_left: float = 0
    plot_right: float = WIDTH
    line_path: str = ""
    axis_top_text: str = ""
    has_provisional: bool = False
    width: int = WIDTH
    caption: str = ""
    share_header: str = ""
    shares: list = field(default_factory=list)
    all_periods: int = 0  # the area's number of periods in all (the chart may show fewer)

    @property
    def table(self):
        """(observation, mark) pairs for the data table beside the chart."""
        return list(zip(self.rows, self.marks, strict=True))


def status_labels():
    """Status value -> its label in the active language (looked up once, not per row)."""
    from .models import ObservationStatus

    return {value: str(label) for value, label in ObservationStatus.choices}


def _scale(values, size):
    """A function mapping a value to a length, with 0 always on the axis. Cells without a
    number (not available, suppressed: value None) are left out, never drawn as 0."""
    values = [value for value in values if value is not None]
    low = min(Decimal(0), *values)
    high = max(Decimal(0), *values)
    span = float(high - low) or 1.0
    return (lambda value: float(value - low) / span * size), float(-low) / span * size


def build_charts(indicator, observations, extra_totals=()):
    """Charts for an indicator's observations (already fetched, with related objects).

    `observations` may be each area's latest totals only (with `area_total_count` set by
    `ObservationQuerySet.latest_totals`) and its latest breakdown; `extra_totals` are totals
    not charted, fetched only as the whole that a breakdown's shares are of.
    """
    by_area = {}
    for observation in observations:
        by_area.setdefault(observation.area_code, []).append(observation)
    wholes = {(o.area_code, o.period): o for o in extra_totals}
    charts = []
    for number, (code, rows) in enumerate(
        sorted(
            by_area.items(),
            key=lambda item: (item[1][0].country_id is not None, str(item[1][0].area)),
        )
    ):
        area = rows[0].area
        totals = sorted(
            (o for o in rows if not o.category), key=lambda o: (o.period_start, o.period_end)
        )
        categories = [o for o in rows if o.category]
        if totals:
            chart = _time_series(f"chart-{number}-t", indicator, area, totals)
            chart.all_periods = getattr(totals[0], "area_total_count", len(totals))
            charts.append(chart)
        if categories:
            latest_end = max(o.period_end for o in categories)
            latest = [o for o in categories if o.period_end == latest_end]
            period = latest[0].period
            total = next(
                (o for o in totals if o.period_end == latest_end and o.period == period),
                wholes.get((code, period)),
            )
            charts.append(_breakdown(f"chart-{number}-b", indicator, area, latest, total))
    return charts


def _time_series(key, indicator, area, rows):
    labels = status_labels()
    height, top, bottom, left, right = 260, 24, 40, 36, 36
    plot_height = height - top - bottom
    scale, zero = _scale([o.value for o in rows], plot_height)
    baseline = top + plot_height - zero
    count = len(rows)
    step = (WIDTH - left - right) / count
    label_every = max(1, math.ceil(count / 8))
    kind = "bars" if count <= MAX_BARS else "line"
    marks = []
    points = []
    for index, o in enumerate(rows):
        length = scale(o.value) - zero if o.value is not None else 0
        mark = Mark(
            label=format_period(o.period),
            value_text=format_observation(o, indicator),
            provisional=o.is_provisional,
            status_text=labels[o.status],
            show_label=index % label_every == 0 or index == count - 1,
            show_value=count <= 12 or index in (0, count - 1),
        )
        if o.value is None:
            mark.has_value = False
            mark.width = 0  # no bar or point: the label and the table say what it is
            mark.x = left + index * step + step / 2
            mark.y = baseline
        elif kind == "bars":
            mark.width = min(step * 0.7, 48)
            mark.x = left + index * step + (step - mark.width) / 2
            mark.y = baseline - max(length, 0)
            mark.height = max(abs(length), 1)
        else:
            mark.x = left + index * step + step / 2
            mark.y = baseline - length
            points.append(f"{mark.x:.1f},{mark.y:.1f}")
        centre = mark.x + mark.width / 2
        mark.place(centre, centre)
        marks.append(mark)
    first, last = rows[0], rows[-1]
    numbers = [o for o in rows if o.value is not None] or rows[:1]
    if count == 1:
        description = _("One value: %(value)s in %(period)s.") % {
            "value": format_observation(first, indicator),
            "period": format_period(first.period),
        }
    else:
        description = _(
            "%(count)d periods from %(first)s (%(first_value)s) to %(last)s (%(last_value)s); "
            "highest %(high)s in %(high_period)s."
        ) % {
            "count": count,
            "first": format_period(first.period),
            "first_value": format_observation(first, indicator),
            "last": format_period(last.period),
            "last_value": format_observation(last, indicator),
            "high": format_observation(max(numbers, key=lambda o: o.value or 0), indicator),
            "high_period": format_period(max(numbers, key=lambda o: o.value or 0).period),
        }
    provisional = any(o.is_provisional for o in rows)
    if provisional:
        description += " " + _("Values marked (p) are provisional.")
    pattern = _("%(indicator)s, %(area)s, by period")
    names = {"indicator": indicator.name}
    title = pattern % {**names, "area": area}
    return Chart(
        key=key,
        kind=kind,
        title=title,
        description=description,
        height=height,
        marks=marks,
        rows=rows,
        baseline=round(baseline, 1),
        plot_left=left,
        plot_right=WIDTH - right,
        line_path="M" + " L".join(points) if points else "",
        has_provisional=provisional,
        caption=title,
    )


def _breakdown(key, indicator, area, rows, total):
    labels = status_labels()
    # Largest first; cells without a number last (in the table; no bar).
    rows = sorted(rows, key=lambda o: (o.value is None, -(o.value or 0), o.category))
    label_width, value_width, row_height, top = 200, 130, 28, 8
    provisional = any(o.is_provisional for o in rows)
    height = top * 2 + row_height * len(rows) + (20 if provisional else 0)
    plot = WIDTH - label_width - value_width
    scale, zero = _scale([o.value for o in rows], plot)
    if indicator.is_percentage:
        shares = [o.value for o in rows]
    else:
        whole = (
            total.value if total is not None else sum(o.value for o in rows if o.value is not None)
        )
        shares = [(o.value / whole * 100) if whole and o.value is not None else None for o in rows]
    marks = []
    for index, (o, share) in enumerate(zip(rows, shares, strict=True)):
        length = scale(o.value) - zero if o.value is not None else 0
        share_text = format_percent(share, 1 if share < 10 else 0) if share is not None else ""
        mark = Mark(
            label=o.category,
            value_text=format_observation(o, indicator),
            provisional=o.is_provisional,
            status_text=labels[o.status],
            x=label_width + zero + min(length, 0),
            y=top + index * row_height + 4,
            width=max(abs(length), 1) if o.value is not None else 0,
            has_value=o.value is not None,
            height=row_height - 8,
            share_text=share_text,
        )
        mark.place(mark.x + mark.width + 6, label_width - 6)
        marks.append(mark)
    period = format_period(rows[0].period)
    listing = "; ".join(f"{m.label} {m.value_text}" for m in marks[:5])
    description = _("%(count)d categories in %(period)s, largest first: %(listing)s.") % {
        "count": len(rows),
        "period": period,
        "listing": listing,
    }
    if provisional:
        description += " " + _("Values marked (p) are provisional.")
    pattern = _("%(indicator)s, %(area)s, %(period)s, by %(breakdown)s")
    names = {
        "indicator": indicator.name,
        "period": period,
        "breakdown": (indicator.breakdown_label or _("category")).lower(),
    }
    title = pattern % {**names, "area": area}
    return Chart(
        key=key,
        kind="breakdown",
        title=title,
        description=description,
        height=height,
        marks=marks,
        rows=rows,
        plot_left=label_width,
        has_provisional=provisional,
        caption=title,
        share_header=_("Share of total") if not indicator.is_percentage else "",
        shares=[m.share_text for m in marks],
    )
