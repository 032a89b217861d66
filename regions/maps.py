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
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

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


@dataclass
class LabelSet:
    css_class: str
    font_size: float
    labels: list


@dataclass
class MapMarker:
    x: float
    y: float
    label: str
    is_seat: bool


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


def _place_labels(drawn, data, markers, font_size):
    """Each country's name at its label point, else its code, else nothing (the caption's
    key names it anyway): largest countries first, never over another label, and moved
    below an office marker it would cover."""
    placed = []
    labels = []
    by_size = sorted(
        drawn,
        key=lambda item: -_area(data["countries"][item.country.iso_code]["bbox"]),
    )
    for item in by_size:
        shape = data["countries"][item.country.iso_code]
        box_width = shape["bbox"][2] - shape["bbox"][0]
        for text, (dx, dy) in itertools.product(
            (item.country.display_name, item.short_label), LABEL_NUDGES
        ):
            half = len(text) * CHAR_WIDTH * font_size / 2
            if 2 * half > box_width * 0.95:
                continue
            x, y = shape["label"]
            x, y = x + dx * font_size, y + dy * font_size
            for marker in markers:
                if abs(marker.x - x) < half and abs(marker.y - y) < font_size * 0.9:
                    y = marker.y + font_size * 1.3
            gap = font_size * 0.3
            box = (x - half - gap, y - font_size / 2 - gap, x + half + gap, y + font_size / 2 + gap)
            if any(_overlaps(box, other) for other in placed):
                continue
            placed.append(box)
            labels.append(MapLabel(text, round(x, 1), round(y + font_size * 0.35, 1)))
            break
    return labels


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
                MapMarker(round(x, 1), round(y, 1), office.city, bool(office.is_regional_seat))
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
    label_sets = []
    for css_class, scale in LABEL_SETS:
        font_size = round(width * scale, 1)
        label_sets.append(
            LabelSet(css_class, font_size, _place_labels(drawn, data, markers, font_size))
        )
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
        marker_radius=round(width / 100, 1),
        countries=drawn,
        context=context,
        markers=markers,
        label_sets=label_sets,
        legend=list(legend),
        title=title or _("Map of the countries where we work"),
        attribution=_("Country shapes: Natural Earth, public domain, via world-atlas"),
    )
