"""Scales of a chart: the labels of the time axis and the value axis, and the class breaks
of a map. Unlike geometry.py, this module writes numbers and periods (formatting/display.py)."""

import datetime
import math
from decimal import Decimal

from formatting.display import format_compact, format_number, format_percent, format_period
from formatting.periods import period_points

from . import geometry

MAP_CLASSES = 5  # map-fill-1 .. map-fill-5 in site.css; map-fill-0 is "no value"


def time_ticks(observations):
    """Candidate labels of the time axis: years when the data spans three years or more or
    has yearly (or longer) periods, else quarters or months, as format_period writes them."""
    first = min(o.period_start for o in observations)
    last = max(o.period_end for o in observations)
    kinds = set()
    for observation in observations:
        points = period_points(observation.period)
        kinds.add("range" if len(points) > 1 else points[0].kind)
    if (last - first).days > 3 * 366 or kinds & {"year", "range"} or kinds == {"day"}:
        return [
            geometry.TimeTick(
                datetime.date(year, 1, 1),
                datetime.date(year, 12, 31),
                format_period(str(year)),
                year,
            )
            for year in range(first.year, last.year + 1)
        ]
    ticks = []
    year, month = first.year, first.month
    quarterly = kinds == {"quarter"}
    if quarterly:
        month = 3 * ((month - 1) // 3) + 1
    step = 3 if quarterly else 1
    while datetime.date(year, month, 1) <= last:
        start = datetime.date(year, month, 1)
        following = datetime.date(year + (month + step - 1) // 12, (month + step - 1) % 12 + 1, 1)
        if quarterly:
            text = format_period(f"{year}-Q{(month - 1) // 3 + 1}")
            key = (month - 1) // 3
        else:
            text = format_period(f"{year}-{month:02d}")
            key = month - 1
        ticks.append(geometry.TimeTick(start, following - datetime.timedelta(days=1), text, key))
        year, month = following.year, following.month
    return ticks


def tick_formatter(indicator, step):
    """Labels of the value axis: millions and billions in words ("2.5 million"), smaller
    numbers grouped ("500,000"), percentages with "%"; as many decimals as the step needs."""
    if indicator.is_percentage:
        return lambda value: format_percent(value, _decimals(step))

    def text(value):
        if abs(value) >= 10**6:
            return break_text(value, indicator)
        return format_number(value, _decimals(step) if step < 1 else 0)

    return text


def _decimals(number):
    """Places after the point needed to write `number` exactly (at most 4)."""
    return max(0, -Decimal(str(round(number, 4))).normalize().as_tuple().exponent)


def map_bins(values):
    """Class breaks for a choropleth of `values` (floats): round numbers (1, 2 or 5 times a
    power of ten) near the points that split the countries into at most MAP_CLASSES groups of
    about equal size. A value v is in class i when breaks[i-1] <= v < breaks[i]."""
    ordered = sorted(values)
    classes = min(MAP_CLASSES, len(set(ordered)))
    breaks = []
    for index in range(1, classes):
        cut = round(index * len(ordered) / classes)
        below, above = ordered[cut - 1], ordered[cut]
        if below == above:
            continue
        target = math.sqrt(below * above) if below > 0 else (below + above) / 2
        candidate = _nearest_round(target, below, above)
        if candidate is not None and (not breaks or candidate > breaks[-1]):
            breaks.append(candidate)
    return breaks


def _nearest_round(target, low, high):
    """The round number (1, 2, 2.5 or 5 times a power of ten) in (low, high] nearest to
    `target` (by ratio), else `target` rounded to as few significant digits as fit."""
    if target <= 0:
        return float(_round_significant(target)) if low < target <= high else None
    exponent = math.floor(math.log10(target))
    candidates = [
        m * 10.0**e for e in (exponent - 1, exponent, exponent + 1) for m in (1, 2, 2.5, 5)
    ]
    fitting = [c for c in candidates if low < c <= high]
    if fitting:
        return min(fitting, key=lambda c: abs(math.log(c / target)))
    for digits in (1, 2, 3):
        rounded = _round_significant(target, digits)
        if low < rounded <= high:
            return rounded
    return None


def _round_significant(value, digits=2):
    if value == 0:
        return 0.0
    quantum = Decimal(1).scaleb(Decimal(str(abs(value))).adjusted() - digits + 1)
    return float(Decimal(str(value)).quantize(quantum, rounding="ROUND_FLOOR"))


def break_text(value, indicator):
    if indicator.is_percentage:
        return format_percent(value, 0 if value == int(value) else 1)
    size = 10**9 if abs(value) >= 10**9 else 10**6 if abs(value) >= 10**6 else 1
    scaled = Decimal(str(value)) / size
    decimals = max(0, -scaled.normalize().as_tuple().exponent)
    if size == 1:
        return format_number(value, decimals)
    return format_compact(value, decimals)
