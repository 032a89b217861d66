"""Projects as IATI 2.03 activities: what a project still needs, and its XML.

`missing(project, publisher, today)` lists what keeps a project out of the file (empty: it
goes in); `activities_xml(projects, publisher, now)` builds the file from projects that need
nothing. A project is never written half-valid: either every element IATI requires is
there, or the project is left out and the admin says why (iati/admin.py).

What the portal does not know is not written: no percentage where staff gave no shares, no
organisation identifier staff did not enter, no organisation type where the portal's type
maps to several of IATI's (an NGO may be international, national or regional).
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from documents.models import Document
from formatting.xml_text import xml_safe
from projects.models import OrganisationType, ProjectStatus
from publishing.models import last_change
from regions.footnotes import plain_text
from wbportal.views import absolute_url

from . import codelists
from .fields import is_valid_identifier, parse_sectors

IATI_VERSION = "2.03"
XML_LANG = codelists.XML_LANG
# Every narrative is in the portal's language, said on each one (xml:lang).
LANGUAGE = settings.LANGUAGE_CODE.split("-")[0]

# The portal's statuses are IATI's ActivityStatus codes 1-6, one to one (projects.models).
ACTIVITY_STATUS = {
    ProjectStatus.PIPELINE: "1",
    ProjectStatus.IMPLEMENTATION: "2",
    ProjectStatus.FINALISATION: "3",
    ProjectStatus.CLOSED: "4",
    ProjectStatus.CANCELLED: "5",
    ProjectStatus.SUSPENDED: "6",
}
# The portal's organisation types with exactly one IATI OrganisationType code. "NGO" (IATI:
# international, national, regional or partner-country NGO) and "international
# organisation" (no IATI code of its own) have none: the type is then left out.
ORGANISATION_TYPE = {
    OrganisationType.GOVERNMENT: "10",
    OrganisationType.OTHER_PUBLIC: "15",
    OrganisationType.MULTILATERAL: "40",
    OrganisationType.PRIVATE: "70",
    OrganisationType.ACADEMIC: "80",
    OrganisationType.OTHER: "90",
}
FUNDING, IMPLEMENTING = "1", "4"  # OrganisationRole
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"  # ActivityDateType
GENERAL_DESCRIPTION = "1"  # DescriptionType
DAC_5_DIGIT, REPORTING_ORGANISATION = "1", "99"  # SectorVocabulary
ORIGINAL, INDICATIVE = "1", "1"  # BudgetType, BudgetStatus
ACTIVITY_WEB_PAGE = "A12"  # DocumentCategory


@dataclass(frozen=True)
class Publisher:
    """The reporting organisation: the site settings' publisher."""

    identifier: str
    type: str
    name: str

    @classmethod
    def from_site(cls, site):
        return cls(
            identifier=site.iati_organisation_identifier.strip(),
            type=site.iati_organisation_type,
            name=site.organisation_name,
        )

    def missing(self):
        """What the site settings still need before any file is published."""
        gaps = []
        if not self.identifier:
            gaps.append(_("The reporting organisation's IATI identifier (site settings)"))
        elif not is_valid_identifier(self.identifier, organisation=True):
            gaps.append(_("A valid IATI identifier of the reporting organisation (site settings)"))
        if not codelists.is_active("OrganisationType", self.type):
            gaps.append(_("The reporting organisation's IATI type (site settings)"))
        if not self.name.strip():
            gaps.append(_("The organisation name (site settings)"))
        return gaps


def missing(project, publisher, today):
    """What keeps `project` out of the IATI file, in the admin's words; [] if nothing.
    Reads the relations `ProjectQuerySet.for_iati()` prefetches."""
    gaps = []
    identifier = project.iati_identifier.strip()
    if not identifier:
        gaps.append(_("IATI identifier"))
    elif not is_valid_identifier(identifier):
        gaps.append(_("An IATI identifier without spaces, control characters or any of / & | ?"))
    elif publisher.identifier and not identifier.startswith(f"{publisher.identifier}-"):
        gaps.append(
            _("An IATI identifier that begins with the reporting organisation's, %(prefix)s")
            % {"prefix": f"{publisher.identifier}-"}
        )
    if not clean_text(str(project)):
        # Only characters XML cannot carry: an empty <narrative>, which IATI's rules refuse.
        gaps.append(_("A title with text"))
    if not clean_text(project.summary):
        gaps.append(_("Summary (IATI's description)"))
    if not (project.planned_start or project.actual_start):
        gaps.append(_("A start date (planned or actual)"))
    for label, value in (
        (_("actual start"), project.actual_start),
        (_("actual end"), project.actual_end),
    ):
        if value and value > today:
            gaps.append(_("An %(date)s that is not in the future") % {"date": label})
    if not (project.donors.all() or project.implementing_partners.all()):
        gaps.append(_("A donor or an implementing partner"))
    for organisation in (*project.donors.all(), *project.implementing_partners.all()):
        if not clean_text(organisation.name):
            gaps.append(
                _("A name with text for the organisation “%(slug)s”") % {"slug": organisation.slug}
            )
        if organisation.iati_identifier and not is_valid_identifier(
            organisation.iati_identifier, organisation=True
        ):
            gaps.append(
                _("A valid IATI organisation identifier of %(name)s (or none)")
                % {"name": organisation.name}
            )
    countries = list(project.countries.all())
    if not countries:
        gaps.append(_("A country (IATI's recipient country)"))
    for country in countries:
        if not codelists.is_active("Country", country.iso_code):
            gaps.append(
                _("%(country)s has no active code in IATI's Country list")
                % {"country": country.name}
            )
    if not project.iati_sectors.strip():
        gaps.append(_("DAC sectors"))
    else:
        try:
            parse_sectors(project.iati_sectors)
        except ValidationError as error:
            # Stored before a code was withdrawn from the list, or written around the form.
            gaps.append(_("DAC sectors: %(problems)s") % {"problems": " ".join(error.messages)})
    if project.budget is not None:
        if not codelists.is_active("Currency", project.currency):
            gaps.append(
                _("A currency in IATI's Currency list (not %(code)s)") % {"code": project.currency}
            )
        if not (project.start_date and project.end_date):
            gaps.append(_("A start and an end date (the period of the budget)"))
        elif project.start_date > project.end_date:
            gaps.append(_("An end date after the start date (the period of the budget)"))
    return gaps


def clean_text(text):
    return " ".join(xml_safe(text or "").split())


def _narrative(parent, text, footnoted):
    """A <narrative> in the portal's language; a footnoted country named in `text` carries
    its asterisk and note, as on the pages (regions.footnotes.plain_text)."""
    element = etree.SubElement(parent, "narrative")
    element.set(XML_LANG, LANGUAGE)
    element.text = plain_text(clean_text(text), footnoted)
    return element


def _sub(parent, tag, **attributes):
    element = etree.SubElement(parent, tag)
    for name, value in attributes.items():
        element.set(name.replace("_", "-"), value)
    return element


def _organisation(parent, tag, organisation, footnoted, **attributes):
    element = _sub(parent, tag, **attributes)
    if organisation.iati_identifier:
        element.set("ref", organisation.iati_identifier)
    organisation_type = ORGANISATION_TYPE.get(organisation.organisation_type)
    if organisation_type:
        element.set("type", organisation_type)
    _narrative(element, organisation.name, footnoted)
    return element


def _iso(value):
    return value.isoformat() if isinstance(value, date) else ""


def last_updated(project, documents=()):
    return last_change(project.updated_at, *[document.updated_at for document in documents])


def _documents(project):
    found = getattr(project, "iati_documents", None)
    if found is None:
        found = Document.objects.for_iati().filter(projects=project)
    return found


def activity_element(project, publisher, footnoted):
    """The `<iati-activity>` of a project that `missing()` found complete. `footnoted`: the
    footnoted countries (regions.footnotes.footnoted_countries())."""
    activity = etree.Element("iati-activity")
    documents = [
        document
        for document in _documents(project)
        if codelists.is_active("DocumentCategory", document.iati_category)
    ]
    updated = last_updated(project, documents)
    if updated:
        activity.set("last-updated-datetime", updated.isoformat(timespec="seconds"))
    activity.set(XML_LANG, LANGUAGE)
    if project.budget is not None:
        activity.set("default-currency", project.currency)

    _sub(activity, "iati-identifier").text = project.iati_identifier.strip()
    reporting = _sub(activity, "reporting-org", ref=publisher.identifier, type=publisher.type)
    _narrative(reporting, publisher.name, footnoted)
    _narrative(_sub(activity, "title"), str(project), footnoted)
    description = _sub(activity, "description", type=GENERAL_DESCRIPTION)
    _narrative(description, project.summary, footnoted)
    for donor in project.donors.all():
        _organisation(activity, "participating-org", donor, footnoted, role=FUNDING)
    for partner in project.implementing_partners.all():
        _organisation(activity, "participating-org", partner, footnoted, role=IMPLEMENTING)
    _sub(activity, "activity-status", code=ACTIVITY_STATUS[project.status])
    for date_type, value in (
        (PLANNED_START, project.planned_start),
        (ACTUAL_START, project.actual_start),
        (PLANNED_END, project.planned_end),
        (ACTUAL_END, project.actual_end),
    ):
        if value:
            _sub(activity, "activity-date", type=date_type, iso_date=_iso(value))

    # Shares across countries are not known to the portal: none is written (IATI asks for
    # them when there are several; the documentation says so).
    for country in project.countries.all():
        recipient = _sub(activity, "recipient-country", code=country.iso_code)
        _narrative(recipient, country.name, footnoted)

    sectors = parse_sectors(project.iati_sectors)
    for sector in sectors:
        element = _sub(activity, "sector", vocabulary=DAC_5_DIGIT, code=sector.code)
        if sector.percentage is not None:
            element.set("percentage", _decimal(sector.percentage))
        elif len(sectors) == 1:
            element.set("percentage", "100")
    themes = list(project.thematic_areas.all())
    for theme in themes:
        element = _sub(
            activity,
            "sector",
            vocabulary=REPORTING_ORGANISATION,
            vocabulary_uri=absolute_url(reverse("projects:project-list")),
            code=theme.slug,
        )
        if len(themes) == 1:
            element.set("percentage", "100")
        _narrative(element, theme.name, footnoted)

    if project.budget is not None:
        budget = _sub(activity, "budget", type=ORIGINAL, status=INDICATIVE)
        _sub(budget, "period-start", iso_date=_iso(project.start_date))
        _sub(budget, "period-end", iso_date=_iso(project.end_date))
        value = _sub(
            budget, "value", currency=project.currency, value_date=_iso(project.start_date)
        )
        value.text = _decimal(project.budget)

    page = _sub(
        activity,
        "document-link",
        format="text/html",
        url=absolute_url(project.get_absolute_url()),
    )
    _narrative(_sub(page, "title"), str(project), footnoted)
    _sub(page, "category", code=ACTIVITY_WEB_PAGE)
    _sub(page, "language", code=LANGUAGE)
    for document in documents:
        _document_link(activity, document, footnoted)
    return activity


def _document_link(activity, document, footnoted):
    """A public document of the project: its file where the portal has it, else its page."""
    kind = document.kind if document.file else None
    link = _sub(
        activity,
        "document-link",
        format=kind.content_type if kind else "text/html",
        url=absolute_url(document.file_url if kind else document.get_absolute_url()),
    )
    _narrative(_sub(link, "title"), document.title, footnoted)
    _sub(link, "category", code=document.iati_category)
    if codelists.is_active("Language", document.language):
        _sub(link, "language", code=document.language)
    if document.date:
        _sub(link, "document-date", iso_date=_iso(document.date))


def _decimal(value):
    """A decimal as XML Schema writes it: no exponent, no trailing zeros after the point."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def activities_xml(projects, publisher, generated, footnoted):
    """The `<iati-activities>` file of `projects` (each complete), as UTF-8 bytes."""
    root = etree.Element("iati-activities", version=IATI_VERSION)
    root.set("generated-datetime", generated.isoformat(timespec="seconds"))
    for project in projects:
        root.append(activity_element(project, publisher, footnoted))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def split(projects, publisher, today):
    """(complete projects, [(project, what it is missing)]) in the given order."""
    complete, left_out = [], []
    for project in projects:
        gaps = missing(project, publisher, today)
        if gaps:
            left_out.append((project, gaps))
        else:
            complete.append(project)
    return complete, left_out


# Projects read at a time by any_complete().
CHECK_BATCH = 50


def any_complete(projects, publisher, today):
    """Whether one of `projects` (a `for_iati()` QuerySet) needs nothing: what the "Open
    data" link of the project list asks, without reading every project. Those that cannot be
    complete are left out in the query; the rest are checked a batch at a time."""
    candidates = (
        projects.exclude(iati_identifier="")
        .exclude(iati_sectors="")
        .filter(Q(planned_start__isnull=False) | Q(actual_start__isnull=False))
    )
    start, batch = 0, CHECK_BATCH
    while True:
        chunk = list(candidates[start : start + batch])
        if any(not missing(project, publisher, today) for project in chunk):
            return True
        if len(chunk) < batch:
            return False
        start += batch


def now_and_today():
    now = timezone.now()
    return now, timezone.localdate(now)
