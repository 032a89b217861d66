"""Cells as sources write them -> the contract's text: numbers, markers and periods."""

import datetime
import re
from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext as _

from formatting.periods import parse_period

from ..imports.cells import check_decimal, format_number
from ..imports.rows import Cell

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
# Spaces a source may group thousands with when the profile says " ": space, no-break space,
# narrow no-break space.
_SPACES = str.maketrans("", "", " \u00a0\u202f")


class NumberFormat:
    """How one profile writes numbers; `parse(text)` -> Decimal or ValueError."""

    def __init__(self, decimal: str, thousands: str, multiplier: Decimal) -> None:
        self.decimal, self.thousands, self.multiplier = decimal, thousands, multiplier
        d = re.escape(decimal)
        if thousands:
            t = r"[ \u00a0\u202f]" if thousands == " " else re.escape(thousands)
            integer = rf"(?:\d{{1,3}}(?:{t}\d{{3}})+|\d+)"
        else:
            integer = r"\d+"
        self.pattern = re.compile(rf"^-?{integer}(?:{d}\d+)?$")
        self.example = f"1{thousands}200{decimal}5" if thousands else f"1200{decimal}5"

    def parse(self, text: str) -> Decimal:
        if not self.pattern.match(text):
            raise ValueError(
                _(
                    "'%(text)s' is neither a number as this profile writes them (e.g. "
                    "%(example)s) nor one of its markers."
                )
                % {"text": text, "example": self.example}
            )
        normal = text
        if self.thousands:
            normal = (
                normal.translate(_SPACES)
                if self.thousands == " "
                else normal.replace(self.thousands, "")
            )
        if self.decimal == ",":
            normal = normal.replace(",", ".")
        return self.scaled(Decimal(normal), text)

    def scaled(self, value: Decimal, shown: str) -> Decimal:
        if self.multiplier != 1:
            value = value * self.multiplier
        return check_decimal(value, shown)

    def number_cell(self, value: int | float) -> Decimal:
        """An XLSX number cell (int or float) as a Decimal."""
        if isinstance(value, float):
            return self.scaled(Decimal(repr(value)), repr(value))
        return self.scaled(Decimal(value), str(value))


def value_text(value: Decimal) -> str:
    return format_number(value)


_YEAR = re.compile(r"^\d{4}$")
# (pattern, what a match becomes: period text, or (year, month, day) of a date)
_FORMS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str | tuple[str, str, str]]]] = [
    (re.compile(r"^(\d{4})M(\d{1,2})$"), lambda m: f"{m[1]}-{int(m[2]):02d}"),  # 2008M01
    (re.compile(r"^(\d{4})-?Q([1-4])$", re.I), lambda m: f"{m[1]}-Q{m[2]}"),  # 2024Q1
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?$"), lambda m: (m[3], m[2], m[1])),  # 31.03.2024
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?$"), lambda m: (m[1], m[2], m[3])),
]


def _date_period(year: str | int, month: str | int, day: str | int, means: str) -> str:
    date = datetime.date(int(year), int(month), int(day))  # ValueError if not a date
    if means == "year":
        return str(date.year)
    if means == "quarter":
        return f"{date.year}-Q{(date.month - 1) // 3 + 1}"
    if means == "month":
        return f"{date.year}-{date.month:02d}"
    return date.isoformat()


def _text(cell: Cell) -> str:
    """A period or month cell as text ("" for an empty one)."""
    return str(cell or "").strip()


class MonthError(ValueError):
    """The month column's cell is the problem, not the year's."""


class PeriodReader:
    """A source's period text (or XLSX date) -> the portal's ISO period text, cached."""

    def __init__(self, date_means: str) -> None:
        self.date_means = date_means
        # (cell, month) -> period text, or the ValueError it raised (a copy)
        self.cache: dict[tuple[Cell, Cell], str | ValueError] = {}

    def read(self, cell: Cell, month: Cell = None) -> str:
        key = (cell, month)
        found = self.cache.get(key)
        if found is None:
            try:
                found = self._read(cell, month)
            except ValueError as error:
                found = type(error)(str(error))
            self.cache[key] = found
        if isinstance(found, ValueError):
            raise type(found)(str(found))
        return found

    def _read(self, cell: Cell, month: Cell) -> str:
        if isinstance(cell, datetime.datetime | datetime.date):
            return _date_period(cell.year, cell.month, cell.day, self.date_means)
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            cell = str(int(cell)) if float(cell).is_integer() else str(cell)
        # A boolean or a duration (XLSX) is no period: its text is refused below.
        text = _text(cell)
        if month is not None:
            return self._year_and_month(text, month)
        if not text:
            raise ValueError(_("The period is empty."))
        for pattern, build in _FORMS:
            match = pattern.match(text)
            if match:
                built = build(match)
                if isinstance(built, tuple):
                    try:
                        return _date_period(*built, self.date_means)
                    except ValueError:
                        raise ValueError(
                            _("'%(text)s' is not a calendar date.") % {"text": text}
                        ) from None
                text = built
                break
        try:
            return parse_period(text).text
        except ValueError:
            raise ValueError(
                _(
                    "'%(text)s' is not a period this profile reads: a year (2024), 2024-03, "
                    "2008M01, 2024Q1 or 2024-Q1, a date (2024-03-31 or 31.03.2024) or a range "
                    "(2016/2025)."
                )
                % {"text": text}
            ) from None

    @staticmethod
    def _year_and_month(year: str, month: Cell) -> str:
        if isinstance(month, int | float) and not isinstance(month, bool):
            month = str(int(month))
        name = _text(month)
        number = MONTHS.get(name.casefold().rstrip("."))
        if number is None and name.isdigit() and 1 <= int(name) <= 12:
            number = int(name)
        if not _YEAR.match(year):
            raise ValueError(_("'%(text)s' is not a year.") % {"text": year})
        if number is None:
            raise MonthError(
                _("'%(text)s' is not a month name (January ... December) or number (1-12).")
                % {"text": name}
            )
        return f"{year}-{number:02d}"
