"""Area names and codes as sources write them -> the portal's area codes, through one dict.

The shared table (`AreaName`: ISO3, old and local names...) is read once per import together
with the countries' and regions' own codes and names; a profile's `areas` exceptions override
it. Labels compare casefolded, in Unicode NFC, with runs of white space as one space: accents
count ("Črna gora" and "Crna Gora" are two names, both in the table).
"""

import unicodedata

from django.utils.translation import gettext as _

from regions.models import Country, Region

from ..models import AreaName
from .format import SKIP


def name_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def shared_names() -> dict[str, str]:
    """name key -> area code, from the countries, the regions and the shared names table."""
    names: dict[str, str] = {}
    for code, name in Region.objects.values_list("code", "name"):
        names[name_key(name)] = code
        names[name_key(code)] = code
    for code, name, local in Country.objects.values_list("iso_code", "name", "local_name"):
        names[name_key(name)] = code
        for part in local.split(" / "):
            if part.strip():
                names[name_key(part)] = code
        names[name_key(code)] = code
    for name, code in AreaName.objects.values_list("name", "country__iso_code"):
        names[name_key(name)] = code
    return names


class AreaResolver:
    """`resolve(label)` -> (area code or SKIP, area label); ValueError for an unknown label.

    A label mapped by the profile's own exceptions is returned as the area label (the
    observation's `area_label`), so a page shows what the source wrote (e.g. a figure for
    "Serbia and Kosovo: S/RES/1244 (1999)" that the profile files under Serbia); a name of the
    shared table gives "" (the area is simply the portal's)."""

    def __init__(self, exceptions: dict[str, str], names: dict[str, str] | None = None) -> None:
        self.names = shared_names() if names is None else names
        self.exceptions = {name_key(label): code.strip() for label, code in exceptions.items()}
        # label -> (area code or SKIP, area label), or the message of the ValueError it raises
        self.cache: dict[str, tuple[str, str] | str] = {}

    def resolve(self, label: str) -> tuple[str, str]:
        found = self.cache.get(label)
        if found is None:
            found = self.cache[label] = self._resolve(label)
        if isinstance(found, str):
            raise ValueError(found)
        return found

    def _resolve(self, label: str) -> tuple[str, str] | str:
        key = name_key(label)
        if key in self.exceptions:
            code = self.exceptions[key]
            if code.lower() == SKIP:
                return (SKIP, "")
            code = self.names.get(name_key(code), code.upper())  # "SRB" as well as "RS"
            return (code, " ".join(label.split()))
        known = self.names.get(key)
        if known is None:
            return _(
                "'%(label)s' is not a known area name or code. Add it to the shared area "
                "names, or to the profile's “Area names of this source” (an area code, or "
                "“skip”) [areas], or turn on “Only areas we know” [unknown_areas]."
            ) % {"label": label}
        return (known, "")
