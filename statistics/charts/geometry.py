"""Geometry of the SVG charts: where every line, bar, marker and label goes, for one layout.

Text in an SVG scales with its view box, so one drawing cannot keep labels legible on a
375 px phone and a 1280 px screen. Each chart is therefore laid out twice, for a narrow and a
wide view box (`LAYOUTS`), and the stylesheet shows the one that fits; the wide one is also
the standalone SVG (downloads, PNG). Font sizes are chosen so that text is at least 12 CSS px
wherever its layout is shown (see `.chart-narrow`/`.chart-wide` in site.css).

Nothing here formats numbers or periods or knows words: the caller passes texts made by
formatting/display.py and gettext.
"""

import datetime
import functools
import math
from dataclasses import dataclass, field

from PIL import ImageFont


@dataclass(frozen=True)
class Layout:
    name: str
    width: int
    height: int  # of the plot's drawing, before legends
    font_size: float
    max_items: int = 0  # bars: draw only the first (largest) this many; 0: all


# Narrow: shown up to 42rem of viewport, at most 28rem wide (343-448 px: 12.6-16.5 px text).
# Wide: from 42rem, at most 52rem wide (640-832 px: 12.4-16.2 px text).
LAYOUTS = (Layout("narrow", 340, 300, 12.5), Layout("wide", 720, 380, 14))
WIDE = LAYOUTS[1]
# A generous average width of a character of a sans-serif font, as a share of its size.
CHAR_WIDTH = 0.6
BOLD_CHAR_WIDTH = 0.7
# Line colours, each at least 4.5:1 on white (they colour the direct labels too).
PALETTE = ("#0b4f8a", "#b3261e", "#15702f", "#7a3fa0", "#9a4f00", "#006d7e", "#4a5562", "#a3245e")
INK, MUTED, GRID = "#1b1f24", "#4a5562", "#d5dbe1"
# Series with more points than this get markers only where a point has a status to show.
MAX_PLAIN_MARKERS = 24
# Direct labels at the line ends while they take at most this share of the width.
MAX_LABEL_SHARE = 0.34
# Lines of a wrapped label, as a multiple of the font size.
LINE_HEIGHT = 1.2


# Text is measured with DejaVu Sans, the font the PNGs are drawn in (installed with libcairo2,
# see the Makefile) and the first the chart files name; it is wider than the sans-serif fonts
# browsers pick, so a label measured with it fits in a browser too. Pillow (a dependency of
# CairoSVG) reads the font's advance widths; without the font, a generous average is used.
FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
# The extent of a line of text around its baseline, as a share of the font size: DejaVu's
# ascender and descender, accents included.
ASCENT, DESCENT = 0.8, 0.22
_MEASURE_SIZE = 100


@functools.cache
def _font(bold):
    try:
        return ImageFont.truetype(FONT_FILES[bold], _MEASURE_SIZE)
    except OSError:
        return None


@functools.lru_cache(maxsize=4096)
def _unit_width(text, bold):
    font = _font(bold)
    if font is None:
        return len(text) * (BOLD_CHAR_WIDTH if bold else CHAR_WIDTH)
    return font.getlength(text) / _MEASURE_SIZE


def text_width(text, font_size, bold=False):
    """The width of `text` at `font_size` (user units), as DejaVu Sans draws it. Whitespace
    runs count as one space, as SVG draws them; Pillow's layout engine also fails on a line
    break (a category imported with one made the indicator's page a 500)."""
    return _unit_width(" ".join(str(text).split()), bool(bold)) * font_size


def wrap_text(text, font_size, width, bold=False):
    """`text` in lines that each fit `width`, broken between words (a single word longer than
    the width is broken between characters: nothing is cut off)."""
    lines, line = [], ""
    for word in str(text).split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, font_size, bold) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for character in word:
            if line and text_width(line + character, font_size, bold) > width:
                lines.append(line)
                line = ""
            line += character
    if line:
        lines.append(line)
    return lines or [""]


@dataclass(frozen=True)
class TextBox:
    """Where a line of text is drawn: its box (left, top, right, bottom) in user units."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    def overlaps(self, other, margin=0.0):
        return (
            self.x0 < other.x1 + margin
            and other.x0 < self.x1 + margin
            and self.y0 < other.y1 + margin
            and other.y0 < self.y1 + margin
        )

    def moved(self, dx, dy):
        return TextBox(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy, self.text)


def text_box(x, baseline, text, font_size, anchor="start", bold=False):
    width = text_width(text, font_size, bold)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return TextBox(
        round(left, 1),
        round(baseline - font_size * ASCENT, 1),
        round(left + width, 1),
        round(baseline + font_size * DESCENT, 1),
        str(text),
    )


def nice_ticks(low, high, count=5):
    """Round tick values covering [low, high] (0 included by the caller), and their step."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * magnitude
        if (high - low) / step <= count:
            break
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    ticks = []
    value = first
    while value <= last + step / 2:
        ticks.append(round(value, 10))
        value += step
    return ticks, step


def day_number(date):
    return date.toordinal()


@dataclass
class Point:
    """One observation on a line: its place, status marker and qualifier glyph."""

    x: float
    y: float
    marker: str  # "plain", "provisional", "estimated" or "" (none drawn)
    glyph: str = ""  # ">" more than, "<" less than, "≈" about
    span_x1: float = 0  # a value for a longer period: drawn across it
    span_x2: float = 0
    glyph_dy: float = -6  # the glyph's baseline from the point: above it, unless a label is

    @property
    def glyph_box(self):
        return (self.x + 5, self.y + self.glyph_dy)


@dataclass
class SeriesView:
    colour: str
    name: str
    path: str
    points: list
    label: object = None  # a TextMark at the line end, or None


@dataclass
class TextMark:
    x: float
    y: float
    text: str
    anchor: str = "start"
    fill: str = INK
    weight: str = "normal"
    connector: tuple = ()  # (x1, y1, x2, y2) from the line's end to a moved label
    lines: tuple = ()  # a long text wrapped: its lines, drawn `line_step` apart from y on
    line_step: float = 0

    def wrap(self, lines, step):
        """Draw the text as `lines`, `step` apart (nothing changes for a single line)."""
        if len(lines) > 1:
            self.lines, self.line_step = tuple(lines), round(step, 1)

    @property
    def placed_lines(self):
        """(y, text) of each line drawn."""
        if not self.lines:
            return [(self.y, self.text)]
        return [(round(self.y + n * self.line_step, 1), t) for n, t in enumerate(self.lines)]


@dataclass
class LegendMark:
    x: float
    y: float
    kind: str  # a marker kind, a qualifier key, or "series"
    text: str
    colour: str = PALETTE[0]
    glyph: str = ""
    text_x: float = 0  # the text, after the symbol


class LaidOut:
    """What a drawing takes from its layout (templates read `view.name`, `view.width`,
    `view.font_size`)."""

    @property
    def name(self):
        return self.layout.name

    @property
    def width(self):
        return self.layout.width

    @property
    def font_size(self):
        return self.layout.font_size


@dataclass
class LineView(LaidOut):
    layout: Layout
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    y_ticks: list  # TextMark with y of the grid line
    x_ticks: list
    series: list
    value_labels: list
    legend: list = field(default_factory=list)
    kind = "line"


@dataclass
class SeriesInput:
    """What the caller knows of one line: its name and its points in time order."""

    name: str
    points: list  # PointInput


@dataclass
class PointInput:
    start: datetime.date
    end: datetime.date
    value: float | None  # None: not available or suppressed (a gap in the line)
    marker: str  # "plain", "provisional" or "estimated"
    glyph: str
    value_text: str


@dataclass
class TimeTick:
    start: datetime.date
    end: datetime.date
    text: str
    key: int  # the year, or the month/quarter number, for thinning to round steps


def _place_x_ticks(ticks, scale, plot_left, plot_right, layout):
    """Labels centred on their unit, thinned to round steps so that none overlap."""
    font = layout.font_size
    if not ticks:
        return []
    unit_width = scale(ticks[0].end) - scale(ticks[0].start)
    label_width = max(text_width(t.text, font) for t in ticks) + font
    every = 1
    for every in (1, 2, 3, 4, 5, 6, 10, 12, 20, 25, 50, 100):
        if unit_width * every >= label_width:
            break
    marks = []
    for tick in ticks:
        if tick.key % every:
            continue
        x = (scale(tick.start) + scale(tick.end)) / 2
        half = text_width(tick.text, font) / 2
        x = min(max(x, half), layout.width - half)
        if x < plot_left - font * 3 or x > plot_right + font * 3:
            continue
        marks.append(TextMark(round(x, 1), 0, tick.text, "middle", MUTED))
    return marks


def log_ticks(low, high):
    """The powers of ten around [low, high] (both above zero): the ticks of a logarithmic
    value axis, each ten times the one below."""
    first = math.floor(math.log10(low) + 1e-9)
    last = max(math.ceil(math.log10(high) - 1e-9), first + 1)
    return [10.0**exponent for exponent in range(first, last + 1)]


def line_view(series, layout, *, y_ticks, time_ticks, tick_text, legend_entries, log=False):
    """The drawing of a line chart with one line per SeriesInput.

    y_ticks: tick values (0 among them; powers of ten with `log`, see log_ticks);
    tick_text(value) their labels. log: values placed by their logarithm (all above zero).
    time_ticks: TimeTick candidates (years, quarters or months) over the data.
    legend_entries: (kind, text, glyph) of the marker legend, drawn under the plot.
    """
    font = layout.font_size
    width = layout.width
    tick_labels = [tick_text(value) for value in y_ticks]
    plot_left = max(text_width(label, font) for label in tick_labels) + font * 0.6
    plot_top = font * 1.2
    axis_height = font * 2
    several = len(series) > 1
    names = [s.name for s in series]
    label_room = max(text_width(name, font, bold=True) for name in names) + font if several else 0
    direct_labels = several and label_room <= width * MAX_LABEL_SHARE
    plot_right = width - (label_room if direct_labels else font * 0.8)

    # The series legend when direct labels do not fit: rows of swatch + name under the axis.
    series_legend = []
    if several and not direct_labels:
        series_legend = _flow(
            [("series", name, PALETTE[n % len(PALETTE)], "") for n, name in enumerate(names)],
            layout,
        )
    marker_legend = _flow(
        [(kind, text, PALETTE[0], glyph) for kind, text, glyph in legend_entries], layout
    )
    legend_height = sum(_rows_height(rows, font) for rows in (series_legend, marker_legend))
    plot_bottom = layout.height - axis_height
    height = layout.height + legend_height

    position = math.log10 if log else float
    low, high = position(y_ticks[0]), position(y_ticks[-1])
    span = (high - low) or 1

    def y_of(value):
        return plot_bottom - (position(value) - low) / span * (plot_bottom - plot_top)

    starts = [p.start for s in series for p in s.points]
    ends = [p.end for s in series for p in s.points]
    first = day_number(min(starts))
    last = day_number(max(ends)) + 1

    def x_of(date, after=False):
        day = day_number(date) + (1 if after else 0)
        return plot_left + (day - first) / ((last - first) or 1) * (plot_right - plot_left)

    def scale(date):
        return x_of(date)

    shortest = min(day_number(p.end) - day_number(p.start) + 1 for s in series for p in s.points)
    views = []
    for number, item in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        points, path, pen_down = [], [], False
        plain = len(item.points) <= MAX_PLAIN_MARKERS
        for point in item.points:
            if point.value is None:
                pen_down = False  # a gap: the source has no number here
                continue
            x = (x_of(point.start) + x_of(point.end, after=True)) / 2
            y = y_of(point.value)
            path.append(f"{'L' if pen_down else 'M'}{x:.1f},{y:.1f}")
            pen_down = True
            marker = point.marker if (point.marker != "plain" or plain) else ""
            mark = Point(round(x, 1), round(y, 1), marker, point.glyph)
            days = day_number(point.end) - day_number(point.start) + 1
            if days > shortest * 1.5:
                mark.span_x1 = round(x_of(point.start), 1)
                mark.span_x2 = round(x_of(point.end, after=True), 1)
            points.append(mark)
        views.append(SeriesView(colour, item.name, " ".join(path), points))

    value_labels = []
    if not several and views[0].points:
        value_labels = _end_values(
            series[0], views[0], layout, plot_top, plot_bottom, left=plot_left
        )
    if direct_labels:
        _direct_labels(views, layout, plot_right, plot_top, plot_bottom)

    y_marks = [
        TextMark(round(plot_left - font * 0.4, 1), round(y_of(v), 1), text, "end", MUTED)
        for v, text in zip(y_ticks, tick_labels, strict=True)
    ]
    x_marks = _place_x_ticks(time_ticks, scale, plot_left, plot_right, layout)
    for mark in x_marks:
        mark.y = round(plot_bottom + font * 1.5, 1)
    top = layout.height
    for rows in (series_legend, marker_legend):
        for mark in rows:
            mark.y = round(mark.y + top, 1)
        top += _rows_height(rows, font)
    return LineView(
        layout=layout,
        height=round(height, 1),
        plot_left=round(plot_left, 1),
        plot_right=round(plot_right, 1),
        plot_top=round(plot_top, 1),
        plot_bottom=round(plot_bottom, 1),
        y_ticks=y_marks,
        x_ticks=x_marks,
        series=views,
        value_labels=value_labels,
        legend=series_legend + marker_legend,
    )


def _end_values(item, view, layout, plot_top, plot_bottom, left=0.0):
    """A single line's first and last values written beside their points: above, unless the
    line comes from above (then below), so that the label never sits on the line."""
    font = layout.font_size
    with_value = [p for p in item.points if p.value is not None]
    points = view.points
    ends = [(with_value[0], points[0], points[1] if len(points) > 1 else None)]
    if len(points) > 1:
        ends.append((with_value[-1], points[-1], points[-2]))
    labels = []
    for source, point, neighbour in ends:
        half = text_width(source.value_text, font, bold=True) / 2
        x = min(max(point.x, left + half), layout.width - half)
        below = neighbour is not None and neighbour.y < point.y - 1
        if not below:  # the label goes above: the glyph under the point
            point.glyph_dy = round(font * 1.1, 1)
        y = point.y + font * 1.5 if below else point.y - font * 0.8
        y = min(max(y, plot_top + font * 0.2), plot_bottom - font * 0.3)
        labels.append(TextMark(round(x, 1), round(y, 1), source.value_text, "middle", INK, "bold"))
    return labels


def _direct_labels(views, layout, plot_right, plot_top, plot_bottom):
    """Each line's name at its end, moved apart so that none overlap (a thin connector
    links a moved label to its line)."""
    font = layout.font_size
    gap = font * 1.25
    ends = [(view, view.points[-1]) for view in views if view.points]
    ends.sort(key=lambda item: item[1].y)
    wanted = [point.y for _view, point in ends]
    placed = []
    for y in wanted:
        placed.append(max(y, placed[-1] + gap) if placed else max(y, plot_top + font * 0.4))
    overflow = placed[-1] - plot_bottom if placed else 0
    if overflow > 0:
        placed[-1] -= overflow
        for index in range(len(placed) - 2, -1, -1):
            placed[index] = min(placed[index], placed[index + 1] - gap)
    x = plot_right + font * 0.5
    for (view, point), y in zip(ends, placed, strict=True):
        moved = abs(y - point.y) > 1 or point.x < plot_right - font * 2
        connector = (point.x + 4, point.y, x - 2, y) if moved else ()
        view.label = TextMark(
            round(x, 1),
            round(y + font * 0.35, 1),
            view.name,
            "start",
            view.colour,
            "bold",
            tuple(round(c, 1) for c in connector),
        )


def _flow(items, layout):
    """Legend entries (kind, text, colour, glyph) in rows across the width; y is relative."""
    font = layout.font_size
    x, row, marks = 0.0, 0, []
    for kind, text, colour, glyph in items:
        item_width = font * 1.4 + text_width(text, font) + font * 1.2
        if x and x + item_width > layout.width:
            x, row = 0.0, row + 1
        y = round(font * 1.6 * row + font * 1.4, 1)
        marks.append(LegendMark(round(x, 1), y, kind, text, colour, glyph, round(font * 1.4, 1)))
        x += item_width
    return marks


def _rows_height(marks, font):
    if not marks:
        return 0
    return max(m.y for m in marks) + font * 0.8


@dataclass
class BarInput:
    label: str
    value: float
    value_text: str
    marker: str  # "plain", "provisional" or "estimated"


@dataclass
class BarMark:
    label: TextMark
    x: float
    y: float
    width: float
    height: float
    marker: str
    value: TextMark


@dataclass
class BarView(LaidOut):
    layout: Layout
    height: float
    bars: list
    zero_x: float
    bars_bottom: float
    legend: list = field(default_factory=list)
    kind = "bars"


def bar_view(bars, layout, *, legend_entries):
    """Horizontal bars in the given order. Wide: labels in a column left of the bars, wrapped
    onto as many lines as they need. Narrow: each label on its own lines above its bar, so
    long names keep the full width. No label is cut short."""
    if layout.max_items:
        bars = bars[: layout.max_items]
    font = layout.font_size
    width = layout.width
    narrow = layout.name == "narrow"
    step = font * LINE_HEIGHT
    value_room = max(text_width(b.value_text, font, bold=True) for b in bars) + font * 0.6
    if narrow:
        label_room, bar_height = 0.0, font * 1.25
    else:
        longest = max(text_width(b.label, font) for b in bars) + font
        label_room = min(longest, width * 0.38)
        bar_height = font * 1.4
    plot = max(width - label_room - value_room, width * 0.25)
    values = [b.value for b in bars]
    low, high = min(0.0, *values), max(0.0, *values)
    span = (high - low) or 1.0
    zero_x = label_room + (0 - low) / span * plot
    marks = []
    top = 0.0
    for bar in bars:
        start = label_room + (min(bar.value, 0) - low) / span * plot
        length = max(abs(bar.value) / span * plot, 1)
        if narrow:
            lines = wrap_text(bar.label, font, width)
            y = top + font * 0.2 + step * len(lines)
            label = TextMark(0, round(top + font * 1.05, 1), bar.label, "start")
            row_height = y - top + bar_height + font * 0.45
        else:
            lines = wrap_text(bar.label, font, label_room - font * 0.6)
            block = step * len(lines)
            row_height = max(font * 2.2, block + font * 0.8)
            y = top + (row_height - bar_height) / 2
            first_baseline = y + bar_height / 2 - block / 2 + font * 0.85
            label = TextMark(
                round(label_room - font * 0.5, 1), round(first_baseline, 1), bar.label, "end"
            )
        label.wrap(lines, step)
        value = TextMark(
            round(start + length + font * 0.35, 1),
            round(y + bar_height / 2 + font * 0.35, 1),
            bar.value_text,
            "start",
            INK,
            "bold",
        )
        marks.append(
            BarMark(
                label,
                round(start, 1),
                round(y, 1),
                round(length, 1),
                round(bar_height, 1),
                bar.marker,
                value,
            )
        )
        top += row_height
    height = top + font * 0.4
    bars_bottom = round(marks[-1].y + marks[-1].height + font * 0.2, 1)
    legend = _flow(
        [(kind, text, PALETTE[0], glyph) for kind, text, glyph in legend_entries], layout
    )
    legend_height = _rows_height(legend, font)
    for mark in legend:
        mark.y = round(mark.y + height + font * 0.4, 1)
    height += legend_height + (font * 0.4 if legend else 0)
    return BarView(layout, round(height, 1), marks, round(zero_x, 1), bars_bottom, legend)


@dataclass
class NumberView(LaidOut):
    """A single value drawn as a big number (the standalone form of the page's tile)."""

    layout: Layout
    value: TextMark
    caption: TextMark
    height: float
    legend: list = field(default_factory=list)
    kind = "number"


def number_view(value_text, caption, layout):
    font = layout.font_size
    size = font * 4
    while size > font * 1.5 and text_width(value_text, size, bold=True) > layout.width:
        size -= font * 0.25
    value_lines = wrap_text(value_text, size, layout.width, bold=True)
    value = TextMark(0, round(size * 0.9, 1), value_text, "start", PALETTE[0], "bold")
    value.font_size = round(size, 1)
    value.wrap(value_lines, size * LINE_HEIGHT)
    value_bottom = size * 0.9 + size * LINE_HEIGHT * (len(value_lines) - 1)
    caption_lines = wrap_text(caption, font, layout.width)
    below = TextMark(0, round(value_bottom + font * 1.8, 1), caption)
    below.wrap(caption_lines, font * LINE_HEIGHT)
    height = value_bottom + font * 1.8 + font * LINE_HEIGHT * (len(caption_lines) - 1) + font
    return NumberView(layout, value, below, round(height, 1))


def mark_boxes(mark, font_size):
    """The boxes of a TextMark's lines."""
    size = getattr(mark, "font_size", font_size)
    bold = mark.weight == "bold"
    return [text_box(mark.x, y, line, size, mark.anchor, bold) for y, line in mark.placed_lines]


def text_boxes(view):
    """Every text a drawing writes, as TextBoxes in its own user units: what a test checks
    for overlaps, and what a chart file places beside its title and sources."""
    font = view.font_size
    boxes = []
    if view.kind == "line":
        for tick in view.y_ticks:
            # Drawn with dy=0.35em: centred on the grid line.
            boxes += mark_boxes(TextMark(tick.x, tick.y + font * 0.35, tick.text, "end"), font)
        for tick in view.x_ticks:
            boxes += mark_boxes(tick, font)
        for series in view.series:
            for point in series.points:
                if point.glyph:
                    x, y = point.glyph_box
                    boxes.append(text_box(x, y, point.glyph, font, bold=True))
            if series.label:
                boxes += mark_boxes(series.label, font)
        for label in view.value_labels:
            boxes += mark_boxes(label, font)
    elif view.kind == "number":
        boxes += mark_boxes(view.value, font) + mark_boxes(view.caption, font)
    else:
        for bar in view.bars:
            boxes += mark_boxes(bar.label, font) + mark_boxes(bar.value, font)
    for item in view.legend:
        if item.kind not in ("series", "provisional", "estimated"):
            boxes.append(text_box(item.x + 6, item.y, item.glyph, font, "middle", bold=True))
        boxes.append(text_box(item.x + item.text_x, item.y, item.text, font))
    return boxes
