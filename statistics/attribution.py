"""Whose figures they are and under what terms: the records the downloads carry.

A figure belongs to its source. The JSON download (the CSV's sidecar) gives each source's
record: its publisher, licence or terms (or that it states none), citation and reference date.
The portal's own data licence (SiteSettings) is that of the sources marked as the portal's own
compilation, and of no other. Pages say the same through templates/statistics/_source_terms.html
and _source_attribution.html, which read the same Source fields.
"""

from django.utils.translation import gettext as _

from formatting.display import format_date

from .models import (
    QUALIFIER_MEANINGS,
    STATUS_MEANINGS,
    ObservationStatus,
    ValueQualifier,
)


def portal_licence(site):
    """The licence of the portal's own compilations, from the site settings."""
    return {"name": site.data_licence_name, "url": site.data_licence_url}


def source_licence(source, site):
    """{"name", "url"} of the licence a source's figures are under, or None if it states none."""
    if source.is_own_compilation:
        return portal_licence(site)
    if source.licence_name_and_url:
        name, url = source.licence_name_and_url
        return {"name": name, "url": url}
    return None


def source_dating(source):
    """What the source itself says of when its figures are from, "" when it says nothing:
    "14 May 2025 (release 2025.12.1)", "14 May 2025", "release 2025.12.1". The headline
    date of an indicator's figures: not the day they were added to the portal."""
    date = format_date(source.reference_date) if source.reference_date else ""
    if date and source.edition:
        return _("%(date)s (release %(edition)s)") % {"date": date, "edition": source.edition}
    if source.edition:
        return _("release %(edition)s") % {"edition": source.edition}
    return date


def attribution_text(source):
    """One line naming whose figures they are: "IOM: <source>, as of 14 May 2025"."""
    text = source.name
    if source.publisher and source.publisher != source.name:
        text = _("%(publisher)s: %(source)s") % {"publisher": source.publisher, "source": text}
    if source.edition:
        text = _("%(source)s, release %(edition)s") % {"source": text, "edition": source.edition}
    if source.reference_date:
        text = _("%(source)s, as of %(date)s") % {
            "source": text,
            "date": format_date(source.reference_date),
        }
    return text


def source_record(source, site):
    """A source as the JSON download describes it."""
    return {
        "code": source.code,
        "name": source.name,
        "url": source.url,
        "publisher": source.publisher,
        "attribution": attribution_text(source),
        "own_compilation": source.is_own_compilation,
        "licence": source_licence(source, site),
        "terms": source.terms,
        "terms_url": source.terms_url,
        "terms_stated": source.states_terms,
        "citation": source.citation,
        "reference_date": source.reference_date.isoformat() if source.reference_date else None,
        "edition": source.edition or None,
    }


def common_licence(sources, site, unsourced=False):
    """The one licence every value is under, or None: values of sources under different
    terms, of a source that states none, or without a source share no licence."""
    licences = {
        None if licence is None else (licence["name"], licence["url"])
        for licence in (source_licence(source, site) for source in sources)
    }
    if unsourced or len(licences) != 1 or None in licences:
        return None
    name, url = licences.pop()
    return {"name": name, "url": url}


def status_records():
    return [
        {"code": status.value, "label": str(status.label), "meaning": str(STATUS_MEANINGS[status])}
        for status in ObservationStatus
    ]


def qualifier_records():
    return [
        {
            "code": qualifier.value,
            "label": str(qualifier.label),
            "meaning": str(QUALIFIER_MEANINGS[qualifier]),
        }
        for qualifier in ValueQualifier
        if qualifier
    ]
