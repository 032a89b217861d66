"""The territory footnote (e.g. Kosovo*): one mechanism for every page.

Each page render gets one `FootnoteRegistry` (wbportal.context_processors.site). Every mention
of a footnoted country goes through it: the `{% country_name %}` tag for a country object,
`{% footnoted text %}` for free text (Markdown bodies, source names, notes), and
`{% mentions %}...{% endmentions %}` for text where no link may go (form options, SVG). The
first linked mention carries the id `fnref-<iso>`; the footer's `{% footnote_list %}`, rendered
after the content, lists each mentioned country once as `footnote-<iso>`, with a link back
to that id when there is one. So a page shows the note exactly when it names the country, and
both links resolve.
"""

import re
from dataclasses import dataclass

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .models import Country

_TAG = re.compile(r"(<[^>]*>)")


@dataclass
class Note:
    country: object
    ref_id: str = ""  # the id of the first linked mention ("" if none could carry one)

    @property
    def note_id(self):
        return note_id(self.country)


def note_id(country):
    return f"footnote-{country.iso_code.lower()}"


def ref_id(country):
    return f"fnref-{country.iso_code.lower()}"


def footnoted_countries():
    """The public countries whose name carries a footnote (a handful): one query. Only
    public ones: a draft's name and note are unreviewed text (a draft named "Migration"
    would mark every use of the word)."""
    return list(
        Country.objects.public().with_footnote().only("name", "iso_code", "footnote", "slug")
    )


def name_pattern(countries):
    """A pattern finding the names of `countries` as whole words, with an asterisk already
    written after a name (if any) in the match; None for no countries."""
    names = sorted((re.escape(c.name) for c in countries), key=len, reverse=True)
    if not names:
        return None
    return re.compile(rf"(?<![\w-])(?P<name>{'|'.join(names)})(?![\w-])\*?")


def plain_text(text, countries):
    """The rule of the pages for plain text (file formats such as IATI XML): each name of a
    footnoted country in `text` is followed by an asterisk, and the note of every country
    named follows the text, once, as "* note". `countries`: the footnoted ones
    (`footnoted_countries()`)."""
    pattern = name_pattern(countries)
    if pattern is None:
        return text
    by_name = {country.name: country for country in countries}
    named = []

    def marked(match):
        country = by_name[match["name"]]
        if country not in named:
            named.append(country)
        return f"{match['name']}*"

    marked_text = pattern.sub(marked, text)
    if not named:
        return text
    notes = " ".join(f"* {country.footnote}" for country in named)
    return f"{marked_text} ({notes})"


class FootnoteRegistry:
    """The footnoted countries one page mentions, in order of first mention."""

    def __init__(self, loader=footnoted_countries):
        self._notes = {}
        self._loader = loader
        self._known = None
        self._pattern = None

    # --- mentions --------------------------------------------------------------------------

    def mention(self, country, link=True, beside_link=False):
        """Register a mention of `country`; the marker to put after its name (safe HTML).

        `link=False` (inside another link, or where markup cannot go): a plain asterisk.
        `beside_link`: the name before it is a link, so the marker is styled as a tap target
        of its own (24 x 24 px), apart from that link.
        """
        if not country.footnote:
            return ""
        note = self._notes.get(country.iso_code)
        if note is None:
            note = self._notes[country.iso_code] = Note(country)
        if not link:
            return mark_safe("*")
        attributes = ""
        if not note.ref_id:
            note.ref_id = ref_id(country)
            attributes = format_html(' id="{}"', note.ref_id)
        return format_html(
            '<a class="{}" href="#{}"{}>*<span class="visually-hidden"> {}</span></a>',
            "footnote-ref beside-link" if beside_link else "footnote-ref",
            note.note_id,
            attributes,
            _("(see note)"),
        )

    def scan(self, text, link=True):
        """`text` (plain text is escaped; safe HTML is kept) with each footnoted country's
        name followed by its marker; an asterisk already written after the name is replaced.
        Names inside tags, and inside links (`link=True` only), get a plain asterisk."""
        html = str(conditional_escape(text))
        pattern = self._name_pattern()
        if pattern is None or not pattern.search(html):
            return mark_safe(html)  # noqa: S308 - escaped or already safe above
        by_name = {country.name: country for country in self._known}
        parts = []
        in_link = 0
        for part in _TAG.split(html):
            if part.startswith("<"):
                lowered = part.lower()
                if lowered.startswith("<a ") or lowered == "<a>":
                    in_link += 1
                elif lowered.startswith("</a"):
                    in_link = max(0, in_link - 1)
                parts.append(part)
                continue
            linked = link and not in_link

            def marked(match, linked=linked):
                return match["name"] + self.mention(by_name[match["name"]], link=linked)

            parts.append(pattern.sub(marked, part))
        return mark_safe("".join(parts))  # noqa: S308 - only our markers added to safe HTML

    def restore(self, state):
        """Take the notes of `state` ((ISO code, whether a linked mention carries its id), in
        order of first mention: what a render left, e.g. a cached fragment's) as if that
        render had happened now. False, changing nothing, if a country of it is no longer a
        footnoted public one (the caller then scans the HTML instead)."""
        self._name_pattern()
        known = {country.iso_code: country for country in self._known}
        if any(code not in known for code, _linked in state):
            return False
        for code, linked in state:
            note = self._notes.get(code)
            if note is None:
                note = self._notes[code] = Note(known[code])
            if linked and not note.ref_id:
                note.ref_id = ref_id(known[code])
        return True

    def _name_pattern(self):
        if self._known is None:
            self._known = self._loader()
            self._pattern = name_pattern(self._known)
        return self._pattern

    # --- the notes -------------------------------------------------------------------------

    @property
    def notes(self):
        return list(self._notes.values())

    def __bool__(self):
        return bool(self._notes)
