"""An indicator's charts as files: a standalone SVG document, a PNG of it, and the share image
(og:image) that social networks show.

Every file is drawn from the charts the page itself shows (choice.py builds them,
templates/statistics/_chart.html draws each one as SVG): the page's <svg> elements are placed
into a document of their own, with the title, the sources, their terms and the address of
the page, so a file that travels without the page still says whose figures it shows.

PNGs are rendered with CairoSVG (the system library libcairo2 and a font, DejaVu Sans here).
The share image is rendered once per change of the data, not per request (`share_image`).
"""

import hashlib
import html
import logging
import re
import textwrap
from xml.etree import ElementTree

from django.conf import settings
from django.core.cache import cache
from django.template import Context, Template
from django.utils.translation import gettext as _

from pagecache import current_generation
from regions.footnotes import FootnoteRegistry

SVG_NS = "http://www.w3.org/2000/svg"
ElementTree.register_namespace("", SVG_NS)
logger = logging.getLogger(__name__)

INK = "#1b1f24"
MUTED = "#4a5562"
ACCENT = "#0b4f8a"
# DejaVu Sans first: the font installed with libcairo2 on Debian (Makefile), so the PNG reads
# the same on every server; browsers opening the SVG use their own sans-serif.
FONT = "DejaVu Sans, system-ui, sans-serif"
MARGIN = 24
# Roughly how many characters of DejaVu Sans fit in one em of width: for wrapping lines.
CHAR_WIDTH_EM = 0.58
SHARE_WIDTH, SHARE_HEIGHT = 1200, 630
# A share image stays in the cache at most this long; a change of the data changes its key.
SHARE_IMAGE_SECONDS = 7 * 24 * 3600

# A line, bar or number chart in its wide layout, with presentation attributes only; the
# map as the page draws it, its classes then given their fills (a file has no stylesheet).
_CHART_TEMPLATE = Template(
    "{% load footnotes %}{% mentions %}{% include 'statistics/_chart_svg.html' "
    "with standalone=False id_prefix='file' %}{% endmentions %}"
)
_MAP_TEMPLATE = Template(
    "{% load footnotes %}{% mentions %}{% include 'includes/region_map.html' "
    "with map=chart.map map_id=chart.key link_key=False %}{% endmentions %}"
)
# The fills of static/css/site.css's map classes, for a map in a file.
MAP_CLASS_FILLS = {
    "map-fill-0": "#f1f1f1",
    "map-fill-1": "#deebf7",
    "map-fill-2": "#b5d0ea",
    "map-fill-3": "#84b3dc",
    "map-fill-4": "#5b93c9",
    "map-fill-5": "#3f7bb7",
    "map-office": "#b3261e",
}
_SVG_TAG = re.compile(r"<(/?)svg\b[^>]*?(/?)>", re.IGNORECASE)


def _q(name):
    return f"{{{SVG_NS}}}{name}"


def chart_elements(charts, footnotes, **context):
    """(chart, <svg> element) of each chart, as the page's chart template draws it.

    Only the outermost <svg> elements of the template's output are taken (a chart drawn
    partly in HTML keeps its SVG part); one that is not well-formed XML is left out.
    """
    for chart in charts:
        drawing = chart.drawing()
        template = _MAP_TEMPLATE if drawing is None else _CHART_TEMPLATE
        markup = template.render(
            Context({**context, "chart": chart, "view": drawing, "footnotes": footnotes})
        )
        for fragment in _outer_svgs(markup):
            try:
                element = ElementTree.fromstring(fragment)
            except ElementTree.ParseError:
                continue
            if drawing is None:
                _fill_map_classes(element)
            yield chart, element


def _fill_map_classes(element):
    """Give a map's shapes the fills the site's stylesheet gives their classes; its links
    (to the country pages) mean nothing in a file and go."""
    for node in element.iter():
        for name in ("href", "{http://www.w3.org/1999/xlink}href", "tabindex"):
            node.attrib.pop(name, None)
        for name in (node.get("class") or "").split():
            if name in MAP_CLASS_FILLS:
                node.set("fill", MAP_CLASS_FILLS[name])
            if name in ("map-country", "map-office"):
                node.set("stroke", "#ffffff")


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


def view_box(element):
    """(width, height) of an <svg> from its viewBox (else its width/height in user units)."""
    box = (element.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        return float(box[2]), float(box[3])
    return float(element.get("width", 640)), float(element.get("height", 320))


def _wrap(text, font_size, width):
    columns = max(20, int(width / (font_size * CHAR_WIDTH_EM)))
    return textwrap.wrap(" ".join(str(text).split()), columns) or [""]


class _Page:
    """A document being laid out top to bottom: lines of text and placed charts."""

    def __init__(self, root, left, width):
        self.root, self.left, self.width, self.y = root, left, width, 0.0

    def text(self, text, size, fill=INK, weight=None, gap=0.35):
        for line in _wrap(text, size, self.width):
            self.y += size * 1.25
            node = ElementTree.SubElement(
                self.root,
                _q("text"),
                {"x": _n(self.left), "y": _n(self.y), "font-size": _n(size), "fill": fill},
            )
            if weight:
                node.set("font-weight", weight)
            node.text = line
        self.y += size * gap

    def chart(self, element, width, height):
        _place(element, self.left, self.y, width, height)
        self.root.append(element)
        self.y += height


def _n(number):
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _place(element, x, y, width, height):
    """Make a page's chart <svg> a nested element of a document, at (x, y), width x height."""
    for name in ("class", "role", "aria-labelledby", "style"):
        element.attrib.pop(name, None)
    element.set("x", _n(x))
    element.set("y", _n(y))
    element.set("width", _n(width))
    element.set("height", _n(height))
    element.set("preserveAspectRatio", "xMidYMid meet")


def _document(width, height, title):
    root = ElementTree.Element(
        _q("svg"),
        {
            "width": _n(width),
            "height": _n(height),
            "viewBox": f"0 0 {_n(width)} {_n(height)}",
            "font-family": FONT,
        },
    )
    ElementTree.SubElement(root, _q("title")).text = title
    ElementTree.SubElement(root, _q("rect"), {"width": "100%", "height": "100%", "fill": "#fff"})
    return root


def _serialise(root):
    body = ElementTree.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _plain(registry, text):
    """`text` with a footnoted country's asterisk, as plain text (the registry notes it)."""
    return html.unescape(str(registry.scan(text, link=False)))


def source_credit(source, site_settings):
    """One source's credit as plain text: whose figures, under which terms."""
    name = source.publisher or source.name
    if source.is_own_compilation:
        terms = site_settings.data_licence_name
    elif source.licence:
        terms = source.licence
    elif source.terms:
        terms = " ".join(source.terms.split())
    else:
        terms = _("terms of use not stated by the source")
    return _("%(source)s (%(terms)s)") % {"source": name, "terms": terms}


def chart_sources(charts):
    """The distinct sources of the charts' values, in order of first appearance."""
    sources = {}
    for chart in charts:
        for _number, source in chart.table.sources:
            if source is not None and source.pk not in sources:
                sources[source.pk] = source
    return list(sources.values())


def _credit_lines(charts, site_settings):
    sources = chart_sources(charts)
    if not sources:
        return [_("Source: not stated.")]
    credits = "; ".join(source_credit(source, site_settings) for source in sources)
    return [_("Source: %(credits)s.") % {"credits": credits}]


def standalone_svg(indicator, charts, page_url, site_settings, area=None):
    """The page's charts as one SVG document with title, sources, terms and the page's URL."""
    registry = FootnoteRegistry()
    elements = list(chart_elements(charts, registry, indicator=indicator))
    inner_width = max((view_box(element)[0] for _chart, element in elements), default=640)
    width = inner_width + 2 * MARGIN
    # Laid out twice: once to measure the height, once into a document of that height.
    root = _document(width, 0, indicator.name)
    page = _Page(root, MARGIN, inner_width)
    page.y = MARGIN / 2
    page.text(_plain(registry, indicator.name), 20, weight="700")
    subtitle = [indicator.unit]
    if area is not None:
        subtitle.append(_plain(registry, str(area)))
    page.text(", ".join(subtitle), 13, fill=MUTED, gap=0.8)
    for chart, element in elements:
        if len(elements) > 1:
            page.text(_plain(registry, chart.title), 14, weight="700")
        chart_width, chart_height = view_box(element)
        page.chart(element, chart_width, chart_height)
        page.y += 12
    for line in _credit_lines(charts, site_settings):
        page.text(line, 11, fill=MUTED, gap=0.1)
    for note in registry.notes:
        page.text(f"*{note.country.name}: {note.country.footnote}", 11, fill=MUTED, gap=0.1)
    page.text(
        _("Chart: %(site)s, %(url)s") % {"site": settings.SITE_NAME, "url": page_url},
        11,
        fill=MUTED,
    )
    height = page.y + MARGIN / 2
    root.set("height", _n(height))
    root.set("viewBox", f"0 0 {_n(width)} {_n(height)}")
    return _serialise(root)


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


def chart_subtitle(indicator, chart):
    """A chart's title without the indicator's name, for under that name: "Western
    Balkans, by period"."""
    title = chart.title.removeprefix(f"{indicator.name}, ")
    return title[:1].upper() + title[1:]


def share_image_svg(indicator, charts, site_settings):
    """1200 x 630: the site, the indicator's name, its first chart (named, with its area),
    the sources."""
    registry = FootnoteRegistry()
    root = _document(SHARE_WIDTH, SHARE_HEIGHT, indicator.name)
    left = 56
    page = _Page(root, left, SHARE_WIDTH - 2 * left)
    page.y = 24
    page.text(settings.SITE_NAME, 24, fill=ACCENT, weight="700", gap=0.3)
    page.text(_plain(registry, indicator.name), 40, weight="700", gap=0.2)
    elements = list(chart_elements(charts[:1], registry, indicator=indicator))
    if elements:
        # The chart's own title says which area (and period) it shows; the indicator's name
        # is said above it already.
        title = chart_subtitle(indicator, elements[0][0])
        subtitle = f"{_plain(registry, title)} ({indicator.unit})"
    else:
        subtitle = indicator.unit
    page.text(subtitle, 24, fill=MUTED)
    credits = _wrap(_credit_lines(charts, site_settings)[0], 18, page.width)[:2]
    footer_top = SHARE_HEIGHT - 24 - 18 * 1.25 * len(credits)
    if elements:
        page.chart(elements[0][1], page.width, max(footer_top - page.y - 24, 120))
    page.y = footer_top
    for line in credits:
        page.text(line, 18, fill=MUTED, gap=0)
    return _serialise(root)


def share_image_version(indicator):
    """A short fingerprint of the data the share image shows, from the indicator's own
    change time and its public observations' count and latest change (annotations of
    IndicatorQuerySet.with_share_image_version): it changes whenever the image would."""
    parts = [
        indicator.code,
        indicator.updated_at.isoformat() if indicator.updated_at else "",
        str(indicator.public_observation_count or 0),
        indicator.latest_change.isoformat() if indicator.latest_change else "",
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def _page_generation():
    """The page cache's generation (any content change bumps it): a changed source name or
    licence, a region unpublished, the organisation renamed all change the image too."""
    try:
        return current_generation()
    except Exception:  # noqa: BLE001 - the cache is down: the data version alone
        return ""


def share_image(indicator, draw):
    """The indicator's share image (PNG bytes), rendered by `draw()` only when the data has
    changed since it was last rendered: cached under the data version and the page cache's
    generation, in Django's cache (shared by all processes with Redis)."""
    key = f"statistics:share-image:{share_image_version(indicator)}:{_page_generation()}"
    try:
        png = cache.get(key)
    except Exception as error:  # noqa: BLE001 - the cache is down: draw it, keep nothing
        _warn_cache_down(error)
        return draw()
    if png is None:
        png = draw()
        try:
            cache.set(key, png, SHARE_IMAGE_SECONDS)
        except Exception as error:  # noqa: BLE001 - full or down: drawn again next time
            _warn_cache_down(error)
    return png


def _warn_cache_down(error):
    # One line, no traceback, as the page cache does: during an outage every request fails
    # the same way (/healthz says so too).
    logger.warning("Share image drawn without the cache (%s: %s)", type(error).__name__, error)
