"""What staff type into IATI fields, checked as they save (used by the projects and pages
models, so a stored value is always one the builder can publish).

- Identifiers (organisation and activity): IATI forbids spaces and the characters / & | ?
  in them; an organisation identifier is `{registration agency}-{number}`, e.g.
  XM-DAC-41101. Identifiers are never made up by the portal: blank means "not known".
- Sectors: OECD DAC 5-digit codes (active in the Sector code list), one a line or separated
  by commas, each with its share in percent when there are several ("15190 60, 13010 40"):
  IATI wants the shares of one vocabulary to add up to 100.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import codelists

# Control characters too: XML cannot carry them, and one in a single identifier would make
# the whole file unwritable.
_FORBIDDEN = re.compile(r"[\s/&|?\x00-\x1f\x7f-\x9f]")
_ORGANISATION = re.compile(r"^[A-Za-z0-9]+(-[^-\s/&|?]+)+$")
_SEPARATORS = re.compile(r"[,;\n]+")
_ENTRY = re.compile(r"^(?P<code>\d{5})(?:\s+(?P<share>\d+(?:[.,]\d+)?)\s*%?)?$")


def validate_activity_identifier(value: str) -> None:
    if _FORBIDDEN.search(value):
        raise ValidationError(
            _(
                "An IATI identifier has no spaces, no control characters and none of the "
                "characters / & | ?."
            ),
            code="iati_identifier",
        )


def validate_organisation_identifier(value: str) -> None:
    validate_activity_identifier(value)
    if not _ORGANISATION.match(value):
        raise ValidationError(
            _(
                "Write the organisation identifier as IATI's registration agency code, a "
                "hyphen and the number it issued, e.g. XM-DAC-41101."
            ),
            code="iati_organisation_identifier",
        )


@dataclass(frozen=True)
class SectorShare:
    code: str
    percentage: Decimal | None


def parse_sectors(text: str) -> list[SectorShare]:
    """The sectors in `text`; ValidationError naming every problem."""
    entries = [entry.strip() for entry in _SEPARATORS.split(text or "") if entry.strip()]
    sectors: list[SectorShare] = []
    problems: list[str] = []
    for entry in entries:
        match = _ENTRY.match(entry)
        if not match:
            problems.append(
                _("“%(entry)s” is not a 5-digit DAC code, optionally followed by its share.")
                % {"entry": entry}
            )
            continue
        code = match["code"]
        if not codelists.is_active("Sector", code):
            problems.append(
                _("%(code)s is not an active DAC 5-digit sector code.") % {"code": code}
            )
            continue
        share = None
        if match["share"]:
            try:
                share = Decimal(match["share"].replace(",", "."))
            except InvalidOperation:  # the pattern allows digits only; kept for safety
                share = None
            if share is None or not 0 < share <= 100:
                problems.append(
                    _("The share of %(code)s must be above 0 and at most 100.") % {"code": code}
                )
        sectors.append(SectorShare(code, share))
    codes = [sector.code for sector in sectors]
    if len(set(codes)) != len(codes):
        problems.append(_("Each sector code may appear once."))
    given = [sector.percentage for sector in sectors if sector.percentage is not None]
    if not problems and (len(sectors) > 1 or given):
        if len(given) != len(sectors):
            problems.append(
                _(
                    "With several sectors, give each one's share in percent, e.g. "
                    "“15190 60, 13010 40”."
                )
            )
        elif sum(given) != 100:
            problems.append(_("The sectors' shares must add up to 100."))
    if problems:
        raise ValidationError(problems, code="iati_sectors")
    return sectors


def is_valid_identifier(value: str, *, organisation: bool = False) -> bool:
    """Whether a stored identifier is one IATI takes (it may have been stored before a rule
    was added, or written around the form): the builder leaves out what it cannot write."""
    validate = validate_organisation_identifier if organisation else validate_activity_identifier
    try:
        validate(value)
    except ValidationError:
        return False
    return True


def validate_sectors(value: str) -> None:
    parse_sectors(value)
