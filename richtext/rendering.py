"""Markdown to sanitised HTML for every long text stored in the database, and the report of
what the sanitiser removed or changed, which editors see in the admin form and the preview.

One implementation for every long text: the public pages (`{{ text|markdown }}`), the admin's
live preview and the admin's validation all call `render()` here, so what an editor is told is
exactly what the public page shows.

Supported and kept: headings h2-h4 (`#` becomes h2, since h1 is the page title; `#####` and
deeper become h4), paragraphs, bold, italic, links (http, https, mailto, tel and the site's own
paths), bulleted and numbered lists, block quotes, tables, footnotes, code, abbreviations,
definition lists, and images from the media library. Raw HTML, scripts and other links are
removed and reported (the rules: richtext/sanitiser.py).
"""

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

import markdown as markdown_lib
from django.utils.safestring import mark_safe

from .sanitiser import Finding, HtmlInspector, SanitiserExtension, clean

# Python-Markdown's own extensions we support ("extra" without attr_list, which would let a
# text set ids and classes, and md_in_html, which is raw HTML).
BUILTIN_EXTENSIONS = ["abbr", "def_list", "fenced_code", "footnotes", "tables", "sane_lists"]

# Further extensions (instances or dotted names), e.g. the media library's images. Each one
# runs before the sanitiser, whose rules decide what of its output is kept; it may add
# Findings to `md.findings`, and an instance whose `reads_database(text)` is true for a text
# makes that text's rendering bypass the memo below. Apps add theirs with register_extension()
# from their AppConfig.ready().
EXTENSIONS = []


def register_extension(extension):
    """Add a Python-Markdown extension instance to every rendering (once per class)."""
    if not any(type(known) is type(extension) for known in EXTENSIONS):
        EXTENSIONS.append(extension)
        _render.cache_clear()


@dataclass(frozen=True)
class Rendering:
    html: str
    findings: tuple[Finding, ...]

    @property
    def removed(self):
        return [finding for finding in self.findings if finding.removed]

    @property
    def changed(self):
        return [finding for finding in self.findings if not finding.removed]


def render_markdown(text):
    """Render Markdown to HTML that is safe to insert into a page (in a `div.prose`)."""
    return mark_safe(render(text).html)  # noqa: S308 - sanitised by nh3 in _render (clean)


def plain_text(text):
    """What a reader sees of the Markdown `text`, as one line of plain text (not escaped):
    no markup, no "## " or "**", a link as its words, footnote numbers and back-links left
    out (the notes' own text is kept). For snippets and summaries outside the page's prose."""
    return _plain_text(str(text)) if text else ""


# Memoised like _render. Without the EXTENSIONS: an image shows no text, and the media
# library's extension would read the database for every text that has one.
@lru_cache(maxsize=1024)
def _plain_text(text):
    md = markdown_lib.Markdown(
        extensions=[*BUILTIN_EXTENSIONS, SanitiserExtension(findings=[], note_key="")],
        output_format="html",
    )
    reader = _TextReader()
    reader.feed(clean(md.convert(text)))
    reader.close()
    return " ".join("".join(reader.parts).split())


class _TextReader(HTMLParser):
    # Elements that end a line: a space keeps "Title" and "Text" of <h2>Title</h2><p>Text
    # apart, while inline markup (<strong>, <a>) adds nothing ("**bold**ness": "boldness").
    BLOCKS = frozenset(
        "address blockquote br dd div dl dt h1 h2 h3 h4 h5 h6 hr li ol p pre table td th "
        "tr ul figure figcaption img".split()
    )
    HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = []  # the open elements whose text is left out
        self.last = ""  # the last character of text so far that is not a space

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append(" ")
        classes = (dict(attrs).get("class") or "").split()
        # A footnote reference (<sup><a class="note-ref">1</a></sup>) and the note's "↩".
        if self.skipping or tag == "sup" or "note-back" in classes:
            self.skipping.append(tag)

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
        if tag in self.HEADINGS:
            # A heading run into its text reads as one sentence ("in the region The
            # Western Balkans is"): end it as a sentence unless it already is one.
            if self.last.isalnum():
                self.parts.append(".")
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)
            self.last = data.rstrip()[-1:] or self.last


def render(text):
    """The sanitised HTML of `text` and what was removed or changed on the way."""
    if not text:
        return Rendering("", ())
    text = str(text)
    if any(getattr(ext, "reads_database", lambda text: False)(text) for ext in EXTENSIONS):
        # Its HTML depends on stored rows (a library image's alt text, file, existence):
        # rendered afresh each time, so no process keeps an old version.
        return _render.__wrapped__(text)
    return _render(text)


# Rendering is a pure function of the text, and the most expensive part of an uncached region
# page (bench/results.md): memoise it per process. Keyed by the text itself, so an edited text
# is simply a new key; never stale.
@lru_cache(maxsize=1024)
def _render(text):
    findings = []
    md = markdown_lib.Markdown(
        extensions=[
            *BUILTIN_EXTENSIONS,
            *EXTENSIONS,
            SanitiserExtension(findings=findings, note_key=_note_key(text)),
        ],
        output_format="html",
    )
    # Extensions report what they remove here too (e.g. a library image that does not exist).
    md.findings = findings
    html = md.convert(text)
    findings.extend(HtmlInspector.findings(html))
    cleaned = clean(html)
    unique = tuple(dict.fromkeys(findings))
    return Rendering(f'<div class="prose">{cleaned}</div>' if cleaned else "", unique)


def _note_key(text):
    return hashlib.blake2s(text.encode(), digest_size=4).hexdigest()
