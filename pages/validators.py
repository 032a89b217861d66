"""Content checks of uploaded brand images (logo, share image): the bytes decide, never the
file name. An SVG is refused, not silently altered, when it could run script or load
anything from elsewhere: the editor sees why and keeps their file."""

import re
import xml.etree.ElementTree as ET

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_IMAGE_BYTES = 2 * 1024 * 1024

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_SVG_NS = "{http://www.w3.org/2000/svg}"
# Elements that run script, embed other documents or animate attributes (an animation can
# set an href to javascript:).
_FORBIDDEN_ELEMENTS = {
    "script", "foreignobject", "iframe", "embed", "object", "audio", "video", "animate",
    "set", "animatemotion", "animatetransform", "handler", "listener",
}  # fmt: skip
_EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


def image_kind(data):
    """'png', 'jpeg', 'svg' or None, from the file's first bytes."""
    if data.startswith(_PNG):
        return "png"
    if data.startswith(_JPEG):
        return "jpeg"
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data[:4096].lower():
        return "svg"
    return None


def svg_problems(data):
    """Reasons an SVG may not be shown on the site (empty list: it is safe)."""
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        return [_("it declares a DOCTYPE or entities")]
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        return [_("it is not well-formed XML (%(error)s)") % {"error": error}]
    if root.tag not in (f"{_SVG_NS}svg", "svg"):
        return [_("its root element is not <svg>")]
    problems = set()
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if name in _FORBIDDEN_ELEMENTS:
            problems.add(_("it contains a <%(name)s> element") % {"name": name})
        if (
            name == "style"
            and _EXTERNAL_URL.search(element.text or "")
            or (name == "style" and "@import" in (element.text or "").lower())
        ):
            problems.add(_("its style loads an external resource"))
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                problems.add(_("it has an event handler (%(name)s)") % {"name": local})
            elif local in ("href", "src") and not value.strip().startswith("#"):
                problems.add(_("it links to an external resource (%(value)s)") % {"value": value})
            elif _EXTERNAL_URL.search(value):
                problems.add(_("it refers to an external resource in %(name)s") % {"name": local})
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
