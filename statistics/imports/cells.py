"""One cell at a time: formula neutralising, numbers under one explicit convention, cell text.

A semicolon file writes numbers with a decimal comma (and optional '.' thousands); a comma
file and XLSX text use '.' as decimal point and no grouping. Anything else is refused with a
message saying what is accepted, never guessed.
"""

import datetime
import re
from decimal import Decimal

from django.utils.translation import gettext as _

# Formula neutralising is shared by every CSV the site writes: kept in formatting.spreadsheet,
# re-exported here for the pipeline's modules.
from formatting.spreadsheet import neutralise as neutralise
from formatting.spreadsheet import unneutralise as unneutralise

from ..models import Observation, ValueQualifier
from .rows import Cell

MAX_DECIMALS = Observation._meta.get_field("value").decimal_places
MAX_DIGITS = Observation._meta.get_field("value").max_digits
# Signs a value cell may start with (">1200"): they set the qualifier.
VALUE_SIGNS = {">": ValueQualifier.MORE_THAN, "<": ValueQualifier.LESS_THAN}
VALUE_SIGNS.update({"~": ValueQualifier.ABOUT, "\u2248": ValueQualifier.ABOUT})

_PLAIN_POINT = re.compile(r"^-?\d+(?:\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$")


def parse_number(text: str, decimal_comma: bool) -> Decimal:
    """Parse `text` under one explicit convention; raise ValueError saying what is accepted."""
    text = text.strip()
    if decimal_comma:
        if not _DECIMAL_COMMA.match(text):
            raise ValueError(
                _(
                    "'%(text)s' is not a number; this semicolon file accepts a number with a "
                    "decimal comma, e.g. 1200,5 or 1.200,5 ('.' only groups thousands)."
                )
                % {"text": text}
            )
        normal = text.replace(".", "").replace(",", ".")
    else:
        if not _PLAIN_POINT.match(text):
            raise ValueError(
                _(
                    "'%(text)s' is not a number; this file accepts a number with '.' as decimal "
                    "point and no thousands separator, e.g. 1200.5."
                )
                % {"text": text}
            )
        normal = text
    return check_decimal(Decimal(normal), text)


def check_decimal(value: Decimal, shown: str) -> Decimal:
    """`value` if the database column holds it exactly; ValueError naming `shown` if not."""
    _sign, digits, exponent = value.as_tuple()
    if isinstance(exponent, str):
        # "n", "N" or "F": not a number, or infinite (an XLSX number cell such as 1e999).
        raise ValueError(_("'%(text)s' is not a number.") % {"text": shown})
    if exponent < -MAX_DECIMALS and value != value.quantize(Decimal(1).scaleb(-MAX_DECIMALS)):
        raise ValueError(
            _("'%(text)s' has more than %(places)d decimal places.")
            % {"text": shown, "places": MAX_DECIMALS}
        )
    integer_digits = len(digits) + exponent
    if integer_digits > MAX_DIGITS - MAX_DECIMALS:
        raise ValueError(
            _("'%(text)s' is too large (at most %(digits)d digits before the decimal point).")
            % {"text": shown, "digits": MAX_DIGITS - MAX_DECIMALS}
        )
    return value


def format_number(value: Decimal) -> str:
    """A Decimal as plain text for the contract: '.' decimal point, no exponent, no padding."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", ""} else text


def cell_text(value: Cell) -> str:
    """A cell as text: XLSX gives numbers and dates, CSV gives strings."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def cell_value(value: Cell, decimal_comma: bool) -> Decimal | None:
    """A value cell as a Decimal, or None for an empty cell; ValueError if it is no number."""
    if isinstance(value, bool):
        raise ValueError(_("'%(text)s' is not a number.") % {"text": value})
    if isinstance(value, int):
        return check_decimal(Decimal(value), str(value))
    if isinstance(value, float):
        return check_decimal(Decimal(repr(value)), repr(value))
    if isinstance(value, Decimal):
        return check_decimal(value, str(value))
    text = cell_text(value)
    if not text:
        return None  # allowed only for a cell without a number (validation checks the status)
    if text.startswith("+"):
        raise ValueError(
            _(
                "'%(text)s': write the number without '+'. If the source means \"more than\", "
                "put more_than (or '>') in the qualifier column, or write '>' before the number."
            )
            % {"text": text}
        )
    return parse_number(text, decimal_comma)


def split_sign(value: Cell) -> tuple[str, Cell]:
    """A value cell's leading qualifier sign (">1200"): (qualifier or "", rest of the cell)."""
    if not isinstance(value, str):
        return "", value
    text = value.strip()
    if text[:1] in VALUE_SIGNS:
        return VALUE_SIGNS[text[0]], text[1:].strip()
    return "", value


def ambiguous_date(cell: Cell) -> bool:
    """A date cell that may stand for a longer period: the first of a month, or a time."""
    if isinstance(cell, datetime.datetime):
        return cell.day == 1 or cell.time() != datetime.time()
    return isinstance(cell, datetime.date) and cell.day == 1
