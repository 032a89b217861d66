"""How to cite an indicator page: a line for people and a BibTeX entry for reference managers.

Both name the data's sources first (the figures are theirs), then the page through which they
were read: the publishing organisation's dataset page (pages.SiteSettings names the
organisation), with its title, address and the day it was read. Each source's own way to be
cited (its `citation`) is listed beside this one.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from formatting.display import format_date

# LaTeX's special characters, as BibTeX needs them written in a field's text.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
# In a URL only these break a field (the url package reads the rest verbatim).
_URL_ESCAPES = {"\\": "%5C", "{": "%7B", "}": "%7D", "%": r"\%", "#": r"\#"}


def bibtex_escape(text):
    """`text` safe inside a BibTeX field's braces: special characters escaped, line breaks
    folded into spaces (a field is one logical line)."""
    text = " ".join(str(text).split())
    return "".join(_BIBTEX_ESCAPES.get(character, character) for character in text)


def bibtex_url(url):
    return "".join(_URL_ESCAPES.get(character, character) for character in url)


@dataclass(frozen=True)
class Citation:
    organisation: str
    title: str
    url: str
    accessed: object  # a date
    key: str  # BibTeX citation key: letters, digits, hyphens
    sources: tuple = ()  # the names of the data's sources

    @property
    def source_names(self):
        """The sources' names, one after another ("" when no figure names one)."""
        return _("; ").join(self.sources)

    @property
    def text(self):
        """UNHCR Refugee Population Statistics Database, via WB Portal (ICMPD): “Refugees
        hosted”, https://… (accessed 28 November 2026).

        Without a named source: ICMPD, “Arrivals”, WB Portal, https://… (accessed …)."""
        values = {
            "sources": self.source_names,
            "organisation": self.organisation,
            "title": self.title,
            "site": settings.SITE_NAME,
            "url": self.url,
            "date": format_date(self.accessed),
        }
        if self.sources:
            return (
                _(
                    "%(sources)s, via %(site)s (%(organisation)s): “%(title)s”, %(url)s "
                    "(accessed %(date)s)."
                )
                % values
            )
        return _("%(organisation)s, “%(title)s”, %(site)s, %(url)s (accessed %(date)s).") % values

    @property
    def bibtex(self):
        # The organisation in double braces: a corporate author, never split into names.
        fields = [
            ("author", "{" + bibtex_escape(self.organisation) + "}"),
            ("title", bibtex_escape(self.title)),
            ("howpublished", bibtex_escape(settings.SITE_NAME)),
            ("url", bibtex_url(self.url)),
            ("urldate", self.accessed.isoformat()),
            ("note", bibtex_escape(self.note)),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@misc{{{self.key},\n{body}\n}}"

    @property
    def note(self):
        accessed = _("Accessed %(date)s") % {"date": format_date(self.accessed)}
        if not self.sources:
            return accessed
        return _("Data: %(sources)s. %(accessed)s") % {
            "sources": self.source_names,
            "accessed": accessed,
        }


def cite_indicator(indicator, url, site_settings, sources=()):
    """The citation of `indicator`'s page at absolute `url`, read today, naming `sources`
    (the Sources of the figures it shows)."""
    return Citation(
        organisation=site_settings.organisation_name or site_settings.short_name,
        title=indicator.name,
        url=url,
        accessed=timezone.localdate(),
        key=f"{slugify(settings.SITE_NAME)}-{indicator.code}",
        sources=tuple(sorted({source.name for source in sources})),
    )
