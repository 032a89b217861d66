"""Markdown to sanitised HTML for every long text stored in the database."""

from functools import lru_cache

import markdown as markdown_lib
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "abbr", "sup", "sub", "table", "thead", "tbody",
    "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
# Only links a reader can safely follow; `javascript:` and `data:` never survive.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(text):
    """Render Markdown to HTML that is safe to insert into a page.

    Raw HTML in the source is escaped by Markdown's own rules and then anything left that is
    not on the allow-list (scripts, event handlers, style, unsafe URL schemes) is removed.
    h1 is not allowed: each page has exactly one, its title.
    """
    if not text:
        return mark_safe("")
    return mark_safe(_render(str(text)))  # noqa: S308 - sanitised by nh3 in _render


# Rendering is a pure function of the text, and the most expensive part of an uncached region
# page (bench/results.md): memoise it per process. Keyed by the text itself, so an edited text
# is simply a new key; never stale.
@lru_cache(maxsize=1024)
def _render(text):
    html = markdown_lib.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return cleaned
