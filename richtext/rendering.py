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
