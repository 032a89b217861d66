"""The sanitiser's rules: what of Markdown's HTML a public page keeps, and the report of what
it removed or changed (`Finding`), in one place, so the report always says what the cleaning
does.

`SanitiserExtension` runs inside Python-Markdown (headings, footnote ids, table alignment,
images not from the media library); `HtmlInspector` lists what `clean()` (nh3) will remove
from the HTML; `clean()` removes it. richtext/rendering.py puts the three together.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.utils.translation import gettext, gettext_lazy
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd", "a", "abbr", "sup", "sub", "table", "thead", "tbody",
    "tr", "th", "td", "div", "img", "picture", "source", "figure", "figcaption",
}  # fmt: skip
# Removed together with their content (nh3 keeps the text of any other removed tag).
CONTENT_REMOVED_TAGS = {"script", "style"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "abbr": {"title"},
    "th": {"scope", "class"},
    "td": {"class"},
    "sup": {"id"},
    "li": {"id"},
    "div": {"class"},
    "code": {"class"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"},
    "source": {"srcset", "sizes", "type", "media"},
}
# Only links a reader can safely follow; `javascript:` and `data:` never survive.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# The classes our own processing sets (footnotes, table alignment, code language).
ALLOWED_CLASSES = {
    "a": {"note-ref", "note-back"},
    "div": {"notes"},
    "th": {"align-left", "align-center", "align-right"},
    "td": {"align-left", "align-center", "align-right"},
}
_CODE_CLASS = re.compile(r"language-[\w+-]{1,40}")
# Footnote ids carry a key made from the text, so several texts on one page never share one.
_NOTE_ID = re.compile(r"fn(?:ref)?-[0-9a-f]{8}-\d{1,4}")


def library_image_url_prefixes():
    """Where library images are served from: an image whose address starts otherwise is removed.
    The media library's Markdown extension produces images under MEDIA_URL."""
    return (settings.MEDIA_URL,)


@dataclass(frozen=True)
class Finding:
    """One thing the sanitiser removed (`removed`) or showed differently (h1 as h2)."""

    kind: str
    detail: str = ""
    tag: str = ""

    MESSAGES = {
        "heading-h1": gettext_lazy(
            "Heading “%(detail)s” (#) is shown as a level-2 heading (##): "
            "the page title is the only level-1 heading."
        ),
        "heading-deep": gettext_lazy(
            "Heading “%(detail)s” is shown as a level-4 heading (####), the deepest level."
        ),
        "image": gettext_lazy(
            "Image %(detail)s: only images from the media library are shown; it is removed."
        ),
        "library-image": gettext_lazy(
            "Image %(detail)s: there is no such image in the media library; it is removed."
        ),
        # Reported by library.markdown: the image is shown, its caption, credit and licence
        # are not, so the text is refused like a removal until the image stands alone.
        "library-image-inline": gettext_lazy(
            "Image %(detail)s is inside a sentence, a list, a table or a link, where its "
            "caption, credit and licence are not shown: put it on a line of its own, with an "
            "empty line before and after it."
        ),
        "script": gettext_lazy("<%(tag)s> with everything in it: removed."),
        "html": gettext_lazy("HTML tag <%(tag)s>: removed (its text is kept)."),
        "attribute": gettext_lazy("HTML attribute %(detail)s on <%(tag)s>: removed."),
        "link": gettext_lazy(
            "Link to %(detail)s: only web (http, https), e-mail (mailto), phone (tel) and the "
            "site's own links are kept; the link is removed, its text kept."
        ),
        "link-invalid": gettext_lazy(
            "Link to %(detail)s: not a valid address (look at the port number or the "
            "[brackets] of an IPv6 address); the link is removed, its text kept."
        ),
        "link-long": gettext_lazy(
            "Link to %(detail)s: the address is longer than 2,000 bytes; the link is "
            "removed, its text kept."
        ),
        "comment": gettext_lazy("HTML comment: removed."),
    }
    CHANGES = {"heading-h1", "heading-deep"}

    @property
    def removed(self):
        return self.kind not in self.CHANGES

    @property
    def message(self):
        return gettext(self.MESSAGES[self.kind]) % {"detail": self.detail, "tag": self.tag}

    def __str__(self):
        return self.message


def clean(html):
    """`html` with everything the rules above do not allow removed (nh3)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=CONTENT_REMOVED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def _is_library_image_url(url):
    url = url.strip()
    return not url.startswith("//") and url.startswith(library_image_url_prefixes())


# The longest link address kept, in UTF-8 bytes: the links index (links.Link.url, unique)
# must hold every kept address, and PostgreSQL refuses an index row over about 2,700 bytes.
MAX_LINK_BYTES = 2000


def link_problem(url):
    """Why the link address `url` is removed ("link": a scheme not allowed, "link-invalid":
    not an address nh3 keeps, "link-long": too long to record), or "" when it is kept."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port nh3 would drop silently
    except ValueError:
        return "link-invalid"
    scheme = parts.scheme.lower() if ":" in url else ""
    if scheme and scheme not in ALLOWED_URL_SCHEMES:
        return "link"
    if len(url.encode("utf-8", "surrogatepass")) > MAX_LINK_BYTES:
        return "link-long"
    return ""


def _url_allowed(url):
    return not link_problem(url)


def attribute_allowed(tag, name, value):
    """The sanitiser's rule for one attribute (nh3 applies it; the report explains it)."""
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return False
    value = value or ""
    if name == "id":
        return bool(_NOTE_ID.fullmatch(value))
    if name == "class":
        if tag == "code":
            return bool(_CODE_CLASS.fullmatch(value))
        return value in ALLOWED_CLASSES.get(tag, ())
    if name == "src":
        return _is_library_image_url(value)
    if name == "srcset":
        candidates = [part.strip().split()[0] for part in value.split(",") if part.strip()]
        return bool(candidates) and all(_is_library_image_url(url) for url in candidates)
    if name == "href":
        return _url_allowed(value)
    return True


def _attribute_filter(tag, name, value):
    if tag == "a" and name == "rel":  # nh3's own link_rel, added before this filter runs
        return value
    return value if attribute_allowed(tag, name, value) else None


class HtmlInspector(HTMLParser):
    """Lists what nh3 will remove from Markdown's HTML, in the sanitiser's own rules."""

    @classmethod
    def findings(cls, html):
        inspector = cls()
        inspector.feed(html)
        inspector.close()
        return inspector.found

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in CONTENT_REMOVED_TAGS:
            self.found.append(Finding("script", tag=tag))
            return
        if tag not in ALLOWED_TAGS:
            self.found.append(Finding("html", tag=tag))
            return
        for name, value in attrs:
            if attribute_allowed(tag, name, value):
                continue
            if name == "href" and name in ALLOWED_ATTRIBUTES.get(tag, ()):
                kind = link_problem(value or "") or "link"
                detail = value or ""
                if kind == "link-long":
                    detail = f"{detail[:80]}…"
                self.found.append(Finding(kind, detail=detail))
            elif tag in {"img", "source"} and name in {"src", "srcset"}:
                self.found.append(Finding("image", detail=value or ""))
            else:
                self.found.append(Finding("attribute", detail=name, tag=tag))

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.found.append(Finding("comment"))

    def handle_decl(self, decl):
        self.found.append(Finding("html", tag="!" + decl.split()[0] if decl else "!"))

    def handle_pi(self, data):
        self.found.append(Finding("html", tag="?"))


class SanitiserTreeprocessor(Treeprocessor):
    """Runs after Markdown's own processing: headings to h2-h4, images not from the library
    out, footnote ids unique to this text, table alignment as classes."""

    def __init__(self, md, findings, note_key):
        super().__init__(md)
        self.findings = findings
        self.note_key = note_key

    def run(self, root):
        for parent in root.iter():
            for child in list(parent):
                if child.tag == "img" and not _is_library_image_url(child.get("src", "")):
                    self.findings.append(Finding("image", detail=child.get("src", "")))
                    _remove_keeping_tail(parent, child)
        for element in root.iter():
            self._heading(element)
            self._footnote(element)
            self._alignment(element)

    def _heading(self, element):
        if element.tag == "h1":
            element.tag = "h2"
            self.findings.append(Finding("heading-h1", detail=_text(element)))
        elif element.tag in {"h5", "h6"}:
            element.tag = "h4"
            self.findings.append(Finding("heading-deep", detail=_text(element)))

    def _footnote(self, element):
        # Python-Markdown's footnotes: fnref:N / fn:N ids, footnote-ref/backref classes.
        element_id = element.get("id", "")
        if element_id.startswith(("fn:", "fnref:")):
            element.set("id", self._note_id(element_id))
        href = element.get("href", "")
        if element.tag == "a" and href.startswith(("#fn:", "#fnref:")):
            element.set("href", "#" + self._note_id(href[1:]))
        css_class = element.get("class")
        if css_class == "footnote":
            element.set("class", "notes")
        elif css_class == "footnote-ref":
            element.set("class", "note-ref")
        elif css_class == "footnote-backref":
            element.set("class", "note-back")

    def _note_id(self, markdown_id):
        kind, _, number = markdown_id.partition(":")
        return f"{kind}-{self.note_key}-{number}"

    def _alignment(self, element):
        if element.tag in {"th", "td"} and "style" in element.attrib:
            match = re.search(r"text-align:\s*(left|center|right)", element.attrib.pop("style"))
            if match:
                element.set("class", f"align-{match[1]}")


def _text(element):
    return "".join(element.itertext()).strip()


def _remove_keeping_tail(parent, child):
    tail = child.tail or ""
    index = list(parent).index(child)
    if tail:
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(child)


class SanitiserExtension(Extension):
    def __init__(self, findings, note_key):
        super().__init__()
        self.findings = findings
        self.note_key = note_key

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        # After footnotes (50, 15), inline (20), prettify (10) and abbr (7); before unescape (0).
        md.treeprocessors.register(
            SanitiserTreeprocessor(md, self.findings, self.note_key), "sanitiser", 5
        )
