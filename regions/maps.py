"""The region map: server-rendered SVG from the committed shapes in `map_shapes.json`.

`region_map(countries, ...)` returns a `RegionMap` that `includes/region_map.html` draws:
each given country a link to its page (its accessible name is the published name, Kosovo*
with its asterisk), the neighbours a grey, unlinked context layer, office markers, and
optionally a fill class and value per country (a choropleth) with a legend. The shapes are
projected and simplified once by `tools/make_map.mjs`; here only a view box is fitted and
labels are placed, a few dozen arithmetic steps a call. The file is read once per process.
"""

import itertools
import json
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.urls import reverse
from django.utils.translation import gettext as _

SHAPES_FILE = Path(__file__).with_name("map_shapes.json")
# Room around the countries shown, as a share of the larger side of their bounding box.
PADDING = 0.06
# Views are widened (or heightened) to these width/height ratios, showing more neighbours,
# so a map fills the page's width at a sensible height on every screen.
MIN_ASPECT = 1.4
MAX_ASPECT = 2.2
# Two label sets, one shown per screen width (site.css switches at 48rem): label size as a
# share of the view's width, about 12 px on a 375 px phone and on a 64rem-wide page.
LABEL_SETS = (("map-labels-narrow", 1 / 28), ("map-labels-wide", 1 / 60))
# Generous width of one character of the (bold, haloed) label font, as a share of its size.
CHAR_WIDTH = 0.7
# Where else a label may go when its country's label point is taken (in label heights).
LABEL_NUDGES = ((0, 0), (0, 1.2), (0, -1.2))
# Where a code goes when it fits nowhere on its country (a small country on a phone): beside
# it, joined by a leader line; directions (sideways first, into the sea or a neighbour) and
# distances in label heights from the country's label point.
LEADER_DIRECTIONS = (
    (-1, 0), (1, 0), (-1, 0.6), (1, 0.6), (-1, -0.6), (1, -0.6),
    (-0.6, 1), (0.6, 1), (-0.6, -1), (0.6, -1), (0, 1), (0, -1),
)  # fmt: skip
LEADER_DISTANCES = (2.2, 3, 4, 5)


@dataclass(frozen=True)
class MapFill:
    """A country's colour class and value on a choropleth (`fills` of `region_map`)."""

    css_class: str
    value_text: str = ""


@dataclass(frozen=True)
class LegendItem:
    css_class: str
    label: str


@dataclass
class MapCountry:
    country: object
    path: str
    css_class: str
    accessible_name: str
    is_current: bool = False
    short_label: str = ""  # the code shown on the map when the name does not fit


@dataclass
class MapLabel:
    text: str
    x: float
    y: float
    # A label set beside its country: the leader line from the label to the country.
    line: tuple | None = None


@dataclass
class LabelSet:
    css_class: str
    font_size: float
    labels: list

    @property
    def leader_end_radius(self):
        """The dot at the country's end of a leader line."""
        return round(self.font_size * 0.15, 1)


@dataclass
class MapMarker:
    x: float
    y: float
    label: str
    is_seat: bool
    # The office's card on the contacts page: the list beside the map links each dot's place
    # (on a phone the dots are too close together to label).
    url: str = ""


@dataclass
class RegionMap:
    view_box: str
    width: float
    height: float
    marker_radius: float
    countries: list
    context: list
    markers: list
    label_sets: list
    legend: list = field(default_factory=list)
    title: str = ""
    attribution: str = ""

    @property
    def has_offices(self):
        return bool(self.markers)


@cache
def shapes():
    with SHAPES_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def project(longitude, latitude):
    """Map units of a WGS 84 position: the Mercator formula of tools/make_map.mjs."""
    projection = shapes()["projection"]
    k = projection["units_per_degree"]
    y = math.degrees(math.log(math.tan(math.pi / 4 + math.radians(float(latitude)) / 2)))
    return (float(longitude) * k - projection["origin_x"], -y * k - projection["origin_y"])


def has_shape(country):
    return country.iso_code in shapes()["countries"]


def _fit(boxes):
    x0 = min(box[0] for box in boxes)
    y0 = min(box[1] for box in boxes)
    x1 = max(box[2] for box in boxes)
    y1 = max(box[3] for box in boxes)
    pad = PADDING * max(x1 - x0, y1 - y0)
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    width, height = x1 - x0, y1 - y0
    if width < height * MIN_ASPECT:
        grow = (height * MIN_ASPECT - width) / 2
        x0, x1 = x0 - grow, x1 + grow
    elif width > height * MAX_ASPECT:
        grow = (width / MAX_ASPECT - height) / 2
        y0, y1 = y0 - grow, y1 + grow
    return x0, y0, x1, y1


def _label_box(x, y, half, gap, font_size):
    return (x - half - gap, y - font_size / 2 - gap, x + half + gap, y + font_size / 2 + gap)


def _marker_under(box, markers, radius):
    """The first office marker whose dot (of `radius`) reaches into `box`, or None."""
    return next((m for m in markers if _contains(box, (m.x, m.y), radius)), None)


def _place_labels(drawn, data, markers, font_size, view, marker_radius):
    """Each country's name at its label point, else its code, else its code beside it with a
    leader line, else nothing (the caption's key names it anyway): largest countries first,
    never over another label or another country's label point, and moved below an office
    marker it would cover."""
    placed = []
    labels = []
    unplaced = []
    by_size = sorted(
        drawn,
        key=lambda item: -_area(data["countries"][item.country.iso_code]["bbox"]),
    )
    points = {
        item.country.iso_code: data["countries"][item.country.iso_code]["label"] for item in drawn
    }
    for item in by_size:
        iso = item.country.iso_code
        shape = data["countries"][iso]
        box_width = shape["bbox"][2] - shape["bbox"][0]
        for text, (dx, dy) in itertools.product(
            (item.country.display_name, item.short_label), LABEL_NUDGES
        ):
            half = len(text) * CHAR_WIDTH * font_size / 2
            if 2 * half > box_width * 0.95:
                continue
            x, y = shape["label"]
            x, y = x + dx * font_size, y + dy * font_size
            gap = font_size * 0.3
            box = _label_box(x, y, half, gap, font_size)
            covered = _marker_under(box, markers, marker_radius)
            if covered is not None:  # just below the office's dot instead, if that is free
                y = covered.y + marker_radius + font_size / 2 + 2 * gap
                box = _label_box(x, y, half, gap, font_size)
                if _marker_under(box, markers, marker_radius) is not None:
                    continue
            if any(_overlaps(box, other) for other in placed):
                continue
            # Not over another country's label point: its own code may need a line to it.
            if any(_contains(box, point, 0) for code, point in points.items() if code != iso):
                continue
            placed.append(box)
            labels.append(MapLabel(text, round(x, 1), round(y + font_size * 0.35, 1)))
            break
        else:
            unplaced.append(item)
    lines = []
    for item in unplaced:
        label = _place_beside(
            item, data, markers, font_size, placed, lines, drawn, view, marker_radius
        )
        if label is not None:
            labels.append(label)
    return labels


def _place_beside(item, data, markers, font_size, placed, lines, drawn, view, marker_radius):
    """The country's code beside it with a leader line, at the nearest free spot inside the
    view: covering no other label, office marker or country's label point, its line
    crossing no label and no other line, and off the other countries drawn where it can."""
    text = item.short_label
    half = len(text) * CHAR_WIDTH * font_size / 2
    gap = font_size * 0.3
    px, py = data["countries"][item.country.iso_code]["label"]
    points = [
        shape["label"] for code, shape in data["countries"].items() if code != item.country.iso_code
    ]
    neighbours = [other.country.iso_code for other in drawn if other is not item]
    best = None
    for order, (distance, (dx, dy)) in enumerate(
        itertools.product(LEADER_DISTANCES, LEADER_DIRECTIONS)
    ):
        x = px + dx * distance * font_size + dx * half
        y = py + dy * distance * font_size
        box = (x - half - gap, y - font_size / 2 - gap, x + half + gap, y + font_size / 2 + gap)
        if not _inside(box, view) or any(_overlaps(box, other) for other in placed):
            continue
        if _marker_under(box, markers, marker_radius + gap) is not None:
            continue
        if any(_contains(box, point, font_size / 2) for point in points):
            continue
        # From the label's nearest edge to the country's label point.
        line = (
            round(min(max(px, box[0]), box[2]), 1),
            round(min(max(py, box[1]), box[3]), 1),
            round(px, 1),
            round(py, 1),
        )
        if any(_crosses_box(line, other) for other in placed):
            continue
        if any(_crosses(line, other) for other in lines):
            continue
        on_neighbour = any(_in_country(data, code, (x, y)) for code in neighbours)
        score = (distance + (2 if on_neighbour else 0), order)
        if best is None or score < best[0]:
            best = (score, box, line, x, y)
    if best is None:
        return None
    _, box, line, x, y = best
    placed.append(box)
    lines.append(line)
    return MapLabel(text, round(x, 1), round(y + font_size * 0.35, 1), line)


@cache
def _rings(code):
    """A country's outline as lists of points (its path uses only M, l and z)."""
    rings, ring = [], []
    tokens = re.findall(r"[Mlz]|-?[\d.]+", shapes()["countries"][code]["path"])
    command, numbers = None, []
    for token in tokens:
        if token in "Mlz":
            command, numbers = token, []
            if token == "z" and ring:
                rings.append(ring)
                ring = []
            continue
        numbers.append(float(token))
        if len(numbers) == 2:
            if command == "M":
                if ring:
                    rings.append(ring)
                ring = [tuple(numbers)]
                command = "l"  # further pairs after M are relative lines in this data
            else:
                x, y = ring[-1]
                ring.append((x + numbers[0], y + numbers[1]))
            numbers = []
    if ring:
        rings.append(ring)
    return rings


def _in_country(data, code, point):
    x, y = point
    box = data["countries"][code]["bbox"]
    if not (box[0] <= x <= box[2] and box[1] <= y <= box[3]):
        return False
    inside = False
    for ring in _rings(code):
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def _crosses(a, b):
    """Whether segments a and b (x1, y1, x2, y2) cross."""

    def side(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    p1, p2, p3, p4 = a[:2], a[2:], b[:2], b[2:]
    d1, d2 = side(p3, p4, p1), side(p3, p4, p2)
    d3, d4 = side(p1, p2, p3), side(p1, p2, p4)
    return d1 * d2 < 0 and d3 * d4 < 0


def _crosses_box(line, box):
    x0, y0, x1, y1 = box
    edges = ((x0, y0, x1, y0), (x1, y0, x1, y1), (x1, y1, x0, y1), (x0, y1, x0, y0))
    inside = x0 < line[2] < x1 and y0 < line[3] < y1
    return inside or any(_crosses(line, edge) for edge in edges)


def _inside(box, view):
    return box[0] >= view[0] and box[1] >= view[1] and box[2] <= view[2] and box[3] <= view[3]


def _contains(box, point, margin):
    x, y = point
    return box[0] - margin < x < box[2] + margin and box[1] - margin < y < box[3] + margin


def _area(box):
    return (box[2] - box[0]) * (box[3] - box[1])


def _overlaps(box, view):
    return box[0] < view[2] and box[2] > view[0] and box[1] < view[3] and box[3] > view[1]


def region_map(
    countries,
    *,
    offices=(),
    current=None,
    fills=None,
    legend=(),
    title="",
    focus=None,
):
    """The map of `countries` (Country objects, each drawn as a link to its page).

    offices: Office objects; those with coordinates are marked. current: the country whose
    page this is (marked and not linked to itself). fills: {iso_code: MapFill} colours
    countries by value (a choropleth); legend: its LegendItems. focus: the countries the
    view is fitted to (default: all of `countries`). Returns None when no country has a
    shape (the page then simply has no map).
    """
    data = shapes()
    known = [country for country in countries if has_shape(country)]
    if not known:
        return None
    fills = fills or {}
    focus = [c for c in (focus or known) if has_shape(c)] or known
    x0, y0, x1, y1 = _fit([data["countries"][c.iso_code]["bbox"] for c in focus])
    width, height = x1 - x0, y1 - y0
    view = (x0, y0, x1, y1)

    markers = []
    for office in offices:
        if office.latitude is None or office.longitude is None:
            continue
        x, y = project(office.longitude, office.latitude)
        if x0 <= x <= x1 and y0 <= y <= y1:
            markers.append(
                MapMarker(
                    round(x, 1),
                    round(y, 1),
                    office.city,
                    bool(office.is_regional_seat),
                    url=f"{reverse('regions:contacts')}#office-{office.slug}",
                )
            )

    drawn = []
    linked_codes = {c.iso_code for c in known}
    for country in known:
        fill = fills.get(country.iso_code)
        name = country.display_name
        is_current = current is not None and current.iso_code == country.iso_code
        drawn.append(
            MapCountry(
                country=country,
                path=data["countries"][country.iso_code]["path"],
                css_class=fill.css_class
                if fill
                else ("map-current" if is_current else "map-linked"),
                accessible_name=f"{name}: {fill.value_text}" if fill and fill.value_text else name,
                is_current=is_current,
                short_label=f"{country.iso_code}*" if country.footnote else country.iso_code,
            )
        )
    marker_radius = round(width / 100, 1)
    label_sets = []
    for css_class, scale in LABEL_SETS:
        font_size = round(width * scale, 1)
        labels = _place_labels(drawn, data, markers, font_size, view, marker_radius)
        label_sets.append(LabelSet(css_class, font_size, labels))
    shown_codes = {label.text for label_set in label_sets for label in label_set.labels}
    for item in drawn:
        if item.short_label not in shown_codes:
            item.short_label = ""

    context = [shape["path"] for shape in data["context"] if _overlaps(shape["bbox"], view)]
    # Region countries not given (e.g. Türkiye beside the Western Balkans) are context too.
    context += [
        shape["path"]
        for code, shape in data["countries"].items()
        if code not in linked_codes and _overlaps(shape["bbox"], view)
    ]
    return RegionMap(
        view_box=f"{x0:.1f} {y0:.1f} {width:.1f} {height:.1f}",
        width=round(width, 1),
        height=round(height, 1),
        marker_radius=marker_radius,
        countries=drawn,
        context=context,
        markers=markers,
        label_sets=label_sets,
        legend=list(legend),
        title=title or _("Map of the countries where we work"),
        attribution=_("Country shapes: Natural Earth, public domain, via world-atlas"),
    )
