"""The IATI 2.03 code lists, read from the copies kept in this app (iati/standard/2.03/).

Only the copies in the repository are read, never a folder outside it: the files the portal
publishes must not change because a shared folder did. `refresh_iati_standard` replaces the
copies (iati/README.md says how and where they come from).

A code list item is active unless it says `status="withdrawn"` (the embedded lists carry no
status at all). Choices offered to staff and codes written to a file are active codes only.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

STANDARD_DIR = Path(__file__).resolve().parent / "standard" / "2.03"
CODELIST_DIR = STANDARD_DIR / "codelists"
SCHEMA_PATH = STANDARD_DIR / "iati-activities-schema.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    active: bool
    category: str = ""  # e.g. "A" (activity level) in DocumentCategory


class UnknownCodelist(LookupError):
    pass


@cache
def codelist(name: str) -> dict[str, Code]:
    """Every item of the code list `name` (e.g. "Sector"), by code, in the file's order."""
    path = CODELIST_DIR / f"{name}.xml"
    if not path.is_file():
        raise UnknownCodelist(f"No IATI code list named {name!r} in {CODELIST_DIR}.")
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    items = {}
    for item in root.iterfind("codelist-items/codelist-item"):
        code = (item.findtext("code") or "").strip()
        items[code] = Code(
            code=code,
            name=_english_name(item),
            active=item.get("status", "active") == "active",
            category=(item.findtext("category") or "").strip(),
        )
    return items


def _english_name(item: etree._Element) -> str:
    for narrative in item.iterfind("name/narrative"):
        if narrative.get(XML_LANG, "en") == "en":
            return " ".join((narrative.text or "").split())
    return ""


def is_active(name: str, code: str) -> bool:
    found = codelist(name).get(code)
    return found is not None and found.active


def active_codes(name: str) -> frozenset[str]:
    return frozenset(code for code, item in codelist(name).items() if item.active)


def label(name: str, code: str) -> str:
    """ "15190 – Facilitation of orderly, ..." for the admin; the code alone if unknown."""
    found = codelist(name).get(code)
    return f"{code} \u2013 {found.name}" if found and found.name else code


def choices(name: str) -> list[tuple[str, str]]:
    """(code, "code – name") of the active codes of `name`, for a form field."""
    return [(code, label(name, code)) for code, item in codelist(name).items() if item.active]


def organisation_type_choices() -> list[tuple[str, str]]:
    return choices("OrganisationType")


def activity_document_category_choices() -> list[tuple[str, str]]:
    """Active DocumentCategory codes of the activity level (A01-A12): the kinds of document
    a project's documents are."""
    return [
        (code, label("DocumentCategory", code))
        for code, item in codelist("DocumentCategory").items()
        if item.active and item.category == "A"
    ]


def clear() -> None:
    """Forget the lists read (after `refresh_iati_standard` replaced the files)."""
    codelist.cache_clear()
