"""Content checks of uploaded brand images (logo, share image): the bytes decide, never the
file name. An SVG is refused, not silently altered, when it could run script or load
anything from elsewhere: the editor sees why and keeps their file."""

import re
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_IMAGE_BYTES = 2 * 1024 * 1024

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_BOM = b"\xef\xbb\xbf"
_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
# What drawing programs add about the drawing (Inkscape's view settings, RDF licence
# metadata): browsers render nothing of these namespaces. Their attribute values are still
# checked like any other.
_EDITOR_NAMESPACES = {
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://creativecommons.org/ns#",
    "http://web.resource.org/cc/",
    "http://purl.org/dc/elements/1.1/",
}
# An allow-list: static drawing only. Not here on purpose: script, foreignObject, a, image,
# feImage, iframe, embed, object, audio, video, animate, set, animateMotion,
# animateTransform (an animation can set an href to javascript:), handler, listener.
_SVG_ELEMENTS = {
    "svg", "g", "defs", "symbol", "use", "title", "desc", "metadata", "switch", "style",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite",
    "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight",
    "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR",
    "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology", "feOffset", "fePointLight",
    "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
}  # fmt: skip
_SVG_ATTRIBUTES = {
    # Structure and geometry
    "id", "class", "style", "lang", "version", "baseProfile", "viewBox",
    "preserveAspectRatio", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy",
    "r", "rx", "ry", "fx", "fy", "fr", "d", "points", "pathLength", "transform", "href",
    "requiredFeatures", "requiredExtensions", "systemLanguage", "type", "media",
    "role", "aria-label", "aria-labelledby", "aria-describedby", "aria-hidden", "focusable",
    "data-name", "enable-background",
    # Presentation
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
    "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
    "stroke-dashoffset", "opacity", "color", "display", "visibility", "overflow",
    "clip-path", "clip-rule", "mask", "filter", "marker-start", "marker-mid", "marker-end",
    "mix-blend-mode", "isolation", "color-interpolation", "color-interpolation-filters",
    "color-rendering", "shape-rendering", "text-rendering", "image-rendering",
    "vector-effect", "paint-order", "flood-color", "flood-opacity", "lighting-color",
    "stop-color", "stop-opacity", "offset",
    # Text
    "font-family", "font-size", "font-weight", "font-style", "font-variant", "font-stretch",
    "text-anchor", "dominant-baseline", "alignment-baseline", "baseline-shift",
    "letter-spacing", "word-spacing", "text-decoration", "writing-mode", "dx", "dy",
    "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing", "side",
    # Paint servers, clipping, masking, markers
    "gradientUnits", "gradientTransform", "spreadMethod", "patternUnits",
    "patternContentUnits", "patternTransform", "clipPathUnits", "maskUnits",
    "maskContentUnits", "markerWidth", "markerHeight", "markerUnits", "refX", "refY",
    "orient",
    # Filter primitives
    "filterUnits", "primitiveUnits", "in", "in2", "result", "stdDeviation", "mode",
    "operator", "k1", "k2", "k3", "k4", "values", "tableValues", "slope", "intercept",
    "amplitude", "exponent", "radius", "scale", "xChannelSelector", "yChannelSelector",
    "baseFrequency", "numOctaves", "seed", "stitchTiles", "order", "kernelMatrix",
    "divisor", "bias", "targetX", "targetY", "edgeMode", "preserveAlpha", "surfaceScale",
    "diffuseConstant", "specularConstant", "specularExponent", "kernelUnitLength",
    "azimuth", "elevation", "z", "pointsAtX", "pointsAtY", "pointsAtZ",
    "limitingConeAngle",
}  # fmt: skip
_SVG_ATTRIBUTES_LOWER = {name.lower() for name in _SVG_ATTRIBUTES}
# Attributes holding names or words, not CSS values: not read as CSS.
_TEXT_ATTRIBUTES = {
    "id", "class", "lang", "version", "baseprofile", "role", "aria-label", "aria-labelledby",
    "aria-describedby", "aria-hidden", "data-name", "type", "requiredfeatures",
    "requiredextensions", "systemlanguage",
}  # fmt: skip
_SVG_ELEMENTS_LOWER = {name.lower() for name in _SVG_ELEMENTS}
# CSS (style elements and attributes, presentation attributes) may call only these
# functions; url() only with a fragment (#id) of this same drawing.
_CSS_FUNCTIONS = {
    "url", "rgb", "rgba", "hsl", "hsla", "calc", "var", "matrix", "translate", "translatex",
    "translatey", "scale", "scalex", "scaley", "rotate", "skewx", "skewy",
}  # fmt: skip
_CSS_FUNCTION = re.compile(r"([-\w]+)\s*\(", re.ASCII)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)\s*([^)'\"]*)", re.IGNORECASE)
_CSS_COMMENT = re.compile(r"/\*.*?(\*/|$)", re.DOTALL)


def image_kind(data):
    """'png', 'jpeg', 'svg' or None, from the file's first bytes."""
    if data.startswith(_PNG):
        return "png"
    if data.startswith(_JPEG):
        return "jpeg"
    head = data[:1024].removeprefix(_BOM).lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data[:4096].lower():
        return "svg"
    return None


class _Recorder:
    """An ElementTree parser target that also keeps the processing instructions and
    comments (the stdlib's tree builder drops them silently, and a browser that is served
    the file as HTML reads `<?x y="><img onerror=...>"?>` as markup)."""

    def __init__(self):
        self._builder = ET.TreeBuilder()
        self.instructions = []
        self.comments = []

    def start(self, tag, attrib):
        return self._builder.start(tag, attrib)

    def end(self, tag):
        return self._builder.end(tag)

    def data(self, text):
        return self._builder.data(text)

    def pi(self, target, text):
        self.instructions.append(target)

    def comment(self, text):
        self.comments.append(text)

    def close(self):
        return self._builder.close()


def _split(name):
    """(namespace, local name) of an ElementTree tag or attribute name."""
    if name.startswith("{"):
        namespace, _sep, local = name[1:].partition("}")
        return namespace, local
    return "", name


def css_problems(css):
    """Reasons a piece of CSS may not be in a logo (empty list: it is safe)."""
    problems = set()
    if "\\" in css:
        # An escape can spell anything (u\72 l, @\69mport): no legitimate logo needs one.
        problems.add(_("its CSS contains an escape (\\)"))
    css = _CSS_COMMENT.sub(" ", css)
    if "@" in css:
        problems.add(_("its CSS contains an @-rule"))
    if "<" in css:
        problems.add(_("its CSS contains markup"))
    for match in _CSS_FUNCTION.finditer(css):
        if match.group(1).lower() not in _CSS_FUNCTIONS:
            problems.add(_("its CSS calls %(name)s()") % {"name": match.group(1)})
    for match in _CSS_URL.finditer(css):
        if not match.group(2).strip().startswith("#"):
            problems.add(_("its style loads an external resource"))
    return problems


def _attribute_problems(element, attribute, value):
    element_namespace, element_name = _split(element.tag)
    namespace, local = _split(attribute)
    problems = set()
    if local.lower().startswith("on"):
        problems.add(_("it has an event handler (%(name)s)") % {"name": local})
        return problems
    if namespace in ("", _XLINK_NS) and local == "href":
        if not value.strip().startswith("#"):
            problems.add(_("it links to an external resource (%(value)s)") % {"value": value[:100]})
        return problems
    allowed = (
        (namespace == "" and local.lower() in _SVG_ATTRIBUTES_LOWER)
        or (namespace == _XML_NS and local in ("space", "lang"))
        or namespace in _EDITOR_NAMESPACES
        or (namespace == "" and element_namespace in _EDITOR_NAMESPACES)
    )
    if not allowed:
        problems.add(
            _("it has an attribute that is not allowed in a logo (%(name)s on <%(element)s>)")
            % {"name": local, "element": element_name}
        )
    if "<" in value:
        problems.add(_("an attribute contains markup (%(name)s)") % {"name": local})
    if (
        namespace == ""
        and element_namespace not in _EDITOR_NAMESPACES
        and local.lower() not in _TEXT_ATTRIBUTES
    ):
        problems |= css_problems(value)
    return problems


def svg_problems(data):
    """Reasons an SVG may not be shown on the site (empty list: it is safe).

    Parsed with defusedxml (no DOCTYPE, no entities, nothing fetched), then checked against
    an allow-list of elements and attributes: anything not on it is refused, as are
    processing instructions (`<?xml-stylesheet?>`) and markup hidden in comments or text."""
    recorder = _Recorder()
    parser = DefusedXMLParser(target=recorder, forbid_dtd=True)
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException:
        return [_("it declares a DOCTYPE or entities")]
    except ET.ParseError as error:
        return [_("it is not well-formed XML (%(error)s)") % {"error": error}]
    if _split(root.tag) not in ((_SVG_NS, "svg"), ("", "svg")):
        return [_("its root element is not <svg>")]
    problems = set()
    if recorder.instructions:
        problems.add(
            _("it contains a processing instruction (<?%(name)s?>)")
            % {"name": recorder.instructions[0]}
        )
    if any("<" in text or ">" in text for text in recorder.comments):
        problems.add(_("a comment contains markup"))
    for element in root.iter():
        namespace, name = _split(element.tag)
        if namespace in _EDITOR_NAMESPACES:
            pass
        elif namespace not in (_SVG_NS, "") or name.lower() not in _SVG_ELEMENTS_LOWER:
            problems.add(_("it contains a <%(name)s> element") % {"name": name.lower()})
        text = (element.text or "") + (element.tail or "")
        if "<" in text:
            problems.add(_("its text contains markup"))
        if name == "style":
            problems |= css_problems(element.text or "")
        for attribute, value in element.attrib.items():
            problems |= _attribute_problems(element, attribute, value)
    return sorted(problems)


def _read(upload):
    upload.seek(0)
    data = upload.read(MAX_IMAGE_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is larger than %(size)d MB.") % {"size": MAX_IMAGE_BYTES // 1024**2},
            code="too_large",
        )
    return data


def validate_logo(upload):
    """A logo: an SVG without script or external references, or a PNG/JPEG image."""
    data = _read(upload)
    kind = image_kind(data)
    if kind is None:
        raise ValidationError(
            _("The logo must be an SVG, PNG or JPEG image (this file is none of them)."),
            code="not_an_image",
        )
    if kind == "svg":
        problems = svg_problems(data)
        if problems:
            raise ValidationError(
                _("This SVG cannot be used: %(reasons)s. Export it again without scripts, "
                  "event handlers or links to other files.")
                % {"reasons": "; ".join(problems)},
                code="unsafe_svg",
            )  # fmt: skip


def validate_share_image(upload):
    """A share image: PNG or JPEG (what social networks show; they ignore SVG)."""
    if image_kind(_read(upload)) not in ("png", "jpeg"):
        raise ValidationError(
            _("The share image must be a PNG or JPEG image, ideally 1200 x 630 pixels."),
            code="not_png_or_jpeg",
        )


def parse_social_links(text):
    """[(name, url)] from lines "Name https://address"; raises ValueError on a bad line."""
    links = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, _sep, url = line.rpartition(" ")
        if not name.strip() or not url.startswith("https://"):
            raise ValueError(
                _("Line %(number)d: write the name, a space and an https:// address.")
                % {"number": number}
            )
        links.append((name.strip(), url))
    return links


def validate_social_links(text):
    try:
        parse_social_links(text)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid_social_link") from None
