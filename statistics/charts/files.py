"""An indicator's charts as files: each chart its own SVG document and PNG (the line or bar
chart, the map, each breakdown), and the share image (og:image) that social networks show.

A chart file travels without the page, so it says in itself what it shows: its title with
the place and the period ("Population, Western Balkans, 2015–2024"), the unit and the as-of
date, the full name of each source with its licence or terms, the territory footnote of a
country it names (Kosovo*), and the address of the page. It is laid out here, at
FILE_WIDTH user units wide (the PNG's pixels at scale 1), text measured with the font the
PNG is drawn in (geometry.text_width): every line of text is wrapped to fit, never cut, and
each is kept as a TextBox (`ChartFile.boxes`), so a test can check that none overlaps another
or leaves the canvas. The drawing itself is the page's (templates/statistics/_chart_svg.html)
in a layout of the file's width; the map is drawn here with its fills and labels as
presentation attributes (a file has no stylesheet).

PNGs are rendered with CairoSVG (the system library libcairo2 and DejaVu Sans). Files are
rendered once per change of the data (`cached_file`), not per request.
"""

import hashlib
import html
import logging
import math
import re
from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.conf import settings
from django.core.cache import cache
from django.template import Context, Template
from django.utils.translation import gettext as _

from formatting.display import format_date, format_period, format_period_span
from formatting.xml_text import xml_safe
from pagecache import current_generation_or_none, data_generation, page_lifetime
from regions.footnotes import FootnoteRegistry
from regions.maps import shapes

from ..attribution import attribution_text
from . import geometry
from .geometry import TextBox, text_box, text_width, wrap_text

SVG_NS = "http://www.w3.org/2000/svg"
ElementTree.register_namespace("", SVG_NS)
logger = logging.getLogger(__name__)

INK = "#1b1f24"
MUTED = "#4a5562"
ACCENT = "#0b4f8a"
# DejaVu Sans first: the font installed with libcairo2 (Makefile) that the PNG is drawn in and
# the text is measured with; Verdana (same widths, from the same design) where it is missing,
# then any sans-serif (narrower: text still fits).
FONT = "DejaVu Sans, Verdana, sans-serif"
FILE_WIDTH = 1200
MARGIN = 40
# The drawing of a line, bar or number chart in a file: the page's wide layout, wider.
FILE_LAYOUT = geometry.Layout("file", FILE_WIDTH - 2 * MARGIN, 460, 16)
# A PNG at 1,200 px wide, or twice that (sharp in print and on dense screens): no other size.
PNG_SCALES = (1, 2)
TITLE_SIZE, SUBTITLE_SIZE, NOTE_SIZE = 28, 18, 14
LINE_SPACING = 1.3  # a line of text takes its size times this
MAP_MAX_HEIGHT = 620
SHARE_WIDTH, SHARE_HEIGHT = 1200, 630
# A cached file stays at most this long; a change of the data changes its key.
FILE_CACHE_SECONDS = 7 * 24 * 3600
SHARE_IMAGE_SECONDS = FILE_CACHE_SECONDS

# A line, bar or number chart as the page draws it (presentation attributes only).
_CHART_TEMPLATE = Template("{% include 'statistics/_chart_svg.html' with id_prefix='file' %}")
# The fills of static/css/site.css's map classes, for a map in a file.
MAP_CLASS_FILLS = {
    "map-fill-0": "#f1f1f1",
    "map-fill-1": "#deebf7",
    "map-fill-2": "#b5d0ea",
    "map-fill-3": "#84b3dc",
    "map-fill-4": "#5b93c9",
    "map-fill-5": "#3f7bb7",
    "map-linked": "#9cc1e4",
    "map-current": "#0b4f8a",
}
MAP_SEA, MAP_CONTEXT, MAP_BORDER = "#eef4fa", "#e3e6ea", "#c9d3dd"
_SVG_TAG = re.compile(r"<(/?)svg\b[^>]*?(/?)>", re.IGNORECASE)


def _q(name):
    return f"{{{SVG_NS}}}{name}"


def _n(number):
    return f"{number:.1f}".rstrip("0").rstrip(".")


@dataclass
class ChartFile:
    """One chart as a file: the SVG document, its size and every line of text in it."""

    name: str
    svg: str
    width: float
    height: float
    boxes: list = field(default_factory=list)  # TextBox of each line of text, in file units


@dataclass
class Drawing:
    """A chart's picture without its title and sources: an <svg> element of `width` x
    `height` user units and the boxes of its texts in those units."""

    element: object
    width: float
    height: float
    boxes: list
    coded: list = field(default_factory=list)  # (code, country) a map writes as a code
    shown: tuple = ()  # (bars drawn, bars in all) when only the largest are drawn


# --- one chart's drawing -------------------------------------------------------------------


def _outer_svgs(markup):
    depth, start = 0, None
    for match in _SVG_TAG.finditer(markup):
        closing, self_closing = match.group(1), match.group(2)
        if closing:
            depth -= 1
            if depth == 0 and start is not None:
                yield markup[start : match.end()]
                start = None
        elif not self_closing:
            if depth == 0:
                start = match.start()
            depth += 1


def plot_drawing(chart, layout=FILE_LAYOUT):
    """A line, bar or number chart drawn by the page's template in `layout`."""
    view = chart.drawing(layout)
    markup = _CHART_TEMPLATE.render(Context({"chart": chart, "view": view}))
    element = ElementTree.fromstring(xml_safe(next(_outer_svgs(markup))))
    return Drawing(element, view.width, view.height, geometry.text_boxes(view))


def map_drawing(chart, width, max_height=MAP_MAX_HEIGHT, font_size=15):
    """The choropleth of `chart` at `width` (or narrower, to stay under `max_height`): the sea,
    the neighbours in grey, each country in its class's fill, its name (with its value) where
    it fits, else its code (the caption's key says which), and the legend below."""
    region_map = chart.map
    data = shapes()
    x0, y0, map_width, map_height = (float(v) for v in region_map.view_box.split())
    scale = min(width / map_width, max_height / map_height)
    drawn_width, drawn_height = map_width * scale, map_height * scale
    left = (width - drawn_width) / 2
    root = ElementTree.Element(_q("svg"))
    frame = ElementTree.SubElement(
        root,
        _q("svg"),
        {
            "x": _n(left),
            "y": "0",
            "width": _n(drawn_width),
            "height": _n(drawn_height),
            "viewBox": region_map.view_box,
            "preserveAspectRatio": "xMidYMid meet",
        },
    )
    ElementTree.SubElement(
        frame,
        _q("rect"),
        {"x": _n(x0), "y": _n(y0), "width": _n(map_width), "height": _n(map_height)},
    ).set("fill", MAP_SEA)
    stroke = _n(1.5 / scale)
    context = ElementTree.SubElement(
        frame, _q("g"), {"fill": MAP_CONTEXT, "stroke": "#ffffff", "stroke-width": stroke}
    )
    for path in region_map.context:
        ElementTree.SubElement(context, _q("path"), {"d": path})
    # A darker outline than the page's white one: on paper a pale class beside the sea, or
    # two countries of one class, stay apart.
    countries = ElementTree.SubElement(
        frame, _q("g"), {"stroke": MUTED, "stroke-width": _n(0.8 / scale)}
    )
    for item in region_map.countries:
        ElementTree.SubElement(
            countries,
            _q("path"),
            {"d": item.path, "fill": MAP_CLASS_FILLS.get(item.css_class, MAP_CONTEXT)},
        )
    ElementTree.SubElement(
        root,
        _q("rect"),
        {
            "x": _n(left),
            "y": "0",
            "width": _n(drawn_width),
            "height": _n(drawn_height),
            "fill": "none",
            "stroke": MAP_BORDER,
        },
    )

    values = {
        row.observation.country.iso_code: row.value_text
        for row in chart.table.rows
        if row.observation is not None and row.observation.country_id
    }
    boxes, coded = [], []
    labels = ElementTree.SubElement(
        root, _q("g"), {"font-size": _n(font_size), "text-anchor": "middle", "fill": INK}
    )

    def to_file(x, y):
        return left + (x - x0) * scale, (y - y0) * scale

    by_size = sorted(region_map.countries, key=lambda item: -_bbox_area(item, data))
    for item in by_size:
        country = item.country
        shape = data["countries"][country.iso_code]
        room = (shape["bbox"][2] - shape["bbox"][0]) * scale * 1.1
        x, y = to_file(*shape["label"])
        code = f"{country.iso_code}*" if country.footnote else country.iso_code
        value = values.get(country.iso_code, "")
        candidates = [[country.display_name, value], [country.display_name], [code, value], [code]]
        for lines in candidates:
            lines = [line for line in lines if line]
            placed = _map_label(lines, x, y, font_size, room, (left, drawn_width, drawn_height))
            if placed and not any(b.overlaps(o, 3) for b in placed for o in boxes):
                break
        else:
            placed = None
        if placed is None:
            coded.append((code, country))  # named only in the key
            continue
        if lines[0] == code:
            coded.append((code, country))
        for box, line in zip(placed, lines, strict=True):
            bold = line != value
            attributes = {"x": _n((box.x0 + box.x1) / 2), "y": _n(box.y0 + font_size * 0.8)}
            if bold:
                attributes["font-weight"] = "bold"
            # The white halo first, then the text: CairoSVG ignores paint-order.
            halo = ElementTree.SubElement(
                labels,
                _q("text"),
                {**attributes, "stroke": "#ffffff", "stroke-width": "3", "fill": "#ffffff"},
            )
            halo.set("stroke-linejoin", "round")
            halo.text = line
            ElementTree.SubElement(labels, _q("text"), attributes).text = line
            boxes.append(box)

    height = drawn_height + font_size * 0.8
    legend_marks, legend_height = _map_legend(region_map.legend, width, font_size)
    legend = ElementTree.SubElement(root, _q("g"), {"font-size": _n(font_size), "fill": INK})
    for css_class, label, x, baseline in legend_marks:
        top = height + baseline
        ElementTree.SubElement(
            legend,
            _q("rect"),
            {
                "x": _n(x),
                "y": _n(top - font_size * 0.85),
                "width": _n(font_size),
                "height": _n(font_size),
                "fill": MAP_CLASS_FILLS.get(css_class, MAP_CONTEXT),
                "stroke": MUTED,
            },
        )
        text_x = x + font_size * 1.4
        ElementTree.SubElement(legend, _q("text"), {"x": _n(text_x), "y": _n(top)}).text = label
        boxes.append(text_box(text_x, top, label, font_size))
    height += legend_height
    root.set("viewBox", f"0 0 {_n(width)} {_n(height)}")
    return Drawing(root, width, height, boxes, sorted(coded, key=lambda pair: pair[0]))


def _bbox_area(item, data):
    box = data["countries"][item.country.iso_code]["bbox"]
    return (box[2] - box[0]) * (box[3] - box[1])


def _map_label(lines, x, y, font_size, room, frame):
    """The boxes of a label of `lines` centred on (x, y), or None when it is wider than its
    country (`room`) or would leave the map."""
    left, width, height = frame
    step = font_size * LINE_SPACING
    top = y - step * len(lines) / 2
    boxes = []
    for n, line in enumerate(lines):
        baseline = top + n * step + font_size * 0.95
        box = text_box(x, baseline, line, font_size, "middle", bold=n == 0)
        if box.x1 - box.x0 > room:
            return None
        boxes.append(box)
    if (
        min(b.x0 for b in boxes) < left + 2
        or max(b.x1 for b in boxes) > left + width - 2
        or boxes[0].y0 < 2
        or boxes[-1].y1 > height - 2
    ):
        return None
    return boxes


def _map_legend(items, width, font_size):
    """(css_class, label, x, baseline) of each legend entry, in rows across the width."""
    marks, x, row = [], 0.0, 0
    step = font_size * 1.7
    for item in items:
        item_width = font_size * 1.4 + text_width(item.label, font_size) + font_size * 1.6
        if x and x + item_width > width:
            x, row = 0.0, row + 1
        marks.append((item.css_class, item.label, x, row * step + font_size * 1.2))
        x += item_width
    height = (row + 1) * step + font_size * 0.2 if items else 0
    return marks, height


def chart_drawing(chart, layout=FILE_LAYOUT):
    if chart.kind == "map":
        return map_drawing(chart, layout.width)
    return plot_drawing(chart, layout)


# --- what the file says around the drawing --------------------------------------------------


def _plain(registry, text):
    """`text` with a footnoted country's asterisk, as plain text (the registry notes it)."""
    return html.unescape(str(registry.scan(text, link=False)))


def chart_sources(charts):
    """The distinct sources of the charts' values, in order of first appearance."""
    sources = {}
    for chart in charts:
        for _number, source in chart.table.sources:
            if source is not None and source.pk not in sources:
                sources[source.pk] = source
    return list(sources.values())


def source_terms(source, site_settings):
    if source.is_own_compilation:
        return site_settings.data_licence_name
    if source.licence:
        return source.licence
    if source.terms:
        return " ".join(source.terms.split())
    return _("terms of use not stated by the source")


def source_credit(source, site_settings):
    """One source's credit as plain text: the publisher and the source's full name, its
    edition and date where known, and the terms its figures are under."""
    name = attribution_text(source)
    if source.edition:
        name = _("%(source)s, edition %(edition)s") % {"source": name, "edition": source.edition}
    return _("%(source)s (%(terms)s)") % {
        "source": name,
        "terms": source_terms(source, site_settings),
    }


def credit_line(charts, site_settings):
    sources = chart_sources(charts)
    if not sources:
        return _("Source: not stated.")
    credits = "; ".join(source_credit(source, site_settings) for source in sources)
    label = _("Source: %(credits)s.") if len(sources) == 1 else _("Sources: %(credits)s.")
    return label % {"credits": credits}


# A credit line that cannot fit names this many sources and counts the rest.
SHORT_CREDITS = 3


def short_credit_line(charts, site_settings):
    """The first SHORT_CREDITS sources' credits and how many more there are (their terms are
    on the page): for a share image too small for every source's full credit."""
    sources = chart_sources(charts)
    if len(sources) <= SHORT_CREDITS:
        return credit_line(charts, site_settings)
    credits = "; ".join(source_credit(s, site_settings) for s in sources[:SHORT_CREDITS])
    return _("Sources: %(credits)s; and %(count)d more, each with its terms on the page.") % {
        "credits": credits,
        "count": len(sources) - SHORT_CREDITS,
    }


def chart_observations(chart):
    return [row.observation for row in chart.table.rows if row.observation is not None]


def chart_period(chart):
    """The periods a chart shows, as people write them: "2015–2024", "2024"."""
    observations = chart_observations(chart)
    if not observations:
        return ""
    first = min(observations, key=lambda o: (o.period_start, o.period_end))
    last = max(observations, key=lambda o: (o.period_end, o.period_start))
    return format_period_span(first.period, last.period)


def as_of_text(chart):
    """When the figures are from: the sources' publication date (reference date) where they
    state one, else their edition, else the latest period shown. Never the day of import."""
    sources = chart_sources([chart])
    dates = sorted({s.reference_date for s in sources if s.reference_date})
    if dates:
        if len(dates) == 1:
            return _("As of %(date)s") % {"date": format_date(dates[0])}
        return _("As of %(first)s to %(last)s") % {
            "first": format_date(dates[0]),
            "last": format_date(dates[-1]),
        }
    editions = sorted({s.edition for s in sources if s.edition})
    if editions:
        return _("Edition %(edition)s") % {"edition": ", ".join(editions)}
    observations = chart_observations(chart)
    if not observations:
        return ""
    latest = max(observations, key=lambda o: (o.period_end, o.period_start))
    return _("Latest period: %(period)s") % {"period": format_period(latest.period)}


def chart_place(chart, area=None, regions=()):
    """Where a chart's figures are from: the area asked for; else its one area; else the
    smallest region (of `regions`, with their countries) that takes in all its areas; else
    the areas named, or counted when there are many."""
    if area is not None:
        return str(area)
    areas = {}
    for observation in chart_observations(chart):
        areas.setdefault(observation.area_code, observation.area)
    if len(areas) == 1:
        return str(next(iter(areas.values())))
    codes = set(areas)
    covering = []
    for region in regions:
        takes_in = {region.code} | {country.iso_code for country in region.countries.all()}
        if codes <= takes_in:
            covering.append((len(takes_in), region.name, region))
    if covering:
        return str(min(covering, key=lambda item: item[:2])[2])
    names = sorted(str(a) for a in areas.values())
    if 1 < len(names) <= 3:
        return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}
    return _("%(count)d areas") % {"count": len(names)}


def file_title(indicator, chart, place):
    """ "Population, Western Balkans, 2015–2024": the indicator, the place, the period."""
    parts = [indicator.name, place, chart_period(chart)]
    return ", ".join(part for part in parts if part)


def chart_subtitle(indicator, chart):
    """A chart's title without the indicator's name, for under that name: "Western
    Balkans, by period"."""
    title = chart.title.removeprefix(f"{indicator.name}, ")
    return title[:1].upper() + title[1:]


def file_subtitle(indicator, chart, place=""):
    """What the chart shows and its unit ("By period and area (people)"), then when the
    figures are from; the place and period, said in the title, are not said again."""
    said = {place, chart_period(chart)}
    parts = [
        part
        for part in chart.title.removeprefix(f"{indicator.name}, ").split(", ")
        if part not in said
    ]
    what = ", ".join(parts)
    what = what[:1].upper() + what[1:]
    if what:
        subtitle = f"{what} ({indicator.unit})"
    else:
        subtitle = _("Unit: %(unit)s") % {"unit": indicator.unit}
    as_of = as_of_text(chart)
    return f"{subtitle}. {as_of}." if as_of else f"{subtitle}."


# --- laying out a document ------------------------------------------------------------------


class Sheet:
    """A document laid out top to bottom: lines of text, each wrapped to the width and kept
    as a TextBox, and drawings."""

    def __init__(self, width, registry, margin=MARGIN):
        self.width, self.margin, self.registry = width, margin, registry
        self.inner = width - 2 * margin
        self.y = margin * 0.8
        self.elements = []
        self.boxes = []

    def lines(self, text, size, bold=False):
        return wrap_text(_plain(self.registry, text), size, self.inner, bold)

    def text(self, text, size, fill=INK, bold=False, gap=0.3, lines=None):
        for line in lines if lines is not None else self.lines(text, size, bold):
            baseline = self.y + size * 1.0
            node = ElementTree.Element(
                _q("text"),
                {"x": _n(self.margin), "y": _n(baseline), "font-size": _n(size), "fill": fill},
            )
            if bold:
                node.set("font-weight", "bold")
            node.text = line
            self.elements.append(node)
            self.boxes.append(text_box(self.margin, baseline, line, size, bold=bold))
            self.y += size * LINE_SPACING
        self.y += size * gap

    def drawing(self, drawing, scale=1.0):
        """Place `drawing` at the current line, at `scale`, centred in the width."""
        width, height = drawing.width * scale, drawing.height * scale
        x = self.margin + (self.inner - width) / 2
        element = drawing.element
        for name in ("class", "role", "aria-label", "aria-labelledby", "style"):
            element.attrib.pop(name, None)
        element.set("x", _n(x))
        element.set("y", _n(self.y))
        element.set("width", _n(width))
        element.set("height", _n(height))
        element.set("viewBox", f"0 0 {_n(drawing.width)} {_n(drawing.height)}")
        element.set("font-family", FONT)
        self.elements.append(element)
        for box in drawing.boxes:
            self.registry.scan(box.text, link=False)
            self.boxes.append(
                TextBox(
                    round(x + box.x0 * scale, 1),
                    round(self.y + box.y0 * scale, 1),
                    round(x + box.x1 * scale, 1),
                    round(self.y + box.y1 * scale, 1),
                    box.text,
                )
            )
        self.y += height

    def notes(self):
        """The territory footnote of each footnoted country named so far, in full."""
        return [f"*{note.country.name}: {note.country.footnote}" for note in self.registry.notes]

    def document(self, title, height=None):
        height = self.y + self.margin * 0.6 if height is None else height
        root = ElementTree.Element(
            _q("svg"),
            {
                "width": _n(self.width),
                "height": _n(height),
                "viewBox": f"0 0 {_n(self.width)} {_n(height)}",
                "font-family": FONT,
            },
        )
        ElementTree.SubElement(root, _q("title")).text = title
        ElementTree.SubElement(
            root, _q("rect"), {"width": _n(self.width), "height": _n(height), "fill": "#ffffff"}
        )
        root.extend(self.elements)
        body = xml_safe(ElementTree.tostring(root, encoding="unicode"))
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n", height


def _key_line(drawing):
    """The key of the codes a map writes for countries whose name does not fit."""
    if not drawing.coded:
        return ""
    pairs = ", ".join(f"{code} {country.display_name}" for code, country in drawing.coded)
    return _("Codes on the map: %(pairs)s.") % {"pairs": pairs}


def chart_file(indicator, chart, page_url, site_settings, *, area=None, regions=()):
    """One chart as a file, FILE_WIDTH wide: title, subtitle, drawing, key, sources, notes and
    the page's address, every line of text wrapped to fit."""
    registry = FootnoteRegistry()
    sheet = Sheet(FILE_WIDTH, registry)
    place = chart_place(chart, area, regions)
    title = _plain(registry, file_title(indicator, chart, place))
    sheet.text(title, TITLE_SIZE, bold=True, gap=0.15)
    sheet.text(file_subtitle(indicator, chart, place), SUBTITLE_SIZE, fill=MUTED, gap=0.9)
    drawing = chart_drawing(chart)
    sheet.drawing(drawing)
    sheet.y += NOTE_SIZE
    key = _key_line(drawing)
    if key:
        sheet.text(key, NOTE_SIZE, fill=MUTED, gap=0.3)
    sheet.text(credit_line([chart], site_settings), NOTE_SIZE, fill=MUTED, gap=0.3)
    if chart.kind == "map":
        sheet.text(chart.map.attribution + ".", NOTE_SIZE, fill=MUTED, gap=0.3)
    for note in sheet.notes():
        lines = wrap_text(note, NOTE_SIZE, sheet.inner)  # as written: not scanned again
        sheet.text("", NOTE_SIZE, fill=MUTED, gap=0.3, lines=lines)
    sheet.text(
        _("Chart: %(site)s, %(url)s") % {"site": settings.SITE_NAME, "url": page_url},
        NOTE_SIZE,
        fill=MUTED,
    )
    svg, height = sheet.document(title)
    return ChartFile(chart.file_name, svg, FILE_WIDTH, height, sheet.boxes)


def render_png(svg, scale=1.0, width=None, height=None):
    """PNG bytes of an SVG document (CairoSVG; external files and entities refused, its
    default)."""
    # Imported when a PNG is made: cairosvg loads the system's Cairo library on import, which
    # pages, the admin and the tests that never draw a PNG need not have loaded.
    import cairosvg

    return cairosvg.svg2png(
        bytestring=svg.encode("utf-8"), scale=scale, output_width=width, output_height=height
    )


# --- the share image (og:image) ----------------------------------------------------------


def _share_plot(chart, width, height):
    """A line chart drawn to fill `height` (its legend included); bars that do not fit at
    full size cut to the largest that do (`Drawing.shown`: how many of how many); other
    charts as they are, scaled down by the caller when taller."""
    layout = geometry.Layout("share", width, height, 16)
    if chart.kind == "bars":
        drawing = plot_drawing(chart, layout)
        view = chart.drawing(layout)
        if drawing.height <= height or len(view.bars) < 2:
            return drawing
        room = height - (drawing.height - view.bars[-1].y - view.bars[-1].height)
        fitting = sum(1 for bar in view.bars if bar.y + bar.height <= room)
        fitting = max(1, fitting)
        drawing = plot_drawing(
            chart, geometry.Layout("share", width, height, 16, max_items=fitting)
        )
        drawing.shown = (fitting, len(view.bars))
        return drawing
    if chart.kind != "line":
        return chart_drawing(chart, layout)
    plot_height = height
    for _attempt in range(3):
        drawing = plot_drawing(chart, geometry.Layout("share", width, max(plot_height, 140), 16))
        if drawing.height <= height:
            break
        plot_height -= drawing.height - height
    return drawing


def share_image_layout(indicator, charts, site_settings, regions=()):
    """1200 x 630: the site, the indicator's first chart's title (place, period), what it
    shows and as of when, the chart, the sources with their terms and the territory notes.
    Returns (svg, TextBoxes)."""
    registry = FootnoteRegistry()
    sheet = Sheet(SHARE_WIDTH, registry, margin=48)
    chart = charts[0] if charts else None
    sheet.y = 20
    sheet.text(settings.SITE_NAME, 20, fill=ACCENT, bold=True, gap=0.1)
    if chart is None:
        sheet.text(indicator.name, 36, bold=True)
        return sheet.document(indicator.name)[0], sheet.boxes
    place = chart_place(chart, None, regions)
    title = file_title(indicator, chart, place)
    title_lines = sheet.lines(title, 34, bold=True)
    title_size = 34 if len(title_lines) <= 2 else 28
    sheet.text(title, title_size, bold=True, gap=0.1)
    sheet.text(file_subtitle(indicator, chart, place), 19, fill=MUTED, gap=0.4)
    chart_top = sheet.y
    # The footer first (its notes need the drawing's names): measured, then placed.
    drawing = _share_plot(chart, sheet.inner, 260)
    for box in drawing.boxes:
        registry.scan(box.text, link=False)
    credits = credit_line([chart], site_settings)
    sheet.lines(credits, 16)  # notes the countries it names
    notes = sheet.notes()
    # Smaller type until the chart keeps 200 units; with very many sources, the first few
    # and their count (each with its terms on the page) rather than no chart at all.
    candidates = [(size, _plain(registry, credits)) for size in (16, 15, 14, 13, 12)]
    candidates.append((12, _plain(registry, short_credit_line([chart], site_settings))))
    for size, text in candidates:
        footer = [(size, wrap_text(line, size, sheet.inner)) for line in (text, *notes)]
        footer_height = sum(size * LINE_SPACING * len(lines) + size * 0.2 for size, lines in footer)
        if SHARE_HEIGHT - 16 - footer_height - chart_top >= 200:
            break
    footer_top = SHARE_HEIGHT - 16 - footer_height
    room = footer_top - chart_top - 12
    drawing = _share_plot(chart, sheet.inner, room)
    if drawing.shown:
        # Said above the drawing, in the room left for it: the largest bars, not all.
        drawing = _share_plot(chart, sheet.inner, room - 16 * (LINE_SPACING + 0.4))
        if drawing.shown:
            note = _("The largest %(shown)d of %(all)d; all of them on the page.") % {
                "shown": drawing.shown[0],
                "all": drawing.shown[1],
            }
            sheet.text(note, 16, fill=MUTED, gap=0.4)
        room = footer_top - sheet.y - 12
    scale = min(1.0, room / drawing.height, sheet.inner / drawing.width)
    sheet.y += max(0.0, (room - drawing.height * scale) / 2)  # a small drawing: centred
    sheet.drawing(drawing, scale)
    sheet.y = footer_top
    for size, lines in footer:
        sheet.text("", size, fill=MUTED, gap=0.2, lines=lines)
    return sheet.document(title, SHARE_HEIGHT)[0], sheet.boxes


def share_image_svg(indicator, charts, site_settings, regions=()):
    return share_image_layout(indicator, charts, site_settings, regions)[0]


# --- caching by data version ------------------------------------------------------------------


def share_image_version(indicator):
    """A short fingerprint of the data the chart files show, from the indicator's own
    change time and its public observations' count and latest change (annotations of
    IndicatorQuerySet.with_data_version): it changes whenever a file would."""
    parts = [
        indicator.code,
        indicator.updated_at.isoformat() if indicator.updated_at else "",
        str(indicator.public_observation_count or 0),
        indicator.latest_change.isoformat() if indicator.latest_change else "",
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


data_version = share_image_version


def cached_file(indicator, parts, draw):
    """A file of the indicator (bytes), rendered by `draw()` only when what it shows has
    changed since it was last rendered: cached under the data version, the page cache's data
    generation (a source renamed, a region unpublished, the organisation renamed change the
    files too) and `parts` (which file: chart, format, area, scale), in Django's cache.
    Kept no longer than the next scheduled change (a country going public at its time joins
    the map then); drawn and not kept when there is no data generation to key it by."""
    generation = current_generation_or_none()
    data = data_generation(generation) if generation else None
    if data is None:
        return draw()
    variant = ":".join(str(part) for part in parts)
    key = f"statistics:chart-file:{data_version(indicator)}:{data}:{variant}"
    try:
        content = cache.get(key)
    except Exception as error:  # noqa: BLE001 - the cache is down: draw it, keep nothing
        _warn_cache_down(error)
        return draw()
    if content is None:
        content = draw()
        try:
            seconds = min(FILE_CACHE_SECONDS, page_lifetime(generation))
            if seconds > 0:
                cache.set(key, content, math.ceil(seconds))
        except Exception as error:  # noqa: BLE001 - full or down: drawn again next time
            _warn_cache_down(error)
    return content


def share_image(indicator, draw):
    """The indicator's share image (PNG bytes), rendered once per change of the data."""
    return cached_file(indicator, ("share",), draw)


def _warn_cache_down(error):
    # One line, no traceback, as the page cache does: during an outage every request fails
    # the same way (/healthz says so too).
    logger.warning("Chart file drawn without the cache (%s: %s)", type(error).__name__, error)
