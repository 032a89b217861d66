"""The portal's SDMX data structure: its identifiers, how an observation's fields become
codes, and the structure message (SDMX-ML 2.1) with the code lists the data refers to.

One dataflow (DF_INDICATORS) of one data structure (DSD_INDICATORS) holds every indicator:
dimensions INDICATOR, REF_AREA, CATEGORY and TIME_PERIOD, the figure as OBS_VALUE, and
attributes for what the portal knows of each figure (status, qualifier, unit, source, the
portal's own computation, the area as the source names it, the source's note).

Statuses become SDMX's own observation status codes (CL_OBS_STATUS of the SDMX
cross-domain code lists) only where they say the same thing; a value whose source says
nothing of its status has no OBS_STATUS, and the qualifiers ("more than", "about") have a
code list of the portal's own, since no SDMX observation status or confidentiality flag
means what they mean (docs/developers/sdmx.md has the table).
"""

import hashlib
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from formatting.xml_text import xml_safe
from pages.models import SiteSettings
from regions.models import Country, Region
from wbportal.views import absolute_url

from ..attribution import source_licence
from ..models import (
    QUALIFIER_MEANINGS,
    STATUS_MEANINGS,
    Indicator,
    Observation,
    ObservationStatus,
    Source,
    ValueQualifier,
)

# The portal maintains its own structures; it is no agency of the SDMX global registry, so
# the identifier is its own (and the structures are not final: codes are added with data).
AGENCY = "WBPORTAL"
VERSION = "1.0"
DATAFLOW = "DF_INDICATORS"
DSD = "DSD_INDICATORS"
CONCEPT_SCHEME = "CS_INDICATORS"
# How SDMX-CSV names the dataflow its rows belong to.
STRUCTURE_ID = f"{AGENCY}:{DATAFLOW}({VERSION})"

STRUCTURE_MEDIA_TYPE = "application/vnd.sdmx.structure+xml; version=2.1"

# The portal's status -> SDMX's observation status code (SDMX:CL_OBS_STATUS). "As published"
# (the source says nothing of the value's status) has none: "A" (normal value) would say
# what the source does not; "final" is the source's word for it. "Not available" is SDMX's
# plain "missing value" (O), not "data cannot exist" (M), which no source says.
OBS_STATUS = {
    ObservationStatus.AS_PUBLISHED: "",
    ObservationStatus.FINAL: "A",
    ObservationStatus.PROVISIONAL: "P",
    ObservationStatus.ESTIMATED: "E",
    ObservationStatus.NOT_AVAILABLE: "O",
    ObservationStatus.SUPPRESSED: "Q",
}
# SDMX's own names of these codes (CL_OBS_STATUS 2.0), not translated: they are SDMX's.
OBS_STATUS_NAMES = {
    "A": "Normal value",
    "P": "Provisional value",
    "E": "Estimated value",
    "O": "Missing value",
    "Q": "Missing value; suppressed",
}
# The portal's qualifiers as codes of its own code list (CL_VALUE_QUALIFIER).
QUALIFIER_CODES = {
    ValueQualifier.MORE_THAN: "MORE_THAN",
    ValueQualifier.LESS_THAN: "LESS_THAN",
    ValueQualifier.ABOUT: "ABOUT",
}
# COMPUTED: a figure the portal computed from other indicators (statistics.derived).
COMPUTED_CODE = "PORTAL"
# The total of an area (blank category): SDMX's conventional code for a total.
TOTAL_CODE = "_T"

NS = {
    "mes": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message",
    "str": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure",
    "com": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_NOT_IN_ID = re.compile(r"[^A-Za-z0-9_-]+")


def category_code(category: str) -> str:
    """The code of a breakdown's category: the category itself where it is a valid SDMX
    identifier ("Afghanistan"), else its letters and digits with a short digest of the exact
    text ("Syrian_Arab_Republic_1f2e3d4c"), so each category keeps one code for ever, whatever
    other categories come; "_T" for an area's total (a blank category)."""
    if not category:
        return TOTAL_CODE
    ascii = unicodedata.normalize("NFKD", category).encode("ascii", "ignore").decode()
    readable = _NOT_IN_ID.sub("_", ascii).strip("_")[:60]
    if readable == category and category != TOTAL_CODE:
        return category
    digest = hashlib.sha256(category.encode()).hexdigest()[:8]
    return f"{readable}_{digest}" if readable else f"C_{digest}"


def obs_status(status: str) -> str:
    return OBS_STATUS[ObservationStatus(status)]


def qualifier_code(qualifier: str) -> str:
    return QUALIFIER_CODES[ValueQualifier(qualifier)] if qualifier else ""


# --- the components ------------------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    id: str
    name: str
    codelist: str = ""  # coded; else `text_type`
    text_type: str = "String"
    description: str = ""


@dataclass(frozen=True)
class Code:
    id: str
    name: str
    description: str = ""
    annotations: tuple[tuple[str, str, str, str], ...] = ()  # (type, title, url, text)


@dataclass
class Codelist:
    id: str
    name: str
    description: str = ""
    codes: list[Code] = field(default_factory=list)


def dimensions() -> list[Component]:
    """In key order; the time dimension last, as SDMX wants it."""
    return [
        Component("INDICATOR", _("Indicator"), codelist="CL_INDICATOR"),
        Component("REF_AREA", _("Reference area"), codelist="CL_AREA"),
        Component("CATEGORY", _("Category of the breakdown"), codelist="CL_CATEGORY"),
        Component("TIME_PERIOD", _("Time period"), text_type="ObservationalTimePeriod"),
    ]


def measure() -> Component:
    return Component(
        "OBS_VALUE",
        _("Observation value"),
        text_type="Decimal",
        description=_("Empty where the source publishes no number (see OBS_STATUS)."),
    )


def attributes() -> list[Component]:
    """Each attached to the observation (all are conditional: blank where nothing applies)."""
    return [
        Component(
            "OBS_STATUS",
            _("Observation status"),
            codelist="CL_OBS_STATUS",
            description=_("Blank where the source says nothing of the value's status."),
        ),
        Component(
            "VALUE_QUALIFIER",
            _("Value qualifier"),
            codelist="CL_VALUE_QUALIFIER",
            description=_("How the source qualifies the number; blank for an exact figure."),
        ),
        Component("UNIT_MEASURE", _("Unit of measure"), description=_("What the value counts.")),
        Component("SOURCE", _("Source"), codelist="CL_SOURCE"),
        Component(
            "COMPUTED",
            _("Computed by the portal"),
            codelist="CL_COMPUTED",
            description=_("Blank for a figure as its source publishes it."),
        ),
        Component(
            "AREA_LABEL",
            _("Area as the source names it"),
            description=_(
                "Set where the source's area is not simply the reference area: such a value "
                "is not the reference area's alone."
            ),
        ),
        Component("COMMENT_OBS", _("Observation comment"), description=_("The source's note.")),
    ]


# --- the code lists ------------------------------------------------------------------------


def _text(markdown: str) -> str:
    return " ".join(markdown.split())


def codelists() -> list[Codelist]:
    """Every code list the data refers to, of public content only: the indicators, the
    public areas (Kosovo* with its marker in the name and the footnote as an annotation),
    the categories and sources of public figures, and the fixed ones. Six queries."""
    indicators = Codelist(
        "CL_INDICATOR",
        _("Indicators"),
        codes=[
            Code(
                indicator.code,
                indicator.name,
                _text(indicator.description),
                (("URL", _("Indicator page"), absolute_url(indicator.get_absolute_url()), ""),),
            )
            for indicator in Indicator.objects.order_by("order", "code")
        ],
    )
    areas = Codelist(
        "CL_AREA",
        _("Reference areas"),
        _(
            "Countries by ISO 3166-1 alpha-2 code (XK for Kosovo*), regions by the portal's "
            "own code."
        ),
    )
    for country in Country.objects.public().order_by("iso_code"):
        notes = (("FOOTNOTE", "*", "", country.footnote),) if country.footnote else ()
        areas.codes.append(Code(country.iso_code, country.display_name, "", notes))
    for region in Region.objects.published().order_by("code"):
        areas.codes.append(Code(region.code, region.name, _("A region: its countries together.")))
    categories = Codelist(
        "CL_CATEGORY",
        _("Categories of breakdowns"),
        _("A breakdown's categories (a nationality, for instance); _T for an area's total."),
        [Code(TOTAL_CODE, _("Total"))],
    )
    public = Observation.objects.public()
    for category in (
        public.exclude(category="").order_by("category").values_list("category", flat=True)
    ).distinct():
        categories.codes.append(Code(category_code(category), category))
    site = SiteSettings.objects.current()
    sources = Codelist("CL_SOURCE", _("Sources"))
    for source in Source.objects.filter(pk__in=public.values("source")).order_by("code"):
        licence = source_licence(source, site)
        notes = (
            (("LICENCE", licence["name"], licence["url"], ""),)
            if licence
            else (("TERMS", "", source.terms_url, source.terms or _("The source states none.")),)
        )
        url = (("URL", _("Website"), source.url, ""),) if source.url else ()
        sources.codes.append(Code(source.code, source.name, "", notes + url))
    statuses = Codelist(
        "CL_OBS_STATUS",
        _("Observation status"),
        _("Codes of SDMX's cross-domain code list CL_OBS_STATUS, those the portal uses."),
        [
            Code(code, OBS_STATUS_NAMES[code], str(STATUS_MEANINGS[status]))
            for status, code in OBS_STATUS.items()
            if code
        ],
    )
    qualifiers = Codelist(
        "CL_VALUE_QUALIFIER",
        _("Value qualifiers"),
        codes=[
            Code(code, str(qualifier.label), str(QUALIFIER_MEANINGS[qualifier]))
            for qualifier, code in QUALIFIER_CODES.items()
        ],
    )
    computed = Codelist(
        "CL_COMPUTED",
        _("Computed figures"),
        codes=[
            Code(
                COMPUTED_CODE,
                _("Computed by the portal"),
                _(
                    "Computed by the portal from other indicators' figures (a total or a "
                    "rate), as the indicator's page explains; not published by a source."
                ),
            )
        ],
    )
    return [indicators, areas, categories, statuses, qualifiers, sources, computed]


# --- the message ---------------------------------------------------------------------------


def _el(parent: ET.Element, prefix: str, tag: str, text: str = "", **attrs: str) -> ET.Element:
    attrs = {name: xml_safe(value) for name, value in attrs.items()}
    element = ET.SubElement(parent, f"{{{NS[prefix]}}}{tag}", attrs)
    if text:
        element.text = xml_safe(text)
    return element


def _names(element: ET.Element, name: str, description: str = "") -> None:
    lang = translation.get_language() or "en"
    _el(element, "com", "Name", name, **{XML_LANG: lang})
    if description:
        _el(element, "com", "Description", description, **{XML_LANG: lang})


def _annotations(element: ET.Element, annotations: Iterable[tuple[str, str, str, str]]) -> None:
    annotations = list(annotations)
    if not annotations:
        return
    wrapper = _el(element, "com", "Annotations")
    for kind, title, url, text in annotations:
        annotation = _el(wrapper, "com", "Annotation")
        if title:
            _el(annotation, "com", "AnnotationTitle", title)
        _el(annotation, "com", "AnnotationType", kind)
        if url:
            _el(annotation, "com", "AnnotationURL", url)
        if text:
            lang = translation.get_language() or "en"
            _el(annotation, "com", "AnnotationText", text, **{XML_LANG: lang})


def _ref(parent: ET.Element, **attrs: str) -> None:
    # Ref is unqualified in SDMX-ML 2.1 (no namespace).
    ET.SubElement(parent, "Ref", attrs)


def _maintainable(
    parent: ET.Element, tag: str, id: str, name: str, description: str = ""
) -> ET.Element:
    element = _el(parent, "str", tag, id=id, agencyID=AGENCY, version=VERSION, isFinal="false")
    _names(element, name, description)
    return element


def _component(parent: ET.Element, tag: str, component: Component, **attrs: str) -> ET.Element:
    element = _el(parent, "str", tag, id=component.id, **attrs)
    identity = _el(element, "str", "ConceptIdentity")
    _ref(
        identity,
        id=component.id,
        maintainableParentID=CONCEPT_SCHEME,
        maintainableParentVersion=VERSION,
        agencyID=AGENCY,
        package="conceptscheme",
        **{"class": "Concept"},
    )
    representation = _el(element, "str", "LocalRepresentation")
    if component.codelist:
        enumeration = _el(representation, "str", "Enumeration")
        _ref(
            enumeration,
            id=component.codelist,
            version=VERSION,
            agencyID=AGENCY,
            package="codelist",
            **{"class": "Codelist"},
        )
    else:
        _el(representation, "str", "TextFormat", textType=component.text_type)
    return element


def structure_xml() -> bytes:
    """The structure message: the dataflow, the code lists, the concepts and the DSD."""
    root = ET.Element(f"{{{NS['mes']}}}Structure")
    header = _el(root, "mes", "Header")
    _el(header, "mes", "ID", "WBPORTAL_STRUCTURE")
    _el(header, "mes", "Test", "false")
    _el(header, "mes", "Prepared", timezone.now().replace(microsecond=0).isoformat())
    _el(header, "mes", "Sender", id=AGENCY)
    structures = _el(root, "mes", "Structures")

    # In the order of the SDMX-ML 2.1 schema: dataflows, code lists, concepts, structures.
    flows = _el(structures, "str", "Dataflows")
    flow = _maintainable(
        flows,
        "Dataflow",
        DATAFLOW,
        _("Migration indicators"),
        _("Every public figure of the portal's indicators, each under its source's terms."),
    )
    _ref(
        _el(flow, "str", "Structure"),
        id=DSD,
        version=VERSION,
        agencyID=AGENCY,
        package="datastructure",
        **{"class": "DataStructure"},
    )

    lists = _el(structures, "str", "Codelists")
    for codelist in codelists():
        element = _maintainable(lists, "Codelist", codelist.id, codelist.name, codelist.description)
        for code in codelist.codes:
            item = _el(element, "str", "Code", id=code.id)
            _annotations(item, code.annotations)
            _names(item, code.name, code.description)

    components = dimensions() + [measure()] + attributes()
    concepts = _maintainable(
        _el(structures, "str", "Concepts"), "ConceptScheme", CONCEPT_SCHEME, _("Concepts")
    )
    for component in components:
        _names(
            _el(concepts, "str", "Concept", id=component.id), component.name, component.description
        )

    structure = _maintainable(
        _el(structures, "str", "DataStructures"),
        "DataStructure",
        DSD,
        _("Migration indicators"),
    )
    parts = _el(structure, "str", "DataStructureComponents")
    dimension_list = _el(parts, "str", "DimensionList", id="DimensionDescriptor")
    for position, dimension in enumerate(dimensions(), start=1):
        tag = "TimeDimension" if dimension.id == "TIME_PERIOD" else "Dimension"
        _component(dimension_list, tag, dimension, position=str(position))
    attribute_list = _el(parts, "str", "AttributeList", id="AttributeDescriptor")
    for attribute in attributes():
        element = _component(attribute_list, "Attribute", attribute, assignmentStatus="Conditional")
        relationship = _el(element, "str", "AttributeRelationship")
        _ref(_el(relationship, "str", "PrimaryMeasure"), id="OBS_VALUE")
    measure_list = _el(parts, "str", "MeasureList", id="MeasureDescriptor")
    _component(measure_list, "PrimaryMeasure", measure())
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
