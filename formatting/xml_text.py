"""Text written into the portal's XML files (SDMX structure, IATI activities, chart SVGs)."""

import re

# Characters XML 1.0 cannot hold, even escaped: one in a name, category or note (an import
# or a staff form keeps what it was given) would make the whole file unreadable.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold."""
    return _NOT_IN_XML.sub("", text)
