"""Observations as SDMX-CSV 2.0: a row per figure, the codes of the structure message
(structure.py) in its columns, periods as SDMX TIME_PERIODs.

The columns: STRUCTURE ("dataflow"), STRUCTURE_ID (WBPORTAL:DF_INDICATORS(1.0)), ACTION
("I": information, the file is a dissemination, not an update to apply), the dimensions,
OBS_VALUE, then the attributes. UTF-8 without a byte order mark, "," between columns, a
decimal point, as SDMX-CSV wants; text as stored (a reader compares it with the source: no
spreadsheet neutralising, which the portal's own CSV does for people), a line break in it
quoted as RFC 4180 has it. Only the characters other than CR and LF at which Python's
`str.splitlines()` breaks (a vertical tab, a form feed, U+2028...) become spaces, and other
control characters are dropped: the CSV writer does not quote them, and sdmx1, which splits
the file into lines before it reads the fields, tore a row apart at one.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from formatting.periods import sdmx_time_period

from ..imports.cells import format_number
from ..models import ObservationQuerySet
from .structure import (
    COMPUTED_CODE,
    STRUCTURE_ID,
    attributes,
    category_code,
    dimensions,
    measure,
    obs_status,
    qualifier_code,
)

DATA_MEDIA_TYPE = "application/vnd.sdmx.data+csv;version=2.0.0"


def header() -> list[str]:
    return [
        "STRUCTURE",
        "STRUCTURE_ID",
        "ACTION",
        *(dimension.id for dimension in dimensions()),
        measure().id,
        *(attribute.id for attribute in attributes()),
    ]


# What a row is written from, read as named tuples, not models: instantiating four models a
# row was most of the time of a large file.
FIELDS = (
    "indicator__order",
    "indicator__code",
    "country__iso_code",
    "region__code",
    "category",
    "period_start",
    "period_end",
    "period",
    "value",
    "status",
    "qualifier",
    "indicator__unit",
    "source__code",
    "is_derived",
    "area_label",
    "note",
)


# Where `str.splitlines()` breaks a line, other than CR and LF (which the writer quotes).
_UNQUOTED_BREAK = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Other control characters (tab, CR and LF are kept).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f]")


def sdmx_text(text: str) -> str:
    """`text` with no line break a line-based reader sees outside the CSV's quoting."""
    return _CONTROL.sub("", _UNQUOTED_BREAK.sub(" ", text))


def rows(records: Iterable[Any]) -> Iterator[list[str]]:
    """The rows of `records` (named tuples of FIELDS), in header() order. Periods and
    categories repeat: each is turned into its code once."""
    periods: dict[str, str] = {}
    categories: dict[str, str] = {}
    units: dict[str, str] = {}
    for record in records:
        if record.period not in periods:
            periods[record.period] = sdmx_time_period(record.period)
        if record.category not in categories:
            categories[record.category] = category_code(record.category)
        if record.indicator__unit not in units:
            units[record.indicator__unit] = sdmx_text(record.indicator__unit)
        value = record.value
        yield [
            "dataflow",
            STRUCTURE_ID,
            "I",
            record.indicator__code,
            record.country__iso_code or record.region__code,
            categories[record.category],
            periods[record.period],
            "" if value is None else format_number(value),
            obs_status(record.status),
            qualifier_code(record.qualifier),
            units[record.indicator__unit],
            record.source__code or "",
            COMPUTED_CODE if record.is_derived else "",
            sdmx_text(record.area_label),
            sdmx_text(record.note),
        ]


def _order(record: Any) -> tuple:
    area = record.country__iso_code or record.region__code
    return (record.indicator__order, record.indicator__code, area, record.category) + _span(record)


def _span(record: Any) -> tuple:
    return (record.period_start, record.period_end)


class TooLarge(Exception):
    """More rows than the caller's limit: the file is not built."""


@dataclass(frozen=True)
class SdmxFile:
    content: bytes
    rows: int
    first_period: str  # the earliest starting period, "" without rows
    last_period: str  # the latest ending one


def sdmx_csv(observations: ObservationQuerySet, limit: int) -> SdmxFile:
    """The SDMX-CSV file of `observations` (public ones: the caller's queryset), in
    indicator, area, category and period order. One query; TooLarge above `limit` rows."""
    records = list(observations.order_by().values_list(*FIELDS, named=True)[: limit + 1])
    if len(records) > limit:
        raise TooLarge
    # Sorted here, the same on every database (an area is a country's or a region's code).
    records.sort(key=_order)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header())
    writer.writerows(rows(records))
    first = min(records, key=_span, default=None)
    last = max(records, key=lambda record: _span(record)[::-1], default=None)
    return SdmxFile(
        content=out.getvalue().encode("utf-8"),
        rows=len(records),
        first_period=first.period if first else "",
        last_period=last.period if last else "",
    )
