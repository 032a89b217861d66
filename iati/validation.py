"""Checking files against the official IATI 2.03 schemas, offline.

The schema is built once per process (about half a second): `allow="local"` keeps xmlschema
from fetching the W3C files that xml.xsd names by URL, so nothing leaves the machine.
"""

from functools import cache

import xmlschema
from lxml import etree

from . import codelists


@cache
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(codelists.SCHEMA_PATH), allow="local")


def errors(xml: bytes | str) -> list[str]:
    """Every schema error of the document `xml` (empty: it validates)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(xml.encode() if isinstance(xml, str) else xml, parser)
    return [str(error.reason or error) for error in schema().iter_errors(root)]
