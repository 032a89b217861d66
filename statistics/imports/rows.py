"""The contract's columns and the typed rows that pass between the import's steps.

A `SourceRow` is one row as read (from a file, or reshaped by an import profile): its number
in the original file and its cells in the order of its table's column names. Validation turns
it into a `ParsedObservation`: ids resolved, the value a Decimal, the period parsed.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from formatting.periods import Period

# `qualifier` came last, after the first eight, then `area_label`: a reader of the downloads
# that takes columns by position finds the earlier ones where they always were. Both are
# optional on import.
COLUMNS = [
    "indicator", "area", "period", "category", "value", "status", "source", "note", "qualifier",
    "area_label",
]  # fmt: skip
REQUIRED_COLUMNS = ["indicator", "area", "period", "value"]
# The public downloads' columns after the contract's, for people reading them: the area's and
# the indicator's names, the unit, the source's name and address, the licence, and the
# territory footnote of an area that has one (Kosovo*). They are read-only: an import accepts
# them and ignores them, so a download imports again as it is.
DOWNLOAD_ONLY_COLUMNS = [
    "area_name", "area_note", "indicator_name", "unit", "source_name", "source_url", "licence",
    "licence_url",
]  # fmt: skip
DOWNLOAD_COLUMNS = [*COLUMNS, *DOWNLOAD_ONLY_COLUMNS]
TEXT_COLUMNS = [
    "indicator", "area", "period", "category", "status", "source", "note", "qualifier",
    "area_label",
]  # fmt: skip
# What an import writes on an existing observation, in the order of ParsedObservation.written.
WRITTEN_FIELDS = ["value", "qualifier", "status", "source_id", "note", "area_label"]

# A cell as a reader gives it: text from CSV and from import profiles; numbers, booleans,
# dates and durations from XLSX; None for a cell the row does not reach.
Cell = str | int | float | Decimal | bool | datetime.date | datetime.timedelta | None
# The natural key of an observation: indicator, country, region, period text, category.
Key = tuple[int, int | None, int | None, str, str]
# The stored fields an import may change, in the order of WRITTEN_FIELDS.
Written = tuple[Decimal | None, str, str, int | None, str, str]


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One row as read. `number`: its row number in the ORIGINAL file (what every error names).
    `cells`: in the order of the table's `columns`. `labels`: optionally, for each contract
    column the name the original file gives it ("2018 Moški"), used in this row's errors.
    `errors`: what the row's reader already found wrong, as (column, message) pairs (an import
    profile's reshaping: an unmapped name, an unknown marker); such a row is an error row and
    its cells are not checked again."""

    number: int
    cells: Sequence[Cell]
    labels: dict[str, str] | None = None
    errors: Sequence[tuple[str, str]] = ()


@dataclass(slots=True)
class ParsedObservation:
    """A valid row, ready to compare with what is stored and to write."""

    number: int
    indicator_id: int
    country_id: int | None
    region_id: int | None
    period: Period
    category: str
    value: Decimal | None
    qualifier: str
    status: str
    source_id: int | None
    note: str
    # The area as the source names it, when that is not simply the portal's area.
    area_label: str = ""

    @property
    def key(self) -> Key:
        """The natural key: one observation per indicator, area, period and category."""
        return (self.indicator_id, self.country_id, self.region_id, self.period.text, self.category)

    @property
    def written(self) -> Written:
        """The stored fields an import may change, in the order of WRITTEN_FIELDS."""
        return (
            self.value,
            self.qualifier,
            self.status,
            self.source_id,
            self.note,
            self.area_label,
        )


# What an import does with a row.
NEW, UPDATED, UNCHANGED, ERROR = "new", "updated", "unchanged", "error"
